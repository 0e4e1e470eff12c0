// Guards (issue 9, 6): an ON CONFLICT target must be a primary or unique key.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Sqlite
        .insert_into(user::table)
        .value(user::id, "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10")
        .value(user::email, "a@b.c")
        .on_conflict_do_update(user::name, user::email);
}
