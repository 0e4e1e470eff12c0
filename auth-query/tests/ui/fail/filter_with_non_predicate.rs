// Guards: WHERE takes a boolean condition, not a bare column.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select(user::id)
        .filter(user::email);
}
