//! The execution suite on PostgreSQL: a fresh schema per test (a fresh database for the test of
//! `postgres_schema`). Needs `DATABASE_URL_POSTGRES`; skipped without it, except under `CI=true`.

#[path = "common/builder.rs"]
mod builder_suite;
mod common;
#[path = "common/types.rs"]
mod types_suite;

use auth_query::prelude::*;
use auth_schema::kysely::{account, user};
use common::{a_user, an_account, connect};

common::dialect_tests!(Postgres =>
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
    database_generated_id,
    kysely_schema,
    snake_case_schema,
    custom_schema_with_extras,
    custom_schema_extras_queries,
);

/// A string that is not a UUID, compared with a `uuid` id, matches nothing and is no error.
#[tokio::test]
async fn non_uuid_string_matches_no_uuid_id() {
    let Some(db) = connect::<Postgres>().await else {
        return;
    };
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let u = a_user("u@example.com", None);
    Postgres
        .insert_into(user::table)
        .values(u.clone())
        .execute(db.ex())
        .await
        .unwrap();
    Postgres
        .insert_into(account::table)
        .values(an_account(&u.id, "github", "1"))
        .execute(db.ex())
        .await
        .unwrap();
    for bad in ["not-a-uuid", "", "'; DROP TABLE \"User\"; --", "1234"] {
        let found = Postgres
            .select_from(user::table)
            .select(user::table.all())
            .filter(user::id.eq(bad))
            .fetch_all(db.ex())
            .await
            .unwrap_or_else(|e| panic!("comparing with {bad:?} must not fail: {e}"));
        assert!(found.is_empty(), "{bad:?}");
        let found = Postgres
            .select_from(account::table)
            .select(account::provider)
            .filter(account::user_id.eq(bad))
            .fetch_all(db.ex())
            .await
            .unwrap();
        assert!(found.is_empty(), "{bad:?}");
        let n = Postgres
            .delete_from(user::table)
            .filter(user::id.eq(bad))
            .execute(db.ex())
            .await
            .unwrap();
        assert_eq!(n, 0);
    }
    // In a list, the bad string matches nothing while the good id still matches.
    let found = Postgres
        .select_from(user::table)
        .select(user::id)
        .filter(user::id.is_in(["not-a-uuid", u.id.as_str()]))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(found, vec![u.id.clone()]);
    // The uuid type ignores case: an upper-case id finds the row, which reads back lower-case.
    let found = Postgres
        .select_from(user::table)
        .select(user::id)
        .filter(user::id.eq(u.id.to_uppercase()))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(found, vec![u.id.clone()]);
    db.close().await;
}

/// Writing a non-UUID string into a `uuid` column is refused before anything is sent.
#[tokio::test]
async fn non_uuid_id_write_is_an_error() {
    let Some(db) = connect::<Postgres>().await else {
        return;
    };
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let mut u = a_user("u@example.com", None);
    u.id = "not-a-uuid".into();
    let err = Postgres
        .insert_into(user::table)
        .values(u)
        .execute(db.ex())
        .await;
    assert!(
        matches!(&err, Err(auth_query::Error::InvalidValue(m)) if m.contains("is not a UUID")),
        "{err:?}"
    );
    let n = Postgres
        .select_from(user::table)
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 0);
    db.close().await;
}

/// A schema with `postgres_schema` creates its tables in that schema and queries them there.
#[tokio::test]
async fn postgres_schema_qualified_tables() {
    // The schema name is fixed at compile time, so this test gets a database of its own.
    let Some(db) = common::connect_fresh_pg_database().await else {
        return;
    };
    common::pg_qualified_schema(&db).await;
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_schema::text, table_name::text FROM information_schema.tables \
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let expected: Vec<(String, String)> = [
        "Account",
        "Authenticator",
        "Session",
        "User",
        "VerificationToken",
    ]
    .iter()
    .map(|t| ("auth_test".to_string(), t.to_string()))
    .collect();
    assert_eq!(tables, expected, "every table is in the auth_test schema");
    db.close().await;
}

/// Everyday SQL through the builder (`tests/common/builder.rs`).
mod builder {
    crate::common::dialect_tests!(auth_query::Postgres, builder_suite =>
        group_by_with_every_aggregate,
        anti_joins_and_subqueries,
        user_tables_and_self_joins,
        expressions,
        raw_fragments_and_borrowed_values,
        unions,
        prepared_statements,
        user_table_writes,
        distinct_count,
        generated_uuid_ids,
        nulls_first_and_last,
        correlated_in_with_limit,
        returning_with_subquery,
        row_locks,
        user_table_upsert_returning,
    );
}

/// Every SQL type round-trips (`tests/common/types.rs`).
mod types {
    crate::common::dialect_tests!(auth_query::Postgres, types_suite =>
        every_type_round_trips,
        dialect_extremes,
        unstorable_values_are_refused,
        min_max_of_every_type,
    );
}
