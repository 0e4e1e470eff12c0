// A `uuid` id and a `text` column both decode to `String`, but PostgreSQL cannot combine them.
use auth_query::prelude::*;
use auth_schema::kysely::{user, verification_token as vt};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select(user::id)
        .union(Postgres.select_from(vt::table).select(vt::identifier));
}
