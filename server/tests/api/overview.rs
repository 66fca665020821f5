//! Overzicht over HTTP, on both databases: counts with links to their lists, all managed
//! organisations together, the matrix, and the CSV export.

use crate::authorisations::{grant, manager, means_of, BAKKERIJ};
use crate::both_dbs;
use crate::helpers::spawn_app;
use serde_json::Value;

both_dbs!(the_overview_counts_link_to_lists_and_export_as_csv, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    let jan = means_of(&app, "gebruiker@demo.example", BAKKERIJ).await;
    assert_eq!(grant(&app, &s, &[&jan], &["rvo-mijn-rvo"], "", "1").await.status, 200);
    let r = app.call("overview", Some(&s), &[("alle", "false")]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let o: Value = serde_json::from_str(&r.body).unwrap();
    let active = o["means"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["label"] == "actief")
        .expect("active means row");
    assert_eq!(active["total"]["n"], 3, "{o}");
    assert_eq!(active["total"]["href"], "/overzicht/middelen?status=active");
    let rvo = o["authorisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["label"].as_str().unwrap().contains("Mijn RVO"))
        .expect("row");
    assert_eq!(rvo["by_level"][1]["n"], 1);
    assert_eq!(
        rvo["by_level"][1]["href"],
        "/beheer/machtigingen?dienst=rvo-mijn-rvo&niveau=EH2%2B&status=active"
    );
    assert_eq!(o["expiring"]["n"], 0);
    let all: Value = serde_json::from_str(&app.call("overview", Some(&s), &[("alle", "true")]).await.body).unwrap();
    assert_eq!(all["organisations"].as_array().unwrap().len(), 2);
    let m: Value = serde_json::from_str(
        &app.call("overview_matrix", Some(&s), &[("alle", "false"), ("page", "1")])
            .await
            .body,
    )
    .unwrap();
    assert!(m["rows"].as_array().unwrap().len() >= 3, "{m}");

    let csv = app.get("/overzicht/export.csv", Some(&s)).await;
    assert_eq!(csv.status, 200, "{csv:?}");
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(
        csv.body.contains("onderdeel;omschrijving;EH2;EH2+;EH3;EH4;totaal"),
        "{}",
        csv.body
    );
    let csv = app
        .get("/overzicht/export.csv?lijst=machtigingen&dienst=rvo-mijn-rvo", Some(&s))
        .await;
    assert_eq!(csv.body.lines().count(), 2, "{}", csv.body);
    assert!(
        csv.body.contains("Jan Jansen;gebruiker@demo.example;EH2+"),
        "{}",
        csv.body
    );
    assert_eq!(
        app.get("/overzicht/export.csv", None).await.status / 100,
        3,
        "login first"
    );
});
