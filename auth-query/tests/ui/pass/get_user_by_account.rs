// Pins the row type of the adapter's getUserByAccount: User inner join Account -> `User`.
use core::marker::PhantomData;

use auth_query::{Decode, prelude::*};
use auth_schema::kysely::{account, user};

fn rows<D, S, O: Decode<Out = R>, R, G, V>(_: &Select<D, S, O, G, V>) -> PhantomData<R> {
    PhantomData
}

fn main() {
    let q = Postgres
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(user::id))
        .select(user::table.all())
        .filter(account::provider.eq("github"))
        .filter(account::provider_account_id.eq("42"));
    let _: PhantomData<auth_schema::User> = rows(&q);
    assert!(q.compile().sql().contains("INNER JOIN"));
}
