// Guards: a tuple selection is rejected when one of its columns is out of scope.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = Postgres
        .select_from(user::table)
        .select((user::email, account::provider));
}
