// Guards: SET may only name columns of the updated table.
use auth_query::prelude::*;
use auth_schema::kysely::{session, user};

fn main() {
    let _ = Postgres
        .update(user::table)
        .set(session::session_token, "t")
        .filter(user::id.eq("u1"));
}
