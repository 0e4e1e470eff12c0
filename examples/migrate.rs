//! Brings a database to the Auth.js schema.
//!
//! ```text
//! cargo run --example migrate              # DATABASE_URL, or ./authjs.db (SQLite)
//! DATABASE_URL=postgres://... cargo run --example migrate --features postgres
//! ```
//!
//! The dialect follows the URL scheme (`sqlite:`, `postgres:`/`postgresql:`, `mysql:`/`mariadb:`)
//! and must be one the enabled features allow. Missing tables are created with their indexes;
//! existing ones are left as they are. Errors are one line and exit non-zero.

use std::process::ExitCode;

const DEFAULT_URL: &str = "sqlite://authjs.db?mode=rwc";

const HELP: &str = "\
migrate: create the Auth.js tables (User, Account, Session, VerificationToken, Authenticator)

USAGE:
    cargo run --example migrate [-- up]

The database comes from DATABASE_URL; without it, the SQLite file ./authjs.db is used.
Supported schemes: sqlite: (feature `sqlite`, the default), postgres: (feature `postgres`),
mysql: (feature `mysql`). Missing tables are created; existing tables are kept.

COMMANDS:
    up        create missing tables (the default)
    --help    print this help";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["up"] => {}
        ["--help" | "-h" | "help"] => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        [other, ..] => {
            eprintln!("error: unknown command `{other}` (try `--help`)");
            return ExitCode::from(2);
        }
    }
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned());
    match run(&url).await {
        Ok(report) => {
            for table in &report.created {
                println!("created table {table}");
            }
            for table in &report.existing {
                println!("kept existing table {table}");
            }
            println!(
                "schema is up to date ({} created, {} existing)",
                report.created.len(),
                report.existing.len()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What was done, whichever dialect did it.
struct Report {
    created: Vec<&'static str>,
    existing: Vec<&'static str>,
}

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
impl From<auth_adapter::setup::SetupReport> for Report {
    fn from(r: auth_adapter::setup::SetupReport) -> Self {
        Report {
            created: r.created,
            existing: r.existing,
        }
    }
}

async fn run(url: &str) -> Result<Report, String> {
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .ok_or_else(|| format!("`{url}` is not a database URL"))?;
    match scheme {
        "sqlite" => sqlite(url).await,
        "postgres" | "postgresql" => postgres(url).await,
        "mysql" | "mariadb" => mysql(url).await,
        other => Err(format!(
            "unsupported URL scheme `{other}`: use sqlite:, postgres: or mysql:"
        )),
    }
}

#[cfg(feature = "sqlite")]
async fn sqlite(url: &str) -> Result<Report, String> {
    let pool = sqlx::SqlitePool::connect(url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    auth_adapter::setup::create_missing_tables::<auth_query::Sqlite, auth_schema::kysely::Schema>(
        &pool,
    )
    .await
    .map(Report::from)
    .map_err(|e| e.to_string())
}

#[cfg(not(feature = "sqlite"))]
async fn sqlite(_: &str) -> Result<Report, String> {
    Err(
        "this is a SQLite URL, but the `sqlite` feature is not enabled: add `--features sqlite`"
            .into(),
    )
}

#[cfg(feature = "postgres")]
async fn postgres(url: &str) -> Result<Report, String> {
    let pool = sqlx::PgPool::connect(url)
        .await
        .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
    auth_adapter::setup::create_missing_tables::<auth_query::Postgres, auth_schema::kysely::Schema>(
        &pool,
    )
    .await
    .map(Report::from)
    .map_err(|e| e.to_string())
}

#[cfg(not(feature = "postgres"))]
async fn postgres(_: &str) -> Result<Report, String> {
    Err("this is a PostgreSQL URL, but the `postgres` feature is not enabled: add `--features postgres`".into())
}

#[cfg(feature = "mysql")]
async fn mysql(url: &str) -> Result<Report, String> {
    let pool = sqlx::MySqlPool::connect(url)
        .await
        .map_err(|e| format!("cannot connect to MySQL: {e}"))?;
    auth_adapter::setup::create_missing_tables::<auth_query::MySql, auth_schema::kysely::Schema>(
        &pool,
    )
    .await
    .map(Report::from)
    .map_err(|e| e.to_string())
}

#[cfg(not(feature = "mysql"))]
async fn mysql(_: &str) -> Result<Report, String> {
    Err(
        "this is a MySQL URL, but the `mysql` feature is not enabled: add `--features mysql`"
            .into(),
    )
}
