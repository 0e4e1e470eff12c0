//! The Auth.js adapter suite (tests/adapter_suite) on MariaDB/MySQL: a fresh database per test. Needs DATABASE_URL_MYSQL (skipped without it, failing under CI=true).

mod adapter_suite;
// The shared connect helper; its `dialect_tests!` macro is for the other suites.
#[allow(unused_macros, unused_imports)]
mod common;

use auth_query::MySql;

adapter_suite::adapter_tests!(MySql);
