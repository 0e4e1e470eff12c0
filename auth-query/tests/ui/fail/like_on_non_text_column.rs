// Guards: LIKE needs a text column.
use auth_query::prelude::*;
use auth_schema::kysely::account;

fn main() {
    let _ = account::expires_at.like(5);
}
