//! A normalised, dialect-specific model of tables, shared by introspection and the schema
//! declared in Rust, so the two compare with `==`.
//!
//! Normal forms: types are lowercase canonical names per dialect (`uuid`, `text`,
//! `varchar(255)`, `bigint`, `boolean`, `timestamptz`, `datetime(3)`, `tinyint(1)`, SQLite's
//! declared type in lowercase with `integer` for every integer); defaults are SQL text
//! (`gen_random_uuid()`, `uuid()`, `'text'`, `42`, `true`); unique constraints are unique indexes;
//! index and constraint names are kept for dropping but ignored when comparing; `RESTRICT` and
//! `NO ACTION` foreign key actions are the same action.

use auth_schema::{Backend, ColumnDefault, ColumnInfo, ColumnType, FkAction, TableInfo};

/// A column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Name.
    pub name: String,
    /// Canonical type.
    pub ty: String,
    /// NULL allowed.
    pub nullable: bool,
    /// Default, as SQL text.
    pub default: Option<String>,
    /// MySQL: the collation of a text column whose collation differs from its table's
    /// (`None`: the table's; always `None` on PostgreSQL and SQLite).
    pub collation: Option<String>,
}

/// An index or unique constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Name (ignored in comparisons).
    pub name: String,
    /// Columns, in order.
    pub columns: Vec<String>,
    /// Unique.
    pub unique: bool,
}

/// A foreign key action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `NO ACTION` / `RESTRICT`.
    NoAction,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl Action {
    /// The SQL keyword(s).
    pub fn sql(self) -> &'static str {
        match self {
            Action::NoAction => "NO ACTION",
            Action::Cascade => "CASCADE",
            Action::SetNull => "SET NULL",
            Action::SetDefault => "SET DEFAULT",
        }
    }

    /// From a catalog's spelling.
    pub fn parse(s: &str) -> Action {
        match s.to_ascii_uppercase().as_str() {
            "CASCADE" => Action::Cascade,
            "SET NULL" => Action::SetNull,
            "SET DEFAULT" => Action::SetDefault,
            _ => Action::NoAction,
        }
    }
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// Name, when the dialect keeps one (ignored in comparisons).
    pub name: Option<String>,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON DELETE`.
    pub on_delete: Action,
    /// `ON UPDATE`.
    pub on_update: Action,
}

impl ForeignKey {
    /// Whether two foreign keys are the same but for their names.
    pub fn same(&self, other: &ForeignKey) -> bool {
        self.columns == other.columns
            && self.ref_table == other.ref_table
            && self.ref_columns == other.ref_columns
            && self.on_delete == other.on_delete
            && self.on_update == other.on_update
    }
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Name.
    pub name: String,
    /// Columns, in order.
    pub columns: Vec<Column>,
    /// Primary key columns, in key order (empty: none).
    pub primary_key: Vec<String>,
    /// Indexes and unique constraints, sorted by (columns, unique).
    pub indexes: Vec<Index>,
    /// Foreign keys, sorted by columns.
    pub foreign_keys: Vec<ForeignKey>,
    /// MySQL: the table's default collation, which its text columns follow unless they name
    /// their own; canonically `utf8mb4_nopad_bin` for `utf8mb4_0900_bin` too (MySQL 8's name for
    /// the same comparison). Always `None` on PostgreSQL and SQLite.
    pub collation: Option<String>,
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Sorts indexes and foreign keys into their normal order.
    pub fn normalize(&mut self) {
        self.indexes
            .sort_by(|a, b| (&a.columns, a.unique).cmp(&(&b.columns, b.unique)));
        self.foreign_keys
            .sort_by(|a, b| (&a.columns, &a.ref_table).cmp(&(&b.columns, &b.ref_table)));
    }

    /// Equal but for index and constraint names.
    pub fn same_shape(&self, other: &Table) -> bool {
        let idx = |t: &Table| -> Vec<(Vec<String>, bool)> {
            t.indexes
                .iter()
                .map(|i| (i.columns.clone(), i.unique))
                .collect()
        };
        self.name == other.name
            && self.collation == other.collation
            && self.columns == other.columns
            && self.primary_key == other.primary_key
            && idx(self) == idx(other)
            && self.foreign_keys.len() == other.foreign_keys.len()
            && self
                .foreign_keys
                .iter()
                .zip(&other.foreign_keys)
                .all(|(a, b)| a.same(b))
    }
}

/// The canonical type of a declared column on `backend`, matching what introspection reports
/// for the DDL that `auth_schema::ddl` renders (its own type names, lower case).
pub fn canonical_type(ty: ColumnType, backend: Backend) -> String {
    auth_schema::ddl::sql_type(ty, backend)
}

/// A string literal in the model's normal form.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The canonical default of a declared column on `backend`, or `None` when the database keeps
/// none (identity columns number themselves; SQLite has no UUID function).
pub fn canonical_default(col: &ColumnInfo, backend: Backend) -> Option<String> {
    use auth_schema::ddl::Literal;
    let bool_sql = |v: bool| match (v, backend) {
        (true, Backend::MySql) => "1".to_owned(),
        (false, Backend::MySql) => "0".to_owned(),
        (v, _) => v.to_string(),
    };
    Some(match (col.default?, backend) {
        (ColumnDefault::RandomUuid, Backend::Postgres) => "gen_random_uuid()".into(),
        (ColumnDefault::RandomUuid, Backend::MySql) => "uuid()".into(),
        (ColumnDefault::RandomUuid | ColumnDefault::Identity, _) => return None,
        (ColumnDefault::Text(v), _) => quote(v),
        (ColumnDefault::Int(v), _) => v.to_string(),
        (ColumnDefault::Bool(v), _) => bool_sql(v),
        (ColumnDefault::Literal(src), _) => match auth_schema::ddl::literal(src, col.ty) {
            Some(Literal::Bool(v)) => bool_sql(v),
            Some(Literal::Int(v)) => v.to_string(),
            Some(Literal::Float(v)) => v.to_string(),
            Some(Literal::Text(v)) => quote(&v),
            None => src.trim().to_lowercase(),
        },
        (ColumnDefault::Now, _) => canonical_expr(auth_schema::ddl::now_sql(col.ty, backend)),
        (ColumnDefault::Sql(sql), _) => canonical_expr(sql),
        _ => return None,
    })
}

/// A default expression in the model's normal form: lower case outside string literals, without
/// the outer parentheses SQLite requires and MariaDB adds.
pub fn canonical_expr(sql: &str) -> String {
    let mut e = sql.trim();
    while e.starts_with('(') && e.ends_with(')') && balanced(&e[1..e.len() - 1]) {
        e = e[1..e.len() - 1].trim();
    }
    let mut out = String::with_capacity(e.len());
    let mut in_string = false;
    for c in e.chars() {
        if c == '\'' {
            in_string = !in_string;
        }
        if in_string {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether the parentheses of `s` (outside string literals) balance, so an outer pair around it
/// belongs together.
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_string = false;
    for c in s.chars() {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

fn lower_column(col: &ColumnInfo, backend: Backend) -> Column {
    Column {
        name: col.name.to_owned(),
        ty: canonical_type(col.ty, backend),
        nullable: col.nullable,
        default: canonical_default(col, backend),
        collation: None,
    }
}

/// A collation's name in the model's normal form: MySQL 8's `utf8mb4_0900_bin` is MariaDB's
/// `utf8mb4_nopad_bin` (both binary and NO PAD).
pub fn canonical_collation(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower == "utf8mb4_0900_bin" {
        auth_schema::ddl::MYSQL_COLLATION.to_owned()
    } else {
        lower
    }
}

/// The model of a declared table on `backend`.
pub fn lower_table(info: &TableInfo, backend: Backend) -> Table {
    let mut indexes = Vec::new();
    for cols in info.unique {
        indexes.push(Index {
            name: auth_schema::ddl::key_name(info, cols, "key"),
            columns: cols.iter().map(|c| c.to_string()).collect(),
            unique: true,
        });
    }
    for cols in info.indexes {
        indexes.push(Index {
            name: auth_schema::ddl::key_name(info, cols, "index"),
            columns: cols.iter().map(|c| c.to_string()).collect(),
            unique: false,
        });
    }
    let foreign_keys = info
        .foreign_keys
        .iter()
        .map(|fk| ForeignKey {
            name: (backend != Backend::Sqlite).then(|| auth_schema::ddl::fk_name(info, fk)),
            columns: fk.columns.iter().map(|c| c.to_string()).collect(),
            ref_table: fk.ref_table.to_owned(),
            ref_columns: fk.ref_columns.iter().map(|c| c.to_string()).collect(),
            on_delete: match fk.on_delete {
                FkAction::Cascade => Action::Cascade,
                FkAction::SetNull => Action::SetNull,
                FkAction::SetDefault => Action::SetDefault,
                // RESTRICT and NO ACTION are the same action in the model.
                _ => Action::NoAction,
            },
            on_update: Action::NoAction,
        })
        .collect();
    let mut t = Table {
        name: info.name.to_owned(),
        columns: info
            .all_columns()
            .map(|c| lower_column(c, backend))
            .collect(),
        primary_key: info.primary_key.iter().map(|c| c.to_string()).collect(),
        indexes,
        foreign_keys,
        collation: (backend == Backend::MySql)
            .then(|| auth_schema::ddl::MYSQL_COLLATION.to_owned()),
    };
    t.normalize();
    t
}

/// The models of every table of schema `S` on `backend`, in creation order.
pub fn lower<S: auth_schema::AuthSchema>(backend: Backend) -> Vec<Table> {
    auth_schema::ddl::tables::<S>()
        .iter()
        .map(|t| lower_table(t, backend))
        .collect()
}
