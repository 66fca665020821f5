//! The development inbox: every outbox message, newest first, as a page
//! (`GET /dev/inbox?aan=…`) and as JSON for end-to-end tests
//! (`GET /dev/inbox/messages.json?to=…`). Mounted by the caller only when `DEV_INBOX=1`:
//! it shows links and codes in the clear.
//!
//! Everything printed is HTML-escaped; the page has no scripts and no inline styles.

use crate::server::db::outbox::{self, OutboxRow};
use crate::server::db::Db;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::fmt::Write;

const PAGE_LIMIT: i64 = 200;
const JSON_LIMIT: i64 = 500;

/// `GET /dev/inbox` and `GET /dev/inbox/messages.json`, with their own state.
pub fn dev_inbox_router(db: Db) -> Router {
    Router::new()
        .route("/dev/inbox", get(page))
        .route("/dev/inbox/messages.json", get(messages_json))
        .with_state(db)
}

#[derive(Debug, Default, Deserialize)]
struct Filter {
    aan: Option<String>,
    to: Option<String>,
}

impl Filter {
    fn recipient(&self) -> Option<String> {
        self.aan.as_deref().or(self.to.as_deref()).and_then(normalise_recipient)
    }
}

/// Trims, and writes a Dutch mobile number as stored (`+316…`), also when a bare `+` in
/// the query string arrived as a space.
fn normalise_recipient(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    let compact: String = t.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    if digits.chars().all(|c| c.is_ascii_digit()) {
        if digits.len() == 11 && digits.starts_with("316") {
            return Some(format!("+{digits}"));
        }
        if digits.len() == 10 && digits.starts_with("06") {
            return Some(format!("+31{}", &digits[1..]));
        }
    }
    Some(t.to_string())
}

async fn load(db: &Db, filter: &Filter, limit: i64) -> Result<Vec<OutboxRow>, Response> {
    outbox::list(db, filter.recipient().as_deref(), limit)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "dev inbox: cannot read the outbox");
            (StatusCode::INTERNAL_SERVER_ERROR, "De outbox kan niet worden gelezen.").into_response()
        })
}

async fn page(State(db): State<Db>, Query(filter): Query<Filter>) -> Response {
    match load(&db, &filter, PAGE_LIMIT).await {
        Ok(rows) => {
            let html = render_page(&rows, filter.recipient().as_deref().unwrap_or(""));
            ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
        }
        Err(r) => r,
    }
}

async fn messages_json(State(db): State<Db>, Query(filter): Query<Filter>) -> Response {
    match load(&db, &filter, JSON_LIMIT).await {
        Ok(rows) => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "channel": r.channel,
                        "recipient": r.recipient,
                        "subject": r.subject,
                        "body": r.body,
                        "created_at": r.created_at,
                        "delivered_at": r.delivered_at,
                        "delivered_via": r.delivered_via,
                    })
                })
                .collect();
            ([(header::CACHE_CONTROL, "no-store")], Json(list)).into_response()
        }
        Err(r) => r,
    }
}

pub(crate) fn render_page(rows: &[OutboxRow], filter: &str) -> String {
    let mut h = String::with_capacity(4096 + rows.len() * 512);
    h.push_str(
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Ontwikkel-inbox · Beheermodule</title>\n\
         <link rel=\"stylesheet\" href=\"/pkg/beheermodule.css\">\n</head>\n\
         <body class=\"dev-inbox\">\n<main>\n<h1>Ontwikkel-inbox</h1>\n\
         <p>Alle berichten die de module verstuurt of zou versturen, nieuwste eerst. \
         Deze pagina bestaat alleen in ontwikkeling (DEV_INBOX=1).</p>\n\
         <form method=\"get\" action=\"/dev/inbox\" class=\"filter\">\n\
         <label for=\"aan\">Aan (e-mailadres of mobiel nummer)</label>\n",
    );
    let _ = writeln!(
        h,
        "<input type=\"text\" id=\"aan\" name=\"aan\" value=\"{}\">",
        escape(filter)
    );
    h.push_str("<button type=\"submit\">Berichten filteren</button>\n");
    if !filter.is_empty() {
        h.push_str("<a href=\"/dev/inbox\">Alle berichten tonen</a>\n");
    }
    h.push_str("</form>\n");
    if rows.is_empty() {
        h.push_str("<p>Geen berichten.</p>\n");
    } else {
        let _ = writeln!(h, "<table>\n<caption>{} bericht(en)</caption>", rows.len());
        h.push_str(
            "<thead><tr><th scope=\"col\">Tijd (UTC)</th><th scope=\"col\">Kanaal</th>\
             <th scope=\"col\">Aan</th><th scope=\"col\">Onderwerp</th>\
             <th scope=\"col\">Inhoud</th><th scope=\"col\">Afgeleverd via</th></tr></thead>\n<tbody>\n",
        );
        for r in rows {
            let _ = writeln!(
                h,
                "<tr id=\"bericht-{id}\"><td><time>{time}</time></td><td>{channel}</td><td>{to}</td>\
                 <td>{subject}</td><td><pre>{body}</pre></td><td>{status}</td></tr>",
                id = escape(&r.id),
                time = format_utc(r.created_at),
                channel = match r.channel.as_str() {
                    "email" => "e-mail".to_string(),
                    other => escape(other),
                },
                to = escape(&r.recipient),
                subject = escape(r.subject.as_deref().unwrap_or("—")),
                body = match &r.render_error {
                    Some(e) => escape(&format!("[tekst niet op te maken: {e}]")),
                    None => linkify(&r.body),
                },
                status = escape(&status(r)),
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn status(r: &OutboxRow) -> String {
    match (&r.delivered_via, r.gave_up(), r.attempts) {
        (Some(via), _, _) => via.clone(),
        (None, true, _) => format!(
            "mislukt, opgegeven: {}",
            r.last_error.as_deref().unwrap_or("onbekende fout")
        ),
        (None, false, 0) => "nog niet verstuurd".to_string(),
        (None, false, n) => format!(
            "nog niet verstuurd ({n} mislukte poging(en): {})",
            r.last_error.as_deref().unwrap_or("onbekende fout")
        ),
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a body and makes its `http(s)://` links clickable.
pub(crate) fn linkify(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(start) = find_link(rest) {
        out.push_str(&escape(&rest[..start]));
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(tail.len());
        // Sentence punctuation right after a link is not part of it.
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?', ')']) {
            end -= 1;
        }
        let url = escape(&tail[..end]);
        let _ = write!(out, "<a href=\"{url}\">{url}</a>");
        rest = &tail[end..];
    }
    out.push_str(&escape(rest));
    out
}

fn find_link(s: &str) -> Option<usize> {
    match (s.find("http://"), s.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC for unix milliseconds.
pub(crate) fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(body: &str) -> OutboxRow {
        OutboxRow {
            id: "id-1".into(),
            channel: crate::server::db::outbox::Channel::Email,
            recipient: "jan@example.nl".into(),
            subject: Some("<b>Onderwerp</b>".into()),
            body: body.into(),
            template: None,
            render_error: None,
            created_at: 1_700_000_000_000,
            attempts: 1,
            next_attempt_at: 0,
            claimed_until: None,
            delivered_at: Some(1_700_000_000_500),
            delivered_via: Some("dev-inbox".into()),
            last_error: None,
        }
    }

    #[test]
    fn escapes_everything() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        let html = render_page(&[row("<script>alert(1)</script>")], "\"><script>");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;b&gt;Onderwerp&lt;/b&gt;"));
        assert!(html.contains("/pkg/beheermodule.css") && html.contains("Ontwikkel-inbox"));
        assert!(!html.contains("style="));
    }

    #[test]
    fn links_become_anchors_and_stay_escaped() {
        let out = linkify("Klik:\nhttps://x.nl/activeren/ab?c=1&d=2\nGroet <team>");
        assert!(
            out.contains(r#"<a href="https://x.nl/activeren/ab?c=1&amp;d=2">"#),
            "{out}"
        );
        assert!(out.ends_with("Groet &lt;team&gt;"), "{out}");
        assert_eq!(linkify("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(
            linkify("Zie https://x.nl/a."),
            r#"Zie <a href="https://x.nl/a">https://x.nl/a</a>."#
        );
    }

    #[test]
    fn formats_utc_times() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(1_700_000_000_000), "2023-11-14 22:13:20");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00:00");
    }

    #[test]
    fn normalises_mobile_numbers_in_the_filter() {
        assert_eq!(normalise_recipient(" 31612345678"), Some("+31612345678".into()));
        assert_eq!(normalise_recipient("06-1234 5678"), Some("+31612345678".into()));
        assert_eq!(normalise_recipient("+31612345678"), Some("+31612345678".into()));
        assert_eq!(normalise_recipient(" jan@example.nl "), Some("jan@example.nl".into()));
        assert_eq!(normalise_recipient("  "), None);
    }
}
