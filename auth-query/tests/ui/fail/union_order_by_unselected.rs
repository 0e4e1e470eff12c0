// Guards: the ORDER BY of a whole UNION names a column of the first select.
use auth_query::prelude::*;
use auth_schema::kysely::{user, verification_token as vt};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select(user::email)
        .union(Postgres.select_from(vt::table).select(vt::identifier))
        .order_by(user::name);
}
