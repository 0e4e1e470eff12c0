// Guards: a UNION of `count()` queries selects the count only, so it sorts by nothing else.
use auth_query::prelude::*;
use auth_schema::kysely::{session, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .count()
        .union_all(Postgres.select_from(session::table).count())
        .order_by(user::email);
}
