// Guards (issue 8): a foreign key column must have the SQL type of the column it references.
auth_schema::schema! { pub mod auth { naming: Kysely, id: Uuid } }

auth_schema::table! {
    pub mod post {
        id: BigInt = identity,
        author_id: BigInt,
    }
    primary_key(id);
    foreign_key(author_id) references auth::user(id);
}

fn main() {}
