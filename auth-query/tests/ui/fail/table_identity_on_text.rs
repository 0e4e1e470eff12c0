// Guards (issue 8): `= identity` numbers integer columns only.
auth_schema::table! {
    pub mod post {
        id: Text = identity,
    }
    primary_key(id);
}

fn main() {}
