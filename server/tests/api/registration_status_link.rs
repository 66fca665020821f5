//! Issue 12, rule 5: the applicant's status link follows the token rules — it works 24
//! hours, and a fresh one comes by e-mail on request (to the applicant's own address only,
//! at most 3 a day, the previous one dying); the answer is the same for every address.

use crate::both_dbs;
use crate::helpers::spawn_app;
use crate::registration_support::*;
use std::time::Duration;

const SUBJECT: &str = "Nieuwe link naar de status van uw aanmelding";
const APPLICANT: &str = "bas@ketting.example";

async fn fresh_links(app: &crate::helpers::TestApp) -> Vec<String> {
    let mut links = Vec::new();
    for _ in 0..50 {
        links = mails_to(app, APPLICANT)
            .await
            .iter()
            .filter(|m| m.subject.as_deref() == Some(SUBJECT))
            .filter_map(|m| {
                m.body
                    .lines()
                    .find_map(|l| l.strip_prefix("http://127.0.0.1:3000"))
                    .map(str::to_string)
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    links
}

both_dbs!(
    a_status_link_lives_a_day_and_a_fresh_one_comes_by_mail,
    |t| async move {
        let app = spawn_app(t).await;
        let c = fill(&app, "41234567", APPLICANT, &[("Ria", "ria@ketting.example")]).await;
        let status = submit(&app, &c).await;
        assert!(app.get(&status, None).await.body.contains("wacht op vertegenwoordiger"));
        app.clock.advance_ms(DAY_MS);
        let page = app.get(&status, None).await;
        assert!(
            page.body.contains("werkt niet (meer)") && page.body.contains("/registreren/status\""),
            "{}",
            page.body
        );

        // Known and unknown addresses get the same answer; only the applicant gets a mail.
        let known = post(
            &app,
            "registration/status_link",
            None,
            &[("email", " Bas@Ketting.example ")],
        )
        .await;
        let unknown = post(
            &app,
            "registration/status_link",
            None,
            &[("email", "niemand@ketting.example")],
        )
        .await;
        assert_eq!(known.location, "/registreren/status?melding=link-verstuurd");
        assert_eq!(unknown.location, known.location);
        let bad = post(&app, "registration/status_link", None, &[("email", "geen adres")]).await;
        assert_eq!(bad.location, "/registreren/status?melding=email-ongeldig");
        let links = fresh_links(&app).await;
        assert_eq!(links.len(), 1, "one mail, to the applicant");
        assert!(mails_to(&app, "niemand@ketting.example").await.is_empty());
        assert!(app
            .get(&links[0], None)
            .await
            .body
            .contains("wacht op vertegenwoordiger"));
        let page = app.get("/registreren/status", None).await;
        assert!(page.body.contains("Stuur mij een nieuwe link"));

        // A second one kills the first; a day holds three (the first one counts).
        post(&app, "registration/status_link", None, &[("email", APPLICANT)]).await;
        let links = fresh_links(&app).await;
        assert_eq!(links.len(), 2);
        let (mut live, mut dead) = (0, 0);
        for l in &links {
            if app.get(l, None).await.body.contains("wacht op vertegenwoordiger") {
                live += 1;
            } else {
                dead += 1;
            }
        }
        assert_eq!((live, dead), (1, 1), "only the newest link works");
        post(&app, "registration/status_link", None, &[("email", APPLICANT)]).await;
        post(&app, "registration/status_link", None, &[("email", APPLICANT)]).await;
        assert_eq!(fresh_links(&app).await.len(), 3, "three a day");
        app.clock.advance_ms(DAY_MS);
        post(&app, "registration/status_link", None, &[("email", APPLICANT)]).await;
        assert_eq!(fresh_links(&app).await.len(), 4, "and again the next day");
    }
);
