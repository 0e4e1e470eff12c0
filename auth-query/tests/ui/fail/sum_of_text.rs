// Guards: SUM and AVG take numeric expressions.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres.select_from(user::table).select(sum(user::email));
}
