//! The axum extractor (`authjs_db::axum`) over real HTTP, on all three dialects.
//!
//! Each test creates the tables of a Kysely-named schema with an extra `User.role` column in a
//! namespace of its own, and has the Node `@auth/kysely-adapter` (`tests/node/sessions.mjs`)
//! create a user with a role, a session and an expired session, as a Next.js app on Auth.js
//! leaves them. It then serves `examples/axum_service.rs`'s router on a loopback port, with the
//! adapter made by `authjs_db::adapter::connect` from the namespace's URL, and sends HTTP/1.1
//! requests over TCP: the session cookie under each of its four names gives `200` with the
//! user (extra column included); no cookie, an unknown token and the expired session give
//! `401`; the page for guests and users greets each.
//!
//! Needs Node with `tests/node/node_modules` and the servers of `scripts/test.sh`; without them
//! a test prints a skip notice and passes, except with `CI=true`.

#[allow(unused_macros, unused_imports)]
mod common;
#[path = "support/node.rs"]
mod node;
#[allow(dead_code)]
#[path = "../examples/axum_service.rs"]
mod service;

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use authjs_db::adapter::{Adapter, AdapterError};
use authjs_db::schema::sql::{Nullable, Text};
use authjs_db::schema::{Session, User};
use common::{TestDb, TestDialect};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

authjs_db::schema::extra_columns! {
    /// What the app stores about a user beyond Auth.js's fields.
    pub struct Profile for app::user::table, columns in mod profile {
        /// The user's role in the app.
        role: Nullable<Text> = "role",
    }
}

authjs_db::schema::schema! {
    /// `@auth/kysely-adapter`'s tables, with a role on User.
    pub mod app {
        naming: Kysely,
        id: Uuid,
        user_extras: Profile,
    }
}

/// What `sessions.mjs` made.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Made {
    user: User<Profile>,
    session: Session,
    expired_session: Session,
}

/// One HTTP response.
#[derive(Debug)]
struct Response {
    status: u16,
    body: String,
}

/// `GET path` on `addr` with one `Cookie` header per entry of `cookies`, over a fresh
/// connection (`Connection: close`), within 10 s.
async fn get(addr: SocketAddr, path: &str, cookies: &[&str]) -> Response {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for cookie in cookies {
            request.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        String::from_utf8(raw).expect("a UTF-8 response")
    };
    let raw = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .unwrap_or_else(|_| panic!("GET {path}: no response within 10 s"));
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("GET {path}: not an HTTP response: {raw:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("GET {path}: no status in {head:?}"));
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or_else(|| panic!("GET {path}: no Content-Length in {head:?}"));
    assert_eq!(body.len(), length, "GET {path}: the whole body arrived");
    Response {
        status,
        body: body.to_owned(),
    }
}

/// The scenario on one namespace: `url` is how Node and `connect` reach it.
async fn scenario<D: TestDialect>(db: &TestDb<D>, node_dir: &Path, dialect: &str, url: &str) {
    db.create_schema::<app::Schema>().await;
    let tmp = node::TempDir::new("authjs-axum");
    let file = tmp.0.join("sessions.json");
    let file_arg = file.display().to_string();
    node::run(
        node_dir,
        "sessions.mjs",
        &[dialect, url, &file_arg],
        &tmp.0.join("sessions"),
    )
    .await;
    let json = std::fs::read_to_string(&file).expect("sessions.mjs wrote its file");
    let made: Made = serde_json::from_str(&json).unwrap_or_else(|e| {
        panic!("sessions.mjs wrote JSON that is not our row types: {e}\n{json}")
    });
    assert_eq!(made.user.extra.role.as_deref(), Some("admin"), "{json}");

    // The adapter the way a service makes it: from the URL, the dialect by its scheme.
    let connect_url = match dialect {
        "sqlite" => format!("sqlite://{url}"),
        // MariaDB's own scheme is accepted too.
        "mysql" => url.replacen("mysql://", "mariadb://", 1),
        _ => url.to_owned(),
    };
    let adapter: Arc<dyn Adapter<app::Schema>> = authjs_db::adapter::connect(&connect_url)
        .await
        .unwrap_or_else(|e| panic!("{dialect}: connect: {e}"));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        axum::serve(listener, service::router(adapter.clone()))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .into_future(),
    );

    let token = made.session.session_token.as_str();
    let ctx = |what: &str| format!("{dialect}: {what}");
    for name in [
        "authjs.session-token",
        "__Secure-authjs.session-token",
        "next-auth.session-token",
        "__Secure-next-auth.session-token",
    ] {
        let r = get(addr, "/me", &[&format!("theme=dark; {name}={token}")]).await;
        assert_eq!(r.status, 200, "{}: {}", ctx(name), r.body);
        let me: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(me["user"]["id"], made.user.id.as_str(), "{}", ctx(name));
        assert_eq!(
            me["user"]["email"],
            made.user.email.as_str(),
            "{}",
            ctx(name)
        );
        assert_eq!(
            me["user"]["role"],
            "admin",
            "{}: the extra column",
            ctx(name)
        );
        let expires: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(me["expires"].clone()).unwrap();
        assert_eq!(expires, made.session.expires, "{}", ctx(name));
    }

    let refused: [(&str, Vec<String>); 5] = [
        ("no cookie", vec![]),
        (
            "other cookies only",
            vec!["theme=dark; authjs.csrf-token=x".into()],
        ),
        (
            "an unknown token",
            vec![format!("authjs.session-token={}", uuid::Uuid::new_v4())],
        ),
        (
            "the expired session",
            vec![format!(
                "authjs.session-token={}",
                made.expired_session.session_token
            )],
        ),
        // A token no database stores (NUL is refused by PostgreSQL): unknown, not an error.
        (
            "an impossible token",
            vec!["authjs.session-token=%00".into()],
        ),
    ];
    for (what, cookies) in &refused {
        let cookies: Vec<&str> = cookies.iter().map(String::as_str).collect();
        let r = get(addr, "/me", &cookies).await;
        assert_eq!(r.status, 401, "{}: {}", ctx(what), r.body);
        let r = get(addr, "/", &cookies).await;
        assert_eq!(
            (r.status, r.body.as_str()),
            (200, "Hello, guest!"),
            "{}",
            ctx(what)
        );
    }

    // A stale cookie next to the valid one, in separate Cookie headers (as HTTP/2 sends them).
    let r = get(
        addr,
        "/",
        &[
            &format!(
                "authjs.session-token={}",
                made.expired_session.session_token
            ),
            &format!("next-auth.session-token={token}"),
        ],
    )
    .await;
    let name = made.user.name.as_deref().unwrap();
    assert_eq!(
        (r.status, r.body),
        (200, format!("Hello, {name}!")),
        "{}",
        ctx("expired v5 cookie, valid v4 cookie")
    );

    // Signed out in the database (Auth.js's signOut deletes the row): 401 from then on.
    adapter.delete_session(token).await.unwrap();
    let r = get(addr, "/me", &[&format!("authjs.session-token={token}")]).await;
    assert_eq!(r.status, 401, "{}", ctx("after delete_session"));

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn sqlite_sessions_over_http() {
    let Some(node_dir) = node::harness() else {
        return;
    };
    let Some(db) = common::connect::<auth_query::Sqlite>().await else {
        return;
    };
    let url = node::sqlite_url(db.pool()).await;
    scenario(&db, &node_dir, "sqlite", &url).await;
    db.close().await;
}

#[tokio::test]
async fn postgres_sessions_over_http() {
    let Some(node_dir) = node::harness() else {
        return;
    };
    let Some(db) = common::connect::<auth_query::Postgres>().await else {
        return;
    };
    let url = node::postgres_url(db.pool()).await;
    scenario(&db, &node_dir, "postgres", &url).await;
    db.close().await;
}

#[tokio::test]
async fn mysql_sessions_over_http() {
    let Some(node_dir) = node::harness() else {
        return;
    };
    let Some(db) = common::connect::<auth_query::MySql>().await else {
        return;
    };
    let url = node::mysql_url(db.pool()).await;
    scenario(&db, &node_dir, "mysql", &url).await;
    db.close().await;
}

/// A database that is down is `503`, not a sign-out.
#[tokio::test]
async fn an_unreachable_database_is_503() {
    // Port 1 on loopback: nothing listens, so every connection is refused.
    let url = "postgres://u:secret@127.0.0.1:1/db";
    match authjs_db::adapter::ConnectOptions::new(url)
        .acquire_timeout(Duration::from_secs(2))
        .connect::<app::Schema>()
        .await
    {
        Err(e @ AdapterError::Connection { .. }) => {
            assert!(
                e.sqlx_error().is_some(),
                "the driver's error is the source: {e:?}"
            );
            assert!(!e.to_string().contains("secret"), "{e}");
        }
        other => panic!("expected a connection error, got {:?}", other.map(drop)),
    }
    // `connect` checks the URL with one connection; a lazy pool gets to the handlers.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy(url)
        .unwrap();
    let adapter: Arc<dyn Adapter<app::Schema>> = Arc::new(authjs_db::adapter::SqlAdapter::<
        auth_query::Postgres,
        app::Schema,
    >::new(pool));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, service::router(adapter)).into_future());
    let r = get(addr, "/me", &["authjs.session-token=t"]).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(!r.body.contains("127.0.0.1"), "no details leak: {}", r.body);
    let r = get(addr, "/", &["authjs.session-token=t"]).await;
    assert_eq!(r.status, 503, "{}", r.body);
    // Without a cookie there is nothing to look up.
    let r = get(addr, "/", &[]).await;
    assert_eq!((r.status, r.body.as_str()), (200, "Hello, guest!"));
    server.abort();
}
