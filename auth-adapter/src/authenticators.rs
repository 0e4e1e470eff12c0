//! WebAuthn authenticators: `create_authenticator`, `get_authenticator`,
//! `list_authenticators_by_user_id`, `update_authenticator_counter`.

use auth_query::prelude::*;
use auth_query::{NoRows, RowOf};
use auth_schema::{AuthSchema, AuthenticatorTable, BelongsToUser, IntoValue, Row};

use crate::adapter::{
    Model, Op, Result, SqlAdapter, Stmt, as_stored, canonical_id, retry_deadlocks, text, traced,
};
use crate::dialect::{AdapterDialect, WriteRead};
use crate::error::AdapterError;
use crate::types::AuthenticatorOf;

type Authenticators<S> = <S as AuthSchema>::Authenticator;
type CredentialId<S> = <Authenticators<S> as AuthenticatorTable>::CredentialId;

/// The operations of this file, for their spans and for naming a missing table.
const CREATE_AUTHENTICATOR: Op = Op::new("create_authenticator", &[Model::Authenticator]);
const GET_AUTHENTICATOR: Op = Op::new("get_authenticator", &[Model::Authenticator]);
const LIST_AUTHENTICATORS_BY_USER_ID: Op =
    Op::new("list_authenticators_by_user_id", &[Model::Authenticator]);
const UPDATE_AUTHENTICATOR_COUNTER: Op =
    Op::new("update_authenticator_counter", &[Model::Authenticator]);

pub(crate) struct Statements<D: AdapterDialect, S: AuthSchema> {
    create: Stmt<D, NoRows>,
    get: Stmt<D, RowOf<Authenticators<S>>>,
    by_user: Stmt<D, RowOf<Authenticators<S>>>,
    update_counter: WriteRead<D, RowOf<Authenticators<S>>>,
}

impl<D: AdapterDialect, S: AuthSchema> Statements<D, S> {
    pub(crate) fn new() -> Self {
        let table = Authenticators::<S>::default();
        let id = CredentialId::<S>::default();
        let d = D::default();
        let select = || d.select_from(table).select(table.all());
        Statements {
            create: d.prepare_dynamic(|a| d.insert_into(table).values_from_args(a)),
            get: d.prepare_dynamic(|a| select().filter(id.eq(a.arg(0)))),
            by_user: d.prepare_dynamic(|a| {
                select()
                    .filter(<Authenticators<S> as BelongsToUser>::UserId::default().eq(a.arg(0)))
                    .order_by(id)
            }),
            update_counter: D::update_returning(
                |a| {
                    d.update(table)
                        .set(
                            <Authenticators<S> as AuthenticatorTable>::Counter::default(),
                            a.arg(0),
                        )
                        .filter(id.eq(a.arg(1)))
                },
                d.prepare_dynamic(|a| select().filter(id.eq(a.arg(1)))),
            ),
        }
    }
}

impl<D: AdapterDialect, S: AuthSchema> SqlAdapter<D, S> {
    /// `createAuthenticator`: stores the credential. A duplicate credential id is
    /// [`AdapterError::Conflict`]; an unknown user is [`AdapterError::NotFound`].
    pub async fn create_authenticator(
        &self,
        mut authenticator: AuthenticatorOf<S>,
    ) -> Result<AuthenticatorOf<S>> {
        authenticator.user_id =
            canonical_id::<<Authenticators<S> as BelongsToUser>::UserId>(authenticator.user_id);
        let mut args = Vec::with_capacity(8);
        authenticator.clone().encode(&mut args);
        self.run(CREATE_AUTHENTICATOR, move |a| async move {
            // A deadlock with the user's `delete_user` (MySQL) reruns the insert.
            retry_deadlocks(|| traced(&a.st.authenticators.create).execute(a.exec(), &args))
                .await
                .map_err(|e| AdapterError::from_query(e, "Authenticator"))?;
            Ok(as_stored(&args, authenticator))
        })
        .await
    }

    /// `getAuthenticator`: the credential with this id, or `None`.
    pub async fn get_authenticator(
        &self,
        credential_id: &str,
    ) -> Result<Option<AuthenticatorOf<S>>> {
        let args = [text(credential_id)];
        self.run(GET_AUTHENTICATOR, move |a| async move {
            traced(&a.st.authenticators.get)
                .fetch_optional(a.read(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "Authenticator"))
        })
        .await
    }

    /// `listAuthenticatorsByUserId`: the user's credentials, possibly none. An id that cannot
    /// be a user id (not a UUID, for a `uuid` id column) gives an empty list, not an error.
    pub async fn list_authenticators_by_user_id(
        &self,
        user_id: &str,
    ) -> Result<Vec<AuthenticatorOf<S>>> {
        let args = [text(user_id)];
        self.run(LIST_AUTHENTICATORS_BY_USER_ID, move |a| async move {
            traced(&a.st.authenticators.by_user)
                .fetch_all(a.read(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "Authenticator"))
        })
        .await
    }

    /// `updateAuthenticatorCounter`: sets the counter and returns the whole row.
    /// A missing credential is [`AdapterError::NotFound`].
    pub async fn update_authenticator_counter(
        &self,
        credential_id: &str,
        counter: i64,
    ) -> Result<AuthenticatorOf<S>> {
        let args = [counter.into_value(), text(credential_id)];
        self.run(UPDATE_AUTHENTICATOR_COUNTER, move |a| async move {
            a.write_read(&a.st.authenticators.update_counter, &args, "Authenticator")
                .await?
                .ok_or(AdapterError::not_found("Authenticator"))
        })
        .await
    }
}
