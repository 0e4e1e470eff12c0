// Guards: `table.all()` of a table that is not in FROM or a join.
use auth_query::prelude::*;
use auth_schema::kysely::{session, user};

fn main() {
    let _ = Sqlite.select_from(user::table).select(session::table.all());
}
