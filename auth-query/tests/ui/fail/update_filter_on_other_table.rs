// Guards: an UPDATE's WHERE may only use columns of the updated table.
use auth_query::prelude::*;
use auth_schema::kysely::{session, user};

fn main() {
    let _ = Postgres
        .update(user::table)
        .set(user::name, Some("Ada"))
        .filter(session::session_token.eq("t"));
}
