//! The execution suite on SQLite: a fresh temporary database file per test. Always runs.

#[path = "common/builder.rs"]
mod builder_suite;
mod common;
#[path = "common/types.rs"]
mod types_suite;

use auth_query::prelude::*;
use auth_schema::kysely::{session, user};
use common::{TestDb, a_session, a_user, connect, ts};

common::dialect_tests!(Sqlite =>
    column_types,
    timestamps,
    joins,
    row_counts,
    query_clauses,
    cascade_delete,
    adversarial_strings,
    transactions,
    returning,
    upsert_on_conflict,
    kysely_schema,
    snake_case_schema,
    custom_schema_with_extras,
    custom_schema_extras_queries,
);

async fn with_db(f: impl AsyncFnOnce(&TestDb<Sqlite>)) {
    let db = connect::<Sqlite>().await.expect("SQLite always runs");
    f(&db).await;
    db.close().await;
}

#[tokio::test]
async fn foreign_keys_are_on() {
    with_db(async |db| {
        let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(on, 1, "every pooled connection enforces foreign keys");
        db.create_schema::<auth_schema::kysely::Schema>().await;
        let err = Sqlite
            .insert_into(session::table)
            .values(a_session("no-such-user", "t", ts("2030-01-01T00:00:00Z")))
            .execute(db.ex())
            .await;
        assert!(err.is_err(), "{err:?}");
    })
    .await;
}

/// Timestamps written by other tools (SQLite's `CURRENT_TIMESTAMP`, Node with an offset) decode
/// to the right UTC instant.
#[tokio::test]
async fn lenient_timestamp_decoding() {
    with_db(async |db| {
        db.create_schema::<auth_schema::kysely::Schema>().await;
        let owner = a_user("owner@example.com", None);
        Sqlite
            .insert_into(user::table)
            .values(owner.clone())
            .execute(db.ex())
            .await
            .unwrap();
        let cases: [(&str, &str, &str); 5] = [
            ("current", "'2024-01-02 03:04:05'", "2024-01-02T03:04:05Z"),
            ("current-ms", "'2024-01-02 03:04:05.123'", "2024-01-02T03:04:05.123Z"),
            ("offset", "'2024-01-02T03:04:05.678+02:00'", "2024-01-02T01:04:05.678Z"),
            ("negative-offset", "'2024-01-02T23:30:00-05:00'", "2024-01-03T04:30:00Z"),
            ("canonical", "'2024-01-02T03:04:05.678Z'", "2024-01-02T03:04:05.678Z"),
        ];
        for (token, literal, _) in cases {
            db.raw(&format!(
                r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES ('{}', '{token}', {literal})"#,
                owner.id
            ))
            .await;
        }
        for (token, literal, expected) in cases {
            let got = Sqlite
                .select_from(session::table)
                .select(session::expires)
                .filter(session::session_token.eq(token))
                .fetch_one(db.ex())
                .await
                .unwrap_or_else(|e| panic!("decoding {literal}: {e}"));
            assert_eq!(got, ts(expected), "{literal}");
        }
        // CURRENT_TIMESTAMP itself is UTC.
        db.raw(&format!(
            r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES ('{}', 'now', CURRENT_TIMESTAMP)"#,
            owner.id
        ))
        .await;
        let now = Sqlite
            .select_from(session::table)
            .select(session::expires)
            .filter(session::session_token.eq("now"))
            .fetch_one(db.ex())
            .await
            .unwrap();
        let skew = (chrono::Utc::now() - now).num_seconds().abs();
        assert!(skew < 60, "CURRENT_TIMESTAMP decoded as {now}");
        // Garbage is a decode error, not a panic or a wrong instant.
        db.raw(&format!(
            r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES ('{}', 'bad', 'next tuesday')"#,
            owner.id
        ))
        .await;
        let err = Sqlite
            .select_from(session::table)
            .select(session::expires)
            .filter(session::session_token.eq("bad"))
            .fetch_one(db.ex())
            .await;
        assert!(matches!(err, Err(auth_query::Error::Decode(_))), "{err:?}");
    })
    .await;
}

/// What the adapter writes is the format `@auth/kysely-adapter` writes: `toISOString()`.
#[tokio::test]
async fn timestamps_are_stored_as_iso_text() {
    with_db(async |db| {
        db.create_schema::<auth_schema::kysely::Schema>().await;
        let mut u = a_user("iso@example.com", None);
        u.email_verified = Some(ts("2024-01-02T03:04:05.678999Z"));
        Sqlite
            .insert_into(user::table)
            .values(u)
            .execute(db.ex())
            .await
            .unwrap();
        let raw: String = sqlx::query_scalar(r#"SELECT "emailVerified" FROM "User""#)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(raw, "2024-01-02T03:04:05.678Z");
    })
    .await;
}

/// A table made by another tool with a `DATETIME` (numeric affinity) column holding Unix
/// milliseconds, as Prisma writes them, decodes too.
#[tokio::test]
async fn integer_millisecond_timestamps_decode() {
    with_db(async |db| {
        db.raw(r#"CREATE TABLE "User" ("id" text PRIMARY KEY, "name" text, "email" text NOT NULL, "emailVerified" DATETIME, "image" text)"#)
            .await;
        db.raw(r#"INSERT INTO "User" VALUES ('u1', NULL, 'a@b.c', 1704164645678, NULL), ('u2', NULL, 'b@b.c', NULL, NULL)"#)
            .await;
        let got = Sqlite
            .select_from(user::table)
            .select((user::id, user::email_verified))
            .order_by(user::id)
            .fetch_all(db.ex())
            .await
            .unwrap();
        assert_eq!(
            got,
            vec![
                ("u1".to_string(), Some(ts("2024-01-02T03:04:05.678Z"))),
                ("u2".to_string(), None)
            ]
        );
    })
    .await;
}

/// Everyday SQL through the builder (`tests/common/builder.rs`).
mod builder {
    crate::common::dialect_tests!(auth_query::Sqlite, builder_suite =>
        group_by_with_every_aggregate,
        anti_joins_and_subqueries,
        user_tables_and_self_joins,
        expressions,
        raw_fragments_and_borrowed_values,
        unions,
        prepared_statements,
        user_table_writes,
        distinct_count,
        nulls_first_and_last,
        correlated_in_with_limit,
        returning_with_subquery,
        user_table_upsert_returning,
        generated_uuid_ids,
    );
}

/// Every SQL type round-trips (`tests/common/types.rs`).
mod types {
    crate::common::dialect_tests!(auth_query::Sqlite, types_suite =>
        every_type_round_trips,
        dialect_extremes,
        unstorable_values_are_refused,
        min_max_of_every_type,
    );
}
