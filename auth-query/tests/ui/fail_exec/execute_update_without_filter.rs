// Guards: executing an UPDATE that has neither `filter` nor `all_rows()` (a method-level bound, so
// the message is not lost in an E0599).
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn run(pool: &sqlx::SqlitePool) {
    let q = Sqlite.update(user::table).set(user::name, Some("Ada"));
    let _ = q.execute(pool);
}

fn main() {
    let _ = run;
}
