// Guards: `is_null()` on a NOT NULL column of a table that is not left-joined is always false.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select(user::id)
        .filter(user::email.is_null());
}
