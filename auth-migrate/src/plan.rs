//! The planner: the difference between a live schema and the declared one, as ordered changes
//! tagged by risk and rendered to SQL for every dialect through sea-query.
//!
//! Order: drop foreign keys, drop indexes, convert tables to the declared collation (MySQL),
//! create tables (every referenced table before the tables that reference it, see
//! [`auth_schema::creation_order`]; a foreign key to a table created later, in a cycle, is added
//! with the other foreign keys), add columns, alter columns, set primary keys, create indexes,
//! add foreign keys, drop columns. A down script undoes them in reverse order, so tables are
//! dropped children first. Tables the declared database does not name are never touched, so
//! other tables sharing the database are safe.
//!
//! Renames: a column the declaration lacks is dropped (destructive) and a new one added. When a
//! table loses a column and gains one of the same type and nullability in one plan, the drop's
//! description shows the `ALTER TABLE ... RENAME COLUMN ...` that would keep the data instead
//! ([`Plan::rename_offers`]); the planner never applies a rename by itself.
//!
//! On SQLite, a change `ALTER TABLE` cannot make (a column's type, nullability or default, a
//! primary key, a foreign key, a unique constraint, a column used by a key or index, a
//! `NOT NULL` column without default) rebuilds the table: create `new_<t>`, copy the rows, drop
//! `<t>`, rename, re-create its indexes. Such a migration carries
//! [`FOREIGN_KEYS_OFF`], so the runner turns foreign keys off
//! outside the transaction (dropping the parent would otherwise cascade-delete every child row)
//! and runs `PRAGMA foreign_key_check` before committing.

use auth_schema::ddl::{
    column_def, create_index_statements, create_table_statement, create_table_statement_with,
    table_ref,
};
use auth_schema::{Backend, Database, TableInfo};
use sea_query::{
    Alias, ForeignKey as SeaForeignKey, ForeignKeyAction, Index as SeaIndex, MysqlQueryBuilder,
    PostgresQueryBuilder, SqliteQueryBuilder, Table as SeaTable,
};

use crate::migration::{FOREIGN_KEYS_OFF, IRREVERSIBLE};
use crate::model::{Action, Column, ForeignKey, Index, Table, lower_table};

/// How risky a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    /// Cannot fail on existing data and loses nothing.
    Safe,
    /// May fail on existing data (NULLs, duplicates, orphans, values that do not convert).
    DataDependent,
    /// Loses data: a dropped table or column, a narrowed type.
    Destructive,
}

impl std::fmt::Display for Risk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Risk::Safe => "safe",
            Risk::DataDependent => "data-dependent",
            Risk::Destructive => "destructive",
        })
    }
}

/// One change, from the live schema to the declared one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A declared table that does not exist.
    CreateTable {
        /// Table.
        table: String,
    },
    /// MySQL: a table whose default collation differs; converting it gives every text column
    /// the declared collation (the foreign keys on those columns are dropped and re-added
    /// around it, as MySQL requires).
    ConvertTable {
        /// Table.
        table: String,
        /// The live collation.
        from: Option<String>,
        /// The declared collation.
        to: String,
    },
    /// A declared column that does not exist.
    AddColumn {
        /// Table.
        table: String,
        /// The declared column.
        column: Column,
    },
    /// A column the declaration does not have.
    DropColumn {
        /// Table.
        table: String,
        /// The live column.
        column: Column,
    },
    /// A column whose type, nullability or default differs.
    AlterColumn {
        /// Table.
        table: String,
        /// Live.
        from: Column,
        /// Declared.
        to: Column,
    },
    /// A different primary key.
    SetPrimaryKey {
        /// Table.
        table: String,
        /// Live columns (empty: none).
        from: Vec<String>,
        /// Declared columns.
        to: Vec<String>,
    },
    /// A declared index or unique key that does not exist.
    AddIndex {
        /// Table.
        table: String,
        /// Declared.
        index: Index,
    },
    /// An index or unique key the declaration does not have.
    DropIndex {
        /// Table.
        table: String,
        /// Live.
        index: Index,
    },
    /// A declared foreign key that does not exist.
    AddForeignKey {
        /// Table.
        table: String,
        /// Declared.
        fk: ForeignKey,
    },
    /// A foreign key the declaration does not have.
    DropForeignKey {
        /// Table.
        table: String,
        /// Live.
        fk: ForeignKey,
    },
}

impl Change {
    /// The table it changes.
    pub fn table(&self) -> &str {
        match self {
            Change::CreateTable { table }
            | Change::ConvertTable { table, .. }
            | Change::AddColumn { table, .. }
            | Change::DropColumn { table, .. }
            | Change::AlterColumn { table, .. }
            | Change::SetPrimaryKey { table, .. }
            | Change::AddIndex { table, .. }
            | Change::DropIndex { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::DropForeignKey { table, .. } => table,
        }
    }

    /// Its risk.
    pub fn risk(&self) -> Risk {
        match self {
            // Same character set, another collation: no value changes. (A case- or
            // accent-insensitive collation could make unique values collide; a binary one
            // cannot, so going to `MYSQL_COLLATION` is safe.)
            Change::ConvertTable { .. }
            | Change::CreateTable { .. }
            | Change::DropIndex { .. }
            | Change::DropForeignKey { .. } => Risk::Safe,
            Change::AddColumn { column, .. } => {
                if column.nullable || column.default.is_some() {
                    Risk::Safe
                } else {
                    Risk::DataDependent
                }
            }
            Change::DropColumn { .. } => Risk::Destructive,
            Change::AlterColumn { from, to, .. } => {
                if from.ty != to.ty {
                    if narrows(&from.ty, &to.ty) {
                        Risk::Destructive
                    } else if widens(&from.ty, &to.ty) && (to.nullable || !from.nullable) {
                        Risk::Safe
                    } else {
                        Risk::DataDependent
                    }
                } else if (from.nullable && !to.nullable) || (to.identity && !from.identity) {
                    // A new identity starts numbering at 1, whatever the rows hold.
                    Risk::DataDependent
                } else {
                    Risk::Safe
                }
            }
            Change::SetPrimaryKey { .. } | Change::AddForeignKey { .. } => Risk::DataDependent,
            Change::AddIndex { index, .. } => {
                if index.unique {
                    Risk::DataDependent
                } else {
                    Risk::Safe
                }
            }
        }
    }

    /// One line describing it.
    pub fn describe(&self) -> String {
        let cols = |c: &[String]| c.join(", ");
        match self {
            Change::CreateTable { table } => format!("create table {table}"),
            Change::ConvertTable { table, from, to } => format!(
                "convert table {table} to collation {to} (from {})",
                from.as_deref().unwrap_or("none")
            ),
            Change::AddColumn { table, column } => format!(
                "add column {table}.{} {}{}",
                column.name,
                column.ty,
                if column.nullable { "" } else { " NOT NULL" }
            ),
            Change::DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            Change::AlterColumn { table, from, to } => {
                let mut what = Vec::new();
                if from.ty != to.ty {
                    what.push(format!("type {} -> {}", from.ty, to.ty));
                }
                if from.nullable != to.nullable {
                    what.push(
                        if to.nullable {
                            "drop NOT NULL"
                        } else {
                            "set NOT NULL"
                        }
                        .into(),
                    );
                }
                if from.default != to.default {
                    what.push(format!(
                        "default {} -> {}",
                        from.default.as_deref().unwrap_or("none"),
                        to.default.as_deref().unwrap_or("none")
                    ));
                }
                if from.identity != to.identity {
                    what.push(
                        if to.identity {
                            "add identity"
                        } else {
                            "drop identity"
                        }
                        .into(),
                    );
                }
                if from.collation != to.collation {
                    what.push(format!(
                        "collation {} -> {}",
                        from.collation.as_deref().unwrap_or("the table's"),
                        to.collation.as_deref().unwrap_or("the table's")
                    ));
                }
                format!("alter column {table}.{}: {}", to.name, what.join(", "))
            }
            Change::SetPrimaryKey { table, from, to } => {
                format!("primary key of {table}: ({}) -> ({})", cols(from), cols(to))
            }
            Change::AddIndex { table, index } => format!(
                "add {}index {} on {table} ({})",
                if index.unique { "unique " } else { "" },
                index.name,
                cols(&index.columns)
            ),
            Change::DropIndex { table, index } => format!(
                "drop {}index {} on {table} ({})",
                if index.unique { "unique " } else { "" },
                index.name,
                cols(&index.columns)
            ),
            Change::AddForeignKey { table, fk } => format!(
                "add foreign key {table}({}) -> {}({}) ON DELETE {}",
                cols(&fk.columns),
                ref_name(fk),
                cols(&fk.ref_columns),
                fk.on_delete.sql()
            ),
            Change::DropForeignKey { table, fk } => format!(
                "drop foreign key {}{table}({}) -> {}({})",
                fk.name
                    .as_ref()
                    .map(|n| format!("{n} on "))
                    .unwrap_or_default(),
                cols(&fk.columns),
                ref_name(fk),
                cols(&fk.ref_columns)
            ),
        }
    }
}

/// PostgreSQL: the statements that alter column `c` of table `t` (both as SQL) from `from` to
/// `to`.
fn pg_alter_column(t: &str, c: &str, from: &Column, to: &Column) -> Vec<String> {
    let mut out = Vec::new();
    if from.identity && !to.identity {
        out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} DROP IDENTITY IF EXISTS"
        ));
    }
    if from.ty != to.ty {
        out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING {c}::{ty}",
            ty = to.ty
        ));
    }
    if from.nullable != to.nullable {
        out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} {} NOT NULL",
            if to.nullable { "DROP" } else { "SET" }
        ));
    }
    if from.default != to.default {
        out.push(match &to.default {
            Some(d) => format!("ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {d}"),
            None => format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"),
        });
    }
    if to.identity && !from.identity {
        out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} ADD GENERATED BY DEFAULT AS IDENTITY"
        ));
    }
    out
}

/// The table a foreign key references, qualified by its Postgres schema on Postgres.
fn fk_ref_table(fk: &ForeignKey, backend: Backend) -> sea_query::TableRef {
    match (&fk.ref_schema, backend) {
        (Some(s), Backend::Postgres) => {
            (Alias::new(s.as_str()), Alias::new(fk.ref_table.as_str())).into()
        }
        _ => Alias::new(fk.ref_table.as_str()).into(),
    }
}

/// The referenced table of a foreign key, with its Postgres schema when it has one.
fn ref_name(fk: &ForeignKey) -> String {
    match &fk.ref_schema {
        Some(s) => format!("{s}.{}", fk.ref_table),
        None => fk.ref_table.clone(),
    }
}

fn is_text(t: &str) -> bool {
    matches!(t, "text" | "mediumtext" | "longtext")
}

fn varchar_len(t: &str) -> Option<u32> {
    t.strip_prefix("varchar(")?.strip_suffix(')')?.parse().ok()
}

fn narrows(from: &str, to: &str) -> bool {
    match (varchar_len(from), varchar_len(to)) {
        (Some(a), Some(b)) => b < a,
        (None, Some(_)) => is_text(from),
        _ => false,
    }
}

fn widens(from: &str, to: &str) -> bool {
    match (varchar_len(from), varchar_len(to)) {
        (Some(a), Some(b)) => b > a,
        (Some(_), None) => is_text(to),
        _ => false,
    }
}

/// The live table a declared one is (same name, same Postgres schema).
fn find_live<'a>(live: &'a [Table], want: &Table) -> Option<&'a Table> {
    live.iter()
        .find(|t| t.name == want.name && t.schema == want.schema)
}

/// The changes from `live` to the declared tables, in execution order. `desired` is in creation
/// order ([`auth_schema::creation_order`]): tables are created in that order, and a new table's
/// foreign key to a table created after it is added with the other foreign keys.
pub fn diff(live: &[Table], desired: &[Table]) -> Vec<Change> {
    let mut drop_fks = Vec::new();
    let mut drop_indexes = Vec::new();
    let mut creates = Vec::new();
    let mut converts = Vec::new();
    let mut add_columns = Vec::new();
    let mut alter_columns = Vec::new();
    let mut pks = Vec::new();
    let mut add_indexes = Vec::new();
    let mut add_fks = Vec::new();
    let mut drop_columns = Vec::new();
    // Columns whose collation changes: MySQL refuses that while a foreign key uses them.
    let mut recollated: Vec<(String, String)> = Vec::new();
    for want in desired {
        let Some(have) = find_live(live, want) else {
            continue;
        };
        let converting = want.collation.is_some() && have.collation != want.collation;
        for c in &have.columns {
            let declared = want.column(&c.name);
            if converting || declared.is_some_and(|d| d.collation != c.collation) {
                recollated.push((want.name.clone(), c.name.clone()));
            }
        }
    }
    // Indexes dropped: MySQL refuses to drop the index a foreign key uses (one whose leading
    // columns are the key's), so such a foreign key is dropped and added again around it.
    let mut dropped_indexes: Vec<(String, Vec<String>)> = Vec::new();
    for want in desired {
        let Some(have) = find_live(live, want) else {
            continue;
        };
        for h in &have.indexes {
            let kept = want
                .indexes
                .iter()
                .any(|i| i.columns == h.columns && i.unique == h.unique);
            if !kept {
                dropped_indexes.push((want.name.clone(), h.columns.clone()));
            }
        }
    }
    let touches = |table: &str, fk: &ForeignKey| {
        dropped_indexes
            .iter()
            .any(|(t, cols)| t == table && cols.starts_with(&fk.columns))
            || fk
                .columns
                .iter()
                .any(|c| recollated.iter().any(|(t, n)| t == table && n == c))
            || fk
                .ref_columns
                .iter()
                .any(|c| recollated.iter().any(|(t, n)| *t == fk.ref_table && n == c))
    };
    let created: Vec<&str> = desired
        .iter()
        .filter(|t| find_live(live, t).is_none())
        .map(|t| t.name.as_str())
        .collect();
    for want in desired {
        let table = want.name.clone();
        let Some(have) = find_live(live, want) else {
            let position = |name: &str| created.iter().position(|c| *c == name);
            let here = position(&table);
            for fk in &want.foreign_keys {
                if position(&fk.ref_table) > here {
                    add_fks.push(Change::AddForeignKey {
                        table: table.clone(),
                        fk: fk.clone(),
                    });
                }
            }
            creates.push(Change::CreateTable { table });
            continue;
        };
        let converting = match &want.collation {
            Some(to) if have.collation.as_ref() != Some(to) => {
                converts.push(Change::ConvertTable {
                    table: table.clone(),
                    from: have.collation.clone(),
                    to: to.clone(),
                });
                true
            }
            _ => false,
        };
        for c in &want.columns {
            match have.column(&c.name) {
                None => add_columns.push(Change::AddColumn {
                    table: table.clone(),
                    column: c.clone(),
                }),
                // Converting the table resets every column's collation to the declared one.
                Some(h)
                    if converting && h.collation != c.collation && {
                        let mut same = h.clone();
                        same.collation = c.collation.clone();
                        same == *c
                    } => {}
                Some(h) if h != c => alter_columns.push(Change::AlterColumn {
                    table: table.clone(),
                    from: h.clone(),
                    to: c.clone(),
                }),
                Some(_) => {}
            }
        }
        for c in &have.columns {
            if want.column(&c.name).is_none() {
                drop_columns.push(Change::DropColumn {
                    table: table.clone(),
                    column: c.clone(),
                });
            }
        }
        if have.primary_key != want.primary_key {
            pks.push(Change::SetPrimaryKey {
                table: table.clone(),
                from: have.primary_key.clone(),
                to: want.primary_key.clone(),
            });
        }
        let key = |i: &Index| (i.columns.clone(), i.unique);
        let mut unmatched: Vec<&Index> = have.indexes.iter().collect();
        for i in &want.indexes {
            match unmatched.iter().position(|h| key(h) == key(i)) {
                Some(p) => {
                    unmatched.remove(p);
                }
                None => add_indexes.push(Change::AddIndex {
                    table: table.clone(),
                    index: i.clone(),
                }),
            }
        }
        for h in unmatched {
            drop_indexes.push(Change::DropIndex {
                table: table.clone(),
                index: h.clone(),
            });
        }
        let mut unmatched: Vec<&ForeignKey> = have.foreign_keys.iter().collect();
        for f in &want.foreign_keys {
            match unmatched.iter().position(|h| h.same(f)) {
                Some(p) => {
                    let h = unmatched.remove(p);
                    if touches(&table, h) {
                        drop_fks.push(Change::DropForeignKey {
                            table: table.clone(),
                            fk: h.clone(),
                        });
                        add_fks.push(Change::AddForeignKey {
                            table: table.clone(),
                            fk: f.clone(),
                        });
                    }
                }
                None => add_fks.push(Change::AddForeignKey {
                    table: table.clone(),
                    fk: f.clone(),
                }),
            }
        }
        for h in unmatched {
            drop_fks.push(Change::DropForeignKey {
                table: table.clone(),
                fk: h.clone(),
            });
        }
    }
    [
        drop_fks,
        drop_indexes,
        // Before the creates: a new table's foreign keys need the converted collation.
        converts,
        creates,
        add_columns,
        alter_columns,
        pks,
        add_indexes,
        add_fks,
        drop_columns,
    ]
    .concat()
}

/// A plan: the live schema of one database, the declared schema, and the changes between them.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The dialect of the database that was introspected.
    pub backend: Backend,
    /// The changes, in execution order.
    pub changes: Vec<Change>,
    /// The live tables (those the database declares).
    pub live: Vec<Table>,
    /// The declared tables, in creation order ([`auth_schema::creation_order`]).
    pub tables: Vec<&'static TableInfo>,
}

/// A column a plan drops that may have been renamed to one it adds: same table, type and
/// nullability. The plan still drops and adds; [`Plan::rename_sql`] is what would keep the
/// data instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameOffer {
    /// Table.
    pub table: String,
    /// The live column the plan drops.
    pub from: String,
    /// The declared column the plan adds.
    pub to: String,
}

impl RenameOffer {
    /// `ALTER TABLE .. RENAME COLUMN .. TO ..` on `backend` (PostgreSQL, MySQL 8, MariaDB 10.5+
    /// and SQLite 3.25+ all spell it so). `table` is the table as SQL, qualified if need be.
    fn sql_for(&self, table: &str, backend: Backend) -> String {
        format!(
            "ALTER TABLE {table} RENAME COLUMN {} TO {}",
            q(backend, &self.from),
            q(backend, &self.to)
        )
    }
}

/// One rendered step: a change (or a SQLite rebuild of a table, which takes several) and its SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What it does.
    pub description: String,
    /// The highest risk among its changes.
    pub risk: Risk,
    /// Statements, without trailing `;`.
    pub sql: Vec<String>,
    /// A SQLite table rebuild (needs foreign keys off).
    pub rebuild: bool,
}

macro_rules! build {
    ($stmt:expr, $backend:expr) => {
        match $backend {
            Backend::Postgres => $stmt.to_string(PostgresQueryBuilder),
            Backend::MySql => $stmt.to_string(MysqlQueryBuilder),
            Backend::Sqlite => $stmt.to_string(SqliteQueryBuilder),
        }
    };
}

fn q(backend: Backend, name: &str) -> String {
    match backend {
        Backend::MySql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

fn qcols(backend: Backend, cols: &[String]) -> String {
    cols.iter()
        .map(|c| q(backend, c))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sea_action(a: Action) -> ForeignKeyAction {
    match a {
        Action::NoAction => ForeignKeyAction::NoAction,
        Action::Restrict => ForeignKeyAction::Restrict,
        Action::Cascade => ForeignKeyAction::Cascade,
        Action::SetNull => ForeignKeyAction::SetNull,
        Action::SetDefault => ForeignKeyAction::SetDefault,
    }
}

impl Plan {
    /// A plan from live tables to the tables of database `D` (an
    /// [`AuthSchema`](auth_schema::AuthSchema)'s five tables, or any set from
    /// [`database!`](auth_schema::database)).
    pub fn between<D: Database>(backend: Backend, live: Vec<Table>) -> Plan {
        Self::between_tables(backend, &D::tables(), live)
    }

    /// A plan from live tables to `tables`.
    pub fn between_tables(
        backend: Backend,
        tables: &[&'static TableInfo],
        live: Vec<Table>,
    ) -> Plan {
        let tables = auth_schema::creation_order(tables);
        let desired: Vec<Table> = tables.iter().map(|t| lower_table(t, backend)).collect();
        Plan {
            backend,
            changes: diff(&live, &desired),
            live,
            tables,
        }
    }

    /// The columns this plan drops that may have been renamed to columns it adds (same table,
    /// type and nullability), one offer per candidate pair.
    pub fn rename_offers(&self) -> Vec<RenameOffer> {
        let mut out = Vec::new();
        for change in &self.changes {
            let Change::DropColumn { table, column } = change else {
                continue;
            };
            for added in &self.changes {
                if let Change::AddColumn {
                    table: t,
                    column: c,
                } = added
                    && t == table
                    && c.ty == column.ty
                    && c.nullable == column.nullable
                {
                    out.push(RenameOffer {
                        table: table.clone(),
                        from: column.name.clone(),
                        to: c.name.clone(),
                    });
                }
            }
        }
        out
    }

    /// The statement that renames the column of `offer` on `backend` (the table qualified by its
    /// Postgres schema), which keeps its data where the plan would drop it and add another.
    pub fn rename_sql(&self, offer: &RenameOffer, backend: Backend) -> String {
        offer.sql_for(&self.tname(backend, &offer.table), backend)
    }

    /// The description of a change in a rendered step: [`Change::describe`], and for a dropped
    /// column that may have been renamed, the rename that would keep its data.
    fn describe(&self, change: &Change, backend: Backend) -> String {
        let mut d = change.describe();
        if let Change::DropColumn { table, column } = change {
            let offers: Vec<String> = self
                .rename_offers()
                .into_iter()
                .filter(|o| o.table == *table && o.from == column.name)
                .map(|o| {
                    format!(
                        "if it was renamed to {}, keep its data with `{}` instead of this drop and the add",
                        o.to,
                        self.rename_sql(&o, backend)
                    )
                })
                .collect();
            if !offers.is_empty() {
                d.push_str(&format!(" (its data is lost; {})", offers.join("; or ")));
            }
        }
        d
    }

    /// The risk of one of this plan's changes: [`Change::risk`], except that a foreign key of a
    /// table the plan creates is safe (the table is empty).
    pub fn risk_of(&self, change: &Change) -> Risk {
        if self.deferred_fk(change) {
            Risk::Safe
        } else {
            change.risk()
        }
    }

    /// Whether `table` is created by this plan.
    fn creates(&self, table: &str) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c, Change::CreateTable { table: t } if t == table))
    }

    /// Whether `change` adds a foreign key of a table this plan creates (it follows the creates
    /// when it points to a table created later; SQLite keeps it in `CREATE TABLE`).
    fn deferred_fk(&self, change: &Change) -> bool {
        matches!(change, Change::AddForeignKey { table, .. } if self.creates(table))
    }

    /// No changes.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The destructive changes, described.
    pub fn destructive(&self) -> Vec<String> {
        self.changes
            .iter()
            .filter(|c| c.risk() == Risk::Destructive)
            .map(Change::describe)
            .collect()
    }

    fn info(&self, table: &str) -> &'static TableInfo {
        self.tables
            .iter()
            .find(|t| t.name == table)
            .copied()
            .expect("changes only name declared tables")
    }

    fn live_table(&self, table: &str) -> Option<&Table> {
        self.live.iter().find(|t| t.name == table)
    }

    /// A table name as SQL, qualified by its Postgres schema on Postgres.
    fn tname(&self, backend: Backend, table: &str) -> String {
        match (backend, self.info(table).postgres_schema) {
            (Backend::Postgres, Some(s)) => format!("{}.{}", q(backend, s), q(backend, table)),
            _ => q(backend, table),
        }
    }

    /// An index name as SQL (indexes live in their table's schema on Postgres).
    fn iname(&self, backend: Backend, table: &str, index: &str) -> String {
        match (backend, self.info(table).postgres_schema) {
            (Backend::Postgres, Some(s)) => format!("{}.{}", q(backend, s), q(backend, index)),
            _ => q(backend, index),
        }
    }

    /// Whether `change` drops or adds a foreign key that the plan also adds or drops unchanged:
    /// MySQL needs that around a collation change of its columns; other dialects do not.
    fn readded_fk(&self, change: &Change) -> bool {
        let (table, fk, dropped) = match change {
            Change::DropForeignKey { table, fk } => (table, fk, true),
            Change::AddForeignKey { table, fk } => (table, fk, false),
            _ => return false,
        };
        self.changes.iter().any(|c| match (c, dropped) {
            (Change::AddForeignKey { table: t, fk: f }, true)
            | (Change::DropForeignKey { table: t, fk: f }, false) => t == table && f.same(fk),
            _ => false,
        })
    }

    fn sqlite_needs_rebuild(&self, change: &Change) -> bool {
        if self.readded_fk(change) || self.deferred_fk(change) {
            return false;
        }
        match change {
            Change::CreateTable { .. } | Change::ConvertTable { .. } | Change::AddIndex { .. } => {
                false
            }
            Change::AddColumn { column, .. } => !column.nullable && column.default.is_none(),
            Change::DropIndex { index, .. } => index.name.starts_with("sqlite_autoindex"),
            Change::DropColumn { table, column } => match self.live_table(table) {
                Some(t) => {
                    t.primary_key.contains(&column.name)
                        || t.indexes.iter().any(|i| i.columns.contains(&column.name))
                        || t.foreign_keys
                            .iter()
                            .any(|f| f.columns.contains(&column.name))
                }
                None => true,
            },
            _ => true,
        }
    }

    /// The steps on `backend`, in order. The plan may come from a database of another dialect:
    /// names of live constraints are then taken to follow this crate's naming, as the shipped
    /// migrations do.
    pub fn render(&self, backend: Backend) -> Vec<Step> {
        let mut steps = Vec::new();
        let rebuilt: Vec<&str> = if backend == Backend::Sqlite {
            let mut t: Vec<&str> = self
                .changes
                .iter()
                .filter(|c| self.sqlite_needs_rebuild(c))
                .map(Change::table)
                .collect();
            t.dedup();
            t
        } else {
            Vec::new()
        };
        if backend == Backend::Postgres {
            // The schemas of the tables created, in creation order (`IF NOT EXISTS`: a schema
            // that exists already is left as it is).
            let mut schemas: Vec<&str> = Vec::new();
            for change in &self.changes {
                if let Change::CreateTable { table } = change
                    && let Some(schema) = self.info(table).postgres_schema
                    && !schemas.contains(&schema)
                {
                    schemas.push(schema);
                }
            }
            for schema in schemas {
                steps.push(Step {
                    description: format!("create schema {schema}"),
                    risk: Risk::Safe,
                    sql: vec![format!(
                        "CREATE SCHEMA IF NOT EXISTS {}",
                        q(backend, schema)
                    )],
                    rebuild: false,
                });
            }
        }
        let mut done_rebuilds: Vec<&str> = Vec::new();
        for change in &self.changes {
            if backend != Backend::MySql && self.readded_fk(change) {
                continue;
            }
            if backend == Backend::Sqlite && self.deferred_fk(change) {
                // In the table's `CREATE TABLE`: SQLite checks foreign keys on writes only.
                continue;
            }
            let table = change.table();
            if rebuilt.contains(&table) {
                if done_rebuilds.contains(&table) {
                    continue;
                }
                done_rebuilds.push(table);
                steps.push(self.rebuild(table));
                continue;
            }
            let sql = self.change_sql(change, backend);
            if sql.is_empty() {
                // A MySQL-only change, rendered for another dialect.
                continue;
            }
            steps.push(Step {
                description: self.describe(change, backend),
                risk: self.risk_of(change),
                sql,
                rebuild: false,
            });
        }
        steps
    }

    fn rebuild(&self, table: &str) -> Step {
        let backend = Backend::Sqlite;
        let info = self.info(table);
        let changes: Vec<&Change> = self.changes.iter().filter(|c| c.table() == table).collect();
        let risk = changes
            .iter()
            .map(|c| self.risk_of(c))
            .max()
            .unwrap_or(Risk::Safe);
        let tmp = format!("new_{table}");
        let mut create = create_table_statement(info, backend);
        create.table(Alias::new(tmp.as_str()));
        let live_cols: Vec<String> = self
            .live_table(table)
            .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default();
        let common: Vec<String> = info
            .all_columns()
            .filter(|c| live_cols.iter().any(|l| l == c.name))
            .map(|c| c.name.to_owned())
            .collect();
        let mut sql = vec![build!(create, backend)];
        if !common.is_empty() {
            sql.push(format!(
                "INSERT INTO {} ({cols}) SELECT {cols} FROM {}",
                q(backend, &tmp),
                q(backend, table),
                cols = qcols(backend, &common)
            ));
        }
        sql.push(format!("DROP TABLE {}", q(backend, table)));
        sql.push(format!(
            "ALTER TABLE {} RENAME TO {}",
            q(backend, &tmp),
            q(backend, table)
        ));
        for idx in create_index_statements(info, backend) {
            sql.push(build!(idx, backend));
        }
        Step {
            description: format!(
                "rebuild table {table}: {}",
                changes
                    .iter()
                    .map(|c| self.describe(c, backend))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            risk,
            sql,
            rebuild: true,
        }
    }

    fn fk_name(&self, table: &str, fk: &ForeignKey) -> String {
        fk.name
            .clone()
            .unwrap_or_else(|| format!("{table}_{}_fkey", fk.columns.join("_")))
    }

    fn change_sql(&self, change: &Change, backend: Backend) -> Vec<String> {
        match change {
            Change::CreateTable { table } => {
                let info = self.info(table);
                // Without the foreign keys to tables created later (they follow the creates),
                // except on SQLite.
                let later: Vec<&ForeignKey> = self
                    .changes
                    .iter()
                    .filter_map(|c| match c {
                        Change::AddForeignKey { table: t, fk } if t == table => Some(fk),
                        _ => None,
                    })
                    .collect();
                let include = |fk: &auth_schema::ForeignKeyInfo| {
                    backend == Backend::Sqlite
                        || !later.iter().any(|l| {
                            l.ref_table == fk.ref_table
                                && l.columns
                                    .iter()
                                    .map(String::as_str)
                                    .eq(fk.columns.iter().copied())
                        })
                };
                let stmt = if later.is_empty() {
                    create_table_statement(info, backend)
                } else {
                    create_table_statement_with(info, backend, &include)
                };
                let mut out = vec![build!(stmt, backend)];
                for idx in create_index_statements(info, backend) {
                    out.push(build!(idx, backend));
                }
                out
            }
            Change::ConvertTable { table, to, .. } => match backend {
                Backend::MySql => vec![format!(
                    "ALTER TABLE {} CONVERT TO CHARACTER SET utf8mb4 COLLATE {to}",
                    self.tname(backend, table)
                )],
                // Text compares byte for byte there already.
                _ => Vec::new(),
            },
            Change::AddColumn { table, column } => {
                let info = self.info(table);
                let col = info
                    .all_columns()
                    .find(|c| c.name == column.name)
                    .expect("declared column");
                let stmt = SeaTable::alter()
                    .table(table_ref(info, backend))
                    .add_column(column_def(col, backend))
                    .to_owned();
                vec![build!(stmt, backend)]
            }
            Change::DropColumn { table, column } => vec![format!(
                "ALTER TABLE {} DROP COLUMN {}",
                self.tname(backend, table),
                q(backend, &column.name)
            )],
            Change::AlterColumn { table, from, to } => {
                let info = self.info(table);
                let t = self.tname(backend, table);
                let c = q(backend, &to.name);
                match backend {
                    Backend::MySql => {
                        let col = info
                            .all_columns()
                            .find(|x| x.name == to.name)
                            .expect("declared column");
                        let stmt = SeaTable::alter()
                            .table(table_ref(info, backend))
                            .modify_column(column_def(col, backend))
                            .to_owned();
                        vec![build!(stmt, backend)]
                    }
                    _ => pg_alter_column(&t, &c, from, to),
                }
            }
            Change::SetPrimaryKey { table, from, to } => {
                let t = self.tname(backend, table);
                let name = format!("{table}_{}_pkey", to.join("_"));
                match backend {
                    Backend::MySql => {
                        let mut parts = Vec::new();
                        if !from.is_empty() {
                            parts.push("DROP PRIMARY KEY".to_owned());
                        }
                        if !to.is_empty() {
                            parts.push(format!("ADD PRIMARY KEY ({})", qcols(backend, to)));
                        }
                        vec![format!("ALTER TABLE {t} {}", parts.join(", "))]
                    }
                    _ => {
                        let mut out = Vec::new();
                        if !from.is_empty() {
                            let old = format!("{table}_{}_pkey", from.join("_"));
                            out.push(format!(
                                "ALTER TABLE {t} DROP CONSTRAINT {}",
                                q(backend, &old)
                            ));
                        }
                        if !to.is_empty() {
                            out.push(format!(
                                "ALTER TABLE {t} ADD CONSTRAINT {} PRIMARY KEY ({})",
                                q(backend, &name),
                                qcols(backend, to)
                            ));
                        }
                        out
                    }
                }
            }
            Change::AddIndex { table, index } => {
                let info = self.info(table);
                let mut idx = SeaIndex::create();
                idx.name(index.name.as_str())
                    .table(table_ref(info, backend));
                if index.unique {
                    idx.unique();
                }
                for c in &index.columns {
                    idx.col(Alias::new(c.as_str()));
                }
                vec![build!(idx, backend)]
            }
            Change::DropIndex { table, index } => match backend {
                Backend::MySql => vec![format!(
                    "DROP INDEX {} ON {}",
                    q(backend, &index.name),
                    self.tname(backend, table)
                )],
                Backend::Postgres if index.unique => vec![
                    format!(
                        "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
                        self.tname(backend, table),
                        q(backend, &index.name)
                    ),
                    format!(
                        "DROP INDEX IF EXISTS {}",
                        self.iname(backend, table, &index.name)
                    ),
                ],
                _ => vec![format!(
                    "DROP INDEX {}",
                    self.iname(backend, table, &index.name)
                )],
            },
            Change::AddForeignKey { table, fk } => {
                let info = self.info(table);
                let mut stmt = SeaForeignKey::create();
                stmt.name(self.fk_name(table, fk))
                    .from_tbl(table_ref(info, backend))
                    .to_tbl(fk_ref_table(fk, backend))
                    .on_delete(sea_action(fk.on_delete))
                    .on_update(sea_action(fk.on_update));
                for c in &fk.columns {
                    stmt.from_col(Alias::new(c.as_str()));
                }
                for c in &fk.ref_columns {
                    stmt.to_col(Alias::new(c.as_str()));
                }
                vec![build!(stmt, backend)]
            }
            Change::DropForeignKey { table, fk } => vec![format!(
                "ALTER TABLE {} DROP {} {}",
                self.tname(backend, table),
                if backend == Backend::MySql {
                    "FOREIGN KEY"
                } else {
                    "CONSTRAINT"
                },
                q(backend, &self.fk_name(table, fk))
            )],
        }
    }

    /// The statements that revert the plan on `backend`, or `None` when a change cannot be
    /// reverted there (a dropped column's data, a SQLite rebuild, an altered column on another
    /// dialect than the one introspected).
    pub fn render_down(&self, backend: Backend) -> Option<Vec<String>> {
        let mut out = Vec::new();
        for change in self.changes.iter().rev() {
            if backend != Backend::MySql && self.readded_fk(change) {
                continue;
            }
            if backend == Backend::Sqlite && self.deferred_fk(change) {
                // Part of its table, which the down script drops.
                continue;
            }
            let t = self.tname(backend, change.table());
            match change {
                Change::CreateTable { table } => {
                    out.push(format!("DROP TABLE {}", self.tname(backend, table)))
                }
                Change::ConvertTable { table, from, .. } => match (backend, from) {
                    (Backend::MySql, Some(from)) => out.push(format!(
                        "ALTER TABLE {} CONVERT TO CHARACTER SET utf8mb4 COLLATE {from}",
                        self.tname(backend, table)
                    )),
                    (Backend::MySql, None) => return None,
                    _ => {}
                },
                Change::AddColumn { column, .. } => {
                    if backend == Backend::Sqlite && self.sqlite_needs_rebuild(change) {
                        return None;
                    }
                    out.push(format!(
                        "ALTER TABLE {t} DROP COLUMN {}",
                        q(backend, &column.name)
                    ));
                }
                Change::AddIndex { table, index } => out.extend(self.change_sql(
                    &Change::DropIndex {
                        table: table.clone(),
                        index: index.clone(),
                    },
                    backend,
                )),
                Change::DropIndex { table, index } => {
                    if backend == Backend::Sqlite && self.sqlite_needs_rebuild(change) {
                        return None;
                    }
                    out.extend(self.change_sql(
                        &Change::AddIndex {
                            table: table.clone(),
                            index: index.clone(),
                        },
                        backend,
                    ))
                }
                Change::AddForeignKey { table, fk } if backend != Backend::Sqlite => {
                    out.extend(self.change_sql(
                        &Change::DropForeignKey {
                            table: table.clone(),
                            fk: fk.clone(),
                        },
                        backend,
                    ))
                }
                Change::DropForeignKey { table, fk } if backend != Backend::Sqlite => {
                    out.extend(self.change_sql(
                        &Change::AddForeignKey {
                            table: table.clone(),
                            fk: fk.clone(),
                        },
                        backend,
                    ))
                }
                Change::SetPrimaryKey { table, from, to } if backend != Backend::Sqlite => out
                    .extend(self.change_sql(
                        &Change::SetPrimaryKey {
                            table: table.clone(),
                            from: to.clone(),
                            to: from.clone(),
                        },
                        backend,
                    )),
                Change::AlterColumn { from, to, .. }
                    if backend == self.backend && backend == Backend::Postgres =>
                {
                    out.extend(pg_alter_column(&t, &q(backend, &to.name), to, from));
                }
                Change::AlterColumn { from, .. }
                    if backend == self.backend && backend == Backend::MySql =>
                {
                    out.push(format!(
                        "ALTER TABLE {t} MODIFY COLUMN {} {}{}{}",
                        q(backend, &from.name),
                        from.ty,
                        if from.nullable { "" } else { " NOT NULL" },
                        from.default
                            .as_ref()
                            .map(|d| format!(" DEFAULT ({d})"))
                            .unwrap_or_default()
                    ));
                }
                _ => return None,
            }
        }
        Some(out)
    }

    /// The text of a migration file: a header, then each step's risk and description as a
    /// comment and its statements. `down` renders the revert instead.
    pub fn render_file(&self, backend: Backend, version: i64, name: &str, down: bool) -> String {
        let mut out = format!(
            "-- {version:04}_{name} ({}), {}: generated by `migrate plan --write {name}`.\n",
            crate::migration::dialect_dir(backend),
            if down { "down" } else { "up" }
        );
        if down {
            match self.render_down(backend) {
                Some(stmts) => {
                    if backend == Backend::Sqlite && self.render(backend).iter().any(|s| s.rebuild)
                    {
                        out.push_str(FOREIGN_KEYS_OFF);
                        out.push('\n');
                    }
                    for s in stmts {
                        out.push_str(&s);
                        out.push_str(";\n");
                    }
                }
                None => {
                    out.push_str(IRREVERSIBLE);
                    out.push_str("\n-- This migration drops or rewrites data; write its revert by hand if you need one.\n");
                }
            }
            return out;
        }
        let steps = self.render(backend);
        if steps.iter().any(|s| s.rebuild) {
            out.push_str(FOREIGN_KEYS_OFF);
            out.push('\n');
        }
        for step in steps {
            out.push_str(&format!("\n-- [{}] {}\n", step.risk, step.description));
            for s in step.sql {
                out.push_str(&s);
                out.push_str(";\n");
            }
        }
        out
    }
}

/// Introspects `db` and plans the changes to the tables of database `D`: an
/// [`AuthSchema`](auth_schema::AuthSchema) (the five Auth.js tables) or a set of any tables
/// declared with [`database!`](auth_schema::database). On Postgres each table is looked up in
/// its own schema.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub async fn plan<D: Database>(db: &crate::Db) -> Result<Plan, crate::Error> {
    plan_tables(db, &D::tables()).await
}

/// [`plan()`] for a list of tables. Table names must be unique (across Postgres schemas too).
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub async fn plan_tables(
    db: &crate::Db,
    tables: &[&'static TableInfo],
) -> Result<Plan, crate::Error> {
    for (i, t) in tables.iter().enumerate() {
        if tables[..i].iter().any(|o| o.name == t.name) {
            return Err(crate::Error::Config(format!(
                "table {} is declared twice: the planner needs every table name once",
                t.name
            )));
        }
    }
    let live = crate::introspect::introspect_declared(db, tables).await?;
    Ok(Plan::between_tables(db.backend(), tables, live))
}

#[cfg(test)]
mod tests {
    use super::*;
    use auth_schema::kysely::Schema;

    #[test]
    fn empty_database_plans_exactly_the_schema_ddl() {
        for backend in Backend::ALL {
            let plan = Plan::between::<Schema>(backend, Vec::new());
            let sql: Vec<String> = plan
                .render(backend)
                .into_iter()
                .flat_map(|s| s.sql)
                .collect();
            assert_eq!(sql, auth_schema::ddl::create_schema::<Schema>(backend));
            assert!(plan.changes.iter().all(|c| c.risk() == Risk::Safe));
        }
    }

    #[test]
    fn declared_schema_against_itself_is_empty() {
        for backend in Backend::ALL {
            let live = crate::model::lower::<Schema>(backend);
            assert!(Plan::between::<Schema>(backend, live).is_empty());
        }
    }

    #[test]
    fn risk_classification() {
        let col = |ty: &str, nullable: bool| Column {
            name: "c".into(),
            ty: ty.into(),
            nullable,
            default: None,
            identity: false,
            collation: None,
        };
        let alter = |from, to| Change::AlterColumn {
            table: "t".into(),
            from,
            to,
        };
        assert_eq!(
            alter(col("text", true), col("varchar(255)", true)).risk(),
            Risk::Destructive
        );
        assert_eq!(
            alter(col("varchar(255)", true), col("text", true)).risk(),
            Risk::Safe
        );
        assert_eq!(
            alter(col("text", true), col("text", false)).risk(),
            Risk::DataDependent
        );
        assert_eq!(
            alter(col("text", false), col("text", true)).risk(),
            Risk::Safe
        );
        assert_eq!(
            alter(col("text", true), col("uuid", true)).risk(),
            Risk::DataDependent
        );
        let drop = Change::DropColumn {
            table: "t".into(),
            column: col("text", true),
        };
        assert_eq!(drop.risk(), Risk::Destructive);
    }
}
