//! The execution suite on MariaDB/MySQL: a fresh database per test. Needs `DATABASE_URL_MYSQL`;
//! skipped without it, except under `CI=true`.

mod common;

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
