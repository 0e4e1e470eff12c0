// Guards (issue 9, 9): a compiled statement is not a raw-SQL path; its parts are read-only.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let mut c = Postgres.select_from(user::table).select(user::id).compile();
    c.sql = String::from("DROP TABLE \"User\"");
}
