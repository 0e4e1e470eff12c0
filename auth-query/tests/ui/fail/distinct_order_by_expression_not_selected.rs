// Guards: a DISTINCT query sorts by the very expressions it selects, not by others built on them.
use auth_query::prelude::*;
use auth_schema::kysely::account;

fn main() {
    let _ = Sqlite
        .select_from(account::table)
        .select(account::provider)
        .distinct()
        .order_by(account::provider.lower().desc());
}
