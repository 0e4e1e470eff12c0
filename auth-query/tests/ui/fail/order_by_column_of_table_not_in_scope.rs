// Guards: ORDER BY is scope-checked like WHERE.
use auth_query::prelude::*;
use auth_schema::kysely::{session, user};

fn main() {
    let _ = Sqlite
        .select_from(user::table)
        .select(user::email)
        .order_by(session::expires.desc());
}
