#!/usr/bin/env node
// The Node side of the interop tests in tests/interop.rs: the real `@auth/kysely-adapter` on the
// same database as the Rust `SqlAdapter<D, auth_schema::kysely::Schema>`.
//
//   node interop.mjs <dialect> <url> write <json-file>
//       Creates a user (emailVerified with milliseconds), links an account (every token field,
//       numeric expires_at), creates a session and a verification token through KyselyAdapter,
//       and writes what it created to <json-file>:
//       {"user": ..., "account": ..., "session": ..., "verificationToken": ...}, dates as ISO strings.
//   node interop.mjs <dialect> <url> read <json-file>
//       Reads those four objects (written by Rust) from <json-file> and reads each back through
//       the adapter (getUser, getUserByEmail, getUserByAccount, getSessionAndUser,
//       useVerificationToken; the Account row with a plain Kysely select, as the adapter has no
//       getAccount). Prints what it read as JSON; exits 1 with a field-by-field diff on mismatch.
//
// <dialect> / <url> (opened by db.mjs):
//   postgres  postgres://user:pass@host:port/db[?options=-c%20search_path%3D<schema>]  (pg Pool)
//   mysql     mysql://user:pass@host:port/db                                          (mysql2 pool)
//   sqlite    a file path, or sqlite://<path> / file:<path>           (libsql Database, SqliteDialect)
//
// Driver settings that matter for sharing a database with Rust:
//   - MySQL: mysql2 is configured with `timezone: 'Z'`. The Rust adapter stores DATETIME(3) as UTC
//     wall-clock time; mysql2's default ('local') would write and read the Node process's local
//     time, which is off by the UTC offset unless the process runs with TZ=UTC. A Node app sharing
//     the database with Rust must do the same (`timezone: 'Z'` or TZ=UTC).
//   - MySQL: `supportBigNumbers: true, bigNumberStrings: false` returns BIGINT (expires_at) as a JS
//     number (a string only beyond 2^53). pg returns int8 as a string by default; this script
//     accepts an integer string for expires_at and says so in its output.
//   - SQLite: the adapter itself converts dates (toISOString on write; ISO-looking strings become
//     Dates on read), so dates must be stored as `YYYY-MM-DDTHH:MM:SS.sssZ` text.
import { readFile, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { KyselyAdapter } from "@auth/kysely-adapter";
import { openKysely } from "./db.mjs";

const USAGE = "usage: node interop.mjs <postgres|mysql|sqlite> <url> <write|read> <json-file>";

function fail(message) {
  console.error(`interop.mjs: ${message}`);
  process.exit(2);
}

// ------------------------------------------------------------------------------------ write --

async function write(adapter, file) {
  const tag = randomUUID().slice(0, 8);
  const user = await adapter.createUser({
    id: randomUUID(), // overwritten by the adapter with a fresh UUID v4
    name: `Zoë "Node" O'Neil ${tag}`,
    email: `node-${tag}@example.com`,
    emailVerified: new Date("2024-02-29T23:59:59.987Z"),
    image: "https://example.com/node.png",
  });
  const account = await adapter.linkAccount({
    userId: user.id,
    type: "oidc",
    provider: "node-oidc",
    providerAccountId: `node-${tag}`,
    refresh_token: `1//node-refresh-${tag}`,
    access_token: `ya29.node-access-${tag}`,
    expires_at: 1893456000, // 2030-01-01T00:00:00Z, Unix seconds
    token_type: "bearer",
    scope: "openid email profile",
    id_token: `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub2RlIn0.${tag}`,
    session_state: `state-${tag}`,
  });
  const session = await adapter.createSession({
    sessionToken: `node-session-${tag}`,
    userId: user.id,
    expires: new Date("2031-05-06T07:08:09.123Z"),
  });
  const verificationToken = await adapter.createVerificationToken({
    identifier: user.email,
    token: `node-token-${tag}`,
    expires: new Date("2031-05-06T07:08:09.456Z"),
  });
  const out = { user, account, session, verificationToken };
  // JSON.stringify turns every Date into toISOString().
  await writeFile(file, JSON.stringify(out, null, 2) + "\n");
  console.log(JSON.stringify(out, null, 2));
}

// ------------------------------------------------------------------------------------- read --

const DATE_FIELDS = new Set(["emailVerified", "expires"]);
const INTEGER_FIELDS = new Set(["expires_at"]);

/**
 * Turns what the adapter returned into plain JSON, checking the JS types Auth.js relies on:
 * date fields must be Date objects (or null), expires_at a number. Problems are pushed to `notes`
 * (type errors) and end up in the diff.
 */
function normalizeActual(value, path, notes) {
  if (value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map((v, i) => normalizeActual(v, `${path}[${i}]`, notes));
  if (typeof value !== "object") return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    const p = `${path}.${key}`;
    if (DATE_FIELDS.has(key)) {
      if (v === null) out[key] = null;
      else if (v instanceof Date && !Number.isNaN(v.valueOf())) out[key] = v.toISOString();
      else out[key] = { notADate: v, type: typeof v };
    } else if (INTEGER_FIELDS.has(key)) {
      if (typeof v === "string" && /^-?\d+$/.test(v)) {
        notes.push(`${p}: the driver returned BIGINT as the string ${JSON.stringify(v)}; compared as a number`);
        out[key] = Number(v);
      } else out[key] = v;
    } else if (v instanceof Date) {
      out[key] = { unexpectedDate: v.toISOString() };
    } else {
      out[key] = normalizeActual(v, p, notes);
    }
  }
  return out;
}

/** Expected values from Rust's JSON: date strings re-rendered as toISOString() (3 digits, Z). */
function normalizeExpected(value, path) {
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    if (DATE_FIELDS.has(key) && typeof v === "string") {
      const d = new Date(v);
      if (Number.isNaN(d.valueOf())) fail(`${path}.${key}: ${JSON.stringify(v)} is not a date`);
      out[key] = d.toISOString();
    } else out[key] = normalizeExpected(v, `${path}.${key}`);
  }
  return out;
}

function diff(expected, actual, path, out) {
  const isObj = (x) => x !== null && typeof x === "object";
  if (isObj(expected) && isObj(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of [...keys].sort()) {
      if (!(k in actual)) out.push(`${path}.${k}: missing (expected ${JSON.stringify(expected[k])})`);
      else if (!(k in expected)) out.push(`${path}.${k}: unexpected key (got ${JSON.stringify(actual[k])})`);
      else diff(expected[k], actual[k], `${path}.${k}`, out);
    }
  } else if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

async function read(db, adapter, file) {
  let input;
  try {
    input = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  for (const k of ["user", "account", "session", "verificationToken"]) {
    if (!input[k]) fail(`${file} has no "${k}" object`);
  }
  const user = normalizeExpected(input.user, "user");
  const account = normalizeExpected(input.account, "account");
  const session = normalizeExpected(input.session, "session");
  const token = normalizeExpected(input.verificationToken, "verificationToken");

  const checks = [
    ["getUser", () => adapter.getUser(user.id), user],
    ["getUserByEmail", () => adapter.getUserByEmail(user.email), user],
    [
      "getUserByAccount",
      () => adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId }),
      user,
    ],
    [
      // The Kysely adapter has no getAccount: read the row the way it would be read.
      "Account row (selectAll)",
      () =>
        db
          .selectFrom("Account")
          .selectAll()
          .where("provider", "=", account.provider)
          .where("providerAccountId", "=", account.providerAccountId)
          .executeTakeFirst()
          .then((r) => r ?? null),
      account,
    ],
    ["getSessionAndUser", () => adapter.getSessionAndUser(session.sessionToken), { session, user }],
    [
      "useVerificationToken",
      () => adapter.useVerificationToken({ identifier: token.identifier, token: token.token }),
      token,
    ],
    [
      "useVerificationToken (again: consumed)",
      () => adapter.useVerificationToken({ identifier: token.identifier, token: token.token }),
      null,
    ],
  ];

  const results = {};
  const problems = [];
  const notes = [];
  for (const [name, call, expected] of checks) {
    let actual;
    try {
      actual = normalizeActual(await call(), name, notes);
    } catch (e) {
      problems.push(`${name}: threw ${e.stack ?? e}`);
      continue;
    }
    results[name] = actual;
    const d = [];
    diff(expected, actual, name, d);
    problems.push(...d);
  }
  console.log(JSON.stringify({ ok: problems.length === 0, notes, results }, null, 2));
  if (problems.length > 0) {
    console.error(`interop.mjs read: ${problems.length} mismatch(es) between Rust's rows and @auth/kysely-adapter:`);
    for (const p of problems) console.error(`  - ${p}`);
    return false;
  }
  return true;
}

// ------------------------------------------------------------------------------------- main --

const [dialect, url, mode, file] = process.argv.slice(2);
if (!dialect || !url || !mode || !file) fail(USAGE);
if (mode !== "write" && mode !== "read") fail(`unknown mode ${JSON.stringify(mode)}\n${USAGE}`);

const db = openKysely(dialect, url, (m) => fail(`${m}\n${USAGE}`));
const adapter = KyselyAdapter(db);
let ok = false;
try {
  if (mode === "write") {
    await write(adapter, file);
    ok = true;
  } else {
    ok = await read(db, adapter, file);
  }
} catch (e) {
  console.error(`interop.mjs ${mode} on ${dialect} failed: ${e.stack ?? e}`);
} finally {
  await db.destroy();
}
process.exit(ok ? 0 : 1);
