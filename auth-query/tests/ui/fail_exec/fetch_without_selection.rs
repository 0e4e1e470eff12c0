// Guards: fetching a SELECT that selects nothing; call `.select(...)` first.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn run(pool: &sqlx::SqlitePool) {
    let _ = Sqlite.select_from(user::table).fetch_all(pool);
}

fn main() {
    let _ = run;
}
