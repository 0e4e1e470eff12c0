// Guards (issue 8): a primary key names declared columns.
auth_schema::table! {
    pub mod post {
        id: BigInt,
        title: Text,
    }
    primary_key(post_id);
}

fn main() {}
