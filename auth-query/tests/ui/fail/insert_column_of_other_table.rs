// Guards: INSERT may only name columns of the target table.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres
        .insert_into(user::table)
        .value(user::email, "a@b.c")
        .value(account::provider, "github");
}
