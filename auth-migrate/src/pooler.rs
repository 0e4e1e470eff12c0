//! PostgreSQL for migrations: libpq multi-host URLs, and no transaction-mode pooler.
//!
//! Migrations hold `pg_advisory_lock` on a connection of their own for the whole run and
//! apply DDL in transactions. Through a transaction pooler (PgBouncer `pool_mode =
//! transaction`, Supabase's or Neon's pooler) the lock would be taken by whichever server
//! session ran that statement, and stay there, held for another client. So `migrate` refuses
//! such a URL and asks for a direct one (`--direct-url` / `DIRECT_URL`, as Prisma's
//! `directUrl`).

use std::time::Duration;

use auth_pg_connect::{PgUrl, connect_pool, detect_transaction_pooler};

use crate::Error;

/// What `migrate` says about a transaction pooler.
const USE_A_DIRECT_URL: &str = "migrations need a PostgreSQL session of their own (an advisory lock held for the whole run, DDL in transactions), which a transaction-mode pooler does not keep: give migrate a direct URL to the server with --direct-url URL or DIRECT_URL (as Prisma's directUrl), and keep the pooler's URL (pgbouncer=true) for the adapter";

/// A pool of 4 on the first host of `url` that qualifies (several hosts and
/// `target_session_attrs` as libpq reads them), or [`Error::Config`] for a transaction pooler.
pub(crate) async fn connect_postgres(url: &str) -> Result<sqlx::PgPool, Error> {
    let url = PgUrl::parse(url).map_err(|e| Error::Config(e.to_string()))?;
    if url.pgbouncer() {
        return Err(Error::Config(format!(
            "the URL says pgbouncer=true: {USE_A_DIRECT_URL}"
        )));
    }
    let options = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(10));
    let pool = connect_pool(&url, options)
        .await
        .map_err(|e| Error::Connect {
            message: crate::one_line(&e),
            source: Box::new(e),
        })?;
    match detect_transaction_pooler(&pool).await {
        Ok(false) => Ok(pool),
        Ok(true) => {
            pool.close().await;
            Err(Error::Config(format!(
                "this URL reaches PostgreSQL through a transaction-mode pooler (two connections shared one server session): {USE_A_DIRECT_URL}"
            )))
        }
        Err(e) => {
            pool.close().await;
            Err(Error::Connect {
                message: format!("cannot connect to PostgreSQL: {}", crate::one_line(&e)),
                source: Box::new(e),
            })
        }
    }
}
