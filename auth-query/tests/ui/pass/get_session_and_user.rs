// Pins the row type of the adapter's getSessionAndUser: Session inner join User -> `(Session, User)`.
use core::marker::PhantomData;

use auth_query::{Decode, prelude::*};
use auth_schema::kysely::{session, user};
use auth_schema::{Session, User};

fn rows<D, S, O: Decode<Out = R>, R, G, V>(_: &Select<D, S, O, G, V>) -> PhantomData<R> {
    PhantomData
}

fn main() {
    let q = Sqlite
        .select_from(session::table)
        .inner_join(user::table, user::id.eq_col(session::user_id))
        .select((session::table.all(), user::table.all()))
        .filter(session::session_token.eq("t"));
    let _: PhantomData<(Session, User)> = rows(&q);
    assert!(q.compile().sql().contains("INNER JOIN"));
}
