//! `schema!` declares the five Auth.js tables; `extra_columns!` adds typed columns to one.
//!
//! Both are `macro_rules!`, not proc macros, to keep builds fast.

/// Declares a module holding the five Auth.js tables as typed columns, and a `Schema` type that
/// implements [`AuthSchema`](crate::AuthSchema).
///
/// Options, in this order:
/// - `naming`: `Kysely` (`"User"."emailVerified"`) or `SnakeCase` (`"user"."email_verified"`);
/// - `id`: `Uuid` (native `uuid` on Postgres), `Varchar36` or `Text`;
/// - `postgres_schema` (optional): a schema that qualifies every table on Postgres;
/// - `rename` (optional): single tables or columns by Auth.js name, applied over the preset;
/// - `user_extras`, `account_extras`, `session_extras`, `verification_token_extras`,
///   `authenticator_extras` (each optional): a struct made with
///   [`extra_columns!`](crate::extra_columns).
///
/// ```
/// use auth_schema::{Column, Table};
///
/// auth_schema::schema! {
///     /// Our tables: snake_case, in the `auth` schema, with plural user table.
///     pub mod app {
///         naming: SnakeCase,
///         id: Text,
///         postgres_schema: "auth",
///         rename: { "User" => "users", "User"."emailVerified" => "verified_at" },
///     }
/// }
///
/// assert_eq!(app::user::table::INFO.name, "users");
/// assert_eq!(app::user::table::INFO.postgres_schema, Some("auth"));
/// assert_eq!(<app::user::email_verified as Column>::INFO.name, "verified_at");
/// assert_eq!(<app::account::provider_account_id as Column>::INFO.name, "provider_account_id");
/// ```
#[macro_export]
macro_rules! schema {
    (
        $(#[$meta:meta])*
        $vis:vis mod $name:ident {
            naming: $naming:ident,
            id: $id:ident,
            $(postgres_schema: $pgs:literal,)?
            $(rename: { $( $rmodel:literal $(. $rfield:literal)? => $rto:literal ),* $(,)? },)?
            $(user_extras: $ux:ty,)?
            $(account_extras: $ax:ty,)?
            $(session_extras: $sx:ty,)?
            $(verification_token_extras: $vx:ty,)?
            $(authenticator_extras: $aux:ty,)?
        }
    ) => {
        $(#[$meta])*
        #[allow(non_camel_case_types)]
        $vis mod $name {
            #[allow(unused_imports)]
            use super::*;

            /// The naming preset of this schema.
            pub const NAMING: $crate::naming::Naming = $crate::naming::Naming::$naming;
            /// The Postgres schema that qualifies the tables, if any.
            pub const POSTGRES_SCHEMA: ::core::option::Option<&'static str> = $crate::__opt!($($pgs)?);
            /// Renames applied over the preset.
            pub const RENAMES: &[$crate::naming::Rename] = &[
                $($( $crate::naming::Rename { model: $rmodel, field: $crate::__opt!($($rfield)?), to: $rto } ),*)?
            ];
            type __UserExtras = $crate::__extras!($($ux)?);
            type __AccountExtras = $crate::__extras!($($ax)?);
            type __SessionExtras = $crate::__extras!($($sx)?);
            type __VerificationTokenExtras = $crate::__extras!($($vx)?);
            type __AuthenticatorExtras = $crate::__extras!($($aux)?);

            /// This set of tables, for code generic over [`AuthSchema`]($crate::AuthSchema).
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct Schema;

            impl $crate::AuthSchema for Schema {
                type User = user::table;
                type Account = account::table;
                type Session = session::table;
                type VerificationToken = verification_token::table;
                type Authenticator = authenticator::table;
            }

            $crate::__distinct!(user account session verification_token authenticator);

            $crate::__table! {
                user, "User", User, UserTable, __UserExtras,
                pk [id], unique [[email]], index [], fk [],
                {
                    id: $crate::__id_sql!($id) => $crate::ColumnType::Id($crate::IdType::$id), "id",
                        ::core::option::Option::Some($crate::ColumnDefault::RandomUuid), Id;
                    name: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::Text, "name", None, Name;
                    email: $crate::sql::Text => $crate::ColumnType::Text, "email", None, Email;
                    email_verified: $crate::sql::Nullable<$crate::sql::Timestamp> => $crate::ColumnType::Timestamp, "emailVerified", None, EmailVerified;
                    image: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "image", None, Image;
                }
            }

            $crate::__table! {
                account, "Account", Account, AccountTable, __AccountExtras,
                pk [provider, provider_account_id], unique [], index [[user_id]], fk [user_id],
                {
                    user_id: $crate::__id_sql!($id) => $crate::ColumnType::Id($crate::IdType::$id), "userId", None, @UserId;
                    account_type: $crate::sql::Text => $crate::ColumnType::Text, "type" as "type", None, Type;
                    provider: $crate::sql::Text => $crate::ColumnType::Text, "provider", None, Provider;
                    provider_account_id: $crate::sql::Text => $crate::ColumnType::Text, "providerAccountId", None, ProviderAccountId;
                    refresh_token: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "refresh_token", None, RefreshToken;
                    access_token: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "access_token", None, AccessToken;
                    expires_at: $crate::sql::Nullable<$crate::sql::BigInt> => $crate::ColumnType::BigInt, "expires_at", None, ExpiresAt;
                    token_type: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::Text, "token_type", None, TokenType;
                    scope: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "scope", None, Scope;
                    id_token: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "id_token", None, IdToken;
                    session_state: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "session_state", None, SessionState;
                }
            }

            $crate::__table! {
                session, "Session", Session, SessionTable, __SessionExtras,
                pk [session_token], unique [], index [[user_id]], fk [user_id],
                {
                    user_id: $crate::__id_sql!($id) => $crate::ColumnType::Id($crate::IdType::$id), "userId", None, @UserId;
                    session_token: $crate::sql::Text => $crate::ColumnType::Text, "sessionToken", None, SessionToken;
                    expires: $crate::sql::Timestamp => $crate::ColumnType::Timestamp, "expires", None, Expires;
                }
            }

            $crate::__table! {
                verification_token, "VerificationToken", VerificationToken, VerificationTokenTable, __VerificationTokenExtras,
                pk [identifier, token], unique [[token]], index [], fk [],
                {
                    identifier: $crate::sql::Text => $crate::ColumnType::Text, "identifier", None, Identifier;
                    token: $crate::sql::Text => $crate::ColumnType::Text, "token", None, Token;
                    expires: $crate::sql::Timestamp => $crate::ColumnType::Timestamp, "expires", None, Expires;
                }
            }

            $crate::__table! {
                authenticator, "Authenticator", Authenticator, AuthenticatorTable, __AuthenticatorExtras,
                pk [user_id, credential_id], unique [[credential_id]], index [], fk [user_id],
                {
                    credential_id: $crate::sql::Text => $crate::ColumnType::Text, "credentialID", None, CredentialId;
                    user_id: $crate::__id_sql!($id) => $crate::ColumnType::Id($crate::IdType::$id), "userId", None, @UserId;
                    provider_account_id: $crate::sql::Text => $crate::ColumnType::Text, "providerAccountId", None, ProviderAccountId;
                    credential_public_key: $crate::sql::Text => $crate::ColumnType::LongText, "credentialPublicKey", None, CredentialPublicKey;
                    counter: $crate::sql::BigInt => $crate::ColumnType::BigInt, "counter", None, Counter;
                    credential_device_type: $crate::sql::Text => $crate::ColumnType::Text, "credentialDeviceType", None, CredentialDeviceType;
                    credential_backed_up: $crate::sql::Bool => $crate::ColumnType::Bool, "credentialBackedUp", None, CredentialBackedUp;
                    transports: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::Text, "transports", None, Transports;
                }
            }
        }
    };
}

/// Declares every ordered pair of distinct tables, so a query can prove a table is not joined twice.
#[doc(hidden)]
#[macro_export]
macro_rules! __distinct {
    ($first:ident $($rest:ident)*) => {
        $(
            #[diagnostic::do_not_recommend]
            impl $crate::DistinctFrom<$rest::table> for $first::table {}
            #[diagnostic::do_not_recommend]
            impl $crate::DistinctFrom<$first::table> for $rest::table {}
        )*
        $crate::__distinct!($($rest)*);
    };
    () => {};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __opt {
    () => {
        ::core::option::Option::None
    };
    ($v:expr) => {
        ::core::option::Option::Some($v)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __extras {
    () => {
        $crate::NoExtras
    };
    ($t:ty) => {
        $t
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __id_sql {
    (Uuid) => {
        $crate::sql::Uuid
    };
    (Varchar36) => {
        $crate::sql::Text
    };
    (Text) => {
        $crate::sql::Text
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __table {
    (
        $table:ident, $model:literal, $row:ident, $contract:ident, $extras:ident,
        pk [$($pk:ident),*], unique [$([$($uq:ident),*]),*], index [$([$($ix:ident),*]),*], fk [$($fk:ident),*],
        { $( $col:ident : $sql:ty => $ty:expr, $field:literal $(as $snake:literal)?, $default:expr, $(@$fkassoc:ident)? $($assoc:ident)?; )* }
    ) => {
        #[doc = concat!("The Auth.js `", $model, "` table and its columns.")]
        pub mod $table {
            #[allow(unused_imports)]
            use super::*;

            #[doc = concat!("The `", $model, "` table.")]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct table;

            impl $crate::Table for table {
                type Row = $crate::$row<super::$extras>;
                const INFO: $crate::TableInfo = $crate::TableInfo {
                    name: $crate::naming::resolve(super::NAMING, super::RENAMES, $model, None, $model, stringify!($table)),
                    model: $model,
                    postgres_schema: super::POSTGRES_SCHEMA,
                    columns: &[$( <$col as $crate::Column>::INFO ),*],
                    extras: <super::$extras as $crate::Extras>::COLUMNS,
                    primary_key: &[$( <$pk as $crate::Column>::INFO.name ),*],
                    unique: &[$( &[$( <$uq as $crate::Column>::INFO.name ),*] ),*],
                    indexes: &[$( &[$( <$ix as $crate::Column>::INFO.name ),*] ),*],
                    foreign_keys: &[$( $crate::ForeignKeyInfo {
                        column: <$fk as $crate::Column>::INFO.name,
                        ref_table: <super::user::table as $crate::Table>::INFO.name,
                        ref_column: <super::user::id as $crate::Column>::INFO.name,
                    } ),*],
                };
            }

            // Not listed as alternatives when a hand-written table misses the contract.
            #[diagnostic::do_not_recommend]
            impl $crate::$contract for table {
                type Extra = super::$extras;
                $($( type $assoc = $col; )?)*
            }

            $($(
                impl $crate::BelongsToUser for table {
                    type $fkassoc = $col;
                }
            )?)*

            $(
                #[doc = concat!("The `", $model, ".", $field, "` column.")]
                #[derive(Debug, Clone, Copy, Default)]
                pub struct $col;

                impl $crate::Column for $col {
                    type Table = table;
                    type Sql = $sql;
                    type Rust = <$sql as $crate::sql::SqlType>::Rust;
                    const INFO: $crate::ColumnInfo = $crate::ColumnInfo {
                        name: $crate::naming::resolve(super::NAMING, super::RENAMES, $model, Some($field), $field, $crate::__first!($($snake,)? stringify!($col))),
                        field: $field,
                        ty: $ty,
                        nullable: <$sql as $crate::sql::SqlType>::NULLABLE,
                        default: $default,
                    };
                }
            )*
        }
    };
}

/// Declares typed extra columns for one table of a [`schema!`](crate::schema), as a struct that
/// round-trips through inserts, updates and whole-row selects.
///
/// Each field is `name: SqlType = "authJsField"`, optionally followed by `as "column_name"` when
/// the physical column differs. The struct derives serde with the Auth.js field names, so your
/// crate needs `serde` as a dependency. Nullable extras decode as `Option`.
///
/// ```
/// use auth_schema::{sql::{Nullable, Text}, Column, Table};
///
/// auth_schema::extra_columns! {
///     /// What our app stores about users beyond Auth.js.
///     pub struct UserExtras for app::user::table, columns in mod user_extra {
///         /// E.164 phone number.
///         phone_number: Nullable<Text> = "phoneNumber" as "phone_number",
///         role: Nullable<Text> = "role",
///     }
/// }
///
/// auth_schema::schema! {
///     pub mod app {
///         naming: SnakeCase,
///         id: Uuid,
///         user_extras: UserExtras,
///     }
/// }
///
/// fn main() {
///     assert_eq!(<user_extra::phone_number as Column>::INFO.name, "phone_number");
///     assert_eq!(app::user::table::INFO.extras.len(), 2);
///     let user: auth_schema::User<UserExtras> = serde_json::from_str(
///         r#"{"id":"1","name":null,"email":"a@b.c","emailVerified":null,"image":null,"phoneNumber":"+1","role":null}"#,
///     ).unwrap();
///     assert_eq!(user.extra.phone_number.as_deref(), Some("+1"));
/// }
/// ```
#[macro_export]
macro_rules! extra_columns {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident for $table:ty, columns in $cvis:vis mod $cmod:ident {
            $( $(#[$fmeta:meta])* $field:ident : $sql:ty = $json:literal $(as $column:literal)? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        $vis struct $name {
            $( $(#[$fmeta])* #[serde(rename = $json)] pub $field: <$sql as $crate::sql::SqlType>::Rust, )*
        }

        #[doc = concat!("The columns of [`", stringify!($name), "`].")]
        #[allow(non_camel_case_types)]
        $cvis mod $cmod {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[doc = concat!("The extra `", $json, "` column.")]
                #[derive(Debug, Clone, Copy, Default)]
                pub struct $field;

                impl $crate::Column for $field {
                    type Table = $table;
                    type Sql = $sql;
                    type Rust = <$sql as $crate::sql::SqlType>::Rust;
                    const INFO: $crate::ColumnInfo = $crate::ColumnInfo {
                        name: $crate::__first!($($column,)? $json),
                        field: $json,
                        ty: <$sql as $crate::sql::SqlType>::COLUMN_TYPE,
                        nullable: <$sql as $crate::sql::SqlType>::NULLABLE,
                        default: None,
                    };
                }
            )*
        }

        impl $crate::Extras for $name {
            const COLUMNS: &'static [$crate::ColumnInfo] = &[$( <$cmod::$field as $crate::Column>::INFO ),*];

            fn decode(reader: &mut dyn $crate::RowReader) -> ::core::result::Result<Self, $crate::DecodeError> {
                ::core::result::Result::Ok(Self {
                    $( $field: $crate::FromValue::from_value(reader.read()?)
                        .map_err(|e| $crate::DecodeError::new(format!("field `{}`: {}", $json, e)))?, )*
                })
            }

            fn encode(self, out: &mut ::std::vec::Vec<$crate::Value>) {
                $( out.push($crate::IntoValue::into_value(self.$field)); )*
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __first {
    ($a:expr $(, $rest:expr)*) => {
        $a
    };
}
