// Guards (issue 9, 8): a prepared statement takes exactly one argument per parameter.
use auth_query::prelude::*;
use auth_schema::kysely::user;
use auth_schema::sql::Text;

fn main() {
    let q = Sqlite.prepare::<(Text,), _>(|(email,)| {
        Sqlite.select_from(user::table).select(user::id).filter(user::email.eq(email))
    });
    let _ = q.bind(("a@b.c", "extra"));
}
