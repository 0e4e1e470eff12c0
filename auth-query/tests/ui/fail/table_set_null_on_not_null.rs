// Guards (issue 8): `on_delete(set_null)` needs a nullable column.
auth_schema::schema! { pub mod auth { naming: Kysely, id: Uuid } }

auth_schema::table! {
    pub mod post {
        id: BigInt,
        author_id: Uuid,
    }
    primary_key(id);
    foreign_key(author_id) references auth::user(id) on_delete(set_null);
}

fn main() {}
