// Guards: `IN (SELECT ...)` compares values of one SQL type.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres.select_from(user::table).select(user::id).filter(
        user::email.in_sub(Postgres.select_from(account::table).select(account::expires_at)),
    );
}
