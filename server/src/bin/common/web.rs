//! The HTTP client side of an upload, for the drills that run a real server process.

/// A manager's CSV upload over HTTP, as the Gebruikers page sends it.
pub struct Web {
    pub http: reqwest::Client,
    pub base: String,
}

impl Web {
    /// Start, chunks, commit, as the page sends them; the commit's status, or `None`
    /// when the server went away on the way.
    pub async fn upload(&self, session: &str, csv: &str) -> Option<reqwest::StatusCode> {
        let post = |endpoint: &str| {
            self.http
                .post(format!("{}/api/{endpoint}", self.base))
                .header("Origin", "http://127.0.0.1:3000")
                .header("Cookie", session)
        };
        let chunks = csv.len().div_ceil(1_000_000).max(1);
        let r = post("upload_start")
            .form(&[("bytes", csv.len().to_string()), ("chunks", chunks.to_string())])
            .send()
            .await
            .ok()?;
        let batch: String = r.json().await.ok()?;
        for (i, part) in csv.as_bytes().chunks(csv.len().div_ceil(chunks)).enumerate() {
            let body = serde_json::json!({ "batch_id": batch, "index": i, "data": std::str::from_utf8(part).unwrap() });
            post("upload_chunk").json(&body).send().await.ok()?;
        }
        Some(
            post("upload_commit")
                .form(&[("batch_id", batch)])
                .send()
                .await
                .ok()?
                .status(),
        )
    }
}

/// The `name=value` of a cookie the answer sets (not one it clears).
pub fn cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")) && !v.starts_with(&format!("{name}=;")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// `n` valid upload rows for `prefix.<i>@crash.test`, mobiles from `first_mobile` on.
pub fn csv(prefix: &str, n: usize, first_mobile: usize) -> String {
    let a = b"abcdefghijklmnopqrstuvwxyz";
    let mut s = String::from("voornamen;tussenvoegsel;achternaam;geboortedatum;email;mobiel;in_loondienst;niveau\r\n");
    for i in 0..n {
        let name: String = [i / 17_576 % 26, i / 676 % 26, i / 26 % 26, i % 26]
            .iter()
            .map(|&k| a[k] as char)
            .collect();
        s.push_str(&format!(
            "Lid;;K{name};15-06-1990;{prefix}.{i}@crash.test;06{:08};ja;EH3\r\n",
            first_mobile + i
        ));
    }
    s
}
