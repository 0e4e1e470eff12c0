// Guards: HAVING needs GROUP BY.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let _ = Postgres
        .select_from(session::table)
        .select(count_all())
        .having(count_all().gt(1i64));
}
