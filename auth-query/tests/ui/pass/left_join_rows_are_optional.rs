// Pins left-join nullability: a left-joined column is `Option<String>`, its whole row `Option<Row>`;
// columns of the FROM table keep their own types.
use core::marker::PhantomData;

use auth_query::{Decode, prelude::*};
use auth_schema::Account;
use auth_schema::kysely::{account, user};

fn rows<D, S, O: Decode<Out = R>, R, G, V>(_: &Select<D, S, O, G, V>) -> PhantomData<R> {
    PhantomData
}

fn main() {
    let q = MySql
        .select_from(user::table)
        .left_join(account::table, account::user_id.eq_col(user::id))
        .select((
            user::email,
            user::name,
            account::provider,
            account::expires_at,
            account::table.all(),
        ))
        .filter(account::scope.is_null().or(account::provider.eq("github")))
        .order_by(account::expires_at.desc());
    let _: PhantomData<(
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<Account>,
    )> = rows(&q);
    assert!(q.compile().sql().contains("LEFT JOIN"));
}
