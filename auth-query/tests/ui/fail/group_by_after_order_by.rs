// Guards: an ORDER BY written before `group_by` would escape the grouping check.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let _ = Postgres
        .select_from(session::table)
        .order_by(session::expires)
        .group_by(session::user_id)
        .select(session::user_id);
}
