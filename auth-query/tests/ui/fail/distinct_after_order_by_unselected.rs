// Guards: the DISTINCT check holds whichever comes first, `order_by` or `distinct`.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = MySql
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(user::id))
        .order_by(account::provider)
        .select(user::table.all())
        .distinct();
}
