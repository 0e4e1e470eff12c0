// Guards: a Postgres query (with `$1` placeholders) must not run on a SQLite pool.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn run(pool: &sqlx::SqlitePool) {
    let q = Postgres.select_from(user::table).select(user::email);
    let _ = q.fetch_all(pool);
}

fn main() {
    let _ = run;
}
