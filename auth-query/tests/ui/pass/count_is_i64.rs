// Pins `count()` and `count_all()` to `i64`, alone and across a join.
use core::marker::PhantomData;

use auth_query::{Decode, prelude::*};
use auth_schema::kysely::{session, user};

fn rows<D, S, O: Decode<Out = R>, R, G, V>(_: &Select<D, S, O, G, V>) -> PhantomData<R> {
    PhantomData
}

fn main() {
    let q = Postgres
        .select_from(session::table)
        .filter(session::user_id.eq("u1"))
        .count();
    let _: PhantomData<i64> = rows(&q);

    let q = Sqlite
        .select_from(session::table)
        .inner_join(user::table, user::id.eq_col(session::user_id))
        .select(count_all());
    let _: PhantomData<i64> = rows(&q);
}
