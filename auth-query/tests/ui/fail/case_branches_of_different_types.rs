// Guards: every CASE branch has the SQL type of the first.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres.select_from(user::table).select(
        case_when(user::name.is_null(), "anonymous").when(user::email.like("%@x.io"), 1i64),
    );
}
