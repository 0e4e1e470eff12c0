// Guards (issue 8): a foreign key references a declared table.
auth_schema::table! {
    pub mod post {
        id: BigInt,
        author_id: Uuid,
    }
    primary_key(id);
    foreign_key(author_id) references authors(id);
}

fn main() {}
