//! The planner on a database of an application's own tables plus the Auth.js ones
//! (`support/app.rs`), on real PostgreSQL, MariaDB/MySQL and SQLite: creation order, the
//! fixpoint from an empty database and from every prefix of its plan, the way from an older
//! version of the tables, and rename offers.

mod support;

use auth_migrate::model::lower;
use auth_migrate::{Change, DownTarget, Risk, introspect, plan};
use auth_schema::{Backend, Database};
use support::app::{AppDb, v1};
use support::{Applied, exec, q, scalar_string, scratch, shape};

fn created(p: &auth_migrate::Plan) -> Vec<&str> {
    p.changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable { table } => Some(table.as_str()),
            _ => None,
        })
        .collect()
}

/// Empty database → plan → apply → plan is empty, and introspection gives back exactly the
/// declared tables (names included where the dialect keeps them). Tables are created after the
/// tables they reference; the foreign key that closes the cycle team → project → team comes
/// after both. The down script drops them children first, back to an empty database.
async fn fixpoint_from_empty(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let p = plan::<AppDb>(&db).await.unwrap();
    let order: Vec<&str> = auth_schema::creation_order(&AppDb::tables())
        .iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(created(&p), order);
    assert_eq!(
        order,
        [
            "User",
            "Account",
            "Session",
            "VerificationToken",
            "Authenticator",
            "team",
            "project",
            "membership",
            "apiKey",
            "grant"
        ]
    );
    assert!(p.changes.iter().all(|c| p.risk_of(c) == Risk::Safe));
    let deferred: Vec<String> = p
        .changes
        .iter()
        .filter(|c| matches!(c, Change::AddForeignKey { .. }))
        .map(Change::describe)
        .collect();
    assert_eq!(
        deferred,
        ["add foreign key team(default_project_id) -> project(id) ON DELETE SET NULL"]
    );
    let file = p.render_file(backend, 1, "app", false);
    match backend {
        Backend::Postgres => {
            assert!(
                file.contains(r#"CREATE SCHEMA IF NOT EXISTS "app""#),
                "{file}"
            );
            assert!(file.contains(r#"CREATE TABLE "app"."grant""#), "{file}");
            assert!(
                file.contains(r#"REFERENCES "membership" ("team_id", "user_id")"#),
                "{file}"
            );
        }
        // SQLite checks foreign keys on writes: the cycle stays in `CREATE TABLE`.
        Backend::Sqlite => assert!(!file.contains("ALTER TABLE"), "{file}"),
        Backend::MySql => assert!(file.contains("ALTER TABLE `team` ADD CONSTRAINT"), "{file}"),
    }
    let mut applied = Applied::default();
    applied.apply(&db, &p).await;
    let again = plan::<AppDb>(&db).await.unwrap();
    assert!(again.is_empty(), "{:#?}", again.changes);

    let live = introspect::introspect_declared(&db, &AppDb::tables())
        .await
        .unwrap();
    let declared = lower::<AppDb>(backend);
    assert_eq!(shape(&live), shape(&declared));
    if backend != Backend::Sqlite {
        for (l, d) in live.iter().zip(&declared) {
            assert_eq!(l.foreign_keys, d.foreign_keys, "{}", l.name);
            let names = |t: &auth_migrate::model::Table| {
                t.indexes.iter().map(|i| i.name.clone()).collect::<Vec<_>>()
            };
            assert_eq!(names(l), names(d), "{}", l.name);
        }
    }
    for t in &live {
        assert!(t.unmodeled.is_empty(), "{}: {:?}", t.name, t.unmodeled);
    }

    // Down: children first, then nothing is left.
    let down = p.render_down(backend).expect("reversible");
    let drops: Vec<String> = down
        .iter()
        .filter_map(|s| s.strip_prefix("DROP TABLE ").map(str::to_owned))
        .collect();
    let mut reversed: Vec<String> = order
        .iter()
        .rev()
        .map(|t| match (backend, *t) {
            (Backend::Postgres, "grant") => r#""app"."grant""#.to_owned(),
            _ => q(backend, t),
        })
        .collect();
    reversed.retain(|_| true);
    assert_eq!(drops, reversed);
    applied
        .migrator()
        .down(&db, DownTarget::To(0), false)
        .await
        .unwrap();
    let after = plan::<AppDb>(&db).await.unwrap();
    assert_eq!(created(&after), order);
    db.close().await;
    s.drop_it().await;
}

/// From every prefix of the plan on an empty database (its first k steps applied by hand):
/// plan → apply → plan is empty. Every such plan only creates tables and foreign keys.
async fn fixpoint_from_every_prefix(backend: Backend) {
    let steps = {
        let Some(s) = scratch(backend).await else {
            return;
        };
        let db = s.db().await;
        let steps = plan::<AppDb>(&db).await.unwrap().render(backend);
        db.close().await;
        s.drop_it().await;
        steps
    };
    assert!(steps.len() >= 10, "{steps:#?}");
    for k in 1..=steps.len() {
        let Some(s) = scratch(backend).await else {
            return;
        };
        let db = s.db().await;
        for step in &steps[..k] {
            for sql in &step.sql {
                exec(&db, sql).await;
            }
        }
        let p = plan::<AppDb>(&db).await.unwrap();
        if k == steps.len() {
            assert!(p.is_empty(), "after every step: {:#?}", p.changes);
        } else {
            assert!(!p.is_empty(), "after {k} step(s)");
            // Creates, and the foreign key that closes the cycle once its table exists.
            assert!(
                p.destructive().is_empty(),
                "after {k} step(s): {:#?}",
                p.changes
            );
            assert!(
                p.changes.iter().all(|c| matches!(
                    c,
                    Change::CreateTable { .. } | Change::AddForeignKey { .. }
                )),
                "after {k} step(s): {:#?}",
                p.changes
            );
            Applied::default().apply(&db, &p).await;
            let again = plan::<AppDb>(&db).await.unwrap();
            assert!(again.is_empty(), "after {k} step(s): {:#?}", again.changes);
        }
        db.close().await;
        s.drop_it().await;
    }
}

/// From version 1 of the app's tables, holding rows, to version 2: types widened and narrowed,
/// nullability, defaults, an identity, keys and indexes, foreign key actions changed, columns
/// added and dropped, tables created. Applied, the plan reaches the fixpoint and the rows are
/// still there.
async fn from_an_older_version(backend: Backend) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let mut applied = Applied::default();
    let p1 = plan::<v1::AppDb>(&db).await.unwrap();
    applied.apply(&db, &p1).await;
    assert!(plan::<v1::AppDb>(&db).await.unwrap().is_empty());
    let user = "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10";
    for sql in [
        format!(
            "INSERT INTO {} (id, email) VALUES ('{user}', 'ada@example.com')",
            q(backend, "User")
        ),
        format!(
            "INSERT INTO team (id, name, slug, owner_id, created_at) VALUES (7, 'Core', 'core', '{user}', '2024-05-06 07:08:09')"
        ),
        format!(
            "INSERT INTO project (team_id, {}, budget, status, summary) VALUES (7, 'Rust', 2.5, 'open', 'long text')",
            q(backend, "projectTitle")
        ),
        format!(
            "INSERT INTO membership (team_id, user_id, role, joined_at) VALUES (7, '{user}', 2, '2024-05-06 07:08:09')"
        ),
    ] {
        exec(&db, &sql).await;
    }
    let p = plan::<AppDb>(&db).await.unwrap();
    let described: Vec<String> = p.changes.iter().map(Change::describe).collect();
    assert_eq!(
        p.destructive(),
        match backend {
            // `text` to `varchar(80)` narrows; on MySQL `Text` is `varchar(255)` already.
            Backend::Postgres | Backend::Sqlite => vec![
                "alter column team.name: type text -> varchar(80)".to_owned(),
                "drop column project.summary".to_owned(),
            ],
            Backend::MySql => vec![
                "alter column team.name: type varchar(255) -> varchar(80)".to_owned(),
                "drop column project.summary".to_owned(),
            ],
        },
        "{described:#?}"
    );
    for expected in [
        "create table apiKey",
        "create table grant",
        "add unique index team_slug_key on team (slug)",
        "add foreign key team(default_project_id) -> project(id) ON DELETE SET NULL",
        "add column membership.weight",
    ] {
        assert!(
            described.iter().any(|d| d.starts_with(expected)),
            "{expected}: {described:#?}"
        );
    }
    applied.apply(&db, &p).await;
    let again = plan::<AppDb>(&db).await.unwrap();
    assert!(again.is_empty(), "{:#?}", again.changes);
    let kept = scalar_string(
        &db,
        &format!(
            "SELECT {} FROM project WHERE team_id = 7",
            q(backend, "projectTitle")
        ),
    )
    .await;
    assert_eq!(kept.as_deref(), Some("Rust"));
    let slug = scalar_string(&db, "SELECT slug FROM team WHERE id = 7").await;
    assert_eq!(slug.as_deref(), Some("core"));
    let member = scalar_string(
        &db,
        &format!(
            "SELECT {} FROM membership WHERE team_id = 7",
            match backend {
                Backend::Postgres => "user_id::text",
                _ => "user_id",
            }
        ),
    )
    .await;
    assert_eq!(member.as_deref(), Some(user));
    db.close().await;
    s.drop_it().await;
}

mod renamed {
    auth_schema::table! {
        /// Before: `body`.
        pub mod note {
            id: BigInt = identity,
            body: Text,
            stars: Integer = default(0),
        }
        primary_key(id);
    }
    auth_schema::database! { pub struct Before { tables: [note] } }

    pub mod after {
        auth_schema::table! {
            /// After: `body` is `content`.
            pub mod note {
                id: BigInt = identity,
                content: Text,
                stars: Integer = default(0),
            }
            primary_key(id);
        }
        auth_schema::database! { pub struct After { tables: [note] } }
    }
}

/// A column renamed in the declaration: the plan drops the old column (destructive) and adds the
/// new one, and the drop's description shows the `RENAME COLUMN` that keeps the data. Running
/// that statement instead reaches the declaration with the rows intact.
async fn rename_is_offered(backend: Backend) {
    use renamed::{Before, after::After};
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    Applied::default()
        .apply(&db, &plan::<Before>(&db).await.unwrap())
        .await;
    exec(&db, "INSERT INTO note (body, stars) VALUES ('kept', 3)").await;
    let p = plan::<After>(&db).await.unwrap();
    let offers = p.rename_offers();
    assert_eq!(offers.len(), 1, "{offers:#?}");
    assert_eq!(
        (
            offers[0].table.as_str(),
            offers[0].from.as_str(),
            offers[0].to.as_str()
        ),
        ("note", "body", "content")
    );
    assert!(p.destructive().iter().any(|d| d == "drop column note.body"));
    let rename = format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {}",
        q(backend, "note"),
        q(backend, "body"),
        q(backend, "content")
    );
    let steps = p.render(backend);
    let drop = steps
        .iter()
        .find(|s| s.description.contains("drop column note.body"))
        .expect("a step drops note.body");
    assert_eq!(drop.risk, Risk::Destructive);
    assert!(
        drop.description.contains(&format!(
            "if it was renamed to content, keep its data with `{rename}`"
        )),
        "{}",
        drop.description
    );
    // The CLI shows it too.
    let mut out = Vec::new();
    let code = auth_migrate::cli::run::<After>(
        &["plan".into(), "--allow-destructive".into()],
        &s.url,
        &auth_migrate::cli::Options {
            migrations: std::sync::Arc::new(|_| Ok(Vec::new())),
            ..auth_migrate::cli::Options::stock()
        },
        &mut out,
    )
    .await
    .unwrap();
    assert_eq!(code, 0);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(&rename), "{text}");
    // Nothing was renamed by the plan; the offered statement is what keeps the data.
    exec(&db, &rename).await;
    let after = plan::<After>(&db).await.unwrap();
    assert!(after.is_empty(), "{:#?}", after.changes);
    let content = scalar_string(&db, "SELECT content FROM note").await;
    assert_eq!(content.as_deref(), Some("kept"));
    db.close().await;
    s.drop_it().await;
}

macro_rules! dialect {
    ($module:ident, $backend:expr) => {
        mod $module {
            use super::*;

            #[tokio::test]
            async fn fixpoint_from_empty() {
                super::fixpoint_from_empty($backend).await;
            }
            #[tokio::test]
            async fn fixpoint_from_every_prefix() {
                super::fixpoint_from_every_prefix($backend).await;
            }
            #[tokio::test]
            async fn from_an_older_version() {
                super::from_an_older_version($backend).await;
            }
            #[tokio::test]
            async fn rename_is_offered() {
                super::rename_is_offered($backend).await;
            }
        }
    };
}

dialect!(sqlite, Backend::Sqlite);
dialect!(postgres, Backend::Postgres);
dialect!(mysql, Backend::MySql);
