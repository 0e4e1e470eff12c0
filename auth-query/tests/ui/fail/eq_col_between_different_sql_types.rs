// Guards: column-to-column comparison needs the same SQL type on both sides.
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn main() {
    let _ = user::email.eq_col(account::expires_at);
}
