//! PostgreSQL connections for the Auth.js crates, on sqlx 0.9, which reads one host per URL and
//! knows nothing of poolers in between:
//!
//! - [`PgUrl`] reads libpq's URL forms: several hosts (`postgres://u:p@db1,db2:5433/app`, or
//!   `?host=db1,db2&port=5432,5433`), `target_session_attrs` (`any`, `read-write`, `read-only`,
//!   `primary`, `standby`, `prefer-standby`), `connect_timeout`, and Prisma's `pgbouncer=true`;
//!   it removes them before sqlx sees the URL.
//! - [`connect_pool`] opens a sqlx pool on the first host that qualifies, checks every new
//!   connection, and follows a failover: new connections find the new primary without a
//!   restart, and connections opened before the move are dropped ([`report_error`] lets a
//!   caller say that a call failed, which starts the search at once).
//! - [`detect_transaction_pooler`] tells whether a pool's connections keep a session of their
//!   own (they do not through PgBouncer in transaction mode).
//!
//! `auth-adapter` (its `connect` and `SqlAdapter::pooler_mode`) and `auth-migrate` (`migrate`
//! refuses a transaction pooler and takes `--direct-url`) use it; it depends on neither.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod pool;
mod probe;
mod url;

pub use pool::{Error, connect_one, connect_pool, current_host, is_failover_error, report_error};
pub use probe::detect_transaction_pooler;
pub use url::{HostPort, PgUrl, Role, TargetSessionAttrs, UrlError};
