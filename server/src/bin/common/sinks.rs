//! Receivers the delivery benchmarks send to, on local ports: a real SMTP listener and a
//! plain HTTP/1.1 SMS gateway, each recording what arrived and when, and each following a
//! mode: accept, refuse connections (the port closed), fail (SMTP 421, HTTP 500) or hang.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub const ACCEPT: u8 = 0;
pub const REFUSE: u8 = 1;
pub const FAIL: u8 = 2;
pub const HANG: u8 = 3;

/// What the receivers got: recipient → times it arrived, and the last text it got.
#[derive(Clone, Default)]
pub struct Received {
    times: Arc<Mutex<HashMap<String, Vec<Instant>>>>,
    texts: Arc<Mutex<HashMap<String, String>>>,
}

impl Received {
    pub fn add(&self, to: &str, text: &str) {
        let to = to.to_lowercase();
        self.texts.lock().unwrap().insert(to.clone(), text.to_string());
        self.times.lock().unwrap().entry(to).or_default().push(Instant::now());
    }
    pub fn total(&self) -> usize {
        self.times.lock().unwrap().values().map(Vec::len).sum()
    }
    pub fn first(&self, to: &str) -> Option<Instant> {
        self.times.lock().unwrap().get(to).and_then(|v| v.first().copied())
    }
    /// The last text `to` received.
    pub fn text(&self, to: &str) -> Option<String> {
        self.texts.lock().unwrap().get(&to.to_lowercase()).cloned()
    }
    pub fn clear(&self) {
        self.times.lock().unwrap().clear();
        self.texts.lock().unwrap().clear();
    }
    /// (lost, duplicated) among the recipients that were sent to.
    pub fn check(&self, sent: &[String]) -> (usize, usize) {
        let m = self.times.lock().unwrap();
        let lost = sent.iter().filter(|s| !m.contains_key(s.as_str())).count();
        let dup = sent
            .iter()
            .filter_map(|s| m.get(s.as_str()))
            .map(|v| v.len().saturating_sub(1))
            .sum();
        (lost, dup)
    }

    /// Which of `recipients` arrived at least once.
    pub fn arrived(&self, recipients: &[String]) -> Vec<String> {
        let m = self.times.lock().unwrap();
        recipients
            .iter()
            .filter(|r| m.contains_key(r.as_str()))
            .cloned()
            .collect()
    }
}

/// A listener whose behaviour follows `mode`; while it refuses, its port is closed.
pub async fn serve_while<F, Fut>(addr: SocketAddr, mode: Arc<AtomicU8>, handle: F)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let handle = Arc::new(handle);
    tokio::spawn(async move {
        loop {
            while mode.load(Ordering::SeqCst) == REFUSE {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let listener = TcpListener::bind(addr).await.expect("rebind the receiver's port");
            loop {
                tokio::select! {
                    got = listener.accept() => {
                        if let Ok((sock, _)) = got {
                            let h = Arc::clone(&handle);
                            tokio::spawn(async move { h(sock).await });
                        }
                    }
                    _ = tokio::time::sleep(Duration::from_millis(20)) => {
                        if mode.load(Ordering::SeqCst) == REFUSE {
                            break;
                        }
                    }
                }
            }
        }
    });
}

pub async fn smtp_session(sock: TcpStream, mode: Arc<AtomicU8>, got: Received) {
    let _ = smtp_dialogue(sock, mode, got).await;
}

async fn smtp_dialogue(sock: TcpStream, mode: Arc<AtomicU8>, got: Received) -> std::io::Result<()> {
    let (r, mut w) = sock.into_split();
    let mut r = BufReader::new(r);
    let gate = |mode: &AtomicU8| mode.load(Ordering::SeqCst);
    match gate(&mode) {
        FAIL => return w.write_all(b"421 4.3.2 Service not available\r\n").await,
        HANG => {
            tokio::time::sleep(Duration::from_secs(70)).await;
            return Ok(());
        }
        REFUSE => return Ok(()),
        _ => {}
    }
    w.write_all(b"220 bench ESMTP\r\n").await?;
    let mut rcpt = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let upper = line.trim_end().to_ascii_uppercase();
        if upper.starts_with("MAIL FROM") && gate(&mode) != ACCEPT {
            // Came back to a connection kept from before the outage.
            return w.write_all(b"421 4.3.2 Service not available\r\n").await;
        }
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-bench\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("MAIL FROM") || upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO") {
            rcpt = line.trim_end()[8..].trim().trim_matches(['<', '>']).to_string();
            b"250 OK\r\n"
        } else if upper == "DATA" {
            w.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(&line);
            }
            got.add(&rcpt, &data);
            b"250 Queued\r\n"
        } else if upper == "QUIT" {
            return w.write_all(b"221 Bye\r\n").await;
        } else {
            b"502 Unknown\r\n"
        };
        w.write_all(reply).await?;
    }
}

/// A plain HTTP/1.1 gateway: reads each request (headers, `Content-Length` body) and
/// answers 202 with the message recorded, or as the mode says; keeps the connection.
pub async fn gateway_session(sock: TcpStream, mode: Arc<AtomicU8>, got: Received) {
    let _ = gateway_dialogue(sock, mode, got).await;
}

async fn gateway_dialogue(sock: TcpStream, mode: Arc<AtomicU8>, got: Received) -> std::io::Result<()> {
    use tokio::io::AsyncReadExt;
    let (r, mut w) = sock.into_split();
    let mut r = BufReader::new(r);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            if line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        r.read_exact(&mut body).await?;
        let status = match mode.load(Ordering::SeqCst) {
            ACCEPT => {
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                got.add(
                    v["to"].as_str().unwrap_or_default(),
                    v["body"].as_str().unwrap_or_default(),
                );
                "202 Accepted"
            }
            HANG => {
                tokio::time::sleep(Duration::from_secs(70)).await;
                return Ok(());
            }
            REFUSE => return Ok(()),
            _ => "500 Internal Server Error",
        };
        w.write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes())
            .await?;
    }
}

pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}
