// Guards: an `IN` subquery selects exactly one column.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres.select_from(user::table).select(user::id).filter(user::id.in_sub(
        Postgres.select_from(account::table).select((account::user_id, account::provider)),
    ));
}
