// Guards (issue 8): two columns with one physical name, which CREATE TABLE would refuse.
auth_schema::table! {
    pub mod post {
        id: BigInt,
        title as "name": Text,
        label as "name": Text,
    }
    primary_key(id);
}

fn main() {}
