// Guards: an INSERT value may not be an aggregate.
use auth_query::prelude::*;
use auth_schema::kysely::authenticator;

fn main() {
    let _ = Postgres
        .insert_into(authenticator::table)
        .value(authenticator::counter, count_all());
}
