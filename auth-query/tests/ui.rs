//! Compile-fail and pass cases for the typed query builder, checked with trybuild.
//!
//! The `.stderr` files are tied to the pinned toolchain (`rust-toolchain.toml`); re-bless them
//! with `TRYBUILD=overwrite cargo test -p auth-query --all-features --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    // Running a query on a pool needs the sqlx drivers.
    #[cfg(all(feature = "sqlite", feature = "postgres"))]
    t.compile_fail("tests/ui/fail_exec/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
