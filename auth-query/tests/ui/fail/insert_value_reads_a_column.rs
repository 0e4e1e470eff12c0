// Guards: an INSERT value that is an expression may not read a column (VALUES has no row).
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Sqlite
        .insert_into(user::table)
        .value(user::id, "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10")
        .value(user::email, "a@b.c")
        .value(user::name, user::email.lower());
}
