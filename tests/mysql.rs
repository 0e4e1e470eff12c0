//! The execution suite on MariaDB/MySQL: a fresh database per test. Needs `DATABASE_URL_MYSQL`;
//! skipped without it, except under `CI=true`.

#[path = "common/builder.rs"]
mod builder_suite;
mod common;
#[path = "common/types.rs"]
mod types_suite;

use auth_query::prelude::*;

common::dialect_tests!(MySql =>
    column_types,
    timestamps,
    joins,
    row_counts,
    query_clauses,
    cascade_delete,
    adversarial_strings,
    transactions,
    upsert_on_duplicate_key,
    database_generated_id,
    kysely_schema,
    snake_case_schema,
    custom_schema_with_extras,
    custom_schema_extras_queries,
);

/// OAuth tokens are `TEXT` (not `varchar(255)`), so real id_tokens fit.
#[tokio::test]
async fn token_columns_are_text() {
    let Some(db) = common::connect::<MySql>().await else {
        return;
    };
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let types: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(column_name AS CHAR), CAST(data_type AS CHAR) FROM information_schema.columns \
         WHERE table_schema = DATABASE() AND table_name = 'Account' \
         AND column_name IN ('access_token', 'id_token', 'refresh_token') ORDER BY 1",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(
        types,
        [
            ("access_token", "text"),
            ("id_token", "text"),
            ("refresh_token", "text")
        ]
        .map(|(c, t)| (c.to_string(), t.to_string()))
    );
    db.close().await;
}

/// Everyday SQL through the builder (`tests/common/builder.rs`).
mod builder {
    crate::common::dialect_tests!(auth_query::MySql, builder_suite =>
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
        row_locks,
        row_locks_over_left_joins,
        user_table_upsert_duplicate_key,
    );
}

/// Every SQL type round-trips (`tests/common/types.rs`).
mod types {
    crate::common::dialect_tests!(auth_query::MySql, types_suite =>
        every_type_round_trips,
        dialect_extremes,
        unstorable_values_are_refused,
        min_max_of_every_type,
    );
}
