//! Prints the SQL and parameters of a few typed queries for Postgres, MySQL and SQLite.
//!
//! `cargo run --example queries` — no database needed: SQL compiles without a connection.

use auth_query::prelude::*;
use auth_query::{Compiled, Dialect};
use auth_schema::kysely::{account, session, user, verification_token};
use chrono::{TimeZone, Utc};

/// A statement's SQL and its parameters, as printed.
struct Shown {
    sql: String,
    params: String,
}

impl<D> From<Compiled<D>> for Shown {
    fn from(c: Compiled<D>) -> Self {
        Shown {
            sql: c.sql().to_owned(),
            params: format!("{:?}", c.params()),
        }
    }
}

fn show(title: &str, per_dialect: [(&str, Shown); 3]) {
    println!("── {title}");
    for (dialect, shown) in per_dialect {
        println!("  {dialect:<8} {}", shown.sql);
        println!("  {:<8} params: {}", "", shown.params);
    }
    println!();
}

/// getUserByAccount: the user linked to a provider account, in one join.
fn user_by_account<D: Dialect>() -> Shown {
    D::default()
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(user::id))
        .select(user::table.all())
        .filter(account::provider.eq("github"))
        .filter(account::provider_account_id.eq("1234"))
        .compile()
        .into()
}

/// getSessionAndUser: the session and its user, in one join.
fn session_and_user<D: Dialect>() -> Shown {
    D::default()
        .select_from(session::table)
        .inner_join(user::table, user::id.eq_col(session::user_id))
        .select((session::table.all(), user::table.all()))
        .filter(session::session_token.eq("session-token"))
        .compile()
        .into()
}

/// Users without a verified e-mail, newest name first, one page.
fn unverified_page<D: Dialect>() -> Shown {
    D::default()
        .select_from(user::table)
        .select((user::id, user::email))
        .filter(
            user::email_verified
                .is_null()
                .and(user::email.like("%@example.com")),
        )
        .order_by(user::name.desc())
        .limit(20)
        .offset(40)
        .compile()
        .into()
}

/// Expired verification tokens are removed in bulk.
fn delete_expired<D: Dialect>() -> Shown {
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
    D::default()
        .delete_from(verification_token::table)
        .filter(verification_token::expires.lt(now))
        .compile()
        .into()
}

fn main() {
    show(
        "getUserByAccount",
        [
            ("postgres", user_by_account::<Postgres>()),
            ("mysql", user_by_account::<MySql>()),
            ("sqlite", user_by_account::<Sqlite>()),
        ],
    );
    show(
        "getSessionAndUser",
        [
            ("postgres", session_and_user::<Postgres>()),
            ("mysql", session_and_user::<MySql>()),
            ("sqlite", session_and_user::<Sqlite>()),
        ],
    );
    show(
        "unverified users, one page",
        [
            ("postgres", unverified_page::<Postgres>()),
            ("mysql", unverified_page::<MySql>()),
            ("sqlite", unverified_page::<Sqlite>()),
        ],
    );
    show(
        "delete expired verification tokens",
        [
            ("postgres", delete_expired::<Postgres>()),
            ("mysql", delete_expired::<MySql>()),
            ("sqlite", delete_expired::<Sqlite>()),
        ],
    );
    // RETURNING exists on Postgres and SQLite only; on MySQL `.returning` does not compile.
    let upsert = Postgres
        .insert_into(user::table)
        .value(user::id, "8e2c2a8e-2a7e-4c4b-9a0e-0a4c8a6b2f11")
        .value(user::email, "ada@example.com")
        .value(user::name, Some("Ada"))
        .on_conflict_do_update(user::email, user::name)
        .returning(user::id);
    show(
        "upsert returning the id",
        [
            ("postgres", upsert.compile().into()),
            (
                "mysql",
                MySql
                    .insert_into(user::table)
                    .value(user::id, "8e2c2a8e-2a7e-4c4b-9a0e-0a4c8a6b2f11")
                    .value(user::email, "ada@example.com")
                    .value(user::name, Some("Ada"))
                    .on_duplicate_key_update(user::name)
                    .compile()
                    .into(),
            ),
            (
                "sqlite",
                Sqlite
                    .insert_into(user::table)
                    .value(user::id, "8e2c2a8e-2a7e-4c4b-9a0e-0a4c8a6b2f11")
                    .value(user::email, "ada@example.com")
                    .value(user::name, Some("Ada"))
                    .on_conflict_do_update(user::email, user::name)
                    .returning(user::id)
                    .compile()
                    .into(),
            ),
        ],
    );
}
