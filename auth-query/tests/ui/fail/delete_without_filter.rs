// Guards: a DELETE without `filter` (or an explicit `all_rows()`) would delete every row.
use auth_query::prelude::*;
use auth_schema::kysely::session;

fn main() {
    let q = Sqlite.delete_from(session::table);
    let _ = q.compile();
}
