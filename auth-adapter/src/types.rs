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

/// An account's key: its provider and its id at that provider, the primary key of Auth.js's
/// Account table. `get_user_by_account`, `unlink_account` and `get_account` all take one, so
/// the two strings cannot be swapped by accident (Auth.js's own `getAccount` takes them in the
/// opposite order from the other two).
///
/// ```
/// use auth_adapter::AccountKey;
/// let key = AccountKey { provider: "github", provider_account_id: "1234" };
/// assert_eq!(key, AccountKey::new("github", "1234"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountKey<'a> {
    /// The provider's id, `github`.
    pub provider: &'a str,
    /// The account's id at the provider (`providerAccountId`).
    pub provider_account_id: &'a str,
}

impl<'a> AccountKey<'a> {
    /// The key of the account `provider_account_id` at `provider`.
    pub const fn new(provider: &'a str, provider_account_id: &'a str) -> Self {
        AccountKey {
            provider,
            provider_account_id,
        }
    }
}

/// The key of a stored account.
impl<'a, X> From<&'a Account<X>> for AccountKey<'a> {
    fn from(account: &'a Account<X>) -> Self {
        AccountKey::new(&account.provider, &account.provider_account_id)
    }
}

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
