#!/usr/bin/env node
// The Node side of tests/axum.rs: a user signed in through the real `@auth/kysely-adapter`, as a
// Next.js app on Auth.js with database sessions leaves it.
//
//   node sessions.mjs <dialect> <url> <json-file>
//       Creates a user (with `role: "admin"`, an extra User column the test schema declares), a
//       session that expires in 30 days and one that expired an hour ago, and writes
//       {"user": ..., "session": ..., "expiredSession": ...} to <json-file> (dates as ISO strings).
//
// <dialect> / <url>: as in interop.mjs (see db.mjs).
import { writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { KyselyAdapter } from "@auth/kysely-adapter";
import { openKysely } from "./db.mjs";

const USAGE = "usage: node sessions.mjs <postgres|mysql|sqlite> <url> <json-file>";

function fail(message) {
  console.error(`sessions.mjs: ${message}\n${USAGE}`);
  process.exit(2);
}

const [dialect, url, file] = process.argv.slice(2);
if (!dialect || !url || !file) fail("missing arguments");

const db = openKysely(dialect, url, fail);
const adapter = KyselyAdapter(db);
let ok = false;
try {
  const tag = randomUUID().slice(0, 8);
  // The adapter inserts every key it is given: `role` lands in the extra column.
  const user = await adapter.createUser({
    id: randomUUID(),
    name: `Ada Lovelace ${tag}`,
    email: `ada-${tag}@example.com`,
    emailVerified: null,
    image: null,
    role: "admin",
  });
  const session = await adapter.createSession({
    sessionToken: randomUUID(),
    userId: user.id,
    expires: new Date(Date.now() + 30 * 24 * 3600 * 1000),
  });
  const expiredSession = await adapter.createSession({
    sessionToken: randomUUID(),
    userId: user.id,
    expires: new Date(Date.now() - 3600 * 1000),
  });
  const out = { user, session, expiredSession };
  await writeFile(file, JSON.stringify(out, null, 2) + "\n");
  console.log(JSON.stringify(out, null, 2));
  ok = true;
} catch (e) {
  console.error(`sessions.mjs on ${dialect} failed: ${e.stack ?? e}`);
} finally {
  await db.destroy();
}
process.exit(ok ? 0 : 1);
