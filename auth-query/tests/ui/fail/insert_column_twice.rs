// Guards (issue 9, 5): the same column given twice in one INSERT.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .insert_into(user::table)
        .value(user::email, "a@b.c")
        .value(user::email, "c@d.e");
}
