//! Reading the live schema through `sea-schema`, normalised into the [`model`](crate::model).
//!
//! `sea-schema` 0.18 covers most of it. Two facts it cannot represent are read from the
//! catalogs directly:
//! - PostgreSQL: non-unique indexes (its discovery returns unique indexes only);
//! - SQLite: the order of a composite primary key's columns (it keeps a per-column flag only).

use crate::Error;
use crate::db::Db;
#[cfg(feature = "mysql")]
use crate::model::canonical_collation;
use crate::model::{Action, Column, ForeignKey, Index, Table, quote};

fn err(e: impl std::fmt::Display) -> Error {
    Error::Introspect(e.to_string().replace('\n', " "))
}

/// The tables named in `names` that exist in the connection's current schema (Postgres),
/// database (MySQL) or file (SQLite), normalised. Missing tables are simply absent.
///
/// On Postgres, `pg_schema` names the schema to read instead of the current one (for schemas
/// declared with `postgres_schema`).
pub async fn introspect(
    db: &Db,
    names: &[&str],
    pg_schema: Option<&str>,
) -> Result<Vec<Table>, Error> {
    #[cfg(not(feature = "postgres"))]
    let _ = pg_schema;
    let mut tables = match db {
        #[cfg(feature = "postgres")]
        Db::Postgres(pool) => postgres(pool, pg_schema).await?,
        #[cfg(feature = "mysql")]
        Db::MySql(pool) => mysql(pool).await?,
        #[cfg(feature = "sqlite")]
        Db::Sqlite(pool) => sqlite(pool).await?,
    };
    tables.retain(|t| names.contains(&t.name.as_str()));
    for t in &mut tables {
        t.normalize();
    }
    tables.sort_by_key(|t| names.iter().position(|n| *n == t.name));
    Ok(tables)
}

/// Strips Postgres casts (`'x'::text` → `'x'`) and lowercases function calls.
#[cfg(feature = "postgres")]
fn pg_default(expr: &str) -> String {
    let mut e = expr.trim().to_owned();
    while let Some(pos) = e.rfind("::") {
        let tail = &e[pos + 2..];
        if tail
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '_' || c == '"')
        {
            e.truncate(pos);
        } else {
            break;
        }
    }
    if e.starts_with('\'') {
        e
    } else {
        e.to_lowercase()
    }
}

#[cfg(feature = "postgres")]
async fn postgres(pool: &sqlx::PgPool, pg_schema: Option<&str>) -> Result<Vec<Table>, Error> {
    use sea_schema::postgres::def::{ColumnDefault, ForeignKeyAction, Type};
    let schema: String = match pg_schema {
        Some(s) => s.to_owned(),
        None => {
            sqlx::query_scalar("SELECT current_schema()::text")
                .fetch_one(pool)
                .await?
        }
    };
    let discovered = sea_schema::postgres::discovery::SchemaDiscovery::new(pool.clone(), &schema)
        .discover()
        .await
        .map_err(err)?;
    let action = |a: &Option<ForeignKeyAction>| match a {
        Some(ForeignKeyAction::Cascade) => Action::Cascade,
        Some(ForeignKeyAction::SetNull) => Action::SetNull,
        Some(ForeignKeyAction::SetDefault) => Action::SetDefault,
        _ => Action::NoAction,
    };
    // Non-unique indexes: not in sea-schema's model.
    let plain: Vec<(String, String, Vec<String>)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, \
           array_agg(a.attname::text ORDER BY k.ord) \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
         WHERE n.nspname = $1 AND NOT x.indisunique AND NOT x.indisprimary \
           AND x.indpred IS NULL \
         GROUP BY t.relname, i.relname",
    )
    .bind(&schema)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for t in discovered.tables {
        let name = t.info.name.clone();
        let columns = t
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                ty: match &c.col_type {
                    Type::Uuid => "uuid".into(),
                    Type::Text => "text".into(),
                    Type::BigInt => "bigint".into(),
                    Type::Integer => "integer".into(),
                    Type::SmallInt => "smallint".into(),
                    Type::Boolean => "boolean".into(),
                    Type::TimestampWithTimeZone(_) => "timestamptz".into(),
                    Type::Timestamp(_) => "timestamp".into(),
                    Type::Varchar(a) => match a.length {
                        Some(n) => format!("varchar({n})"),
                        None => "varchar".into(),
                    },
                    Type::Char(a) => format!("char({})", a.length.unwrap_or(1)),
                    Type::Bytea => "bytea".into(),
                    Type::JsonBinary => "jsonb".into(),
                    Type::Json => "json".into(),
                    other => format!("{other:?}").to_lowercase(),
                },
                nullable: c.not_null.is_none(),
                collation: None,
                default: c.default.as_ref().map(|d| match d {
                    ColumnDefault::Int(i) => i.to_string(),
                    ColumnDefault::Real(r) => r.to_string(),
                    ColumnDefault::String(s) => quote(s),
                    ColumnDefault::Bool(b) => b.to_string(),
                    ColumnDefault::CurrentTimestamp => "now()".into(),
                    ColumnDefault::AutoIncrement(e) | ColumnDefault::Expression(e) => pg_default(e),
                }),
            })
            .collect();
        let mut indexes: Vec<Index> = t
            .unique_constraints
            .iter()
            .filter(|u| !u.is_partial)
            .map(|u| Index {
                name: u.name.clone(),
                columns: u.columns.clone(),
                unique: true,
            })
            .collect();
        indexes.extend(
            plain
                .iter()
                .filter(|(table, ..)| *table == name)
                .map(|(_, idx, cols)| Index {
                    name: idx.clone(),
                    columns: cols.clone(),
                    unique: false,
                }),
        );
        out.push(Table {
            primary_key: t
                .primary_key_constraints
                .first()
                .map(|p| p.columns.clone())
                .unwrap_or_default(),
            foreign_keys: t
                .reference_constraints
                .iter()
                .map(|r| ForeignKey {
                    name: Some(r.name.clone()),
                    columns: r.columns.clone(),
                    ref_table: r.table.clone(),
                    ref_columns: r.foreign_columns.clone(),
                    on_delete: action(&r.on_delete),
                    on_update: action(&r.on_update),
                })
                .collect(),
            name,
            columns,
            indexes,
            collation: None,
        });
    }
    Ok(out)
}

#[cfg(feature = "mysql")]
async fn mysql(pool: &sqlx::MySqlPool) -> Result<Vec<Table>, Error> {
    use sea_schema::mysql::def::{ColumnDefault, ForeignKeyAction, Type};
    let database: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(pool)
        .await?;
    let database = database.ok_or_else(|| err("the MySQL URL names no database"))?;
    let discovered = sea_schema::mysql::discovery::SchemaDiscovery::new(pool.clone(), &database)
        .discover()
        .await
        .map_err(err)?;
    let action = |a: &ForeignKeyAction| match a {
        ForeignKeyAction::Cascade => Action::Cascade,
        ForeignKeyAction::SetNull => Action::SetNull,
        ForeignKeyAction::SetDefault => Action::SetDefault,
        _ => Action::NoAction,
    };
    // Collations: sea-schema's `Collation` enum lacks MariaDB's NO PAD collations.
    let table_collations: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_COLLATION AS CHAR) \
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    )
    .fetch_all(pool)
    .await?;
    let column_collations: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), CAST(COLLATION_NAME AS CHAR) \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for t in discovered.tables {
        let table_collation = table_collations
            .iter()
            .find(|(name, _)| *name == t.info.name)
            .and_then(|(_, c)| c.as_deref())
            .map(canonical_collation);
        let columns = t
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                ty: match &c.col_type {
                    Type::Varchar(a) => format!("varchar({})", a.length.unwrap_or(255)),
                    Type::Char(a) => format!("char({})", a.length.unwrap_or(1)),
                    Type::Text(_) => "text".into(),
                    Type::MediumText(_) => "mediumtext".into(),
                    Type::LongText(_) => "longtext".into(),
                    Type::BigInt(_) => "bigint".into(),
                    Type::Int(_) => "int".into(),
                    Type::TinyInt(a) => match a.maximum {
                        Some(m) => format!("tinyint({m})"),
                        None => "tinyint".into(),
                    },
                    Type::Bool => "tinyint(1)".into(),
                    Type::DateTime(a) => match a.fractional {
                        Some(f) if f > 0 => format!("datetime({f})"),
                        _ => "datetime".into(),
                    },
                    Type::Timestamp(a) => match a.fractional {
                        Some(f) if f > 0 => format!("timestamp({f})"),
                        _ => "timestamp".into(),
                    },
                    other => format!("{other:?}").to_lowercase(),
                },
                nullable: c.null,
                collation: column_collations
                    .iter()
                    .find(|(t_, c_, _)| *t_ == t.info.name && *c_ == c.name)
                    .and_then(|(_, _, coll)| coll.as_deref())
                    .map(canonical_collation)
                    .filter(|coll| Some(coll) != table_collation.as_ref()),
                default: c.default.as_ref().and_then(|d| match d {
                    ColumnDefault::Null => None,
                    ColumnDefault::Int(i) => Some(i.to_string()),
                    ColumnDefault::Real(r) => Some(r.to_string()),
                    ColumnDefault::String(s) => Some(quote(s)),
                    ColumnDefault::CustomExpr(e) => Some(e.to_lowercase()),
                    ColumnDefault::CurrentTimestamp => Some("current_timestamp()".into()),
                }),
            })
            .collect();
        let fk_names: Vec<&str> = t.foreign_keys.iter().map(|f| f.name.as_str()).collect();
        let mut primary_key = Vec::new();
        let mut indexes = Vec::new();
        for i in &t.indexes {
            let cols: Vec<String> = i.parts.iter().map(|p| p.column.clone()).collect();
            if i.name == "PRIMARY" {
                primary_key = cols;
            } else if !i.unique && fk_names.contains(&i.name.as_str()) {
                // The index MySQL creates by itself for a foreign key.
            } else {
                indexes.push(Index {
                    name: i.name.clone(),
                    columns: cols,
                    unique: i.unique,
                });
            }
        }
        out.push(Table {
            name: t.info.name.clone(),
            collation: table_collation,
            columns,
            primary_key,
            indexes,
            foreign_keys: t
                .foreign_keys
                .iter()
                .map(|f| ForeignKey {
                    name: Some(f.name.clone()),
                    columns: f.columns.clone(),
                    ref_table: f.referenced_table.clone(),
                    ref_columns: f.referenced_columns.clone(),
                    on_delete: action(&f.on_delete),
                    on_update: action(&f.on_update),
                })
                .collect(),
        });
    }
    Ok(out)
}

#[cfg(feature = "sqlite")]
async fn sqlite(pool: &sqlx::SqlitePool) -> Result<Vec<Table>, Error> {
    // A connection of its own: sea-schema reads PRAGMA index_list/index_info through cached
    // prepared statements, and SQLite computes a PRAGMA's rows when it is prepared, so a pooled
    // connection that ran them before a schema change returns the old schema's indexes.
    // (An in-memory database is shared between connections of the same options.)
    let fresh = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with((*pool.connect_options()).clone())
        .await?;
    let result = sqlite_discover(&fresh).await;
    fresh.close().await;
    result
}

#[cfg(feature = "sqlite")]
async fn sqlite_discover(pool: &sqlx::SqlitePool) -> Result<Vec<Table>, Error> {
    use sea_query::{ColumnType, StringLen};
    use sea_schema::sqlite::def::{DefaultType, ForeignKeyAction};
    let discovered = sea_schema::sqlite::discovery::SchemaDiscovery::new(pool.clone())
        .discover()
        .await
        .map_err(|e| err(format!("{e:?}")))?;
    let action = |a: &ForeignKeyAction| match a {
        ForeignKeyAction::Cascade => Action::Cascade,
        ForeignKeyAction::SetNull => Action::SetNull,
        ForeignKeyAction::SetDefault => Action::SetDefault,
        _ => Action::NoAction,
    };
    let mut out = Vec::new();
    for t in discovered.tables {
        if t.name.starts_with("sqlite_") {
            continue;
        }
        // Primary key columns in key order: not in sea-schema's model.
        let primary_key: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")
                .bind(&t.name)
                .fetch_all(pool)
                .await?;
        let columns = t
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                ty: match &c.r#type {
                    ColumnType::Text => "text".into(),
                    ColumnType::String(StringLen::N(n)) => format!("varchar({n})"),
                    ColumnType::String(_) => "varchar".into(),
                    ColumnType::Char(Some(n)) => format!("char({n})"),
                    ColumnType::BigInteger => "integer".into(),
                    ColumnType::Boolean => "boolean".into(),
                    ColumnType::Double => "real".into(),
                    ColumnType::Custom(name) => name.to_string().to_lowercase(),
                    other => format!("{other:?}").to_lowercase(),
                },
                nullable: !c.not_null,
                collation: None,
                default: match &c.default_value {
                    DefaultType::Integer(i) => Some(i.to_string()),
                    DefaultType::Float(f) => Some(f.to_string()),
                    DefaultType::String(s) => Some(quote(s)),
                    DefaultType::CurrentTimestamp => Some("current_timestamp".into()),
                    DefaultType::Null | DefaultType::Unspecified => None,
                },
            })
            .collect();
        let mut indexes: Vec<Index> = t
            .constraints
            .iter()
            .chain(discovered.indexes.iter().filter(|i| i.table_name == t.name))
            .filter(|i| i.partial == 0)
            .map(|i| Index {
                name: i.index_name.clone(),
                columns: i.columns.clone(),
                unique: i.unique,
            })
            .collect();
        indexes.dedup_by(|a, b| a.name == b.name);
        out.push(Table {
            name: t.name.clone(),
            collation: None,
            columns,
            primary_key,
            indexes,
            foreign_keys: t
                .foreign_keys
                .iter()
                .map(|f| ForeignKey {
                    name: None,
                    columns: f.from.clone(),
                    ref_table: f.table.clone(),
                    ref_columns: f.to.clone(),
                    on_delete: action(&f.on_delete),
                    on_update: action(&f.on_update),
                })
                .collect(),
        });
    }
    Ok(out)
}
