//! A small service on axum that reads the Auth.js sessions of a Next.js app sharing its database.
//!
//! ```text
//! cargo run --example migrate                                    # ./authjs.db with the tables
//! cargo run --example axum_service --features axum               # http://127.0.0.1:3000
//! DATABASE_URL=postgres://… cargo run --example axum_service --features axum,postgres
//! curl -b 'authjs.session-token=<token>' http://127.0.0.1:3000/me
//! ```
//!
//! - `GET /me`: the signed-in user and the session's expiry, as JSON; `401` without a valid
//!   session (no cookie, an unknown token, an expired session).
//! - `GET /`: a greeting, for signed-in users and guests alike.
//!
//! The dialect follows `DATABASE_URL` (default `sqlite://authjs.db`); `ADDR` sets the address
//! (default `127.0.0.1:3000`). `tests/axum.rs` runs this router on each dialect, with sessions
//! made by the Node `@auth/kysely-adapter`.

use std::sync::Arc;

use authjs_db::adapter::{Adapter, UserOf};
use authjs_db::axum::AuthSession;
use authjs_db::schema::AuthSchema;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The service's routes over the adapter of schema `S` (the users' extra columns, if `S` has
/// any, come along in `/me`).
pub fn router<S: AuthSchema>(adapter: Arc<dyn Adapter<S>>) -> Router
where
    UserOf<S>: Serialize,
{
    Router::new()
        .route("/", get(home::<S>))
        .route("/me", get(me::<S>))
        .with_state(adapter)
}

/// What `/me` answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Me<U> {
    /// The user, in Auth.js's JSON shape.
    pub user: U,
    /// When the session expires.
    pub expires: DateTime<Utc>,
}

/// `GET /me`: only for signed-in users.
async fn me<S: AuthSchema>(AuthSession { user, session }: AuthSession<S>) -> Json<Me<UserOf<S>>>
where
    UserOf<S>: Serialize,
{
    Json(Me {
        user,
        expires: session.expires,
    })
}

/// `GET /`: for everyone.
async fn home<S: AuthSchema>(session: Option<AuthSession<S>>) -> String {
    match session {
        Some(AuthSession { user, .. }) => {
            format!("Hello, {}!", user.name.as_deref().unwrap_or(&user.email))
        }
        None => "Hello, guest!".into(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://authjs.db".into());
    let adapter = authjs_db::adapter::connect::<authjs_db::schema::kysely::Schema>(&url).await?;
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(adapter)).await?;
    Ok(())
}
