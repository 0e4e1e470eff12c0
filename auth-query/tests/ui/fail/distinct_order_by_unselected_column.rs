// Guards: a DISTINCT query sorts only by what it selects (PostgreSQL and MySQL refuse the rest).
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select((user::email, user::image))
        .distinct()
        .order_by(user::name.desc());
}
