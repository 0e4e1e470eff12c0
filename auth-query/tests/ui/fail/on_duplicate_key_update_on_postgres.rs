// Guards: `ON DUPLICATE KEY UPDATE` is MySQL only.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .insert_into(user::table)
        .value(user::id, "u1")
        .value(user::email, "a@b.c")
        .on_duplicate_key_update(user::id);
}
