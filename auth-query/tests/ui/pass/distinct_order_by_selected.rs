// DISTINCT with ORDER BY what it selects: a column, a column through `table.all()`, an
// expression, in any order of calls.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select((user::email, user::name))
        .distinct()
        .order_by(user::name.desc());
    let _ = Postgres
        .select_from(user::table)
        .order_by(user::name)
        .distinct()
        .select(user::table.all());
    let _ = Sqlite
        .select_from(account::table)
        .select((account::provider, account::provider.lower()))
        .order_by(account::provider.lower())
        .distinct();
    let _ = MySql
        .select_from(account::table)
        .group_by(account::provider)
        .select((account::provider, count_all()))
        .distinct()
        .order_by(count_all());
}

// A UNION of counts, sorted by the count.
fn _counts() {
    use auth_schema::kysely::session;
    let _ = Postgres
        .select_from(user::table)
        .count()
        .union_all(Postgres.select_from(session::table).count())
        .order_by(count_all().desc());
}
