// Guards: a raw fragment's template is a `&'static str`, so no run-time text (a value) can
// become SQL; values go in as bound arguments.
use auth_query::{prelude::*, sql};
use auth_schema::kysely::user;
use auth_schema::sql::Bool;

fn main() {
    let input = String::from("x' OR '1'='1");
    let template = format!("\"email\" = '{input}'");
    let _ = Postgres
        .select_from(user::table)
        .select(user::id)
        .filter(sql::<Bool, _>(&template, ()));
}
