// Guards: a bound value must have the column's SQL type.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = user::email.eq(42);
}
