// Guards: selections are tuples of up to 16; the message says so.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let e = user::email;
    let _ = Postgres
        .select_from(user::table)
        .select((e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e));
}
