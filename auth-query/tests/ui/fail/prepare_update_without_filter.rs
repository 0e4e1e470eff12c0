// Guards: preparing an UPDATE that has neither `filter` nor `all_rows()`.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .update(user::table)
        .set(user::name, Some("Ada"))
        .prepare();
}
