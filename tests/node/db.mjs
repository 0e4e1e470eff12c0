// Kysely on the test databases, as tests/node/*.mjs open them (see interop.mjs's header for the
// driver settings that matter when sharing a database with the Rust adapter).
//
//   postgres  postgres://user:pass@host:port/db[?options=-c%20search_path%3D<schema>]  (pg Pool)
//   mysql     mysql://user:pass@host:port/db                                          (mysql2 pool)
//   sqlite    a file path, or sqlite://<path> / file:<path>           (libsql Database, SqliteDialect)
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { createPool } from "mysql2";
import Database from "libsql";

function sqlitePath(url, fail) {
  let path = url.replace(/^sqlite:(\/\/)?/, "").replace(/^file:(\/\/)?/, "");
  const q = path.indexOf("?");
  if (q >= 0) path = path.slice(0, q);
  if (!path) fail(`no SQLite file in ${JSON.stringify(url)}`);
  return path;
}

/** Kysely on `url` for `dialect`; `fail(message)` is called (and must not return) on bad input. */
export function openKysely(dialect, url, fail) {
  switch (dialect) {
    case "postgres":
      return new Kysely({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
      });
    case "mysql":
      return new Kysely({
        dialect: new MysqlDialect({
          pool: createPool({
            uri: url,
            connectionLimit: 2,
            // UTC wall-clock in DATETIME, as the Rust side stores it.
            timezone: "Z",
            supportBigNumbers: true,
            bigNumberStrings: false,
          }),
        }),
      });
    case "sqlite":
      return new Kysely({
        dialect: new SqliteDialect({ database: new Database(sqlitePath(url, fail)) }),
      });
    default:
      fail(`unknown dialect ${JSON.stringify(dialect)}`);
  }
}
