//! The adapter's one error type, and how driver errors map onto it.

/// Why an adapter operation failed.
///
/// ```
/// use auth_adapter::AdapterError;
/// let e = AdapterError::MissingTable { table: "User".into() };
/// assert_eq!(e.to_string(), "table `User` does not exist: run `cargo run --example migrate` to create the schema");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdapterError {
    /// The row to update does not exist, or a referenced row (the user of a new account) does not.
    #[error("{entity} not found")]
    NotFound {
        /// What was missing, e.g. `User` or `Session`.
        entity: &'static str,
    },
    /// A unique key is taken: a duplicate e-mail, account, session token or credential.
    #[error("{entity} already exists: {message}")]
    Conflict {
        /// The table whose key is taken.
        entity: &'static str,
        /// The database's message.
        message: String,
    },
    /// A table is missing: the schema was never created or is out of date.
    #[error(
        "table `{table}` does not exist: run `cargo run --example migrate` to create the schema"
    )]
    MissingTable {
        /// The missing table's name.
        table: String,
    },
    /// The schema does not match what the adapter expects: a missing column, or a column whose
    /// values cannot be decoded.
    #[error("the database schema does not match: {message}")]
    Schema {
        /// What did not match.
        message: String,
    },
    /// A value was rejected by the database, e.g. an id that is not a UUID for a `uuid` column.
    #[error("invalid input: {message}")]
    InvalidInput {
        /// The database's message.
        message: String,
    },
    /// The database could not be reached, or the connection broke.
    #[error("connection error: {message}")]
    Connection {
        /// What happened.
        message: String,
    },
    /// Any other database error.
    #[error("database error: {message}")]
    Database {
        /// The database's message.
        message: String,
    },
}

impl AdapterError {
    /// Classifies a query error raised while working on `entity` (a table's model name).
    pub fn from_query(error: auth_query::Error, entity: &'static str) -> Self {
        match error {
            auth_query::Error::Decode(e) => AdapterError::Schema {
                message: e.to_string(),
            },
            auth_query::Error::NotFound => AdapterError::NotFound { entity },
            auth_query::Error::InvalidValue(message) => AdapterError::InvalidInput { message },
            #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
            auth_query::Error::Database(e) => Self::from_sqlx(e, entity),
            other => AdapterError::Database {
                message: other.to_string(),
            },
        }
    }

    /// Classifies a driver error raised while working on `entity`.
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub fn from_sqlx(error: sqlx::Error, entity: &'static str) -> Self {
        use sqlx::error::ErrorKind;
        match error {
            sqlx::Error::Database(db) => {
                let message = db.message().to_owned();
                let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                match db.kind() {
                    ErrorKind::UniqueViolation => {
                        return AdapterError::Conflict { entity, message };
                    }
                    ErrorKind::ForeignKeyViolation => {
                        return AdapterError::NotFound { entity: "User" };
                    }
                    _ => {}
                }
                if is_connection_lost(&code) {
                    return AdapterError::Connection { message };
                }
                if let Some(table) = missing_table(&code, &message) {
                    return AdapterError::MissingTable { table };
                }
                // Postgres 42703 / MySQL 42S22: undefined column; SQLite says so in words.
                if code == "42703"
                    || code == "42S22"
                    || message.contains("no such column")
                    || message.contains("has no column named")
                {
                    return AdapterError::Schema { message };
                }
                // Postgres 22P02 invalid text representation (a non-UUID id), 22xxx data errors;
                // 54000: a value too large for its index (a megabyte session token).
                if code.starts_with("22") || code == "54000" {
                    return AdapterError::InvalidInput { message };
                }
                AdapterError::Database { message }
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Configuration(_)
            | sqlx::Error::Protocol(_) => AdapterError::Connection {
                message: error.to_string(),
            },
            sqlx::Error::ColumnDecode { .. }
            | sqlx::Error::ColumnNotFound(_)
            | sqlx::Error::Decode(_)
            | sqlx::Error::TypeNotFound { .. } => AdapterError::Schema {
                message: error.to_string(),
            },
            other => AdapterError::Database {
                message: other.to_string(),
            },
        }
    }
}

/// Whether the server ended the session or refused it for now, so the call may be retried on
/// a new connection, by SQLSTATE: class 08 (connection exception, also MySQL's 08S01 "server
/// shutdown in progress"), Postgres 57P01-57P03 (terminated by an administrator, crash
/// shutdown, cannot connect now: a restart or a failover) and MySQL's 70100 (connection killed).
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
fn is_connection_lost(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "70100")
}

/// The table named by a "no such table" error: Postgres 42P01, MySQL 42S02, SQLite's message.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
fn missing_table(code: &str, message: &str) -> Option<String> {
    let quoted = |open: char, close: char| -> Option<String> {
        let start = message.find(open)? + open.len_utf8();
        let end = message[start..].find(close)? + start;
        Some(message[start..end].to_owned())
    };
    if code == "42P01" {
        // relation "User" does not exist
        return quoted('"', '"').or_else(|| Some(message.to_owned()));
    }
    if code == "42S02" {
        // Table 'db.User' doesn't exist
        let name = quoted('\'', '\'')?;
        return Some(name.rsplit('.').next().unwrap_or(&name).to_owned());
    }
    message
        .strip_prefix("no such table: ")
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_owned())
}
