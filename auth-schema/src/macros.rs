//! The declaration macros: [`table!`](crate::table) for any table, [`schema!`](crate::schema)
//! for the five Auth.js tables, [`extra_columns!`](crate::extra_columns) for typed columns added
//! to an Auth.js table, and [`database!`](crate::database) for a set of tables.
//!
//! All of them are `macro_rules!`, not proc macros (no `syn` on the build's critical path), and
//! `table!` and `schema!` share one core, `__table_core!`: a user's table and an Auth.js table go
//! through the same code to DDL, the planner and the query builder. Each table costs O(columns)
//! generated items; the checks (keys, foreign keys, insert completeness) are generic impls in
//! this crate.

/// Declares any table: a module holding the table, one zero-sized type per column, a `Row`
/// struct (what `table.all()` decodes to) and a `New` struct (an insert, with `Option` for the
/// columns that have a default).
///
/// `Row` and `New` implement `Clone`, `Debug` and `PartialEq` (by their column values), and
/// `Row` serde's `Serialize` and `Deserialize` with the Rust field names, without a serde
/// dependency in your crate. The column types are `Copy` and `Default`, and not `Debug`: each
/// trait costs every column of every table at each check. A column declared twice is one error
/// that names it.
///
/// ```text
/// table! {
///     /// docs
///     pub mod <module> [as "<physical name>"] [in "<postgres schema>"] {
///         <column> [as "<physical name>"]: <SQL type> [= <default>],
///         ...
///     }
///     primary_key(<column>, ...);
///     [unique(<column>, ...);]...
///     [index(<column>, ...);]...
///     [foreign_key(<column>, ...) references <table module path>(<column>, ...) [on_delete(<action>)];]...
/// }
/// ```
///
/// - SQL types are the markers of [`sql`](crate::sql); `Nullable<_>` allows NULL.
/// - Defaults: `= default(<literal>)` (type-checked against the column: `default("x")` on a
///   `BigInt` does not compile), `= now` (timestamps), `= random_uuid` (UUIDs), `= identity`
///   (integers numbered by the database), `= sql("<expression>")` (used as written).
/// - Actions: `cascade`, `set_null` (nullable columns only), `set_default`, `restrict`,
///   `no_action` (the default).
/// - A foreign key may reference any table declared with `table!` or `schema!`, itself
///   included, by a path in scope where `table!` is invoked (or `crate::...`). Its columns must
///   have the referenced columns' SQL types, and the referenced columns must be a primary or
///   unique key; both are checked at compile time.
///
/// ```
/// use auth_schema::{Column, Table};
///
/// auth_schema::schema! {
///     pub mod auth {
///         naming: Kysely,
///         id: Uuid,
///     }
/// }
///
/// auth_schema::table! {
///     /// Blog posts, written by users.
///     pub mod post as "posts" {
///         id: BigInt = identity,
///         author_id as "authorId": Uuid,
///         title: Varchar<120>,
///         body: Nullable<LongText>,
///         published: Bool = default(false),
///         created_at: Timestamp = now,
///     }
///     primary_key(id);
///     unique(author_id, title);
///     index(created_at);
///     foreign_key(author_id) references auth::user(id) on_delete(cascade);
/// }
///
/// fn main() {
///     assert_eq!(post::table::INFO.name, "posts");
///     assert_eq!(<post::author_id as Column>::INFO.name, "authorId");
///     assert_eq!(post::table::INFO.foreign_keys[0].ref_table, "User");
///     let draft = post::New {
///         id: None,
///         author_id: "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10".into(),
///         title: "Hello".into(),
///         body: None,
///         published: None,
///         created_at: None,
///     };
///     # let _ = draft;
/// }
/// ```
#[macro_export]
macro_rules! table {
    (
        $(#[$meta:meta])*
        $vis:vis mod $table:ident $(as $phys:literal)? $(in $pgs:literal)? {
            $( $(#[$cmeta:meta])* $col:ident $(as $cphys:literal)? : $sql:ty $(= $dkind:ident $(($($darg:tt)*))?)? ),+ $(,)?
        }
        primary_key($($pk:ident),+ $(,)?);
        $( unique($($uq:ident),+ $(,)?); )*
        $( index($($ix:ident),+ $(,)?); )*
        $( foreign_key($($fk:ident),+ $(,)?) references $($rt:ident)::+ ($($rc:ident),+ $(,)?) $(on_delete($act:ident))?; )*
    ) => {
        $(#[$meta])*
        #[allow(non_camel_case_types)]
        $vis mod $table {
            // The SQL type markers by their short names, as Diesel's `table!` does; the
            // invoking module's names come first.
            #[allow(unused_imports)]
            use $crate::sql::*;
            #[allow(unused_imports)]
            use super::*;

            // Everything below is expanded only once no column is declared twice, so a
            // duplicate is one error, not one per item that names the column.
            #[allow(unused_macros)]
            macro_rules! __table_items { () => {
            $crate::__table_core! {
                name: $crate::__first!($($phys,)? stringify!($table)),
                model: stringify!($table),
                schema: $crate::__opt!($($pgs)?),
                row: Row,
                extras: $crate::NoExtras,
                columns: [$({
                    $(#[$cmeta])*
                    $col: $sql,
                    ty: <$sql as $crate::sql::SqlType>::COLUMN_TYPE,
                    name: { let __physical_name = stringify!($col); $(let __physical_name = $cphys;)? __physical_name },
                    field: stringify!($col),
                    default: $crate::__default!($($dkind $(($($darg)*))?)?),
                    req: <($($crate::keys::default_check::$dkind,)?) as $crate::keys::Requirement<$sql, $col>>::Out
                })+],
                pk: [$($pk),+],
                unique: [$([$($uq),+])*],
                index: [$([$($ix),+])*],
                fk: [$([($($fk),+) ($($rt)::+) ($($rc),+) [$($act)?]])*],
            }

            // Each default checked against its column's type: a `const` calling the check named
            // after the kind of default (no helper macro per column).
            $($( const _: () = $crate::keys::default_check::$dkind::<$sql>($($($darg)*)?); )?)+

            /// A whole row, in column order: what `table.all()` decodes to.
            #[derive(Clone)]
            pub struct Row {
                $( $(#[$cmeta])* pub $col: <$sql as $crate::sql::SqlType>::Rust, )+
            }

            impl $crate::Row for Row {
                fn decode(
                    reader: &mut dyn $crate::RowReader,
                ) -> ::core::result::Result<Self, $crate::DecodeError> {
                    ::core::result::Result::Ok(Row {
                        $( $col: match $crate::__private::field(reader, stringify!($col)) {
                            ::core::result::Result::Ok(v) => v,
                            ::core::result::Result::Err(e) => return ::core::result::Result::Err(e),
                        }, )+
                    })
                }
                fn encode(self, out: &mut ::std::vec::Vec<$crate::Value>) {
                    $( out.push($crate::IntoValue::into_value(self.$col)); )+
                }
            }

            $crate::__serde_via_values!(Row, stringify!($table), table, $crate::Row);

            // By value, through one function each, not a derive per struct (see `__private`).
            impl ::core::fmt::Debug for Row {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    $crate::__private::debug_row::<table, Self>(self, f)
                }
            }
            impl ::core::cmp::PartialEq for Row {
                fn eq(&self, other: &Self) -> bool {
                    $crate::__private::row_eq(self, other)
                }
            }
            impl ::core::fmt::Debug for New {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    $crate::__private::debug_new::<table, Self>(self, f)
                }
            }
            impl ::core::cmp::PartialEq for New {
                fn eq(&self, other: &Self) -> bool {
                    $crate::__private::new_eq::<table, Self>(self, other)
                }
            }

            /// An insert: columns with a default are `Option`, `None` leaving them to it.
            #[derive(Clone)]
            pub struct New {
                $( $(#[$cmeta])* pub $col: $crate::__new_type!(<$sql as $crate::sql::SqlType>::Rust; $($dkind)?), )+
            }

            impl $crate::Insertable<table> for New {
                fn into_values(self) -> ::std::vec::Vec<::core::option::Option<$crate::Value>> {
                    ::std::vec![$( $crate::__new_value!(self.$col; $($dkind)?), )+]
                }
            }
            } }

            $crate::__unique_columns!($ __table_items $table [] [$($col)+]);
        }
    };
}

/// Expands `$items!()` when no identifier of the list is repeated, else one error naming the
/// repeated column. `macro_rules!` cannot compare identifiers, so each step defines a macro
/// whose arms are the identifiers seen so far and matches the next one against them.
#[doc(hidden)]
#[macro_export]
macro_rules! __unique_columns {
    ($d:tt $items:ident $table:ident [$($seen:ident)*] []) => { $items!(); };
    ($d:tt $items:ident $table:ident [$($seen:ident)*] [$next:ident $($rest:ident)*]) => {
        macro_rules! __seen_column {
            $( ($seen) => {
                ::core::compile_error!(::core::concat!(
                    "column `", ::core::stringify!($seen), "` is declared twice in table `",
                    ::core::stringify!($table), "`"
                ));
            }; )*
            ($d other:ident) => {
                $crate::__unique_columns!($d $items $table [$($seen)* $next] [$($rest)*]);
            };
        }
        __seen_column!($next);
    };
}

/// The shared core of [`table!`](crate::table) and [`schema!`](crate::schema): inside a table's
/// module, the table and column types and every impl the builder, DDL and the planner use.
#[doc(hidden)]
#[macro_export]
macro_rules! __table_core {
    (
        name: $name:expr,
        model: $model:expr,
        schema: $pgs:expr,
        row: $row:ty,
        extras: $extras:ty,
        columns: [$({
            $(#[$cmeta:meta])*
            $col:ident: $sql:ty,
            ty: $cty:expr,
            name: $cname:expr,
            field: $field:expr,
            default: $default:expr,
            req: $req:ty
        })+],
        pk: [$pk0:ident $(, $pk:ident)*],
        unique: [$([$($uq:ident),+])*],
        index: [$([$($ix:ident),+])*],
        fk: [$([($($fk:ident),+) ($($r:ident)::+) ($($rc:ident),+) [$($act:ident)?]])*],
    ) => {
        /// The table.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct table;

        impl $crate::Table for table {
            const NAME: &'static str = $name;
            const POSTGRES_SCHEMA: ::core::option::Option<&'static str> = $pgs;
            type Row = $row;
            const INFO: $crate::TableInfo = $crate::TableInfo {
                name: Self::NAME,
                model: $model,
                postgres_schema: Self::POSTGRES_SCHEMA,
                columns: &[$( <$col as $crate::Column>::INFO ),+],
                extras: <$extras as $crate::Extras>::COLUMNS,
                primary_key: &[<$pk0 as $crate::Column>::INFO.name $(, <$pk as $crate::Column>::INFO.name)*],
                unique: &[$( &[$( <$uq as $crate::Column>::INFO.name ),+] ),*],
                indexes: &[$( &[$( <$ix as $crate::Column>::INFO.name ),+] ),*],
                // The referenced path is written out (not `use`d), so a wrong one is reported
                // at its own tokens.
                foreign_keys: &[$(
                    $crate::ForeignKeyInfo {
                        columns: &[$( <$fk as $crate::Column>::INFO.name ),+],
                        ref_table: <$($r)::+::table as $crate::Table>::NAME,
                        ref_schema: <$($r)::+::table as $crate::Table>::POSTGRES_SCHEMA,
                        ref_columns: $crate::__fk_ref_names!(($($r)::+) [] $($rc),+),
                        on_delete: $crate::__fk_action!($($act)?),
                    }
                ),*],
            };
            const PRESENCE_COLUMN: usize =
                $crate::__private::position_of(&Self::INFO, <$pk0 as $crate::Column>::INFO.name);
        }

        const _: () = $crate::__private::assert_distinct_column_names(&<table as $crate::Table>::INFO);

        $(
            $(#[$cmeta])*
            pub struct $col;

            // Written out, not derived, and no `Debug`: this is paid for every column of every
            // table at each check (BENCHMARKS.md, "Compile time").
            impl ::core::clone::Clone for $col {
                fn clone(&self) -> Self {
                    *self
                }
            }
            impl ::core::marker::Copy for $col {}
            impl ::core::default::Default for $col {
                fn default() -> Self {
                    $col
                }
            }

            impl $crate::Column for $col {
                type Table = table;
                type Sql = $sql;
                type Rust = <$sql as $crate::sql::SqlType>::Rust;
                const INFO: $crate::ColumnInfo = $crate::ColumnInfo {
                    name: $cname,
                    field: $field,
                    ty: $cty,
                    nullable: <$sql as $crate::sql::SqlType>::NULLABLE,
                    default: $default,
                };
            }
        )+

        $crate::__ordinals!(table; $crate::slots::Z; $($col)+);

        impl $crate::slots::InsertSlots for table {
            type Empty = $crate::__unset_list!([$($col)+]; <$extras as $crate::Extras>::EmptySlots);
            type Required = $crate::__slot_list!([$($req),+]; <$extras as $crate::Extras>::RequiredSlots);
            type ExtrasBase = $crate::__peano!($($col)+);
        }

        $crate::__unique!(table; $pk0 $(, $pk)*);
        $( $crate::__unique!(table; $($uq),+); )*

        $(
            const _: () = $crate::keys::fk_check::<
                ($($fk,)+),
                $crate::__fk_ref_types!(($($r)::+) [] $($rc),+),
                $($r)::+::table,
            >();
            $crate::__set_null_check!($($act)?; $($fk),+);
        )*
    };
}

/// The names of the referenced columns of a foreign key, `&[..]`: one column per step, so the
/// table path and the column list do not repeat at the same depth.
#[doc(hidden)]
#[macro_export]
macro_rules! __fk_ref_names {
    (($($p:ident)::+) [$($done:expr),*] $c:ident $(, $rest:ident)*) => {
        $crate::__fk_ref_names!(($($p)::+) [$($done,)* <$($p)::+::$c as $crate::Column>::INFO.name] $($rest),*)
    };
    (($($p:ident)::+) [$($done:expr),*]) => { &[$($done),*] };
}

/// The tuple type of the referenced columns of a foreign key (see [`__fk_ref_names`]).
#[doc(hidden)]
#[macro_export]
macro_rules! __fk_ref_types {
    (($($p:ident)::+) [$($done:ty),*] $c:ident $(, $rest:ident)*) => {
        $crate::__fk_ref_types!(($($p)::+) [$($done,)* $($p)::+::$c] $($rest),*)
    };
    (($($p:ident)::+) [$($done:ty),*]) => { ($($done,)*) };
}

/// Declares a module holding the five Auth.js tables as typed columns, and a `Schema` type that
/// implements [`AuthSchema`](crate::AuthSchema) and [`Database`](crate::Database).
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
/// The tables are declared through the same core as [`table!`](crate::table), so they join,
/// migrate and reference each other exactly as a user's own tables do.
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
            id: $id:ident
            $(, postgres_schema: $pgs:literal)?
            $(, rename: { $( $rmodel:literal $(. $rfield:literal)? => $rto:literal ),* $(,)? })?
            $(, user_extras: $ux:ty)?
            $(, account_extras: $ax:ty)?
            $(, session_extras: $sx:ty)?
            $(, verification_token_extras: $vx:ty)?
            $(, authenticator_extras: $aux:ty)?
            $(,)?
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

            #[diagnostic::do_not_recommend]
            impl $crate::Database for Schema {
                fn tables() -> ::std::vec::Vec<&'static $crate::TableInfo> {
                    ::std::vec![
                        &<user::table as $crate::Table>::INFO,
                        &<account::table as $crate::Table>::INFO,
                        &<session::table as $crate::Table>::INFO,
                        &<verification_token::table as $crate::Table>::INFO,
                        &<authenticator::table as $crate::Table>::INFO,
                    ]
                }
            }

            $crate::__distinct!(user account session verification_token authenticator);

            $crate::__auth_table! {
                user, "User", User, UserTable, __UserExtras,
                pk [id], unique [[email]], index [], fk [],
                {
                    id: $crate::__id_sql!($id) => $crate::ColumnType::Id($crate::IdType::$id), "id", [random_uuid], Id;
                    name: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::Text, "name", [], Name;
                    email: $crate::sql::Text => $crate::ColumnType::Text, "email", [], Email;
                    email_verified: $crate::sql::Nullable<$crate::sql::Timestamp> => $crate::ColumnType::Timestamp, "emailVerified", [], EmailVerified;
                    image: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "image", [], Image;
                }
            }

            $crate::__auth_table! {
                account, "Account", Account, AccountTable, __AccountExtras,
                pk [provider, provider_account_id], unique [], index [[user_id]], fk [user_id],
                {
                    user_id: $crate::__id_sql!($id) => $crate::ColumnType::Id($crate::IdType::$id), "userId", [], @UserId;
                    account_type: $crate::sql::Text => $crate::ColumnType::Text, "type" as "type", [], Type;
                    provider: $crate::sql::Text => $crate::ColumnType::Text, "provider", [], Provider;
                    provider_account_id: $crate::sql::Text => $crate::ColumnType::Text, "providerAccountId", [], ProviderAccountId;
                    refresh_token: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "refresh_token", [], RefreshToken;
                    access_token: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "access_token", [], AccessToken;
                    expires_at: $crate::sql::Nullable<$crate::sql::BigInt> => $crate::ColumnType::BigInt, "expires_at", [], ExpiresAt;
                    token_type: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::Text, "token_type", [], TokenType;
                    scope: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "scope", [], Scope;
                    id_token: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "id_token", [], IdToken;
                    session_state: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::LongText, "session_state", [], SessionState;
                }
            }

            $crate::__auth_table! {
                session, "Session", Session, SessionTable, __SessionExtras,
                pk [session_token], unique [], index [[user_id]], fk [user_id],
                {
                    user_id: $crate::__id_sql!($id) => $crate::ColumnType::Id($crate::IdType::$id), "userId", [], @UserId;
                    session_token: $crate::sql::Text => $crate::ColumnType::Text, "sessionToken", [], SessionToken;
                    expires: $crate::sql::Timestamp => $crate::ColumnType::Timestamp, "expires", [], Expires;
                }
            }

            $crate::__auth_table! {
                verification_token, "VerificationToken", VerificationToken, VerificationTokenTable, __VerificationTokenExtras,
                pk [identifier, token], unique [[token]], index [], fk [],
                {
                    identifier: $crate::sql::Text => $crate::ColumnType::Text, "identifier", [], Identifier;
                    token: $crate::sql::Text => $crate::ColumnType::Text, "token", [], Token;
                    expires: $crate::sql::Timestamp => $crate::ColumnType::Timestamp, "expires", [], Expires;
                }
            }

            $crate::__auth_table! {
                authenticator, "Authenticator", Authenticator, AuthenticatorTable, __AuthenticatorExtras,
                pk [user_id, credential_id], unique [[credential_id]], index [], fk [user_id],
                {
                    credential_id: $crate::sql::Text => $crate::ColumnType::Text, "credentialID", [], CredentialId;
                    user_id: $crate::__id_sql!($id) => $crate::ColumnType::Id($crate::IdType::$id), "userId", [], @UserId;
                    provider_account_id: $crate::sql::Text => $crate::ColumnType::Text, "providerAccountId", [], ProviderAccountId;
                    credential_public_key: $crate::sql::Text => $crate::ColumnType::LongText, "credentialPublicKey", [], CredentialPublicKey;
                    counter: $crate::sql::BigInt => $crate::ColumnType::BigInt, "counter", [], Counter;
                    credential_device_type: $crate::sql::Text => $crate::ColumnType::Text, "credentialDeviceType", [], CredentialDeviceType;
                    credential_backed_up: $crate::sql::Bool => $crate::ColumnType::Bool, "credentialBackedUp", [], CredentialBackedUp;
                    transports: $crate::sql::Nullable<$crate::sql::Text> => $crate::ColumnType::Text, "transports", [], Transports;
                }
            }
        }
    };
}

/// One Auth.js table of [`schema!`](crate::schema), through the shared core, plus its part of
/// the Auth.js contract.
#[doc(hidden)]
#[macro_export]
macro_rules! __auth_table {
    (
        $table:ident, $model:literal, $row:ident, $contract:ident, $extras:ident,
        pk [$($pk:ident),*], unique [$([$($uq:ident),*]),*], index [$([$($ix:ident),*]),*], fk [$($fk:ident),*],
        { $( $col:ident : $sql:ty => $ty:expr, $field:literal $(as $snake:literal)?, [$($dkind:ident)?], $(@$fkassoc:ident)? $($assoc:ident)?; )* }
    ) => {
        #[doc = concat!("The Auth.js `", $model, "` table and its columns.")]
        pub mod $table {
            #[allow(unused_imports)]
            use super::*;

            $crate::__table_core! {
                name: $crate::naming::resolve(super::NAMING, super::RENAMES, $model, None, $model, stringify!($table)),
                model: $model,
                schema: super::POSTGRES_SCHEMA,
                row: $crate::$row<super::$extras>,
                extras: super::$extras,
                columns: [$({
                    #[doc = concat!("The `", $model, ".", $field, "` column.")]
                    $col: $sql,
                    ty: $ty,
                    name: $crate::naming::resolve(super::NAMING, super::RENAMES, $model, Some($field), $field, { let __physical_name = stringify!($col); $(let __physical_name = $snake;)? __physical_name }),
                    field: $field,
                    default: $crate::__default!($($dkind)?),
                    req: <($($crate::keys::default_check::$dkind,)?) as $crate::keys::Requirement<$sql, $col>>::Out
                })*],
                pk: [$($pk),*],
                unique: [$([$($uq),*])*],
                index: [$([$($ix),*])*],
                fk: [$([($fk) (user) (id) [cascade]])*],
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
        }
    };
}

/// Declares a database: a set of tables, Auth.js ones (a [`schema!`](crate::schema) module) and
/// a user's own (modules of [`table!`](crate::table)), as one unit for DDL, the planner and
/// `migrate`. It also declares every pair of its tables as different tables, which the query
/// builder needs to join them (a table joined twice does not compile; use an alias).
///
/// Table modules are named by a single identifier in scope (`use` them first if needed).
///
/// ```
/// use auth_schema::{Database, Table};
///
/// auth_schema::schema! { pub mod auth { naming: Kysely, id: Uuid } }
///
/// auth_schema::table! {
///     pub mod post {
///         id: BigInt = identity,
///         author_id: Uuid,
///     }
///     primary_key(id);
///     foreign_key(author_id) references auth::user(id) on_delete(cascade);
/// }
///
/// auth_schema::database! {
///     /// The app's database: the Auth.js tables and the posts.
///     pub struct AppDb {
///         auth: auth,
///         tables: [post],
///     }
/// }
///
/// fn main() {
///     let names: Vec<_> = AppDb::tables().iter().map(|t| t.name).collect();
///     assert_eq!(names, ["User", "Account", "Session", "VerificationToken", "Authenticator", "post"]);
/// }
/// ```
#[macro_export]
macro_rules! database {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            auth: $auth:ident,
            tables: [$($t:ident),* $(,)?] $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        $vis struct $name;

        #[diagnostic::do_not_recommend]
        impl $crate::Database for $name {
            fn tables() -> ::std::vec::Vec<&'static $crate::TableInfo> {
                let mut all = <$auth::Schema as $crate::Database>::tables();
                $( all.push(&<$t::table as $crate::Table>::INFO); )*
                all
            }
        }

        $crate::__distinct_across!(
            [$auth::user::table, $auth::account::table, $auth::session::table, $auth::verification_token::table, $auth::authenticator::table];
            $($t)*
        );
        $crate::__distinct!($($t)*);
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            tables: [$($t:ident),* $(,)?] $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        $vis struct $name;

        #[diagnostic::do_not_recommend]
        impl $crate::Database for $name {
            fn tables() -> ::std::vec::Vec<&'static $crate::TableInfo> {
                ::std::vec![$( &<$t::table as $crate::Table>::INFO ),*]
            }
        }

        $crate::__distinct!($($t)*);
    };
}

/// Declares typed extra columns for one table of a [`schema!`](crate::schema), as a struct that
/// round-trips through inserts, updates and whole-row selects.
///
/// Each field is `name: SqlType = "authJsField"`, optionally followed by `as "column_name"` when
/// the physical column differs. The struct is serialized by serde with the Auth.js field names
/// (your crate needs no serde dependency for that). Nullable extras decode as `Option`.
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
        #[derive(Debug, Clone, PartialEq, Default)]
        $vis struct $name {
            $( $(#[$fmeta])* pub $field: <$sql as $crate::sql::SqlType>::Rust, )*
        }

        #[doc = concat!("The columns of [`", stringify!($name), "`].")]
        #[allow(non_camel_case_types)]
        $cvis mod $cmod {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[doc = concat!("The extra `", $json, "` column.")]
                #[derive(Clone, Copy, Default)]
                pub struct $field;

                impl $crate::Column for $field {
                    type Table = $table;
                    type Sql = $sql;
                    type Rust = <$sql as $crate::sql::SqlType>::Rust;
                    const INFO: $crate::ColumnInfo = $crate::ColumnInfo {
                        name: { let __physical_name = $json; $(let __physical_name = $column;)? __physical_name },
                        field: $json,
                        ty: <$sql as $crate::sql::SqlType>::COLUMN_TYPE,
                        nullable: <$sql as $crate::sql::SqlType>::NULLABLE,
                        default: None,
                    };
                }
            )*
            $crate::__extra_ordinals!($table; <$table as $crate::slots::InsertSlots>::ExtrasBase; $crate::slots::Z; $($field: $sql),*);
        }

        impl $crate::Extras for $name {
            const COLUMNS: &'static [$crate::ColumnInfo] = &[$( <$cmod::$field as $crate::Column>::INFO ),*];
            type EmptySlots = $crate::__unset_list!([$($field)*]; $crate::slots::End);
            type RequiredSlots = $crate::__slot_list!(
                [$(<$sql as $crate::sql::SqlType>::RequiredIfNoDefault<$cmod::$field>),*];
                $crate::slots::End
            );

            fn decode(reader: &mut dyn $crate::RowReader) -> ::core::result::Result<Self, $crate::DecodeError> {
                ::core::result::Result::Ok(Self {
                    $( $field: $crate::__private::field(reader, $json)?, )*
                })
            }

            fn encode(self, out: &mut ::std::vec::Vec<$crate::Value>) {
                $( out.push($crate::IntoValue::into_value(self.$field)); )*
            }
        }

        $crate::__serde_via_values!($name, stringify!($name), $crate::__private::ExtrasOf<$name>, $crate::Extras);
    };
}

// ---------------------------------------------------------------- helpers --

/// Serde impls for a struct through its values and a table's (or extras') column list, so the
/// crate that invokes a macro needs no serde dependency of its own. `$codec` is the trait that
/// encodes and decodes it (`Row` or `Extras`).
#[doc(hidden)]
#[macro_export]
macro_rules! __serde_via_values {
    ($ty:ident, $name:expr, $columns:ty, $codec:path) => {
        // One call each: the work is in generic functions type-checked once, in this crate.
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serialize_by::<$columns, Self, S>(
                    self,
                    <$ty as $codec>::encode,
                    serializer,
                )
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_by::<$columns, Self, D>(
                    $name,
                    <$ty as $codec>::decode,
                    deserializer,
                )
            }
        }
    };
}

/// Numbers columns 0, 1, 2, ... (Peano) in row order, with their insert requirement.
#[doc(hidden)]
#[macro_export]
macro_rules! __ordinals {
    ($t:ty; $ord:ty; $col:ident $($rest:ident)*) => {
        impl $crate::slots::ColumnSlot<$t> for $col {
            type Ord = $ord;
        }
        $crate::__ordinals!($t; $crate::slots::S<$ord>; $($rest)*);
    };
    ($t:ty; $ord:ty;) => {};
}

/// Numbers extra columns after a table's standard ones: base + 0, base + 1, ...
#[doc(hidden)]
#[macro_export]
macro_rules! __extra_ordinals {
    ($t:ty; $base:ty; $i:ty; $col:ident: $sql:ty $(, $rest:ident: $rsql:ty)*) => {
        impl $crate::slots::ColumnSlot<$t> for $col {
            type Ord = <$base as $crate::slots::Add<$i>>::Out;
        }
        $crate::__extra_ordinals!($t; $base; $crate::slots::S<$i>; $($rest: $rsql),*);
    };
    ($t:ty; $base:ty; $i:ty;) => {};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __slot_list {
    ([$head:ty $(, $rest:ty)*]; $tail:ty) => {
        $crate::slots::Slot<$head, $crate::__slot_list!([$($rest),*]; $tail)>
    };
    ([]; $tail:ty) => {
        $tail
    };
}

/// A list of one [`Unset`](crate::slots::Unset) slot per column.
#[doc(hidden)]
#[macro_export]
macro_rules! __unset_list {
    ([$head:ident $($rest:ident)*]; $tail:ty) => {
        $crate::slots::Slot<$crate::slots::Unset, $crate::__unset_list!([$($rest)*]; $tail)>
    };
    ([]; $tail:ty) => {
        $tail
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __peano {
    ($head:ident $($rest:ident)*) => {
        $crate::slots::S<$crate::__peano!($($rest)*)>
    };
    () => {
        $crate::slots::Z
    };
}

/// `UniqueKey` for a key: its columns as a tuple (both orders for two columns), and the bare
/// column for a one-column key.
#[doc(hidden)]
#[macro_export]
macro_rules! __unique {
    ($t:ident; $a:ident) => {
        #[diagnostic::do_not_recommend]
        impl $crate::keys::UniqueKey<$t> for $a {}
        #[diagnostic::do_not_recommend]
        impl $crate::keys::UniqueKey<$t> for ($a,) {}
    };
    ($t:ident; $a:ident, $b:ident) => {
        #[diagnostic::do_not_recommend]
        impl $crate::keys::UniqueKey<$t> for ($a, $b) {}
        #[diagnostic::do_not_recommend]
        impl $crate::keys::UniqueKey<$t> for ($b, $a) {}
    };
    ($t:ident; $($c:ident),+) => {
        #[diagnostic::do_not_recommend]
        impl $crate::keys::UniqueKey<$t> for ($($c,)+) {}
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __fk_action {
    (cascade) => {
        $crate::FkAction::Cascade
    };
    (set_null) => {
        $crate::FkAction::SetNull
    };
    (set_default) => {
        $crate::FkAction::SetDefault
    };
    (restrict) => {
        $crate::FkAction::Restrict
    };
    (no_action) => {
        $crate::FkAction::NoAction
    };
    () => {
        $crate::FkAction::NoAction
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __set_null_check {
    (set_null; $($fk:ident),+) => {
        const _: () = $crate::keys::set_null_check::<($($fk,)+)>();
    };
    ($other:ident; $($fk:ident),+) => {};
    (; $($fk:ident),+) => {};
}

/// A column's `ColumnDefault`, from `table!`'s `= ...`.
#[doc(hidden)]
#[macro_export]
macro_rules! __default {
    () => {
        ::core::option::Option::None
    };
    // A negative number first: `-3` also matches `$lit:literal`, and `stringify!` may then
    // print it as `- 3` (the spacing of tokens passed through a nested macro is not kept).
    (default(- $lit:literal)) => {
        ::core::option::Option::Some($crate::ColumnDefault::Literal(concat!(
            "-",
            stringify!($lit)
        )))
    };
    (default($lit:literal)) => {
        ::core::option::Option::Some($crate::ColumnDefault::Literal(stringify!($lit)))
    };
    (now) => {
        ::core::option::Option::Some($crate::ColumnDefault::Now)
    };
    (random_uuid) => {
        ::core::option::Option::Some($crate::ColumnDefault::RandomUuid)
    };
    (identity) => {
        ::core::option::Option::Some($crate::ColumnDefault::Identity)
    };
    (sql($sql:literal)) => {
        ::core::option::Option::Some($crate::ColumnDefault::Sql($sql))
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __new_type {
    ($t:ty;) => { $t };
    ($t:ty; $kind:ident) => { ::core::option::Option<$t> };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __new_value {
    ($v:expr;) => {
        ::core::option::Option::Some($crate::IntoValue::into_value($v))
    };
    ($v:expr; $kind:ident) => {
        $v.map($crate::IntoValue::into_value)
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

/// Declares each of `$t` distinct from each table of a list, both ways.
#[doc(hidden)]
#[macro_export]
macro_rules! __distinct_across {
    ([$($other:ty),*]; $first:ident $($rest:ident)*) => {
        $(
            #[diagnostic::do_not_recommend]
            impl $crate::DistinctFrom<$other> for $first::table {}
            #[diagnostic::do_not_recommend]
            impl $crate::DistinctFrom<$first::table> for $other {}
        )*
        $crate::__distinct_across!([$($other),*]; $($rest)*);
    };
    ([$($other:ty),*];) => {};
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
macro_rules! __first {
    ($a:expr $(, $rest:expr)*) => {
        $a
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __first_ident {
    ($a:ident $(, $rest:ident)*) => {
        $a
    };
}
