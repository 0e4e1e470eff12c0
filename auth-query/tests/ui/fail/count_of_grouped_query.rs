// Guards: `count()` counts the rows of a query without GROUP BY.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let _ = Postgres
        .select_from(session::table)
        .group_by(session::user_id)
        .select(session::user_id)
        .count();
}
