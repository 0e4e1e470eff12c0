// Guards (issue 9, 9): a statement prepared for one dialect runs only on that dialect's pools.
use auth_query::prelude::*;
use auth_schema::kysely::user;
use auth_schema::sql::Text;

async fn run(pool: &sqlx::SqlitePool) {
    let q = MySql.prepare::<(Text,), _>(|(email,)| {
        MySql.select_from(user::table).select(user::id).filter(user::email.eq(email))
    });
    let _ = q.fetch_all(pool, ("a@b.c",)).await;
}

fn main() {
    let _ = run;
}
