#!/usr/bin/env bash
# Compile-time budgets (BENCHMARKS.md, "Compile time"): measured, never asserted in tests.
#
#   bash scripts/bench-compile.sh            # all three measurements
#   BENCH_RUNS=9 bash scripts/bench-compile.sh
#
# 1. `cargo check` of a crate declaring 20 tables of 10 columns (joined to the Auth.js `User`)
#    plus one typed query over them, against two baselines in the same run, the three measured
#    in turn: `auth-schema` as it was when it declared only the Auth.js tables (commit be94c4c,
#    checked out under target/), and a crate using the Auth.js tables alone (`schema!` with an
#    extra column) plus one typed query. Budget: at most 1.5x the first. These checks run without
#    incremental compilation (CARGO_INCREMENTAL=0): a touched but unchanged file would otherwise
#    be answered from the incremental cache, which measures little of the declarations.
# 2. Re-checking after a one-line edit of a query in a crate of typed queries. Budget: < 2 s.
# 3. The trybuild suite (`auth-query/tests/ui`), warm. Budget: < 60 s.
#
# The generated crates live in target/bench-compile/ and share one target dir, so the
# dependencies are built once (the first run is slow); each timed check rebuilds only the crate
# itself (its source is touched first). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
runs=${BENCH_RUNS:-7}
work=$root/target/bench-compile
export CARGO_TARGET_DIR=$work/target
mkdir -p "$work"

# A crate depending on the workspace crates by path; $2 is its src/main.rs.
make_crate() {
  local name=$1 body=$2 dir=$work/$1
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
auth-schema = { path = "$root/auth-schema" }
auth-query = { path = "$root/auth-query" }

[workspace]
EOF
  printf '%s\n' "$body" >"$dir/src/main.rs"
  cp "$root/rust-toolchain.toml" "$dir/"
}

# Seconds for one `cargo check` of the crate after touching its source.
time_check() {
  local dir=$work/$1
  touch "$dir/src/main.rs"
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$dir" && cargo check -q 2>/dev/null)
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}

# Seconds for one full (non-incremental) `cargo check -p auth-schema` of the old workspace.
time_old_schema() {
  touch "$old/auth-schema/src/lib.rs"
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$old" && CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=$old/target cargo check -q -p auth-schema 2>/dev/null)
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# --- 1. 20 tables of 10 columns vs the Auth.js tables alone -----------------------------------
baseline='use auth_query::prelude::*;

use auth_schema::sql::{Nullable, Text};

auth_schema::extra_columns! {
    pub struct Plan for auth::user::table, columns in mod plan {
        plan: Nullable<Text> = "plan",
    }
}

auth_schema::schema! {
    pub mod auth {
        naming: Kysely,
        id: Uuid,
        user_extras: Plan,
    }
}

fn main() {
    use auth::{account, user};
    let q = Postgres
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(user::id))
        .select((user::id, user::email, account::provider))
        .filter(account::provider.eq("github"));
    println!("{}", q.compile().sql());
}'

tables=""
names=""
for t in $(seq 1 20); do
  tables+="
auth_schema::table! {
    pub mod t$t {
        id: BigInt = identity,
        owner_id: Uuid,
        title: Varchar<120>,
        body: Nullable<LongText>,
        views: Integer = default(0),
        score: Double,
        published: Bool = default(false),
        created_at: Timestamp = now,
        day: Nullable<Date>,
        meta: Nullable<Json>,
    }
    primary_key(id);
    unique(owner_id, title);
    index(created_at);
    foreign_key(owner_id) references auth::user(id) on_delete(cascade);
}
"
  names+="t$t, "
done
big="use auth_query::prelude::*;

auth_schema::schema! { pub mod auth { naming: Kysely, id: Uuid } }
$tables
auth_schema::database! {
    pub struct App {
        auth: auth,
        tables: [${names%, }],
    }
}

fn main() {
    let q = Postgres
        .select_from(auth::user::table)
        .inner_join(t7::table, t7::owner_id.eq_col(auth::user::id))
        .select((auth::user::email, t7::title, t7::score))
        .filter(t7::published.eq(true))
        .order_by(t7::created_at.desc());
    println!(\"{}\", q.compile().sql());
}"

make_crate bench_baseline "$baseline"
make_crate bench_twenty_tables "$big"

# The Auth.js-only auth-schema of the issue that set the budget, as a worktree of its commit.
old=$work/be94c4c
if [ ! -d "$old/auth-schema" ]; then
  git -C "$root" worktree add -f --detach "$old" be94c4c >/dev/null 2>&1
fi

echo "warming up (builds the dependencies once)..." >&2
(cd "$work/bench_baseline" && cargo check -q)
(cd "$work/bench_twenty_tables" && cargo check -q)
(cd "$old" && CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=$old/target cargo check -q -p auth-schema)

# The three measured in turn, so that a slower spell of the machine weighs on all of them.
export CARGO_INCREMENTAL=0
for _ in $(seq "$runs"); do
  echo "old $(time_old_schema)"
  echo "base $(time_check bench_baseline)"
  echo "twenty $(time_check bench_twenty_tables)"
done >"$work/times.txt"
unset CARGO_INCREMENTAL
pick() { grep "^$1 " "$work/times.txt" | awk '{print $2}' | median; }
old_schema=$(pick old)
base=$(pick base)
twenty=$(pick twenty)
ratio=$(echo "scale=2; $twenty / $base" | bc)
ratio_old=$(echo "scale=2; $twenty / $old_schema" | bc)

# --- 2. a one-line edit of a query ---------------------------------------------------------------
queries='use auth_query::prelude::*;
use auth_schema::kysely::{account, session, user};

fn main() {
    let a = Postgres.select_from(user::table).select(user::table.all()).filter(user::email.eq("a@b.c"));
    let b = Postgres
        .select_from(session::table)
        .inner_join(user::table, user::id.eq_col(session::user_id))
        .select((session::table.all(), user::table.all()))
        .filter(session::session_token.eq("t"));
    let c = Postgres
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(user::id))
        .select(user::table.all())
        .filter(account::provider.eq("github").and(account::provider_account_id.eq("1")));
    let d = Postgres.update(user::table).set(user::name, Some("x")).filter(user::id.eq("2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10"));
    let e = Postgres.delete_from(session::table).filter(session::expires.lt(chrono::Utc::now()));
    println!("{} {} {} {} {}", a.compile().sql(), b.compile().sql(), c.compile().sql(), d.compile().sql(), e.compile().sql());
}'
make_crate bench_edit "$queries"
# chrono under [dependencies] (the file ends with an empty [workspace] table).
sed -i 's/^\[dependencies\]$/[dependencies]\nchrono = "0.4"/' "$work/bench_edit/Cargo.toml"
(cd "$work/bench_edit" && cargo check -q)
edit=$(for i in $(seq "$runs"); do
  # The one-line edit: a different literal in one filter.
  sed -i "s/account::provider.eq(\"[a-z0-9]*\")/account::provider.eq(\"p$i\")/" "$work/bench_edit/src/main.rs"
  time_check bench_edit
done | median)

# --- 3. trybuild, warm ---------------------------------------------------------------------------
unset CARGO_TARGET_DIR
cargo test -q -p auth-query --all-features --test ui >/dev/null 2>&1 || true
t0=$(date +%s.%N)
cargo test -q -p auth-query --all-features --test ui >/dev/null 2>&1
t1=$(date +%s.%N)
ui=$(echo "$t1 - $t0" | bc)

cat <<EOF
| measurement | result | budget |
|---|---:|---:|
| \`cargo check -p auth-schema\` at be94c4c (Auth.js tables only) | ${old_schema} s | |
| \`cargo check\`, a crate of the Auth.js tables + 1 query | ${base} s | |
| \`cargo check\`, a crate of 20 tables x 10 columns + 1 query | ${twenty} s | |
| ratio to auth-schema at be94c4c | ${ratio_old}x | <= 1.5x |
| ratio to the Auth.js-tables crate | ${ratio}x | |
| re-check after a one-line edit of a query | ${edit} s | < 2 s |
| trybuild suite, warm ($(ls auth-query/tests/ui/*/*.rs | wc -l) cases) | ${ui} s | < 60 s |

(medians of $runs runs; $(nproc) cores; $(rustc --version))
EOF
