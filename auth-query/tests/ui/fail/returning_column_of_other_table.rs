// Guards: RETURNING is a selection over the statement's table only.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres
        .insert_into(user::table)
        .value(user::email, "a@b.c")
        .returning((user::id, account::provider));
}
