//! Scratch databases on the real servers, shared by the tests of user tables and codegen.
//!
//! Each test gets a fresh database of its own (a new Postgres or MariaDB database, a new SQLite
//! file) from `DATABASE_URL_POSTGRES` / `DATABASE_URL_MYSQL`. Without those variables the server
//! tests are skipped, except under `CI=true`, where they fail. SQLite always runs.
#![allow(dead_code)]

pub mod app;

use std::borrow::Cow;

use auth_migrate::model::Table;
use auth_migrate::{Db, Migration, Migrator, Plan};
use auth_schema::Backend;

pub struct Scratch {
    pub backend: Backend,
    pub url: String,
    admin_url: String,
    /// The database's name (SQLite: the file's path).
    pub name: String,
}

pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let slash = base.rfind('/').expect("a database URL has a path");
    format!("{}/{name}{query}", &base[..slash])
}

/// A fresh, empty database of `backend`, or `None` (skip) when its server is not configured
/// (a failure under `CI=true`).
pub async fn scratch(backend: Backend) -> Option<Scratch> {
    let name = format!("t_usr_{}", uuid::Uuid::new_v4().simple());
    let var = match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("authjs-migrate-tests");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{name}.db"));
            return Some(Scratch {
                backend,
                url: format!("sqlite://{}?mode=rwc", path.display()),
                admin_url: String::new(),
                name: path.display().to_string(),
            });
        }
        Backend::Postgres => "DATABASE_URL_POSTGRES",
        Backend::MySql => "DATABASE_URL_MYSQL",
    };
    let admin_url = match std::env::var(var) {
        Ok(u) if !u.trim().is_empty() => u,
        _ if is_ci() => panic!(
            "{var} is not set and CI=true: these tests must not be skipped in CI (run `bash scripts/test.sh`)"
        ),
        _ => {
            eprintln!("SKIPPED: {var} is not set (run `bash scripts/test.sh`)");
            return None;
        }
    };
    let create = match backend {
        Backend::Postgres => format!("CREATE DATABASE \"{name}\""),
        _ => format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"),
    };
    admin(backend, &admin_url, &create).await;
    Some(Scratch {
        backend,
        url: with_database(&admin_url, &name),
        admin_url,
        name,
    })
}

async fn try_admin_pg(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(url).await?;
    let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut c)
        .await
        .map(drop);
    let _ = c.close().await;
    result
}

async fn admin(backend: Backend, url: &str, sql: &str) {
    use sqlx::Connection;
    match backend {
        Backend::Postgres => {
            // `DROP DATABASE .. WITH (FORCE)` may not end an autovacuum worker (a superuser's
            // backend) busy on the database, and connecting may fail for a moment when parallel
            // tests fill the server's connection slots: try again, a few times, before giving up.
            for attempt in 1..=20 {
                match try_admin_pg(url, sql).await {
                    Ok(()) => return,
                    Err(e) if attempt == 20 => panic!("{sql}: {e}"),
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(250)).await,
                }
            }
        }
        Backend::MySql => {
            let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            c.close().await.unwrap();
        }
        Backend::Sqlite => unreachable!(),
    }
}

impl Scratch {
    pub async fn db(&self) -> Db {
        Db::connect(&self.url).await.expect("connect")
    }

    pub async fn drop_it(self) {
        match self.backend {
            Backend::Sqlite => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.name));
                }
            }
            Backend::Postgres => {
                admin(
                    self.backend,
                    &self.admin_url,
                    &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
                )
                .await
            }
            Backend::MySql => {
                admin(
                    self.backend,
                    &self.admin_url,
                    &format!("DROP DATABASE IF EXISTS `{}`", self.name),
                )
                .await
            }
        }
    }
}

pub async fn exec(db: &Db, sql: &str) {
    let s = sqlx::AssertSqlSafe(sql.to_owned());
    let r = match db {
        Db::Postgres(p) => sqlx::raw_sql(s).execute(p).await.map(drop),
        Db::MySql(p) => sqlx::raw_sql(s).execute(p).await.map(drop),
        Db::Sqlite(p) => sqlx::raw_sql(s).execute(p).await.map(drop),
        _ => unreachable!(),
    };
    r.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The one integer a query returns.
pub async fn count(db: &Db, sql: &str) -> i64 {
    let s = sqlx::AssertSqlSafe(sql.to_owned());
    let r = match db {
        Db::Postgres(p) => sqlx::query_scalar::<_, i64>(s).fetch_one(p).await,
        Db::MySql(p) => sqlx::query_scalar::<_, i64>(s).fetch_one(p).await,
        Db::Sqlite(p) => sqlx::query_scalar::<_, i64>(s).fetch_one(p).await,
        _ => unreachable!(),
    };
    r.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub async fn scalar_string(db: &Db, sql: &str) -> Option<String> {
    let s = sqlx::AssertSqlSafe(sql.to_owned());
    let r = match db {
        Db::Postgres(p) => {
            sqlx::query_scalar::<_, Option<String>>(s)
                .fetch_one(p)
                .await
        }
        Db::MySql(p) => {
            sqlx::query_scalar::<_, Option<String>>(s)
                .fetch_one(p)
                .await
        }
        Db::Sqlite(p) => {
            sqlx::query_scalar::<_, Option<String>>(s)
                .fetch_one(p)
                .await
        }
        _ => unreachable!(),
    };
    r.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub fn q(backend: Backend, name: &str) -> String {
    match backend {
        Backend::MySql => format!("`{name}`"),
        _ => format!("\"{name}\""),
    }
}

/// The plan as a migration of the given version.
pub fn plan_migration(
    plan: &Plan,
    backend: Backend,
    version: i64,
    name: &'static str,
) -> Migration {
    Migration::new(
        version,
        name,
        plan.render_file(backend, version, name, false),
        Some(Cow::Owned(plan.render_file(backend, version, name, true))),
    )
}

/// The migrations applied to one scratch database, so that each new plan applies as the next
/// one through the runner (which turns SQLite's foreign keys off around a rebuild, as `up` does).
#[derive(Default)]
pub struct Applied(Vec<Migration>);

impl Applied {
    /// Applies `plan` as the next migration.
    pub async fn apply(&mut self, db: &Db, plan: &Plan) {
        let backend = db.backend();
        let version = self.0.len() as i64 + 1;
        self.0.push(plan_migration(plan, backend, version, "step"));
        Migrator::new(self.0.clone())
            .up(db, None, false)
            .await
            .unwrap_or_else(|e| {
                panic!("{e}\n{}", plan.render_file(backend, version, "step", false))
            });
    }

    /// A migrator over the migrations applied so far.
    pub fn migrator(&self) -> Migrator {
        Migrator::new(self.0.clone())
    }
}

/// Everything but index and constraint names.
pub fn shape(tables: &[Table]) -> Vec<String> {
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
            format!("{t:#?}")
        })
        .collect()
}
