//! The error type of query execution.

use auth_schema::DecodeError;

/// Why running a query failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The driver or the database reported an error.
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A column held a value the row type cannot take.
    #[error("cannot decode a row: {0}")]
    Decode(#[from] DecodeError),
    /// `fetch_one` found no row.
    #[error("the query returned no rows")]
    NotFound,
    /// A prepared statement was given the wrong number of arguments.
    #[error("the prepared statement takes {expected} arguments, {got} were given")]
    Arguments {
        /// How many it takes.
        expected: usize,
        /// How many were given.
        got: usize,
    },
    /// A value cannot be stored exactly, so nothing was sent: a timestamp outside
    /// 0001-01-01..=9999-12-31, an id that is not a UUID for a `uuid` id column, text too long
    /// for its column or holding NUL on PostgreSQL, or a value the driver cannot encode.
    #[error("invalid value: {0}")]
    InvalidValue(String),
    /// An UPDATE without any `set`.
    #[error("an UPDATE needs at least one `set`")]
    EmptyUpdate,
}
