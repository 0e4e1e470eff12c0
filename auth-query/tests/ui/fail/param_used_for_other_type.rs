// Guards (issue 9, 8): a typed parameter goes only where a value of its SQL type goes.
use auth_query::prelude::*;
use auth_schema::kysely::user;
use auth_schema::sql::BigInt;

fn main() {
    let _ = Sqlite.prepare::<(BigInt,), _>(|(n,)| {
        Sqlite.select_from(user::table).select(user::id).filter(user::email.eq(n))
    });
}
