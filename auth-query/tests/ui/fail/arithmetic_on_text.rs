// Guards: arithmetic takes numeric expressions.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres.select_from(user::table).select(user::email.add(1i64));
}
