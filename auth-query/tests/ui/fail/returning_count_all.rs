// Guards: RETURNING cannot aggregate; `RETURNING COUNT(*)` is rejected by Postgres and SQLite.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let _ = Sqlite
        .delete_from(session::table)
        .filter(session::user_id.eq("u1"))
        .returning(count_all());
}
