//! The Auth.js adapter suite (tests/adapter_suite) on SQLite: a fresh temporary database file per test. Always runs.

mod adapter_suite;
// The shared connect helper; its `dialect_tests!` macro is for the other suites.
#[allow(unused_macros, unused_imports)]
mod common;

use auth_query::Sqlite;

adapter_suite::adapter_tests!(Sqlite);
