// Guards: MySQL has no conflict target; its upsert is `on_duplicate_key_update`.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = MySql
        .insert_into(user::table)
        .value(user::id, "u1")
        .value(user::email, "a@b.c")
        .on_conflict_do_update(user::email, user::id);
}
