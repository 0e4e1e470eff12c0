// Guards: in a grouped query, a selected column must be grouped or aggregated.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let _ = Postgres
        .select_from(session::table)
        .group_by(session::user_id)
        .select((session::user_id, session::session_token, count_all()));
}
