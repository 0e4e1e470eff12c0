//! axum integration: the signed-in user of an Auth.js database session, as a handler argument.
//!
//! A Next.js app on Auth.js with a database adapter (`session: { strategy: "database" }`, the
//! default with an adapter) sets a cookie holding the session token; this module reads it,
//! looks the session up with [`Adapter::get_session_and_user`] and gives the handler the user
//! (with the schema's extra columns) and the session.
//!
//! ```no_run
//! use std::sync::Arc;
//! use axum::{Router, routing::get};
//! use authjs_db::adapter::Adapter;
//! use authjs_db::axum::AuthSession;
//! use authjs_db::schema::kysely::Schema;
//!
//! async fn me(AuthSession { user, .. }: AuthSession<Schema>) -> String {
//!     format!("signed in as {}", user.email)
//! }
//!
//! async fn home(session: Option<AuthSession<Schema>>) -> String {
//!     match session {
//!         Some(s) => format!("hello, {}", s.user.name.unwrap_or(s.user.email)),
//!         None => "hello, guest".into(),
//!     }
//! }
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let adapter: Arc<dyn Adapter<Schema>> = authjs_db::adapter::connect("sqlite://authjs.db").await?;
//! let app: Router = Router::new().route("/me", get(me)).route("/", get(home)).with_state(adapter);
//! # Ok(()) }
//! ```
//!
//! The router's state gives the adapter through [`FromRef`]: the state can be the
//! `Arc<dyn Adapter<S>>` itself, or a struct of yours with `impl FromRef<AppState> for
//! Arc<dyn Adapter<S>>`.
//!
//! [`AuthSession`] refuses the request with `401 Unauthorized` when there is no session cookie,
//! or when its session is unknown or expired; `Option<AuthSession<S>>` is `None` then instead.
//! Both fail with `503 Service Unavailable` when the database cannot be reached and `500` on any
//! other database error (without details in the body), so a database outage never looks like a
//! sign-out.
//!
//! The cookies read are Auth.js v5's `__Secure-authjs.session-token` (HTTPS) and
//! `authjs.session-token`, and NextAuth v4's `__Secure-next-auth.session-token` and
//! `next-auth.session-token` ([`SESSION_COOKIES`], in that order of preference). Session tokens
//! are short (a UUID by default), so the chunked cookies Auth.js uses for large JWTs
//! (`….session-token.0`) do not occur with database sessions and are not read. The extractor
//! does not write cookies or extend sessions: Auth.js does that on its own routes.

use std::sync::Arc;

use auth_adapter::{Adapter, AdapterError, SessionOf, UserOf};
use auth_schema::AuthSchema;
use axum_core::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum_core::response::{IntoResponse, Response};
use http::request::Parts;
use http::{HeaderMap, StatusCode, header};

/// The names of the Auth.js database-session cookies, in the order they are tried.
pub const SESSION_COOKIES: [&str; 4] = [
    "__Secure-authjs.session-token",
    "authjs.session-token",
    "__Secure-next-auth.session-token",
    "next-auth.session-token",
];

/// How many session cookies one request may have looked up (a request carrying both a stale
/// v4 cookie and a current v5 one needs two lookups; more is not a browser).
const MAX_LOOKUPS: usize = 4;

/// The signed-in user and their session: a handler argument that answers `401 Unauthorized`
/// when the request has no valid Auth.js session. `Option<AuthSession<S>>` is the variant for
/// pages that also work signed out.
pub struct AuthSession<S: AuthSchema> {
    /// The user, with the schema's extra columns.
    pub user: UserOf<S>,
    /// The session, not expired.
    pub session: SessionOf<S>,
}

impl<S: AuthSchema> Clone for AuthSession<S> {
    fn clone(&self) -> Self {
        AuthSession {
            user: self.user.clone(),
            session: self.session.clone(),
        }
    }
}

impl<S: AuthSchema> core::fmt::Debug for AuthSession<S>
where
    UserOf<S>: core::fmt::Debug,
    SessionOf<S>: core::fmt::Debug,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuthSession")
            .field("user", &self.user)
            .field("session", &self.session)
            .finish()
    }
}

/// Why [`AuthSession`] refused a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionRejection {
    /// No session cookie, or its session is unknown or expired: `401 Unauthorized`.
    Unauthorized,
    /// The adapter failed: `503 Service Unavailable` for [`AdapterError::Connection`], `500`
    /// otherwise. The error is kept for logging; the response body does not show it.
    Adapter(AdapterError),
}

impl core::fmt::Display for SessionRejection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SessionRejection::Unauthorized => f.write_str("not signed in"),
            SessionRejection::Adapter(e) => write!(f, "cannot read the session: {e}"),
        }
    }
}

impl std::error::Error for SessionRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionRejection::Unauthorized => None,
            SessionRejection::Adapter(e) => Some(e),
        }
    }
}

impl IntoResponse for SessionRejection {
    fn into_response(self) -> Response {
        match self {
            SessionRejection::Unauthorized => {
                (StatusCode::UNAUTHORIZED, "not signed in").into_response()
            }
            SessionRejection::Adapter(AdapterError::Connection { .. }) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "the session store is unavailable",
            )
                .into_response(),
            SessionRejection::Adapter(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "cannot read the session").into_response()
            }
        }
    }
}

impl<St, S> FromRequestParts<St> for AuthSession<S>
where
    S: AuthSchema,
    Arc<dyn Adapter<S>>: FromRef<St>,
    St: Send + Sync,
{
    type Rejection = SessionRejection;

    async fn from_request_parts(parts: &mut Parts, state: &St) -> Result<Self, Self::Rejection> {
        let adapter = Arc::<dyn Adapter<S>>::from_ref(state);
        current_session(&*adapter, &parts.headers)
            .await?
            .ok_or(SessionRejection::Unauthorized)
    }
}

impl<St, S> OptionalFromRequestParts<St> for AuthSession<S>
where
    S: AuthSchema,
    Arc<dyn Adapter<S>>: FromRef<St>,
    St: Send + Sync,
{
    type Rejection = SessionRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &St,
    ) -> Result<Option<Self>, Self::Rejection> {
        let adapter = Arc::<dyn Adapter<S>>::from_ref(state);
        current_session(&*adapter, &parts.headers).await
    }
}

/// The valid session of a request, if it has one: each of its session cookies
/// ([`session_tokens`]) looked up in turn until one names a session that has not expired.
///
/// A token the database cannot hold (a NUL byte on PostgreSQL, say) is an unknown session, not
/// an error.
pub async fn current_session<S: AuthSchema>(
    adapter: &dyn Adapter<S>,
    headers: &HeaderMap,
) -> Result<Option<AuthSession<S>>, SessionRejection> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    for token in session_tokens(headers).iter().take(MAX_LOOKUPS) {
        match adapter.get_session_and_user(token).await {
            Ok(Some((session, user))) if session.expires.timestamp_millis() > now_ms => {
                return Ok(Some(AuthSession { user, session }));
            }
            Ok(_) | Err(AdapterError::InvalidInput { .. }) => {}
            Err(e) => return Err(SessionRejection::Adapter(e)),
        }
    }
    Ok(None)
}

/// The values of the Auth.js session cookies in `headers` ([`SESSION_COOKIES`]), most preferred
/// name first, then in the order sent; without duplicates or empty values.
///
/// Every `Cookie` header is read (HTTP/2 may split them). A value in double quotes is unquoted,
/// and percent-escapes are decoded as the `cookie` package Auth.js writes them with does
/// (`encodeURIComponent`); a value that does not decode is taken as it is.
///
/// ```
/// use authjs_db::axum::session_tokens;
/// use http::{HeaderMap, HeaderValue, header::COOKIE};
///
/// let mut headers = HeaderMap::new();
/// headers.append(COOKIE, HeaderValue::from_static("theme=dark; next-auth.session-token=old"));
/// headers.append(COOKIE, HeaderValue::from_static("authjs.session-token=\"a%2Bb\""));
/// assert_eq!(session_tokens(&headers), ["a+b", "old"]);
/// ```
pub fn session_tokens(headers: &HeaderMap) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for value in headers.get_all(header::COOKIE) {
        // A header that is not UTF-8 holds no Auth.js cookie (their values are ASCII).
        let Ok(value) = std::str::from_utf8(value.as_bytes()) else {
            continue;
        };
        for pair in value.split(';') {
            let Some((name, raw)) = pair.split_once('=') else {
                continue;
            };
            let name = name.trim_matches([' ', '\t']);
            let Some(rank) = SESSION_COOKIES.iter().position(|n| *n == name) else {
                continue;
            };
            let raw = raw.trim_matches([' ', '\t']);
            let raw = raw
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .unwrap_or(raw);
            let token = percent_decode(raw).unwrap_or_else(|| raw.to_owned());
            if !token.is_empty() && !found.iter().any(|(_, t)| *t == token) {
                found.push((rank, token));
            }
        }
    }
    // A stable sort keeps the order sent within one name.
    found.sort_by_key(|(rank, _)| *rank);
    found.into_iter().map(|(_, token)| token).collect()
}

/// `%XX` escapes decoded, as `decodeURIComponent` does; `None` for a malformed escape or
/// bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::COOKIE, HeaderValue::from_bytes(v).unwrap());
        }
        h
    }

    #[test]
    fn reads_every_cookie_name_in_order_of_preference() {
        let h = headers(&[
            b"next-auth.session-token=v4; __Secure-next-auth.session-token=v4s",
            b"authjs.session-token=v5;__Secure-authjs.session-token=v5s",
        ]);
        assert_eq!(session_tokens(&h), ["v5s", "v5", "v4s", "v4"]);
    }

    #[test]
    fn ignores_other_cookies_and_lookalikes() {
        let h = headers(&[
            b"authjs.session-token.0=chunk; xauthjs.session-token=x; authjs.csrf-token=c",
            b"AUTHJS.SESSION-TOKEN=upper; authjs.session-token; =v; authjs.session-token=",
        ]);
        assert!(session_tokens(&h).is_empty(), "{:?}", session_tokens(&h));
    }

    #[test]
    fn unquotes_trims_and_decodes() {
        let h = headers(&[b" authjs.session-token = \"3f1b%2D9\" ;  theme=dark"]);
        assert_eq!(session_tokens(&h), ["3f1b-9"]);
        // A value that does not decode is taken as sent; an `=` in a value is kept.
        let h = headers(&[b"authjs.session-token=100%; next-auth.session-token=a=b"]);
        assert_eq!(session_tokens(&h), ["100%", "a=b"]);
    }

    #[test]
    fn deduplicates_and_skips_headers_that_are_not_utf8() {
        let h = headers(&[
            b"authjs.session-token=t1; authjs.session-token=t2",
            b"authjs.session-token=t1",
            b"next-auth.session-token=\xff",
        ]);
        assert_eq!(session_tokens(&h), ["t1", "t2"]);
    }

    #[test]
    fn rejections_answer_401_503_and_500() {
        let status = |r: SessionRejection| r.into_response().status();
        assert_eq!(status(SessionRejection::Unauthorized), 401);
        assert_eq!(
            status(SessionRejection::Adapter(AdapterError::Connection {
                message: "down".into(),
                source: None
            })),
            503
        );
        assert_eq!(
            status(SessionRejection::Adapter(AdapterError::Database {
                message: "boom".into(),
                source: None
            })),
            500
        );
    }
}
