// Guards: in a grouped query, ORDER BY may use grouped columns and aggregates only.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let _ = Postgres
        .select_from(session::table)
        .group_by(session::user_id)
        .select((session::user_id, count_all()))
        .order_by(session::expires);
}
