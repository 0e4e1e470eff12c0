//! The Auth.js contract: what a set of tables must provide to back the adapter.
//!
//! A schema made with [`schema!`](crate::schema) satisfies it by construction. A hand-written
//! table that lacks a required column, or whose `userId` has another SQL type than the user id,
//! is rejected at compile time with a message naming the table.

use crate::column::{Column, DistinctFrom, Table};
use crate::row::{Account, Authenticator, Extras, Session, User, VerificationToken};
use crate::sql::{BigInt, Bool, Nullable, Text, Timestamp};

/// The Auth.js User table.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as the Auth.js User table",
    label = "it must declare the columns id, name, email, emailVerified and image",
    note = "declare tables with `auth_schema::schema!`, which generates every required column"
)]
pub trait UserTable: Table<Row = User<Self::Extra>> {
    /// Extra columns.
    type Extra: Extras;
    /// `id`: the primary key.
    type Id: Column<Table = Self, Rust = String>;
    /// `name`.
    type Name: Column<Table = Self, Sql = Nullable<Text>>;
    /// `email`, unique.
    type Email: Column<Table = Self, Sql = Text>;
    /// `emailVerified`.
    type EmailVerified: Column<Table = Self, Sql = Nullable<Timestamp>>;
    /// `image`.
    type Image: Column<Table = Self, Sql = Nullable<Text>>;
}

/// A table with a `userId` foreign key to the User table.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `userId` column",
    label = "Account, Session and Authenticator tables must reference the user"
)]
pub trait BelongsToUser: Table {
    /// `userId`.
    type UserId: Column<Table = Self, Rust = String>;
}

/// The Auth.js Account table.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as the Auth.js Account table",
    label = "it must declare userId, type, provider, providerAccountId and the OAuth token columns",
    note = "declare tables with `auth_schema::schema!`, which generates every required column"
)]
pub trait AccountTable: BelongsToUser + Table<Row = Account<Self::Extra>> {
    /// Extra columns.
    type Extra: Extras;
    /// `type`.
    type Type: Column<Table = Self, Sql = Text>;
    /// `provider`.
    type Provider: Column<Table = Self, Sql = Text>;
    /// `providerAccountId`.
    type ProviderAccountId: Column<Table = Self, Sql = Text>;
    /// `refresh_token`.
    type RefreshToken: Column<Table = Self, Sql = Nullable<Text>>;
    /// `access_token`.
    type AccessToken: Column<Table = Self, Sql = Nullable<Text>>;
    /// `expires_at`, Unix seconds.
    type ExpiresAt: Column<Table = Self, Sql = Nullable<BigInt>>;
    /// `token_type`.
    type TokenType: Column<Table = Self, Sql = Nullable<Text>>;
    /// `scope`.
    type Scope: Column<Table = Self, Sql = Nullable<Text>>;
    /// `id_token`.
    type IdToken: Column<Table = Self, Sql = Nullable<Text>>;
    /// `session_state`.
    type SessionState: Column<Table = Self, Sql = Nullable<Text>>;
}

/// The Auth.js Session table.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as the Auth.js Session table",
    label = "it must declare userId, sessionToken and expires",
    note = "declare tables with `auth_schema::schema!`, which generates every required column"
)]
pub trait SessionTable: BelongsToUser + Table<Row = Session<Self::Extra>> {
    /// Extra columns.
    type Extra: Extras;
    /// `sessionToken`, unique.
    type SessionToken: Column<Table = Self, Sql = Text>;
    /// `expires`.
    type Expires: Column<Table = Self, Sql = Timestamp>;
}

/// The Auth.js VerificationToken table.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as the Auth.js VerificationToken table",
    label = "it must declare identifier, token and expires",
    note = "declare tables with `auth_schema::schema!`, which generates every required column"
)]
pub trait VerificationTokenTable: Table<Row = VerificationToken<Self::Extra>> {
    /// Extra columns.
    type Extra: Extras;
    /// `identifier`.
    type Identifier: Column<Table = Self, Sql = Text>;
    /// `token`, unique.
    type Token: Column<Table = Self, Sql = Text>;
    /// `expires`.
    type Expires: Column<Table = Self, Sql = Timestamp>;
}

/// The Auth.js Authenticator (WebAuthn) table, in the Prisma/Drizzle layout.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as the Auth.js Authenticator table",
    label = "it must declare credentialID, userId, providerAccountId, credentialPublicKey, counter, credentialDeviceType, credentialBackedUp and transports",
    note = "declare tables with `auth_schema::schema!`, which generates every required column"
)]
pub trait AuthenticatorTable: BelongsToUser + Table<Row = Authenticator<Self::Extra>> {
    /// Extra columns.
    type Extra: Extras;
    /// `credentialID`, unique.
    type CredentialId: Column<Table = Self, Sql = Text>;
    /// `providerAccountId`.
    type ProviderAccountId: Column<Table = Self, Sql = Text>;
    /// `credentialPublicKey`.
    type CredentialPublicKey: Column<Table = Self, Sql = Text>;
    /// `counter`.
    type Counter: Column<Table = Self, Sql = BigInt>;
    /// `credentialDeviceType`.
    type CredentialDeviceType: Column<Table = Self, Sql = Text>;
    /// `credentialBackedUp`.
    type CredentialBackedUp: Column<Table = Self, Sql = Bool>;
    /// `transports`.
    type Transports: Column<Table = Self, Sql = Nullable<Text>>;
}

/// Holds when `Self.userId` has the SQL type of the user table's id.
#[diagnostic::on_unimplemented(
    message = "the foreign key `{Self}.userId` does not have the SQL type of the id of `{U}`",
    label = "the userId column and the user id column must have the same SQL type",
    note = "both must be `sql::Uuid`, or both `sql::Text`"
)]
pub trait UserIdMatches<U: UserTable> {}

#[diagnostic::do_not_recommend]
impl<T, U> UserIdMatches<U> for T
where
    T: BelongsToUser,
    U: UserTable,
    // Written from the user id's side: the same equality as `AuthSchema`'s `UserId` bound would
    // be reported once, as a bare E0271, instead of with this trait's message.
    U::Id: Column<Sql = <T::UserId as Column>::Sql>,
{
}

/// A complete set of Auth.js tables. Implemented by the `Schema` type of each
/// [`schema!`](crate::schema) module.
///
/// ```
/// use auth_schema::{AuthSchema, Table};
/// fn user_table_name<S: AuthSchema>() -> &'static str {
///     <S::User as Table>::INFO.name
/// }
/// assert_eq!(user_table_name::<auth_schema::kysely::Schema>(), "User");
/// assert_eq!(user_table_name::<auth_schema::snake_case::Schema>(), "user");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an Auth.js schema",
    label = "expected the `Schema` type of an `auth_schema::schema!` module, such as `auth_schema::kysely::Schema`"
)]
pub trait AuthSchema: crate::Database + Send + Sync + 'static {
    /// The User table.
    type User: UserTable
        + DistinctFrom<Self::Account>
        + DistinctFrom<Self::Session>
        + DistinctFrom<Self::Authenticator>;
    /// The Account table.
    type Account: AccountTable<UserId: Column<Sql = IdSql<Self>>>
        + UserIdMatches<Self::User>
        + DistinctFrom<Self::User>;
    /// The Session table.
    type Session: SessionTable<UserId: Column<Sql = IdSql<Self>>>
        + UserIdMatches<Self::User>
        + DistinctFrom<Self::User>;
    /// The VerificationToken table.
    type VerificationToken: VerificationTokenTable;
    /// The Authenticator table.
    type Authenticator: AuthenticatorTable<UserId: Column<Sql = IdSql<Self>>>
        + UserIdMatches<Self::User>
        + DistinctFrom<Self::User>;
}

/// The SQL type of a schema's user id (`sql::Uuid` or `sql::Text`).
pub type IdSql<S> = <<<S as AuthSchema>::User as UserTable>::Id as Column>::Sql;
