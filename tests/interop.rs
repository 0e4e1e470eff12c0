//! Interop with the real Node `@auth/kysely-adapter`, on all three dialects.
//!
//! Each test creates the Kysely-named tables with our DDL (`create_schema::<kysely::Schema>`) in
//! a namespace of its own, then:
//!
//! 1. runs `node tests/node/interop.mjs <dialect> <url> write <file>`: the Kysely adapter creates a
//!    user, an account, a session and a verification token, and writes them to a JSON file;
//! 2. reads each back through `SqlAdapter<D, kysely::Schema>` and compares field by field (dates
//!    to the millisecond, `expires_at` as integer seconds, ids as lower-case UUID v4 strings);
//! 3. writes a user, account, session and token with `SqlAdapter`, and runs `interop.mjs ... read`,
//!    which reads them back through the Kysely adapter (`getUser`, `getUserByAccount`,
//!    `getSessionAndUser`, `useVerificationToken`, ...) and fails with a diff on any mismatch.
//!
//! Node runs with `TZ=Pacific/Chatham` (UTC+12:45/+13:45), so any date written or read in the
//! Node process's local time shows up as a mismatch. On MySQL the harness configures mysql2 with
//! `timezone: 'Z'`: the Rust side stores `DATETIME(3)` as UTC, and a Node app sharing the database
//! must do the same (or run with `TZ=UTC`).
//!
//! Needs `node` on PATH and `tests/node/node_modules` (`cd tests/node && npm ci`; `scripts/test.sh`
//! does it). Without them, or without `DATABASE_URL_POSTGRES` / `DATABASE_URL_MYSQL`, a test prints
//! a skip notice and passes, except with `CI=true`, where it fails.

#[allow(unused_macros, unused_imports)]
mod common;
#[path = "support/node.rs"]
mod node;

use std::path::Path;

use auth_adapter::{AccountKey, AdapterDialect, SqlAdapter};
use auth_query::{MySql, Postgres, Sqlite};
use auth_schema::kysely::Schema;
use auth_schema::{Account, NewUser, NoExtras, Session, User, VerificationToken};
use chrono::{DateTime, Utc};
use common::{TestDb, TestDialect};
use serde::{Deserialize, Serialize};

/// The objects exchanged with `interop.mjs` (Auth.js JSON field names, dates as ISO strings).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Objects {
    user: User,
    account: Account,
    session: Session,
    verification_token: VerificationToken,
}

/// Runs `node interop.mjs <dialect> <url> <mode> <file>`; panics with its output unless it exits 0.
/// Returns its stdout.
async fn run_node(dir: &Path, dialect: &str, url: &str, mode: &str, file: &Path) -> String {
    let log = file.with_extension(mode);
    let file = file.display().to_string();
    node::run(dir, "interop.mjs", &[dialect, url, mode, &file], &log).await
}

fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A lower-case, hyphenated UUID v4, as `crypto.randomUUID()` makes them.
fn assert_uuid_v4(id: &str, what: &str) {
    let parsed =
        uuid::Uuid::parse_str(id).unwrap_or_else(|e| panic!("{what} `{id}` is not a UUID: {e}"));
    assert_eq!(
        parsed.get_version_num(),
        4,
        "{what} `{id}` is not a UUID v4"
    );
    assert_eq!(
        parsed.hyphenated().to_string(),
        id,
        "{what} `{id}` is not lower-case hyphenated"
    );
}

fn assert_user_eq(got: &User, want: &User, context: &str) {
    assert_eq!(got.id, want.id, "{context}: id");
    assert_eq!(got.name, want.name, "{context}: name");
    assert_eq!(got.email, want.email, "{context}: email");
    assert_eq!(
        got.email_verified, want.email_verified,
        "{context}: emailVerified (to the millisecond)"
    );
    assert_eq!(got.image, want.image, "{context}: image");
    assert_eq!(got, want, "{context}: whole user");
}

fn assert_account_eq(got: &Account, want: &Account, context: &str) {
    assert_eq!(got.user_id, want.user_id, "{context}: userId");
    assert_eq!(got.account_type, want.account_type, "{context}: type");
    assert_eq!(got.provider, want.provider, "{context}: provider");
    assert_eq!(
        got.provider_account_id, want.provider_account_id,
        "{context}: providerAccountId"
    );
    assert_eq!(
        got.refresh_token, want.refresh_token,
        "{context}: refresh_token"
    );
    assert_eq!(
        got.access_token, want.access_token,
        "{context}: access_token"
    );
    assert_eq!(
        got.expires_at, want.expires_at,
        "{context}: expires_at (integer Unix seconds)"
    );
    assert_eq!(got.token_type, want.token_type, "{context}: token_type");
    assert_eq!(got.scope, want.scope, "{context}: scope");
    assert_eq!(got.id_token, want.id_token, "{context}: id_token");
    assert_eq!(
        got.session_state, want.session_state,
        "{context}: session_state"
    );
    assert_eq!(got, want, "{context}: whole account");
}

fn assert_session_eq(got: &Session, want: &Session, context: &str) {
    assert_eq!(got.user_id, want.user_id, "{context}: userId");
    assert_eq!(
        got.session_token, want.session_token,
        "{context}: sessionToken"
    );
    assert_eq!(
        got.expires, want.expires,
        "{context}: expires (to the millisecond)"
    );
    assert_eq!(got, want, "{context}: whole session");
}

fn assert_token_eq(got: &VerificationToken, want: &VerificationToken, context: &str) {
    assert_eq!(got.identifier, want.identifier, "{context}: identifier");
    assert_eq!(got.token, want.token, "{context}: token");
    assert_eq!(
        got.expires, want.expires,
        "{context}: expires (to the millisecond)"
    );
    assert_eq!(got, want, "{context}: whole verification token");
}

/// Node writes with the Kysely adapter; Rust reads with `SqlAdapter`.
async fn node_writes_rust_reads<D>(
    adapter: &SqlAdapter<D, Schema>,
    node: &Path,
    dialect: &str,
    url: &str,
    tmp: &Path,
) where
    D: AdapterDialect,
{
    let file = tmp.join("from-node.json");
    run_node(node, dialect, url, "write", &file).await;
    let json = std::fs::read_to_string(&file).expect("interop.mjs wrote its file");
    let want: Objects = serde_json::from_str(&json).unwrap_or_else(|e| {
        panic!("interop.mjs wrote JSON that is not our row types: {e}\n{json}")
    });

    // The values Node wrote, as the JSON says (a check on the harness itself).
    assert_uuid_v4(&want.user.id, "the Node user id");
    assert_eq!(
        want.user.email_verified,
        Some(ts("2024-02-29T23:59:59.987Z"))
    );
    assert_eq!(want.account.expires_at, Some(1_893_456_000));
    assert_eq!(want.session.expires, ts("2031-05-06T07:08:09.123Z"));
    assert_eq!(
        want.verification_token.expires,
        ts("2031-05-06T07:08:09.456Z")
    );

    let ctx = format!("{dialect}: Node wrote, Rust read");
    let user = adapter.get_user(&want.user.id).await.unwrap();
    let user = user.unwrap_or_else(|| panic!("{ctx}: get_user found no user {}", want.user.id));
    assert_uuid_v4(&user.id, "the user id read by Rust");
    assert_user_eq(&user, &want.user, &format!("{ctx}: get_user"));

    let by_email = adapter.get_user_by_email(&want.user.email).await.unwrap();
    assert_user_eq(
        &by_email.unwrap_or_else(|| panic!("{ctx}: get_user_by_email found nothing")),
        &want.user,
        &format!("{ctx}: get_user_by_email"),
    );

    let by_account = adapter
        .get_user_by_account(AccountKey::from(&want.account))
        .await
        .unwrap();
    assert_user_eq(
        &by_account.unwrap_or_else(|| panic!("{ctx}: get_user_by_account found nothing")),
        &want.user,
        &format!("{ctx}: get_user_by_account"),
    );

    let account = adapter
        .get_account(AccountKey::new(
            &want.account.provider,
            &want.account.provider_account_id,
        ))
        .await
        .unwrap();
    assert_account_eq(
        &account.unwrap_or_else(|| panic!("{ctx}: get_account found nothing")),
        &want.account,
        &format!("{ctx}: get_account"),
    );

    let (session, session_user) = adapter
        .get_session_and_user(&want.session.session_token)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{ctx}: get_session_and_user found nothing"));
    assert_session_eq(
        &session,
        &want.session,
        &format!("{ctx}: get_session_and_user"),
    );
    assert_user_eq(
        &session_user,
        &want.user,
        &format!("{ctx}: get_session_and_user"),
    );

    let token = adapter
        .use_verification_token(
            &want.verification_token.identifier,
            &want.verification_token.token,
        )
        .await
        .unwrap();
    assert_token_eq(
        &token.unwrap_or_else(|| panic!("{ctx}: use_verification_token found nothing")),
        &want.verification_token,
        &format!("{ctx}: use_verification_token"),
    );
    let again = adapter
        .use_verification_token(
            &want.verification_token.identifier,
            &want.verification_token.token,
        )
        .await
        .unwrap();
    assert_eq!(again, None, "{ctx}: a used token is gone");
}

/// Rust writes with `SqlAdapter`; Node reads with the Kysely adapter and compares.
async fn rust_writes_node_reads<D>(
    adapter: &SqlAdapter<D, Schema>,
    node: &Path,
    dialect: &str,
    url: &str,
    tmp: &Path,
) where
    D: AdapterDialect,
{
    let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let user = adapter
        .create_user(NewUser {
            id: None,
            name: Some(format!("Ada \"Rust\" O'Lovelace – ✓ {tag}")),
            email: format!("rust-{tag}@example.com"),
            email_verified: Some(ts("2024-02-29T23:59:59.999Z")),
            image: Some("https://example.com/rust.png".into()),
            extra: NoExtras {},
        })
        .await
        .unwrap();
    assert_uuid_v4(&user.id, "the id create_user generated");
    let account = adapter
        .link_account(Account {
            user_id: user.id.clone(),
            account_type: "oauth".into(),
            provider: "rust-github".into(),
            provider_account_id: format!("rust-{tag}"),
            refresh_token: Some(format!("ghr_refresh_{tag}")),
            access_token: Some(format!("gho_access_{tag}")),
            expires_at: Some(1_767_225_600), // 2026-01-01T00:00:00Z
            token_type: Some("bearer".into()),
            scope: Some("read:user user:email".into()),
            id_token: Some(format!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJydXN0In0.{tag}")),
            session_state: Some(format!("rust-state-{tag}")),
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
    // Whole seconds: chrono writes no fraction, Date.toISOString() writes `.000`.
    let verification_token = adapter
        .create_verification_token(VerificationToken {
            identifier: user.email.clone(),
            token: format!("rust-token-{tag}"),
            expires: ts("2032-01-02T03:04:05Z"),
            extra: NoExtras {},
        })
        .await
        .unwrap();

    let objects = Objects {
        user,
        account,
        session,
        verification_token,
    };
    let file = tmp.join("from-rust.json");
    std::fs::write(&file, serde_json::to_string_pretty(&objects).unwrap()).unwrap();
    let out = run_node(node, dialect, url, "read", &file).await;
    let report: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("interop.mjs read printed no JSON report ({e}):\n{out}"));
    assert_eq!(report["ok"], true, "interop.mjs read: {out}");
    if let Some(notes) = report["notes"].as_array().filter(|n| !n.is_empty()) {
        eprintln!("{dialect}: notes from the Node side: {notes:?}");
    }

    // After Node's useVerificationToken, Rust sees the token gone too.
    let gone = adapter
        .use_verification_token(
            &objects.verification_token.identifier,
            &objects.verification_token.token,
        )
        .await
        .unwrap();
    assert_eq!(
        gone, None,
        "{dialect}: Node's useVerificationToken deleted the row"
    );
}

/// The whole exchange on one isolated database (the caller then checks raw storage and closes it).
async fn interop<D>(db: &TestDb<D>, node: &Path, dialect: &str, url: &str)
where
    D: TestDialect + AdapterDialect<Database = <D as TestDialect>::Db>,
{
    db.create_schema::<Schema>().await;
    let adapter = SqlAdapter::<D, Schema>::new(db.pool().clone());
    let tmp = node::TempDir::new("authjs-interop");
    node_writes_rust_reads(&adapter, node, dialect, url, &tmp.0).await;
    rust_writes_node_reads(&adapter, node, dialect, url, &tmp.0).await;
}

/// The session expiries as stored, as `(token prefix, stored text)`, ordered node first: both
/// sides must have stored the same physical format.
const SESSION_EXPIRES: [(&str, &str); 2] = [
    ("node-session-", "2031-05-06T07:08:09.123Z"),
    ("rust-session-", "2032-12-31T23:59:59.001Z"),
];

#[tokio::test]
async fn sqlite_interop() {
    let Some(node) = node::harness() else { return };
    let Some(db) = common::connect::<Sqlite>().await else {
        return;
    };
    // The test's own temporary file: Node opens the same file with libsql.
    let file = node::sqlite_url(db.pool()).await;
    interop(&db, &node, "sqlite", &file).await;
    // Both sides store dates as `Date.toISOString()` text (3 fractional digits, `Z`).
    for (prefix, want) in SESSION_EXPIRES {
        let (ty, text): (String, String) = sqlx::query_as(
            r#"SELECT typeof("expires"), "expires" FROM "Session" WHERE "sessionToken" LIKE ? || '%'"#,
        )
        .bind(prefix)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            (ty.as_str(), text.as_str()),
            ("text", want),
            "stored Session.expires of {prefix}*"
        );
    }
    let (ty, text): (String, String) = sqlx::query_as(
        r#"SELECT typeof("emailVerified"), "emailVerified" FROM "User" WHERE "email" LIKE 'rust-%'"#,
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(
        (ty.as_str(), text.as_str()),
        ("text", "2024-02-29T23:59:59.999Z"),
        "stored User.emailVerified"
    );
    let ty: String = sqlx::query_scalar(
        r#"SELECT typeof("expires_at") FROM "Account" WHERE "provider" = 'rust-github'"#,
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(ty, "integer", "stored Account.expires_at");
    db.close().await;
}

#[tokio::test]
async fn postgres_interop() {
    let Some(node) = node::harness() else { return };
    let Some(db) = common::connect::<Postgres>().await else {
        return;
    };
    // The test's own schema, given to Node the way libpq takes it: `options=-c search_path=...`.
    let url = node::postgres_url(db.pool()).await;
    interop(&db, &node, "postgres", &url).await;
    // Both sides store the same instant in `timestamptz`, and ids in the native `uuid` column.
    for (prefix, want) in SESSION_EXPIRES {
        let (utc, id_type): (String, String) = sqlx::query_as(
            r#"SELECT to_char("expires" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), pg_typeof("userId")::text
               FROM "Session" WHERE "sessionToken" LIKE $1 || '%'"#,
        )
        .bind(prefix)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            (utc.as_str(), id_type.as_str()),
            (want, "uuid"),
            "stored Session of {prefix}*"
        );
    }
    db.close().await;
}

#[tokio::test]
async fn mysql_interop() {
    let Some(node) = node::harness() else { return };
    let Some(db) = common::connect::<MySql>().await else {
        return;
    };
    // The test's own database, in place of the URL's path.
    let url = node::mysql_url(db.pool()).await;
    interop(&db, &node, "mysql", &url).await;
    // Both sides store UTC wall-clock time in DATETIME(3) (Node through mysql2's `timezone: 'Z'`).
    for (prefix, want) in SESSION_EXPIRES {
        let text: String = sqlx::query_scalar(
            "SELECT DATE_FORMAT(`expires`, '%Y-%m-%dT%H:%i:%s.%fZ') FROM `Session` WHERE `sessionToken` LIKE CONCAT(?, '%')",
        )
        .bind(prefix)
        .fetch_one(db.pool())
        .await
        .unwrap();
        // %f prints microseconds: DATETIME(3) keeps three digits, padded with zeros.
        assert_eq!(
            text,
            want.replace('Z', "000Z"),
            "stored Session.expires of {prefix}*"
        );
    }
    db.close().await;
}
