// Guards: MySQL and MariaDB refuse LIMIT in an IN subquery, and a correlated one cannot be
// wrapped in a derived table there.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = MySql.select_from(user::table).select(user::email).filter(
        user::id.in_sub(
            MySql
                .subquery_from(account::table)
                .select(account::user_id)
                .filter(account::user_id.eq_col(user::id))
                .limit(1),
        ),
    );
}
