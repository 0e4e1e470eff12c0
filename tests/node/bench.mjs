#!/usr/bin/env node
// The Node side of the throughput benchmark in benches/throughput.rs: the real
// `@auth/kysely-adapter` on the same database, schema and rows as the Rust
// `SqlAdapter<D, auth_schema::kysely::Schema>`, measured the same way. The Rust bench starts this
// script as a child process, after seeding, and stays idle while it runs.
//
//   node bench.mjs <dialect> <url> <keys-file> [options]
//
//   <keys-file>  JSON written by the Rust side: the seeded keys both sides draw from,
//                {"sessionTokens": ["…", …], "accounts": [{"provider": "…", "providerAccountId": "…"}, …]}
//
//   options (defaults in brackets; the Rust side always passes its own values):
//     --duration S       seconds per timed repetition [5]
//     --warmup S         untimed seconds before each operation's repetitions [1]
//     --reps N           timed repetitions per operation [3]
//     --concurrency N    async workers, i.e. calls in flight [16]
//     --pool N           pg / mysql2 pool size [16] (SQLite: see below)
//     --ops A,B          operations to time, among getSessionAndUser,getUserByAccount [both]
//     --race-rounds N    token race rounds, 0 to skip [20]
//     --race-callers N   concurrent useVerificationToken calls per round [32]
//
// What it does, per operation: a warm-up of `--warmup` seconds (pools fill, V8 optimises), then
// `--reps` windows of `--duration` seconds. In a window, `--concurrency` async workers each loop
// `await adapter.<op>(random key)` until the deadline. Each window reports the calls completed,
// the wall time until the last worker finished, and the process's CPU time over the window
// (process.cpuUsage() delta: user + system, every thread of the process: the main thread, libuv's
// pool, V8's GC helpers). Then the token race: each round creates one verification token and fires
// `--race-callers` concurrent useVerificationToken calls on it, counting the callers that got it.
//
// Prints one JSON object on stdout (progress goes to stderr):
//   {"node": "v20…", "versions": {…}, "dialect", "pool", "concurrency",
//    "ops": {"getSessionAndUser": {"reps": [{"calls", "misses", "errors", "seconds",
//             "cpuMicros", "firstError"}, …]}, …},
//    "race": {"rounds", "callers", "winners": [per round], "errors", "firstError"}}
// A miss is a call that returned null for a seeded key (it should never happen); an error is a
// call that threw. Neither stops the run; the Rust side reports them.
//
// <dialect> / <url>, and the driver settings, exactly as in interop.mjs:
//   postgres  postgres://user:pass@host:port/db[?options=-c%20search_path%3D<schema>]  (pg Pool, max = --pool)
//   mysql     mysql://user:pass@host:port/db   (mysql2 pool, connectionLimit = --pool, timezone 'Z')
//   sqlite    a file path, or sqlite://<path> / file:<path>           (libsql Database, SqliteDialect)
// On SQLite there is no pool: Kysely's SqliteDialect runs every query on its one connection, one at
// a time, and libsql's calls are synchronous (they block the event loop while SQLite works). The
// workers still keep `--concurrency` calls in flight, but only one executes at a time.
import { readFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from "kysely";
import { KyselyAdapter } from "@auth/kysely-adapter";
import pg from "pg";
import { createPool } from "mysql2";
import Database from "libsql";

const USAGE =
  "usage: node bench.mjs <postgres|mysql|sqlite> <url> <keys-file> [--duration S] [--warmup S] [--reps N] " +
  "[--concurrency N] [--pool N] [--ops getSessionAndUser,getUserByAccount] [--race-rounds N] [--race-callers N]";

function fail(message) {
  console.error(`bench.mjs: ${message}`);
  process.exit(2);
}

function sqlitePath(url) {
  let path = url.replace(/^sqlite:(\/\/)?/, "").replace(/^file:(\/\/)?/, "");
  const q = path.indexOf("?");
  if (q >= 0) path = path.slice(0, q);
  if (!path) fail(`no SQLite file in ${JSON.stringify(url)}`);
  return path;
}

function openKysely(dialect, url, poolSize) {
  switch (dialect) {
    case "postgres":
      return new Kysely({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: poolSize }) }),
      });
    case "mysql":
      return new Kysely({
        dialect: new MysqlDialect({
          pool: createPool({
            uri: url,
            connectionLimit: poolSize,
            // UTC wall-clock in DATETIME, as the Rust side stores it (see interop.mjs).
            timezone: "Z",
            supportBigNumbers: true,
            bigNumberStrings: false,
          }),
        }),
      });
    case "sqlite":
      return new Kysely({
        dialect: new SqliteDialect({ database: new Database(sqlitePath(url)) }),
      });
    default:
      fail(`unknown dialect ${JSON.stringify(dialect)}\n${USAGE}`);
  }
}

// ---------------------------------------------------------------------------------- options --

function parseArgs(argv) {
  const [dialect, url, keysFile, ...rest] = argv;
  if (!dialect || !url || !keysFile) fail(USAGE);
  const opts = {
    duration: 5,
    warmup: 1,
    reps: 3,
    concurrency: 16,
    pool: 16,
    ops: ["getSessionAndUser", "getUserByAccount"],
    raceRounds: 20,
    raceCallers: 32,
  };
  const names = {
    "--duration": "duration",
    "--warmup": "warmup",
    "--reps": "reps",
    "--concurrency": "concurrency",
    "--pool": "pool",
    "--ops": "ops",
    "--race-rounds": "raceRounds",
    "--race-callers": "raceCallers",
  };
  for (let i = 0; i < rest.length; i++) {
    let [flag, value] = rest[i].split(/=(.*)/s);
    if (value === undefined) value = rest[++i];
    const key = names[flag];
    if (!key || value === undefined) fail(`bad option ${JSON.stringify(rest[i])}\n${USAGE}`);
    if (key === "ops") {
      opts.ops = value.split(",").filter(Boolean);
      for (const op of opts.ops) if (!(op in OPERATIONS)) fail(`unknown operation ${JSON.stringify(op)}`);
    } else {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) fail(`${flag} takes a non-negative number, not ${JSON.stringify(value)}`);
      opts[key] = n;
    }
  }
  for (const k of ["concurrency", "pool", "raceCallers"]) opts[k] = Math.max(1, Math.floor(opts[k]));
  opts.reps = Math.floor(opts.reps);
  opts.raceRounds = Math.floor(opts.raceRounds);
  return { dialect, url, keysFile, opts };
}

// ------------------------------------------------------------------------------- operations --

/** The timed operations: each takes a random key and returns what the adapter returned. */
const OPERATIONS = {
  getSessionAndUser: (adapter, keys, i) => adapter.getSessionAndUser(keys.sessionTokens[i]),
  getUserByAccount: (adapter, keys, i) => adapter.getUserByAccount(keys.accounts[i]),
};

/**
 * Runs `concurrency` workers calling `op` on random keys for `seconds`; returns the window's
 * calls, misses, errors, wall time and process CPU time.
 */
async function window(adapter, keys, op, seconds, concurrency) {
  const n = keys.sessionTokens.length;
  const call = OPERATIONS[op];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  // The deadline is checked in each worker's loop, not with a timer: with libsql every call
  // resolves through microtasks only, so a setTimeout could not fire until the workers stop.
  const worker = async () => {
    const tally = { calls: 0, misses: 0, errors: 0, firstError: null };
    while (performance.now() < deadline) {
      try {
        const result = await call(adapter, keys, Math.floor(Math.random() * n));
        tally.calls++;
        if (result == null) tally.misses++;
      } catch (e) {
        tally.errors++;
        tally.firstError ??= String(e?.stack ?? e);
      }
    }
    return tally;
  };
  const tallies = await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const total = { calls: 0, misses: 0, errors: 0, seconds: elapsed, cpuMicros: cpu.user + cpu.system, firstError: null };
  for (const t of tallies) {
    total.calls += t.calls;
    total.misses += t.misses;
    total.errors += t.errors;
    total.firstError ??= t.firstError;
  }
  return total;
}

async function race(adapter, rounds, callers) {
  const out = { rounds, callers, winners: [], errors: 0, firstError: null };
  const tag = randomUUID().slice(0, 8);
  for (let round = 0; round < rounds; round++) {
    const vt = {
      identifier: `race-node-${tag}-${round}@example.com`,
      token: randomUUID(),
      expires: new Date(Date.now() + 86_400_000),
    };
    try {
      await adapter.createVerificationToken(vt);
    } catch (e) {
      out.errors++;
      out.firstError ??= `createVerificationToken: ${e?.stack ?? e}`;
      out.winners.push(0);
      continue;
    }
    // All calls start in this tick; the pool decides how many reach the database at once.
    const settled = await Promise.allSettled(
      Array.from({ length: callers }, () => adapter.useVerificationToken({ identifier: vt.identifier, token: vt.token })),
    );
    let winners = 0;
    for (const s of settled) {
      if (s.status === "fulfilled") {
        if (s.value != null) winners++;
      } else {
        out.errors++;
        out.firstError ??= String(s.reason?.stack ?? s.reason);
      }
    }
    out.winners.push(winners);
  }
  return out;
}

async function versions() {
  const out = {};
  for (const name of ["@auth/kysely-adapter", "kysely", "pg", "mysql2", "libsql"]) {
    try {
      const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
      out[name] = JSON.parse(await readFile(url, "utf8")).version;
    } catch {
      out[name] = "?";
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------- main --

const { dialect, url, keysFile, opts } = parseArgs(process.argv.slice(2));
let keys;
try {
  keys = JSON.parse(await readFile(keysFile, "utf8"));
} catch (e) {
  fail(`cannot read ${keysFile}: ${e.message}`);
}
if (!keys.sessionTokens?.length || keys.accounts?.length !== keys.sessionTokens.length) {
  fail(`${keysFile}: expected as many "sessionTokens" as "accounts", at least one`);
}

const db = openKysely(dialect, url, opts.pool);
const adapter = KyselyAdapter(db);
const report = {
  node: process.version,
  versions: await versions(),
  dialect,
  pool: dialect === "sqlite" ? 1 : opts.pool,
  concurrency: opts.concurrency,
  ops: {},
  race: null,
};
let ok = false;
try {
  for (const op of opts.ops) {
    if (opts.warmup > 0) await window(adapter, keys, op, opts.warmup, opts.concurrency);
    const reps = [];
    for (let r = 0; r < opts.reps; r++) {
      const w = await window(adapter, keys, op, opts.duration, opts.concurrency);
      reps.push(w);
      const perSec = w.calls / w.seconds;
      const cpu = w.calls ? w.cpuMicros / w.calls : NaN;
      console.error(
        `  node ${dialect} ${op} rep ${r + 1}/${opts.reps}: ${perSec.toFixed(0)} ops/s, ` +
          `${cpu.toFixed(1)} µs CPU/call` +
          (w.errors || w.misses ? ` (${w.errors} errors, ${w.misses} misses)` : ""),
      );
    }
    report.ops[op] = { reps };
  }
  if (opts.raceRounds > 0) {
    report.race = await race(adapter, opts.raceRounds, opts.raceCallers);
    const multi = report.race.winners.filter((w) => w > 1).length;
    console.error(`  node ${dialect} token race: ${multi} of ${opts.raceRounds} rounds with more than one winner`);
  }
  ok = true;
} catch (e) {
  console.error(`bench.mjs on ${dialect} failed: ${e.stack ?? e}`);
} finally {
  await db.destroy();
}
if (ok) console.log(JSON.stringify(report));
process.exit(ok ? 0 : 1);
