// Guards: a conflict target must be a column of the statement's table.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Sqlite
        .insert_into(user::table)
        .value(user::email, "a@b.c")
        .on_conflict_do_nothing(account::provider);
}
