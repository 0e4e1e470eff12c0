//! `migrate` for a custom model: the stock tables plus a phone number on `User`.
//!
//! ```text
//! cargo run --example migrate                      # the stock schema in ./authjs.db
//! cargo run --example migrate_custom -- plan       # exactly one ALTER TABLE ... ADD COLUMN
//! cargo run --example migrate_custom -- plan --write add_phone_number
//! cargo run --example migrate_custom               # applies ./migrations/*/0002_add_phone_number
//! ```
//!
//! Your own binary looks the same: declare the schema, then hand `auth_migrate::cli::main` the
//! migrations (here the shipped ones plus those `plan --write` put in `./migrations`).

use auth_schema::sql::{Nullable, Text};

auth_schema::extra_columns! {
    /// What this app stores about a user beyond Auth.js's fields.
    pub struct Profile for app::user::table, columns in mod profile {
        /// E.164 phone number.
        phone_number: Nullable<Text> = "phoneNumber",
    }
}

auth_schema::schema! {
    /// The Kysely adapter's names, plus `User.phoneNumber`.
    pub mod app {
        naming: Kysely,
        id: Uuid,
        user_extras: Profile,
    }
}

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let dir = std::path::PathBuf::from("migrations");
    let options = auth_migrate::cli::Options {
        migrations: std::sync::Arc::new({
            let dir = dir.clone();
            move |backend| {
                let mut all = auth_migrate::migration::stock(backend);
                all.extend(auth_migrate::migration::load_dir(&dir, backend)?);
                Ok(all)
            }
        }),
        write_dir: dir,
        ..auth_migrate::cli::Options::stock()
    };
    auth_migrate::cli::main::<app::Schema>(options).await
}

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "error: no database feature is enabled: add `--features sqlite`, `postgres` or `mysql`"
    );
    std::process::ExitCode::FAILURE
}
