// Guards: `values` takes the insert struct of the target table only.
use auth_query::prelude::*;
use auth_schema::{NewUser, kysely::account};

fn main() {
    let row = NewUser {
        id: None,
        name: None,
        email: "a@b.c".into(),
        email_verified: None,
        image: None,
        extra: Default::default(),
    };
    let _ = Postgres.insert_into(account::table).values(row);
}
