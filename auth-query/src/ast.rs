//! The untyped core: what a query is once its types have been checked.
//!
//! The typed builders are thin shells over these plain structs: every method checks its
//! arguments' types and pushes a node. [`backend`](crate::backend) lowers the nodes to sea-query
//! once per dialect, in non-generic code, so SQL building is compiled once for all queries (as
//! Kysely builds an untyped operation tree under its typed interface).

use auth_schema::{ColumnInfo, ColumnType, TableInfo, Value};

/// A value bound for a placeholder: known when the statement is built, or an argument of a
/// prepared statement supplied at each execution.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// A value known when the statement is built.
    Value(Value),
    /// The `n`th argument of a prepared statement.
    Arg(u16),
}

/// A table as a query names it: its description, and the alias it goes by, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source {
    pub info: &'static TableInfo,
    pub alias: Option<&'static str>,
}

impl Source {
    /// What qualifies its columns: the alias, or the table's name.
    pub fn qualifier(&self) -> &'static str {
        self.alias.unwrap_or(self.info.name)
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    And,
    Or,
    Add,
    Sub,
    Mul,
    Div,
    /// Division of integers, truncating (MySQL's `DIV`; `/` elsewhere).
    IntDiv,
}

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    CountAll,
    Count { distinct: bool },
    Sum,
    Avg,
    Min,
    Max,
}

/// A scalar function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Coalesce,
    Lower,
    Upper,
    /// The current time, in the format of a column of this type.
    Now(ColumnType),
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Column {
        qualifier: &'static str,
        col: &'static ColumnInfo,
    },
    /// A column by its bare name (RETURNING, SET and conflict targets name the statement's table).
    BareColumn(&'static ColumnInfo),
    Bind {
        value: Bound,
        ty: ColumnType,
        write: bool,
    },
    Binary {
        op: BinOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Not(Box<Node>),
    IsNull {
        expr: Box<Node>,
        negated: bool,
    },
    InList {
        expr: Box<Node>,
        values: Vec<Node>,
        negated: bool,
    },
    InSub {
        expr: Box<Node>,
        sub: Box<SelectCore>,
        negated: bool,
    },
    Exists {
        sub: Box<SelectCore>,
        negated: bool,
    },
    Scalar(Box<SelectCore>),
    Aggregate {
        func: Aggregate,
        arg: Option<Box<Node>>,
        /// The type of the result, for the casts that make it the same on every dialect.
        result: ColumnType,
    },
    Function {
        func: Function,
        args: Vec<Node>,
    },
    Case {
        whens: Vec<(Node, Node)>,
        otherwise: Option<Box<Node>>,
    },
    /// A selected column by its position, from 1 (the ORDER BY of a UNION).
    Position(usize),
    /// A raw fragment: `parts` interleaved with `args` (`parts.len() == args.len() + 1`).
    Raw {
        parts: Vec<&'static str>,
        args: Vec<Node>,
    },
}

/// Where NULLs sort in an `ORDER BY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    First,
    Last,
}

/// One `ORDER BY` term.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderTerm {
    pub expr: Node,
    pub desc: bool,
    pub nulls: Option<Nulls>,
}

/// One selected item, with the type its values are read as.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub expr: Node,
    pub ty: ColumnType,
}

/// A join.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    pub left: bool,
    pub source: Source,
    pub on: Node,
}

/// A row lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lock {
    pub share: bool,
    pub wait: LockWait,
}

/// What a row lock does about rows another transaction holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockWait {
    Wait,
    SkipLocked,
    NoWait,
}

/// A SELECT.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectCore {
    pub from: Source,
    pub joins: Vec<Join>,
    pub filters: Vec<Node>,
    pub group_by: Vec<Node>,
    pub having: Vec<Node>,
    pub order: Vec<OrderTerm>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    pub distinct: bool,
    pub items: Vec<Item>,
    pub lock: Option<Lock>,
    /// `UNION` (false) or `UNION ALL` (true) with other selects.
    pub unions: Vec<(bool, SelectCore)>,
    /// Select from this query (a derived table) instead of `from`: every column of it (a UNION
    /// operand with its own ORDER BY or LIMIT), or `items` over it with `derived_items` (the
    /// `count()` of a DISTINCT query).
    pub derived: Option<Box<SelectCore>>,
    /// With `derived`: select `items` instead of every column.
    pub derived_items: bool,
}

impl SelectCore {
    pub fn new(from: Source) -> Self {
        SelectCore {
            from,
            joins: Vec::new(),
            filters: Vec::new(),
            group_by: Vec::new(),
            having: Vec::new(),
            order: Vec::new(),
            limit: None,
            offset: None,
            distinct: false,
            items: Vec::new(),
            lock: None,
            unions: Vec::new(),
            derived: None,
            derived_items: false,
        }
    }

    /// The types its items are read as.
    pub fn types(&self) -> Vec<ColumnType> {
        self.items.iter().map(|i| i.ty).collect()
    }
}

/// An INSERT.
#[derive(Debug, Clone, PartialEq)]
pub struct InsertCore {
    pub table: Source,
    pub columns: Vec<&'static ColumnInfo>,
    pub rows: Vec<Vec<Node>>,
    pub on_conflict: Option<OnConflict>,
    pub returning: Vec<Item>,
    /// Why the statement cannot run as written (a row that does not fit the first one's
    /// columns), found while building it and reported when it is compiled or run.
    pub invalid: Option<String>,
}

/// An upsert clause.
#[derive(Debug, Clone, PartialEq)]
pub enum OnConflict {
    /// `ON CONFLICT (target) DO UPDATE SET col = excluded.col` (Postgres, SQLite).
    Update {
        target: Vec<&'static ColumnInfo>,
        update: Vec<&'static ColumnInfo>,
    },
    /// `ON CONFLICT (target) DO NOTHING`.
    Nothing { target: Vec<&'static ColumnInfo> },
    /// `ON DUPLICATE KEY UPDATE col = VALUES(col)` (MySQL).
    DuplicateKey { update: Vec<&'static ColumnInfo> },
}

/// An UPDATE.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateCore {
    pub table: Source,
    pub sets: Vec<(&'static ColumnInfo, Node)>,
    pub filters: Vec<Node>,
    pub returning: Vec<Item>,
}

/// A DELETE.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteCore {
    pub table: Source,
    pub filters: Vec<Node>,
    pub returning: Vec<Item>,
}
