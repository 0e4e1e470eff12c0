// Guards: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .left_join(account::table, account::user_id.eq_col(user::id))
        .select(user::email)
        .for_update();
}
