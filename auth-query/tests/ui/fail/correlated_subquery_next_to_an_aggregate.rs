// Guards: a correlated subquery reads the outer row, so next to an aggregate without GROUP BY it
// is refused by PostgreSQL and answered from an arbitrary row by MySQL and SQLite.
use auth_query::prelude::*;
use auth_schema::kysely::{session, user};

fn main() {
    let _ = Postgres.select_from(user::table).select((
        count_all(),
        scalar(
            Postgres
                .subquery_from(session::table)
                .select(count_all())
                .filter(session::user_id.eq_col(user::id)),
        ),
    ));
}
