//! Brings a database to the Auth.js schema, and plans migrations from the schema in Rust.
//!
//! ```text
//! cargo run --example migrate                  # apply pending migrations to ./authjs.db (SQLite)
//! cargo run --example migrate -- status --check
//! cargo run --example migrate -- plan          # diff the database against the Rust schema
//! DATABASE_URL=postgres://... cargo run --example migrate --features postgres
//! ```
//!
//! A thin shell over [`auth_migrate::cli`]: the dialect follows the URL scheme and must be one
//! the enabled features allow; every error is one line with a non-zero exit. `--help` lists the
//! commands. To migrate your own schema, call `auth_migrate::cli::main::<your::Schema>` with
//! your own migrations folder.

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    auth_migrate::cli::main::<auth_schema::kysely::Schema>(auth_migrate::cli::Options::stock())
        .await
}

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "error: no database feature is enabled: add `--features sqlite`, `postgres` or `mysql`"
    );
    std::process::ExitCode::FAILURE
}
