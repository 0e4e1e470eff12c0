// Guards: COALESCE's fallback has the expression's SQL type.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres.select_from(user::table).select(coalesce(user::name, 42i64));
}
