// Guards (issue 9, 3): a column-wise INSERT must give every NOT NULL column without a default.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let q = Sqlite.insert_into(session::table).value(session::session_token, "t");
    let _ = q.compile();
}
