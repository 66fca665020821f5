//! The receivers the delivery tests send to: a real SMTP listener and a real HTTP SMS
//! gateway, each on port 0, keeping what they were sent.

use app::server::notify::{Delivery, SmsGateway};
use axum::http::{HeaderMap, StatusCode};

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------- SMTP listener

#[derive(Debug, Clone, Default)]
pub(crate) struct Mail {
    pub(crate) mail_from: String,
    pub(crate) rcpt_to: Vec<String>,
    pub(crate) auth: Option<String>,
    pub(crate) data: String,
}

/// A minimal SMTP server that accepts everything and keeps each message's DATA.
pub(crate) struct SmtpSink {
    pub(crate) addr: SocketAddr,
    pub(crate) mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    pub(crate) async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mails: Arc<Mutex<Vec<Mail>>> = Arc::default();
        let store = Arc::clone(&mails);
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(smtp_session(sock, Arc::clone(&store)));
            }
        });
        SmtpSink { addr, mails }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub(crate) fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

async fn smtp_session(sock: TcpStream, store: Arc<Mutex<Vec<Mail>>>) -> std::io::Result<()> {
    let (r, mut w) = sock.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut mail = Mail::default();
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250-AUTH PLAIN\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if upper.starts_with("AUTH") {
            mail.auth = Some(cmd.clone());
            b"235 2.7.0 Authentication successful\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            mail.mail_from = cmd[10..].trim().to_string();
            b"250 2.1.0 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            mail.rcpt_to.push(cmd[8..].trim().to_string());
            b"250 2.1.5 OK\r\n"
        } else if upper == "DATA" {
            w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Undo dot-stuffing.
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            mail.data = data;
            let auth = mail.auth.clone();
            store.lock().unwrap().push(std::mem::take(&mut mail));
            mail.auth = auth;
            b"250 2.0.0 Queued\r\n"
        } else if upper == "QUIT" {
            w.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else {
            b"502 5.5.2 Command not recognized\r\n"
        };
        w.write_all(reply).await?;
    }
}

// ---------------------------------------------------------------- SMS gateway

#[derive(Debug, Clone)]
pub(crate) struct Sms {
    pub(crate) authorization: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) json: serde_json::Value,
}

#[derive(Clone, Default)]
pub(crate) struct GatewayState {
    pub(crate) received: Arc<Mutex<Vec<Sms>>>,
    /// Answer 500 to this many more requests.
    pub(crate) fail_next: Arc<AtomicUsize>,
}

pub(crate) struct GatewaySink {
    pub(crate) addr: SocketAddr,
    pub(crate) state: GatewayState,
}

impl GatewaySink {
    pub(crate) async fn start() -> GatewaySink {
        async fn receive(
            axum::extract::State(s): axum::extract::State<GatewayState>,
            headers: HeaderMap,
            body: String,
        ) -> StatusCode {
            let header = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).map(str::to_string);
            s.received.lock().unwrap().push(Sms {
                authorization: header("authorization"),
                content_type: header("content-type"),
                json: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
            });
            let failing = s
                .fail_next
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if failing {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::ACCEPTED
            }
        }
        let state = GatewayState::default();
        let app = axum::Router::new()
            .route("/v1/sms", axum::routing::post(receive))
            .with_state(state.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        GatewaySink { addr, state }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}/v1/sms", self.addr)
    }

    pub(crate) fn received(&self) -> Vec<Sms> {
        self.state.received.lock().unwrap().clone()
    }
}

pub(crate) fn sms_delivery(gw: &GatewaySink, token: Option<&str>) -> Delivery {
    Delivery::dev_inbox_only().with_sms_gateway(SmsGateway::new(&gw.url(), token).unwrap())
}
