//! Users: `create_user`, `get_user`, `get_user_by_email`, `get_user_by_account`, `update_user`,
//! `delete_user`.

use auth_query::prelude::*;
use auth_query::{NoRows, RowOf};
use auth_schema::{
    AccountTable, AuthSchema, BelongsToUser, IntoValue, NewUser, Row, Table, UserTable, Value,
};

use crate::adapter::{
    ByMask, Model, Op, Result, SqlAdapter, Stmt, as_stored, canonical_id, retry_deadlocks, text,
    traced,
};
use crate::coalesce::{self, BATCH_SIZES, BatchRead, Coalescer};
use crate::dialect::{AdapterDialect, WriteRead};
use crate::error::AdapterError;
use crate::types::{AccountKey, UserExtra, UserOf, UserUpdate};

type Users<S> = <S as AuthSchema>::User;
type Id<S> = <Users<S> as UserTable>::Id;
/// A user with the key of the account that found it: provider, provider account id.
type ByAccount<S> = (String, String, RowOf<Users<S>>);
/// What a [`ByAccount`] row decodes to.
pub(crate) type UserByAccount<S> = (String, String, UserOf<S>);

/// The operations of this file, for their spans and for naming a missing table.
const CREATE_USER: Op = Op::new("create_user", &[Model::User]);
const GET_USER: Op = Op::new("get_user", &[Model::User]);
const GET_USER_BY_EMAIL: Op = Op::new("get_user_by_email", &[Model::User]);
const GET_USER_BY_ACCOUNT: Op = Op::new("get_user_by_account", &[Model::User, Model::Account]);
const UPDATE_USER: Op = Op::new("update_user", &[Model::User]);
const DELETE_USER: Op = Op::new(
    "delete_user",
    &[
        Model::User,
        Model::Account,
        Model::Session,
        Model::Authenticator,
    ],
);

pub(crate) struct Statements<D: AdapterDialect, S: AuthSchema> {
    create: Stmt<D, NoRows>,
    get: Stmt<D, RowOf<Users<S>>>,
    by_email: Stmt<D, RowOf<Users<S>>>,
    /// The user of an account, with the account's key: for 1, 2, 4, ... keys (see
    /// `coalesce.rs`).
    by_account: [Stmt<D, ByAccount<S>>; BATCH_SIZES.len()],
    delete: [Stmt<D, NoRows>; 4],
    update: ByMask<D, RowOf<Users<S>>>,
}

fn delete_children<D: AdapterDialect, T: BelongsToUser>() -> Stmt<D, NoRows> {
    D::default().prepare_dynamic(|a| {
        D::default()
            .delete_from(T::default())
            .filter(T::UserId::default().eq(a.arg(0)))
    })
}

impl<D: AdapterDialect, S: AuthSchema> Statements<D, S> {
    pub(crate) fn new() -> Self {
        let d = D::default();
        let users = Users::<S>::default();
        let select = || d.select_from(users).select(users.all());
        let account = S::Account::default();
        Statements {
            create: d.prepare_dynamic(|a| d.insert_into(users).values_from_args(a)),
            get: d.prepare_dynamic(|a| select().filter(Id::<S>::default().eq(a.arg(0)))),
            by_email: d.prepare_dynamic(|a| {
                select().filter(<Users<S> as UserTable>::Email::default().eq(a.arg(0)))
            }),
            by_account: BATCH_SIZES.map(|n| {
                let provider = <S::Account as AccountTable>::Provider::default();
                let provider_account_id =
                    <S::Account as AccountTable>::ProviderAccountId::default();
                d.prepare_dynamic(|a| {
                    d.select_from(users)
                        .inner_join(
                            account,
                            <S::Account as BelongsToUser>::UserId::default()
                                .eq_col(Id::<S>::default()),
                        )
                        .select((provider, provider_account_id, users.all()))
                        .filter(any_of((0..n as u16).map(|i| {
                            provider
                                .eq(a.arg(2 * i))
                                .and(provider_account_id.eq(a.arg(2 * i + 1)))
                        })))
                })
            }),
            delete: [
                delete_children::<D, S::Authenticator>(),
                delete_children::<D, S::Session>(),
                delete_children::<D, S::Account>(),
                d.prepare_dynamic(|a| d.delete_from(users).filter(Id::<S>::default().eq(a.arg(0)))),
            ],
            update: ByMask::new(),
        }
    }

    /// The UPDATE setting the fields in `mask` (name, email, emailVerified, image, extras), then
    /// filtering on the id, which is the argument after the set values.
    fn update(&self, mask: u8) -> std::sync::Arc<WriteRead<D, RowOf<Users<S>>>> {
        self.update.get(mask, || {
            let d = D::default();
            let users = Users::<S>::default();
            let extras = Users::<S>::INFO.extras.len() as u16;
            let id_arg = (0..4).filter(|bit| mask & (1 << bit) != 0).count() as u16
                + if mask & 16 != 0 { extras } else { 0 };
            let read = d.prepare_dynamic(|a| {
                d.select_from(users)
                    .select(users.all())
                    .filter(Id::<S>::default().eq(a.arg(id_arg)))
            });
            D::update_returning(
                |a| {
                    let mut q = d.update(users).dynamic_sets();
                    let mut next = 0u16;
                    if mask & 1 != 0 {
                        q = q.set(<Users<S> as UserTable>::Name::default(), a.arg(next));
                        next += 1;
                    }
                    if mask & 2 != 0 {
                        q = q.set(<Users<S> as UserTable>::Email::default(), a.arg(next));
                        next += 1;
                    }
                    if mask & 4 != 0 {
                        q = q.set(
                            <Users<S> as UserTable>::EmailVerified::default(),
                            a.arg(next),
                        );
                        next += 1;
                    }
                    if mask & 8 != 0 {
                        q = q.set(<Users<S> as UserTable>::Image::default(), a.arg(next));
                        next += 1;
                    }
                    if mask & 16 != 0 {
                        q = q.set_extras_from_args(a, next);
                        next += extras;
                    }
                    q.filter(Id::<S>::default().eq(a.arg(next)))
                },
                read,
            )
        })
    }
}

/// `get_user_by_account` for several accounts at once (see `coalesce.rs`).
struct UsersByAccount<D: AdapterDialect, S: AuthSchema>(SqlAdapter<D, S>);

impl<D: AdapterDialect, S: AuthSchema> Clone for UsersByAccount<D, S> {
    fn clone(&self) -> Self {
        UsersByAccount(self.0.clone())
    }
}

impl<D: AdapterDialect, S: AuthSchema> BatchRead for UsersByAccount<D, S> {
    type Key = (String, String);
    type Row = UserByAccount<S>;

    fn coalescer(&self) -> &Coalescer<(String, String), UserByAccount<S>> {
        &self.0.reads.accounts
    }

    fn batchable(&self, (provider, id): &(String, String)) -> bool {
        self.0.coalesce
            && coalesce::shareable_text::<D>(provider)
            && coalesce::shareable_text::<D>(id)
    }

    async fn fetch(&self, keys: &[&(String, String)]) -> Result<Vec<UserByAccount<S>>> {
        let (size, keys) = coalesce::padded(keys);
        let args: Vec<Value> = keys
            .flat_map(|(provider, id)| [text(provider), text(id)])
            .collect();
        traced(&self.0.st.users.by_account[size])
            .fetch_all(self.0.read(), &args)
            .await
            .map_err(|e| AdapterError::from_query(e, "User"))
    }

    fn answers((provider, id): &(String, String), row: &UserByAccount<S>) -> bool {
        row.0 == *provider && row.1 == *id
    }
}

impl<D: AdapterDialect, S: AuthSchema> SqlAdapter<D, S> {
    /// `createUser`: inserts the user; an id left `None` becomes a new UUID v4. Returns the row
    /// as stored (`emailVerified` at millisecond precision, a UUID id in lower case), equal to
    /// what `get_user` reads. A duplicate e-mail is [`AdapterError::Conflict`]; a value that
    /// cannot be stored exactly (see the crate's guarantees) is [`AdapterError::InvalidInput`].
    pub async fn create_user(&self, user: NewUser<UserExtra<S>>) -> Result<UserOf<S>> {
        let mut user = user.into_user();
        user.id = canonical_id::<Id<S>>(user.id);
        let mut args = Vec::with_capacity(8);
        user.clone().encode(&mut args);
        self.run(CREATE_USER, move |a| async move {
            traced(&a.st.users.create)
                .execute(a.exec(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "User"))?;
            Ok(as_stored(&args, user))
        })
        .await
    }

    /// `getUser`: the user with this id, or `None`.
    pub async fn get_user(&self, id: &str) -> Result<Option<UserOf<S>>> {
        let args = [text(id)];
        self.run(GET_USER, move |a| async move {
            traced(&a.st.users.get)
                .fetch_optional(a.read(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "User"))
        })
        .await
    }

    /// `getUserByEmail`: the user with this e-mail address (an exact, byte-for-byte match on
    /// every dialect), or `None`.
    pub async fn get_user_by_email(&self, email: &str) -> Result<Option<UserOf<S>>> {
        let args = [text(email)];
        self.run(GET_USER_BY_EMAIL, move |a| async move {
            traced(&a.st.users.by_email)
                .fetch_optional(a.read(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "User"))
        })
        .await
    }

    /// `getUserByAccount`: the user linked to this provider account, in one query (a join).
    pub async fn get_user_by_account(&self, key: AccountKey<'_>) -> Result<Option<UserOf<S>>> {
        let key = (key.provider.to_owned(), key.provider_account_id.to_owned());
        self.run(GET_USER_BY_ACCOUNT, move |a| async move {
            let found = coalesce::read(UsersByAccount(a), key).await?;
            Ok(found.map(|(_, _, user)| user))
        })
        .await
    }

    /// `updateUser`: changes the given fields and returns the whole row.
    /// A missing user is [`AdapterError::NotFound`].
    pub async fn update_user(&self, update: UserUpdate<UserExtra<S>>) -> Result<UserOf<S>> {
        let mut args: Vec<Value> = Vec::new();
        let mut mask = 0u8;
        if let Some(name) = update.name {
            mask |= 1;
            args.push(name.into_value());
        }
        if let Some(email) = update.email {
            mask |= 2;
            args.push(email.into_value());
        }
        if let Some(verified) = update.email_verified {
            mask |= 4;
            args.push(verified.into_value());
        }
        if let Some(image) = update.image {
            mask |= 8;
            args.push(image.into_value());
        }
        if let Some(extra) = update.extra
            && !Users::<S>::INFO.extras.is_empty()
        {
            mask |= 16;
            auth_schema::Extras::encode(extra, &mut args);
        }
        if mask == 0 {
            return self
                .get_user(&update.id)
                .await?
                .ok_or(AdapterError::not_found("User"));
        }
        args.push(text(&update.id));
        self.run(UPDATE_USER, move |a| async move {
            let op = a.st.users.update(mask);
            a.write_read(&op, &args, "User")
                .await?
                .ok_or(AdapterError::not_found("User"))
        })
        .await
    }

    /// `deleteUser`: deletes the user with their accounts, sessions and authenticators, in one
    /// transaction (the foreign keys also cascade). A missing user is a no-op.
    /// A deadlock with a concurrent insert for this user (MySQL) reruns the transaction.
    pub async fn delete_user(&self, id: &str) -> Result<()> {
        let args = [text(id)];
        self.run(DELETE_USER, move |a| async move {
            let args = &args;
            let a = &a;
            retry_deadlocks(|| async move {
                // On a connection the adapter holds, or one from the pool (see `held.rs`).
                let mut checkout = a.held.take().await?;
                let result = async {
                    let mut tx = sqlx::Connection::begin(&mut *checkout.conn).await?;
                    for stmt in &a.st.users.delete {
                        traced(stmt)
                            .execute(auth_query::Unnamed::new(D::tx(&mut tx), a.pooler), args)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }
                .await;
                crate::pooler::give_back(&a.held, checkout, &result);
                result
            })
            .await
            .map_err(|e| AdapterError::from_query(e, "User"))
        })
        .await
    }
}
