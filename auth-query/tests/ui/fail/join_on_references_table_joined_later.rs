// Guards: a join's ON sees the tables joined before it and the joined one, not later ones.
use auth_query::prelude::*;
use auth_schema::kysely::{account, session, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(session::user_id))
        .inner_join(session::table, session::user_id.eq_col(user::id));
}
