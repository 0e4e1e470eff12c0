// Guards: WHERE may only reference tables in FROM or a join.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select(user::email)
        .filter(account::provider.eq("github"));
}
