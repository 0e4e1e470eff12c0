//! The adapter's inputs that are not whole rows: partial updates, and per-schema row aliases.

use auth_schema::{
    Account, AccountTable, AuthSchema, Authenticator, AuthenticatorTable, Session, SessionTable,
    User, UserTable, VerificationToken, VerificationTokenTable,
};
use chrono::{DateTime, Utc};

/// The extra columns of schema `S`'s User table.
pub type UserExtra<S> = <<S as AuthSchema>::User as UserTable>::Extra;
/// A user row of schema `S`.
pub type UserOf<S> = User<UserExtra<S>>;
/// An account row of schema `S`.
pub type AccountOf<S> = Account<<<S as AuthSchema>::Account as AccountTable>::Extra>;
/// A session row of schema `S`.
pub type SessionOf<S> = Session<<<S as AuthSchema>::Session as SessionTable>::Extra>;
/// A verification token row of schema `S`.
pub type VerificationTokenOf<S> =
    VerificationToken<<<S as AuthSchema>::VerificationToken as VerificationTokenTable>::Extra>;
/// An authenticator row of schema `S`.
pub type AuthenticatorOf<S> =
    Authenticator<<<S as AuthSchema>::Authenticator as AuthenticatorTable>::Extra>;

/// `updateUser`'s input: the id, and the fields to change. `None` leaves a field as it is;
/// `Some(None)` sets a nullable field to NULL.
///
/// ```
/// use auth_adapter::UserUpdate;
/// let update: UserUpdate = UserUpdate { name: Some(Some("Ada".into())), ..UserUpdate::new("user-id") };
/// assert!(update.email.is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UserUpdate<X = auth_schema::NoExtras> {
    /// Which user.
    pub id: String,
    /// New display name.
    pub name: Option<Option<String>>,
    /// New e-mail address.
    pub email: Option<String>,
    /// New verification time.
    pub email_verified: Option<Option<DateTime<Utc>>>,
    /// New avatar URL.
    pub image: Option<Option<String>>,
    /// New values for every extra column.
    pub extra: Option<X>,
}

impl<X> UserUpdate<X> {
    /// An update of user `id` that changes nothing yet.
    pub fn new(id: impl Into<String>) -> Self {
        UserUpdate {
            id: id.into(),
            name: None,
            email: None,
            email_verified: None,
            image: None,
            extra: None,
        }
    }
}

/// `updateSession`'s input: the token, and the fields to change.
///
/// ```
/// use auth_adapter::SessionUpdate;
/// let update = SessionUpdate { expires: Some(chrono::Utc::now()), ..SessionUpdate::new("token") };
/// assert!(update.user_id.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUpdate {
    /// Which session.
    pub session_token: String,
    /// New owner.
    pub user_id: Option<String>,
    /// New expiry.
    pub expires: Option<DateTime<Utc>>,
}

impl SessionUpdate {
    /// An update of session `token` that changes nothing yet.
    pub fn new(token: impl Into<String>) -> Self {
        SessionUpdate {
            session_token: token.into(),
            user_id: None,
            expires: None,
        }
    }
}
