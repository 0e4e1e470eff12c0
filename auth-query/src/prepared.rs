//! Statements rendered once and executed many times with new arguments.
//!
//! [`QueryDsl::prepare`](crate::QueryDsl::prepare) hands typed [`Param`] handles to a closure
//! that builds the statement; the SQL text is rendered once, and each execution only binds its
//! arguments, checked against the parameter types at compile time. This is how auth-adapter
//! keeps SQL building off its hot path.

use core::marker::PhantomData;
use std::sync::Arc;

use auth_schema::sql::SqlType;
use auth_schema::{ColumnType, Value};

use crate::ast::Bound;
use crate::backend::{self, ArgSlot, Compiled};
use crate::dialect::Dialect;
use crate::error::Error;
use crate::expr::{Assign, DynArgs, Param};
use crate::statement::Statement;

/// A statement whose SQL is rendered; executions supply its arguments. `P` is the tuple of
/// SQL types of its parameters (`(Text, BigInt)`), `()` for none, or [`Dynamic`].
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::{kysely::session, sql::Text};
/// let q = Sqlite.prepare::<(Text,), _>(|(token,)| {
///     Sqlite.select_from(session::table).select(session::user_id).filter(session::session_token.eq(token))
/// });
/// assert_eq!(q.sql(), r#"SELECT "Session"."userId" FROM "Session" WHERE "Session"."sessionToken" = ?"#);
/// let bound = q.bind(("t1",)).unwrap();
/// assert_eq!(bound.params(), &[sea_query::Value::String(Some("t1".into()))]);
/// ```
pub struct Prepared<D, O, P = ()> {
    sql: Arc<str>,
    /// Every bound value in placeholder order; arguments' places hold a placeholder.
    values: Vec<sea_query::Value>,
    /// Where the arguments go: an index into `values`, and what to bind there.
    args: Vec<(usize, ArgSlot)>,
    arity: usize,
    types: Arc<[ColumnType]>,
    /// An UPDATE whose dynamic SET list came out empty renders invalid SQL.
    empty_update: bool,
    /// A value fixed at build time that could not be bound.
    invalid: Option<String>,
    _marker: PhantomData<fn() -> (D, O, P)>,
}

impl<D, O, P> Clone for Prepared<D, O, P> {
    fn clone(&self) -> Self {
        Prepared {
            sql: self.sql.clone(),
            values: self.values.clone(),
            args: self.args.clone(),
            arity: self.arity,
            types: self.types.clone(),
            empty_update: self.empty_update,
            invalid: self.invalid.clone(),
            _marker: PhantomData,
        }
    }
}

impl<D, O, P> core::fmt::Debug for Prepared<D, O, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Prepared")
            .field("sql", &self.sql)
            .field("arity", &self.arity)
            .finish_non_exhaustive()
    }
}

/// The parameters of a statement from [`QueryDsl::prepare_dynamic`](crate::QueryDsl::prepare_dynamic):
/// a `&[Value]` whose length and kinds are checked at run time.
#[derive(Debug, Clone, Copy)]
pub enum Dynamic {}

impl<D: Dialect, O, P> Prepared<D, O, P> {
    pub(crate) fn new(compiled: Compiled<D>, types: Vec<ColumnType>, arity: usize) -> Self {
        let positions = compiled
            .values
            .0
            .iter()
            .enumerate()
            .filter(|(_, v)| backend::decode_slot(v).is_some())
            .map(|(i, _)| i);
        let args: Vec<(usize, ArgSlot)> = positions.zip(compiled.slots.iter().copied()).collect();
        let used = args
            .iter()
            .map(|(_, s)| usize::from(s.index) + 1)
            .max()
            .unwrap_or(0);
        Prepared {
            sql: compiled.sql.into(),
            values: compiled.values.0,
            args,
            arity: arity.max(used),
            types: types.into(),
            empty_update: false,
            invalid: compiled.invalid,
            _marker: PhantomData,
        }
    }

    pub(crate) fn empty_update(mut self, empty: bool) -> Self {
        self.empty_update = empty;
        self
    }

    /// The rendered SQL.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// How many arguments an execution takes.
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// The statement with these arguments bound, as [`Compiled`] (for logging and tests).
    pub fn bind<A: Arguments<P>>(&self, args: A) -> Result<Compiled<D>, Error> {
        let values = self.values(args)?;
        Ok(Compiled {
            sql: self.sql.to_string(),
            values,
            invalid: None,
            slots: Vec::new(),
            _dialect: PhantomData,
        })
    }

    pub(crate) fn values<A: Arguments<P>>(&self, args: A) -> Result<sea_query::Values, Error> {
        if self.empty_update {
            return Err(Error::EmptyUpdate);
        }
        if let Some(message) = &self.invalid {
            return Err(Error::InvalidValue(message.clone()));
        }
        let args = args.into_values()?;
        if args.len() != self.arity {
            return Err(Error::Arguments {
                expected: self.arity,
                got: args.len(),
            });
        }
        let mut values = self.values.clone();
        for (position, slot) in &self.args {
            values[*position] = backend::bind(
                args[usize::from(slot.index)].clone(),
                slot.ty,
                D::BACKEND,
                slot.purpose,
            )?;
        }
        Ok(sea_query::Values(values))
    }

    pub(crate) fn shared_sql(&self) -> Arc<str> {
        self.sql.clone()
    }

    pub(crate) fn column_types(&self) -> Arc<[ColumnType]> {
        self.types.clone()
    }
}

// ------------------------------------------------------------ parameters --

/// A tuple of SQL types, the parameters of a statement from
/// [`QueryDsl::prepare`](crate::QueryDsl::prepare): `(Text,)`, `(Text, Nullable<BigInt>)`, or
/// `()` for none.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tuple of SQL types",
    label = "the parameter types of a prepared statement",
    note = "name them as a tuple, `(Text,)` for one and `(Text, BigInt)` for two (up to 12)"
)]
pub trait ParamTypes {
    /// The typed handles the closure receives, one per parameter.
    type Params<'p>;
    /// How many.
    const LEN: usize;
    #[doc(hidden)]
    fn params<'p>() -> Self::Params<'p>;
}

/// Values for the parameters `P` of a prepared statement: a tuple of values of their SQL types
/// (`("token", 5i64)`), or a `&[Value]` for a [`Dynamic`] one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` are not arguments for parameters `{P}`",
    label = "one value per parameter, of its SQL type, in order",
    note = "a statement prepared with `prepare::<(Text, BigInt), _>` runs with `(\"a\", 1i64)`; one from `prepare_dynamic` with `&[Value]`"
)]
pub trait Arguments<P> {
    #[doc(hidden)]
    fn into_values(self) -> Result<Vec<Value>, Error>;
}

fn bound_value(b: Bound) -> Result<Value, Error> {
    match b {
        Bound::Value(v) => Ok(v),
        Bound::Arg(_) => Err(Error::InvalidValue(
            "a parameter handle is not a value: pass the argument itself".into(),
        )),
    }
}

impl ParamTypes for () {
    type Params<'p> = ();
    const LEN: usize = 0;
    fn params<'p>() -> Self::Params<'p> {}
}

#[diagnostic::do_not_recommend]
impl Arguments<()> for () {
    fn into_values(self) -> Result<Vec<Value>, Error> {
        Ok(Vec::new())
    }
}

macro_rules! param_tuples {
    ($( ($($st:ident $v:ident $i:tt),+) )*) => {$(
        impl<$($st: SqlType),+> ParamTypes for ($($st,)+) {
            type Params<'p> = ($(Param<'p, $st>,)+);
            const LEN: usize = [$($i),+].len();
            fn params<'p>() -> Self::Params<'p> {
                ($(Param::new($i),)+)
            }
        }

        #[diagnostic::do_not_recommend]
        impl<$($st: SqlType,)+ $($v: Assign<$st>),+> Arguments<($($st,)+)> for ($($v,)+) {
            fn into_values(self) -> Result<Vec<Value>, Error> {
                Ok(vec![$(bound_value(Assign::<$st>::into_bound(self.$i))?),+])
            }
        }
    )*};
}

param_tuples! {
    (A VA 0)
    (A VA 0, B VB 1)
    (A VA 0, B VB 1, C VC 2)
    (A VA 0, B VB 1, C VC 2, E VE 3)
    (A VA 0, B VB 1, C VC 2, E VE 3, F VF 4)
    (A VA 0, B VB 1, C VC 2, E VE 3, F VF 4, G VG 5)
    (A VA 0, B VB 1, C VC 2, E VE 3, F VF 4, G VG 5, H VH 6)
    (A VA 0, B VB 1, C VC 2, E VE 3, F VF 4, G VG 5, H VH 6, I VI 7)
    (A VA 0, B VB 1, C VC 2, E VE 3, F VF 4, G VG 5, H VH 6, I VI 7, J VJ 8)
    (A VA 0, B VB 1, C VC 2, E VE 3, F VF 4, G VG 5, H VH 6, I VI 7, J VJ 8, K VK 9)
    (A VA 0, B VB 1, C VC 2, E VE 3, F VF 4, G VG 5, H VH 6, I VI 7, J VJ 8, K VK 9, L VL 10)
    (A VA 0, B VB 1, C VC 2, E VE 3, F VF 4, G VG 5, H VH 6, I VI 7, J VJ 8, K VK 9, L VL 10, M VM 11)
}

#[diagnostic::do_not_recommend]
impl Arguments<Dynamic> for &[Value] {
    fn into_values(self) -> Result<Vec<Value>, Error> {
        Ok(self.to_vec())
    }
}

#[diagnostic::do_not_recommend]
impl<const N: usize> Arguments<Dynamic> for &[Value; N] {
    fn into_values(self) -> Result<Vec<Value>, Error> {
        Ok(self.to_vec())
    }
}

#[diagnostic::do_not_recommend]
impl Arguments<Dynamic> for &Vec<Value> {
    fn into_values(self) -> Result<Vec<Value>, Error> {
        Ok(self.clone())
    }
}

#[diagnostic::do_not_recommend]
impl Arguments<Dynamic> for Vec<Value> {
    fn into_values(self) -> Result<Vec<Value>, Error> {
        Ok(self)
    }
}

// ------------------------------------------------------------ building --

pub(crate) fn prepare<D: Dialect, Q: Statement<D>, P>(
    q: &Q,
    arity: usize,
) -> Prepared<D, Q::Rows, P> {
    let r = q.render();
    Prepared::new(r.compiled, r.types, arity).empty_update(r.empty_update)
}

/// Builds a typed prepared statement (see [`QueryDsl::prepare`](crate::QueryDsl::prepare)).
pub(crate) fn prepare_typed<D: Dialect, P: ParamTypes, Q: Statement<D>>(
    build: impl for<'p> FnOnce(P::Params<'p>) -> Q,
) -> Prepared<D, Q::Rows, P> {
    prepare(&build(P::params()), P::LEN)
}

/// Builds a dynamic prepared statement (see [`QueryDsl::prepare_dynamic`](crate::QueryDsl::prepare_dynamic)).
pub(crate) fn prepare_dynamic<D: Dialect, Q: Statement<D>>(
    build: impl for<'p> FnOnce(&DynArgs<'p>) -> Q,
) -> Prepared<D, Q::Rows, Dynamic> {
    prepare(&build(&DynArgs::new()), 0)
}
