// Guards: MySQL has no RETURNING (sea-query would silently drop it).
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let _ = MySql
        .delete_from(session::table)
        .filter(session::session_token.eq("t"))
        .returning(session::table.all());
}
