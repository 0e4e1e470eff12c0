// Guards: NULL (`None`) can only be written to a nullable column.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .update(user::table)
        .set(user::email, None::<String>)
        .filter(user::id.eq("u1"));
}
