//! Verification tokens: `create_verification_token`, `use_verification_token`, and
//! `delete_expired_verification_tokens`.

use chrono::{DateTime, Utc};

use auth_query::prelude::*;
use auth_query::{NoRows, RowOf};
use auth_schema::{AuthSchema, IntoValue, Row, VerificationTokenTable};

use crate::adapter::{Model, Op, Result, SqlAdapter, Stmt, as_stored, text, traced};
use crate::dialect::{AdapterDialect, WriteRead};
use crate::error::AdapterError;
use crate::types::VerificationTokenOf;

type Tokens<S> = <S as AuthSchema>::VerificationToken;

/// The operations of this file, for their spans and for naming a missing table.
const CREATE_VERIFICATION_TOKEN: Op =
    Op::new("create_verification_token", &[Model::VerificationToken]);
const USE_VERIFICATION_TOKEN: Op = Op::new("use_verification_token", &[Model::VerificationToken]);
const DELETE_EXPIRED_VERIFICATION_TOKENS: Op = Op::new(
    "delete_expired_verification_tokens",
    &[Model::VerificationToken],
);

pub(crate) struct Statements<D: AdapterDialect, S: AuthSchema> {
    create: Stmt<D, NoRows>,
    take: WriteRead<D, RowOf<Tokens<S>>>,
    delete_expired: Stmt<D, NoRows>,
}

impl<D: AdapterDialect, S: AuthSchema> Statements<D, S> {
    pub(crate) fn new() -> Self {
        let tokens = Tokens::<S>::default();
        let identifier = <Tokens<S> as VerificationTokenTable>::Identifier::default();
        let token = <Tokens<S> as VerificationTokenTable>::Token::default();
        let d = D::default();
        let read = d.prepare_dynamic(|a| {
            d.select_from(tokens)
                .select(tokens.all())
                .filter(identifier.eq(a.arg(0)))
                .filter(token.eq(a.arg(1)))
        });
        Statements {
            create: d.prepare_dynamic(|a| d.insert_into(tokens).values_from_args(a)),
            take: D::delete_returning(
                |a| {
                    d.delete_from(tokens)
                        .filter(identifier.eq(a.arg(0)))
                        .filter(token.eq(a.arg(1)))
                },
                read,
            ),
            delete_expired: d.prepare_dynamic(|a| {
                d.delete_from(tokens)
                    .filter(<Tokens<S> as VerificationTokenTable>::Expires::default().lt(a.arg(0)))
            }),
        }
    }
}

impl<D: AdapterDialect, S: AuthSchema> SqlAdapter<D, S> {
    /// `createVerificationToken`: stores the (already hashed) token.
    pub async fn create_verification_token(
        &self,
        token: VerificationTokenOf<S>,
    ) -> Result<VerificationTokenOf<S>> {
        let mut args = Vec::with_capacity(3);
        token.clone().encode(&mut args);
        self.run(CREATE_VERIFICATION_TOKEN, move |a| async move {
            traced(&a.st.tokens.create)
                .execute(a.exec(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "VerificationToken"))?;
            Ok(as_stored(&args, token))
        })
        .await
    }

    /// `useVerificationToken`: deletes the token matching both `identifier` and `token` and
    /// returns it, or `None`. Atomic on every dialect: of concurrent callers exactly one gets the
    /// row (`DELETE ... RETURNING`; on MySQL a read, then a delete that must remove the row).
    /// A mismatched identifier deletes nothing.
    pub async fn use_verification_token(
        &self,
        identifier: &str,
        token: &str,
    ) -> Result<Option<VerificationTokenOf<S>>> {
        let args = [text(identifier), text(token)];
        self.run(USE_VERIFICATION_TOKEN, move |a| async move {
            a.write_read(&a.st.tokens.take, &args, "VerificationToken")
                .await
        })
        .await
    }

    /// Deletes every verification token that expired before `now`, and returns how many.
    pub async fn delete_expired_verification_tokens(&self, now: DateTime<Utc>) -> Result<u64> {
        let args = [now.into_value()];
        self.run(DELETE_EXPIRED_VERIFICATION_TOKENS, move |a| async move {
            traced(&a.st.tokens.delete_expired)
                .execute(a.exec(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "VerificationToken"))
        })
        .await
    }
}
