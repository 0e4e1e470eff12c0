// Guards: SQLite has no row locks.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let _ = Sqlite.select_from(session::table).select(session::user_id).for_update();
}
