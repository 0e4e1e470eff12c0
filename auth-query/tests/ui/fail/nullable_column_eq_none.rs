// Guards: `col = NULL` is never true; comparing with `None` must not compile (use `is_null()`).
use auth_query::prelude::*;
use auth_schema::kysely::user;

fn main() {
    let _ = user::name.eq(None::<String>);
}
