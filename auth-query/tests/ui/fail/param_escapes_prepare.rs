// Guards (issue 9, 7): a parameter handle cannot leave the closure that prepares its statement,
// so no statement holding one can run without its arguments.
use auth_query::prelude::*;
use auth_schema::kysely::user;
use auth_schema::sql::Text;

fn main() {
    let mut leaked = None;
    let _ = Postgres.prepare::<(Text,), _>(|(email,)| {
        leaked = Some(email);
        Postgres.select_from(user::table).select(user::id).filter(user::email.eq(email))
    });
    let _ = leaked;
}
