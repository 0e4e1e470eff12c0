//! Statements rendered once and executed many times with new arguments.
//!
//! Build a typed statement with [`arg`](crate::arg) placeholders and call `prepare()`: the SQL
//! text is rendered once, and each execution only encodes its arguments. This is how
//! auth-adapter keeps SQL building off its hot path.

use core::marker::PhantomData;
use std::sync::Arc;

use auth_schema::{ColumnType, Value};

use crate::backend::{self, BindFor, Compiled};
use crate::dialect::Dialect;
use crate::error::Error;

#[derive(Debug, Clone)]
enum Slot {
    Fixed(sea_query::Value),
    Arg {
        index: u8,
        ty: ColumnType,
        purpose: BindFor,
    },
}

/// A statement whose SQL is rendered; executions supply the values of its arguments in order.
///
/// ```
/// use auth_query::{arg, prelude::*};
/// use auth_schema::{kysely::session, Value};
/// let q = Sqlite
///     .select_from(session::table)
///     .select(session::user_id)
///     .filter(session::session_token.eq(arg(0)))
///     .limit(1)
///     .prepare();
/// assert_eq!(q.sql(), r#"SELECT "Session"."userId" FROM "Session" WHERE "Session"."sessionToken" = ? LIMIT ?"#);
/// let bound = q.bind(&[Value::Text("t1".into())]).unwrap();
/// assert_eq!(bound.params(), &[sea_query::Value::String(Some("t1".into())), sea_query::Value::BigUnsigned(Some(1))]);
/// ```
#[derive(Debug, Clone)]
pub struct Prepared<D, O> {
    sql: Arc<str>,
    slots: Vec<Slot>,
    arity: usize,
    types: Vec<ColumnType>,
    /// An UPDATE without any SET renders invalid SQL; running it reports this instead.
    empty_update: bool,
    /// A value fixed at build time that could not be bound; running it reports this instead.
    invalid: Option<String>,
    _marker: PhantomData<fn() -> (D, O)>,
}

impl<D: Dialect, O> Prepared<D, O> {
    pub(crate) fn new(compiled: Compiled, types: Vec<ColumnType>) -> Self {
        let slots: Vec<Slot> = compiled
            .values
            .0
            .into_iter()
            .map(|value| match value {
                sea_query::Value::Char(Some(c)) => match backend::decode_slot(c) {
                    Some((index, ty, purpose)) => Slot::Arg { index, ty, purpose },
                    None => Slot::Fixed(sea_query::Value::Char(Some(c))),
                },
                other => Slot::Fixed(other),
            })
            .collect();
        let arity = slots
            .iter()
            .filter_map(|s| match s {
                Slot::Arg { index, .. } => Some(usize::from(*index) + 1),
                Slot::Fixed(_) => None,
            })
            .max()
            .unwrap_or(0);
        Prepared {
            invalid: compiled.invalid,
            sql: compiled.sql.into(),
            slots,
            arity,
            types,
            empty_update: false,
            _marker: PhantomData,
        }
    }

    /// The rendered SQL.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// How many arguments an execution takes.
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// The statement with these arguments bound, as [`Compiled`].
    pub fn bind(&self, args: &[Value]) -> Result<Compiled, Error> {
        Ok(Compiled {
            sql: self.sql.to_string(),
            values: self.values(args)?,
            invalid: None,
        })
    }

    fn values(&self, args: &[Value]) -> Result<sea_query::Values, Error> {
        if self.empty_update {
            return Err(Error::EmptyUpdate);
        }
        if let Some(message) = &self.invalid {
            return Err(Error::InvalidValue(message.clone()));
        }
        if args.len() != self.arity {
            return Err(Error::Arguments {
                expected: self.arity,
                got: args.len(),
            });
        }
        let values = self
            .slots
            .iter()
            .map(|slot| match slot {
                Slot::Fixed(v) => Ok(v.clone()),
                Slot::Arg { index, ty, purpose } => {
                    backend::bind(args[usize::from(*index)].clone(), *ty, D::BACKEND, *purpose)
                }
            })
            .collect::<Result<_, Error>>()?;
        Ok(sea_query::Values(values))
    }

    pub(crate) fn statement(&self, args: &[Value]) -> Result<(Arc<str>, sea_query::Values), Error> {
        Ok((self.sql.clone(), self.values(args)?))
    }

    pub(crate) fn column_types(&self) -> &[ColumnType] {
        &self.types
    }
}

impl<D: Dialect, S, O> crate::select::Select<D, S, O> {
    /// Renders the SQL once, for repeated execution with [`arg`](crate::arg) values.
    ///
    /// `LIMIT` and `OFFSET` stay bound parameters, like every value. SQLite re-prepares a
    /// statement whose LIMIT is bound at each execution, so a hot lookup by a unique key is
    /// faster without `limit` (auth-adapter's lookups have none).
    pub fn prepare(&self) -> Prepared<D, O>
    where
        O: crate::select::Decode,
    {
        Prepared::new(self.compile(), self.column_types())
    }
}

impl<D: Dialect, T: auth_schema::Table, O> crate::write::Insert<D, T, O> {
    /// Renders the SQL once, for repeated execution with [`arg`](crate::arg) values.
    pub fn prepare(&self) -> Prepared<D, O> {
        Prepared::new(self.compile(), self.column_types())
    }
}

impl<D: Dialect, T: auth_schema::Table, F, O> crate::write::Update<D, T, F, O> {
    /// Renders the SQL once, for repeated execution with [`arg`](crate::arg) values.
    pub fn prepare(&self) -> Prepared<D, O>
    where
        F: crate::write::HasFilter,
    {
        let mut prepared = Prepared::new(self.compile(), self.column_types());
        prepared.empty_update = !self.has_changes();
        prepared
    }
}

impl<D: Dialect, T: auth_schema::Table, F, O> crate::write::Delete<D, T, F, O> {
    /// Renders the SQL once, for repeated execution with [`arg`](crate::arg) values.
    pub fn prepare(&self) -> Prepared<D, O>
    where
        F: crate::write::HasFilter,
    {
        Prepared::new(self.compile(), self.column_types())
    }
}
