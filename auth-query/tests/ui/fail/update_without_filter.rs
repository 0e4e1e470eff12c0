// Guards: an UPDATE without `filter` (or an explicit `all_rows()`) would touch every row.
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let q = Postgres.update(user::table).set(user::name, Some("Ada"));
    let _ = q.compile();
}
