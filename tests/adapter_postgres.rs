//! The Auth.js adapter suite (tests/adapter_suite) on PostgreSQL: a fresh schema per test. Needs DATABASE_URL_POSTGRES (skipped without it, failing under CI=true).

mod adapter_suite;
// The shared connect helper; its `dialect_tests!` macro is for the other suites.
#[allow(unused_macros, unused_imports)]
mod common;

use auth_query::Postgres;

adapter_suite::adapter_tests!(Postgres);
