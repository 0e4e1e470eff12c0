// Pins the adapter's queries written generically over the dialect and the schema, as auth-adapter
// does: no bound may demand more than `D: Dialect` and `S: AuthSchema` provide.
use core::marker::PhantomData;

use auth_query::{Decode, Dialect, prelude::*};
use auth_schema::{AuthSchema, BelongsToUser, Session, SessionTable, User, UserTable};

type UserOf<S> = User<<<S as AuthSchema>::User as UserTable>::Extra>;
type SessionOf<S> = Session<<<S as AuthSchema>::Session as SessionTable>::Extra>;

fn rows<D, Sc, O: Decode<Out = R>, R, G, V>(_: &Select<D, Sc, O, G, V>) -> PhantomData<R> {
    PhantomData
}

fn get_user_by_account<D: Dialect, S: AuthSchema>() -> PhantomData<UserOf<S>> {
    let users = S::User::default();
    let q = D::default()
        .select_from(users)
        .inner_join(
            S::Account::default(),
            <S::Account as BelongsToUser>::UserId::default()
                .eq_col(<S::User as UserTable>::Id::default()),
        )
        .select(users.all())
        .filter(<S::User as UserTable>::Email::default().eq("x"));
    rows(&q)
}

fn get_session_and_user<D: Dialect, S: AuthSchema>() -> PhantomData<(SessionOf<S>, UserOf<S>)> {
    let (sessions, users) = (S::Session::default(), S::User::default());
    let q = D::default()
        .select_from(sessions)
        .inner_join(
            users,
            <S::User as UserTable>::Id::default()
                .eq_col(<S::Session as BelongsToUser>::UserId::default()),
        )
        .select((sessions.all(), users.all()))
        .filter(<S::Session as SessionTable>::SessionToken::default().eq("x"));
    rows(&q)
}

fn main() {
    let _: PhantomData<User> = get_user_by_account::<Postgres, auth_schema::kysely::Schema>();
    let _: PhantomData<(Session, User)> =
        get_session_and_user::<MySql, auth_schema::snake_case::Schema>();
}
