// Guards (issue 8): a foreign key references a primary or unique key.
auth_schema::schema! { pub mod auth { naming: Kysely, id: Uuid } }

auth_schema::table! {
    pub mod post {
        id: BigInt = identity,
        author_name: Nullable<Text>,
    }
    primary_key(id);
    foreign_key(author_name) references auth::user(name);
}

fn main() {}
