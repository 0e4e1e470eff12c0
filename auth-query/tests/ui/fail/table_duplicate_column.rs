// Guards (issue 8): a column declared twice.
auth_schema::table! {
    pub mod post {
        id: BigInt,
        title: Text,
        title: Text,
    }
    primary_key(id);
}

fn main() {}
