// Guards: an aggregate cannot be a GROUP BY key (every dialect refuses it).
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = Sqlite.select_from(user::table).group_by(count_all()).select(count_all());
}
