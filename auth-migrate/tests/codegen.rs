//! `migrate codegen` on real PostgreSQL, MariaDB/MySQL and SQLite: declare → apply the plan →
//! generate → the generated source compiles and `plan` against it is empty.
//!
//! The generated source of each dialect is committed as a golden file
//! (`tests/codegen/{postgres,mysql,sqlite}.rs`) and compiled into this test as a module, so the
//! round trip needs no cargo run of its own: the test regenerates the source, compares it with
//! the golden file, and plans against the compiled golden declarations. After a deliberate
//! change, re-bless them with
//! `AUTH_MIGRATE_BLESS=1 cargo test -p auth-migrate --all-features --test codegen`
//! (then run it again, so that the new files are the ones compiled).

mod support;

use auth_migrate::{CodegenOptions, Db, Error, codegen, plan};
use auth_schema::Backend;
use support::app::AppDb;
use support::{Applied, exec, scratch};

#[path = "codegen/mysql.rs"]
mod mysql_generated;
#[path = "codegen/postgres.rs"]
mod postgres_generated;
#[path = "codegen/sqlite.rs"]
mod sqlite_generated;

fn golden_path(backend: Backend) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/codegen")
        .join(match backend {
            Backend::Postgres => "postgres.rs",
            Backend::MySql => "mysql.rs",
            Backend::Sqlite => "sqlite.rs",
        })
}

fn options(backend: Backend) -> CodegenOptions {
    CodegenOptions {
        pg_schemas: match backend {
            Backend::Postgres => vec!["public".into(), "app".into()],
            _ => Vec::new(),
        },
        ..CodegenOptions::default()
    }
}

/// `plan` against the compiled golden declarations of `backend`.
async fn plan_generated(db: &Db, backend: Backend) -> auth_migrate::Plan {
    match backend {
        Backend::Postgres => plan::<postgres_generated::AppDatabase>(db).await,
        Backend::MySql => plan::<mysql_generated::AppDatabase>(db).await,
        Backend::Sqlite => plan::<sqlite_generated::AppDatabase>(db).await,
    }
    .unwrap()
}

/// Declare → apply → codegen: the source is the golden file, its declarations compile (this
/// test's modules) and plan nothing against the database they came from. Generating again
/// from a database made from the generated declarations gives the same source.
async fn round_trip(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    Applied::default()
        .apply(&db, &plan::<AppDb>(&db).await.unwrap())
        .await;
    let source = codegen(&db, &options(backend)).await.unwrap();
    let golden = golden_path(backend);
    if std::env::var_os("AUTH_MIGRATE_BLESS").is_some() {
        std::fs::write(&golden, &source).unwrap();
    } else {
        let committed = std::fs::read_to_string(&golden).unwrap();
        assert!(
            committed == source,
            "{} differs from what codegen writes now (re-bless with AUTH_MIGRATE_BLESS=1 if the change is meant):\n{source}",
            golden.display()
        );
        let p = plan_generated(&db, backend).await;
        assert!(p.is_empty(), "{:#?}", p.changes);
    }
    // The Auth.js tables are recognised as the stock layout, the others are declared one by one.
    assert!(
        source.contains("auth_schema::schema! {\n    /// The Auth.js tables: the `Kysely` naming with `Uuid` ids.\n    pub mod auth {\n        naming: Kysely,\n        id: Uuid,\n    }\n}"),
        "{source}"
    );
    assert!(
        source.contains("    pub mod api_key as \"apiKey\" {\n"),
        "{source}"
    );
    assert!(
        source.contains("references auth::user(id) on_delete(cascade);"),
        "{source}"
    );
    assert!(!source.contains("_authjs_migrations"), "{source}");
    db.close().await;
    s.drop_it().await;

    // Idempotent: the generated declarations, applied to an empty database, generate the same.
    if std::env::var_os("AUTH_MIGRATE_BLESS").is_none() {
        let Some(s) = scratch(backend).await else {
            return;
        };
        let db = s.db().await;
        let p = plan_generated(&db, backend).await;
        Applied::default().apply(&db, &p).await;
        assert!(plan_generated(&db, backend).await.is_empty());
        assert_eq!(codegen(&db, &options(backend)).await.unwrap(), source);
        db.close().await;
        s.drop_it().await;
    }
}

/// A table with a type no marker stores, or without a primary key, is an error naming it and
/// why (and so is a table that references it); `skip_unsupported` leaves them out and lists them
/// in the header; `exclude` leaves them out silently. Without the Auth.js preset every table is a
/// `table!`. The CLI writes the file.
async fn unsupported_tables_are_reported(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    Applied::default()
        .apply(&db, &plan::<AppDb>(&db).await.unwrap())
        .await;
    let (money, tags) = match backend {
        Backend::Postgres => ("numeric(10,2)", "text[]"),
        Backend::MySql => ("decimal(10,2)", "set('a','b')"),
        Backend::Sqlite => ("numeric(10,2)", "datetime"),
    };
    exec(
        &db,
        &format!(
            "CREATE TABLE ledger (id bigint PRIMARY KEY, amount {money} NOT NULL, tags {tags})"
        ),
    )
    .await;
    exec(
        &db,
        "CREATE TABLE entry (ledger_id bigint REFERENCES ledger (id), note text)",
    )
    .await;
    exec(&db, "CREATE TABLE keyless (a integer, b integer)").await;
    let everything = CodegenOptions {
        include: vec!["ledger".into(), "entry".into(), "keyless".into()],
        ..CodegenOptions::default()
    };
    let err = codegen(&db, &everything).await.unwrap_err();
    let Error::Codegen(message) = &err else {
        panic!("{err}")
    };
    for needle in [
        format!("table ledger: column amount has type {money}"),
        "which no auth_schema::sql marker stores".to_owned(),
        "table keyless: it has no primary key".to_owned(),
        "table entry: it has no primary key".to_owned(),
        "--skip-unsupported".to_owned(),
    ] {
        assert!(message.contains(&needle), "{needle}: {message}");
    }
    assert!(!err.to_string().contains('\n'), "{err}");
    let skipped = codegen(
        &db,
        &CodegenOptions {
            skip_unsupported: true,
            ..options(backend)
        },
    )
    .await
    .unwrap();
    assert!(
        skipped.contains("// Left out (--skip-unsupported):\n"),
        "{skipped}"
    );
    assert!(
        skipped.contains("// - ledger: column amount has type"),
        "{skipped}"
    );
    assert!(
        skipped.contains("// - keyless: it has no primary key"),
        "{skipped}"
    );
    assert!(!skipped.contains("pub mod ledger"), "{skipped}");
    assert!(skipped.contains("pub mod team {"), "{skipped}");
    let excluded = codegen(
        &db,
        &CodegenOptions {
            exclude: vec!["ledger".into(), "entry".into(), "keyless".into()],
            ..options(backend)
        },
    )
    .await
    .unwrap();
    assert!(!excluded.contains("Left out"), "{excluded}");
    // Without the preset, the Auth.js tables are tables like the others.
    let plain = codegen(
        &db,
        &CodegenOptions {
            include: vec!["User".into(), "Session".into()],
            auth_preset: false,
            database_name: "Plain".into(),
            ..CodegenOptions::default()
        },
    )
    .await
    .unwrap();
    assert!(!plain.contains("schema!"), "{plain}");
    assert!(
        plain.contains("    pub mod user as \"User\" {\n"),
        "{plain}"
    );
    assert!(
        plain.contains("    foreign_key(user_id) references user(id) on_delete(cascade);\n"),
        "{plain}"
    );
    assert!(
        plain.contains("pub struct Plain {\n        tables: [user, session],"),
        "{plain}"
    );

    // The command line: the same source, into a file.
    let file = std::env::temp_dir().join(format!("codegen-{}.rs", uuid::Uuid::new_v4().simple()));
    let args: Vec<String> = [
        "codegen",
        "--exclude",
        "ledger",
        "--exclude=entry",
        "--exclude",
        "key*",
        "--out",
        file.to_str().unwrap(),
    ]
    .iter()
    .map(|a| a.to_string())
    .chain(match backend {
        Backend::Postgres => vec!["--schema".into(), "public".into(), "--schema=app".into()],
        _ => Vec::new(),
    })
    .collect();
    let mut out = Vec::new();
    let code = auth_migrate::cli::run::<AppDb>(
        &args,
        &s.url,
        &auth_migrate::cli::Options::stock(),
        &mut out,
    )
    .await
    .unwrap();
    assert_eq!(code, 0);
    assert!(String::from_utf8(out).unwrap().starts_with("wrote "));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), excluded);
    let _ = std::fs::remove_file(&file);
    let mut out = Vec::new();
    let err = auth_migrate::cli::run::<AppDb>(
        &["codegen".into()],
        &s.url,
        &auth_migrate::cli::Options::stock(),
        &mut out,
    )
    .await
    .unwrap_err();
    assert_eq!(err.exit_code(), 1);
    assert!(err.to_string().contains("table ledger"), "{err}");
    db.close().await;
    s.drop_it().await;
}

macro_rules! dialect {
    ($module:ident, $backend:expr) => {
        mod $module {
            use super::*;

            #[tokio::test]
            async fn round_trip() {
                super::round_trip($backend).await;
            }
            #[tokio::test]
            async fn unsupported_tables_are_reported() {
                super::unsupported_tables_are_reported($backend).await;
            }
        }
    };
}

dialect!(sqlite, Backend::Sqlite);
dialect!(postgres, Backend::Postgres);
dialect!(mysql, Backend::MySql);
