//! The runner's and the planner's guarantees, on real PostgreSQL, MariaDB/MySQL and SQLite.
//!
//! Each test gets a fresh database of its own (a new Postgres or MariaDB database, a new SQLite
//! file) from `DATABASE_URL_POSTGRES` / `DATABASE_URL_MYSQL`. Without those variables the server
//! tests are skipped, except under `CI=true`, where they fail. SQLite always runs.

use std::borrow::Cow;

use auth_migrate::model::{Table, lower};
use auth_migrate::{
    Change, Db, DownTarget, Error, Migration, MigrationState, Migrator, Plan, Risk, plan,
};
use auth_schema::Backend;
use auth_schema::kysely::Schema;

// Scratch databases on the three servers: tests/support (shared with the codegen and user-table
// tests).
mod support;
use support::{Scratch, count, scratch};

// ------------------------------------------------------------------------ helpers --

async fn exec(db: &Db, sql: &str) {
    let s = sqlx::AssertSqlSafe(sql.to_owned());
    let r = match db {
        Db::Postgres(p) => sqlx::raw_sql(s).execute(p).await.map(drop),
        Db::MySql(p) => sqlx::raw_sql(s).execute(p).await.map(drop),
        Db::Sqlite(p) => sqlx::raw_sql(s).execute(p).await.map(drop),
        _ => unreachable!(),
    };
    r.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn q(backend: Backend, name: &str) -> String {
    match backend {
        Backend::MySql => format!("`{name}`"),
        _ => format!("\"{name}\""),
    }
}

async fn table_exists(db: &Db, name: &str) -> bool {
    let sql = match db.backend() {
        Backend::Postgres => format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{name}'"
        ),
        Backend::MySql => format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{name}'"
        ),
        Backend::Sqlite => {
            format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'")
        }
    };
    count(db, &sql).await > 0
}

const TABLES: [&str; 5] = [
    "User",
    "Account",
    "Session",
    "VerificationToken",
    "Authenticator",
];

/// Everything a test may compare before and after: every table's shape (the Auth.js tables, the
/// history table, test tables) and the history rows.
async fn snapshot(db: &Db, migrator: &Migrator) -> String {
    let names = [
        "User",
        "Account",
        "Session",
        "VerificationToken",
        "Authenticator",
        "_authjs_migrations",
        "marker",
    ];
    let tables = auth_migrate::introspect::introspect(db, &names, None)
        .await
        .unwrap();
    let status = migrator.status(db).await.unwrap();
    let history = if table_exists(db, "_authjs_migrations").await {
        count(db, "SELECT COUNT(*) FROM _authjs_migrations").await
    } else {
        -1
    };
    format!("{tables:#?}\n{status:#?}\nhistory rows: {history}")
}

/// The plan as a migration of the given version.
fn plan_migration(plan: &Plan, backend: Backend, version: i64, name: &'static str) -> Migration {
    Migration::new(
        version,
        name,
        plan.render_file(backend, version, name, false),
        Some(Cow::Owned(plan.render_file(backend, version, name, true))),
    )
}

/// The first version after the shipped migrations, for the tests' own.
fn next() -> i64 {
    auth_migrate::migration::stock(Backend::Postgres).len() as i64 + 1
}

fn stock_with(backend: Backend, extra: Vec<Migration>) -> Migrator {
    let mut ms = auth_migrate::migration::stock(backend);
    ms.extend(extra);
    Migrator::for_schema::<Schema>(ms)
}

fn shape(tables: &[Table]) -> Vec<String> {
    // Names aside, everything: columns, types, nullability, defaults, keys, indexes, FKs.
    tables
        .iter()
        .map(|t| {
            let mut t = t.clone();
            for i in &mut t.indexes {
                i.name.clear();
            }
            for f in &mut t.foreign_keys {
                f.name = None;
            }
            format!("{t:?}")
        })
        .collect()
}

// ----------------------------------------------------------------------- scenarios --

/// Empty database → plan → apply → plan is empty. The shipped migrations, applied in order,
/// reach the same schema. The first shipped migration is frozen: on PostgreSQL and SQLite it is
/// still exactly the plan on an empty database; on MySQL it is that plan with the collation of
/// its first release (`0002_exact_match` converts it), and its checksum is pinned.
async fn fixpoint_from_empty(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let p = plan::<Schema>(&db).await.unwrap();
    assert_eq!(p.changes.len(), 5);
    assert!(
        p.changes
            .iter()
            .all(|c| matches!(c, Change::CreateTable { .. }))
    );
    let shipped = auth_migrate::migration::stock(backend);
    let planned = p.render_file(backend, 1, "auth_schema", false);
    let frozen = match backend {
        Backend::MySql => {
            planned.replace("COLLATE=utf8mb4_nopad_bin", "COLLATE=utf8mb4_unicode_ci")
        }
        _ => planned.clone(),
    };
    assert_eq!(
        shipped[0].up, frozen,
        "the shipped 0001_auth_schema.up.sql differs from `plan` on an empty database"
    );
    assert_eq!(
        shipped[0].down.as_deref(),
        Some(p.render_file(backend, 1, "auth_schema", true).as_str())
    );
    // Pinned: editing an applied migration breaks every database that ran it.
    let pinned = match backend {
        Backend::Postgres => "19558f3469b892847d65b85ae9fa86bb5be1252e87b709ab09b349544b4cda32",
        Backend::MySql => "a5712ffe42c9b6bd012b63b423b7c260e0ceaee7878c21e544f851a156df27b0",
        Backend::Sqlite => "aba41b399ef17753cb1d13d8baf01ad873484b9997abb64bdf023329d3603d09",
    };
    assert!(
        shipped[0].checksum() == pinned,
        "0001_auth_schema ({backend:?}) changed: checksum {}",
        shipped[0].checksum()
    );
    let m = Migrator::new(vec![plan_migration(&p, backend, 1, "auth_schema")]);
    m.up(&db, None, false).await.unwrap();
    let again = plan::<Schema>(&db).await.unwrap();
    assert!(again.is_empty(), "{:#?}", again.changes);
    db.close().await;
    s.drop_it().await;
}

/// From every prefix of the shipped migrations: plan → apply → plan is empty.
async fn fixpoint_from_every_intermediate_state(backend: Backend) {
    let shipped = auth_migrate::migration::stock(backend);
    for k in 0..=shipped.len() as i64 {
        let Some(s) = scratch(backend).await else {
            return;
        };
        let db = s.db().await;
        let m = Migrator::stock(backend);
        if k > 0 {
            m.up(&db, Some(k), false).await.unwrap();
        }
        let p = plan::<Schema>(&db).await.unwrap();
        if k == shipped.len() as i64 {
            assert!(p.is_empty(), "after all migrations: {:#?}", p.changes);
        } else {
            let fix = Migrator::new(
                shipped[..k as usize]
                    .iter()
                    .cloned()
                    .chain([plan_migration(&p, backend, 1000, "fix")])
                    .collect(),
            );
            fix.up(&db, None, false).await.unwrap();
            let again = plan::<Schema>(&db).await.unwrap();
            assert!(again.is_empty(), "from version {k}: {:#?}", again.changes);
        }
        db.close().await;
        s.drop_it().await;
    }
}

auth_schema::extra_columns! {
    /// A custom model: a phone number on User.
    pub struct Phone for with_phone::user::table, columns in mod phone {
        /// E.164.
        phone_number: auth_schema::sql::Nullable<auth_schema::sql::Text> = "phoneNumber",
    }
}

auth_schema::schema! {
    /// The stock tables plus `User.phoneNumber`.
    pub mod with_phone {
        naming: Kysely,
        id: Uuid,
        user_extras: Phone,
    }
}

/// A custom model adding `User.phoneNumber` plans exactly one `ADD COLUMN`, which applies and
/// reaches the fixpoint.
async fn custom_model_adds_one_column(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    Migrator::stock(backend).up(&db, None, false).await.unwrap();
    let p = plan::<with_phone::Schema>(&db).await.unwrap();
    assert_eq!(p.changes.len(), 1, "{:#?}", p.changes);
    let Change::AddColumn { table, column } = &p.changes[0] else {
        panic!("{:#?}", p.changes)
    };
    assert_eq!(
        (table.as_str(), column.name.as_str()),
        ("User", "phoneNumber")
    );
    assert_eq!(p.changes[0].risk(), Risk::Safe);
    let steps = p.render(backend);
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].sql.len(), 1);
    assert!(
        steps[0].sql[0].starts_with("ALTER TABLE"),
        "{}",
        steps[0].sql[0]
    );
    assert!(
        steps[0].sql[0].contains("ADD COLUMN"),
        "{}",
        steps[0].sql[0]
    );
    let m = Migrator::new(
        auth_migrate::migration::stock(backend)
            .into_iter()
            .chain([plan_migration(&p, backend, next(), "phone_number")])
            .collect(),
    );
    m.up(&db, None, false).await.unwrap();
    assert!(plan::<with_phone::Schema>(&db).await.unwrap().is_empty());
    // And back: the down script drops the column again.
    m.down(&db, DownTarget::Steps(1), false).await.unwrap();
    assert!(plan::<Schema>(&db).await.unwrap().is_empty());
    db.close().await;
    s.drop_it().await;
}

/// Introspecting a freshly created schema gives back the declared one: every column type,
/// nullability, default, primary key (composite ones in key order), unique key, index and
/// foreign key with its actions.
async fn introspection_round_trip(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    for sql in auth_schema::ddl::create_schema::<with_phone::Schema>(backend) {
        exec(&db, &sql).await;
    }
    let live = auth_migrate::introspect::introspect(&db, &TABLES, None)
        .await
        .unwrap();
    let declared = lower::<with_phone::Schema>(backend);
    assert_eq!(shape(&live), shape(&declared));
    // Names too, where the dialect keeps them.
    for (l, d) in live.iter().zip(&declared) {
        let names = |t: &Table| t.indexes.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        if backend != Backend::Sqlite {
            assert_eq!(names(l), names(d), "{}", l.name);
            assert_eq!(l.foreign_keys, d.foreign_keys, "{}", l.name);
        }
    }
    let user = &live[0];
    assert_eq!(
        user.column("id").unwrap().default.as_deref(),
        match backend {
            Backend::Postgres => Some("gen_random_uuid()"),
            Backend::MySql => Some("uuid()"),
            Backend::Sqlite => None,
        }
    );
    assert_eq!(live[4].primary_key, ["userId", "credentialID"]);
    db.close().await;
    s.drop_it().await;
}

fn marker_migration(backend: Backend) -> Migration {
    let slow = match backend {
        Backend::Postgres => "SELECT pg_sleep(0.3);\n",
        Backend::MySql => "SELECT SLEEP(0.3);\n",
        Backend::Sqlite => "",
    };
    Migration::new(
        next(),
        "marker",
        format!(
            "CREATE TABLE marker (n INT NOT NULL);\n{slow}INSERT INTO marker (n) VALUES (1);\n"
        ),
        Some(Cow::Borrowed("DROP TABLE marker;\n")),
    )
}

/// Eight migrators, each with its own pool, race on a fresh database: every one succeeds and
/// each migration is applied exactly once.
async fn eight_migrators_race(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let mut handles = Vec::new();
    for _ in 0..8 {
        let url = s.url.clone();
        handles.push(tokio::spawn(async move {
            let db = Db::connect(&url).await.unwrap();
            let m = stock_with(backend, vec![marker_migration(backend)]);
            let r = m.up(&db, None, false).await;
            db.close().await;
            r
        }));
    }
    let mut applied = Vec::new();
    for h in handles {
        let report = h.await.unwrap().expect("every migrator succeeds");
        assert_eq!(report.version, next());
        applied.extend(report.applied.into_iter().map(|a| a.version));
    }
    applied.sort();
    assert_eq!(
        applied,
        (1..=next()).collect::<Vec<_>>(),
        "each migration applied exactly once"
    );
    let db = s.db().await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM _authjs_migrations").await,
        next()
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM marker").await, 1);
    db.close().await;
    s.drop_it().await;
}

fn failing_migration(second: &str) -> Migration {
    Migration::new(
        next(),
        "two_tables",
        format!("CREATE TABLE first_t (x INT);\n{second};\nCREATE TABLE third_t (y INT);\n"),
        Some(Cow::Borrowed("DROP TABLE third_t;\nDROP TABLE first_t;\n")),
    )
}

/// A migration whose second statement fails leaves no trace on Postgres and SQLite (and the lock
/// is free again); on MySQL it is recorded as partial and resumed once fixed.
async fn failing_second_statement(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let broken = stock_with(
        backend,
        vec![failing_migration("INSERT INTO no_such_table VALUES (1)")],
    )
    .lock_timeout(std::time::Duration::from_secs(5));
    let err = broken.up(&db, None, false).await.unwrap_err();
    match &err {
        Error::Failed {
            label,
            index,
            total,
            ..
        } => {
            assert_eq!(*label, format!("{:04}_two_tables", next()));
            assert_eq!((*index, *total), (2, 3));
            // The database's error is the source, with its code: the undefined table's SQLSTATE
            // (SQLite: SQLITE_ERROR).
            let db = err
                .sqlx_error()
                .and_then(|e| e.as_database_error())
                .unwrap_or_else(|| panic!("the driver's error is the source: {err:?}"));
            let want = match backend {
                Backend::Postgres => "42P01",
                Backend::MySql => "42S02",
                Backend::Sqlite => "1",
            };
            assert_eq!(db.code().as_deref(), Some(want), "{db:?}");
        }
        other => panic!("{other}"),
    }
    assert!(
        err.to_string()
            .contains(&format!("{:04}_two_tables", next())),
        "{err}"
    );
    let last = next() as usize - 1;
    let status = broken.status(&db).await.unwrap();
    let fixed = stock_with(
        backend,
        vec![failing_migration("INSERT INTO first_t VALUES (1)")],
    );
    if backend == Backend::MySql {
        assert!(table_exists(&db, "first_t").await);
        assert_eq!(status.entries[last].state, MigrationState::Partial(1, 3));
        // Resuming an unchanged file fails again, at the same statement; nothing is skipped.
        assert!(matches!(
            broken.up(&db, None, false).await.unwrap_err(),
            Error::Failed { index: 2, .. }
        ));
        // Editing a statement that was already applied is refused.
        let edited = stock_with(
            backend,
            vec![Migration::new(
                next(),
                "two_tables",
                "CREATE TABLE first_t (x BIGINT);\nINSERT INTO first_t VALUES (1);\nCREATE TABLE third_t (y INT);\n",
                None,
            )],
        );
        assert!(matches!(
            edited.up(&db, None, false).await.unwrap_err(),
            Error::Partial { .. }
        ));
        // Fixing the failed statement resumes at it.
        let report = fixed.up(&db, None, false).await.unwrap();
        assert_eq!(report.applied.len(), 1);
        assert_eq!(report.applied[0].resumed_at, Some(2));
        assert_eq!(report.applied[0].statements, 2);
    } else {
        assert!(
            !table_exists(&db, "first_t").await,
            "the first statement was rolled back"
        );
        assert_eq!(status.entries[last].state, MigrationState::Pending);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM _authjs_migrations").await,
            next() - 1
        );
        let report = fixed.up(&db, None, false).await.unwrap();
        assert_eq!(report.applied.len(), 1);
        assert_eq!(report.applied[0].resumed_at, None);
    }
    assert!(table_exists(&db, "third_t").await);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM first_t").await, 1);
    assert!(fixed.status(&db).await.unwrap().is_clean());
    if backend != Backend::Sqlite {
        // The failed run released its lock: a migrator on another pool takes it at once.
        let other = s.db().await;
        fixed
            .clone()
            .lock_timeout(std::time::Duration::from_secs(1))
            .up(&other, None, false)
            .await
            .unwrap();
        other.close().await;
    }
    db.close().await;
    s.drop_it().await;
}

/// Editing an applied migration makes `up` fail, naming it; a CRLF or BOM copy hashes equal.
async fn edited_migration_is_refused(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    Migrator::stock(backend).up(&db, None, false).await.unwrap();
    let mut ms = auth_migrate::migration::stock(backend);
    let original = ms[0].up.to_string();
    ms[0].up = Cow::Owned(original.replacen("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1));
    let err = Migrator::new(ms.clone())
        .up(&db, None, false)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Modified { .. }), "{err}");
    assert!(err.to_string().contains("0001_auth_schema"), "{err}");
    let status = Migrator::new(ms.clone()).status(&db).await.unwrap();
    assert_eq!(status.entries[0].state, MigrationState::Modified);
    for variant in [
        original.replace('\n', "\r\n"),
        format!("\u{feff}{original}"),
        original.replace(";\n", ";   \n"),
    ] {
        ms[0].up = Cow::Owned(variant);
        let report = Migrator::new(ms.clone())
            .up(&db, None, false)
            .await
            .unwrap();
        assert!(report.applied.is_empty());
    }
    // An applied migration the binary no longer ships.
    let err = Migrator::new(Vec::new())
        .up(&db, None, false)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Missing(_)), "{err}");
    db.close().await;
    s.drop_it().await;
}

/// `up --dry-run`, `down --dry-run`, `plan` and `status` change nothing: schema and history are
/// identical before and after, on an empty database (no history table appears) and a migrated one.
async fn dry_run_and_plan_change_nothing(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let m = stock_with(backend, vec![marker_migration(backend)]);
    for stage in 0..2 {
        if stage == 1 {
            m.up(&db, Some(1), false).await.unwrap();
        }
        let before = snapshot(&db, &m).await;
        let dry = m.up(&db, None, true).await.unwrap();
        assert!(dry.dry_run);
        assert_eq!(dry.applied.len() as i64, next() - stage);
        assert!(dry.applied.iter().any(|a| !a.sql.is_empty()));
        let _ = plan::<Schema>(&db).await.unwrap();
        let _ = plan::<with_phone::Schema>(&db).await.unwrap();
        let reverted = m.down(&db, DownTarget::To(0), true).await.unwrap();
        assert_eq!(reverted.len() as i64, stage);
        let _ = m.status(&db).await.unwrap();
        assert_eq!(before, snapshot(&db, &m).await, "stage {stage}");
        if stage == 0 {
            assert!(!table_exists(&db, "_authjs_migrations").await);
        }
    }
    db.close().await;
    s.drop_it().await;
}

/// `up` all, `down` all, `up` again ends in the same schema; `down` all leaves no Auth.js table.
async fn up_down_up(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let m = stock_with(backend, vec![marker_migration(backend)]);
    m.up(&db, None, false).await.unwrap();
    let first = snapshot(&db, &m).await;
    let reverted = m.down(&db, DownTarget::To(0), false).await.unwrap();
    assert_eq!(
        reverted.iter().map(|r| r.version).collect::<Vec<_>>(),
        (1..=next()).rev().collect::<Vec<_>>()
    );
    for t in TABLES.iter().chain(&["marker"]) {
        assert!(!table_exists(&db, t).await, "{t} still exists");
    }
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM _authjs_migrations").await,
        0
    );
    m.up(&db, None, false).await.unwrap();
    let again = snapshot(&db, &m).await;
    // applied_at differs; compare everything else.
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("applied_at") && !l.trim_start().starts_with("\"20"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&first), strip(&again));
    // --steps and --to.
    m.down(&db, DownTarget::Steps(1), false).await.unwrap();
    assert!(!table_exists(&db, "marker").await);
    assert!(table_exists(&db, "User").await);
    m.up(&db, None, false).await.unwrap();
    m.down(&db, DownTarget::To(1), false).await.unwrap();
    assert!(!table_exists(&db, "marker").await);
    db.close().await;
    s.drop_it().await;
}

/// `@auth/kysely-adapter`'s own test schema (packages/adapter-kysely/test/index.test.ts), by hand.
fn kysely_adapter_schema(backend: Backend) -> Vec<&'static str> {
    match backend {
        Backend::Postgres => vec![
            r#"CREATE TABLE "User" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), "name" text, "email" text NOT NULL UNIQUE, "emailVerified" timestamptz DEFAULT NOW(), "image" text)"#,
            r#"CREATE TABLE "Account" ("userId" uuid NOT NULL REFERENCES "User"("id") ON DELETE CASCADE, "type" text NOT NULL, "provider" text NOT NULL, "providerAccountId" text NOT NULL, "refresh_token" text, "access_token" text, "expires_at" bigint, "token_type" text, "scope" text, "id_token" text, "session_state" text)"#,
            r#"CREATE INDEX "Account_userId_index" ON "Account" ("userId")"#,
            r#"CREATE TABLE "Session" ("userId" uuid NOT NULL REFERENCES "User"("id") ON DELETE CASCADE, "sessionToken" text NOT NULL UNIQUE, "expires" timestamptz NOT NULL)"#,
            r#"CREATE TABLE "VerificationToken" ("identifier" text NOT NULL, "token" text NOT NULL UNIQUE, "expires" timestamptz NOT NULL)"#,
        ],
        Backend::MySql => vec![
            "CREATE TABLE `User` (`id` varchar(36) PRIMARY KEY DEFAULT (UUID()), `name` varchar(255), `email` varchar(255) NOT NULL UNIQUE, `emailVerified` DATETIME(3) DEFAULT NOW(3), `image` varchar(255))",
            "CREATE TABLE `Account` (`userId` varchar(36) NOT NULL REFERENCES `User`(`id`) ON DELETE CASCADE, `type` varchar(255) NOT NULL, `provider` varchar(255) NOT NULL, `providerAccountId` varchar(255) NOT NULL, `refresh_token` varchar(255), `access_token` varchar(255), `expires_at` bigint, `token_type` varchar(255), `scope` varchar(255), `id_token` varchar(255), `session_state` varchar(255), CONSTRAINT `Account_userId_fk` FOREIGN KEY (`userId`) REFERENCES `User` (`id`) ON DELETE CASCADE)",
            "CREATE INDEX `Account_userId_index` ON `Account` (`userId`)",
            "CREATE TABLE `Session` (`userId` varchar(36) NOT NULL REFERENCES `User`(`id`) ON DELETE CASCADE, `sessionToken` varchar(255) NOT NULL UNIQUE, `expires` DATETIME(3) NOT NULL, CONSTRAINT `Session_userId_fk` FOREIGN KEY (`userId`) REFERENCES `User` (`id`) ON DELETE CASCADE)",
            "CREATE TABLE `VerificationToken` (`identifier` varchar(255) NOT NULL, `token` varchar(255) NOT NULL UNIQUE, `expires` DATETIME(3) NOT NULL)",
        ],
        Backend::Sqlite => vec![
            r#"CREATE TABLE "User" ("id" varchar PRIMARY KEY NOT NULL, "name" text, "email" text NOT NULL UNIQUE, "emailVerified" timestamptz DEFAULT CURRENT_TIMESTAMP, "image" text)"#,
            r#"CREATE TABLE "Account" ("userId" uuid NOT NULL REFERENCES "User"("id") ON DELETE CASCADE, "type" text NOT NULL, "provider" text NOT NULL, "providerAccountId" text NOT NULL, "refresh_token" text, "access_token" text, "expires_at" bigint, "token_type" text, "scope" text, "id_token" text, "session_state" text)"#,
            r#"CREATE INDEX "Account_userId_index" ON "Account" ("userId")"#,
            r#"CREATE TABLE "Session" ("userId" uuid NOT NULL REFERENCES "User"("id") ON DELETE CASCADE, "sessionToken" text NOT NULL UNIQUE, "expires" timestamptz NOT NULL)"#,
            r#"CREATE TABLE "VerificationToken" ("identifier" text NOT NULL, "token" text NOT NULL UNIQUE, "expires" timestamptz NOT NULL)"#,
        ],
    }
}

/// Our documented fixes over the Kysely adapter's test schema (README, "Migrations"): the plan
/// after `baseline` holds exactly these, and applying it reaches the fixpoint.
fn documented_fixes(backend: Backend) -> Vec<String> {
    let mut fixes: Vec<&str> = match backend {
        Backend::Postgres => vec![
            "drop unique index Session_sessionToken_key on Session (sessionToken)",
            "create table Authenticator",
            "alter column User.emailVerified: default now() -> none",
            "primary key of Account: () -> (provider, providerAccountId)",
            "primary key of Session: () -> (sessionToken)",
            "primary key of VerificationToken: () -> (identifier, token)",
            "add index Session_userId_index on Session (userId)",
        ],
        // MariaDB (unlike MySQL <= 8) honours the inline REFERENCES too, so the Kysely schema has
        // two identical foreign keys per table there. Both go, because text becomes binary (NO
        // PAD), which MySQL allows only on columns no foreign key uses; one comes back after.
        Backend::MySql => vec![
            "drop foreign key Account_ibfk_1 on Account(userId) -> User(id)",
            "drop foreign key Account_userId_fk on Account(userId) -> User(id)",
            "drop foreign key Session_ibfk_1 on Session(userId) -> User(id)",
            "drop foreign key Session_userId_fk on Session(userId) -> User(id)",
            "drop unique index sessionToken on Session (sessionToken)",
            "convert table User to collation utf8mb4_nopad_bin (from utf8mb4_unicode_ci)",
            "convert table Account to collation utf8mb4_nopad_bin (from utf8mb4_unicode_ci)",
            "convert table Session to collation utf8mb4_nopad_bin (from utf8mb4_unicode_ci)",
            "convert table VerificationToken to collation utf8mb4_nopad_bin (from utf8mb4_unicode_ci)",
            "create table Authenticator",
            "alter column User.emailVerified: default current_timestamp(3) -> none",
            "alter column User.image: type varchar(255) -> text",
            "alter column Account.refresh_token: type varchar(255) -> text",
            "alter column Account.access_token: type varchar(255) -> text",
            "alter column Account.scope: type varchar(255) -> text",
            "alter column Account.id_token: type varchar(255) -> text",
            "alter column Account.session_state: type varchar(255) -> text",
            "primary key of Account: () -> (provider, providerAccountId)",
            "primary key of Session: () -> (sessionToken)",
            "primary key of VerificationToken: () -> (identifier, token)",
            "add index Session_userId_index on Session (userId)",
            "add foreign key Account(userId) -> User(id) ON DELETE CASCADE",
            "add foreign key Session(userId) -> User(id) ON DELETE CASCADE",
        ],
        Backend::Sqlite => vec![
            "drop unique index sqlite_autoindex_Session_1 on Session (sessionToken)",
            "create table Authenticator",
            "alter column User.id: type varchar -> text",
            "alter column User.emailVerified: type timestamptz -> text, default current_timestamp -> none",
            "alter column Account.userId: type uuid -> text",
            "alter column Account.expires_at: type integer -> integer",
            "alter column Session.userId: type uuid -> text",
            "alter column Session.expires: type timestamptz -> text",
            "alter column VerificationToken.expires: type timestamptz -> text",
            "primary key of Account: () -> (provider, providerAccountId)",
            "primary key of Session: () -> (sessionToken)",
            "primary key of VerificationToken: () -> (identifier, token)",
            "add index Session_userId_index on Session (userId)",
        ],
    };
    fixes.retain(|f| !f.contains("integer -> integer"));
    fixes.into_iter().map(String::from).collect()
}

/// `baseline` adopts a database made with `@auth/kysely-adapter`'s schema: `up` refuses before it,
/// `plan` after it lists exactly our documented fixes, and applying them reaches the fixpoint.
async fn baseline_kysely_adapter_database(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    for sql in kysely_adapter_schema(backend) {
        exec(&db, sql).await;
    }
    let m = Migrator::stock(backend);
    let err = m.up(&db, None, false).await.unwrap_err();
    assert!(matches!(err, Error::NotBaselined(_, 2)), "{err}");
    assert!(err.to_string().contains("baseline --version 2"), "{err}");
    assert!(!table_exists(&db, "Authenticator").await);
    assert_eq!(
        m.baseline(&db, 2).await.unwrap(),
        ["0001_auth_schema", "0002_exact_match"]
    );
    let status = m.status(&db).await.unwrap();
    assert_eq!(status.entries[0].state, MigrationState::Baseline);
    assert_eq!(status.entries[1].state, MigrationState::Baseline);
    assert!(status.is_clean());
    assert!(m.up(&db, None, false).await.unwrap().applied.is_empty());
    let p = plan::<Schema>(&db).await.unwrap();
    let described: Vec<String> = p.changes.iter().map(Change::describe).collect();
    assert_eq!(described, documented_fixes(backend), "{described:#?}");
    assert!(p.destructive().is_empty());
    // Applying the fixes (as a migration) reaches the declared schema.
    let fix = stock_with(
        backend,
        vec![plan_migration(&p, backend, next(), "kysely_fixes")],
    );
    fix.up(&db, None, false).await.unwrap();
    let after = plan::<Schema>(&db).await.unwrap();
    assert!(after.is_empty(), "{:#?}", after.changes);
    db.close().await;
    s.drop_it().await;
}

/// A destructive plan is flagged: a column the declaration lacks is a destructive drop, and the
/// CLI refuses it without --allow-destructive.
async fn destructive_changes_are_flagged(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    Migrator::stock(backend).up(&db, None, false).await.unwrap();
    exec(
        &db,
        &format!("ALTER TABLE {} ADD COLUMN legacy TEXT", q(backend, "User")),
    )
    .await;
    let p = plan::<Schema>(&db).await.unwrap();
    assert_eq!(p.destructive(), ["drop column User.legacy"]);
    let opts = auth_migrate::cli::Options::stock();
    let mut out = Vec::new();
    let r = auth_migrate::cli::run::<Schema>(&["plan".into()], &s.url, &opts, &mut out).await;
    assert!(
        matches!(
            r,
            Err(auth_migrate::cli::CliError::Run(Error::Destructive(_)))
        ),
        "{r:?}"
    );
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("-- [destructive] drop column User.legacy"),
        "{text}"
    );
    let r = auth_migrate::cli::run::<Schema>(
        &["plan".into(), "--allow-destructive".into()],
        &s.url,
        &opts,
        &mut Vec::new(),
    )
    .await;
    assert!(matches!(r, Ok(0)), "{r:?}");
    db.close().await;
    s.drop_it().await;
}

/// A held lock makes `up` fail with a lock error after its timeout, having run nothing.
async fn lock_timeout_is_an_error(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let holder = s.db().await;
    let hold = match backend {
        Backend::Postgres => {
            "SELECT pg_advisory_lock(CAST(1098216552 AS int), hashtext(current_database() || '.' || current_schema() || '._authjs_migrations'))"
        }
        Backend::MySql => "SELECT GET_LOCK(CONCAT('authjs_migrate:', DATABASE()), 5)",
        Backend::Sqlite => "BEGIN IMMEDIATE",
    };
    // One connection holds the lock (a pool of one, so the session stays the same).
    let one = match &holder {
        Db::Postgres(p) => {
            let mut c = p.acquire().await.unwrap();
            sqlx::raw_sql(hold).execute(&mut *c).await.unwrap();
            Box::new(c) as Box<dyn std::any::Any + Send>
        }
        Db::MySql(p) => {
            let mut c = p.acquire().await.unwrap();
            sqlx::raw_sql(hold).execute(&mut *c).await.unwrap();
            Box::new(c) as Box<dyn std::any::Any + Send>
        }
        Db::Sqlite(p) => {
            let mut c = p.acquire().await.unwrap();
            sqlx::raw_sql(hold).execute(&mut *c).await.unwrap();
            Box::new(c) as Box<dyn std::any::Any + Send>
        }
        _ => unreachable!(),
    };
    let m = Migrator::stock(backend).lock_timeout(std::time::Duration::from_secs(1));
    let start = std::time::Instant::now();
    let err = m.up(&db, None, false).await.unwrap_err();
    assert!(matches!(err, Error::LockTimeout(_)), "{err}");
    assert!(start.elapsed() >= std::time::Duration::from_millis(900));
    drop(one);
    holder.close().await;
    assert!(!table_exists(&db, "User").await, "nothing ran");
    // Once released, it proceeds.
    m.up(&db, None, false).await.unwrap();
    db.close().await;
    s.drop_it().await;
}

/// A pending migration older than an applied one is an error by default.
async fn out_of_order_is_refused(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let three = Migration::new(101, "three", "CREATE TABLE t3 (x INT);", None);
    stock_with(backend, vec![three.clone()])
        .up(&db, None, false)
        .await
        .unwrap();
    let two = Migration::new(100, "two", "CREATE TABLE t2 (x INT);", None);
    let err = stock_with(backend, vec![two, three])
        .up(&db, None, false)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutOfOrder { .. }), "{err}");
    assert!(err.to_string().contains("0100_two"), "{err}");
    assert!(!table_exists(&db, "t2").await);
    db.close().await;
    s.drop_it().await;
}

// ------------------------------------------------------------- crashes during `up` --

#[path = "../../tests/support/delay_proxy.rs"]
mod delay_proxy;

/// The child process of [`killed_during_up`]: applies the stock migrations to the database in
/// `AUTH_MIGRATE_CHILD_URL`. Ignored in a normal run; the parent runs this binary with
/// `--ignored --exact child_migrate_up`.
#[tokio::test]
#[ignore = "the child process of killed_during_up"]
async fn child_migrate_up() {
    let Ok(url) = std::env::var("AUTH_MIGRATE_CHILD_URL") else {
        return;
    };
    let db = Db::connect(&url).await.expect("the child connects");
    let backend = db.backend();
    eprintln!("child: migrating");
    Migrator::stock(backend)
        .up(&db, None, false)
        .await
        .expect("the child's up");
}

/// Runs the child migrator on `url` and kills it (SIGKILL) after `after`, or lets it finish
/// with `None`. Returns how long it ran.
fn run_child(url: &str, after: Option<std::time::Duration>) -> std::time::Duration {
    let start = std::time::Instant::now();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_migrate_up",
            "--test-threads=1",
        ])
        .env("AUTH_MIGRATE_CHILD_URL", url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the child process starts");
    match after {
        Some(d) => {
            std::thread::sleep(d);
            let _ = child.kill();
            let _ = child.wait();
        }
        None => {
            let status = child.wait().expect("the child process");
            assert!(status.success(), "the uninterrupted child failed");
        }
    }
    start.elapsed()
}

/// What the history said right after a kill, for the test's report.
async fn history_state(db: &Db, m: &Migrator) -> String {
    match m.status(db).await {
        Ok(status) => status
            .entries
            .iter()
            .map(|e| format!("{}:{}", e.version, e.state))
            .collect::<Vec<_>>()
            .join(" "),
        Err(e) => format!("no history ({e})"),
    }
}

/// `migrate up` in a child process, killed with SIGKILL at 14 points spread over its run (on
/// Postgres and MariaDB through a proxy that slows every reply, so the points fall between and
/// inside statements): every next `up` succeeds, the history is complete and `plan` is empty.
async fn killed_during_up(backend: Backend) {
    const POINTS: u32 = 14;
    let delay = std::time::Duration::from_millis(match backend {
        Backend::Sqlite => 0,
        _ => 4,
    });
    let proxied = |s: &Scratch| -> (String, Option<delay_proxy::DelayProxy>) {
        if backend == Backend::Sqlite {
            return (s.url.clone(), None);
        }
        let rest = s.url.split_once("://").unwrap().1;
        let authority = rest.split('/').next().unwrap();
        let host_port = authority.rsplit('@').next().unwrap().to_owned();
        let proxy = futures_block(delay_proxy::DelayProxy::start(&host_port, delay));
        (proxy.url(&s.url), Some(proxy))
    };
    // One uninterrupted run measures the span the kills are spread over.
    let Some(s) = scratch(backend).await else {
        return;
    };
    let (url, proxy) = proxied(&s);
    let span = tokio::task::spawn_blocking(move || run_child(&url, None))
        .await
        .unwrap();
    drop(proxy);
    s.drop_it().await;
    let m = Migrator::stock(backend);
    let mut seen = std::collections::BTreeSet::new();
    // The distinct states the kills must find (SQLite applies each migration in one
    // transaction, so few states can be seen there at all).
    let distinct = if backend == Backend::Sqlite { 2 } else { 3 };
    // The kills are spread over `window`. On a loaded machine a child can run slower or faster
    // than the measured run, so that every kill lands before its first statement or after its
    // last commit: the next sweep then looks later, or between the last kill that found nothing
    // applied and the first that found everything applied (each sweep checks every kill all the
    // same).
    let mut window = (std::time::Duration::ZERO, span);
    // Up to 8 sweeps: on a loaded machine the start of a child varies by more than the few tens
    // of milliseconds between two commits, so the window may need narrowing several times.
    for sweep in 1..=8u32 {
        let mut kills: Vec<(std::time::Duration, String)> = Vec::new();
        for point in 0..POINTS {
            let s = scratch(backend).await.unwrap();
            let (url, proxy) = proxied(&s);
            let after = window.0
                + (window.1 - window.0).mul_f64((f64::from(point) + 0.5) / f64::from(POINTS));
            tokio::task::spawn_blocking(move || run_child(&url, Some(after)))
                .await
                .unwrap();
            drop(proxy);
            let db = s.db().await;
            let state = history_state(&db, &m).await;
            // The next `up` finishes the job, whatever the kill interrupted.
            let report = m
                .up(&db, None, false)
                .await
                .unwrap_or_else(|e| panic!("up after a kill at {after:?} ({state}): {e}"));
            assert_eq!(report.version, m.latest());
            let status = m.status(&db).await.unwrap();
            assert!(
                status.is_clean(),
                "after a kill at {after:?} ({state}): {status:?}"
            );
            assert_eq!(
                count(&db, "SELECT COUNT(*) FROM _authjs_migrations").await,
                m.latest()
            );
            let p = plan::<Schema>(&db).await.unwrap();
            assert!(
                p.is_empty(),
                "after a kill at {after:?} ({state}): {:#?}",
                p.changes
            );
            eprintln!("kill at {after:?}: {state}");
            kills.push((after, state.clone()));
            seen.insert(state);
            db.close().await;
            s.drop_it().await;
        }
        if seen.len() >= distinct {
            break;
        }
        let all = |state: &str, word: &str| state.split(' ').all(|m| m.ends_with(word));
        let nothing_applied = kills
            .iter()
            .filter(|(_, st)| all(st, ":pending"))
            .map(|k| k.0)
            .max();
        let all_applied = kills
            .iter()
            .filter(|(_, st)| all(st, ":applied"))
            .map(|k| k.0)
            .min();
        window = match (nothing_applied, all_applied) {
            (Some(lo), Some(hi)) if lo < hi => (lo, hi),
            (_, None) => (window.0, window.1 * 2),
            _ => (std::time::Duration::ZERO, window.1 * 2),
        };
        eprintln!("sweep {sweep} found {seen:?}: sweeping again over {window:?}");
    }
    // The kills landed at different points of the run, not all before or after it.
    assert!(
        seen.len() >= distinct,
        "the kills found too few states: {seen:?}"
    );
}

/// `block_on` for starting the proxy from a sync closure inside the test's runtime.
fn futures_block<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

/// MySQL: a migrator that stopped inside a statement leaves an intent in the history. The next
/// `up` checks that statement's effect in the catalog: applied, it goes on after it; absent, it
/// runs it; unknowable (a data change), it stops, names it, and `resolve` records the answer.
async fn interrupted_statement_is_checked(backend: Backend) {
    assert_eq!(backend, Backend::MySql);
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let m = Migrator::stock(backend);
    m.up(&db, Some(1), false).await.unwrap();
    let statements = m.migrations()[1].up_statements();
    let prefix = |k: usize| auth_migrate::checksum::checksum(&statements[..k].join(";\n"));
    let intent = |k: usize| {
        format!(
            "INSERT INTO _authjs_migrations (version, name, checksum, applied_at, duration_ms, statements_applied, statements_total, state, partial_checksum) \
             VALUES (2, 'exact_match', '{}', 'now', 0, {k}, {}, 'executing', '{}')",
            m.migrations()[1].checksum(),
            statements.len(),
            prefix(k)
        )
    };
    // Statements 1-3 drop the foreign keys; 4 converts `User`. Killed after 4 took effect:
    for sql in &statements[..4] {
        exec(&db, sql).await;
    }
    exec(&db, &intent(3)).await;
    let status = m.status(&db).await.unwrap();
    assert_eq!(
        status.entries[1].state,
        MigrationState::Interrupted(3, statements.len() as i64)
    );
    let report = m.up(&db, None, false).await.unwrap();
    assert_eq!(
        report.applied[0].resumed_at,
        Some(5),
        "goes on after the applied statement"
    );
    assert!(plan::<Schema>(&db).await.unwrap().is_empty());
    // Killed before statement 4 took effect: it runs.
    m.down(&db, DownTarget::To(1), false).await.unwrap();
    for sql in &statements[..3] {
        exec(&db, sql).await;
    }
    exec(&db, &intent(3)).await;
    let report = m.up(&db, None, false).await.unwrap();
    assert_eq!(
        report.applied[0].resumed_at,
        Some(4),
        "runs the statement again"
    );
    assert!(plan::<Schema>(&db).await.unwrap().is_empty());
    // A data change cannot be checked: `up` stops and names it; `resolve` answers.
    let data = Migration::new(
        next(),
        "backfill",
        "CREATE TABLE counters (n INT NOT NULL);\nINSERT INTO counters VALUES (1);\nUPDATE counters SET n = n + 1;\n",
        None,
    );
    let with_data = stock_with(backend, vec![data.clone()]);
    let statements = data.up_statements();
    exec(&db, &statements[0]).await;
    exec(&db, &statements[1]).await;
    exec(
        &db,
        &format!(
            "INSERT INTO _authjs_migrations (version, name, checksum, applied_at, duration_ms, statements_applied, statements_total, state, partial_checksum) \
             VALUES ({}, 'backfill', '{}', 'now', 0, 1, 3, 'executing', '{}')",
            next(),
            data.checksum(),
            auth_migrate::checksum::checksum(&statements[..1].join(";\n"))
        ),
    )
    .await;
    let err = with_data.up(&db, None, false).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("statement 2 was running"), "{text}");
    assert!(text.contains("INSERT INTO counters"), "{text}");
    assert!(text.contains("resolve --applied"), "{text}");
    // The INSERT did take effect (it was run above): say so, and `up` goes on after it.
    assert_eq!(with_data.resolve(&db, true).await.unwrap().1, 2);
    let report = with_data.up(&db, None, false).await.unwrap();
    assert_eq!(report.applied[0].resumed_at, Some(3));
    assert_eq!(
        count(&db, "SELECT MAX(n) FROM counters").await,
        2,
        "not inserted twice"
    );
    assert!(with_data.status(&db).await.unwrap().is_clean());
    assert!(matches!(
        with_data.resolve(&db, true).await,
        Err(Error::Config(_))
    ));
    db.close().await;
    s.drop_it().await;
}

#[tokio::test]
async fn mysql_interrupted_statement_is_checked() {
    interrupted_statement_is_checked(Backend::MySql).await;
}

macro_rules! dialect {
    ($module:ident, $backend:expr) => {
        mod $module {
            use super::*;

            #[tokio::test]
            async fn fixpoint_from_empty() {
                super::fixpoint_from_empty($backend).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn killed_during_up() {
                super::killed_during_up($backend).await;
            }
            #[tokio::test]
            async fn fixpoint_from_every_intermediate_state() {
                super::fixpoint_from_every_intermediate_state($backend).await;
            }
            #[tokio::test]
            async fn custom_model_adds_one_column() {
                super::custom_model_adds_one_column($backend).await;
            }
            #[tokio::test]
            async fn introspection_round_trip() {
                super::introspection_round_trip($backend).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn eight_migrators_race() {
                super::eight_migrators_race($backend).await;
            }
            #[tokio::test]
            async fn failing_second_statement() {
                super::failing_second_statement($backend).await;
            }
            #[tokio::test]
            async fn edited_migration_is_refused() {
                super::edited_migration_is_refused($backend).await;
            }
            #[tokio::test]
            async fn dry_run_and_plan_change_nothing() {
                super::dry_run_and_plan_change_nothing($backend).await;
            }
            #[tokio::test]
            async fn up_down_up() {
                super::up_down_up($backend).await;
            }
            #[tokio::test]
            async fn baseline_kysely_adapter_database() {
                super::baseline_kysely_adapter_database($backend).await;
            }
            #[tokio::test]
            async fn destructive_changes_are_flagged() {
                super::destructive_changes_are_flagged($backend).await;
            }
            #[tokio::test]
            async fn lock_timeout_is_an_error() {
                super::lock_timeout_is_an_error($backend).await;
            }
            #[tokio::test]
            async fn out_of_order_is_refused() {
                super::out_of_order_is_refused($backend).await;
            }
        }
    };
}

dialect!(sqlite, Backend::Sqlite);
dialect!(postgres, Backend::Postgres);
dialect!(mysql, Backend::MySql);

// ------------------------------------------------------------------- SQLite rebuild --

/// A SQLite rebuild of `User` (here: `name` goes from NOT NULL DEFAULT '' back to nullable) on a
/// database seeded with accounts and sessions keeps every child row; `PRAGMA foreign_key_check`
/// is empty afterwards, the indexes are back and foreign keys are on again.
#[tokio::test]
async fn sqlite_rebuild_keeps_child_rows() {
    let s = scratch(Backend::Sqlite).await.unwrap();
    let db = s.db().await;
    let stock = auth_migrate::migration::stock(Backend::Sqlite);
    let altered = stock[0]
        .up
        .replacen(r#""name" text,"#, r#""name" text NOT NULL DEFAULT '',"#, 1);
    assert_ne!(altered, stock[0].up);
    for sql in auth_migrate::migration::split_statements(&altered) {
        exec(&db, &sql).await;
    }
    for u in 0..20 {
        exec(
            &db,
            &format!(r#"INSERT INTO "User" (id, name, email) VALUES ('u{u}', 'n{u}', 'u{u}@x')"#),
        )
        .await;
        for a in 0..3 {
            exec(&db, &format!(
                r#"INSERT INTO "Account" ("userId", type, provider, "providerAccountId") VALUES ('u{u}', 'oauth', 'p{a}', 'u{u}-{a}')"#
            ))
            .await;
        }
        exec(&db, &format!(
            r#"INSERT INTO "Session" ("userId", "sessionToken", expires) VALUES ('u{u}', 's{u}', '2030-01-01T00:00:00.000Z')"#
        ))
        .await;
    }
    let p = plan::<Schema>(&db).await.unwrap();
    assert_eq!(p.changes.len(), 1, "{:#?}", p.changes);
    let steps = p.render(Backend::Sqlite);
    assert_eq!(steps.len(), 1);
    assert!(steps[0].rebuild);
    assert!(steps[0].description.starts_with("rebuild table User"));
    let file = p.render_file(Backend::Sqlite, 2, "rebuild_user", false);
    assert!(file.contains(auth_migrate::migration::FOREIGN_KEYS_OFF));

    // Without foreign keys off, the same statements would cascade-delete every child row.
    // (The file is in WAL mode: its pages go into the main file before it is copied.)
    exec(&db, "PRAGMA wal_checkpoint(TRUNCATE)").await;
    let control = scratch(Backend::Sqlite).await.unwrap();
    std::fs::copy(&s.name, &control.name).unwrap();
    let cdb = control.db().await;
    let mut script = String::from("BEGIN;\n");
    for sql in &steps[0].sql {
        script.push_str(sql);
        script.push_str(";\n");
    }
    script.push_str("COMMIT;\n");
    exec(&cdb, &script).await;
    assert_eq!(count(&cdb, r#"SELECT COUNT(*) FROM "Account""#).await, 0);
    cdb.close().await;
    control.drop_it().await;

    // Through the runner: baseline the hand-made database, then apply the rebuild.
    let m = Migrator::new(vec![
        stock[0].clone(),
        Migration::new(2, "rebuild_user", file, None),
    ]);
    m.baseline(&db, 1).await.unwrap();
    m.up(&db, None, false).await.unwrap();
    assert_eq!(count(&db, r#"SELECT COUNT(*) FROM "User""#).await, 20);
    assert_eq!(count(&db, r#"SELECT COUNT(*) FROM "Account""#).await, 60);
    assert_eq!(count(&db, r#"SELECT COUNT(*) FROM "Session""#).await, 20);
    let Db::Sqlite(pool) = &db else {
        unreachable!()
    };
    let violations = sqlx::raw_sql("PRAGMA foreign_key_check")
        .fetch_all(pool)
        .await
        .unwrap();
    assert!(violations.is_empty());
    assert_eq!(count(&db, "PRAGMA foreign_keys").await, 1);
    assert!(plan::<Schema>(&db).await.unwrap().is_empty());
    // Cascades still work after the rebuild.
    exec(&db, r#"DELETE FROM "User" WHERE id = 'u0'"#).await;
    assert_eq!(count(&db, r#"SELECT COUNT(*) FROM "Account""#).await, 57);
    db.close().await;
    s.drop_it().await;
}

/// Bad input to the CLI is a one-line error, never a panic: unknown command, bad URL, missing
/// feature-less scheme, unreachable server.
#[tokio::test]
async fn cli_errors_are_one_line() {
    let opts = auth_migrate::cli::Options::stock();
    let run = |args: &[&str], url: &str| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let url = url.to_owned();
        let opts = opts.clone();
        async move {
            let mut out = Vec::new();
            let r = auth_migrate::cli::run::<Schema>(&args, &url, &opts, &mut out).await;
            (r, String::from_utf8(out).unwrap())
        }
    };
    let (r, _) = run(&["frobnicate"], "sqlite::memory:").await;
    assert!(matches!(r, Err(auth_migrate::cli::CliError::Usage(m)) if m.contains("frobnicate")));
    let (r, _) = run(&["status"], "not a url").await;
    assert!(
        matches!(r, Err(auth_migrate::cli::CliError::Run(Error::Config(_)))),
        "{r:?}"
    );
    let (r, _) = run(&["status"], "oracle://x/y").await;
    assert!(
        matches!(r, Err(auth_migrate::cli::CliError::Run(Error::Config(m))) if m.contains("unsupported"))
    );
    let (r, _) = run(&["status"], "postgres://u:p@127.0.0.1:1/db").await;
    match r {
        Err(auth_migrate::cli::CliError::Run(e @ Error::Connect { .. })) => {
            assert!(!e.to_string().contains('\n'));
            // The driver's error is the source.
            assert!(e.sqlx_error().is_some(), "{e:?}");
        }
        other => panic!("{other:?}"),
    }
    let (r, _) = run(&["down", "--to", "1", "--steps", "2"], "sqlite::memory:").await;
    assert!(matches!(r, Err(auth_migrate::cli::CliError::Usage(_))));
    let (r, out) = run(&["--help"], "sqlite::memory:").await;
    assert!(matches!(r, Ok(0)));
    assert!(out.contains("baseline --version V"));
    // The default command on a fresh in-memory database: up, then status --check is clean.
    let (r, out) = run(&[], "sqlite::memory:").await;
    assert!(matches!(r, Ok(0)), "{r:?}");
    assert!(out.contains("applied 0001_auth_schema"), "{out}");
}

/// The README's session, through the CLI: `plan --write` on a custom model numbers the new
/// migration after the shipped ones, `up` applies it, and `status --check` is then clean.
#[tokio::test]
async fn cli_plan_write_then_up_for_a_custom_model() {
    let s = scratch(Backend::Sqlite).await.unwrap();
    let dir = std::env::temp_dir()
        .join("authjs-migrate-tests")
        .join(format!("dir_{}", uuid::Uuid::new_v4().simple()));
    let stock = auth_migrate::cli::Options::stock();
    let custom = auth_migrate::cli::Options {
        migrations: std::sync::Arc::new({
            let dir = dir.clone();
            move |b| {
                let mut all = auth_migrate::migration::stock(b);
                all.extend(auth_migrate::migration::load_dir(&dir, b)?);
                Ok(all)
            }
        }),
        write_dir: dir.clone(),
        ..auth_migrate::cli::Options::stock()
    };
    let args = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut out = Vec::new();
    let r = auth_migrate::cli::run::<Schema>(&[], &s.url, &stock, &mut out).await;
    assert!(matches!(r, Ok(0)), "{r:?}");
    let mut out = Vec::new();
    let r = auth_migrate::cli::run::<with_phone::Schema>(
        &args(&["plan", "--write", "add_phone_number"]),
        &s.url,
        &custom,
        &mut out,
    )
    .await;
    assert!(matches!(r, Ok(0)), "{r:?}");
    let text = String::from_utf8(out).unwrap();
    let label = format!("{:04}_add_phone_number", next());
    assert!(text.contains(&format!("wrote migration {label}")), "{text}");
    for d in ["postgres", "mysql", "sqlite"] {
        for kind in ["up", "down"] {
            assert!(dir.join(d).join(format!("{label}.{kind}.sql")).exists());
        }
    }
    let mut out = Vec::new();
    let r = auth_migrate::cli::run::<with_phone::Schema>(
        &args(&["status", "--check"]),
        &s.url,
        &custom,
        &mut out,
    )
    .await;
    assert!(matches!(r, Ok(1)), "pending before up: {r:?}");
    let mut out = Vec::new();
    let r = auth_migrate::cli::run::<with_phone::Schema>(&[], &s.url, &custom, &mut out).await;
    assert!(matches!(r, Ok(0)), "{r:?}");
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains(&format!("applied {label}"))
    );
    let mut out = Vec::new();
    let r = auth_migrate::cli::run::<with_phone::Schema>(
        &args(&["status", "--check"]),
        &s.url,
        &custom,
        &mut out,
    )
    .await;
    assert!(matches!(r, Ok(0)), "{}", String::from_utf8(out).unwrap());
    // A second migration with a version already taken is refused, naming both.
    let dup = Migrator::new(vec![
        auth_migrate::migration::stock(Backend::Sqlite)[0].clone(),
        Migration::new(1, "again", "SELECT 1;", None),
    ]);
    let db = s.db().await;
    let err = dup.up(&db, None, false).await.unwrap_err();
    assert!(
        err.to_string().contains("two migrations have version 1"),
        "{err}"
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    s.drop_it().await;
}

auth_schema::schema! {
    /// Tables qualified by a Postgres schema of their own.
    pub mod qualified {
        naming: SnakeCase,
        id: Text,
        postgres_schema: "auth",
    }
}

/// A schema declared with `postgres_schema`: `plan` creates the schema and the tables in it,
/// introspection reads that schema, and the second plan is empty.
#[tokio::test]
async fn postgres_qualified_schema_fixpoint() {
    let Some(s) = scratch(Backend::Postgres).await else {
        return;
    };
    let db = s.db().await;
    let p = plan::<qualified::Schema>(&db).await.unwrap();
    assert_eq!(p.changes.len(), 5);
    let file = p.render_file(Backend::Postgres, 1, "auth_schema", false);
    assert!(
        file.contains(r#"CREATE SCHEMA IF NOT EXISTS "auth""#),
        "{file}"
    );
    assert!(file.contains(r#"CREATE TABLE "auth"."user""#), "{file}");
    Migrator::new(vec![Migration::new(1, "auth_schema", file, None)])
        .up(&db, None, false)
        .await
        .unwrap();
    let again = plan::<qualified::Schema>(&db).await.unwrap();
    assert!(again.is_empty(), "{:#?}", again.changes);
    // A custom change in the qualified schema renders qualified names.
    exec(&db, r#"DROP INDEX "auth"."session_user_id_index""#).await;
    let p = plan::<qualified::Schema>(&db).await.unwrap();
    let sql: Vec<String> = p
        .render(Backend::Postgres)
        .into_iter()
        .flat_map(|s| s.sql)
        .collect();
    assert_eq!(sql.len(), 1, "{sql:?}");
    for stmt in &sql {
        exec(&db, stmt).await;
    }
    assert!(plan::<qualified::Schema>(&db).await.unwrap().is_empty());
    db.close().await;
    s.drop_it().await;
}
