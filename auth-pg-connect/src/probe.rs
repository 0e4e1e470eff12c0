//! Telling a transaction-mode pooler (PgBouncer, Supavisor, pgcat, Neon's pooler) from a
//! PostgreSQL server.

use std::time::Duration;

use sqlx::postgres::{PgConnection, PgPool};

/// Whether `pool`'s connections share server sessions, as they do through a transaction-mode
/// pooler: session state (an advisory lock, `SET`, a named prepared statement) then does not
/// stay with the connection that made it.
///
/// Two connections of the pool ask for their server process (`pg_backend_pid()`), the second
/// one inside a transaction so that the pooler keeps its server for it. Connected to PostgreSQL
/// (or to a pooler in session mode) they are two sessions, and each keeps its own. Through a
/// transaction pooler the second one is usually handed the server the first one just released
/// (PgBouncer reuses the most recent one), and then the first one, asking again, gets another
/// server (or waits for one: more than 2 s counts as a pooler too). A pooler that hands out
/// servers round-robin may go unnoticed; that is why `pgbouncer=true` in the URL is the
/// reliable signal. Needs a pool of at least two connections; only the simple query protocol is
/// used, so it runs through any pooler.
pub async fn detect_transaction_pooler(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let mut first = pool.acquire().await?;
    let mut second = pool.acquire().await?;
    let before = backend_pid(&mut first).await?;
    sqlx::raw_sql("BEGIN").execute(&mut *second).await?;
    let held = backend_pid(&mut second).await;
    let again = match &held {
        Ok(pid) if *pid == before => None,
        Ok(_) => Some(tokio::time::timeout(Duration::from_secs(2), backend_pid(&mut first)).await),
        Err(_) => None,
    };
    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *second).await;
    let held = held?;
    Ok(match again {
        // The second connection runs in the server session the first one had.
        None => true,
        Some(Ok(Ok(after))) => after != before,
        Some(Ok(Err(e))) => return Err(e),
        // Waiting for a server while the other connection holds one: a pooler of one server.
        Some(Err(_)) => {
            first.close_on_drop();
            let _ = held;
            true
        }
    })
}

async fn backend_pid(conn: &mut PgConnection) -> Result<i32, sqlx::Error> {
    use sqlx::Row;
    sqlx::raw_sql("SELECT pg_backend_pid()")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)
}
