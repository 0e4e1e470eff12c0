// Guards (issue 8): a join condition compares columns of one SQL type.
use auth_query::prelude::*;

auth_schema::schema! { pub mod auth { naming: Kysely, id: Uuid } }

auth_schema::table! {
    pub mod post {
        id: BigInt = identity,
        author_id: Uuid,
        title: Text,
    }
    primary_key(id);
    foreign_key(author_id) references auth::user(id);
}

auth_schema::database! {
    pub struct App {
        auth: auth,
        tables: [post],
    }
}

fn main() {
    let _ = Postgres
        .select_from(auth::user::table)
        .inner_join(post::table, post::id.eq_col(auth::user::id))
        .select(post::title);
}
