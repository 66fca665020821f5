//! The attack of `scripts/abuse.sh`, against running release builds (see there). Prints
//! `BENCH` lines: how far each attack gets before a limit stops it, what it makes the
//! server store and send, and how responsive `/health` and a manager's Overzicht stay
//! meanwhile.
//!
//! Environment: `BASE` (the server with the default limits, `TRUSTED_PROXY=127.0.0.1`),
//! `BASE_NODELAY` (the same with the delay off, so that only the lock stops a patient
//! guesser), `DATABASE_FILE` (the first server's SQLite file, where uploaded files are
//! kept; read with Python's `sqlite3` so that this client needs no database driver).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const USER: (&str, &str, &str) = ("gebruiker@demo.example", "Demo-gebruiker-2026!", "+31687654321");
const MANAGER: (&str, &str, &str) = ("beheerder@demo.example", "Demo-beheer-2026!", "+31612345678");
const BACKOFFICE: &str = "backoffice@demo.example";
const WRONG: &str = "een-gok-die-niet-klopt";
const ATTEMPTS: usize = 1_000;
const CONCURRENCY: usize = 8;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} must be set (run scripts/abuse.sh)"))
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// A server-function call as a browser page makes it, through the proxy as `from`.
async fn call(
    http: &reqwest::Client,
    base: &str,
    from: Option<&str>,
    endpoint: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    let mut req = http
        .post(format!("{base}/api/{endpoint}"))
        .header("Origin", base)
        .form(form);
    if let Some(ip) = from {
        req = req.header("X-Forwarded-For", ip);
    }
    if let Some(c) = cookie {
        req = req.header("Cookie", format!("bm_session={c}"));
    }
    let res = req.send().await.expect("the server answers");
    let status = res.status().as_u16();
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("bm_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .filter(|v| !v.is_empty());
    (status, res.text().await.unwrap_or_default(), session)
}

/// The newest SMS code to `mobile`, from the dev inbox.
async fn latest_code(http: &reqwest::Client, base: &str, mobile: &str) -> Option<String> {
    let list: serde_json::Value = http
        .get(format!(
            "{base}/dev/inbox/messages.json?aan={}",
            mobile.replace('+', "%2B")
        ))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let body = list.as_array()?.first()?["body"].as_str()?.to_string();
    extract_code(&body)
}

/// The only run of exactly six digits in an SMS.
fn extract_code(body: &str) -> Option<String> {
    let mut runs = body.split(|c: char| !c.is_ascii_digit()).filter(|r| r.len() == 6);
    let code = runs.next()?;
    runs.next().is_none().then(|| code.to_string())
}

async fn sms_to(http: &reqwest::Client, base: &str, mobile: &str) -> usize {
    let list: serde_json::Value = http
        .get(format!(
            "{base}/dev/inbox/messages.json?aan={}",
            mobile.replace('+', "%2B")
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list.as_array()
        .map_or(0, |l| l.iter().filter(|m| m["channel"] == "sms").count())
}

/// A complete manager session (password, code).
async fn login(http: &reqwest::Client, base: &str, who: (&str, &str, &str)) -> String {
    let (status, body, pending) = call(
        http,
        base,
        Some("192.0.2.200"),
        "login",
        None,
        &[("email", who.0), ("password", who.1)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let code = latest_code(http, base, who.2).await.expect("a code");
    let (status, body, session) = call(
        http,
        base,
        Some("192.0.2.200"),
        "verify_code",
        pending.as_deref(),
        &[("code", &code)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    session.expect("a session")
}

/// Sends `ATTEMPTS` wrong passwords for `email`, `CONCURRENCY` at a time, from the
/// addresses `from(i)`; returns how many were checked (422) and how many refused (429).
async fn wrong_passwords(base: &str, email: &'static str, from: fn(usize) -> String) -> (usize, usize) {
    let (checked, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (base, checked, refused, next) = (base.to_string(), checked.clone(), refused.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let http = client();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= ATTEMPTS {
                    break;
                }
                let ip = from(i);
                let (status, body, _) = call(
                    &http,
                    &base,
                    Some(&ip),
                    "login",
                    None,
                    &[("email", email), ("password", WRONG)],
                )
                .await;
                match status {
                    422 => checked.fetch_add(1, Ordering::SeqCst),
                    429 => refused.fetch_add(1, Ordering::SeqCst),
                    s => panic!("unexpected answer {s}: {body}"),
                };
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    (checked.load(Ordering::SeqCst), refused.load(Ordering::SeqCst))
}

/// Logs in with the right password again and again (each asks for an SMS code).
async fn sms_pump(base: &str, who: (&'static str, &'static str, &'static str), tries: usize) -> usize {
    let http = client();
    let before = sms_to(&http, base, who.2).await;
    for i in 0..tries {
        let ip = format!("198.18.0.{}", 1 + i % 50);
        call(
            &http,
            base,
            Some(&ip),
            "login",
            None,
            &[("email", who.0), ("password", who.1)],
        )
        .await;
    }
    sms_to(&http, base, who.2).await - before
}

/// A patient guesser who knows the password: guesses every code it is given until the
/// login name is locked; returns the wrong codes the server checked.
async fn guess_codes(base: &str) -> usize {
    let http = client();
    let mut guessed = 0;
    let (status, body, mut pending) = call(
        &http,
        base,
        Some("203.0.113.77"),
        "login",
        None,
        &[("email", USER.0), ("password", USER.1)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for _ in 0..200 {
        let code = latest_code(&http, base, USER.2).await.unwrap_or_default();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let (status, body, _) = call(
            &http,
            base,
            Some("203.0.113.77"),
            "verify_code",
            pending.as_deref(),
            &[("code", wrong)],
        )
        .await;
        match status {
            422 if body.contains("werkt niet meer") || body.contains("verlopen") => {
                guessed += usize::from(body.contains("klopt niet"));
                let (s, _, _) = call(
                    &http,
                    base,
                    Some("203.0.113.77"),
                    "resend_code",
                    pending.as_deref(),
                    &[],
                )
                .await;
                if s != 200 {
                    // No new code for this login: enter the password again.
                    let (s, _, p) = call(
                        &http,
                        base,
                        Some("203.0.113.77"),
                        "login",
                        None,
                        &[("email", USER.0), ("password", USER.1)],
                    )
                    .await;
                    if s != 200 {
                        break;
                    }
                    pending = p;
                }
            }
            422 => guessed += 1,
            _ => break,
        }
    }
    guessed
}

/// New drafts with a 10 MiB extract each, from one address and from 50, plus files in
/// slots that do not exist; returns the answers that stored a draft.
async fn wizard(base: &str) -> usize {
    let http = client();
    let big: Vec<u8> = [b"%PDF-1.4\n".as_slice(), &vec![b'0'; 10 * 1024 * 1024 - 16]].concat();
    let mut drafts = 0;
    for i in 0..100 {
        let ip = if i < 50 {
            "203.0.113.99".to_string()
        } else {
            format!("198.19.0.{}", i - 49)
        };
        let mut form = reqwest::multipart::Form::new()
            .text("stap", "2")
            .text("ga", "verder")
            .text("extract_date", "01-01-2026")
            .part(
                "extract_file",
                reqwest::multipart::Part::bytes(big.clone()).file_name("uittreksel.pdf"),
            );
        if i % 10 == 0 {
            form = form.part(
                "extra_file",
                reqwest::multipart::Part::bytes(big.clone()).file_name("x.pdf"),
            );
        }
        // A body over the limit is cut off by the server: nothing stored.
        let Ok(res) = http
            .post(format!("{base}/api/registration/step"))
            .header("Origin", base)
            .header("Accept", "text/html")
            .header("X-Forwarded-For", ip)
            .multipart(form)
            .send()
            .await
        else {
            continue;
        };
        let stored = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.starts_with("bm_registratie=") && !v.starts_with("bm_registratie=;"));
        drafts += usize::from(stored);
    }
    drafts
}

/// The bytes of every stored document file (`document_files`) in the server's database.
fn bytes_in(database_file: &str) -> u64 {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); \
             print(c.execute('SELECT COALESCE(SUM(LENGTH(bytes)), 0) FROM document_files').fetchone()[0])",
            database_file,
        ])
        .output()
        .expect("python3 to read the database");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a byte count")
}

fn p99(samples: &[f64]) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s.get(((s.len() as f64) * 0.99).ceil() as usize - 1)
        .copied()
        .unwrap_or(f64::NAN)
}

#[tokio::main]
async fn main() {
    let base = env("BASE");
    let nodelay = env("BASE_NODELAY");
    let documents = env("DATABASE_FILE");
    let http = client();
    let manager = login(&http, &base, MANAGER).await;

    // The manager and a monitor keep using the product while the attacks run.
    let stop = Arc::new(AtomicBool::new(false));
    let samples: Arc<Mutex<(Vec<f64>, Vec<f64>)>> = Arc::default();
    let probe = {
        let (base, stop, samples, manager) = (base.clone(), stop.clone(), samples.clone(), manager.clone());
        tokio::spawn(async move {
            let http = client();
            while !stop.load(Ordering::SeqCst) {
                let t = Instant::now();
                let r = http.get(format!("{base}/health")).send().await.unwrap();
                assert_eq!(r.status(), 200);
                let health = t.elapsed().as_secs_f64() * 1000.0;
                let t = Instant::now();
                let r = http
                    .get(format!("{base}/overzicht"))
                    .header("Cookie", format!("bm_session={manager}"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "the manager stays logged in");
                let _ = r.bytes().await;
                let overview = t.elapsed().as_secs_f64() * 1000.0;
                {
                    let mut s = samples.lock().unwrap();
                    s.0.push(health);
                    s.1.push(overview);
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        })
    };

    let started = Instant::now();
    let (one, one_refused) = wrong_passwords(&base, USER.0, |_| "203.0.113.1".to_string()).await;
    println!("# {ATTEMPTS} wrong passwords for one account from one address: {one} checked, {one_refused} refused");
    println!("BENCH abuse_passwords_accepted_one_address {one} attempts");
    let (many, many_refused) = wrong_passwords(&base, BACKOFFICE, |i| format!("198.51.100.{}", 1 + i % 50)).await;
    println!("# {ATTEMPTS} wrong passwords for one account from 50 addresses: {many} checked, {many_refused} refused");
    println!("BENCH abuse_passwords_accepted_50_addresses {many} attempts");
    let sms = sms_pump(&base, MANAGER, 200).await;
    println!("# 200 logins with the right password from 50 addresses, each asking for an SMS code");
    println!("BENCH abuse_sms_sent {sms} sms");
    let before = bytes_in(&documents);
    let drafts = wizard(&base).await;
    let stored = bytes_in(&documents) - before;
    println!("# 100 new drafts with a 10 MiB extract (50 from one address, 50 from 50), every tenth with a file in a made-up slot: {drafts} stored");
    println!("BENCH abuse_wizard_drafts_stored {drafts} drafts");
    println!(
        "BENCH abuse_wizard_bytes_stored {:.1} MiB",
        stored as f64 / 1024.0 / 1024.0
    );
    let attack_secs = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::SeqCst);
    probe.await.unwrap();

    let codes = guess_codes(&nodelay).await;
    println!("# a guesser with the right password and no delay (LOGIN_DELAY_AFTER=1000): wrong codes checked before the lock");
    println!("BENCH abuse_codes_guessed_before_lock {codes} codes");

    let s = samples.lock().unwrap();
    println!("# {} probes of each during {attack_secs:.0} s of attack", s.0.len());
    println!("BENCH abuse_p99_health_ms {:.1} ms", p99(&s.0));
    println!("BENCH abuse_p99_overzicht_ms {:.1} ms", p99(&s.1));
}
