// Guards: a left-joined column decodes as `Option`, so it cannot be taken as `String`.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let q = Postgres
        .select_from(user::table)
        .left_join(account::table, account::user_id.eq_col(user::id))
        .select((user::email, account::provider));
    let _: Select<Postgres, _, (String, String)> = q;
}
