//! The HTTP service end to end, in process on loopback: verdicts, bad bodies, health,
//! metrics, a bounded concurrent load (requests/s and latency percentiles are printed, not
//! asserted) and graceful shutdown. A small HTTP/1.1 client over `TcpStream` talks to it.
#![cfg(feature = "serve")]

#[allow(dead_code)]
#[path = "../src/bin/scamshield/item.rs"]
mod item;
#[allow(dead_code)]
#[path = "../src/bin/scamshield/serve.rs"]
mod serve;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use scamshield::{Detector, Risk, Verdict};

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        stream.set_nodelay(true).expect("nodelay");
        let writer = stream.try_clone().expect("clone");
        Client {
            reader: BufReader::new(stream),
            writer,
        }
    }

    fn send(&mut self, method: &str, path: &str, body: &[u8]) {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        // The server may answer (413) and close before it has read all of a large body.
        let _ = self.writer.write_all(&request);
    }

    fn read_reply(&mut self) -> Reply {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {line:?}"));
        let mut length = None;
        let mut chunked = false;
        let mut content_type = String::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').expect("header line");
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "content-type" => content_type = value.to_string(),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line).expect("chunk size");
                let size = usize::from_str_radix(line.trim(), 16).expect("chunk size");
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk).expect("chunk");
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.reader.read_exact(&mut body).expect("body");
        }
        Reply {
            status,
            content_type,
            body: String::from_utf8(body).expect("UTF-8 body"),
        }
    }

    fn request(&mut self, method: &str, path: &str, body: &[u8]) -> Reply {
        self.send(method, path, body);
        self.read_reply()
    }
}

fn verdict(reply: &Reply) -> Verdict {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut value: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
    if let Some(o) = value.as_object_mut() {
        o.remove("id");
    }
    serde_json::from_value(value).expect("a verdict")
}

fn error_of(reply: &Reply) -> String {
    let value: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
    value["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {}", reply.body))
        .to_string()
}

#[test]
fn service_end_to_end() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let detector = Detector::new().expect("detector");
    detector.warm_up();
    let config = serve::Config {
        max_body_bytes: 64 << 10,
        concurrency: 2,
        max_queue: 1024,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(serve::serve(
        listener,
        serve::router(detector, config),
        async {
            let _ = stopped.await;
        },
    ));

    let mut c = Client::connect(addr);

    // Verdicts.
    let r = c.request(
        "POST",
        "/v1/check",
        br#"{"id":"m1","text":"MetaMask support: call +1-844-209-3351"}"#,
    );
    assert!(r.content_type.starts_with("application/json"));
    assert!(r.body.starts_with(r#"{"id":"m1","risk":"#), "{}", r.body);
    assert!(verdict(&r).risk >= Risk::Medium, "{}", r.body);
    let r = c.request("POST", "/v1/check", br#"{"text":"see you at lunch"}"#);
    assert_eq!(verdict(&r).risk, Risk::None, "{}", r.body);
    let r = c.request(
        "POST",
        "/v1/check",
        r#"{"phone":"95017","brand":"微信支付","region":"CN"}"#.as_bytes(),
    );
    let v = verdict(&r);
    assert_eq!(v.official_brand.as_deref(), Some("wechat-pay"));
    let r = c.request(
        "POST",
        "/v1/check",
        br#"{"domain":"paypal.com.secure-login.xyz"}"#,
    );
    assert!(verdict(&r).risk >= Risk::High, "{}", r.body);

    // A batch: one line out per line in, in order, bad lines reported.
    let r = c.request(
        "POST",
        "/v1/scan",
        b"{\"id\":1,\"text\":\"see you at lunch\"}\r\nnot json\n{\"id\":3,\"phone\":\"+1-812-223-9376\",\"brand\":\"MetaMask\"}\n{\"id\":4}\n",
    );
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("application/x-ndjson"));
    let lines: Vec<serde_json::Value> = r
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 4, "{}", r.body);
    assert_eq!(lines[0]["risk"], "none");
    assert_eq!(lines[1]["id"], 2);
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], 3);
    assert_eq!(lines[2]["risk"], "critical");
    assert!(lines[3]["error"]
        .as_str()
        .is_some_and(|e| e.contains("no text")));
    let r = c.request("POST", "/v1/scan", b"");
    assert_eq!((r.status, r.body.as_str()), (200, ""));

    // Malformed bodies: 400 with a reason, and the connection stays usable.
    for body in [
        &b"not json"[..],
        b"[1,2,3]",
        b"{\"text\":5}",
        b"{\"id\":\"no payload\"}",
        b"{\"text\":\"a\"} {\"text\":\"b\"}",
        b"",
        b"{\"text\":\"\xff\xfe\"}",
    ] {
        let r = c.request("POST", "/v1/check", body);
        assert_eq!(
            r.status,
            400,
            "{:?}: {}",
            String::from_utf8_lossy(body),
            r.body
        );
        assert!(!error_of(&r).is_empty());
    }
    let r = c.request("GET", "/v1/check", b"");
    assert_eq!(r.status, 405);
    let r = c.request("GET", "/nowhere", b"");
    assert_eq!(r.status, 404);
    assert!(error_of(&r).contains("/v1/check"));

    // Oversized bodies: 413 with a reason, on a connection of their own.
    let big = format!(r#"{{"text":"{}"}}"#, "a".repeat(100 << 10));
    for path in ["/v1/check", "/v1/scan"] {
        let mut own = Client::connect(addr);
        let r = own.request("POST", path, big.as_bytes());
        assert_eq!(r.status, 413, "{path}: {}", r.body);
        assert!(error_of(&r).contains("limit"), "{}", r.body);
    }

    // Health.
    let r = c.request("GET", "/healthz", b"");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("\"status\":\"ok\""));

    // A bounded concurrent load: 8 clients × 200 requests.
    const CLIENTS: usize = 8;
    const REQUESTS: usize = 200;
    let bodies = [
        r#"{"text":"MetaMask support: call +1-844-209-3351"}"#,
        r#"{"text":"see you at lunch"}"#,
        r#"{"text":"PayPal Support: your account is locked. Call +1 (888) 555-0199 now"}"#,
        r#"{"phone":"+1-812-223-9376","brand":"MetaMask"}"#,
        r#"{"url":"https://paypal.com.secure-login.xyz/"}"#,
        r#"{"email":"\"PayPal Service\" <paypal.support.team@gmail.com>"}"#,
    ];
    let started = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|k| {
                s.spawn(move || {
                    let mut c = Client::connect(addr);
                    let mut took = Vec::with_capacity(REQUESTS);
                    for i in 0..REQUESTS {
                        let body = bodies[(i + k) % bodies.len()];
                        let t = Instant::now();
                        let r = c.request("POST", "/v1/check", body.as_bytes());
                        took.push(t.elapsed());
                        assert_eq!(r.status, 200, "{}", r.body);
                    }
                    took
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("client thread"))
            .collect()
    });
    let wall = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "serve load: {} requests from {CLIENTS} clients in {:.2} s: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3,
    );

    // Metrics reflect what happened.
    let r = c.request("GET", "/metrics", b"");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/plain"));
    let m = &r.body;
    let value = |series: &str| -> u64 {
        m.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {series} in\n{m}"))
    };
    let checked = value(r#"scamshield_http_requests_total{route="/v1/check",status="200"}"#);
    assert_eq!(checked, 4 + (CLIENTS * REQUESTS) as u64);
    assert_eq!(
        value(r#"scamshield_http_requests_total{route="/v1/check",status="400"}"#),
        7
    );
    assert_eq!(
        value(r#"scamshield_http_requests_total{route="/v1/check",status="413"}"#),
        1
    );
    assert_eq!(
        value(r#"scamshield_http_requests_total{route="other",status="404"}"#),
        1
    );
    assert_eq!(
        value(r#"scamshield_http_request_duration_seconds_count{route="/v1/check"}"#),
        checked + 7 + 1 + 1
    );
    assert_eq!(
        value(r#"scamshield_http_request_duration_seconds_bucket{route="/v1/check",le="+Inf"}"#),
        checked + 7 + 1 + 1
    );
    assert!(value(r#"scamshield_verdicts_total{risk="critical"}"#) >= 1);
    assert!(value(r#"scamshield_verdicts_total{risk="none"}"#) >= 2);
    assert!(m.contains("# TYPE scamshield_http_request_duration_seconds histogram"));
    for line in m.lines().filter(|l| !l.starts_with('#')) {
        let (_, number) = line.rsplit_once(' ').expect("series value");
        assert!(number.parse::<f64>().is_ok(), "{line}");
    }

    // Graceful shutdown: the server stops and no longer accepts connections.
    drop(c);
    stop.send(()).expect("server running");
    runtime
        .block_on(server)
        .expect("server task")
        .expect("server result");
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err());
}
