// Guards: MySQL has no NULLS FIRST / NULLS LAST.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = MySql
        .select_from(user::table)
        .select(user::id)
        .order_by(user::name.asc().nulls_last());
}
