//! Building a router never stalls the pages another router of the same process serves.
//! Generating Leptos' route list switches resource loading off for the whole process
//! while it runs; a page whose data was asked for in that moment never got it and its
//! request hung (the integration tests run many servers in one process, and hung for a
//! minute now and then). The router generates the list once per process.

use crate::both_dbs;
use crate::helpers::*;
use std::time::Duration;

both_dbs!(pages_render_while_other_routers_are_built, |t| async move {
    let app = spawn_app(t).await;
    let state = app.state.clone();
    let builder = tokio::task::spawn_blocking(move || {
        for _ in 0..40 {
            drop(server::http::router(state.clone()));
        }
    });
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut pages = 0;
    while !builder.is_finished() || pages < 40 {
        for (path, text) in [("/activeren/onbekend", "link-problem"), ("/inloggen", "Inloggen")] {
            let res = client
                .get(format!("{}{path}", app.addr))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{path} did not answer: {e}"));
            assert_eq!(res.status(), 200, "{path}");
            let body = res.text().await.unwrap();
            assert!(body.contains(text), "{path} rendered its data: {body}");
            pages += 1;
        }
    }
    builder.await.unwrap();
});
