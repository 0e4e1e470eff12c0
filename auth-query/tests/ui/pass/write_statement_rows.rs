// Pins what RETURNING decodes to on INSERT, UPDATE and DELETE, and that filtered or `all_rows()`
// statements compile.
use core::marker::PhantomData;

use auth_query::{Decode, Delete, Filtered, Insert, Update, prelude::*};
use auth_schema::kysely::{session, user, verification_token as vt};
use auth_schema::{NewUser, Session, User, VerificationToken};

fn inserted<D, T, St, O: Decode<Out = R>, R>(_: &Insert<D, T, St, O>) -> PhantomData<R> {
    PhantomData
}
fn updated<D, T, St, O: Decode<Out = R>, R>(_: &Update<D, T, Filtered, St, O>) -> PhantomData<R> {
    PhantomData
}
fn deleted<D, T, O: Decode<Out = R>, R>(_: &Delete<D, T, Filtered, O>) -> PhantomData<R> {
    PhantomData
}

fn main() {
    let new = NewUser {
        id: None,
        name: None,
        email: "a@b.c".into(),
        email_verified: None,
        image: None,
        extra: Default::default(),
    };
    let q = Postgres
        .insert_into(user::table)
        .values(new)
        .returning(user::table.all());
    let _: PhantomData<User> = inserted(&q);

    let q = Sqlite
        .update(session::table)
        .set(session::expires, chrono::DateTime::UNIX_EPOCH)
        .filter(session::session_token.eq("t"))
        .returning(session::table.all());
    let _: PhantomData<Session> = updated(&q);

    let q = Postgres
        .delete_from(vt::table)
        .filter(vt::identifier.eq("a@b.c"))
        .returning((vt::table.all(), vt::token));
    let _: PhantomData<(VerificationToken, String)> = deleted(&q);

    let _ = MySql.delete_from(session::table).all_rows().compile();
    let _ = MySql
        .update(user::table)
        .set(user::image, None::<String>)
        .all_rows()
        .compile();
}
