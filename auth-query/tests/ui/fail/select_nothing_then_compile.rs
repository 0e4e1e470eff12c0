// Guards: a SELECT with nothing selected would render `SELECT  FROM ...`.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Sqlite
        .select_from(user::table)
        .filter(user::email.eq("a@b.c"))
        .compile();
}
