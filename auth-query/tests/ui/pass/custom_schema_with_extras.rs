// Pins the row types on a custom schema with `extra_columns!`: whole rows carry the extras, and
// extra columns select, filter and decode like standard ones.
use core::marker::PhantomData;

use auth_query::{Decode, Insert, prelude::*};
use auth_schema::sql::{BigInt, Nullable, Text};
use auth_schema::{Account, NewUser, User};

auth_schema::extra_columns! {
    pub struct UserExtras for app::user::table, columns in mod user_extra {
        phone_number: Nullable<Text> = "phoneNumber" as "phone_number",
        logins: BigInt = "logins",
    }
}

auth_schema::schema! {
    pub mod app {
        naming: SnakeCase,
        id: Text,
        rename: { "User" => "users" },
        user_extras: UserExtras,
    }
}

use app::{account, user};

fn rows<D, S, O: Decode<Out = R>, R, G, V>(_: &Select<D, S, O, G, V>) -> PhantomData<R> {
    PhantomData
}
fn inserted<D, T, St, O: Decode<Out = R>, R>(_: &Insert<D, T, St, O>) -> PhantomData<R> {
    PhantomData
}

fn main() {
    let q = Postgres
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(user::id))
        .select(user::table.all())
        .filter(account::provider.eq("github"))
        .filter(user_extra::logins.gt(0));
    let _: PhantomData<User<UserExtras>> = rows(&q);

    let q = Sqlite
        .select_from(account::table)
        .left_join(user::table, user::id.eq_col(account::user_id))
        .select((
            account::table.all(),
            user_extra::phone_number,
            user_extra::logins,
            user::table.all(),
        ));
    let _: PhantomData<(
        Account,
        Option<String>,
        Option<i64>,
        Option<User<UserExtras>>,
    )> = rows(&q);

    let new = NewUser {
        id: Some("u1".into()),
        name: None,
        email: "a@b.c".into(),
        email_verified: None,
        image: None,
        extra: UserExtras {
            phone_number: None,
            logins: 0,
        },
    };
    let q = Sqlite
        .insert_into(user::table)
        .values(new)
        .returning((user::id, user_extra::phone_number));
    let _: PhantomData<(String, Option<String>)> = inserted(&q);
    assert!(q.compile().sql().contains(r#""users""#));
}
