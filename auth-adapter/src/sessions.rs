//! Sessions: `create_session`, `get_session_and_user`, `update_session`, `delete_session`, and
//! `delete_expired_sessions`.

use chrono::{DateTime, Utc};

use auth_query::prelude::*;
use auth_query::{NoRows, RowOf};
use auth_schema::{AuthSchema, BelongsToUser, IntoValue, Row, SessionTable, UserTable, Value};

use crate::adapter::{
    ByMask, Model, Op, Result, SqlAdapter, Stmt, as_stored, canonical_id, retry_deadlocks, text,
    traced,
};
use crate::coalesce::{self, BATCH_SIZES, BatchRead, Coalescer};
use crate::dialect::{AdapterDialect, WriteRead};
use crate::error::AdapterError;
use crate::types::{SessionOf, SessionUpdate, UserOf};

type Sessions<S> = <S as AuthSchema>::Session;
type Token<S> = <Sessions<S> as SessionTable>::SessionToken;
/// A session row with its user's row.
type WithUser<S> = (RowOf<Sessions<S>>, RowOf<<S as AuthSchema>::User>);
/// What a [`WithUser`] row decodes to.
pub(crate) type SessionAndUser<S> = (SessionOf<S>, UserOf<S>);

/// The operations of this file, for their spans and for naming a missing table.
const CREATE_SESSION: Op = Op::new("create_session", &[Model::Session]);
const GET_SESSION_AND_USER: Op = Op::new("get_session_and_user", &[Model::Session, Model::User]);
const UPDATE_SESSION: Op = Op::new("update_session", &[Model::Session]);
const DELETE_SESSION: Op = Op::new("delete_session", &[Model::Session]);
const DELETE_EXPIRED_SESSIONS: Op = Op::new("delete_expired_sessions", &[Model::Session]);

pub(crate) struct Statements<D: AdapterDialect, S: AuthSchema> {
    create: Stmt<D, NoRows>,
    get: Stmt<D, RowOf<Sessions<S>>>,
    /// The session and its user, by token: for 1, 2, 4, ... tokens (see `coalesce.rs`).
    with_user: [Stmt<D, WithUser<S>>; BATCH_SIZES.len()],
    delete: Stmt<D, NoRows>,
    delete_expired: Stmt<D, NoRows>,
    update: ByMask<D, RowOf<Sessions<S>>>,
}

impl<D: AdapterDialect, S: AuthSchema> Statements<D, S> {
    pub(crate) fn new() -> Self {
        let sessions = Sessions::<S>::default();
        let users = S::User::default();
        let token = Token::<S>::default();
        let d = D::default();
        Statements {
            create: d.prepare_dynamic(|a| d.insert_into(sessions).values_from_args(a)),
            get: d.prepare_dynamic(|a| {
                d.select_from(sessions)
                    .select(sessions.all())
                    .filter(token.eq(a.arg(0)))
            }),
            with_user: BATCH_SIZES.map(|n| {
                d.prepare_dynamic(|a| {
                    let q = d
                        .select_from(sessions)
                        .inner_join(
                            users,
                            <S::User as UserTable>::Id::default()
                                .eq_col(<Sessions<S> as BelongsToUser>::UserId::default()),
                        )
                        .select((sessions.all(), users.all()));
                    if n == 1 {
                        q.filter(token.eq(a.arg(0)))
                    } else {
                        q.filter(token.is_in((0..n as u16).map(|i| a.arg(i))))
                    }
                })
            }),
            delete: d.prepare_dynamic(|a| d.delete_from(sessions).filter(token.eq(a.arg(0)))),
            delete_expired: d.prepare_dynamic(|a| {
                d.delete_from(sessions)
                    .filter(<Sessions<S> as SessionTable>::Expires::default().lt(a.arg(0)))
            }),
            update: ByMask::new(),
        }
    }

    /// The UPDATE setting the fields in `mask` (userId, expires), filtered on the token, which
    /// is the argument after the set values.
    fn update(&self, mask: u8) -> std::sync::Arc<WriteRead<D, RowOf<Sessions<S>>>> {
        self.update.get(mask, || {
            let d = D::default();
            let sessions = Sessions::<S>::default();
            let token = Token::<S>::default();
            let filter_arg = (mask & 1) as u16 + ((mask >> 1) & 1) as u16;
            let read = d.prepare_dynamic(|a| {
                d.select_from(sessions)
                    .select(sessions.all())
                    .filter(token.eq(a.arg(filter_arg)))
            });
            D::update_returning(
                |a| {
                    let mut q = d.update(sessions).dynamic_sets();
                    let mut next = 0u16;
                    if mask & 1 != 0 {
                        q = q.set(
                            <Sessions<S> as BelongsToUser>::UserId::default(),
                            a.arg(next),
                        );
                        next += 1;
                    }
                    if mask & 2 != 0 {
                        q = q.set(
                            <Sessions<S> as SessionTable>::Expires::default(),
                            a.arg(next),
                        );
                        next += 1;
                    }
                    q.filter(token.eq(a.arg(next)))
                },
                read,
            )
        })
    }
}

/// `get_session_and_user` for several tokens at once (see `coalesce.rs`).
struct SessionsByToken<D: AdapterDialect, S: AuthSchema>(SqlAdapter<D, S>);

impl<D: AdapterDialect, S: AuthSchema> Clone for SessionsByToken<D, S> {
    fn clone(&self) -> Self {
        SessionsByToken(self.0.clone())
    }
}

impl<D: AdapterDialect, S: AuthSchema> BatchRead for SessionsByToken<D, S> {
    type Key = String;
    type Row = SessionAndUser<S>;

    fn coalescer(&self) -> &Coalescer<String, SessionAndUser<S>> {
        &self.0.reads.sessions
    }

    fn batchable(&self, token: &String) -> bool {
        self.0.coalesce && coalesce::shareable_text::<D>(token)
    }

    async fn fetch(&self, tokens: &[&String]) -> Result<Vec<SessionAndUser<S>>> {
        let (size, tokens) = coalesce::padded(tokens);
        let args: Vec<Value> = tokens.map(|t| text(t)).collect();
        traced(&self.0.st.sessions.with_user[size])
            .fetch_all(self.0.read(), &args)
            .await
            .map_err(|e| AdapterError::from_query(e, "Session"))
    }

    fn answers(token: &String, row: &SessionAndUser<S>) -> bool {
        row.0.session_token == *token
    }
}

impl<D: AdapterDialect, S: AuthSchema> SqlAdapter<D, S> {
    /// `createSession`: stores the session. An unknown user is [`AdapterError::NotFound`].
    pub async fn create_session(&self, mut session: SessionOf<S>) -> Result<SessionOf<S>> {
        session.user_id = canonical_id::<<Sessions<S> as BelongsToUser>::UserId>(session.user_id);
        let mut args = Vec::with_capacity(3);
        session.clone().encode(&mut args);
        self.run(CREATE_SESSION, move |a| async move {
            // A deadlock with the user's `delete_user` (MySQL) reruns the insert.
            retry_deadlocks(|| traced(&a.st.sessions.create).execute(a.exec(), &args))
                .await
                .map_err(|e| AdapterError::from_query(e, "Session"))?;
            Ok(as_stored(&args, session))
        })
        .await
    }

    /// `getSessionAndUser`: the session and its user, in one query (a join). Expired sessions
    /// are returned too; Auth.js checks `expires` itself.
    pub async fn get_session_and_user(
        &self,
        session_token: &str,
    ) -> Result<Option<(SessionOf<S>, UserOf<S>)>> {
        let token = session_token.to_owned();
        self.run(GET_SESSION_AND_USER, move |a| async move {
            coalesce::read(SessionsByToken(a), token).await
        })
        .await
    }

    /// `updateSession`: changes the given fields and returns the whole row.
    /// A missing session is [`AdapterError::NotFound`].
    pub async fn update_session(&self, update: SessionUpdate) -> Result<SessionOf<S>> {
        let mut args: Vec<Value> = Vec::with_capacity(3);
        let mut mask = 0u8;
        if let Some(user_id) = update.user_id {
            mask |= 1;
            args.push(canonical_id::<<Sessions<S> as BelongsToUser>::UserId>(user_id).into_value());
        }
        if let Some(expires) = update.expires {
            mask |= 2;
            args.push(expires.into_value());
        }
        args.push(text(&update.session_token));
        self.run(UPDATE_SESSION, move |a| async move {
            let not_found = AdapterError::not_found("Session");
            if mask == 0 {
                return traced(&a.st.sessions.get)
                    .fetch_optional(a.read(), &args)
                    .await
                    .map_err(|e| AdapterError::from_query(e, "Session"))?
                    .ok_or(not_found);
            }
            let op = a.st.sessions.update(mask);
            a.write_read(&op, &args, "Session").await?.ok_or(not_found)
        })
        .await
    }

    /// `deleteSession`: deletes the session; a missing one is a no-op.
    pub async fn delete_session(&self, session_token: &str) -> Result<()> {
        let args = [text(session_token)];
        self.run(DELETE_SESSION, move |a| async move {
            traced(&a.st.sessions.delete)
                .execute(a.exec(), &args)
                .await
                .map(drop)
                .map_err(|e| AdapterError::from_query(e, "Session"))
        })
        .await
    }

    /// Deletes every session that expired before `now`, and returns how many it removed.
    /// Auth.js never does this itself (next-auth#6821).
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        let args = [now.into_value()];
        self.run(DELETE_EXPIRED_SESSIONS, move |a| async move {
            traced(&a.st.sessions.delete_expired)
                .execute(a.exec(), &args)
                .await
                .map_err(|e| AdapterError::from_query(e, "Session"))
        })
        .await
    }
}
