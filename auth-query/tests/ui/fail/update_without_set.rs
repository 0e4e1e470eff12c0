// Guards (issue 9, 4): an UPDATE that sets nothing renders `SET  WHERE`; it does not compile.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let q = Postgres.update(user::table).filter(user::email.eq("a@b.c")).returning(user::id);
    let _ = q.compile();
}
