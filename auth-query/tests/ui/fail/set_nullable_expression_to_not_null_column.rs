// Guards: a SET of an expression that may be NULL into a NOT NULL column (it would fail, or on
// MySQL outside strict mode store an empty string, for every row where it is NULL).
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .update(user::table)
        .set(user::email, user::name)
        .filter(user::id.eq("2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10"));
}
