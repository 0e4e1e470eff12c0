//! Reading the live schema from the catalogs, normalised into the [`model`](crate::model).
//!
//! Every fact comes from the dialect's own catalog, read in a handful of queries per schema:
//! - PostgreSQL: `pg_attribute` (`format_type`, `pg_get_expr` of the default, `attidentity`),
//!   `pg_index` (primary keys, unique constraints and indexes, partial and expression indexes
//!   set aside), `pg_constraint` (foreign keys with both actions, check constraints);
//! - MySQL and MariaDB: `information_schema` (`COLUMNS.COLUMN_TYPE` with its display width,
//!   `COLUMN_DEFAULT` as MariaDB quotes it or MySQL 8 does not, `EXTRA` for `AUTO_INCREMENT`,
//!   `STATISTICS`, `KEY_COLUMN_USAGE` with `REFERENTIAL_CONSTRAINTS`, and MariaDB's
//!   `CHECK_CONSTRAINTS`, where a `json` column shows as a `longtext` with a `json_valid` check);
//! - SQLite: `pragma_table_xinfo` (the declared type, the default as written), `pragma_index_list`
//!   and `pragma_index_info`, `pragma_foreign_key_list`.
//!
//! Types and defaults are put in the model's normal form ([`normalize_type`],
//! [`normalize_default`]) so that a table created from a declaration introspects to exactly
//! [`lower_table`](crate::model::lower_table) of it. What the model does not hold is listed in
//! [`Table::unmodeled`].

use crate::Error;
use crate::db::Db;
#[cfg(feature = "mysql")]
use crate::model::canonical_collation;
#[allow(unused_imports)]
use crate::model::{
    Action, Column, ForeignKey, Index, Table, normalize_default, normalize_type, quote,
};
use auth_schema::Backend;
use auth_schema::TableInfo;

#[cfg(feature = "mysql")]
fn err(e: impl std::fmt::Display) -> Error {
    Error::Introspect {
        message: crate::one_line(&e),
        source: None,
    }
}

/// The tables named in `names` that exist in the connection's current schema (Postgres),
/// database (MySQL) or file (SQLite), normalised, in the order of `names`. Missing tables are
/// simply absent.
///
/// On Postgres, `pg_schema` names the schema to read instead of the current one (for schemas
/// declared with `postgres_schema`).
pub async fn introspect(
    db: &Db,
    names: &[&str],
    pg_schema: Option<&str>,
) -> Result<Vec<Table>, Error> {
    let wanted: Vec<(Option<&str>, &str)> = names.iter().map(|n| (pg_schema, *n)).collect();
    introspect_wanted(db, &wanted).await
}

/// The declared tables that exist, each looked up in its own Postgres schema (the current one
/// when it declares none), normalised, in the order of `tables`.
pub async fn introspect_declared(db: &Db, tables: &[&TableInfo]) -> Result<Vec<Table>, Error> {
    let wanted: Vec<(Option<&str>, &str)> =
        tables.iter().map(|t| (t.postgres_schema, t.name)).collect();
    introspect_wanted(db, &wanted).await
}

/// Every table of the database: on Postgres, of each schema in `pg_schemas` (the current one
/// when it is empty; ignored on MySQL and SQLite); a table of the current schema has
/// [`Table::schema`] `None`. In the order of `pg_schemas`, then by name.
pub async fn introspect_all(db: &Db, pg_schemas: &[&str]) -> Result<Vec<Table>, Error> {
    let current = current_schema(db).await?;
    let mut schemas: Vec<Option<&str>> = Vec::new();
    let pg_schemas = if db.backend() == Backend::Postgres {
        pg_schemas
    } else {
        &[]
    };
    for s in pg_schemas {
        let s = (Some(*s) != current.as_deref()).then_some(*s);
        if !schemas.contains(&s) {
            schemas.push(s);
        }
    }
    if schemas.is_empty() {
        schemas.push(None);
    }
    let mut out = Vec::new();
    for s in &schemas {
        out.extend(read(db, *s).await?);
    }
    let known: Vec<(Option<&str>, &str)> = Vec::new();
    resolve_ref_schemas(&mut out, &known, current.as_deref());
    for t in &mut out {
        t.normalize();
    }
    Ok(out)
}

/// The connection's current Postgres schema (`None` on MySQL and SQLite).
pub async fn current_schema(db: &Db) -> Result<Option<String>, Error> {
    match db {
        #[cfg(feature = "postgres")]
        Db::Postgres(pool) => Ok(Some(
            sqlx::query_scalar("SELECT current_schema()::text")
                .fetch_one(pool)
                .await?,
        )),
        #[allow(unreachable_patterns)]
        _ => Ok(None),
    }
}

async fn introspect_wanted(db: &Db, wanted: &[(Option<&str>, &str)]) -> Result<Vec<Table>, Error> {
    // Postgres schemas mean nothing elsewhere.
    let unqualified: Vec<(Option<&str>, &str)>;
    let wanted = if db.backend() == Backend::Postgres {
        wanted
    } else {
        unqualified = wanted.iter().map(|(_, n)| (None, *n)).collect();
        &unqualified
    };
    let current = current_schema(db).await?;
    let mut schemas: Vec<Option<&str>> = Vec::new();
    for (s, _) in wanted {
        if !schemas.contains(s) {
            schemas.push(*s);
        }
    }
    let mut tables = Vec::new();
    for s in schemas {
        let names: Vec<&str> = wanted
            .iter()
            .filter(|(ws, _)| *ws == s)
            .map(|(_, n)| *n)
            .collect();
        let mut found = read(db, s).await?;
        found.retain(|t| names.contains(&t.name.as_str()));
        tables.extend(found);
    }
    resolve_ref_schemas(&mut tables, wanted, current.as_deref());
    for t in &mut tables {
        t.normalize();
    }
    tables.sort_by_key(|t| {
        wanted
            .iter()
            .position(|(s, n)| *n == t.name && s.map(str::to_owned) == t.schema)
    });
    Ok(tables)
}

/// Postgres: the schema of each foreign key's referenced table as the declarations spell it
/// (`read` gives the real namespace): a declared table's own option when it is that table, else
/// `None` for the current schema and the namespace otherwise.
fn resolve_ref_schemas(
    tables: &mut [Table],
    declared: &[(Option<&str>, &str)],
    current: Option<&str>,
) {
    let Some(current) = current else {
        return;
    };
    for t in tables {
        for fk in &mut t.foreign_keys {
            let Some(ns) = fk.ref_schema.take() else {
                continue;
            };
            let named = declared
                .iter()
                .find(|(s, n)| *n == fk.ref_table && s.unwrap_or(current) == ns);
            fk.ref_schema = match named {
                Some((s, _)) => s.map(str::to_owned),
                None if ns == current => None,
                None => Some(ns),
            };
        }
    }
}

/// Every table of one schema (Postgres; `None`: the current one), database (MySQL) or file
/// (SQLite). On Postgres, foreign keys name the referenced table's real namespace.
async fn read(db: &Db, pg_schema: Option<&str>) -> Result<Vec<Table>, Error> {
    #[cfg(not(feature = "postgres"))]
    let _ = pg_schema;
    match db {
        #[cfg(feature = "postgres")]
        Db::Postgres(pool) => postgres(pool, pg_schema).await,
        #[cfg(feature = "mysql")]
        Db::MySql(pool) => mysql(pool).await,
        #[cfg(feature = "sqlite")]
        Db::Sqlite(pool) => sqlite(pool).await,
    }
}

/// The table of `name` in `tables`.
#[allow(dead_code)]
fn table_mut<'a>(tables: &'a mut [Table], name: &str) -> Option<&'a mut Table> {
    tables.iter_mut().find(|t| t.name == name)
}

#[allow(dead_code)]
fn empty_table(name: String, schema: Option<String>, collation: Option<String>) -> Table {
    Table {
        name,
        schema,
        columns: Vec::new(),
        primary_key: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        collation,
        unmodeled: Vec::new(),
    }
}

// ---------------------------------------------------------------------------- PostgreSQL --

#[cfg(feature = "postgres")]
fn pg_action(code: &str) -> Action {
    match code {
        "c" => Action::Cascade,
        "n" => Action::SetNull,
        "d" => Action::SetDefault,
        "r" => Action::Restrict,
        _ => Action::NoAction,
    }
}

#[cfg(feature = "postgres")]
async fn postgres(pool: &sqlx::PgPool, requested: Option<&str>) -> Result<Vec<Table>, Error> {
    let schema: String = match requested {
        Some(s) => s.to_owned(),
        None => {
            sqlx::query_scalar("SELECT current_schema()::text")
                .fetch_one(pool)
                .await?
        }
    };
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
         ORDER BY c.relname",
    )
    .bind(&schema)
    .fetch_all(pool)
    .await?;
    let mut tables: Vec<Table> = names
        .into_iter()
        .map(|n| empty_table(n, requested.map(str::to_owned), None))
        .collect();

    type ColumnRow = (String, String, String, bool, Option<String>, String, String);
    let columns: Vec<ColumnRow> = sqlx::query_as(
        "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), \
           a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, \
           a.attgenerated::text \
         FROM pg_attribute a \
         JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 \
           AND NOT a.attisdropped \
         ORDER BY c.relname, a.attnum",
    )
    .bind(&schema)
    .fetch_all(pool)
    .await?;
    for (table, name, ty, not_null, default, identity, generated) in columns {
        let Some(t) = table_mut(&mut tables, &table) else {
            continue;
        };
        let ty = normalize_type(&ty, Backend::Postgres);
        let mut column = Column {
            name: name.clone(),
            nullable: !not_null,
            default: None,
            identity: !identity.is_empty(),
            collation: None,
            ty,
        };
        if identity == "a" {
            t.unmodeled.push(format!(
                "column {name} is GENERATED ALWAYS AS IDENTITY (the model knows BY DEFAULT only)"
            ));
        }
        match default {
            Some(expr) if !generated.is_empty() => t.unmodeled.push(format!(
                "column {name} is generated: GENERATED ALWAYS AS ({expr}) STORED"
            )),
            // `serial`: a sequence the column owns, numbering it as an identity does.
            Some(expr) if expr.starts_with("nextval(") => column.identity = true,
            Some(expr) => {
                column.default = Some(normalize_default(&expr, &column.ty, Backend::Postgres))
            }
            None => {}
        }
        t.columns.push(column);
    }

    type IndexRow = (String, String, bool, bool, bool, Vec<String>);
    let indexes: Vec<IndexRow> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, x.indisprimary, x.indisunique, \
           (x.indpred IS NOT NULL OR x.indexprs IS NOT NULL \
            OR EXISTS (SELECT 1 FROM unnest(x.indkey::int2[]) AS e(n) WHERE e.n = 0)), \
           ARRAY(SELECT a.attname::text \
                 FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE k.ord <= x.indnkeyatts ORDER BY k.ord) \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = $1 \
         ORDER BY t.relname, i.relname",
    )
    .bind(&schema)
    .fetch_all(pool)
    .await?;
    for (table, name, primary, unique, unmodeled, columns) in indexes {
        let Some(t) = table_mut(&mut tables, &table) else {
            continue;
        };
        if primary {
            t.primary_key = columns;
        } else if unmodeled {
            t.unmodeled.push(format!(
                "{}index {name} is partial or on an expression",
                if unique { "unique " } else { "" }
            ));
        } else {
            t.indexes.push(Index {
                name,
                columns,
                unique,
            });
        }
    }

    type FkRow = (
        String,
        String,
        String,
        String,
        Vec<String>,
        Vec<String>,
        String,
        String,
    );
    let fks: Vec<FkRow> = sqlx::query_as(
        "SELECT t.relname::text, c.conname::text, rn.nspname::text, r.relname::text, \
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), \
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o), \
           c.confdeltype::text, c.confupdtype::text \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_namespace rn ON rn.oid = r.relnamespace \
         WHERE c.contype = 'f' AND n.nspname = $1 \
         ORDER BY t.relname, c.conname",
    )
    .bind(&schema)
    .fetch_all(pool)
    .await?;
    for (table, name, ref_ns, ref_table, columns, ref_columns, on_delete, on_update) in fks {
        let Some(t) = table_mut(&mut tables, &table) else {
            continue;
        };
        t.foreign_keys.push(ForeignKey {
            name: Some(name),
            columns,
            ref_table,
            ref_schema: Some(ref_ns),
            ref_columns,
            on_delete: pg_action(&on_delete),
            on_update: pg_action(&on_update),
        });
    }

    let checks: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.relname::text, c.conname::text, pg_get_constraintdef(c.oid) \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype IN ('c', 'x') AND n.nspname = $1 \
         ORDER BY t.relname, c.conname",
    )
    .bind(&schema)
    .fetch_all(pool)
    .await?;
    for (table, name, def) in checks {
        if let Some(t) = table_mut(&mut tables, &table) {
            t.unmodeled.push(format!("constraint {name}: {def}"));
        }
    }
    Ok(tables)
}

// ---------------------------------------------------------------------------------- MySQL --

#[cfg(feature = "mysql")]
async fn mysql(pool: &sqlx::MySqlPool) -> Result<Vec<Table>, Error> {
    let database: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(pool)
        .await?;
    if database.is_none() {
        return Err(err("the MySQL URL names no database"));
    }
    let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)")
        .fetch_one(pool)
        .await?;
    let mariadb = version.to_ascii_lowercase().contains("mariadb");

    // Collations: compared by name (MariaDB's NO PAD ones included).
    let names: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_COLLATION AS CHAR) \
         FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' \
         ORDER BY TABLE_NAME",
    )
    .fetch_all(pool)
    .await?;
    let mut tables: Vec<Table> = names
        .into_iter()
        .map(|(n, c)| empty_table(n, None, c.as_deref().map(canonical_collation)))
        .collect();

    // Check constraints: MariaDB's `json` is a `longtext` with `CHECK (json_valid(col))`.
    let checks: Vec<(String, String, String)> = if mariadb {
        sqlx::query_as(
            "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), \
               CAST(CHECK_CLAUSE AS CHAR) \
             FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME",
        )
        .fetch_all(pool)
        .await?
    } else {
        sqlx::query_as(
            "SELECT CAST(tc.TABLE_NAME AS CHAR), CAST(tc.CONSTRAINT_NAME AS CHAR), \
               CAST(cc.CHECK_CLAUSE AS CHAR) \
             FROM information_schema.TABLE_CONSTRAINTS tc \
             JOIN information_schema.CHECK_CONSTRAINTS cc \
               ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
              AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
             WHERE tc.CONSTRAINT_TYPE = 'CHECK' AND tc.TABLE_SCHEMA = DATABASE() \
             ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME",
        )
        .fetch_all(pool)
        .await
        .unwrap_or_default()
    };
    let mut json_checks: Vec<(String, String)> = Vec::new();

    type ColumnRow = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
    );
    let columns: Vec<ColumnRow> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR), \
           CAST(IS_NULLABLE AS CHAR), CAST(COLUMN_DEFAULT AS CHAR), CAST(EXTRA AS CHAR), \
           CAST(COLLATION_NAME AS CHAR) \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )
    .fetch_all(pool)
    .await?;
    for (table, name, column_type, nullable, default, extra, collation) in columns {
        let Some(t) = table_mut(&mut tables, &table) else {
            continue;
        };
        let mut ty = normalize_type(&column_type, Backend::MySql);
        let json_check = checks.iter().find(|(ct, cn, clause)| {
            *ct == table
                && *cn == name
                && clause.replace(' ', "").to_ascii_lowercase()
                    == format!("json_valid(`{}`)", name.to_ascii_lowercase())
        });
        let json = ty == "longtext" && json_check.is_some();
        if json {
            ty = "json".into();
            json_checks.push((table.clone(), name.clone()));
        }
        let extra_lower = extra.to_ascii_lowercase();
        let generated =
            extra_lower.contains("generated") && !extra_lower.contains("default_generated");
        let default = match default {
            _ if generated => {
                t.unmodeled
                    .push(format!("column {name} is generated ({extra})"));
                None
            }
            None => None,
            Some(d) if mariadb && d == "NULL" => None,
            Some(d) if mariadb => Some(normalize_default(&d, &ty, Backend::MySql)),
            Some(d) if extra_lower.contains("default_generated") => {
                Some(normalize_default(&d, &ty, Backend::MySql))
            }
            Some(d) if crate::model::is_integer_type(&ty) || crate::model::is_float_type(&ty) => {
                Some(normalize_default(&d, &ty, Backend::MySql))
            }
            Some(d) => Some(normalize_default(&quote(&d), &ty, Backend::MySql)),
        };
        if extra_lower.contains("on update") {
            t.unmodeled.push(format!("column {name}: {extra}"));
        }
        let collation = collation
            .as_deref()
            .map(canonical_collation)
            .filter(|c| !json && Some(c) != t.collation.as_ref());
        t.columns.push(Column {
            name,
            ty,
            nullable: nullable.eq_ignore_ascii_case("YES"),
            default,
            identity: extra_lower.contains("auto_increment"),
            collation,
        });
    }
    for (table, name, clause) in &checks {
        if json_checks.iter().any(|(t, c)| t == table && c == name) {
            continue;
        }
        if let Some(t) = table_mut(&mut tables, table) {
            t.unmodeled
                .push(format!("check constraint {name}: {clause}"));
        }
    }

    type FkRow = (String, String, String, String, String, String, String);
    let fk_rows: Vec<FkRow> = sqlx::query_as(
        "SELECT CAST(k.TABLE_NAME AS CHAR), CAST(k.CONSTRAINT_NAME AS CHAR), \
           CAST(k.COLUMN_NAME AS CHAR), CAST(k.REFERENCED_TABLE_NAME AS CHAR), \
           CAST(k.REFERENCED_COLUMN_NAME AS CHAR), CAST(r.DELETE_RULE AS CHAR), \
           CAST(r.UPDATE_RULE AS CHAR) \
         FROM information_schema.KEY_COLUMN_USAGE k \
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA \
          AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME \
         WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
         ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    )
    .fetch_all(pool)
    .await?;
    for (table, name, column, ref_table, ref_column, on_delete, on_update) in fk_rows {
        let Some(t) = table_mut(&mut tables, &table) else {
            continue;
        };
        match t
            .foreign_keys
            .iter_mut()
            .find(|f| f.name.as_deref() == Some(&name))
        {
            Some(fk) => {
                fk.columns.push(column);
                fk.ref_columns.push(ref_column);
            }
            None => t.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns: vec![column],
                ref_table,
                ref_schema: None,
                ref_columns: vec![ref_column],
                on_delete: Action::parse(&on_delete, Backend::MySql),
                on_update: Action::parse(&on_update, Backend::MySql),
            }),
        }
    }

    type StatRow = (String, String, i64, Option<String>, Option<i64>);
    let stats: Vec<StatRow> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), CAST(NON_UNIQUE AS SIGNED), \
           CAST(COLUMN_NAME AS CHAR), CAST(SUB_PART AS SIGNED) \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    )
    .fetch_all(pool)
    .await?;
    // (table, index, unique, columns, representable)
    let mut grouped: Vec<(String, String, bool, Vec<String>, bool)> = Vec::new();
    for (table, index, non_unique, column, sub_part) in stats {
        let plain = column.is_some() && sub_part.is_none();
        match grouped.last_mut() {
            Some(g) if g.0 == table && g.1 == index => {
                g.3.extend(column);
                g.4 &= plain;
            }
            _ => grouped.push((
                table,
                index,
                non_unique == 0,
                column.into_iter().collect(),
                plain,
            )),
        }
    }
    for (table, index, unique, columns, plain) in grouped {
        let Some(t) = table_mut(&mut tables, &table) else {
            continue;
        };
        if index == "PRIMARY" {
            t.primary_key = columns;
        } else if !plain {
            t.unmodeled.push(format!(
                "{}index {index} is on an expression or a column prefix",
                if unique { "unique " } else { "" }
            ));
        } else if !unique
            && t.foreign_keys
                .iter()
                .any(|f| f.name.as_deref() == Some(&index))
        {
            // The index MySQL creates by itself for a foreign key.
        } else {
            t.indexes.push(Index {
                name: index,
                columns,
                unique,
            });
        }
    }
    Ok(tables)
}

// --------------------------------------------------------------------------------- SQLite --

#[cfg(feature = "sqlite")]
async fn sqlite(pool: &sqlx::SqlitePool) -> Result<Vec<Table>, Error> {
    // A connection of its own: a pooled connection may hold prepared PRAGMA statements from
    // before a schema change, and SQLite computes a PRAGMA's rows when it is prepared. (An
    // in-memory database is shared between connections of the same options.)
    let fresh = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with((*pool.connect_options()).clone())
        .await?;
    let result = sqlite_read(&fresh).await;
    fresh.close().await;
    result
}

#[cfg(feature = "sqlite")]
async fn sqlite_read(pool: &sqlx::SqlitePool) -> Result<Vec<Table>, Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let mut tables = Vec::new();
    for name in names {
        let mut t = empty_table(name.clone(), None, None);
        type ColumnRow = (String, String, i64, Option<String>, i64, i64);
        let columns: Vec<ColumnRow> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk, hidden \
             FROM pragma_table_xinfo(?1) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        let mut pk: Vec<(i64, String)> = columns
            .iter()
            .filter(|c| c.4 > 0)
            .map(|c| (c.4, c.0.clone()))
            .collect();
        pk.sort();
        t.primary_key = pk.into_iter().map(|(_, n)| n).collect();
        for (column, declared, not_null, default, _, hidden) in &columns {
            if *hidden != 0 {
                t.unmodeled
                    .push(format!("column {column} is generated or hidden"));
                continue;
            }
            let ty = normalize_type(declared, Backend::Sqlite);
            t.columns.push(Column {
                name: column.clone(),
                nullable: *not_null == 0,
                default: default
                    .as_deref()
                    .filter(|d| !d.eq_ignore_ascii_case("null"))
                    .map(|d| normalize_default(d, &ty, Backend::Sqlite)),
                // Only a column declared exactly `integer` that is the whole primary key
                // aliases the rowid.
                identity: declared.trim().eq_ignore_ascii_case("integer")
                    && t.primary_key == [column.as_str()],
                collation: None,
                ty,
            });
        }
        let index_list: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        for (index, unique, origin, partial) in index_list {
            if origin == "pk" {
                continue;
            }
            let cols: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(pool)
                    .await?;
            if partial != 0 || cols.iter().any(Option::is_none) {
                t.unmodeled.push(format!(
                    "{}index {index} is partial or on an expression",
                    if unique != 0 { "unique " } else { "" }
                ));
                continue;
            }
            t.indexes.push(Index {
                name: index,
                columns: cols.into_iter().flatten().collect(),
                unique: unique != 0,
            });
        }
        type FkRow = (i64, String, String, Option<String>, String, String);
        let fk_rows: Vec<FkRow> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete \
             FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        let mut by_id: Vec<(i64, ForeignKey, bool)> = Vec::new();
        for (id, ref_table, from, to, on_update, on_delete) in fk_rows {
            let implicit = to.is_none();
            match by_id.iter_mut().find(|(i, ..)| *i == id) {
                Some((_, fk, _)) => {
                    fk.columns.push(from);
                    fk.ref_columns.extend(to);
                }
                None => by_id.push((
                    id,
                    ForeignKey {
                        name: None,
                        columns: vec![from],
                        ref_table,
                        ref_schema: None,
                        ref_columns: to.into_iter().collect(),
                        on_delete: Action::parse(&on_delete, Backend::Sqlite),
                        on_update: Action::parse(&on_update, Backend::Sqlite),
                    },
                    implicit,
                )),
            }
        }
        for (_, mut fk, implicit) in by_id {
            if implicit {
                // `REFERENCES parent` without columns: the parent's primary key.
                fk.ref_columns = sqlx::query_scalar(
                    "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
                )
                .bind(&fk.ref_table)
                .fetch_all(pool)
                .await?;
            }
            t.foreign_keys.push(fk);
        }
        tables.push(t);
    }
    Ok(tables)
}
