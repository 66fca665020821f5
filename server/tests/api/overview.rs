//! Overzicht over HTTP, on both databases: counts with links to their lists, all managed
//! organisations together, the matrix, and the CSV export.

use crate::authorisations::{grant, manager, means_of, BAKKERIJ};
use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp};
use app::server::db::new_id;
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
    let m = matrix(&app, &s, &[]).await;
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

/// Overzicht's matrix page for these cursor arguments (`na`, `voor`, `laatste`).
async fn matrix(app: &TestApp, s: &str, at: &[(&str, &str)]) -> Value {
    let mut form = vec![("alle", "false"), ("na", ""), ("voor", ""), ("laatste", "false")];
    for (k, v) in at {
        form.retain(|(f, _)| f != k);
        form.push((k, v));
    }
    let r = app.call("overview_matrix", Some(s), &form).await;
    assert_eq!(r.status, 200, "{r:?}");
    serde_json::from_str(&r.body).unwrap()
}

fn names(m: &Value) -> Vec<String> {
    m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

fn flags(m: &Value) -> (bool, bool) {
    (m["has_prev"].as_bool().unwrap(), m["has_next"].as_bool().unwrap())
}

both_dbs!(
    the_matrix_pages_by_position_and_treats_foreign_ids_as_unknown,
    |t| async move {
        let app = spawn_app(t).await;
        let s = manager(&app).await;
        let org: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
            .bind(BAKKERIJ)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        // 45 people who sort before the demo's five: "Pag Aa00" … "Pag Aa44".
        for i in 0..45 {
            let means = new_id();
            sqlx::query(
                "INSERT INTO means (id, organisation_id, email, given_names, surname, birth_date, mobile_e164,
                                    level, state, employed, created_at, updated_at)
                 VALUES ($1, $2, $3, 'Pag', $4, '1990-01-01', '+31612345678', 'EH3', 'active', 1, 1, 1)",
            )
            .bind(&means)
            .bind(&org)
            .bind(format!("pag.{i}@example.nl"))
            .bind(format!("Aa{i:02}"))
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        }
        let pag = |from: usize, to: usize| (from..to).map(|i| format!("Pag Aa{i:02}")).collect::<Vec<_>>();

        let one = matrix(&app, &s, &[]).await;
        let total = one["total"].as_i64().unwrap();
        assert!(total > 45 && total <= 60, "{one}");
        assert_eq!(names(&one), pag(0, 20));
        assert_eq!(flags(&one), (false, true));

        let last_of = |m: &Value| m["last"].as_str().unwrap().to_string();
        let first_of = |m: &Value| m["first"].as_str().unwrap().to_string();
        let two = matrix(&app, &s, &[("na", &last_of(&one))]).await;
        assert_eq!(names(&two), pag(20, 40));
        assert_eq!(flags(&two), (true, true));
        let three = matrix(&app, &s, &[("na", &last_of(&two))]).await;
        assert_eq!(names(&three)[..5], pag(40, 45)[..]);
        assert_eq!(names(&three).len() as i64, total - 40);
        assert_eq!(flags(&three), (true, false));

        let back = matrix(&app, &s, &[("voor", &first_of(&three))]).await;
        assert_eq!(names(&back), names(&two));
        assert_eq!(flags(&back), (true, true));
        let first_again = matrix(&app, &s, &[("voor", &first_of(&two))]).await;
        assert_eq!(names(&first_again), pag(0, 20));
        assert_eq!(flags(&first_again), (false, true), "nothing before the first page");
        // The last page is the last 20 rows (keyset pages do not align to multiples of 20).
        let last = matrix(&app, &s, &[("laatste", "true")]).await;
        let tail: Vec<String> = [names(&two), names(&three)].concat();
        assert_eq!(names(&last), tail[tail.len() - 20..]);
        assert_eq!(flags(&last), (true, false));

        // A means of the other organisation this manager manages, outside the chosen scope,
        // reads exactly like an id that does not exist: the first page.
        let elsewhere: String = sqlx::query_scalar(
            "SELECT m.id FROM means m JOIN organisations o ON o.id = m.organisation_id WHERE o.name <> $1 LIMIT 1",
        )
        .bind(BAKKERIJ)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        let foreign = matrix(&app, &s, &[("na", &elsewhere)]).await;
        let unknown = matrix(&app, &s, &[("na", "bestaat-niet")]).await;
        assert_eq!(foreign, unknown);
        assert_eq!(foreign, one);
        let foreign = matrix(&app, &s, &[("voor", &elsewhere)]).await;
        assert_eq!(foreign, one);
    }
);
