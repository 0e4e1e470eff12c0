// Guards: UNION combines selects with the same row type.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select(user::email)
        .union(Postgres.select_from(account::table).select(account::expires_at));
}
