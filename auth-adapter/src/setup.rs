//! Creating the schema's tables on a database that lacks them.
//!
//! This is what `cargo run --example migrate` does on a fresh database: each missing table is
//! created with its indexes, in foreign-key order; existing tables are left untouched.

use auth_schema::AuthSchema;

use crate::dialect::AdapterDialect;
use crate::error::AdapterError;

/// What [`create_missing_tables`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetupReport {
    /// Tables that were created, in order.
    pub created: Vec<&'static str>,
    /// Tables that already existed.
    pub existing: Vec<&'static str>,
}

/// Creates every table of schema `S` that does not exist yet, with its indexes.
///
/// ```no_run
/// # #[cfg(feature = "sqlite")]
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let pool = sqlx::SqlitePool::connect("sqlite://auth.db?mode=rwc").await?;
/// let report = auth_adapter::setup::create_missing_tables::<auth_query::Sqlite, auth_schema::kysely::Schema>(&pool).await?;
/// println!("created {:?}", report.created);
/// # Ok(()) }
/// ```
pub async fn create_missing_tables<D: AdapterDialect, S: AuthSchema>(
    pool: &sqlx::Pool<D::Database>,
) -> Result<SetupReport, AdapterError> {
    let tables = auth_schema::ddl::tables::<S>();
    let user = tables[0];
    let mut report = SetupReport::default();
    if let (auth_schema::Backend::Postgres, Some(schema)) = (D::BACKEND, user.postgres_schema) {
        D::run_ddl(
            pool,
            format!(
                "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                schema.replace('"', "\"\"")
            ),
        )
        .await?;
    }
    for info in tables {
        if D::table_exists(pool, info).await? {
            report.existing.push(info.name);
            continue;
        }
        for sql in auth_schema::ddl::create_table_sql(info, D::BACKEND) {
            D::run_ddl(pool, sql).await?;
        }
        report.created.push(info.name);
    }
    Ok(report)
}
