// Guards: one alias joined twice is the same table twice.
use auth_query::prelude::*;
use auth_schema::kysely::user;

auth_query::alias! {
    pub other = user::table;
}

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .inner_join(other, other.col(user::id).eq_col(user::id))
        .inner_join(other, other.col(user::id).eq_col(user::id))
        .select(user::id);
}
