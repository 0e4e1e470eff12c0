// Guards: `is_null()` exists only for nullable columns; on NOT NULL it is always false.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = user::email.is_null();
}
