//! Rust declarations from a live database: `migrate codegen`, as `diesel print-schema` and
//! kysely-codegen do.
//!
//! [`codegen`] introspects the database (the same reading as the planner, see
//! [`introspect`](crate::introspect)) and writes one [`table!`](auth_schema::table) per table
//! and a [`database!`](auth_schema::database) of them. Declared again, the source makes exactly
//! the tables it came from: `plan` against it is empty. SQL types map back to the markers of
//! [`auth_schema::sql`] (the inverse of their DDL per dialect), with nullability, defaults
//! (`now`, `random_uuid`, `identity`, literals, else `sql("...")`), the primary key, unique
//! keys, indexes and foreign keys with their `ON DELETE` action.
//!
//! - **The Auth.js tables.** When the five tables are exactly one of the stock layouts (naming
//!   `Kysely` or `SnakeCase`, ids `Uuid`, `Varchar36` or `Text`, no extra columns), they are
//!   written as one [`schema!`](auth_schema::schema) module `auth`, so the adapter can use them,
//!   and the other tables reference `auth::user(id)`. Otherwise (or with
//!   [`CodegenOptions::auth_preset`] off) they are plain tables like the others.
//! - **What cannot be declared exactly is an error**, naming the table and why: a column type
//!   with no marker (`numeric(10,2)`, `text[]`, an enum, MySQL's `longtext`), a table without a
//!   primary key, a foreign key to a table that is not generated, with an `ON UPDATE` action,
//!   or to columns that are not a key. [`CodegenOptions::skip_unsupported`] leaves such tables
//!   out instead, and lists them in the file's header.
//! - **What the model does not hold** (partial and expression indexes, check constraints,
//!   generated columns, a MySQL collation other than the binary one `auth_schema` declares) is
//!   listed in the header as a warning: the declarations are exact without it, and `plan`
//!   leaves it alone (a collation excepted, which `plan` converts).
//! - SQLite keeps dates, times, UUIDs and JSON as `text` and every integer as `integer`, so
//!   they come back as `Text` and `BigInt`.
//! - The history table `_authjs_migrations` is always left out.
//!
//! ```
//! use auth_migrate::codegen::{generate, CodegenOptions};
//! use auth_migrate::model::lower;
//! use auth_schema::Backend;
//!
//! auth_schema::table! {
//!     pub mod post {
//!         id: BigInt = identity,
//!         title: Varchar<120>,
//!         body: Nullable<Text>,
//!     }
//!     primary_key(id);
//! }
//! auth_schema::database! { pub struct Blog { tables: [post] } }
//!
//! let tables = lower::<Blog>(Backend::Postgres);
//! let source = generate(Backend::Postgres, &tables, &CodegenOptions::default()).unwrap();
//! assert!(source.contains("id: BigInt = identity,"));
//! assert!(source.contains("title: Varchar<120>,"));
//! assert!(source.contains("pub struct AppDatabase {\n        tables: [post],"));
//! ```

use auth_schema::{Backend, ColumnDefault, ColumnInfo, ColumnType, IdType, TableInfo};

use crate::Error;
use crate::model::{Action, Column, Table, canonical_default, lower_table};

/// What to generate.
#[derive(Debug, Clone)]
pub struct CodegenOptions {
    /// Tables to generate, by name (`*` matches any run of characters; on Postgres a pattern
    /// may also be `schema.name`); empty: every table.
    pub include: Vec<String>,
    /// Tables to leave out, by name or pattern (`_authjs_migrations` always is).
    pub exclude: Vec<String>,
    /// Postgres: the schemas to read (empty: the current one). Tables outside the current
    /// schema are declared `in "schema"`.
    pub pg_schemas: Vec<String>,
    /// Write the Auth.js tables as a `schema!` when they match a stock layout (default on).
    pub auth_preset: bool,
    /// Leave out the tables that cannot be declared exactly (listed in the header) instead of
    /// failing.
    pub skip_unsupported: bool,
    /// The name of the `database!` struct (default `AppDatabase`).
    pub database_name: String,
}

impl Default for CodegenOptions {
    fn default() -> Self {
        CodegenOptions {
            include: Vec::new(),
            exclude: Vec::new(),
            pg_schemas: Vec::new(),
            auth_preset: true,
            skip_unsupported: false,
            database_name: "AppDatabase".into(),
        }
    }
}

/// Introspects `db` and returns the Rust source declaring its tables (see the
/// [module](self)).
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub async fn codegen(db: &crate::Db, options: &CodegenOptions) -> Result<String, Error> {
    let schemas: Vec<&str> = options.pg_schemas.iter().map(String::as_str).collect();
    let tables = crate::introspect::introspect_all(db, &schemas).await?;
    generate(db.backend(), &tables, options)
}

// ----------------------------------------------------------------------------- presets --

auth_schema::schema! {
    /// Kysely names, `varchar(36)` ids.
    #[allow(dead_code, unreachable_pub)]
    mod kysely_varchar36 { naming: Kysely, id: Varchar36 }
}
auth_schema::schema! {
    /// Kysely names, text ids.
    #[allow(dead_code, unreachable_pub)]
    mod kysely_text { naming: Kysely, id: Text }
}
auth_schema::schema! {
    /// snake_case names, `varchar(36)` ids.
    #[allow(dead_code, unreachable_pub)]
    mod snake_varchar36 { naming: SnakeCase, id: Varchar36 }
}
auth_schema::schema! {
    /// snake_case names, text ids.
    #[allow(dead_code, unreachable_pub)]
    mod snake_text { naming: SnakeCase, id: Text }
}

/// The stock layouts of the Auth.js tables: (naming, id, the five tables).
fn presets() -> Vec<(&'static str, &'static str, Vec<&'static TableInfo>)> {
    use auth_schema::Database;
    vec![
        ("Kysely", "Uuid", auth_schema::kysely::Schema::tables()),
        ("Kysely", "Varchar36", kysely_varchar36::Schema::tables()),
        ("Kysely", "Text", kysely_text::Schema::tables()),
        (
            "SnakeCase",
            "Uuid",
            auth_schema::snake_case::Schema::tables(),
        ),
        ("SnakeCase", "Varchar36", snake_varchar36::Schema::tables()),
        ("SnakeCase", "Text", snake_text::Schema::tables()),
    ]
}

/// The Rust module of each Auth.js table in `schema!`, by model.
fn preset_module(model: &str) -> &'static str {
    match model {
        "User" => "user",
        "Account" => "account",
        "Session" => "session",
        "VerificationToken" => "verification_token",
        _ => "authenticator",
    }
}

/// The Rust ident `schema!` gives an Auth.js field.
fn preset_column_ident(field: &str) -> String {
    match field {
        "type" => "account_type".into(),
        f => snake_case(f),
    }
}

/// The matched preset: its layout and, for each live table it covers, the preset's table.
struct Preset {
    naming: &'static str,
    id: &'static str,
    schema: Option<String>,
    tables: Vec<(String, &'static TableInfo)>,
}

fn detect_preset(backend: Backend, live: &[&Table]) -> Option<Preset> {
    for (naming, id, infos) in presets() {
        let mut matched = Vec::new();
        let mut schema: Option<Option<String>> = None;
        for info in &infos {
            let want = lower_table(info, backend);
            let found = live
                .iter()
                .find(|t| t.name == want.name && schema.as_ref().is_none_or(|s| *s == t.schema));
            let Some(t) = found else {
                break;
            };
            // The preset is declared without a schema: compare as if it were the current one.
            let mut have = (*t).clone();
            let s = have.schema.take();
            for fk in &mut have.foreign_keys {
                if fk.ref_schema == s {
                    fk.ref_schema = None;
                }
            }
            if !have.same_shape(&want) {
                break;
            }
            schema = Some(s);
            matched.push((t.name.clone(), *info));
        }
        if matched.len() == infos.len() {
            return Some(Preset {
                naming,
                id,
                schema: schema.flatten(),
                tables: matched,
            });
        }
    }
    None
}

// ------------------------------------------------------------------------------- names --

const KEYWORDS: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "crate",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "async",
    "await",
    "dyn",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "try",
    "gen",
    // Names `table!` defines inside a table's module, and crates the generated code names.
    "table",
    "Row",
    "New",
    "auth_schema",
    "std",
    "core",
    "alloc",
];

/// `emailVerified` → `email_verified`, `VerificationToken` → `verification_token`,
/// `credentialID` → `credential_id`; other characters than ASCII letters and digits become `_`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let mut out = out.trim_matches('_').to_owned();
    if out.is_empty() {
        out = "t".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A Rust identifier for a SQL name, not in `taken` (which it joins).
fn ident(name: &str, taken: &mut Vec<String>) -> String {
    let mut base = snake_case(name);
    if KEYWORDS.contains(&base.as_str()) {
        base.push('_');
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// Whether `name` matches `pattern`, where `*` is any run of characters.
fn glob(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let mut rest = name;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(p) => rest = &rest[p + part.len()..],
                None => return false,
            }
        }
    }
    true
}

// ------------------------------------------------------------------------------- types --

/// The marker of a canonical type on `backend` (see `ddl::sql_type`, whose inverse this is).
fn marker(ty: &str, backend: Backend) -> Option<String> {
    if let Some(n) = ty
        .strip_prefix("varchar(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|n| n.parse::<u32>().ok())
    {
        return Some(format!("Varchar<{n}>"));
    }
    let m = match (backend, ty) {
        (Backend::Postgres, "uuid") => "Uuid",
        (Backend::Postgres | Backend::Sqlite, "text") => "Text",
        (Backend::MySql, "text") => "LongText",
        (Backend::Postgres | Backend::MySql, "smallint") => "SmallInt",
        (Backend::Postgres, "integer") | (Backend::MySql, "int") => "Integer",
        (Backend::Postgres | Backend::MySql, "bigint") | (Backend::Sqlite, "integer") => "BigInt",
        (Backend::Postgres, "real") | (Backend::MySql, "float") => "Real",
        (Backend::Postgres, "double precision")
        | (Backend::MySql, "double")
        | (Backend::Sqlite, "real") => "Double",
        (Backend::Postgres | Backend::Sqlite, "boolean") | (Backend::MySql, "tinyint(1)") => "Bool",
        (Backend::Postgres, "timestamptz") | (Backend::MySql, "datetime(3)") => "Timestamp",
        (Backend::Postgres, "timestamp") | (Backend::MySql, "datetime(6)") => "NaiveTimestamp",
        (Backend::Postgres | Backend::MySql, "date") => "Date",
        (Backend::Postgres, "time") | (Backend::MySql, "time(6)") => "Time",
        (Backend::Postgres, "jsonb") | (Backend::MySql, "json") => "Json",
        (Backend::Postgres, "bytea") | (Backend::MySql, "longblob") | (Backend::Sqlite, "blob") => {
            "Bytes"
        }
        _ => return None,
    };
    Some(m.to_owned())
}

/// The marker of a declared column type (the Auth.js tables'), as `schema!` spells it.
fn marker_of_type(ty: ColumnType) -> String {
    match ty {
        ColumnType::Id(IdType::Uuid) => "Uuid".into(),
        ColumnType::Id(_) | ColumnType::Text => "Text".into(),
        ColumnType::LongText => "LongText".into(),
        ColumnType::Varchar(n) => format!("Varchar<{n}>"),
        ColumnType::SmallInt => "SmallInt".into(),
        ColumnType::Integer => "Integer".into(),
        ColumnType::BigInt => "BigInt".into(),
        ColumnType::Real => "Real".into(),
        ColumnType::Double => "Double".into(),
        ColumnType::Bool => "Bool".into(),
        ColumnType::Timestamp => "Timestamp".into(),
        ColumnType::NaiveTimestamp => "NaiveTimestamp".into(),
        ColumnType::Date => "Date".into(),
        ColumnType::Time => "Time".into(),
        ColumnType::Json => "Json".into(),
        ColumnType::Bytes => "Bytes".into(),
        _ => "Text".into(),
    }
}

/// The column type of a marker.
fn type_of_marker(m: &str) -> ColumnType {
    if let Some(n) = m
        .strip_prefix("Varchar<")
        .and_then(|r| r.strip_suffix('>'))
        .and_then(|n| n.parse().ok())
    {
        return ColumnType::Varchar(n);
    }
    match m {
        "Uuid" => ColumnType::Id(IdType::Uuid),
        "LongText" => ColumnType::LongText,
        "SmallInt" => ColumnType::SmallInt,
        "Integer" => ColumnType::Integer,
        "BigInt" => ColumnType::BigInt,
        "Real" => ColumnType::Real,
        "Double" => ColumnType::Double,
        "Bool" => ColumnType::Bool,
        "Timestamp" => ColumnType::Timestamp,
        "NaiveTimestamp" => ColumnType::NaiveTimestamp,
        "Date" => ColumnType::Date,
        "Time" => ColumnType::Time,
        "Json" => ColumnType::Json,
        "Bytes" => ColumnType::Bytes,
        _ => ColumnType::Text,
    }
}

/// What a marker compares with (foreign keys need the same on both sides).
fn compare_class(m: &str) -> &str {
    if m == "Text" || m == "LongText" || m.starts_with("Varchar<") {
        "Text"
    } else {
        m
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The `= ...` of a column, checked to lower back to the live default; `None`: no default;
/// `Err`: none that does.
fn default_clause(column: &Column, m: &str, backend: Backend) -> Result<Option<String>, String> {
    if column.identity {
        return if matches!(m, "SmallInt" | "Integer" | "BigInt") {
            Ok(Some("identity".into()))
        } else {
            Err(format!(
                "column {} is numbered by the database but is not an integer",
                column.name
            ))
        };
    }
    let Some(live) = &column.default else {
        return Ok(None);
    };
    let ty = type_of_marker(m);
    let lowers_to = |d: ColumnDefault| {
        let info = ColumnInfo {
            name: "c",
            field: "c",
            ty,
            nullable: column.nullable,
            default: Some(d),
        };
        canonical_default(&info, backend).as_deref() == Some(live.as_str())
    };
    if m == "Uuid" && lowers_to(ColumnDefault::RandomUuid) {
        return Ok(Some("random_uuid".into()));
    }
    if matches!(m, "Timestamp" | "NaiveTimestamp") && lowers_to(ColumnDefault::Now) {
        return Ok(Some("now".into()));
    }
    let unquoted = crate::model::unquote(live);
    let literal: Option<String> = match m {
        "Bool" => match live.as_str() {
            "true" | "1" => Some("true".into()),
            "false" | "0" => Some("false".into()),
            _ => None,
        },
        "SmallInt" => live.parse::<i16>().ok().map(|v| v.to_string()),
        "Integer" => live.parse::<i32>().ok().map(|v| v.to_string()),
        "BigInt" => live.parse::<i64>().ok().map(|v| v.to_string()),
        "Real" | "Double" => live.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{v:.1}")
            } else {
                format!("{v:?}")
            }
        }),
        _ if matches!(
            ty,
            ColumnType::Text
                | ColumnType::LongText
                | ColumnType::Varchar(_)
                | ColumnType::Date
                | ColumnType::Time
                | ColumnType::Json
        ) =>
        {
            unquoted.as_deref().map(rust_str)
        }
        _ => None,
    };
    if let Some(lit) = literal {
        let src = leak(lit.clone());
        if lowers_to(ColumnDefault::Literal(src)) {
            return Ok(Some(match lit.strip_prefix('-') {
                // `default(-5)`: the macro takes a sign and a literal.
                Some(abs) => format!("default(-{abs})"),
                None => format!("default({lit})"),
            }));
        }
    }
    // Any other expression, used as written; SQLite needs parentheses around one.
    let expr = match backend {
        Backend::Sqlite if unquoted.is_none() && live.parse::<f64>().is_err() => {
            format!("({live})")
        }
        _ => live.clone(),
    };
    if lowers_to(ColumnDefault::Sql(leak(expr.clone()))) {
        return Ok(Some(format!("sql({})", rust_str(&expr))));
    }
    Err(format!(
        "the default of column {} ({live}) cannot be written back",
        column.name
    ))
}

// ---------------------------------------------------------------------------- generate --

/// One table to write.
struct Plan<'a> {
    table: &'a Table,
    module: String,
    /// Rust ident of each column, by position.
    idents: Vec<String>,
    markers: Vec<String>,
}

/// The Rust source declaring `tables` (introspected from a database of `backend`, on
/// Postgres with [`Table::schema`] `None` for the current schema): see the [module](self).
pub fn generate(
    backend: Backend,
    tables: &[Table],
    options: &CodegenOptions,
) -> Result<String, Error> {
    let qualified = |t: &Table| match &t.schema {
        Some(s) => format!("{s}.{}", t.name),
        None => t.name.clone(),
    };
    let selected: Vec<&Table> = tables
        .iter()
        .filter(|t| t.name != crate::HISTORY_TABLE)
        .filter(|t| {
            options.include.is_empty()
                || options
                    .include
                    .iter()
                    .any(|p| glob(p, &t.name) || glob(p, &qualified(t)))
        })
        .filter(|t| {
            !options
                .exclude
                .iter()
                .any(|p| glob(p, &t.name) || glob(p, &qualified(t)))
        })
        .collect();

    // Referenced tables first (as `auth_schema::creation_order` orders declarations), else in
    // the catalog's order.
    let selected = {
        let mut placed: Vec<&Table> = Vec::with_capacity(selected.len());
        let mut left = selected;
        while !left.is_empty() {
            let ready = left.iter().position(|t| {
                t.foreign_keys.iter().all(|fk| {
                    let same = |o: &&Table| o.name == fk.ref_table && o.schema == fk.ref_schema;
                    (fk.ref_table == t.name && fk.ref_schema == t.schema)
                        || placed.iter().any(same)
                        || !left.iter().any(same)
                })
            });
            // In a cycle: follow references from the first table left until one repeats, and
            // take that one, which is in the cycle.
            let pick = ready.unwrap_or_else(|| {
                let mut seen = vec![0usize];
                loop {
                    let t = left[*seen.last().unwrap()];
                    let next = t.foreign_keys.iter().find_map(|fk| {
                        left.iter().position(|o| {
                            o.name == fk.ref_table
                                && o.schema == fk.ref_schema
                                && !(o.name == t.name && o.schema == t.schema)
                        })
                    });
                    match next {
                        Some(n) if seen.contains(&n) => break n,
                        Some(n) => seen.push(n),
                        None => break *seen.last().unwrap(),
                    }
                }
            });
            placed.push(left.remove(pick));
        }
        placed
    };

    let preset = if options.auth_preset {
        detect_preset(backend, &selected)
    } else {
        None
    };
    let in_preset = |t: &Table| {
        preset
            .as_ref()
            .is_some_and(|p| p.tables.iter().any(|(n, _)| *n == t.name) && p.schema == t.schema)
    };

    // Names: modules first (the preset's `auth` is taken), then each table's columns.
    let mut modules: Vec<String> = vec!["auth".into(), options.database_name.clone()];
    let mut plans: Vec<Plan> = Vec::new();
    let mut problems: Vec<(String, String)> = Vec::new();
    for t in selected.iter().filter(|t| !in_preset(t)) {
        let module = ident(&t.name, &mut modules);
        let mut taken = Vec::new();
        let idents = t
            .columns
            .iter()
            .map(|c| ident(&c.name, &mut taken))
            .collect();
        let mut markers = Vec::new();
        for c in &t.columns {
            match marker(&c.ty, backend) {
                // MySQL stores a `Uuid` as `varchar(36)`: one that makes its own UUIDs is one.
                Some(_)
                    if backend == Backend::MySql
                        && c.ty == "varchar(36)"
                        && c.default.as_deref() == Some("uuid()") =>
                {
                    markers.push("Uuid".into())
                }
                Some(m) => markers.push(m),
                None => {
                    markers.push(String::new());
                    problems.push((
                        qualified(t),
                        format!(
                            "column {} has type {}, which no auth_schema::sql marker stores",
                            c.name, c.ty
                        ),
                    ));
                }
            }
        }
        plans.push(Plan {
            table: t,
            module,
            idents,
            markers,
        });
    }

    // A foreign key column takes the marker of the column it references when both store the
    // same type (a `varchar(36)` referencing a `Uuid` id is a `Uuid`).
    let preset_marker = |table: &str, column: &str| -> Option<(String, String)> {
        let p = preset.as_ref()?;
        let (_, info) = p.tables.iter().find(|(n, _)| n == table)?;
        info.column(column).map(|c| {
            (
                marker_of_type(c.ty),
                crate::model::canonical_type(c.ty, backend),
            )
        })
    };
    for _ in 0..plans.len() + 1 {
        let mut changed = false;
        for i in 0..plans.len() {
            for fk in plans[i].table.foreign_keys.clone() {
                for (col, ref_col) in fk.columns.iter().zip(&fk.ref_columns) {
                    let Some(ci) = plans[i].table.columns.iter().position(|c| c.name == *col)
                    else {
                        continue;
                    };
                    let target = match plans
                        .iter()
                        .find(|p| p.table.name == fk.ref_table && p.table.schema == fk.ref_schema)
                    {
                        Some(p) => p
                            .table
                            .columns
                            .iter()
                            .position(|c| c.name == *ref_col)
                            .map(|rc| (p.markers[rc].clone(), p.table.columns[rc].ty.clone())),
                        None => preset_marker(&fk.ref_table, ref_col),
                    };
                    if let Some((m, ty)) = target
                        && !m.is_empty()
                        && ty == plans[i].table.columns[ci].ty
                        && plans[i].markers[ci] != m
                        && !plans[i].markers[ci].is_empty()
                    {
                        plans[i].markers[ci] = m;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }

    // Each table: what `table!` can say, or why not.
    let mut bodies: Vec<Option<String>> = Vec::new();
    for p in &plans {
        match table_source(p, &plans, preset.as_ref(), backend) {
            Ok(src) => bodies.push(Some(src)),
            Err(why) => {
                problems.extend(why.into_iter().map(|w| (qualified(p.table), w)));
                bodies.push(None);
            }
        }
    }
    // A table is left out with its problems, and with it every table that references it.
    let mut skipped: Vec<String> = problems.iter().map(|(t, _)| t.clone()).collect();
    loop {
        let before = skipped.len();
        for p in &plans {
            let name = qualified(p.table);
            if skipped.contains(&name) {
                continue;
            }
            for fk in &p.table.foreign_keys {
                let target = match &fk.ref_schema {
                    Some(s) => format!("{s}.{}", fk.ref_table),
                    None => fk.ref_table.clone(),
                };
                if skipped.contains(&target) && target != name {
                    problems.push((
                        name.clone(),
                        format!("it references {target}, which is not generated"),
                    ));
                    skipped.push(name.clone());
                    break;
                }
            }
        }
        if skipped.len() == before {
            break;
        }
    }
    if !problems.is_empty() && !options.skip_unsupported {
        let list: Vec<String> = problems
            .iter()
            .map(|(t, w)| format!("table {t}: {w}"))
            .collect();
        return Err(Error::Codegen(format!(
            "{} (leave such tables out with --exclude, or with --skip-unsupported)",
            list.join("; ")
        )));
    }

    let mut out = String::new();
    out.push_str(&format!(
        "// Generated by `migrate codegen` (auth-migrate {}) from a {} database.\n\
         // Declared with auth_schema, these tables are the ones it read: `migrate plan` against\n\
         // them is empty. Regenerate rather than edit, or edit and let `plan` migrate.\n",
        env!("CARGO_PKG_VERSION"),
        match backend {
            Backend::Postgres => "PostgreSQL",
            Backend::MySql => "MySQL",
            Backend::Sqlite => "SQLite",
        }
    ));
    let mut warnings: Vec<String> = Vec::new();
    for t in &selected {
        let skip = skipped.contains(&qualified(t));
        if skip {
            continue;
        }
        for u in &t.unmodeled {
            warnings.push(format!("{}: {u} (not declared)", qualified(t)));
        }
        if backend == Backend::MySql {
            let declared = auth_schema::ddl::MYSQL_COLLATION;
            if t.collation.as_deref() != Some(declared) {
                warnings.push(format!(
                    "{}: collation {} (auth_schema declares {declared}; `plan` converts the table)",
                    qualified(t),
                    t.collation.as_deref().unwrap_or("none")
                ));
            }
            for c in &t.columns {
                if let Some(coll) = &c.collation {
                    warnings.push(format!(
                        "{}.{}: collation {coll} (`plan` converts it to the table's)",
                        qualified(t),
                        c.name
                    ));
                }
            }
        }
    }
    if !warnings.is_empty() {
        out.push_str("//\n// Not declared (the model does not hold it):\n");
        for w in &warnings {
            out.push_str(&format!("// - {w}\n"));
        }
    }
    if !problems.is_empty() {
        out.push_str("//\n// Left out (--skip-unsupported):\n");
        for (t, w) in &problems {
            out.push_str(&format!("// - {t}: {w}\n"));
        }
    }

    if let Some(p) = &preset {
        out.push_str(&format!(
            "\nauth_schema::schema! {{\n    /// The Auth.js tables: the `{}` naming with `{}` ids.\n    pub mod auth {{\n        naming: {},\n        id: {},\n",
            p.naming, p.id, p.naming, p.id
        ));
        if let Some(s) = &p.schema {
            out.push_str(&format!("        postgres_schema: {},\n", rust_str(s)));
        }
        out.push_str("    }\n}\n");
    }
    let mut generated = Vec::new();
    for (p, body) in plans.iter().zip(&bodies) {
        if let Some(body) = body
            && !skipped.contains(&qualified(p.table))
        {
            out.push('\n');
            out.push_str(body);
            generated.push(p.module.clone());
        }
    }
    out.push_str(&format!(
        "\nauth_schema::database! {{\n    /// Every table above.\n    pub struct {} {{\n",
        options.database_name
    ));
    if preset.is_some() {
        out.push_str("        auth: auth,\n");
    }
    out.push_str(&format!("        tables: [{}],\n", generated.join(", ")));
    out.push_str("    }\n}\n");
    Ok(out)
}

/// The `table!` of one table, or every reason it cannot be written.
fn table_source(
    p: &Plan,
    plans: &[Plan],
    preset: Option<&Preset>,
    backend: Backend,
) -> Result<String, Vec<String>> {
    let t = p.table;
    let mut why = Vec::new();
    let col_ident = |name: &str| -> String {
        t.columns
            .iter()
            .position(|c| c.name == name)
            .map(|i| p.idents[i].clone())
            .unwrap_or_else(|| name.to_owned())
    };
    let mut src = String::from("auth_schema::table! {\n");
    let mut header = format!("    pub mod {}", p.module);
    if p.module != t.name {
        header.push_str(&format!(" as {}", rust_str(&t.name)));
    }
    if let Some(s) = &t.schema {
        header.push_str(&format!(" in {}", rust_str(s)));
    }
    src.push_str(&header);
    src.push_str(" {\n");
    for (i, c) in t.columns.iter().enumerate() {
        let m = &p.markers[i];
        if m.is_empty() {
            continue;
        }
        let mut line = format!("        {}", p.idents[i]);
        if p.idents[i] != c.name {
            line.push_str(&format!(" as {}", rust_str(&c.name)));
        }
        if c.nullable {
            line.push_str(&format!(": Nullable<{m}>"));
        } else {
            line.push_str(&format!(": {m}"));
        }
        match default_clause(c, m, backend) {
            Ok(Some(d)) => line.push_str(&format!(" = {d}")),
            Ok(None) => {}
            Err(e) => why.push(e),
        }
        line.push_str(",\n");
        src.push_str(&line);
    }
    src.push_str("    }\n");
    if t.primary_key.is_empty() {
        why.push("it has no primary key, which `table!` needs".into());
    }
    let list = |cols: &[String]| {
        cols.iter()
            .map(|c| col_ident(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    src.push_str(&format!("    primary_key({});\n", list(&t.primary_key)));
    let same_key = |a: &[String], b: &[String]| {
        let (mut x, mut y) = (a.to_vec(), b.to_vec());
        x.sort();
        y.sort();
        x == y
    };
    let mut keys: Vec<&[String]> = vec![&t.primary_key];
    for idx in t.indexes.iter().filter(|i| i.unique) {
        if keys.iter().any(|k| same_key(k, &idx.columns)) {
            why.push(format!(
                "unique index {} repeats the key ({}), which `table!` cannot declare twice",
                idx.name,
                idx.columns.join(", ")
            ));
        }
        keys.push(&idx.columns);
        src.push_str(&format!("    unique({});\n", list(&idx.columns)));
    }
    for idx in t.indexes.iter().filter(|i| !i.unique) {
        src.push_str(&format!("    index({});\n", list(&idx.columns)));
    }
    for fk in &t.foreign_keys {
        let target = plans
            .iter()
            .find(|o| o.table.name == fk.ref_table && o.table.schema == fk.ref_schema);
        let preset_table = preset.and_then(|pr| {
            (pr.schema == fk.ref_schema)
                .then(|| pr.tables.iter().find(|(n, _)| *n == fk.ref_table))
                .flatten()
        });
        type Target = (String, Vec<String>, Vec<String>, Vec<Vec<String>>);
        let (path, ref_idents, ref_markers, ref_keys): Target = match (target, preset_table) {
            (Some(o), _) => {
                let positions: Vec<Option<usize>> = fk
                    .ref_columns
                    .iter()
                    .map(|rc| o.table.columns.iter().position(|c| c.name == *rc))
                    .collect();
                let ids = positions
                    .iter()
                    .zip(&fk.ref_columns)
                    .map(|(i, rc)| i.map(|i| o.idents[i].clone()).unwrap_or_else(|| rc.clone()))
                    .collect();
                let ms = positions
                    .iter()
                    .map(|i| i.map(|i| o.markers[i].clone()).unwrap_or_default())
                    .collect();
                let mut ks = vec![o.table.primary_key.clone()];
                ks.extend(
                    o.table
                        .indexes
                        .iter()
                        .filter(|i| i.unique)
                        .map(|i| i.columns.clone()),
                );
                (o.module.clone(), ids, ms, ks)
            }
            (None, Some((_, info))) => {
                let ids = fk
                    .ref_columns
                    .iter()
                    .map(|rc| {
                        info.column(rc)
                            .map(|c| preset_column_ident(c.field))
                            .unwrap_or_else(|| rc.clone())
                    })
                    .collect();
                let ms = fk
                    .ref_columns
                    .iter()
                    .map(|rc| {
                        info.column(rc)
                            .map(|c| marker_of_type(c.ty))
                            .unwrap_or_default()
                    })
                    .collect();
                let mut ks = vec![info.primary_key.iter().map(|s| s.to_string()).collect()];
                ks.extend(
                    info.unique
                        .iter()
                        .map(|u| u.iter().map(|s| s.to_string()).collect()),
                );
                (format!("auth::{}", preset_module(info.model)), ids, ms, ks)
            }
            (None, None) => {
                why.push(format!(
                    "foreign key {} references {}, which is not generated",
                    fk.name.as_deref().unwrap_or(&fk.columns.join(", ")),
                    match &fk.ref_schema {
                        Some(s) => format!("{s}.{}", fk.ref_table),
                        None => fk.ref_table.clone(),
                    }
                ));
                continue;
            }
        };
        let is_key = ref_keys
            .iter()
            .any(|k| *k == fk.ref_columns || (k.len() <= 2 && same_key(k, &fk.ref_columns)));
        if !is_key {
            why.push(format!(
                "foreign key on ({}) references ({}) of {}, which is not its primary key or a unique key",
                fk.columns.join(", "),
                fk.ref_columns.join(", "),
                fk.ref_table
            ));
        }
        for (col, rm) in fk.columns.iter().zip(&ref_markers) {
            let Some(i) = t.columns.iter().position(|c| c.name == *col) else {
                continue;
            };
            let m = &p.markers[i];
            if !m.is_empty() && !rm.is_empty() && compare_class(m) != compare_class(rm) {
                why.push(format!(
                    "foreign key column {col} ({m}) and the column it references ({rm}) have different SQL types"
                ));
            }
            if fk.on_delete == Action::SetNull && !t.columns[i].nullable {
                why.push(format!(
                    "foreign key on {col} is ON DELETE SET NULL but the column is NOT NULL"
                ));
            }
        }
        if fk.columns.len() > 4 {
            why.push(format!(
                "foreign key on ({}) has more than 4 columns",
                fk.columns.join(", ")
            ));
        }
        if fk.on_update != Action::NoAction {
            why.push(format!(
                "foreign key on ({}) has ON UPDATE {}, which `table!` cannot declare",
                fk.columns.join(", "),
                fk.on_update.sql()
            ));
        }
        // The module path: `super::` when a column of this table has the module's name.
        let first = path.split("::").next().unwrap_or("");
        let path = if p.idents.iter().any(|i| i == first) {
            format!("super::{path}")
        } else {
            path
        };
        let action = match fk.on_delete {
            Action::NoAction => String::new(),
            Action::Restrict => " on_delete(restrict)".into(),
            Action::Cascade => " on_delete(cascade)".into(),
            Action::SetNull => " on_delete(set_null)".into(),
            Action::SetDefault => " on_delete(set_default)".into(),
        };
        src.push_str(&format!(
            "    foreign_key({}) references {path}({}){action};\n",
            list(&fk.columns),
            ref_idents.join(", ")
        ));
    }
    src.push_str("}\n");
    if why.is_empty() { Ok(src) } else { Err(why) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake_case("VerificationToken"), "verification_token");
        assert_eq!(snake_case("emailVerified"), "email_verified");
        assert_eq!(snake_case("credentialID"), "credential_id");
        assert_eq!(snake_case("apiKey"), "api_key");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("a b-c"), "a_b_c");
        assert_eq!(snake_case("2fa"), "_2fa");
        let mut taken = Vec::new();
        assert_eq!(ident("type", &mut taken), "type_");
        assert_eq!(ident("table", &mut taken), "table_");
        assert_eq!(ident("userId", &mut taken), "user_id");
        assert_eq!(ident("user_id", &mut taken), "user_id_2");
        assert_eq!(ident("auth_schema", &mut taken), "auth_schema_");
        assert!(glob("auth_*", "auth_x"));
        assert!(glob("*_log", "audit_log"));
        assert!(!glob("*_log", "audit"));
        assert!(glob("a*c*e", "abcde"));
    }

    #[test]
    fn every_marker_maps_back() {
        for backend in Backend::ALL {
            for m in [
                "SmallInt",
                "Integer",
                "BigInt",
                "Real",
                "Double",
                "Bool",
                "Text",
                "LongText",
                "Varchar<17>",
                "Timestamp",
                "NaiveTimestamp",
                "Date",
                "Time",
                "Uuid",
                "Json",
                "Bytes",
            ] {
                let ty = crate::model::canonical_type(type_of_marker(m), backend);
                let back = marker(&ty, backend).unwrap_or_else(|| panic!("{m} on {backend:?}"));
                let again = crate::model::canonical_type(type_of_marker(&back), backend);
                assert_eq!(ty, again, "{m} on {backend:?}");
            }
        }
    }
}
