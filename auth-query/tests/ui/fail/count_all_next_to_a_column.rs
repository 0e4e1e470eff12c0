// Guards: COUNT(*) next to a column would need a GROUP BY, which the builder does not have.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select((user::email, count_all()));
}
