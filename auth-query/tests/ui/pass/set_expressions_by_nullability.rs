// SET from expressions: NOT NULL into a nullable column, and a nullable one into a NOT NULL
// column once it has a fallback.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let id = "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10";
    let _ = Postgres.update(user::table).set(user::name, user::email).filter(user::id.eq(id));
    let _ = Postgres
        .update(user::table)
        .set(user::email, coalesce(user::name, value("nobody@example.com")))
        .filter(user::id.eq(id));
}
