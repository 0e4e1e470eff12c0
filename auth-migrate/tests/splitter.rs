//! The statement splitter on real servers: a user migration holding each construct whose `;`
//! must not end a statement is applied by the runner on PostgreSQL (a PL/pgSQL function in a
//! dollar-quoted body, nested block comments, an `E'…'` string), MariaDB/MySQL (strings with
//! `\'` and `\"`, a `#` comment, a trigger whose `BEGIN … END` body holds `;`) and SQLite (a
//! trigger body, a `[…]` identifier); block comments with `;` inside appear in all three. Each
//! test checks that the objects exist and behave, that the history records the migration as
//! applied with the right statement count, and that `down` and `up` again work.
//!
//! Each test gets a fresh database of its own (as in `tests/migrate.rs`, whose helpers are copied
//! here) from `DATABASE_URL_POSTGRES` / `DATABASE_URL_MYSQL`. Without those variables the server
//! tests are skipped, except under `CI=true`, where they fail. SQLite always runs.

use std::borrow::Cow;

use auth_migrate::{DownTarget, Migration, MigrationState, Migrator};
use auth_schema::Backend;
use auth_schema::kysely::Schema;

// Scratch databases on the three servers: tests/support (shared with the codegen and user-table
// tests).
mod support;
use support::{count, scratch};

// ------------------------------------------------------------------------ the scenario --

/// One dialect's case: the migration's SQL, how many statements it holds, and queries that
/// must each count 1 once it is applied (and fail or count 0 once it is reverted).
struct Case {
    up: &'static str,
    down: &'static str,
    statements: usize,
    checks: &'static [&'static str],
    /// A query counting the migration's objects: as many as `objects` after `up`, 0 after `down`.
    objects: &'static str,
    objects_count: i64,
}

/// Applies the stock migrations plus `case` as the next version: dry run, `up`, the checks, the
/// history, `down`, `up` again.
async fn apply(backend: Backend, case: Case) {
    let Some(s) = scratch(backend).await else {
        return;
    };
    let db = s.db().await;
    let mut ms = auth_migrate::migration::stock(backend);
    let version = ms.len() as i64 + 1;
    let mine = Migration::new(version, "splitter", case.up, Some(Cow::Borrowed(case.down)));
    assert_eq!(
        mine.up_statements_for(backend).len(),
        case.statements,
        "{:#?}",
        mine.up_statements_for(backend)
    );
    ms.push(mine.clone());
    let migrator = Migrator::for_schema::<Schema>(ms);

    // The dry run shows the statements the runner will send, one per statement.
    let dry = migrator.up(&db, None, true).await.unwrap();
    let last = dry.applied.last().unwrap();
    assert_eq!(last.label, mine.label());
    assert_eq!(last.sql, mine.up_statements_for(backend));

    let report = migrator.up(&db, None, false).await.unwrap();
    let last = report.applied.last().unwrap();
    assert_eq!((last.version, last.statements), (version, case.statements));
    for check in case.checks {
        assert_eq!(count(&db, check).await, 1, "{check}");
    }
    assert_eq!(count(&db, case.objects).await, case.objects_count);

    // The history: applied, unchanged, every statement counted.
    let status = migrator.status(&db).await.unwrap();
    assert!(status.is_clean(), "{status:#?}");
    let entry = status.entries.last().unwrap();
    assert_eq!(
        (entry.version, &entry.state),
        (version, &MigrationState::Applied)
    );
    let n = case.statements;
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT COUNT(*) FROM _authjs_migrations WHERE version = {version} \
                 AND statements_applied = {n} AND statements_total = {n} AND state = 'applied' \
                 AND checksum = '{}'",
                mine.checksum()
            )
        )
        .await,
        1
    );

    // Down removes the objects; up again recreates them.
    let reverted = migrator
        .down(&db, DownTarget::Steps(1), false)
        .await
        .unwrap();
    assert_eq!(reverted.len(), 1);
    assert_eq!(count(&db, case.objects).await, 0);
    let again = migrator.up(&db, None, false).await.unwrap();
    assert_eq!(again.applied.len(), 1);
    for check in case.checks {
        assert_eq!(count(&db, check).await, 1, "{check} (after down and up)");
    }
    assert!(migrator.status(&db).await.unwrap().is_clean());
    db.close().await;
    s.drop_it().await;
}

#[tokio::test]
async fn postgres_plpgsql_function_and_comments() {
    apply(
        Backend::Postgres,
        Case {
            up: r#"/* Notes, stamped by a trigger; the function bodies hold semicolons. */
CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL, stamped text);
CREATE FUNCTION note_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a comment; inside the body
  NEW.stamped := 'stamped; ' || NEW.body;
  RETURN NEW;
END;
$$;
CREATE TRIGGER note_stamp BEFORE INSERT ON note
  FOR EACH ROW EXECUTE FUNCTION note_stamp();
/* nested /* comments; */ nest on PostgreSQL; */
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE plpgsql AS $fn$
DECLARE
  y int := 0; -- $$ inside a tagged body is text
BEGIN
  y := x * 2;
  RETURN y;
END;
$fn$;
INSERT INTO note (id, body) VALUES
  (1, E'it\'s; escaped'),
  (2, 'plain \ backslash; here'),
  (3 /* ; */, 'with ''doubled''; quotes');
COMMENT ON TABLE note IS 'a; b';
"#,
            down: "DROP TABLE note;\nDROP FUNCTION twice(int);\nDROP FUNCTION note_stamp();\n",
            statements: 6,
            checks: &[
                "SELECT COUNT(*) WHERE twice(21) = 42",
                "SELECT COUNT(*) FROM note WHERE id = 1 AND body = 'it''s; escaped' AND stamped = 'stamped; it''s; escaped'",
                r"SELECT COUNT(*) FROM note WHERE id = 2 AND body = 'plain \ backslash; here'",
                "SELECT COUNT(*) FROM note WHERE id = 3 AND body = 'with ''doubled''; quotes'",
                "SELECT COUNT(*) WHERE obj_description('note'::regclass, 'pg_class') = 'a; b'",
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'note_stamp'",
            ],
            objects: "SELECT COUNT(*) FROM pg_proc WHERE proname IN ('twice', 'note_stamp') AND pronamespace = 'public'::regnamespace",
            objects_count: 2,
        },
    )
    .await;
}

#[tokio::test]
async fn mysql_escaped_strings_trigger_and_comments() {
    apply(
        Backend::MySql,
        Case {
            up: r#"/* Notes, stamped by a trigger; its body holds semicolons. */
CREATE TABLE note (id int PRIMARY KEY, body varchar(100) NOT NULL, stamped varchar(200));
# a MySQL comment; with a semicolon
CREATE TRIGGER note_stamp BEFORE INSERT ON note FOR EACH ROW
BEGIN
  IF NEW.body LIKE '%;%' THEN
    SET NEW.stamped = CONCAT('stamped; ', NEW.body);
  END IF;
END;
CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2;
INSERT INTO note (id, body) VALUES
  (1, 'it\'s; x'),
  (2, "say \"hi\"; ok"),
  (3, 'back\\slash;'),
  (4 /* ; */, 'four; \'quoted\'');
"#,
            down: "DROP FUNCTION twice;\nDROP TRIGGER note_stamp;\nDROP TABLE note;\n",
            statements: 4,
            checks: &[
                "SELECT COUNT(*) FROM DUAL WHERE twice(21) = 42",
                "SELECT COUNT(*) FROM note WHERE id = 1 AND body = 'it''s; x' AND stamped = 'stamped; it''s; x'",
                "SELECT COUNT(*) FROM note WHERE id = 2 AND body = 'say \"hi\"; ok'",
                r"SELECT COUNT(*) FROM note WHERE id = 3 AND body = 'back\\slash;' AND LENGTH(body) = 11",
                "SELECT COUNT(*) FROM note WHERE id = 4 AND stamped = 'stamped; four; ''quoted'''",
                "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE() AND trigger_name = 'note_stamp'",
            ],
            objects: "SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = DATABASE() AND routine_name = 'twice'",
            objects_count: 1,
        },
    )
    .await;
}

#[tokio::test]
async fn sqlite_trigger_body_and_comments() {
    apply(
        Backend::Sqlite,
        Case {
            up: r#"/* Notes, stamped by a trigger; its body holds semicolons. */
CREATE TABLE note (id integer PRIMARY KEY, body text NOT NULL, stamped text);
CREATE TABLE [odd;name] (x int);
CREATE TRIGGER note_stamp AFTER INSERT ON note BEGIN
  UPDATE note SET stamped = 'stamped; ' || NEW.body WHERE id = NEW.id;
  INSERT INTO [odd;name] (x) VALUES (CASE WHEN NEW.id > 1 THEN 2 ELSE 1 END);
END;
INSERT INTO note (id, body) VALUES
  (1, 'it''s; x'),
  (2 /* ; */, 'back\slash; here');
"#,
            down: "DROP TABLE note;\nDROP TABLE [odd;name];\n",
            statements: 4,
            checks: &[
                "SELECT COUNT(*) FROM note WHERE id = 1 AND stamped = 'stamped; it''s; x'",
                r"SELECT COUNT(*) FROM note WHERE id = 2 AND stamped = 'stamped; back\slash; here'",
                "SELECT COUNT(*) FROM [odd;name] WHERE x = 2",
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'note_stamp'",
            ],
            objects: "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('note', 'odd;name', 'note_stamp')",
            objects_count: 3,
        },
    )
    .await;
}
