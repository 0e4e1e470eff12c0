//! Accounts: `link_account`, `unlink_account`, `get_account`.

use auth_query::prelude::*;
use auth_query::{NoRows, RowOf};
use auth_schema::{AccountTable, AuthSchema, BelongsToUser, Row};

use crate::adapter::{
    Model, Op, Result, SqlAdapter, Stmt, as_stored, canonical_id, retry_deadlocks, text, traced,
};
use crate::dialect::AdapterDialect;
use crate::error::AdapterError;
use crate::types::{AccountKey, AccountOf};

type Accounts<S> = <S as AuthSchema>::Account;

/// The operations of this file, for their spans and for naming a missing table.
const LINK_ACCOUNT: Op = Op::new("link_account", &[Model::Account]);
const UNLINK_ACCOUNT: Op = Op::new("unlink_account", &[Model::Account]);
const GET_ACCOUNT: Op = Op::new("get_account", &[Model::Account]);

pub(crate) struct Statements<D: AdapterDialect, S: AuthSchema> {
    link: Stmt<D, NoRows>,
    unlink: Stmt<D, NoRows>,
    get: Stmt<D, RowOf<Accounts<S>>>,
}

impl<D: AdapterDialect, S: AuthSchema> Statements<D, S> {
    pub(crate) fn new() -> Self {
        let accounts = Accounts::<S>::default();
        let provider = <Accounts<S> as AccountTable>::Provider::default();
        let provider_account_id = <Accounts<S> as AccountTable>::ProviderAccountId::default();
        let d = D::default();
        Statements {
            link: d.prepare_dynamic(|a| d.insert_into(accounts).values_from_args(a)),
            unlink: d.prepare_dynamic(|a| {
                d.delete_from(accounts)
                    .filter(provider.eq(a.arg(0)))
                    .filter(provider_account_id.eq(a.arg(1)))
            }),
            get: d.prepare_dynamic(|a| {
                d.select_from(accounts)
                    .select(accounts.all())
                    .filter(provider.eq(a.arg(0)))
                    .filter(provider_account_id.eq(a.arg(1)))
            }),
        }
    }
}

impl<D: AdapterDialect, S: AuthSchema> SqlAdapter<D, S> {
    /// `linkAccount`: stores the account. An account already linked (same provider and
    /// provider account id) is [`AdapterError::Conflict`]; an unknown user is
    /// [`AdapterError::NotFound`].
    pub async fn link_account(&self, mut account: AccountOf<S>) -> Result<AccountOf<S>> {
        account.user_id = canonical_id::<<Accounts<S> as BelongsToUser>::UserId>(account.user_id);
        let mut args = Vec::with_capacity(12);
        account.clone().encode(&mut args);
        self.run(LINK_ACCOUNT, move |a| async move {
            // A deadlock with the user's `delete_user` (MySQL) reruns the insert.
            retry_deadlocks(|| traced(&a.st.accounts.link).execute(a.exec(), &args))
                .await
                .map_err(|e| AdapterError::from_query(e, "Account"))?;
            Ok(as_stored(&args, account))
        })
        .await
    }

    /// `unlinkAccount`: deletes the account; a missing one is a no-op.
    pub async fn unlink_account(&self, key: AccountKey<'_>) -> Result<()> {
        let args = [text(key.provider), text(key.provider_account_id)];
        self.run(UNLINK_ACCOUNT, move |a| async move {
            traced(&a.st.accounts.unlink)
                .execute(a.exec(), &args)
                .await
                .map(drop)
                .map_err(|e| AdapterError::from_query(e, "Account"))
        })
        .await
    }

    /// `getAccount`: the account, or `None`. (Auth.js passes `(providerAccountId, provider)`,
    /// the opposite order from `getUserByAccount`; the key has named fields instead.)
    pub async fn get_account(&self, key: AccountKey<'_>) -> Result<Option<AccountOf<S>>> {
        let args = [text(key.provider), text(key.provider_account_id)];
        self.run(GET_ACCOUNT, move |a| async move {
            traced(&a.st.accounts.get)
                .fetch_optional(a.read(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "Account"))
        })
        .await
    }
}
