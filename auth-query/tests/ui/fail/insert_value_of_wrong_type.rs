// Guards: an inserted value must have the column's SQL type.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres.insert_into(user::table).value(user::email, 42);
}
