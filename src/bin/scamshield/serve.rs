//! `scamshield serve`: the checks over HTTP, for platforms that outgrow in-process use.
//!
//! - `POST /v1/check`: one JSON object with the fields of a `scan` line → the verdict JSON
//!   (with the item's `id` first when it has one); 400 with `{"error":…}` when the body is
//!   not such an object.
//! - `POST /v1/scan`: JSON Lines → JSON Lines, one output line per input line, in order;
//!   a line that cannot be checked gets an `{"id":…,"error":…}` line.
//! - `GET /healthz`: 200 once the detector is loaded and warm.
//! - `GET /metrics`: Prometheus text format.
//!
//! The service keeps no state between requests, so it scales out behind any load balancer.
//! Checks are CPU-bound: they run on tokio's blocking pool, at most `--concurrency` at once;
//! requests beyond that wait, and beyond `--max-queue` waiting requests get 503.

use std::fmt::Write as _;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use scamshield::Detector;
use tokio::sync::Semaphore;

use crate::item::{self, risk_index, Format, Item, Outcome, RISKS};

/// Serves the checks over HTTP until SIGINT or SIGTERM, then finishes the requests in
/// progress and exits.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on (`0.0.0.0:8080` for all interfaces, as in a container).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Largest request body accepted, in bytes; larger ones get 413.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_body_bytes: usize,
    /// Checks run at once (default: one per core).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Requests that may wait for a check slot; more get 503 at once.
    #[arg(long, default_value_t = 1024, value_name = "N")]
    pub max_queue: usize,
}

/// Limits of a running service.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Checks run at once.
    pub concurrency: usize,
    /// Requests that may wait for a check slot.
    pub max_queue: usize,
}

impl Config {
    /// The limits asked for on the command line, with defaults and sane bounds.
    pub fn from_args(args: &ServeArgs) -> Config {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Config {
            max_body_bytes: args.max_body_bytes.max(1),
            concurrency: args.concurrency.unwrap_or(cores).clamp(1, 256),
            max_queue: args.max_queue,
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_body_bytes: 1 << 20,
            concurrency: std::thread::available_parallelism().map_or(1, |n| n.get()),
            max_queue: 1024,
        }
    }
}

/// The route label of a request path in metrics.
#[derive(Debug, Clone, Copy)]
enum Route {
    Check,
    Scan,
    Healthz,
    Metrics,
    Other,
}

const ROUTES: [(Route, &str); 5] = [
    (Route::Check, "/v1/check"),
    (Route::Scan, "/v1/scan"),
    (Route::Healthz, "/healthz"),
    (Route::Metrics, "/metrics"),
    (Route::Other, "other"),
];

impl Route {
    fn of(path: &str) -> Route {
        ROUTES
            .iter()
            .find(|(_, p)| *p == path)
            .map_or(Route::Other, |(r, _)| *r)
    }
}

/// The statuses counted by code; any other is counted as `other`.
const STATUSES: [u16; 10] = [200, 400, 404, 405, 408, 413, 415, 422, 500, 503];
/// Latency histogram bounds, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Default)]
struct RouteMetrics {
    /// Per [`STATUSES`] entry, then `other`.
    by_status: [AtomicU64; STATUSES.len() + 1],
    /// Requests whose latency fell in each bucket (not cumulative).
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

/// Counters for `/metrics`, updated with relaxed atomics.
#[derive(Debug, Default)]
struct Metrics {
    routes: [RouteMetrics; ROUTES.len()],
    /// Verdicts per risk, `none` first.
    verdicts: [AtomicU64; RISKS.len()],
    /// Items that could not be checked (malformed lines, missing payload).
    item_errors: AtomicU64,
    /// Requests turned away because too many were waiting.
    rejected_overload: AtomicU64,
}

impl Metrics {
    fn observe(&self, route: Route, status: u16, took: Duration) {
        let r = &self.routes[route as usize];
        let s = STATUSES
            .iter()
            .position(|&c| c == status)
            .unwrap_or(STATUSES.len());
        r.by_status[s].fetch_add(1, Ordering::Relaxed);
        let secs = took.as_secs_f64();
        if let Some(b) = BUCKETS.iter().position(|&le| secs <= le) {
            r.buckets[b].fetch_add(1, Ordering::Relaxed);
        }
        r.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        r.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn outcome(&self, o: Outcome) {
        match o {
            Outcome::Checked(risk) => {
                self.verdicts[risk_index(risk)].fetch_add(1, Ordering::Relaxed);
            }
            Outcome::Failed => {
                self.item_errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The Prometheus text exposition (format 0.0.4).
    fn render(&self, svc: &Service) -> String {
        let mut out = String::with_capacity(4096);
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP scamshield_http_requests_total HTTP requests by route and status code.\n\
             # TYPE scamshield_http_requests_total counter"
        );
        for (route, name) in ROUTES {
            let r = &self.routes[route as usize];
            for (i, n) in r.by_status.iter().map(load).enumerate() {
                if n == 0 {
                    continue;
                }
                let status = STATUSES
                    .get(i)
                    .map_or_else(|| "other".to_string(), u16::to_string);
                let _ = writeln!(
                    out,
                    "scamshield_http_requests_total{{route=\"{name}\",status=\"{status}\"}} {n}"
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP scamshield_http_request_duration_seconds Time from request to response headers.\n\
             # TYPE scamshield_http_request_duration_seconds histogram"
        );
        for (route, name) in ROUTES {
            let r = &self.routes[route as usize];
            let count = load(&r.count);
            if count == 0 {
                continue;
            }
            let mut cumulative = 0;
            for (le, n) in BUCKETS.iter().zip(r.buckets.iter().map(load)) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "scamshield_http_request_duration_seconds_bucket{{route=\"{name}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "scamshield_http_request_duration_seconds_bucket{{route=\"{name}\",le=\"+Inf\"}} {count}\n\
                 scamshield_http_request_duration_seconds_sum{{route=\"{name}\"}} {}\n\
                 scamshield_http_request_duration_seconds_count{{route=\"{name}\"}} {count}",
                load(&r.sum_micros) as f64 / 1e6
            );
        }
        let _ = writeln!(
            out,
            "# HELP scamshield_verdicts_total Verdicts given, by risk.\n\
             # TYPE scamshield_verdicts_total counter"
        );
        for (risk, n) in RISKS.iter().zip(self.verdicts.iter().map(load)) {
            let _ = writeln!(out, "scamshield_verdicts_total{{risk=\"{risk}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP scamshield_item_errors_total Items that could not be checked (malformed or without payload).\n\
             # TYPE scamshield_item_errors_total counter\n\
             scamshield_item_errors_total {}\n\
             # HELP scamshield_overload_rejections_total Requests answered 503 because too many were waiting.\n\
             # TYPE scamshield_overload_rejections_total counter\n\
             scamshield_overload_rejections_total {}\n\
             # HELP scamshield_requests_waiting Requests waiting for a check slot.\n\
             # TYPE scamshield_requests_waiting gauge\n\
             scamshield_requests_waiting {}\n\
             # HELP scamshield_checks_running Checks running now.\n\
             # TYPE scamshield_checks_running gauge\n\
             scamshield_checks_running {}\n\
             # HELP scamshield_info Versions of the program and of its allowlist data.\n\
             # TYPE scamshield_info gauge\n\
             scamshield_info{{version=\"{}\",data_version=\"{}\"}} 1",
            load(&self.item_errors),
            load(&self.rejected_overload),
            svc.waiting.load(Ordering::Relaxed),
            svc.config
                .concurrency
                .saturating_sub(svc.checks.available_permits()),
            env!("CARGO_PKG_VERSION"),
            svc.detector.data_version().replace(['"', '\\', '\n'], "_"),
        );
        out
    }
}

/// The shared state of a running service.
#[derive(Debug)]
struct Service {
    detector: Detector,
    config: Config,
    metrics: Metrics,
    checks: Arc<Semaphore>,
    waiting: AtomicUsize,
}

/// Decrements the waiting count when a waiting request is done waiting or goes away.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn json_response(status: StatusCode, body: Vec<u8>, content_type: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// `{"error": reason}` with `status`.
fn error(status: StatusCode, reason: &str) -> Response {
    let mut body = Vec::new();
    item::write_error_line(&mut body, Format::Json, None, reason);
    json_response(status, body, "application/json")
}

impl Service {
    /// Runs `f` on the blocking pool once a check slot is free.
    async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Service) -> T + Send + 'static,
    ) -> Result<T, Response> {
        let permit = {
            if self.waiting.fetch_add(1, Ordering::Relaxed) >= self.config.max_queue {
                self.waiting.fetch_sub(1, Ordering::Relaxed);
                self.metrics
                    .rejected_overload
                    .fetch_add(1, Ordering::Relaxed);
                return Err(error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "overloaded: too many requests waiting; retry later",
                ));
            }
            let _waiting = Waiting(&self.waiting);
            Arc::clone(&self.checks).acquire_owned().await
        };
        let Ok(permit) = permit else {
            return Err(error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the service is shutting down",
            ));
        };
        let svc = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let out = f(&svc);
            drop(permit);
            out
        })
        .await
        .map_err(|_| {
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error while checking",
            )
        })
    }
}

fn body_or_error(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Response> {
    body.map_err(|e| error(e.status(), &e.body_text()))
}

async fn check(State(svc): State<Arc<Service>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body_or_error(body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let done = svc
        .blocking(move |svc| {
            let item = match Item::parse(&body) {
                Ok(item) => item,
                Err(e) => return Err(e),
            };
            let verdict = item.check(&svc.detector)?;
            svc.metrics.outcome(Outcome::Checked(verdict.risk));
            let mut out = Vec::new();
            item::write_verdict_json(&mut out, item.id.as_ref(), &verdict);
            out.push(b'\n');
            Ok(out)
        })
        .await;
    match done {
        Ok(Ok(json)) => json_response(StatusCode::OK, json, "application/json"),
        Ok(Err(reason)) => {
            svc.metrics.outcome(Outcome::Failed);
            error(StatusCode::BAD_REQUEST, &reason)
        }
        Err(r) => r,
    }
}

async fn scan(State(svc): State<Arc<Service>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body_or_error(body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let done = svc
        .blocking(move |svc| {
            let mut out = Vec::with_capacity(body.len() * 4);
            let mut lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
            if lines.last().is_some_and(|l| l.is_empty()) {
                lines.pop();
            }
            for (i, line) in lines.into_iter().enumerate() {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let number = i as u64 + 1;
                let o =
                    item::process_json_line(&svc.detector, line, number, Format::Json, &mut out);
                svc.metrics.outcome(o);
            }
            out
        })
        .await;
    match done {
        Ok(lines) => json_response(StatusCode::OK, lines, "application/x-ndjson"),
        Err(r) => r,
    }
}

async fn healthz(State(svc): State<Arc<Service>>) -> Response {
    let body = format!(
        "{{\"status\":\"ok\",\"version\":\"{}\",\"data_version\":{}}}\n",
        env!("CARGO_PKG_VERSION"),
        serde_json::Value::from(svc.detector.data_version())
    );
    json_response(StatusCode::OK, body.into_bytes(), "application/json")
}

async fn metrics(State(svc): State<Arc<Service>>) -> Response {
    let text = svc.metrics.render(&svc);
    json_response(
        StatusCode::OK,
        text.into_bytes(),
        "text/plain; version=0.0.4; charset=utf-8",
    )
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such route: POST /v1/check, POST /v1/scan, GET /healthz, GET /metrics",
    )
}

async fn track(State(svc): State<Arc<Service>>, req: Request, next: Next) -> Response {
    let route = Route::of(req.uri().path());
    let started = Instant::now();
    let response = next.run(req).await;
    svc.metrics
        .observe(route, response.status().as_u16(), started.elapsed());
    response
}

/// The service's routes. `detector` should be warm ([`Detector::warm_up`]).
pub fn router(detector: Detector, config: Config) -> Router {
    let svc = Arc::new(Service {
        detector,
        config,
        metrics: Metrics::default(),
        checks: Arc::new(Semaphore::new(config.concurrency.max(1))),
        waiting: AtomicUsize::new(0),
    });
    Router::new()
        .route("/v1/check", post(check))
        .route("/v1/scan", post(scan))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn_with_state(Arc::clone(&svc), track))
        .with_state(svc)
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in progress
/// finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    eprintln!("scamshield: stopping: finishing the requests in progress");
}

/// Runs the service until a signal stops it. The error is the reason it could not start or
/// stopped early.
pub fn run(args: &ServeArgs, detector: Detector) -> Result<(), String> {
    let config = Config::from_args(args);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("scamshield-serve")
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        detector.warm_up();
        let addr = listener
            .local_addr()
            .map_or_else(|_| args.listen.to_string(), |a| a.to_string());
        eprintln!(
            "scamshield: serving on http://{addr} (data {}, {} checks at once, bodies up to {} bytes)",
            detector.data_version(),
            config.concurrency,
            config.max_body_bytes
        );
        serve(listener, router(detector, config), shutdown_signal())
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    })
}
