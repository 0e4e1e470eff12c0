// Guards (issue 9, 8): prepared statements take arguments of their parameters' SQL types.
use auth_query::prelude::*;
use auth_schema::kysely::user;
use auth_schema::sql::Text;

fn main() {
    let q = Sqlite.prepare::<(Text,), _>(|(email,)| {
        Sqlite.select_from(user::table).select(user::id).filter(user::email.eq(email))
    });
    let _ = q.bind((5i64,));
}
