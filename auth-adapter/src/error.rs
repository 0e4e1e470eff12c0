//! The adapter's one error type, and how driver errors map onto it.

/// The cause kept in an [`AdapterError`]: a `sqlx::Error` when the database or the connection
/// raised it, an [`auth_schema::DecodeError`] for a value that does not decode.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why an adapter operation failed.
///
/// The variant says what a caller can do about it; the error that caused it is the
/// [`source`](std::error::Error::source), so the SQLSTATE, the constraint or the driver's own
/// error type stay readable (see [`AdapterError::sqlx_error`]). `Display` is one line.
///
/// ```
/// use auth_adapter::AdapterError;
/// let e = AdapterError::MissingTable { table: "User".into(), source: None };
/// assert!(e.to_string().starts_with("table `User` does not exist: create the schema with auth-migrate"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdapterError {
    /// The row to update does not exist, or a referenced row (the user of a new account) does not.
    #[error("{entity} not found")]
    NotFound {
        /// What was missing, e.g. `User` or `Session`.
        entity: &'static str,
        /// The foreign key violation, when the database reported one.
        #[source]
        source: Option<BoxError>,
    },
    /// A unique key is taken: a duplicate e-mail, account, session token or credential.
    #[error("{entity} already exists: {message}")]
    Conflict {
        /// The table whose key is taken.
        entity: &'static str,
        /// The database's message.
        message: String,
        /// The unique violation (its constraint name included).
        #[source]
        source: Option<BoxError>,
    },
    /// A table is missing: the schema was never created or is out of date.
    #[error(
        "table `{table}` does not exist: create the schema with auth-migrate (`auth_migrate::Migrator::up`, or the `up` command of a binary calling `auth_migrate::cli::main`)"
    )]
    MissingTable {
        /// The missing table's name.
        table: String,
        /// The database's error.
        #[source]
        source: Option<BoxError>,
    },
    /// The schema does not match what the adapter expects: a missing column, or a column whose
    /// values cannot be decoded.
    #[error("the database schema does not match: {message}")]
    Schema {
        /// What did not match.
        message: String,
        /// The database's error, or the [`DecodeError`](auth_schema::DecodeError).
        #[source]
        source: Option<BoxError>,
    },
    /// A value was rejected, by the adapter before anything was sent or by the database: e.g.
    /// a timestamp out of range, or an id that is not a UUID for a `uuid` column.
    #[error("invalid input: {message}")]
    InvalidInput {
        /// Why.
        message: String,
        /// The database's error, when it refused the value.
        #[source]
        source: Option<BoxError>,
    },
    /// The database could not be reached, or the connection broke. The call may be retried.
    #[error("connection error: {message}")]
    Connection {
        /// What happened.
        message: String,
        /// The driver's error.
        #[source]
        source: Option<BoxError>,
    },
    /// The adapter cannot be set up as asked: a URL of an unknown scheme, or of a dialect whose
    /// Cargo feature is not enabled (see [`connect`](crate::connect())).
    #[error("{message}")]
    Config {
        /// What is wrong, and what to change.
        message: String,
    },
    /// Any other database error.
    #[error("database error: {message}")]
    Database {
        /// The database's message.
        message: String,
        /// The driver's error.
        #[source]
        source: Option<BoxError>,
    },
}

impl AdapterError {
    /// `NotFound` without a cause: the row is simply not there.
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub(crate) fn not_found(entity: &'static str) -> Self {
        AdapterError::NotFound {
            entity,
            source: None,
        }
    }

    /// The driver's error behind this one, if a database or connection error caused it.
    ///
    /// ```no_run
    /// # #[cfg(feature = "postgres")]
    /// # fn demo(e: auth_adapter::AdapterError) {
    /// if let Some(db) = e.sqlx_error().and_then(|e| e.as_database_error()) {
    ///     println!("SQLSTATE {:?}, constraint {:?}", db.code(), db.constraint());
    /// }
    /// # }
    /// ```
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub fn sqlx_error(&self) -> Option<&sqlx::Error> {
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            if let Some(sqlx) = e.downcast_ref::<sqlx::Error>() {
                return Some(sqlx);
            }
            next = e.source();
        }
        None
    }

    /// Classifies a query error raised while working on `entity` (a table's model name).
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub(crate) fn from_query(error: auth_query::Error, entity: &'static str) -> Self {
        match error {
            auth_query::Error::Decode(e) => AdapterError::Schema {
                message: e.to_string(),
                source: Some(Box::new(e)),
            },
            auth_query::Error::NotFound => AdapterError::not_found(entity),
            auth_query::Error::InvalidValue(message) => AdapterError::InvalidInput {
                message,
                source: None,
            },
            auth_query::Error::Database(e) => Self::from_sqlx(e, entity),
            other => AdapterError::Database {
                message: other.to_string(),
                source: Some(Box::new(other)),
            },
        }
    }

    /// Classifies a driver error raised while working on `entity`, by the database's error
    /// codes (never its message).
    ///
    /// A missing table comes out as [`AdapterError::MissingTable`] with an empty name on
    /// PostgreSQL and MySQL, and as [`AdapterError::Schema`] on SQLite, which gives it no code
    /// of its own; the adapter then names the table from the catalog (`SqlAdapter::run`).
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub(crate) fn from_sqlx(error: sqlx::Error, entity: &'static str) -> Self {
        let message = one_line(&match &error {
            sqlx::Error::Database(db) => db.message().to_owned(),
            other => other.to_string(),
        });
        let kind = match &error {
            sqlx::Error::Database(db) => classify(db.as_ref()),
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Configuration(_)
            | sqlx::Error::Protocol(_) => Kind::Connection,
            sqlx::Error::ColumnDecode { .. }
            | sqlx::Error::ColumnNotFound(_)
            | sqlx::Error::Decode(_)
            | sqlx::Error::TypeNotFound { .. } => Kind::Schema,
            _ => Kind::Other,
        };
        let source: Option<BoxError> = Some(Box::new(error));
        match kind {
            Kind::Unique => AdapterError::Conflict {
                entity,
                message,
                source,
            },
            Kind::ForeignKey => AdapterError::NotFound {
                entity: "User",
                source,
            },
            Kind::Connection => AdapterError::Connection { message, source },
            Kind::UndefinedTable => AdapterError::MissingTable {
                table: String::new(),
                source,
            },
            Kind::Schema => AdapterError::Schema { message, source },
            Kind::InvalidInput => AdapterError::InvalidInput { message, source },
            Kind::Other => AdapterError::Database { message, source },
        }
    }

    /// Whether this error may mean that a table of the operation is missing, which the catalog
    /// then tells: PostgreSQL's and MySQL's undefined-table codes, or SQLite's generic
    /// `SQLITE_ERROR` (its "no such table" has no code of its own; the adapter's statements are
    /// valid SQL, so that code means the tables or columns differ from what they expect).
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub(crate) fn may_be_missing_table(&self) -> bool {
        match self {
            AdapterError::MissingTable { .. } => true,
            #[cfg(feature = "sqlite")]
            AdapterError::Schema { .. } => self
                .sqlx_error()
                .and_then(|e| e.as_database_error())
                .and_then(|db| db.try_downcast_ref::<sqlx::sqlite::SqliteError>())
                .and_then(sqlite_primary_code)
                .is_some_and(|code| code == SQLITE_ERROR),
            _ => false,
        }
    }
}

/// What a driver error means for the caller.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
enum Kind {
    Unique,
    ForeignKey,
    Connection,
    UndefinedTable,
    Schema,
    InvalidInput,
    Other,
}

/// SQLite's generic error (`SQLITE_ERROR`), its result code for "no such table" and "no such
/// column" among others.
#[cfg(feature = "sqlite")]
const SQLITE_ERROR: i32 = 1;

/// The primary result code of a SQLite error (its extended code's low byte).
#[cfg(feature = "sqlite")]
fn sqlite_primary_code(e: &sqlx::sqlite::SqliteError) -> Option<i32> {
    use sqlx::error::DatabaseError;
    e.code()?.parse::<i32>().ok().map(|c| c & 0xff)
}

/// Classifies a database error by its kind and codes.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
fn classify(db: &dyn sqlx::error::DatabaseError) -> Kind {
    use sqlx::error::ErrorKind;
    match db.kind() {
        ErrorKind::UniqueViolation => return Kind::Unique,
        ErrorKind::ForeignKeyViolation => return Kind::ForeignKey,
        _ => {}
    }
    #[cfg(feature = "sqlite")]
    if let Some(e) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
        // https://www.sqlite.org/rescode.html
        return match sqlite_primary_code(e) {
            Some(SQLITE_ERROR) => Kind::Schema,
            // SQLITE_TOOBIG: a string or blob over the connection's limit.
            Some(18) => Kind::InvalidInput,
            // SQLITE_CANTOPEN, SQLITE_NOTADB: the database file cannot be used.
            Some(14 | 26) => Kind::Connection,
            _ => Kind::Other,
        };
    }
    #[cfg(feature = "mysql")]
    if let Some(e) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        // https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
        match e.number() {
            // ER_NO_SUCH_TABLE
            1146 => return Kind::UndefinedTable,
            // ER_BAD_FIELD_ERROR
            1054 => return Kind::Schema,
            _ => {}
        }
    }
    let code = db.code().unwrap_or_default();
    match &*code {
        // Postgres undefined_table; MySQL base table or view not found.
        "42P01" | "42S02" => Kind::UndefinedTable,
        // Postgres undefined_column; MySQL column not found.
        "42703" | "42S22" => Kind::Schema,
        c if is_connection_lost(c) => Kind::Connection,
        // Class 22, data exceptions: a non-UUID id for a `uuid` column (Postgres 22P02), a value
        // too long (MySQL 22001); 54000: a value too large for its index (a megabyte token).
        c if c.starts_with("22") || c == "54000" => Kind::InvalidInput,
        _ => Kind::Other,
    }
}

/// Whether the server ended the session or refused it for now, so the call may be retried on
/// a new connection, by SQLSTATE: class 08 (connection exception, also MySQL's 08S01 "server
/// shutdown in progress"), Postgres 57P01-57P03 (terminated by an administrator, crash
/// shutdown, cannot connect now: a restart or a failover) and MySQL's 70100 (connection killed).
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub(crate) fn is_connection_lost(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "70100")
}

/// A message on one line.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub(crate) fn one_line(message: &str) -> String {
    message.trim().replace(['\r', '\n'], " ")
}
