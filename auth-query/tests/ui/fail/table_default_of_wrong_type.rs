// Guards (issue 8): a default literal has the column's type.
auth_schema::table! {
    pub mod post {
        id: BigInt,
        views: BigInt = default("none"),
    }
    primary_key(id);
}

fn main() {}
