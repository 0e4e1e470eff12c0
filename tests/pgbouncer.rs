//! The adapter and `migrate` behind PgBouncer 1.18 in transaction mode (`DATABASE_URL_PGBOUNCER`,
//! 4 server connections, in front of `DATABASE_URL_POSTGRES`; `scripts/test-dbs.sh`).
//!
//! - The ported Auth.js suite (`tests/adapter_suite`: the 22 cases on three schemas, the error
//!   contracts, missing tables), the token race (32 callers, 20 rounds) and the sessions-vs-
//!   `delete_user` race, with every adapter going through PgBouncer in pooler mode on a pool of
//!   16 or 40 connections, more than PgBouncer's 4 server connections. Each test has a database
//!   of its own (PgBouncer does not pass the `options` startup parameter that the direct suite
//!   uses for a `search_path`); the suite's own reads go to the server directly.
//! - Interop: the Node `@auth/kysely-adapter` and `auth_adapter::connect("…?pgbouncer=true")`
//!   read what the other wrote, both through PgBouncer.
//! - `migrate`: through PgBouncer it refuses, with `pgbouncer=true` in the URL and without it
//!   (detected); with `--direct-url` (and `DIRECT_URL`) it migrates while the adapter serves
//!   through PgBouncer.
//!
//! Skipped without `DATABASE_URL_PGBOUNCER` and `DATABASE_URL_POSTGRES` (and Node for the
//! interop test), except under `CI=true`.

// The suite's `adapter_tests!` macro is for the per-dialect binaries.
#[allow(unused_macros, unused_imports)]
mod adapter_suite;
#[allow(unused_macros, unused_imports)]
mod common;
#[path = "support/node.rs"]
mod node;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use auth_adapter::{AccountKey, Adapter, AdapterError};
use auth_query::Postgres;
use auth_schema::kysely::Schema as Kysely;
use auth_schema::snake_case::Schema as SnakeCase;
use auth_schema::{Account, NewUser, NoExtras, Session, User, VerificationToken};
use chrono::{DateTime, Utc};
use common::TestDb;
use serde::{Deserialize, Serialize};

/// PgBouncer's URL, or `None` to skip.
fn pooler_url() -> Option<String> {
    common::database_url("DATABASE_URL_PGBOUNCER")
}

/// `url` with its database (the path) replaced by `name`, and `extra` query parameters.
fn on_database(url: &str, name: &str, extra: &str) -> String {
    let start = url.find("://").map(|i| i + 3).unwrap_or(0);
    let slash = start + url[start..].find('/').expect("a database in the URL");
    let (rest, query) = match url[slash..].find('?') {
        Some(q) => (&url[..slash], &url[slash + q + 1..]),
        None => (&url[..slash], ""),
    };
    let query: Vec<&str> = [query, extra]
        .into_iter()
        .filter(|q| !q.is_empty())
        .collect();
    if query.is_empty() {
        format!("{rest}/{name}")
    } else {
        format!("{rest}/{name}?{}", query.join("&"))
    }
}

/// Runs `f` on a fresh database with the suite's adapters going through PgBouncer, and checks
/// that they did.
async fn through_pooler(f: impl AsyncFnOnce(&TestDb<Postgres>)) {
    let Some(pooler) = pooler_url() else { return };
    adapter_suite::POSTGRES_THROUGH_POOLER.get_or_init(|| pooler);
    let Some(db) = common::connect_fresh_pg_database().await else {
        return;
    };
    let before = adapter_suite::ADAPTERS_THROUGH_POOLER.load(Ordering::Relaxed);
    f(&db).await;
    assert!(
        adapter_suite::ADAPTERS_THROUGH_POOLER.load(Ordering::Relaxed) > before,
        "the suite's adapter did not go through PgBouncer"
    );
    db.close().await;
}

macro_rules! suite {
    ($($name:ident: $scenario:ident::<$schema:ty>),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            through_pooler(async |db| adapter_suite::$scenario::<Postgres, $schema>(db).await).await;
        }
    )*};
}

suite! {
    basic_tests_kysely: basic_tests::<Kysely>,
    basic_tests_snake_case: basic_tests::<SnakeCase>,
    basic_tests_custom_extras: basic_tests::<adapter_suite::custom::Schema>,
    contract_edges_kysely: contract_edges::<Kysely>,
    missing_tables_kysely: missing_tables::<Kysely>,
    concurrent_use_verification_token: concurrent_use_verification_token::<Kysely>,
    concurrent_sessions_vs_delete_user: concurrent_sessions_vs_delete_user::<Kysely>,
}

// ------------------------------------------------------------------------------- interop --

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Objects {
    user: User,
    account: Account,
    session: Session,
    verification_token: VerificationToken,
}

fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Node and Rust, both through PgBouncer, read what the other wrote.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn interop_through_pgbouncer() {
    let Some(node) = node::harness() else { return };
    let Some(pooler) = pooler_url() else { return };
    let Some(db) = common::connect_fresh_pg_database().await else {
        return;
    };
    db.create_schema::<Kysely>().await;
    let name = database_name(&db);
    let node_url = on_database(&pooler, &name, "");
    let rust_url = on_database(&pooler, &name, "pgbouncer=true");
    let adapter = auth_adapter::ConnectOptions::new(&rust_url)
        .max_connections(16)
        .connect::<Kysely>()
        .await
        .unwrap();
    let tmp = node::TempDir::new("authjs-pgbouncer");

    // Node writes; Rust reads.
    let file = tmp.0.join("from-node.json");
    let log = file.with_extension("write");
    node::run(
        &node,
        "interop.mjs",
        &["postgres", &node_url, "write", &file.display().to_string()],
        &log,
    )
    .await;
    let want: Objects = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let ctx = "Node wrote through PgBouncer, Rust read through PgBouncer";
    assert_eq!(
        adapter.get_user(&want.user.id).await.unwrap().as_ref(),
        Some(&want.user),
        "{ctx}: get_user"
    );
    assert_eq!(
        adapter
            .get_user_by_account(AccountKey::from(&want.account))
            .await
            .unwrap()
            .as_ref(),
        Some(&want.user),
        "{ctx}: get_user_by_account"
    );
    assert_eq!(
        adapter
            .get_account(AccountKey::from(&want.account))
            .await
            .unwrap()
            .as_ref(),
        Some(&want.account),
        "{ctx}: get_account"
    );
    assert_eq!(
        adapter
            .get_session_and_user(&want.session.session_token)
            .await
            .unwrap(),
        Some((want.session.clone(), want.user.clone())),
        "{ctx}: get_session_and_user"
    );
    let vt = &want.verification_token;
    assert_eq!(
        adapter
            .use_verification_token(&vt.identifier, &vt.token)
            .await
            .unwrap()
            .as_ref(),
        Some(vt),
        "{ctx}: use_verification_token"
    );
    assert_eq!(
        adapter
            .use_verification_token(&vt.identifier, &vt.token)
            .await
            .unwrap(),
        None,
        "{ctx}: a used token is gone"
    );

    // Rust writes; Node reads (interop.mjs compares field by field and fails on a mismatch).
    let objects = rust_writes(&*adapter).await;
    let file = tmp.0.join("from-rust.json");
    std::fs::write(&file, serde_json::to_string_pretty(&objects).unwrap()).unwrap();
    let out = node::run(
        &node,
        "interop.mjs",
        &["postgres", &node_url, "read", &file.display().to_string()],
        &file.with_extension("read"),
    )
    .await;
    let report: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("interop.mjs read printed no JSON report ({e}):\n{out}"));
    assert_eq!(report["ok"], true, "interop.mjs read: {out}");
    db.close().await;
}

async fn rust_writes(adapter: &dyn Adapter<Kysely>) -> Objects {
    let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let user = adapter
        .create_user(NewUser {
            id: None,
            name: Some(format!("Ada O'Lovelace – ✓ {tag}")),
            email: format!("rust-{tag}@example.com"),
            email_verified: Some(ts("2024-02-29T23:59:59.999Z")),
            image: None,
            extra: NoExtras {},
        })
        .await
        .unwrap();
    let account = adapter
        .link_account(Account {
            user_id: user.id.clone(),
            account_type: "oauth".into(),
            provider: "rust-github".into(),
            provider_account_id: format!("rust-{tag}"),
            refresh_token: Some(format!("ghr_{tag}")),
            access_token: Some(format!("gho_{tag}")),
            expires_at: Some(1_767_225_600),
            token_type: Some("bearer".into()),
            scope: Some("read:user".into()),
            id_token: None,
            session_state: None,
            extra: NoExtras {},
        })
        .await
        .unwrap();
    let session = adapter
        .create_session(Session {
            user_id: user.id.clone(),
            session_token: format!("rust-session-{tag}"),
            expires: ts("2032-12-31T23:59:59.001Z"),
            extra: NoExtras {},
        })
        .await
        .unwrap();
    let verification_token = adapter
        .create_verification_token(VerificationToken {
            identifier: user.email.clone(),
            token: format!("rust-token-{tag}"),
            expires: ts("2032-01-02T03:04:05Z"),
            extra: NoExtras {},
        })
        .await
        .unwrap();
    Objects {
        user,
        account,
        session,
        verification_token,
    }
}

// ------------------------------------------------------------------------------- migrate --

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

/// The name of a test database.
fn database_name(db: &TestDb<Postgres>) -> String {
    db.pool()
        .connect_options()
        .get_database()
        .unwrap()
        .to_owned()
}

/// `migrate` through PgBouncer refuses, whether the URL says `pgbouncer=true` or not.
#[tokio::test]
async fn migrate_refuses_the_pooler() {
    let Some(pooler) = pooler_url() else { return };
    let Some(db) = common::connect_fresh_pg_database().await else {
        return;
    };
    let name = database_name(&db);
    for (url, why) in [
        (
            on_database(&pooler, &name, "pgbouncer=true"),
            "pgbouncer=true",
        ),
        (on_database(&pooler, &name, ""), "transaction-mode pooler"),
    ] {
        let mut out = Vec::new();
        let started = std::time::Instant::now();
        let e = auth_migrate::cli::run::<Kysely>(
            &args(&["up"]),
            &url,
            &auth_migrate::cli::Options::stock(),
            &mut out,
        )
        .await
        .expect_err("migrate through PgBouncer");
        let message = e.to_string();
        eprintln!("migrate through PgBouncer ({why}): {message}");
        assert_eq!(e.exit_code(), 1);
        assert!(
            message.contains(why)
                && message.contains("--direct-url")
                && message.contains("DIRECT_URL")
                && !message.contains("authjs_pw"),
            "{message}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
    // Nothing was created.
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(tables, 0);
    db.close().await;
}

/// With a direct URL, `migrate` applies the migrations while the adapter serves through
/// PgBouncer (`DATABASE_URL` is the pooler's, `--direct-url` the server's), and the adapter then
/// works on the migrated tables.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrate_with_a_direct_url_while_the_adapter_runs_through_the_pooler() {
    let Some(pooler) = pooler_url() else { return };
    let Some(direct) = common::database_url("DATABASE_URL_POSTGRES") else {
        return;
    };
    let Some(db) = common::connect_fresh_pg_database().await else {
        return;
    };
    let name = database_name(&db);
    let pooled_url = on_database(&pooler, &name, "pgbouncer=true");
    let direct_url = on_database(&direct, &name, "");

    // The service's adapter, through the pooler, already serving (a table of the application
    // lives next to where the Auth.js ones will be).
    sqlx::raw_sql("CREATE TABLE app_probe (id int PRIMARY KEY)")
        .execute(db.pool())
        .await
        .unwrap();
    let adapter = auth_adapter::connect::<Kysely>(&pooled_url).await.unwrap();
    assert!(matches!(
        adapter.get_user_by_email("nobody@example.com").await,
        Err(AdapterError::MissingTable { .. })
    ));
    // Calls keep going while migrate runs.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let (adapter, stop) = (adapter.clone(), stop.clone());
        tokio::spawn(async move {
            let mut served = 0u32;
            while !stop.load(Ordering::Relaxed) {
                match adapter.get_user_by_email("nobody@example.com").await {
                    Ok(None) | Err(AdapterError::MissingTable { .. }) => served += 1,
                    other => panic!("through the pooler during the migration: {other:?}"),
                }
            }
            served
        })
    };

    // The service's environment: DATABASE_URL through the pooler; migrate gets --direct-url.
    let mut out = Vec::new();
    let code = auth_migrate::cli::run::<Kysely>(
        &args(&["up", "--direct-url", &direct_url]),
        &pooled_url,
        &auth_migrate::cli::Options::stock(),
        &mut out,
    )
    .await
    .unwrap_or_else(|e| panic!("migrate --direct-url: {e}"));
    let report = String::from_utf8_lossy(&out);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("applied 0001_auth_schema"), "{report}");
    let mut out = Vec::new();
    let code = auth_migrate::cli::run::<Kysely>(
        &args(&["status", "--check", "--direct-url", &direct_url]),
        &pooled_url,
        &auth_migrate::cli::Options::stock(),
        &mut out,
    )
    .await
    .unwrap();
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    stop.store(true, Ordering::Relaxed);
    let served = load.await.expect("the load task panicked");
    assert!(served > 0);

    // The adapter, through the pooler, on the migrated tables.
    let user = adapter
        .create_user(NewUser {
            id: None,
            name: None,
            email: "after-migrate@example.com".into(),
            email_verified: None,
            image: None,
            extra: NoExtras {},
        })
        .await
        .unwrap();
    assert_eq!(
        adapter
            .get_user_by_email("after-migrate@example.com")
            .await
            .unwrap(),
        Some(user)
    );
    eprintln!("{served} calls served through PgBouncer while migrate ran on the direct URL");
    db.close().await;
}
