// Guards: a nullable column decodes as `Option`; decoding into `String` would fail on NULL.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let q = Sqlite.select_from(user::table).select(user::name);
    let _: Select<Sqlite, _, String> = q;
}
