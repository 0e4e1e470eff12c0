//! Running the Node side of the cross-language tests (`tests/node`: `@auth/kysely-adapter` on
//! the same database), and the URLs under which Node reaches a test's own namespace.
//!
//! Needs `node` on PATH and `tests/node/node_modules` (`cd tests/node && npm ci`;
//! `scripts/test.sh` does it). Without them a test prints a skip notice and passes, except with
//! `CI=true`, where it fails.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one `node` run may take.
pub const NODE_TIMEOUT: Duration = Duration::from_secs(120);

pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// `tests/node`, with `node` runnable and its packages installed; `None` (after a notice) to skip.
/// Panics instead of skipping under `CI=true`.
pub fn harness() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("node");
    let problem = match Command::new("node").arg("--version").output() {
        Err(e) => Some(format!(
            "`node` cannot be run ({e}); install Node.js 20 or later"
        )),
        Ok(out) if !out.status.success() => Some(format!(
            "`node --version` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Ok(_) if !dir.join("node_modules").is_dir() => Some(format!(
            "{} is missing; run `npm ci` in tests/node (scripts/test.sh does)",
            dir.join("node_modules").display()
        )),
        Ok(_) if !dir.join("node_modules/@auth/kysely-adapter").is_dir() => Some(format!(
            "@auth/kysely-adapter is not installed in {}; run `npm ci` in tests/node",
            dir.join("node_modules").display()
        )),
        Ok(_) => None,
    };
    match problem {
        None => Some(dir),
        Some(p) if is_ci() => {
            panic!("the Node tests cannot run, and CI=true: they must not be skipped in CI.\n  {p}")
        }
        Some(p) => {
            eprintln!("SKIPPED: Node test: {p}");
            None
        }
    }
}

/// `url` with its password replaced by `****`, for messages.
pub fn mask(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}****{}", &url[..scheme + 3 + colon + 1], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Runs `node <dir>/<script> <args...>` with `TZ=Pacific/Chatham` (a date handled in local time
/// anywhere shows as a mismatch); its output goes to `<log>.stdout` / `<log>.stderr`. Panics with
/// that output unless it exits 0 within [`NODE_TIMEOUT`]; returns its stdout.
pub async fn run(dir: &Path, script: &str, args: &[&str], log: &Path) -> String {
    let (dir, script, log) = (dir.to_path_buf(), script.to_string(), log.to_path_buf());
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        // Output goes to files, so a chatty child can never block on a full pipe.
        let out_path = log.with_extension("stdout");
        let err_path = log.with_extension("stderr");
        let mut child = Command::new("node")
            .arg(dir.join(&script))
            .args(&args)
            .current_dir(&dir)
            .env("TZ", "Pacific/Chatham")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out_path).expect("a stdout file"))
            .stderr(std::fs::File::create(&err_path).expect("a stderr file"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node: {e}"));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("waiting for node") {
                break Some(status);
            }
            if started.elapsed() > NODE_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(25));
        };
        let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
        let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
        let shown: Vec<String> = args.iter().map(|a| mask(a)).collect();
        let command = format!("node tests/node/{script} {}", shown.join(" "));
        match status {
            Some(s) if s.success() => stdout,
            Some(s) => panic!(
                "`{command}` failed ({s}):\n--- stderr\n{stderr}\n--- stdout\n{stdout}"
            ),
            None => panic!(
                "`{command}` did not finish within {NODE_TIMEOUT:?}:\n--- stderr\n{stderr}\n--- stdout\n{stdout}"
            ),
        }
    })
    .await
    .expect("the node runner thread")
}

/// A temporary directory for the files exchanged with Node, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Appends `key=value` to a URL's query string.
pub fn with_query_param(url: &str, key: &str, value: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{key}={value}")
}

/// The file of the pool's SQLite database, as Node opens it (with libsql).
pub async fn sqlite_url(pool: &sqlx::SqlitePool) -> String {
    let (_, _, file): (i64, String, String) = sqlx::query_as("PRAGMA database_list")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(!file.is_empty(), "the SQLite test database is a file");
    file
}

/// `DATABASE_URL_POSTGRES` with the pool's schema as the search path, the way libpq takes it:
/// `options=-c search_path=...`.
pub async fn postgres_url(pool: &sqlx::PgPool) -> String {
    let schema: String = sqlx::query_scalar("SELECT current_schema()")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(
        schema.starts_with("t_"),
        "the test runs in a fresh schema, not `{schema}`"
    );
    let base = std::env::var("DATABASE_URL_POSTGRES").unwrap();
    with_query_param(&base, "options", &format!("-c%20search_path%3D{schema}"))
}

/// `DATABASE_URL_MYSQL` with the pool's database in place of the URL's path.
pub async fn mysql_url(pool: &sqlx::MySqlPool) -> String {
    let name: String = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(pool)
        .await
        .unwrap();
    let base = std::env::var("DATABASE_URL_MYSQL").unwrap();
    let (without_query, query) = match base.split_once('?') {
        Some((u, q)) => (u, format!("?{q}")),
        None => (base.as_str(), String::new()),
    };
    let authority_end = without_query
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| without_query[start..].find('/').map(|j| start + j))
        .unwrap_or(without_query.len());
    format!("{}/{name}{query}", &without_query[..authority_end])
}
