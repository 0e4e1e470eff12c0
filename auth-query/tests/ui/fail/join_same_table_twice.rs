// Guards: joining a table already in scope gives the custom message, not E0283 ambiguity.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(user::id))
        .left_join(account::table, account::user_id.eq_col(user::id));
}
