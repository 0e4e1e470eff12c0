//! Custom models: a snake_case schema with typed extra columns on User, used by the adapter.
//!
//! `cargo run --example custom_models` (embedded SQLite, in memory).
//!
//! The tables are made by auth-migrate, as for any schema: the planner writes the migration
//! that creates them (what `migrate plan --write` puts in a file), and the migrator applies it
//! and records it, so a later `up` with more migrations goes on from there.

use auth_adapter::{SqlAdapter, UserUpdate};
use auth_query::prelude::*;
use auth_schema::sql::{Nullable, Text};
use auth_schema::{Column, NewUser, Table};

auth_schema::extra_columns! {
    /// What this app stores about a user beyond Auth.js's fields.
    pub struct Profile for app::user::table, columns in mod profile {
        /// E.164 phone number.
        phone_number: Nullable<Text> = "phoneNumber" as "phone_number",
        /// Application role.
        role: Nullable<Text> = "role",
    }
}

auth_schema::schema! {
    /// The app's tables: snake_case names (Kysely's CamelCasePlugin), a plural user table,
    /// and the profile columns on it.
    pub mod app {
        naming: SnakeCase,
        id: Text,
        rename: { "User" => "users" },
        user_extras: Profile,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = auth_migrate::Db::connect("sqlite::memory:").await?;
    let plan = auth_migrate::plan::<app::Schema>(&db).await?;
    let migration = plan.render_file(auth_schema::Backend::Sqlite, 1, "auth_schema", false);
    let created =
        auth_migrate::Migrator::for_schema::<app::Schema>(vec![auth_migrate::Migration::new(
            1,
            "auth_schema",
            migration,
            None,
        )])
        .up(&db, None, false)
        .await?;
    println!("{}\n", created.applied[0].sql[0]);
    let auth_migrate::Db::Sqlite(pool) = db else {
        unreachable!("a sqlite: URL")
    };

    let adapter = SqlAdapter::<Sqlite, app::Schema>::new(pool.clone());
    let user = adapter
        .create_user(NewUser {
            id: None,
            name: Some("Ada Lovelace".into()),
            email: "ada@example.com".into(),
            email_verified: None,
            image: None,
            extra: Profile {
                phone_number: Some("+44 20 7946 0000".into()),
                role: Some("admin".into()),
            },
        })
        .await?;
    println!("created  {}", serde_json::to_string(&user)?);

    let fetched = adapter
        .get_user(&user.id)
        .await?
        .ok_or("the user was not stored")?;
    assert_eq!(fetched, user);

    let update = UserUpdate {
        extra: Some(Profile {
            phone_number: None,
            role: Some("owner".into()),
        }),
        ..UserUpdate::new(&user.id)
    };
    let updated = adapter.update_user(update).await?;
    println!("updated  {}", serde_json::to_string(&updated)?);

    // The extra columns are typed columns like any other.
    let owners = Sqlite
        .select_from(app::user::table)
        .select(app::user::email)
        .filter(profile::role.eq("owner"))
        .fetch_all(&pool)
        .await?;
    println!("owners   {owners:?}");
    println!(
        "table `{}`, column `{}`",
        app::user::table::INFO.name,
        <profile::phone_number as Column>::INFO.name
    );
    Ok(())
}
