//! Throughput of `SqlAdapter` (Rust) against the Node `@auth/kysely-adapter`, side by side in one
//! run, on the same servers, the same schema and the same rows.
//!
//! ```text
//! eval "$(bash scripts/test-dbs.sh)"          # DATABASE_URL_POSTGRES / _MYSQL / _SQLITE
//! (cd tests/node && npm ci)                   # the Node side: tests/node/bench.mjs
//! cargo bench --bench throughput --features postgres,mysql
//! cargo bench --bench throughput --features postgres,mysql -- --duration 1 --reps 1   # a smoke run
//! cargo bench --bench throughput --features postgres,mysql -- --dialects postgres,pgbouncer --pgbouncer env
//! ```
//!
//! For each dialect whose URL is set (`DATABASE_URL_SQLITE`, `DATABASE_URL_POSTGRES`,
//! `DATABASE_URL_MYSQL`):
//!
//! 1. a fresh namespace: a new SQLite file (next to the one `DATABASE_URL_SQLITE` names), a new
//!    Postgres schema (given to every connection as `search_path` through the URL's `options`),
//!    a new MariaDB/MySQL database. One URL names it, and the migrator, the Rust pool and Node
//!    all use that URL. It is dropped at the end, also when the dialect's run panics;
//! 2. the Auth.js tables from the project's own migrations (`Migrator::stock(..).up(..)`);
//! 3. seeding through the Rust adapter: `BENCH_USERS` users, each with one account and one
//!    session (see [`seed`] for why through the adapter);
//! 4. the Node side, `node tests/node/bench.mjs`, as a child process; the Rust side sits idle
//!    (its runtime has nothing to do, its pool's connections wait) until Node exits;
//! 5. the Rust side, the same way: per operation a warm-up, then `BENCH_REPS` windows of
//!    `BENCH_DURATION_SECS`, 16 calls in flight; then the token race.
//!
//! Both sides time `get_session_and_user` / `getSessionAndUser` and `get_user_by_account` /
//! `getUserByAccount` on keys drawn at random from the same seeded rows (written to a JSON file
//! for Node), and report per window the calls completed and the process's own CPU time. The
//! Markdown table on stdout gives the median ops/s and the median client CPU per call of each
//! side, and their ratios; progress goes to stderr.
//!
//! The token race: each round creates one verification token, then 32 callers use it at once.
//! Exactly one should get it. The report lists the rounds where more than one did (on MySQL the
//! Kysely adapter reads, then deletes, with no transaction and no check of the delete).
//!
//! Options, as `-- --name value` (or `--name=value`) after the cargo command, or as environment
//! variables (the argument wins); run with `-- --help` for the list:
//! `--duration` / `BENCH_DURATION_SECS` (5), `--warmup` / `BENCH_WARMUP_SECS` (1), `--reps` /
//! `BENCH_REPS` (3), `--concurrency` / `BENCH_CONCURRENCY` (16), `--users` / `BENCH_USERS` (1000),
//! `--dialects` / `BENCH_DIALECTS`, `--sides` / `BENCH_SIDES` (`node,rust`), `--ops` /
//! `BENCH_OPS`, `--race-rounds` / `BENCH_RACE_ROUNDS` (20), `--race-callers` /
//! `BENCH_RACE_CALLERS` (32), `--sqlite-dir` / `BENCH_SQLITE_DIR`, `--node` / `BENCH_NODE`,
//! `--pgbouncer` / `BENCH_PGBOUNCER`.
//!
//! **Behind a transaction pooler.** `--pgbouncer URL` (`env`: `DATABASE_URL_PGBOUNCER`) names a
//! transaction-mode pooler in front of `DATABASE_URL_POSTGRES`'s server, and adds two runs, each
//! on a fresh database (a pooler does not pass the `options` that give the plain run its schema),
//! migrated through the server's own URL: "via PgBouncer", where both sides go through the pooler
//! (Rust in pooler mode, `SqlAdapter::pooler_mode`; node-postgres as it is, its unnamed statements
//! already fit a transaction pooler), and "direct, Rust in pooler mode", Rust alone on the server
//! itself, which separates what pooler mode costs from what the pooler costs. `--dialects` selects
//! them as `pgbouncer`.
//!
//! This is a benchmark, not a test: it reports errors, misses and double winners, and asserts
//! nothing about speed. `cargo test` does not run it.
//!
//! **Why 16.** 16 calls in flight on a pool of 16 connections, on each side: every in-flight
//! call has a connection of its own, so neither side measures time spent queueing for one, and 16
//! is far more than this 2-core machine can keep busy, so a side is limited by CPU (its own and the
//! server's), not by waiting on round trips. The same pool size and number in flight on both sides,
//! so neither wins by parallelism alone. (Node on SQLite is the exception: Kysely's SqliteDialect
//! has one connection; see tests/node/bench.mjs.)
//!
//! **Why CPU from the process.** The database servers run on the same cores as the client, so
//! ops/s mixes the client's cost with the server's and with whatever else the machine is doing.
//! The client's CPU time per call isolates what each side's adapter, driver and runtime cost. It
//! is taken for the whole process (every thread, user + system): tokio's workers, sqlx's SQLite
//! worker threads, libuv's pool and V8's garbage collector are all part of the cost of a call, and
//! a per-thread or wall-clock measure would miss them. On SQLite that includes the database engine
//! itself, on both sides (it runs inside the client). Rust reads it from `/proc/self/stat` (the
//! same counters as `getrusage(RUSAGE_SELF)`, which `std` does not expose; `libc` is not a
//! dependency of this package), in clock ticks of 10 ms: off by at most a tick at each end, about
//! 1% of a 5 s window's CPU time (more in a 1 s smoke run).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use auth_adapter::{AdapterDialect, SqlAdapter};
use auth_query::{MySql, Postgres, Sqlite};
use auth_schema::kysely::Schema;
use auth_schema::{Account, NewUser, NoExtras, Session, VerificationToken};
use chrono::{SubsecRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Connections in each side's pool (Rust: [`rust_adapter`]; Node: `--pool`). See the module docs.
const POOL_SIZE: u32 = 16;

// ------------------------------------------------------------------------- configuration --

/// `(argument, environment variable, help)`; the default is in the help text.
const OPTIONS: &[(&str, &str, &str)] = &[
    (
        "duration",
        "BENCH_DURATION_SECS",
        "seconds per timed repetition (5)",
    ),
    (
        "warmup",
        "BENCH_WARMUP_SECS",
        "untimed seconds before each operation's repetitions, per side (1)",
    ),
    (
        "reps",
        "BENCH_REPS",
        "timed repetitions per operation; the median is reported (3)",
    ),
    (
        "concurrency",
        "BENCH_CONCURRENCY",
        "calls in flight per side (16; the pools stay at 16)",
    ),
    (
        "users",
        "BENCH_USERS",
        "seeded users, each with one account and one session (1000)",
    ),
    (
        "dialects",
        "BENCH_DIALECTS",
        "comma-separated among sqlite,postgres,mysql (every one whose URL is set)",
    ),
    (
        "sides",
        "BENCH_SIDES",
        "comma-separated among node,rust (both)",
    ),
    (
        "ops",
        "BENCH_OPS",
        "comma-separated among get_session_and_user,get_user_by_account (both)",
    ),
    (
        "race-rounds",
        "BENCH_RACE_ROUNDS",
        "token race rounds, 0 to skip the race (20)",
    ),
    (
        "race-callers",
        "BENCH_RACE_CALLERS",
        "concurrent use_verification_token calls per round (32)",
    ),
    (
        "sqlite-dir",
        "BENCH_SQLITE_DIR",
        "directory of the fresh SQLite file (that of DATABASE_URL_SQLITE's file)",
    ),
    ("node", "BENCH_NODE", "the Node.js binary (node)"),
    (
        "pgbouncer",
        "BENCH_PGBOUNCER",
        "URL of a transaction pooler in front of DATABASE_URL_POSTGRES (env: DATABASE_URL_PGBOUNCER); adds the `pgbouncer` runs",
    ),
];

fn usage() -> String {
    let mut s = String::from(
        "usage: cargo bench --bench throughput --features postgres,mysql [-- OPTIONS]\n\
         Each option is `--name value`, `--name=value`, or the environment variable:\n",
    );
    for (arg, var, help) in OPTIONS {
        let _ = writeln!(s, "  --{arg:<14} {var:<20} {help}");
    }
    s.push_str(
        "Databases: DATABASE_URL_SQLITE, DATABASE_URL_POSTGRES, DATABASE_URL_MYSQL \
         (eval \"$(bash scripts/test-dbs.sh)\").",
    );
    s
}

/// The timed operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    GetSessionAndUser,
    GetUserByAccount,
}

impl Op {
    const ALL: [Op; 2] = [Op::GetSessionAndUser, Op::GetUserByAccount];

    fn rust_name(self) -> &'static str {
        match self {
            Op::GetSessionAndUser => "get_session_and_user",
            Op::GetUserByAccount => "get_user_by_account",
        }
    }

    /// The Kysely adapter's name, as bench.mjs's `--ops` takes it and reports it.
    fn node_name(self) -> &'static str {
        match self {
            Op::GetSessionAndUser => "getSessionAndUser",
            Op::GetUserByAccount => "getUserByAccount",
        }
    }
}

#[derive(Debug, Clone)]
struct Config {
    duration: Duration,
    warmup: Duration,
    reps: usize,
    concurrency: usize,
    users: usize,
    race_rounds: usize,
    race_callers: usize,
    dialects: Option<Vec<String>>,
    node_side: bool,
    rust_side: bool,
    ops: Vec<Op>,
    sqlite_dir: Option<PathBuf>,
    node_bin: String,
    /// A transaction pooler in front of `DATABASE_URL_POSTGRES`'s server.
    pgbouncer: Option<String>,
}

fn fail_usage(msg: &str) -> ! {
    eprintln!("throughput: {msg}\n{}", usage());
    std::process::exit(2);
}

impl Config {
    /// Bench arguments first, then `BENCH_*` variables, then the defaults.
    fn load() -> Self {
        let mut given: BTreeMap<&'static str, String> = BTreeMap::new();
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            if arg == "--bench" {
                continue; // what `cargo bench` passes to every bench binary
            }
            if arg == "--help" || arg == "-h" {
                println!("{}", usage());
                std::process::exit(0);
            }
            let Some(flag) = arg.strip_prefix("--") else {
                fail_usage(&format!("unexpected argument `{arg}`"));
            };
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (flag, None),
            };
            let Some(&(key, _, _)) = OPTIONS.iter().find(|(a, _, _)| *a == name) else {
                fail_usage(&format!("unknown option `--{name}`"));
            };
            let Some(value) = inline.or_else(|| args.next()) else {
                fail_usage(&format!("`--{name}` needs a value"));
            };
            given.insert(key, value);
        }
        let raw = |key: &str| -> Option<String> {
            let (_, var, _) = OPTIONS.iter().find(|(a, _, _)| *a == key).unwrap();
            given
                .get(key)
                .cloned()
                .or_else(|| std::env::var(var).ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let number = |key: &str, default: f64| -> f64 {
            match raw(key) {
                None => default,
                Some(v) => match v.parse::<f64>() {
                    Ok(n) if n.is_finite() && n >= 0.0 => n,
                    _ => fail_usage(&format!("{key} = `{v}` is not a non-negative number")),
                },
            }
        };
        let list = |key: &str, allowed: &[&str]| -> Option<Vec<String>> {
            let v = raw(key)?;
            let items: Vec<String> = v
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            for item in &items {
                if !allowed.contains(&item.as_str()) {
                    fail_usage(&format!(
                        "{key}: `{item}` is not one of {}",
                        allowed.join(",")
                    ));
                }
            }
            Some(items)
        };
        let sides = list("sides", &["node", "rust"]);
        let has_side = |s: &str| sides.as_ref().is_none_or(|l| l.iter().any(|x| x == s));
        let ops = match list("ops", &Op::ALL.map(Op::rust_name)) {
            None => Op::ALL.to_vec(),
            Some(l) => Op::ALL
                .into_iter()
                .filter(|op| l.iter().any(|x| x == op.rust_name()))
                .collect(),
        };
        Config {
            duration: Duration::from_secs_f64(number("duration", 5.0).max(0.001)),
            warmup: Duration::from_secs_f64(number("warmup", 1.0)),
            reps: (number("reps", 3.0) as usize).max(1),
            concurrency: (number("concurrency", 16.0) as usize).max(1),
            users: (number("users", 1000.0) as usize).max(1),
            race_rounds: number("race-rounds", 20.0) as usize,
            race_callers: (number("race-callers", 32.0) as usize).max(1),
            dialects: list("dialects", &["sqlite", "postgres", "mysql", "pgbouncer"]),
            node_side: has_side("node"),
            rust_side: has_side("rust"),
            ops,
            sqlite_dir: raw("sqlite-dir").map(PathBuf::from),
            node_bin: raw("node").unwrap_or_else(|| "node".into()),
            pgbouncer: raw("pgbouncer").map(|v| {
                if v == "env" {
                    std::env::var("DATABASE_URL_PGBOUNCER").unwrap_or_else(|_| {
                        fail_usage("--pgbouncer env: DATABASE_URL_PGBOUNCER is not set")
                    })
                } else {
                    v
                }
            }),
        }
    }

    fn wants_dialect(&self, d: &str) -> bool {
        self.dialects
            .as_ref()
            .is_none_or(|l| l.iter().any(|x| x == d))
    }
}

// ------------------------------------------------------------------------ the Rust adapter --

/// The Rust side's adapter on a fresh pool of [`POOL_SIZE`] connections to `url`, in pooler
/// mode when `pooler_mode` (PostgreSQL behind a transaction pooler).
///
/// The one place the Rust pool is built, for every dialect: the way the README recommends,
/// [`auth_adapter::ConnectOptions`] with its defaults but the pool size (no ping on checkout;
/// on SQLite WAL, `synchronous = NORMAL`, foreign keys on, a 5 s busy timeout).
async fn rust_adapter<D: AdapterDialect>(url: &str, pooler_mode: bool) -> SqlAdapter<D, Schema> {
    auth_adapter::ConnectOptions::new(url)
        .max_connections(POOL_SIZE)
        .pooler_mode(pooler_mode)
        .connect_as()
        .await
        .unwrap_or_else(|e| panic!("cannot connect the Rust pool to {}: {e}", mask(url)))
}

// ------------------------------------------------------------------------------ measuring --

/// One timed window of one side: what it did, and what it cost.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Window {
    /// Calls that completed without error (found or not).
    calls: u64,
    /// Calls that returned nothing for a seeded key (there should be none).
    misses: u64,
    /// Calls that failed.
    errors: u64,
    /// Wall time from the start until the last worker finished its last call.
    seconds: f64,
    /// The process's user + system CPU time over the window, in µs (`None`: not measurable).
    cpu_micros: Option<f64>,
    first_error: Option<String>,
}

impl Window {
    fn ops_per_sec(&self) -> f64 {
        self.calls as f64 / self.seconds
    }

    fn cpu_per_call(&self) -> Option<f64> {
        self.cpu_micros
            .filter(|_| self.calls > 0)
            .map(|c| c / self.calls as f64)
    }

    fn merge(&mut self, other: Window) {
        self.calls += other.calls;
        self.misses += other.misses;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn describe(&self) -> String {
        let mut s = format!("{:.0} ops/s", self.ops_per_sec());
        match self.cpu_per_call() {
            Some(c) => {
                let _ = write!(s, ", {c:.1} µs CPU/call");
            }
            None => s.push_str(", CPU n/a"),
        }
        if self.errors > 0 || self.misses > 0 {
            let _ = write!(s, " ({} errors, {} misses)", self.errors, self.misses);
        }
        s
    }
}

/// The token race on one side.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Race {
    rounds: usize,
    callers: usize,
    /// How many callers got the token, per round.
    winners: Vec<usize>,
    errors: u64,
    first_error: Option<String>,
}

/// One side's results on one dialect.
#[derive(Debug, Default)]
struct Side {
    ops: Vec<(Op, Vec<Window>)>,
    race: Option<Race>,
}

impl Side {
    fn reps(&self, op: Op) -> Option<&[Window]> {
        self.ops
            .iter()
            .find(|(o, _)| *o == op)
            .map(|(_, r)| r.as_slice())
    }
}

/// This whole process's user + system CPU time so far (every thread, live or exited), or `None`
/// where `/proc` is missing.
///
/// `/proc/self/stat` fields 14 and 15 (`utime`, `stime`), the counters behind
/// `getrusage(RUSAGE_SELF)`, in clock ticks (`AT_CLKTCK`, 100 per second on Linux).
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Field 2 is the command name in parentheses, which may contain spaces: skip past it.
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    // `fields[0]` is field 3 (state), so field 14 is `fields[11]`.
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64))
}

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`), read from the auxiliary vector's `AT_CLKTCK`
/// entry without `libc`; 100 (Linux's `USER_HZ`) if it cannot be read.
fn clock_ticks() -> u64 {
    static TICKS: OnceLock<u64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        const AT_CLKTCK: usize = 17;
        const WORD: usize = size_of::<usize>();
        let auxv = std::fs::read("/proc/self/auxv").unwrap_or_default();
        auxv.chunks_exact(2 * WORD)
            .map(|pair| {
                let word = |b: &[u8]| usize::from_ne_bytes(b.try_into().unwrap());
                (word(&pair[..WORD]), word(&pair[WORD..]))
            })
            .find(|&(key, _)| key == AT_CLKTCK)
            .map(|(_, v)| v as u64)
            .filter(|&v| v > 0)
            .unwrap_or(100)
    })
}

/// SplitMix64: a few lines of a good enough PRNG for picking keys, instead of a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// Runs `concurrency` tokio tasks calling `op` on random seeded keys for `length`, and measures
/// the window: calls, wall time until the last task is done, process CPU time.
async fn rust_window<D: AdapterDialect>(
    adapter: &SqlAdapter<D, Schema>,
    keys: &Arc<Keys>,
    op: Op,
    length: Duration,
    concurrency: usize,
    seed: u64,
) -> Window {
    let cpu0 = process_cpu();
    let start = Instant::now();
    let deadline = start + length;
    let tasks: Vec<_> = (0..concurrency)
        .map(|w| {
            let (adapter, keys) = (adapter.clone(), keys.clone());
            let mut rng = Rng(seed.wrapping_mul(1_000_003).wrapping_add(w as u64));
            tokio::spawn(async move {
                let mut tally = Window::default();
                let n = keys.session_tokens.len();
                while Instant::now() < deadline {
                    let i = rng.below(n);
                    let found = match op {
                        Op::GetSessionAndUser => adapter
                            .get_session_and_user(&keys.session_tokens[i])
                            .await
                            .map(|r| r.is_some()),
                        Op::GetUserByAccount => {
                            let a = &keys.accounts[i];
                            adapter
                                .get_user_by_account(auth_adapter::AccountKey::new(
                                    &a.provider,
                                    &a.provider_account_id,
                                ))
                                .await
                                .map(|r| r.is_some())
                        }
                    };
                    match found {
                        Ok(found) => {
                            tally.calls += 1;
                            tally.misses += u64::from(!found);
                        }
                        Err(e) => {
                            tally.errors += 1;
                            tally.first_error.get_or_insert_with(|| e.to_string());
                        }
                    }
                }
                tally
            })
        })
        .collect();
    let mut total = Window::default();
    for task in tasks {
        total.merge(task.await.expect("a benchmark task panicked"));
    }
    total.seconds = start.elapsed().as_secs_f64();
    total.cpu_micros = cpu0
        .zip(process_cpu())
        .map(|(a, b)| b.saturating_sub(a).as_secs_f64() * 1e6);
    total
}

/// Each round creates one verification token, then `callers` tasks, released together by a
/// barrier, call `use_verification_token` on it; counts the callers that got the token.
async fn rust_race<D: AdapterDialect>(
    adapter: &SqlAdapter<D, Schema>,
    rounds: usize,
    callers: usize,
) -> Race {
    let mut race = Race {
        rounds,
        callers,
        ..Race::default()
    };
    let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
    for round in 0..rounds {
        let token = VerificationToken {
            identifier: format!("race-rust-{tag}-{round}@example.com"),
            token: uuid::Uuid::new_v4().to_string(),
            expires: (Utc::now() + TimeDelta::days(1)).trunc_subsecs(3),
            extra: NoExtras {},
        };
        if let Err(e) = adapter.create_verification_token(token.clone()).await {
            race.errors += 1;
            race.first_error
                .get_or_insert_with(|| format!("create_verification_token: {e}"));
            race.winners.push(0);
            continue;
        }
        let barrier = Arc::new(tokio::sync::Barrier::new(callers));
        let tasks: Vec<_> = (0..callers)
            .map(|_| {
                let (adapter, barrier) = (adapter.clone(), barrier.clone());
                let (identifier, value) = (token.identifier.clone(), token.token.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    adapter.use_verification_token(&identifier, &value).await
                })
            })
            .collect();
        let mut winners = 0;
        for task in tasks {
            match task.await.expect("a race task panicked") {
                Ok(Some(_)) => winners += 1,
                Ok(None) => {}
                Err(e) => {
                    race.errors += 1;
                    race.first_error.get_or_insert_with(|| e.to_string());
                }
            }
        }
        race.winners.push(winners);
    }
    race
}

/// The Rust side on one dialect: per operation a warm-up and the timed repetitions, then the
/// token race.
async fn rust_side<D: AdapterDialect>(
    adapter: &SqlAdapter<D, Schema>,
    keys: &Arc<Keys>,
    cfg: &Config,
    dialect: &str,
) -> Side {
    let mut side = Side::default();
    for &op in &cfg.ops {
        if !cfg.warmup.is_zero() {
            rust_window(adapter, keys, op, cfg.warmup, cfg.concurrency, 0).await;
        }
        let mut reps = Vec::with_capacity(cfg.reps);
        for rep in 0..cfg.reps {
            let w = rust_window(
                adapter,
                keys,
                op,
                cfg.duration,
                cfg.concurrency,
                rep as u64 + 1,
            )
            .await;
            eprintln!(
                "  rust {dialect} {} rep {}/{}: {}",
                op.rust_name(),
                rep + 1,
                cfg.reps,
                w.describe()
            );
            reps.push(w);
        }
        side.ops.push((op, reps));
    }
    if cfg.race_rounds > 0 {
        let race = rust_race(adapter, cfg.race_rounds, cfg.race_callers).await;
        eprintln!(
            "  rust {dialect} token race: {} of {} rounds with more than one winner",
            race.winners.iter().filter(|&&w| w > 1).count(),
            race.rounds
        );
        side.race = Some(race);
    }
    side
}

// -------------------------------------------------------------------------------- seeding --

/// The seeded keys both sides draw from; written to a JSON file for bench.mjs.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Keys {
    session_tokens: Vec<String>,
    accounts: Vec<AccountKey>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountKey {
    provider: String,
    provider_account_id: String,
}

/// Seeds `users` users, each with one GitHub account and one session, through the Rust adapter,
/// from `workers` concurrent tasks (seeding is not timed; concurrency only makes it quicker).
///
/// Through the adapter rather than with SQL of our own: the rows are then exactly what
/// `SqlAdapter` writes (ids, date encodings), which the interop test shows Node reads back, so
/// Node reading them here is the shared-database case this benchmark is about, and there is no
/// second copy of the INSERTs to keep in step with the schema.
async fn seed<D: AdapterDialect>(
    adapter: &SqlAdapter<D, Schema>,
    users: usize,
    workers: usize,
) -> Keys {
    let workers = workers.clamp(1, users);
    // Millisecond precision, as Auth.js dates have.
    let now = Utc::now().trunc_subsecs(3);
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let adapter = adapter.clone();
            tokio::spawn(async move {
                let mut rows = Vec::new();
                for i in (w..users).step_by(workers) {
                    let user = adapter
                        .create_user(NewUser {
                            id: None, // a UUID v4, as Auth.js makes them
                            name: Some(format!("Bench User {i}")),
                            email: format!("bench-{i}@example.com"),
                            email_verified: Some(now - TimeDelta::days(7)),
                            image: Some(format!("https://example.com/avatars/{i}.png")),
                            extra: NoExtras {},
                        })
                        .await
                        .unwrap_or_else(|e| panic!("seeding: create_user: {e}"));
                    let account = adapter
                        .link_account(Account {
                            user_id: user.id.clone(),
                            account_type: "oauth".into(),
                            provider: "github".into(),
                            provider_account_id: (10_000_000 + i).to_string(),
                            refresh_token: Some(format!("ghr_{}", "r".repeat(36))),
                            access_token: Some(format!("gho_{}", "a".repeat(36))),
                            expires_at: Some(now.timestamp() + 8 * 3600),
                            token_type: Some("bearer".into()),
                            scope: Some("read:user user:email".into()),
                            id_token: None,
                            session_state: None,
                            extra: NoExtras {},
                        })
                        .await
                        .unwrap_or_else(|e| panic!("seeding: link_account: {e}"));
                    let session = adapter
                        .create_session(Session {
                            user_id: user.id,
                            session_token: uuid::Uuid::new_v4().to_string(),
                            expires: now + TimeDelta::days(30),
                            extra: NoExtras {},
                        })
                        .await
                        .unwrap_or_else(|e| panic!("seeding: create_session: {e}"));
                    rows.push((i, session.session_token, account));
                }
                rows
            })
        })
        .collect();
    let mut rows = Vec::with_capacity(users);
    for task in tasks {
        rows.extend(task.await.expect("a seeding task panicked"));
    }
    rows.sort_by_key(|(i, _, _)| *i);
    let mut keys = Keys {
        session_tokens: Vec::with_capacity(users),
        accounts: Vec::with_capacity(users),
    };
    for (_, token, account) in rows {
        keys.session_tokens.push(token);
        keys.accounts.push(AccountKey {
            provider: account.provider,
            provider_account_id: account.provider_account_id,
        });
    }
    keys
}

// ------------------------------------------------------------------------------- the Node side --

/// `tests/node`, with `node` runnable and the Kysely adapter installed.
struct NodeHarness {
    dir: PathBuf,
    node: String,
    version: String,
}

fn node_harness(node: &str) -> Result<NodeHarness, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("node");
    let out = Command::new(node)
        .arg("--version")
        .output()
        .map_err(|e| format!("`{node}` cannot be run ({e}); install Node.js 20 or later"))?;
    if !out.status.success() {
        return Err(format!("`{node} --version` failed"));
    }
    if !dir.join("node_modules/@auth/kysely-adapter").is_dir() {
        return Err(format!(
            "@auth/kysely-adapter is not installed in {}; run `npm ci` there",
            dir.display()
        ));
    }
    Ok(NodeHarness {
        dir,
        node: node.to_owned(),
        version: String::from_utf8_lossy(&out.stdout).trim().to_owned(),
    })
}

/// What bench.mjs prints.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NodeReport {
    versions: BTreeMap<String, String>,
    ops: BTreeMap<String, NodeOp>,
    race: Option<Race>,
}

#[derive(Debug, Deserialize)]
struct NodeOp {
    reps: Vec<Window>,
}

/// Runs `node tests/node/bench.mjs` on `url` and waits for it (no polling: this process stays
/// idle while Node is measured). Node's progress goes to our stderr; its stdout is the report.
fn run_node(
    h: &NodeHarness,
    dialect: &str,
    url: &str,
    keys_file: &Path,
    cfg: &Config,
) -> Result<(Side, NodeReport), String> {
    let ops: Vec<&str> = cfg.ops.iter().map(|o| o.node_name()).collect();
    let out = Command::new(&h.node)
        .arg(h.dir.join("bench.mjs"))
        .args([dialect, url])
        .arg(keys_file)
        .args(["--duration", &cfg.duration.as_secs_f64().to_string()])
        .args(["--warmup", &cfg.warmup.as_secs_f64().to_string()])
        .args(["--reps", &cfg.reps.to_string()])
        .args(["--concurrency", &cfg.concurrency.to_string()])
        .args(["--pool", &POOL_SIZE.to_string()])
        .args(["--ops", &ops.join(",")])
        .args(["--race-rounds", &cfg.race_rounds.to_string()])
        .args(["--race-callers", &cfg.race_callers.to_string()])
        .current_dir(&h.dir)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "`node tests/node/bench.mjs {dialect} {} …` failed ({}); see its stderr above",
            mask(url),
            out.status
        ));
    }
    let report: NodeReport = serde_json::from_str(stdout.trim())
        .map_err(|e| format!("bench.mjs printed no report ({e}): {stdout}"))?;
    let mut side = Side::default();
    for &op in &cfg.ops {
        let reps = report
            .ops
            .get(op.node_name())
            .map(|o| o.reps.clone())
            .ok_or_else(|| format!("bench.mjs reported no {}", op.node_name()))?;
        side.ops.push((op, reps));
    }
    side.race = report.race.clone();
    Ok((side, report))
}

// ------------------------------------------------------------------------------ namespaces --

/// A fresh place for one dialect's tables, named by one URL that the migrator, the Rust pool and
/// Node all use.
struct Namespace {
    url: String,
    /// The server and its version, for the report.
    label: String,
    kind: NsKind,
}

enum NsKind {
    SqliteFile(PathBuf),
    PgSchema { base_url: String, name: String },
    PgDatabase { base_url: String, name: String },
    MySqlDatabase { base_url: String, name: String },
}

/// `bench_tp_` and 32 hex digits: a schema, database or file name of our own.
fn unique_name() -> String {
    format!("bench_tp_{}", uuid::Uuid::new_v4().simple())
}

/// `url` with its password replaced by `****`, for messages.
fn mask(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].find(':') {
            Some(colon) => format!("{}****{}", &url[..scheme + 3 + colon + 1], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

/// The file a `sqlite:` URL names (as bench.mjs reads it), if any.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// `url` with another database in its path (MySQL).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((u, q)) => (u, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base[start..].find('/').map(|j| start + j))
        .unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..authority_end])
}

async fn exec<'c, C>(conn: &'c mut C, sql: &str) -> Result<(), String>
where
    &'c mut C: sqlx::Executor<'c>,
{
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(conn)
        .await
        .map(drop)
        .map_err(|e| format!("{sql}: {e}"))
}

impl Namespace {
    async fn sqlite(base_url: &str, dir: Option<&Path>) -> Result<Namespace, String> {
        use sqlx::Connection;
        let dir = dir
            .map(Path::to_path_buf)
            .or_else(|| sqlite_file(base_url)?.parent().map(Path::to_path_buf))
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(std::env::temp_dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(format!("{}.db", unique_name()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url)
            .await
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        let version: String = sqlx::query_scalar("SELECT sqlite_version()")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let _ = conn.close().await;
        Ok(Namespace {
            url,
            label: format!("SQLite {version}"),
            kind: NsKind::SqliteFile(path),
        })
    }

    async fn postgres(base_url: &str) -> Result<Namespace, String> {
        use sqlx::Connection;
        let name = unique_name();
        let mut admin = sqlx::PgConnection::connect(base_url)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", mask(base_url)))?;
        exec(&mut admin, &format!("CREATE SCHEMA \"{name}\"")).await?;
        let version: String = sqlx::query_scalar("SHOW server_version")
            .fetch_one(&mut admin)
            .await
            .map_err(|e| e.to_string())?;
        let _ = admin.close().await;
        // libpq's `options`, which sqlx and node-postgres both read: unqualified tables resolve
        // in the fresh schema on every connection of the migrator, the Rust pool and Node.
        let sep = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{sep}options=-c%20search_path%3D{name}");
        Ok(Namespace {
            url,
            label: format!(
                "PostgreSQL {}",
                version.split_whitespace().next().unwrap_or("")
            ),
            kind: NsKind::PgSchema {
                base_url: base_url.to_owned(),
                name,
            },
        })
    }

    /// A fresh PostgreSQL database, for runs through a pooler (which does not pass `options`).
    async fn postgres_database(base_url: &str) -> Result<Namespace, String> {
        use sqlx::Connection;
        let name = unique_name();
        let mut admin = sqlx::PgConnection::connect(base_url)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", mask(base_url)))?;
        exec(&mut admin, &format!("CREATE DATABASE \"{name}\"")).await?;
        let version: String = sqlx::query_scalar("SHOW server_version")
            .fetch_one(&mut admin)
            .await
            .map_err(|e| e.to_string())?;
        let _ = admin.close().await;
        Ok(Namespace {
            url: with_database(base_url, &name),
            label: format!(
                "PostgreSQL {}",
                version.split_whitespace().next().unwrap_or("")
            ),
            kind: NsKind::PgDatabase {
                base_url: base_url.to_owned(),
                name,
            },
        })
    }

    async fn mysql(base_url: &str) -> Result<Namespace, String> {
        use sqlx::Connection;
        let name = unique_name();
        let mut admin = sqlx::MySqlConnection::connect(base_url)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", mask(base_url)))?;
        exec(
            &mut admin,
            &format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"),
        )
        .await?;
        let version: String = sqlx::query_scalar("SELECT VERSION()")
            .fetch_one(&mut admin)
            .await
            .map_err(|e| e.to_string())?;
        let _ = admin.close().await;
        // `10.11.19-MariaDB-0+deb12u1` or `8.4.3`.
        let number = version.split('-').next().unwrap_or("");
        let label = if version.contains("MariaDB") {
            format!("MariaDB {number}")
        } else {
            format!("MySQL {number}")
        };
        Ok(Namespace {
            url: with_database(base_url, &name),
            label,
            kind: NsKind::MySqlDatabase {
                base_url: base_url.to_owned(),
                name,
            },
        })
    }

    /// Drops the schema or database, or deletes the file. Both sides' pools are closed by then.
    async fn drop(&self) -> Result<(), String> {
        use sqlx::Connection;
        match &self.kind {
            NsKind::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
                Ok(())
            }
            NsKind::PgSchema { base_url, name } => {
                let mut admin = sqlx::PgConnection::connect(base_url)
                    .await
                    .map_err(|e| e.to_string())?;
                exec(&mut admin, "SET lock_timeout = '10s'").await?;
                exec(
                    &mut admin,
                    &format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"),
                )
                .await?;
                admin.close().await.map_err(|e| e.to_string())
            }
            NsKind::PgDatabase { base_url, name } => {
                let mut admin = sqlx::PgConnection::connect(base_url)
                    .await
                    .map_err(|e| e.to_string())?;
                // WITH (FORCE): the pooler may still hold server connections to it.
                exec(
                    &mut admin,
                    &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                )
                .await?;
                admin.close().await.map_err(|e| e.to_string())
            }
            NsKind::MySqlDatabase { base_url, name } => {
                let mut admin = sqlx::MySqlConnection::connect(base_url)
                    .await
                    .map_err(|e| e.to_string())?;
                exec(&mut admin, "SET SESSION lock_wait_timeout = 10").await?;
                exec(&mut admin, &format!("DROP DATABASE IF EXISTS `{name}`")).await?;
                admin.close().await.map_err(|e| e.to_string())
            }
        }
    }
}

// ------------------------------------------------------------------------------- a dialect --

/// Both sides' results on one dialect.
#[derive(Default)]
struct DialectRun {
    node: Option<Result<Side, String>>,
    node_report: Option<NodeReport>,
    rust: Option<Side>,
}

/// What a run measures.
enum Run {
    /// Both sides on the namespace's own URL.
    Plain,
    /// Both sides through this transaction pooler (Rust in pooler mode).
    ThroughPooler(String),
    /// Rust alone, in pooler mode, on the server itself.
    PoolerModeDirect,
}

/// Where one run's sides connect.
struct Target {
    /// The namespace's URL on the server itself: the migrator's.
    url: String,
    /// The Rust pool's URL, and whether the adapter runs in pooler mode.
    rust_url: String,
    pooler_mode: bool,
    /// Node's URL; `None`: Rust only.
    node_url: Option<String>,
}

impl Target {
    /// Everything on the namespace's own URL.
    fn direct(url: String) -> Self {
        Target {
            rust_url: url.clone(),
            node_url: Some(url.clone()),
            url,
            pooler_mode: false,
        }
    }
}

/// Migrates and seeds the namespace, then measures Node, then Rust.
async fn run_dialect<D: AdapterDialect>(
    dialect: &'static str,
    target: Target,
    cfg: Arc<Config>,
    node: Option<Arc<NodeHarness>>,
) -> DialectRun {
    let url = target.url;
    // The Auth.js tables, from the project's own migrations.
    let db = auth_migrate::Db::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("migrator: {e}"));
    let report = auth_migrate::Migrator::stock(D::BACKEND)
        .up(&db, None, false)
        .await
        .unwrap_or_else(|e| panic!("migrating: {e}"));
    db.close().await;
    let applied: Vec<&str> = report.applied.iter().map(|a| a.label.as_str()).collect();
    eprintln!(
        "  migrated: {} (now at version {})",
        applied.join(", "),
        report.version
    );

    let adapter = rust_adapter::<D>(&target.rust_url, target.pooler_mode).await;
    let started = Instant::now();
    let keys = Arc::new(seed(&adapter, cfg.users, POOL_SIZE as usize).await);
    eprintln!(
        "  seeded {} users, accounts and sessions through the Rust adapter in {:.1?}",
        cfg.users,
        started.elapsed()
    );

    let mut run = DialectRun::default();
    if let (Some(h), Some(url)) = (node, target.node_url) {
        settle(&adapter).await;
        let keys_file = std::env::temp_dir().join(format!("{}-keys.json", unique_name()));
        std::fs::write(&keys_file, serde_json::to_vec(&*keys).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", keys_file.display()));
        let (cfg2, file) = (cfg.clone(), keys_file.clone());
        // The Rust side waits here, idle, while Node runs on the same schema and rows.
        let result = tokio::task::spawn_blocking(move || run_node(&h, dialect, &url, &file, &cfg2))
            .await
            .expect("the Node runner thread");
        let _ = std::fs::remove_file(&keys_file);
        match result {
            Ok((side, report)) => {
                run.node = Some(Ok(side));
                run.node_report = Some(report);
            }
            Err(e) => {
                eprintln!("  Node side failed: {e}");
                run.node = Some(Err(e));
            }
        }
    }
    if cfg.rust_side {
        settle(&adapter).await;
        run.rust = Some(rust_side(&adapter, &keys, &cfg, dialect).await);
    }
    adapter.pool().close().await;
    run
}

/// On SQLite, copies the WAL's pages into the database file and empties the WAL, so that each
/// side's timed run starts from the same file state: the seeding, or the other side's token
/// race. (Without it, after libsql in the Node process had written and exited, the Rust side's
/// reads ran at about half their speed, until the next checkpoint.) Nothing elsewhere.
async fn settle<D: AdapterDialect>(adapter: &SqlAdapter<D, Schema>) {
    if let Some(pool) = (adapter.pool() as &dyn std::any::Any).downcast_ref::<sqlx::SqlitePool>() {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await
            .unwrap_or_else(|e| panic!("checkpoint: {e}"));
        if busy != 0 {
            eprintln!("  warning: the WAL checkpoint could not complete");
        }
    }
}

// -------------------------------------------------------------------------------- report --

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Median ops/s and median CPU µs per call over the repetitions.
fn medians(reps: &[Window]) -> (Option<f64>, Option<f64>) {
    let ops = median(reps.iter().map(Window::ops_per_sec).collect());
    let cpu = if reps.iter().all(|w| w.cpu_per_call().is_some()) {
        median(reps.iter().filter_map(Window::cpu_per_call).collect())
    } else {
        None
    };
    (ops, cpu)
}

fn fmt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.decimals$}"))
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    a.zip(b).filter(|&(_, b)| b > 0.0).map(|(a, b)| a / b)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn one_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line.to_owned()
    }
}

fn race_summary(race: &Race) -> String {
    let multi: Vec<usize> = race.winners.iter().copied().filter(|&w| w > 1).collect();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for &w in &race.winners {
        *counts.entry(w).or_default() += 1;
    }
    let per_round: Vec<String> = counts
        .iter()
        .map(|(w, n)| format!("{w} winner{} ×{n}", if *w == 1 { "" } else { "s" }))
        .collect();
    let mut s = format!(
        "**{} of {}** rounds with more than one winner",
        multi.len(),
        race.winners.len()
    );
    if let Some(max) = multi.iter().max() {
        let _ = write!(s, " (up to {max})");
    }
    let _ = write!(s, "; per round: {}", per_round.join(", "));
    if race.errors > 0 {
        let _ = write!(
            s,
            "; {} errors (first: {})",
            race.errors,
            one_line(race.first_error.as_deref().unwrap_or(""))
        );
    }
    s
}

struct Outcome {
    label: String,
    result: Result<DialectRun, String>,
}

fn report(
    cfg: &Config,
    node: Option<&NodeHarness>,
    outcomes: &[Outcome],
    load: (&str, &str),
) -> String {
    let mut md = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(
        md,
        "## Throughput: Rust `SqlAdapter` vs Node `@auth/kysely-adapter`\n"
    );
    let _ = writeln!(
        md,
        "- {} calls in flight per side (Rust: tokio tasks on the multi-thread runtime; Node: async \
         workers), pools of {POOL_SIZE} connections; per operation a {:.1} s warm-up, then {} × \
         {:.1} s, median reported; random keys among {} seeded users.",
        cfg.concurrency,
        cfg.warmup.as_secs_f64(),
        cfg.reps,
        cfg.duration.as_secs_f64(),
        cfg.users
    );
    let _ = writeln!(
        md,
        "- CPU: each client process's own user + system time over the timed window, per call \
         (Rust: `/proc/self/stat`, {} ticks/s; Node: `process.cpuUsage()`). The other side was idle.",
        clock_ticks()
    );
    let _ = writeln!(
        md,
        "- Machine: {cores} cores; load average (1/5/15 min) before: {}, after: {}.",
        load.0, load.1
    );
    let node_versions = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok()?.node_report.as_ref())
        .next()
        .map(|r| {
            r.versions
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        });
    if let Some(h) = node {
        let _ = writeln!(
            md,
            "- Node {}{}.",
            h.version,
            node_versions.map(|v| format!(", {v}")).unwrap_or_default()
        );
    }
    if node.is_some() && outcomes.iter().any(|o| o.label.starts_with("SQLite")) {
        let _ = writeln!(
            md,
            "- SQLite: the Node side has one connection (Kysely's SqliteDialect) and libsql runs \
             each query synchronously; CPU per call includes the SQLite engine on both sides."
        );
    }
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "| dialect | operation | Node ops/s | Rust ops/s | Rust/Node | Node CPU µs/call | Rust CPU µs/call | Rust CPU / Node CPU |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---:|---:|");
    let mut notes = Vec::new();
    for o in outcomes {
        let run = match &o.result {
            Ok(run) => run,
            Err(e) => {
                let _ = writeln!(md, "| {} | (failed) | | | | | | |", o.label);
                notes.push(format!("{}: the run failed: {}", o.label, one_line(e)));
                continue;
            }
        };
        let node_side = match &run.node {
            Some(Ok(side)) => Some(side),
            Some(Err(e)) => {
                notes.push(format!("{}: Node side failed: {}", o.label, one_line(e)));
                None
            }
            None => None,
        };
        for &op in &cfg.ops {
            let n = node_side.and_then(|s| s.reps(op));
            let r = run.rust.as_ref().and_then(|s| s.reps(op));
            let (n_ops, n_cpu) = n.map_or((None, None), medians);
            let (r_ops, r_cpu) = r.map_or((None, None), medians);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                o.label,
                op.rust_name(),
                fmt(n_ops, 0),
                fmt(r_ops, 0),
                fmt(ratio(r_ops, n_ops), 2),
                fmt(n_cpu, 1),
                fmt(r_cpu, 1),
                fmt(ratio(r_cpu, n_cpu), 2)
            );
            for (side, reps) in [("Node", n), ("Rust", r)] {
                let Some(reps) = reps else { continue };
                let (errors, misses) = reps
                    .iter()
                    .fold((0, 0), |(e, m), w| (e + w.errors, m + w.misses));
                if errors > 0 || misses > 0 {
                    let first = reps.iter().find_map(|w| w.first_error.as_deref());
                    notes.push(format!(
                        "{} {} {side}: {errors} errors, {misses} misses{}",
                        o.label,
                        op.rust_name(),
                        first
                            .map(|e| format!(" (first error: {})", one_line(e)))
                            .unwrap_or_default()
                    ));
                }
                if reps.len() > 1 {
                    let v: Vec<f64> = reps.iter().map(Window::ops_per_sec).collect();
                    let (lo, hi) = v
                        .iter()
                        .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
                    notes.push(format!(
                        "{} {} {side}: ops/s over the repetitions {lo:.0}–{hi:.0}",
                        o.label,
                        op.rust_name()
                    ));
                }
            }
        }
    }
    if cfg.race_rounds > 0 {
        let _ = writeln!(
            md,
            "\nToken race: {} rounds; each creates one verification token and fires {} concurrent \
             `use_verification_token` / `useVerificationToken` calls on it. Exactly one caller \
             should get the token.\n",
            cfg.race_rounds, cfg.race_callers
        );
        for o in outcomes {
            let Ok(run) = &o.result else { continue };
            let node_race = match &run.node {
                Some(Ok(side)) => side.race.as_ref().map(race_summary),
                _ => None,
            };
            let rust_race = run
                .rust
                .as_ref()
                .and_then(|s| s.race.as_ref())
                .map(race_summary);
            let _ = writeln!(
                md,
                "- {}: Node: {}. Rust: {}.",
                o.label,
                node_race.as_deref().unwrap_or("–"),
                rust_race.as_deref().unwrap_or("–")
            );
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(md, "\nNotes:\n");
        for n in notes {
            let _ = writeln!(md, "- {n}");
        }
    }
    md
}

// ---------------------------------------------------------------------------------- main --

fn main() {
    let cfg = Arc::new(Config::load());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let node = if cfg.node_side {
        match node_harness(&cfg.node_bin) {
            Ok(h) => Some(Arc::new(h)),
            Err(e) => {
                eprintln!("SKIPPED the Node side: {e}");
                None
            }
        }
    } else {
        None
    };
    eprintln!(
        "throughput: {} in flight, {} × {:.1} s per operation after {:.1} s warm-up, {} users; sides: {}{}",
        cfg.concurrency,
        cfg.reps,
        cfg.duration.as_secs_f64(),
        cfg.warmup.as_secs_f64(),
        cfg.users,
        if node.is_some() { "node " } else { "" },
        if cfg.rust_side { "rust" } else { "" },
    );

    let load_before = loadavg();
    let mut outcomes = Vec::new();
    // The dialects, then (with --pgbouncer) PostgreSQL through the pooler and, Rust alone, in
    // pooler mode on the server itself.
    let mut runs: Vec<(&str, &str, Run)> = vec![
        ("sqlite", "DATABASE_URL_SQLITE", Run::Plain),
        ("postgres", "DATABASE_URL_POSTGRES", Run::Plain),
        ("mysql", "DATABASE_URL_MYSQL", Run::Plain),
    ];
    if let Some(pooler) = &cfg.pgbouncer {
        runs.push((
            "pgbouncer",
            "DATABASE_URL_POSTGRES",
            Run::ThroughPooler(pooler.clone()),
        ));
        runs.push(("pgbouncer", "DATABASE_URL_POSTGRES", Run::PoolerModeDirect));
    }
    for (selector, var, kind) in runs {
        if !cfg.wants_dialect(selector) {
            continue;
        }
        let dialect = if selector == "pgbouncer" {
            "postgres"
        } else {
            selector
        };
        let Some(base) = std::env::var(var).ok().filter(|v| !v.trim().is_empty()) else {
            eprintln!(
                "SKIPPED {selector}: {var} is not set (eval \"$(bash scripts/test-dbs.sh)\")"
            );
            continue;
        };
        let ns = rt.block_on(async {
            match (dialect, &kind) {
                ("sqlite", _) => Namespace::sqlite(&base, cfg.sqlite_dir.as_deref()).await,
                ("postgres", Run::Plain) => Namespace::postgres(&base).await,
                ("postgres", _) => Namespace::postgres_database(&base).await,
                _ => Namespace::mysql(&base).await,
            }
        });
        let mut ns = match ns {
            Ok(ns) => ns,
            Err(e) => {
                eprintln!("{selector}: cannot make a fresh namespace: {e}");
                outcomes.push(Outcome {
                    label: selector.to_owned(),
                    result: Err(e),
                });
                continue;
            }
        };
        let target = match &kind {
            Run::Plain => Target::direct(ns.url.clone()),
            Run::ThroughPooler(pooler) => {
                let NsKind::PgDatabase { name, .. } = &ns.kind else {
                    unreachable!()
                };
                let through = with_database(pooler, name);
                ns.label = format!("{} via PgBouncer", ns.label);
                Target {
                    url: ns.url.clone(),
                    rust_url: through.clone(),
                    pooler_mode: true,
                    node_url: Some(through),
                }
            }
            Run::PoolerModeDirect => {
                ns.label = format!("{} direct, Rust in pooler mode", ns.label);
                Target {
                    url: ns.url.clone(),
                    rust_url: ns.url.clone(),
                    pooler_mode: true,
                    node_url: None,
                }
            }
        };
        eprintln!("{}: {}", ns.label, mask(&target.rust_url));
        let (c, n) = (cfg.clone(), node.clone());
        // A task of its own, so that a panic (say, a failed migration) still lets the namespace be
        // dropped below and the other dialects run.
        let task = match dialect {
            "sqlite" => rt.spawn(run_dialect::<Sqlite>(dialect, target, c, n)),
            "postgres" => rt.spawn(run_dialect::<Postgres>(dialect, target, c, n)),
            _ => rt.spawn(run_dialect::<MySql>(dialect, target, c, n)),
        };
        let result = rt.block_on(task).map_err(|e| match e.try_into_panic() {
            Ok(p) => p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into()),
            Err(e) => e.to_string(),
        });
        if let Err(e) = rt.block_on(ns.drop()) {
            eprintln!(
                "warning: could not drop {} ({}): {e}",
                ns.label,
                mask(&ns.url)
            );
        }
        outcomes.push(Outcome {
            label: ns.label,
            result,
        });
    }
    let load_after = loadavg();

    println!(
        "{}",
        report(
            &cfg,
            node.as_deref(),
            &outcomes,
            (&load_before, &load_after)
        )
    );
}
