// Column by column: the second column is `text` on one side and a `uuid` on the other.
use auth_query::prelude::*;
use auth_schema::kysely::{session, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select((user::email, user::email))
        .union_all(Postgres.select_from(session::table).select((session::session_token, session::user_id)));
}
