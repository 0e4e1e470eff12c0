//! Row structs: the Auth.js models with their JSON field names, and how they map to columns.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::column::{ColumnInfo, Table};
use crate::value::{DecodeError, IntoValue, RowReader, Value};

/// A struct decoded from a whole row, in column order.
pub trait Row: Sized + Send + 'static {
    /// Reads every column in order.
    fn decode(reader: &mut dyn RowReader) -> Result<Self, DecodeError>;
    /// Writes every column in order.
    fn encode(self, out: &mut Vec<Value>);
}

/// A table's extra columns, declared with [`extra_columns!`](crate::extra_columns).
///
/// `NoExtras` is the empty set used by the stock schemas.
pub trait Extras: Clone + core::fmt::Debug + PartialEq + Send + Sync + 'static {
    /// The extra columns, in order.
    const COLUMNS: &'static [ColumnInfo];
    /// Every extra column unset, for an insert given column by column.
    type EmptySlots;
    /// Per extra column, whether an insert must give it.
    type RequiredSlots;
    /// Reads the extra columns in order.
    fn decode(reader: &mut dyn RowReader) -> Result<Self, DecodeError>;
    /// Writes the extra columns in order.
    fn encode(self, out: &mut Vec<Value>);
}

/// No extra columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoExtras {}

impl Extras for NoExtras {
    const COLUMNS: &'static [ColumnInfo] = &[];
    type EmptySlots = crate::slots::End;
    type RequiredSlots = crate::slots::End;
    fn decode(_: &mut dyn RowReader) -> Result<Self, DecodeError> {
        Ok(NoExtras {})
    }
    fn encode(self, _: &mut Vec<Value>) {}
}

/// Something that can be inserted as one row of `T`.
///
/// It yields one entry per column of `T` (extras included), in order; `None` leaves the column to
/// its database default.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be inserted into table `{T}`",
    label = "expected the insert struct of this table, such as `NewUser` for a User table"
)]
pub trait Insertable<T: Table> {
    /// The values, one per column.
    fn into_values(self) -> Vec<Option<Value>>;
}

impl<T: Table<Row = R>, R: Row> Insertable<T> for R {
    fn into_values(self) -> Vec<Option<Value>> {
        let mut out = Vec::with_capacity(T::INFO.columns.len() + T::INFO.extras.len());
        self.encode(&mut out);
        out.into_iter().map(Some).collect()
    }
}

/// Declares a row struct whose fields follow the table's column order.
macro_rules! row_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty => $json:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct $name<X = NoExtras> {
            $( $(#[$fmeta])* #[serde(rename = $json)] pub $field: $ty, )*
            /// Extra columns of a custom schema.
            #[serde(flatten)]
            pub extra: X,
        }

        impl<X: Extras> Row for $name<X> {
            fn decode(reader: &mut dyn RowReader) -> Result<Self, DecodeError> {
                Ok(Self {
                    $( $field: crate::__private::field(reader, $json)?, )*
                    extra: X::decode(reader)?,
                })
            }
            fn encode(self, out: &mut Vec<Value>) {
                $( out.push(self.$field.into_value()); )*
                self.extra.encode(out);
            }
        }
    };
}

row_struct! {
    /// An Auth.js `AdapterUser`.
    ///
    /// ```
    /// let user: auth_schema::User = serde_json::from_str(
    ///     r#"{"id":"u1","name":null,"email":"a@b.c","emailVerified":"2025-01-31T12:34:56.789Z","image":null}"#,
    /// ).unwrap();
    /// assert_eq!(user.email_verified.unwrap().timestamp_subsec_millis(), 789);
    /// ```
    pub struct User {
        /// A UUID v4 string.
        id: String => "id",
        /// Display name.
        name: Option<String> => "name",
        /// Unique e-mail address.
        email: String => "email",
        /// When the address was verified, if ever.
        email_verified: Option<DateTime<Utc>> => "emailVerified",
        /// Avatar URL.
        image: Option<String> => "image",
    }
}

row_struct! {
    /// An Auth.js `AdapterAccount`: one OAuth, e-mail or WebAuthn link to a user.
    pub struct Account {
        /// The owning user.
        user_id: String => "userId",
        /// `oauth`, `oidc`, `email` or `webauthn`.
        account_type: String => "type",
        /// Provider id, e.g. `github`.
        provider: String => "provider",
        /// The account's id at the provider.
        provider_account_id: String => "providerAccountId",
        /// OAuth refresh token.
        refresh_token: Option<String> => "refresh_token",
        /// OAuth access token.
        access_token: Option<String> => "access_token",
        /// Absolute expiry, in Unix seconds.
        expires_at: Option<i64> => "expires_at",
        /// Token type, e.g. `bearer`.
        token_type: Option<String> => "token_type",
        /// Granted scopes.
        scope: Option<String> => "scope",
        /// OpenID Connect id token.
        id_token: Option<String> => "id_token",
        /// Provider session state.
        session_state: Option<String> => "session_state",
    }
}

row_struct! {
    /// An Auth.js `AdapterSession`.
    pub struct Session {
        /// The owning user.
        user_id: String => "userId",
        /// The session cookie's value.
        session_token: String => "sessionToken",
        /// When the session expires.
        expires: DateTime<Utc> => "expires",
    }
}

row_struct! {
    /// An Auth.js `VerificationToken` (the token is stored hashed by the core).
    pub struct VerificationToken {
        /// The e-mail address it was sent to.
        identifier: String => "identifier",
        /// The hashed token.
        token: String => "token",
        /// When it expires.
        expires: DateTime<Utc> => "expires",
    }
}

row_struct! {
    /// An Auth.js `AdapterAuthenticator` (a WebAuthn credential).
    pub struct Authenticator {
        /// Base64 credential id.
        credential_id: String => "credentialID",
        /// The owning user.
        user_id: String => "userId",
        /// The linked account's provider account id.
        provider_account_id: String => "providerAccountId",
        /// Base64 public key.
        credential_public_key: String => "credentialPublicKey",
        /// Signature counter.
        counter: i64 => "counter",
        /// `singleDevice` or `multiDevice`.
        credential_device_type: String => "credentialDeviceType",
        /// Whether the credential is backed up.
        credential_backed_up: bool => "credentialBackedUp",
        /// Comma-separated transports, e.g. `usb,ble,nfc`.
        transports: Option<String> => "transports",
    }
}

/// The insert struct for a User table: like [`User`], but `id` may be left to be generated.
///
/// Required columns are plain fields, so leaving one out is a compile error:
///
/// ```
/// use auth_schema::NewUser;
/// let new = NewUser { id: None, name: None, email: "a@b.c".into(), email_verified: None, image: None, extra: Default::default() };
/// # let _: NewUser = new;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUser<X = NoExtras> {
    /// `None` generates a UUID v4 on insert, as `@auth/kysely-adapter` does.
    #[serde(default)]
    pub id: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Unique e-mail address.
    pub email: String,
    /// When the address was verified, if ever.
    #[serde(rename = "emailVerified", default)]
    pub email_verified: Option<DateTime<Utc>>,
    /// Avatar URL.
    #[serde(default)]
    pub image: Option<String>,
    /// Extra columns of a custom schema.
    #[serde(flatten)]
    pub extra: X,
}

impl<X> NewUser<X> {
    /// The user row this insert writes, with the id generated when it was `None`.
    pub fn into_user(self) -> User<X> {
        User {
            id: self
                .id
                .unwrap_or_else(|| uuid::Uuid::new_v4().hyphenated().to_string()),
            name: self.name,
            email: self.email,
            email_verified: self.email_verified,
            image: self.image,
            extra: self.extra,
        }
    }
}

impl<T, X> Insertable<T> for NewUser<X>
where
    X: Extras,
    T: Table<Row = User<X>>,
{
    fn into_values(self) -> Vec<Option<Value>> {
        Insertable::<T>::into_values(self.into_user())
    }
}
