//! Golden SQL: the exact text and the exact parameters of every builder feature, per dialect.
//!
//! Each query is built once per dialect from the same expression (the dialect is the value
//! `db`, so every instantiation is type-checked on its own), and compared with the expected
//! SQL text and bound values. On a mismatch, the failure lists what every dialect produced.

use auth_query::prelude::*;
use auth_query::{Compiled, MapInto};
use auth_schema::kysely::{account, authenticator, session, user, verification_token as vt};
use auth_schema::sql::{BigInt, Bool, Nullable, Text, Timestamp};
use auth_schema::{Account, NewUser, User, Value, VerificationToken};
use chrono::{DateTime, NaiveDate, Utc};
use sea_query::Value as V;

// ---------------------------------------------------------------------------------------------
// Custom schemas, declared at module level.

auth_schema::schema! {
    /// Kysely names, qualified by the `auth` schema on Postgres.
    pub mod qualified {
        naming: Kysely,
        id: Uuid,
        postgres_schema: "auth",
    }
}

auth_schema::schema! {
    /// snake_case with text ids and renames of a table and of columns.
    pub mod renamed {
        naming: SnakeCase,
        id: Text,
        rename: {
            "User" => "users",
            "User"."emailVerified" => "verified_at",
            "Account"."providerAccountId" => "provider_uid",
            "Session" => "user_sessions",
        },
    }
}

auth_schema::extra_columns! {
    /// Typed extra columns of the user table of `app`.
    pub struct UserExtras for app::user::table, columns in mod user_extra {
        phone_number: Nullable<Text> = "phoneNumber" as "phone_number",
        role: Nullable<Text> = "role",
        login_count: BigInt = "loginCount" as "login_count",
        is_admin: Bool = "isAdmin" as "is_admin",
        last_seen: Nullable<Timestamp> = "lastSeen",
    }
}

auth_schema::schema! {
    /// snake_case, uuid ids, extra user columns.
    pub mod app {
        naming: SnakeCase,
        id: Uuid,
        user_extras: UserExtras,
    }
}

auth_schema::schema! {
    /// Identifiers that need escaping in every dialect.
    pub mod weird {
        naming: Kysely,
        id: Varchar36,
        postgres_schema: "sch\"ema",
        rename: {
            "User" => "Us\"er`s",
            "User"."email" => "e`m\"ail",
            "Account" => "Acc'ount",
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The golden-test macro.

/// Builds `$build` once per listed dialect (`db` is `Postgres`, `MySql` or `Sqlite`) and checks
/// the SQL text and the parameters. Parameters are given per dialect in brackets after the SQL,
/// or once for all dialects with `params = [...]`. Dialects come in the order pg, mysql, sqlite;
/// one left out is not built (MySQL has no RETURNING, only MySQL has ON DUPLICATE KEY UPDATE).
/// Evaluates to the compiled statements.
macro_rules! assert_sql {
    (
        |$db:ident| $build:expr,
        $(pg = $pg:literal $([ $($pgp:expr),* $(,)? ])?,)?
        $(mysql = $my:literal $([ $($myp:expr),* $(,)? ])?,)?
        $(sqlite = $sq:literal $([ $($sqp:expr),* $(,)? ])?,)?
        $(params = [ $($common:expr),* $(,)? ] $(,)?)?
    ) => {{
        #[allow(unused_mut, unused_assignments)]
        let mut common: Option<Vec<V>> = None;
        $( common = Some(vec![$($common),*]); )?
        let mut checks: Vec<Check> = Vec::new();
        $( assert_sql!(@one checks, common, $db, $build, Postgres, "pg", $pg $(, [$($pgp),*])?); )?
        $( assert_sql!(@one checks, common, $db, $build, MySql, "mysql", $my $(, [$($myp),*])?); )?
        $( assert_sql!(@one checks, common, $db, $build, Sqlite, "sqlite", $sq $(, [$($sqp),*])?); )?
        verify(checks)
    }};
    (@one $checks:ident, $common:ident, $db:ident, $build:expr, $dialect:ident, $name:literal, $sql:literal $(, [$($p:expr),*])?) => {
        #[allow(unused_mut, unused_assignments)]
        let mut own: Option<Vec<V>> = None;
        $( own = Some(vec![$($p),*]); )?
        let compiled = {
            let $db = $dialect;
            Out::from($build.compile())
        };
        $checks.push(Check {
            dialect: $name,
            sql: $sql,
            params: own
                .or_else(|| $common.clone())
                .expect(concat!("no expected params for ", $name)),
            compiled,
        });
    };
}

struct Check {
    dialect: &'static str,
    sql: &'static str,
    params: Vec<V>,
    compiled: Out,
}

/// A compiled statement of any dialect: its SQL and parameters.
#[derive(Debug, Clone, PartialEq)]
struct Out {
    sql: String,
    params: Vec<V>,
    invalid: Option<String>,
}

impl Out {
    fn params(&self) -> &[V] {
        &self.params
    }
}

impl<D> From<Compiled<D>> for Out {
    fn from(c: Compiled<D>) -> Out {
        Out {
            sql: c.sql().to_owned(),
            params: c.params().to_vec(),
            invalid: c.invalid_value().map(str::to_owned),
        }
    }
}

#[track_caller]
fn verify(checks: Vec<Check>) -> Vec<Out> {
    let mut report = String::new();
    for c in &checks {
        if c.compiled.sql != c.sql || c.compiled.params() != c.params.as_slice() {
            report.push_str(&format!(
                "\n[{}]\n  expected sql:    {}\n  actual sql:      {}\n  expected params: {:?}\n  actual params:   {:?}\n",
                c.dialect,
                c.sql,
                c.compiled.sql,
                c.params,
                c.compiled.params()
            ));
        }
    }
    assert!(report.is_empty(), "golden SQL mismatch:{report}");
    checks.into_iter().map(|c| c.compiled).collect()
}

// ---------------------------------------------------------------------------------------------
// Expected parameter values.

fn s(v: &str) -> V {
    V::String(Some(v.to_owned()))
}

fn big(v: i64) -> V {
    V::BigInt(Some(v))
}

fn unsigned(v: u64) -> V {
    V::BigUnsigned(Some(v))
}

fn boolean(v: bool) -> V {
    V::Bool(Some(v))
}

fn uuid(v: &str) -> V {
    V::Uuid(Some(uuid::Uuid::parse_str(v).unwrap()))
}

const UUID: &str = "0b7e3a4c-5d2f-4e61-9a8b-1c2d3e4f5a6b";
const UUID2: &str = "f47ac10b-58cc-4372-a567-0e02b2c3d479";

/// 2025-01-31T12:34:56.789Z.
fn ts() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2025, 1, 31)
        .unwrap()
        .and_hms_milli_opt(12, 34, 56, 789)
        .unwrap()
        .and_utc()
}

/// 2025-01-31T12:34:56.789999999Z: sub-millisecond digits that must be dropped.
fn ts_sub_ms() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2025, 1, 31)
        .unwrap()
        .and_hms_nano_opt(12, 34, 56, 789_999_999)
        .unwrap()
        .and_utc()
}

fn ts_pg() -> V {
    V::ChronoDateTimeUtc(Some(ts()))
}

fn ts_mysql() -> V {
    V::ChronoDateTime(Some(ts().naive_utc()))
}

fn ts_sqlite() -> V {
    s("2025-01-31T12:34:56.789Z")
}

fn new_user(id: Option<&str>, email: &str) -> NewUser {
    NewUser {
        id: id.map(str::to_owned),
        name: None,
        email: email.to_owned(),
        email_verified: None,
        image: None,
        extra: Default::default(),
    }
}

/// Asserts the value is a hyphenated lowercase UUID v4, as a string or a Postgres uuid.
#[track_caller]
fn assert_uuid_v4(value: &V) -> uuid::Uuid {
    let id = match value {
        V::Uuid(Some(id)) => *id,
        V::String(Some(text)) => {
            let id = uuid::Uuid::parse_str(text).expect("a UUID string");
            assert_eq!(text, &id.hyphenated().to_string(), "hyphenated lowercase");
            id
        }
        other => panic!("expected a UUID, got {other:?}"),
    };
    assert_eq!(id.get_version_num(), 4, "a v4 UUID: {id}");
    id
}

// =============================================================================================
// SELECT: what is selected.

#[test]
fn t001_select_one_column() {
    assert_sql!(
        |db| db.select_from(user::table).select(user::email),
        pg = r#"SELECT "User"."email" FROM "User""#,
        mysql = "SELECT `User`.`email` FROM `User`",
        sqlite = r#"SELECT "User"."email" FROM "User""#,
        params = [],
    );
}

#[test]
fn t002_select_tuple() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select((user::id, user::email, user::email_verified)),
        pg = r#"SELECT "User"."id", "User"."email", "User"."emailVerified" FROM "User""#,
        mysql = "SELECT `User`.`id`, `User`.`email`, `User`.`emailVerified` FROM `User`",
        sqlite = r#"SELECT "User"."id", "User"."email", "User"."emailVerified" FROM "User""#,
        params = [],
    );
}

#[test]
fn t003_select_whole_table() {
    assert_sql!(
        |db| db.select_from(user::table).select(user::table.all()),
        pg = r#"SELECT "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "User""#,
        mysql = "SELECT `User`.`id`, `User`.`name`, `User`.`email`, `User`.`emailVerified`, `User`.`image` FROM `User`",
        sqlite = r#"SELECT "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "User""#,
        params = [],
    );
}

#[test]
fn t004_select_whole_account_table() {
    assert_sql!(
        |db| db.select_from(account::table).select(account::table.all()),
        pg = r#"SELECT "Account"."userId", "Account"."type", "Account"."provider", "Account"."providerAccountId", "Account"."refresh_token", "Account"."access_token", "Account"."expires_at", "Account"."token_type", "Account"."scope", "Account"."id_token", "Account"."session_state" FROM "Account""#,
        mysql = "SELECT `Account`.`userId`, `Account`.`type`, `Account`.`provider`, `Account`.`providerAccountId`, `Account`.`refresh_token`, `Account`.`access_token`, `Account`.`expires_at`, `Account`.`token_type`, `Account`.`scope`, `Account`.`id_token`, `Account`.`session_state` FROM `Account`",
        sqlite = r#"SELECT "Account"."userId", "Account"."type", "Account"."provider", "Account"."providerAccountId", "Account"."refresh_token", "Account"."access_token", "Account"."expires_at", "Account"."token_type", "Account"."scope", "Account"."id_token", "Account"."session_state" FROM "Account""#,
        params = [],
    );
}

#[test]
fn t005_select_whole_authenticator_table() {
    assert_sql!(
        |db| db
            .select_from(authenticator::table)
            .select(authenticator::table.all()),
        pg = r#"SELECT "Authenticator"."credentialID", "Authenticator"."userId", "Authenticator"."providerAccountId", "Authenticator"."credentialPublicKey", "Authenticator"."counter", "Authenticator"."credentialDeviceType", "Authenticator"."credentialBackedUp", "Authenticator"."transports" FROM "Authenticator""#,
        mysql = "SELECT `Authenticator`.`credentialID`, `Authenticator`.`userId`, `Authenticator`.`providerAccountId`, `Authenticator`.`credentialPublicKey`, `Authenticator`.`counter`, `Authenticator`.`credentialDeviceType`, `Authenticator`.`credentialBackedUp`, `Authenticator`.`transports` FROM `Authenticator`",
        sqlite = r#"SELECT "Authenticator"."credentialID", "Authenticator"."userId", "Authenticator"."providerAccountId", "Authenticator"."credentialPublicKey", "Authenticator"."counter", "Authenticator"."credentialDeviceType", "Authenticator"."credentialBackedUp", "Authenticator"."transports" FROM "Authenticator""#,
        params = [],
    );
}

#[test]
fn t006_select_whole_table_and_a_column() {
    assert_sql!(
        |db| db
            .select_from(session::table)
            .select((session::table.all(), session::expires)),
        pg = r#"SELECT "Session"."userId", "Session"."sessionToken", "Session"."expires", "Session"."expires" FROM "Session""#,
        mysql = "SELECT `Session`.`userId`, `Session`.`sessionToken`, `Session`.`expires`, `Session`.`expires` FROM `Session`",
        sqlite = r#"SELECT "Session"."userId", "Session"."sessionToken", "Session"."expires", "Session"."expires" FROM "Session""#,
        params = [],
    );
}

#[test]
fn t007_select_again_replaces_the_selection() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .select(user::email),
        pg = r#"SELECT "User"."email" FROM "User""#,
        mysql = "SELECT `User`.`email` FROM `User`",
        sqlite = r#"SELECT "User"."email" FROM "User""#,
        params = [],
    );
}

// =============================================================================================
// SELECT: operators.

#[test]
fn t010_eq() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::email.eq("a@b.c")),
        pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE `User`.`email` = ?",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = ?"#,
        params = [s("a@b.c")],
    );
}

#[test]
fn t011_ne() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::user_id)
            .filter(account::provider.ne("github")),
        pg = r#"SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" <> $1"#,
        mysql = "SELECT `Account`.`userId` FROM `Account` WHERE `Account`.`provider` <> ?",
        sqlite = r#"SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" <> ?"#,
        params = [s("github")],
    );
}

#[test]
fn t012_lt_on_timestamp() {
    assert_sql!(
        |db| db
            .select_from(session::table)
            .select(session::session_token)
            .filter(session::expires.lt(ts())),
        pg = r#"SELECT "Session"."sessionToken" FROM "Session" WHERE "Session"."expires" < $1"#
            [ts_pg()],
        mysql = "SELECT `Session`.`sessionToken` FROM `Session` WHERE `Session`.`expires` < ?"
            [ts_mysql()],
        sqlite = r#"SELECT "Session"."sessionToken" FROM "Session" WHERE "Session"."expires" < ?"#
            [ts_sqlite()],
    );
}

#[test]
fn t013_le_on_bigint() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::provider)
            .filter(account::expires_at.le(1_700_000_000_i64)),
        pg = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."expires_at" <= $1"#,
        mysql = "SELECT `Account`.`provider` FROM `Account` WHERE `Account`.`expires_at` <= ?",
        sqlite = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."expires_at" <= ?"#,
        params = [big(1_700_000_000)],
    );
}

#[test]
fn t014_gt_on_nullable_timestamp() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::email_verified.gt(ts())),
        pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."emailVerified" > $1"#[ts_pg()],
        mysql = "SELECT `User`.`id` FROM `User` WHERE `User`.`emailVerified` > ?"[ts_mysql()],
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE "User"."emailVerified" > ?"#[ts_sqlite()],
    );
}

#[test]
fn t015_ge_on_bigint_from_i32() {
    assert_sql!(
        |db| db
            .select_from(authenticator::table)
            .select(authenticator::credential_id)
            .filter(authenticator::counter.ge(7_i32)),
        pg = r#"SELECT "Authenticator"."credentialID" FROM "Authenticator" WHERE "Authenticator"."counter" >= $1"#,
        mysql = "SELECT `Authenticator`.`credentialID` FROM `Authenticator` WHERE `Authenticator`.`counter` >= ?",
        sqlite = r#"SELECT "Authenticator"."credentialID" FROM "Authenticator" WHERE "Authenticator"."counter" >= ?"#,
        params = [big(7)],
    );
}

#[test]
fn t016_like() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .filter(user::email.like("%@example.com")),
        pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."email" LIKE $1"#,
        mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`email` LIKE ?",
        sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."email" LIKE ?"#,
        params = [s("%@example.com")],
    );
}

#[test]
fn t017_like_on_nullable_text() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .filter(user::name.like("Ada%")),
        pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."name" LIKE $1"#,
        mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`name` LIKE ?",
        sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."name" LIKE ?"#,
        params = [s("Ada%")],
    );
}

#[test]
fn t018_is_in() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::user_id)
            .filter(account::provider.is_in(["github", "google", "apple"])),
        pg = r#"SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" IN ($1, $2, $3)"#,
        mysql = "SELECT `Account`.`userId` FROM `Account` WHERE `Account`.`provider` IN (?, ?, ?)",
        sqlite =
            r#"SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" IN (?, ?, ?)"#,
        params = [s("github"), s("google"), s("apple")],
    );
}

#[test]
fn t019_is_in_one_value() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::user_id)
            .filter(account::provider.is_in(vec!["github".to_owned()])),
        pg = r#"SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" IN ($1)"#,
        mysql = "SELECT `Account`.`userId` FROM `Account` WHERE `Account`.`provider` IN (?)",
        sqlite = r#"SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" IN (?)"#,
        params = [s("github")],
    );
}

#[test]
fn t020_is_in_empty_list_is_false() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::user_id)
            .filter(account::provider.is_in(Vec::<String>::new())),
        pg = r#"SELECT "Account"."userId" FROM "Account" WHERE 1 = 0"#,
        mysql = "SELECT `Account`.`userId` FROM `Account` WHERE 1 = 0",
        sqlite = r#"SELECT "Account"."userId" FROM "Account" WHERE 1 = 0"#,
        params = [],
    );
}

#[test]
fn t021_is_in_empty_list_inside_or() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::user_id)
            .filter(
                account::provider
                    .is_in(Vec::<&str>::new())
                    .or(account::provider.eq("github"))
            ),
        pg = r#"SELECT "Account"."userId" FROM "Account" WHERE (1 = 0) OR "Account"."provider" = $1"#,
        mysql =
            "SELECT `Account`.`userId` FROM `Account` WHERE (1 = 0) OR `Account`.`provider` = ?",
        sqlite =
            r#"SELECT "Account"."userId" FROM "Account" WHERE (1 = 0) OR "Account"."provider" = ?"#,
        params = [s("github")],
    );
}

#[test]
fn t022_is_in_on_uuid_ids() {
    // Each id binds as a native uuid on Postgres and as lower-case text elsewhere; one that is
    // not a UUID binds NULL on every dialect (no match).
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .filter(user::id.is_in([UUID, "not-a-uuid", UUID2])),
        pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" IN ($1, $2, $3)"#
            [uuid(UUID), V::Uuid(None), uuid(UUID2)],
        mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`id` IN (?, ?, ?)"
            [s(UUID), V::String(None), s(UUID2)],
        sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" IN (?, ?, ?)"#
            [s(UUID), V::String(None), s(UUID2)],
    );
}

#[test]
fn t023_is_null() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::email_verified.is_null()),
        pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."emailVerified" IS NULL"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE `User`.`emailVerified` IS NULL",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE "User"."emailVerified" IS NULL"#,
        params = [],
    );
}

#[test]
fn t024_is_not_null() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::provider)
            .filter(account::refresh_token.is_not_null()),
        pg = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."refresh_token" IS NOT NULL"#,
        mysql = "SELECT `Account`.`provider` FROM `Account` WHERE `Account`.`refresh_token` IS NOT NULL",
        sqlite = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."refresh_token" IS NOT NULL"#,
        params = [],
    );
}

#[test]
fn t025_and() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::user_id)
            .filter(
                account::provider
                    .eq("github")
                    .and(account::provider_account_id.eq("42"))
            ),
        pg = r#"SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" = $1 AND "Account"."providerAccountId" = $2"#,
        mysql = "SELECT `Account`.`userId` FROM `Account` WHERE `Account`.`provider` = ? AND `Account`.`providerAccountId` = ?",
        sqlite = r#"SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" = ? AND "Account"."providerAccountId" = ?"#,
        params = [s("github"), s("42")],
    );
}

#[test]
fn t026_or() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::email.eq("a@b.c").or(user::name.eq("Ada"))),
        pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1 OR "User"."name" = $2"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE `User`.`email` = ? OR `User`.`name` = ?",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = ? OR "User"."name" = ?"#,
        params = [s("a@b.c"), s("Ada")],
    );
}

#[test]
fn t027_not_method() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::email.eq("a@b.c").not()),
        pg = r#"SELECT "User"."id" FROM "User" WHERE NOT "User"."email" = $1"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE NOT `User`.`email` = ?",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE NOT "User"."email" = ?"#,
        params = [s("a@b.c")],
    );
}

#[test]
fn t028_not_function_of_or() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(not(user::email.eq("a@b.c").or(user::name.is_null()))),
        pg = r#"SELECT "User"."id" FROM "User" WHERE NOT ("User"."email" = $1 OR "User"."name" IS NULL)"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE NOT (`User`.`email` = ? OR `User`.`name` IS NULL)",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE NOT ("User"."email" = ? OR "User"."name" IS NULL)"#,
        params = [s("a@b.c")],
    );
}

#[test]
fn t029_and_of_or_keeps_the_grouping() {
    assert_sql!(
        |db| db.select_from(user::table).select(user::id).filter(
            user::email
                .eq("a")
                .or(user::email.eq("b"))
                .and(user::name.eq("c"))
        ),
        pg = r#"SELECT "User"."id" FROM "User" WHERE ("User"."email" = $1 OR "User"."email" = $2) AND "User"."name" = $3"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE (`User`.`email` = ? OR `User`.`email` = ?) AND `User`.`name` = ?",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE ("User"."email" = ? OR "User"."email" = ?) AND "User"."name" = ?"#,
        params = [s("a"), s("b"), s("c")],
    );
}

#[test]
fn t030_or_of_ands_and_and_of_ors() {
    assert_sql!(
        |db| db.select_from(user::table).select(user::id).filter(
            user::email
                .eq("a")
                .and(user::name.eq("b"))
                .or(user::email.eq("c").and(user::name.eq("d")))
                .and(user::image.is_null().or(user::image.eq("e")))
        ),
        pg = r#"SELECT "User"."id" FROM "User" WHERE (("User"."email" = $1 AND "User"."name" = $2) OR ("User"."email" = $3 AND "User"."name" = $4)) AND ("User"."image" IS NULL OR "User"."image" = $5)"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE ((`User`.`email` = ? AND `User`.`name` = ?) OR (`User`.`email` = ? AND `User`.`name` = ?)) AND (`User`.`image` IS NULL OR `User`.`image` = ?)",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE (("User"."email" = ? AND "User"."name" = ?) OR ("User"."email" = ? AND "User"."name" = ?)) AND ("User"."image" IS NULL OR "User"."image" = ?)"#,
        params = [s("a"), s("b"), s("c"), s("d"), s("e")],
    );
}

#[test]
fn t031_filter_twice_is_and() {
    assert_sql!(
        |db| db
            .select_from(vt::table)
            .select(vt::expires)
            .filter(vt::identifier.eq("a@b.c"))
            .filter(vt::token.eq("h")),
        pg = r#"SELECT "VerificationToken"."expires" FROM "VerificationToken" WHERE "VerificationToken"."identifier" = $1 AND "VerificationToken"."token" = $2"#,
        mysql = "SELECT `VerificationToken`.`expires` FROM `VerificationToken` WHERE `VerificationToken`.`identifier` = ? AND `VerificationToken`.`token` = ?",
        sqlite = r#"SELECT "VerificationToken"."expires" FROM "VerificationToken" WHERE "VerificationToken"."identifier" = ? AND "VerificationToken"."token" = ?"#,
        params = [s("a@b.c"), s("h")],
    );
}

#[test]
fn t032_filter_twice_with_or_keeps_the_grouping() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::email.eq("a").or(user::email.eq("b")))
            .filter(user::name.eq("c")),
        pg = r#"SELECT "User"."id" FROM "User" WHERE ("User"."email" = $1 OR "User"."email" = $2) AND "User"."name" = $3"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE (`User`.`email` = ? OR `User`.`email` = ?) AND `User`.`name` = ?",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE ("User"."email" = ? OR "User"."email" = ?) AND "User"."name" = ?"#,
        params = [s("a"), s("b"), s("c")],
    );
}

#[test]
fn t033_eq_col_in_a_filter() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::provider)
            .filter(account::access_token.eq_col(account::refresh_token)),
        pg = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."access_token" = "Account"."refresh_token""#,
        mysql = "SELECT `Account`.`provider` FROM `Account` WHERE `Account`.`access_token` = `Account`.`refresh_token`",
        sqlite = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."access_token" = "Account"."refresh_token""#,
        params = [],
    );
}

#[test]
fn t034_eq_col_between_nullable_and_not_null() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::name.eq_col(user::email)),
        pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."name" = "User"."email""#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE `User`.`name` = `User`.`email`",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE "User"."name" = "User"."email""#,
        params = [],
    );
}

// =============================================================================================
// SELECT: joins.

#[test]
fn t040_inner_join() {
    assert_sql!(
        |db| db
            .select_from(session::table)
            .inner_join(user::table, user::id.eq_col(session::user_id))
            .select((session::table.all(), user::table.all()))
            .filter(session::session_token.eq("tok")),
        pg = r#"SELECT "Session"."userId", "Session"."sessionToken", "Session"."expires", "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "Session" INNER JOIN "User" ON "User"."id" = "Session"."userId" WHERE "Session"."sessionToken" = $1"#,
        mysql = "SELECT `Session`.`userId`, `Session`.`sessionToken`, `Session`.`expires`, `User`.`id`, `User`.`name`, `User`.`email`, `User`.`emailVerified`, `User`.`image` FROM `Session` INNER JOIN `User` ON `User`.`id` = `Session`.`userId` WHERE `Session`.`sessionToken` = ?",
        sqlite = r#"SELECT "Session"."userId", "Session"."sessionToken", "Session"."expires", "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "Session" INNER JOIN "User" ON "User"."id" = "Session"."userId" WHERE "Session"."sessionToken" = ?"#,
        params = [s("tok")],
    );
}

#[test]
fn t041_inner_join_with_a_compound_on() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .inner_join(
                account::table,
                account::user_id
                    .eq_col(user::id)
                    .and(account::provider.eq("github"))
            )
            .select(user::email)
            .filter(account::provider_account_id.eq("42")),
        pg = r#"SELECT "User"."email" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" AND "Account"."provider" = $1 WHERE "Account"."providerAccountId" = $2"#,
        mysql = "SELECT `User`.`email` FROM `User` INNER JOIN `Account` ON `Account`.`userId` = `User`.`id` AND `Account`.`provider` = ? WHERE `Account`.`providerAccountId` = ?",
        sqlite = r#"SELECT "User"."email" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" AND "Account"."provider" = ? WHERE "Account"."providerAccountId" = ?"#,
        params = [s("github"), s("42")],
    );
}

#[test]
fn t042_left_join() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .left_join(account::table, account::user_id.eq_col(user::id))
            .select((user::email, account::provider, account::table.all()))
            .filter(user::id.eq(UUID)),
        pg = r#"SELECT "User"."email", "Account"."provider", "Account"."userId", "Account"."type", "Account"."provider", "Account"."providerAccountId", "Account"."refresh_token", "Account"."access_token", "Account"."expires_at", "Account"."token_type", "Account"."scope", "Account"."id_token", "Account"."session_state" FROM "User" LEFT JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "User"."id" = $1"#
            [uuid(UUID)],
        mysql = "SELECT `User`.`email`, `Account`.`provider`, `Account`.`userId`, `Account`.`type`, `Account`.`provider`, `Account`.`providerAccountId`, `Account`.`refresh_token`, `Account`.`access_token`, `Account`.`expires_at`, `Account`.`token_type`, `Account`.`scope`, `Account`.`id_token`, `Account`.`session_state` FROM `User` LEFT JOIN `Account` ON `Account`.`userId` = `User`.`id` WHERE `User`.`id` = ?"
            [s(UUID)],
        sqlite = r#"SELECT "User"."email", "Account"."provider", "Account"."userId", "Account"."type", "Account"."provider", "Account"."providerAccountId", "Account"."refresh_token", "Account"."access_token", "Account"."expires_at", "Account"."token_type", "Account"."scope", "Account"."id_token", "Account"."session_state" FROM "User" LEFT JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "User"."id" = ?"#
            [s(UUID)],
    );
}

#[test]
fn t043_two_joins_three_tables() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .inner_join(account::table, account::user_id.eq_col(user::id))
            .left_join(session::table, session::user_id.eq_col(user::id))
            .select((user::id, account::provider, session::session_token))
            .filter(account::provider.eq("github"))
            .filter(session::expires.gt(ts()).or(session::session_token.eq("keep")))
            .order_by(user::email),
        pg = r#"SELECT "User"."id", "Account"."provider", "Session"."sessionToken" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" LEFT JOIN "Session" ON "Session"."userId" = "User"."id" WHERE "Account"."provider" = $1 AND ("Session"."expires" > $2 OR "Session"."sessionToken" = $3) ORDER BY "User"."email" ASC"#
            [s("github"), ts_pg(), s("keep")],
        mysql = "SELECT `User`.`id`, `Account`.`provider`, `Session`.`sessionToken` FROM `User` INNER JOIN `Account` ON `Account`.`userId` = `User`.`id` LEFT JOIN `Session` ON `Session`.`userId` = `User`.`id` WHERE `Account`.`provider` = ? AND (`Session`.`expires` > ? OR `Session`.`sessionToken` = ?) ORDER BY `User`.`email` ASC"
            [s("github"), ts_mysql(), s("keep")],
        sqlite = r#"SELECT "User"."id", "Account"."provider", "Session"."sessionToken" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" LEFT JOIN "Session" ON "Session"."userId" = "User"."id" WHERE "Account"."provider" = ? AND ("Session"."expires" > ? OR "Session"."sessionToken" = ?) ORDER BY "User"."email" ASC"#
            [s("github"), ts_sqlite(), s("keep")],
    );
}

#[test]
fn t044_join_on_sees_earlier_tables() {
    assert_sql!(
        |db| db
            .select_from(session::table)
            .inner_join(user::table, user::id.eq_col(session::user_id))
            .inner_join(
                account::table,
                account::user_id
                    .eq_col(session::user_id)
                    .and(account::user_id.eq_col(user::id))
            )
            .select(count_all()),
        pg = r#"SELECT COUNT(*) FROM "Session" INNER JOIN "User" ON "User"."id" = "Session"."userId" INNER JOIN "Account" ON "Account"."userId" = "Session"."userId" AND "Account"."userId" = "User"."id""#,
        mysql = "SELECT COUNT(*) FROM `Session` INNER JOIN `User` ON `User`.`id` = `Session`.`userId` INNER JOIN `Account` ON `Account`.`userId` = `Session`.`userId` AND `Account`.`userId` = `User`.`id`",
        sqlite = r#"SELECT COUNT(*) FROM "Session" INNER JOIN "User" ON "User"."id" = "Session"."userId" INNER JOIN "Account" ON "Account"."userId" = "Session"."userId" AND "Account"."userId" = "User"."id""#,
        params = [],
    );
}

// =============================================================================================
// SELECT: ordering, paging, counting, mapping.

#[test]
fn t050_order_by_column_is_ascending() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .order_by(user::email),
        pg = r#"SELECT "User"."email" FROM "User" ORDER BY "User"."email" ASC"#,
        mysql = "SELECT `User`.`email` FROM `User` ORDER BY `User`.`email` ASC",
        sqlite = r#"SELECT "User"."email" FROM "User" ORDER BY "User"."email" ASC"#,
        params = [],
    );
}

#[test]
fn t051_order_by_asc() {
    assert_sql!(
        |db| db
            .select_from(session::table)
            .select(session::session_token)
            .order_by(session::expires.asc()),
        pg = r#"SELECT "Session"."sessionToken" FROM "Session" ORDER BY "Session"."expires" ASC"#,
        mysql = "SELECT `Session`.`sessionToken` FROM `Session` ORDER BY `Session`.`expires` ASC",
        sqlite =
            r#"SELECT "Session"."sessionToken" FROM "Session" ORDER BY "Session"."expires" ASC"#,
        params = [],
    );
}

#[test]
fn t052_order_by_desc() {
    assert_sql!(
        |db| db
            .select_from(session::table)
            .select(session::session_token)
            .order_by(session::expires.desc()),
        pg = r#"SELECT "Session"."sessionToken" FROM "Session" ORDER BY "Session"."expires" DESC"#,
        mysql = "SELECT `Session`.`sessionToken` FROM `Session` ORDER BY `Session`.`expires` DESC",
        sqlite =
            r#"SELECT "Session"."sessionToken" FROM "Session" ORDER BY "Session"."expires" DESC"#,
        params = [],
    );
}

#[test]
fn t053_order_by_several() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .inner_join(account::table, account::user_id.eq_col(user::id))
            .select(user::email)
            .order_by(account::provider.asc())
            .order_by(user::email_verified.desc())
            .order_by(user::id),
        pg = r#"SELECT "User"."email" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" ORDER BY "Account"."provider" ASC, "User"."emailVerified" DESC, "User"."id" ASC"#,
        mysql = "SELECT `User`.`email` FROM `User` INNER JOIN `Account` ON `Account`.`userId` = `User`.`id` ORDER BY `Account`.`provider` ASC, `User`.`emailVerified` DESC, `User`.`id` ASC",
        sqlite = r#"SELECT "User"."email" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" ORDER BY "Account"."provider" ASC, "User"."emailVerified" DESC, "User"."id" ASC"#,
        params = [],
    );
}

#[test]
fn t054_limit() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .filter(user::name.eq("Ada"))
            .limit(10),
        pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."name" = $1 LIMIT $2"#,
        mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`name` = ? LIMIT ?",
        sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."name" = ? LIMIT ?"#,
        params = [s("Ada"), unsigned(10)],
    );
}

#[test]
fn t055_limit_and_offset() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .order_by(user::email.desc())
            .limit(10)
            .offset(20),
        pg = r#"SELECT "User"."email" FROM "User" ORDER BY "User"."email" DESC LIMIT $1 OFFSET $2"#,
        mysql = "SELECT `User`.`email` FROM `User` ORDER BY `User`.`email` DESC LIMIT ? OFFSET ?",
        sqlite =
            r#"SELECT "User"."email" FROM "User" ORDER BY "User"."email" DESC LIMIT ? OFFSET ?"#,
        params = [unsigned(10), unsigned(20)],
    );
}

#[test]
fn t056_offset_then_limit() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .offset(20)
            .limit(10),
        pg = r#"SELECT "User"."email" FROM "User" LIMIT $1 OFFSET $2"#,
        mysql = "SELECT `User`.`email` FROM `User` LIMIT ? OFFSET ?",
        sqlite = r#"SELECT "User"."email" FROM "User" LIMIT ? OFFSET ?"#,
        params = [unsigned(10), unsigned(20)],
    );
}

#[test]
fn t057_offset_without_limit() {
    // MySQL and SQLite have no OFFSET without LIMIT.
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .offset(20),
        pg = r#"SELECT "User"."email" FROM "User" OFFSET $1"# [unsigned(20)],
        mysql = "SELECT `User`.`email` FROM `User` LIMIT ? OFFSET ?" [unsigned(i64::MAX as u64), unsigned(20)],
        sqlite = r#"SELECT "User"."email" FROM "User" LIMIT ? OFFSET ?"# [unsigned(i64::MAX as u64), unsigned(20)],
    );
}

#[test]
fn t058_last_limit_wins() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .limit(10)
            .limit(5),
        pg = r#"SELECT "User"."email" FROM "User" LIMIT $1"#,
        mysql = "SELECT `User`.`email` FROM `User` LIMIT ?",
        sqlite = r#"SELECT "User"."email" FROM "User" LIMIT ?"#,
        params = [unsigned(5)],
    );
}

#[test]
fn t058b_huge_limit_and_offset_are_capped_at_i64_max() {
    // The drivers bind LIMIT and OFFSET as i64; a larger u64 would fail at execution.
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .limit(u64::MAX)
            .offset(u64::MAX),
        pg = r#"SELECT "User"."email" FROM "User" LIMIT $1 OFFSET $2"#,
        mysql = "SELECT `User`.`email` FROM `User` LIMIT ? OFFSET ?",
        sqlite = r#"SELECT "User"."email" FROM "User" LIMIT ? OFFSET ?"#,
        params = [unsigned(i64::MAX as u64), unsigned(i64::MAX as u64)],
    );
}

#[test]
fn t059_count_all() {
    assert_sql!(
        |db| db.select_from(session::table).select(count_all()),
        pg = r#"SELECT COUNT(*) FROM "Session""#,
        mysql = "SELECT COUNT(*) FROM `Session`",
        sqlite = r#"SELECT COUNT(*) FROM "Session""#,
        params = [],
    );
}

#[test]
fn t060_count_replaces_the_selection() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::table.all())
            .filter(account::provider.eq("github"))
            .count(),
        pg = r#"SELECT COUNT(*) FROM "Account" WHERE "Account"."provider" = $1"#,
        mysql = "SELECT COUNT(*) FROM `Account` WHERE `Account`.`provider` = ?",
        sqlite = r#"SELECT COUNT(*) FROM "Account" WHERE "Account"."provider" = ?"#,
        params = [s("github")],
    );
}

#[test]
fn t061_count_with_a_join() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .inner_join(session::table, session::user_id.eq_col(user::id))
            .filter(user::email.eq("a@b.c"))
            .count(),
        pg = r#"SELECT COUNT(*) FROM "User" INNER JOIN "Session" ON "Session"."userId" = "User"."id" WHERE "User"."email" = $1"#,
        mysql = "SELECT COUNT(*) FROM `User` INNER JOIN `Session` ON `Session`.`userId` = `User`.`id` WHERE `User`.`email` = ?",
        sqlite = r#"SELECT COUNT(*) FROM "User" INNER JOIN "Session" ON "Session"."userId" = "User"."id" WHERE "User"."email" = ?"#,
        params = [s("a@b.c")],
    );
}

#[derive(Debug)]
struct Contact {
    _email: String,
    _name: Option<String>,
}

impl From<(String, Option<String>)> for Contact {
    fn from((email, name): (String, Option<String>)) -> Self {
        Contact {
            _email: email,
            _name: name,
        }
    }
}

#[test]
fn t062_map_into_keeps_the_sql() {
    let compiled = assert_sql!(
        |db| {
            let q = db
                .select_from(user::table)
                .select((user::email, user::name))
                .filter(user::email.like("%@b.c"))
                .map_into::<Contact>();
            let _: &Select<_, _, MapInto<(String, Option<String>), Contact>, _, _> = &q;
            q
        },
        pg = r#"SELECT "User"."email", "User"."name" FROM "User" WHERE "User"."email" LIKE $1"#,
        mysql = "SELECT `User`.`email`, `User`.`name` FROM `User` WHERE `User`.`email` LIKE ?",
        sqlite = r#"SELECT "User"."email", "User"."name" FROM "User" WHERE "User"."email" LIKE ?"#,
        params = [s("%@b.c")],
    );
    let plain = Postgres
        .select_from(user::table)
        .select((user::email, user::name))
        .filter(user::email.like("%@b.c"))
        .compile();
    assert_eq!(compiled[0], Out::from(plain));
}

#[test]
fn t063_filter_order_limit_together() {
    assert_sql!(
        |db| db
            .select_from(session::table)
            .select(session::table.all())
            .filter(session::user_id.eq(UUID))
            .filter(session::expires.ge(ts()))
            .order_by(session::expires.desc())
            .limit(1),
        pg = r#"SELECT "Session"."userId", "Session"."sessionToken", "Session"."expires" FROM "Session" WHERE "Session"."userId" = $1 AND "Session"."expires" >= $2 ORDER BY "Session"."expires" DESC LIMIT $3"#
            [uuid(UUID), ts_pg(), unsigned(1)],
        mysql = "SELECT `Session`.`userId`, `Session`.`sessionToken`, `Session`.`expires` FROM `Session` WHERE `Session`.`userId` = ? AND `Session`.`expires` >= ? ORDER BY `Session`.`expires` DESC LIMIT ?"
            [s(UUID), ts_mysql(), unsigned(1)],
        sqlite = r#"SELECT "Session"."userId", "Session"."sessionToken", "Session"."expires" FROM "Session" WHERE "Session"."userId" = ? AND "Session"."expires" >= ? ORDER BY "Session"."expires" DESC LIMIT ?"#
            [s(UUID), ts_sqlite(), unsigned(1)],
    );
}

// =============================================================================================
// INSERT.

#[test]
fn t070_insert_new_user_generates_a_v4_uuid() {
    let pg = Postgres
        .insert_into(user::table)
        .values(new_user(None, "a@b.c"))
        .compile();
    let mysql = MySql
        .insert_into(user::table)
        .values(new_user(None, "a@b.c"))
        .compile();
    let sqlite = Sqlite
        .insert_into(user::table)
        .values(new_user(None, "a@b.c"))
        .compile();
    assert_eq!(
        pg.sql(),
        r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES ($1, $2, $3, $4, $5)"#
    );
    assert_eq!(
        mysql.sql(),
        "INSERT INTO `User` (`id`, `name`, `email`, `emailVerified`, `image`) VALUES (?, ?, ?, ?, ?)"
    );
    assert_eq!(
        sqlite.sql(),
        r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES (?, ?, ?, ?, ?)"#
    );
    // Postgres binds the generated id as a native uuid, the others as its text.
    assert!(matches!(pg.params()[0], V::Uuid(Some(_))));
    assert!(matches!(mysql.params()[0], V::String(Some(_))));
    assert!(matches!(sqlite.params()[0], V::String(Some(_))));
    let ids = [
        assert_uuid_v4(&pg.params()[0]),
        assert_uuid_v4(&mysql.params()[0]),
        assert_uuid_v4(&sqlite.params()[0]),
    ];
    assert!(
        ids[0] != ids[1] && ids[1] != ids[2],
        "a fresh id per insert"
    );
    assert_eq!(
        pg.params()[1..],
        [
            V::String(None),
            s("a@b.c"),
            V::ChronoDateTimeUtc(None),
            V::String(None)
        ]
    );
    assert_eq!(
        mysql.params()[1..],
        [
            V::String(None),
            s("a@b.c"),
            V::ChronoDateTime(None),
            V::String(None)
        ]
    );
    assert_eq!(
        sqlite.params()[1..],
        [
            V::String(None),
            s("a@b.c"),
            V::String(None),
            V::String(None)
        ]
    );
}

#[test]
fn t071_insert_new_user_with_every_field() {
    assert_sql!(
        |db| db.insert_into(user::table).values(NewUser {
            id: Some(UUID.to_owned()),
            name: Some("Ada".to_owned()),
            email: "ada@example.com".to_owned(),
            email_verified: Some(ts()),
            image: Some("https://img/a.png".to_owned()),
            extra: Default::default(),
        }),
        pg = r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES ($1, $2, $3, $4, $5)"#
            [uuid(UUID), s("Ada"), s("ada@example.com"), ts_pg(), s("https://img/a.png")],
        mysql = "INSERT INTO `User` (`id`, `name`, `email`, `emailVerified`, `image`) VALUES (?, ?, ?, ?, ?)"
            [s(UUID), s("Ada"), s("ada@example.com"), ts_mysql(), s("https://img/a.png")],
        sqlite = r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES (?, ?, ?, ?, ?)"#
            [s(UUID), s("Ada"), s("ada@example.com"), ts_sqlite(), s("https://img/a.png")],
    );
}

#[test]
fn t072_insert_user_row_struct() {
    assert_sql!(
        |db| db.insert_into(user::table).values(User {
            id: UUID.to_owned(),
            name: None,
            email: "a@b.c".to_owned(),
            email_verified: None,
            image: None,
            extra: Default::default(),
        }),
        pg = r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES ($1, $2, $3, $4, $5)"#
            [uuid(UUID), V::String(None), s("a@b.c"), V::ChronoDateTimeUtc(None), V::String(None)],
        mysql = "INSERT INTO `User` (`id`, `name`, `email`, `emailVerified`, `image`) VALUES (?, ?, ?, ?, ?)"
            [s(UUID), V::String(None), s("a@b.c"), V::ChronoDateTime(None), V::String(None)],
        sqlite = r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES (?, ?, ?, ?, ?)"#
            [s(UUID), V::String(None), s("a@b.c"), V::String(None), V::String(None)],
    );
}

fn github_account() -> Account {
    Account {
        user_id: UUID.to_owned(),
        account_type: "oauth".to_owned(),
        provider: "github".to_owned(),
        provider_account_id: "42".to_owned(),
        refresh_token: None,
        access_token: Some("gho_token".to_owned()),
        expires_at: Some(1_700_000_000),
        token_type: Some("bearer".to_owned()),
        scope: None,
        id_token: None,
        session_state: None,
        extra: Default::default(),
    }
}

#[test]
fn t073_insert_account_struct_with_typed_nulls() {
    assert_sql!(
        |db| db.insert_into(account::table).values(github_account()),
        pg = r#"INSERT INTO "Account" ("userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#
            [uuid(UUID), s("oauth"), s("github"), s("42"), V::String(None), s("gho_token"), big(1_700_000_000), s("bearer"), V::String(None), V::String(None), V::String(None)],
        mysql = "INSERT INTO `Account` (`userId`, `type`, `provider`, `providerAccountId`, `refresh_token`, `access_token`, `expires_at`, `token_type`, `scope`, `id_token`, `session_state`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            [s(UUID), s("oauth"), s("github"), s("42"), V::String(None), s("gho_token"), big(1_700_000_000), s("bearer"), V::String(None), V::String(None), V::String(None)],
        sqlite = r#"INSERT INTO "Account" ("userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"#
            [s(UUID), s("oauth"), s("github"), s("42"), V::String(None), s("gho_token"), big(1_700_000_000), s("bearer"), V::String(None), V::String(None), V::String(None)],
    );
}

#[test]
fn t074_insert_account_null_expiry_is_a_typed_bigint_null() {
    let mut row = github_account();
    row.expires_at = None;
    let compiled = assert_sql!(
        |db| db.insert_into(account::table).values(row.clone()).returning(account::expires_at),
        pg = r#"INSERT INTO "Account" ("userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING "expires_at""#
            [uuid(UUID), s("oauth"), s("github"), s("42"), V::String(None), s("gho_token"), V::BigInt(None), s("bearer"), V::String(None), V::String(None), V::String(None)],
        sqlite = r#"INSERT INTO "Account" ("userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "expires_at""#
            [s(UUID), s("oauth"), s("github"), s("42"), V::String(None), s("gho_token"), V::BigInt(None), s("bearer"), V::String(None), V::String(None), V::String(None)],
    );
    assert_eq!(compiled.len(), 2);
}

#[test]
fn t075_insert_session_struct() {
    assert_sql!(
        |db| db.insert_into(session::table).values(auth_schema::Session {
            user_id: UUID.to_owned(),
            session_token: "tok".to_owned(),
            expires: ts_sub_ms(),
            extra: Default::default(),
        }),
        pg = r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES ($1, $2, $3)"#
            [uuid(UUID), s("tok"), ts_pg()],
        mysql = "INSERT INTO `Session` (`userId`, `sessionToken`, `expires`) VALUES (?, ?, ?)"
            [s(UUID), s("tok"), ts_mysql()],
        sqlite = r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES (?, ?, ?)"#
            [s(UUID), s("tok"), ts_sqlite()],
    );
}

#[test]
fn t076_insert_authenticator_struct_binds_bool_and_bigint() {
    assert_sql!(
        |db| db.insert_into(authenticator::table).values(auth_schema::Authenticator {
            credential_id: "cred".to_owned(),
            user_id: UUID.to_owned(),
            provider_account_id: "pa".to_owned(),
            credential_public_key: "pk".to_owned(),
            counter: 9_007_199_254_740_993,
            credential_device_type: "singleDevice".to_owned(),
            credential_backed_up: false,
            transports: Some("usb,nfc".to_owned()),
            extra: Default::default(),
        }),
        pg = r#"INSERT INTO "Authenticator" ("credentialID", "userId", "providerAccountId", "credentialPublicKey", "counter", "credentialDeviceType", "credentialBackedUp", "transports") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#
            [s("cred"), uuid(UUID), s("pa"), s("pk"), big(9_007_199_254_740_993), s("singleDevice"), boolean(false), s("usb,nfc")],
        mysql = "INSERT INTO `Authenticator` (`credentialID`, `userId`, `providerAccountId`, `credentialPublicKey`, `counter`, `credentialDeviceType`, `credentialBackedUp`, `transports`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            [s("cred"), s(UUID), s("pa"), s("pk"), big(9_007_199_254_740_993), s("singleDevice"), boolean(false), s("usb,nfc")],
        sqlite = r#"INSERT INTO "Authenticator" ("credentialID", "userId", "providerAccountId", "credentialPublicKey", "counter", "credentialDeviceType", "credentialBackedUp", "transports") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"#
            [s("cred"), s(UUID), s("pa"), s("pk"), big(9_007_199_254_740_993), s("singleDevice"), boolean(false), s("usb,nfc")],
    );
}

#[test]
fn t077_insert_with_value() {
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .value(user::name, None::<String>)
            .value(user::email_verified, Some(ts())),
        pg = r#"INSERT INTO "User" ("id", "email", "name", "emailVerified") VALUES ($1, $2, $3, $4)"#
            [uuid(UUID), s("a@b.c"), V::String(None), ts_pg()],
        mysql = "INSERT INTO `User` (`id`, `email`, `name`, `emailVerified`) VALUES (?, ?, ?, ?)"
            [s(UUID), s("a@b.c"), V::String(None), ts_mysql()],
        sqlite = r#"INSERT INTO "User" ("id", "email", "name", "emailVerified") VALUES (?, ?, ?, ?)"#
            [s(UUID), s("a@b.c"), V::String(None), ts_sqlite()],
    );
}

#[test]
fn t078_insert_value_of_a_uuid_type() {
    let id = uuid::Uuid::parse_str(UUID).unwrap();
    assert_sql!(
        |db| db.insert_into(user::table).value(user::id, id).value(user::email, "a@b.c"),
        pg = r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2)"# [uuid(UUID), s("a@b.c")],
        mysql = "INSERT INTO `User` (`id`, `email`) VALUES (?, ?)" [s(UUID), s("a@b.c")],
        sqlite = r#"INSERT INTO "User" ("id", "email") VALUES (?, ?)"# [s(UUID), s("a@b.c")],
    );
}

#[test]
fn t079_insert_a_non_uuid_id_is_refused() {
    // A write must not silently turn a bad id into NULL, nor send text for a uuid parameter:
    // the statement holds an invalid value and refuses to run, on every dialect.
    let compiled = assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, "not-a-uuid")
            .value(user::email, "a@b.c"),
        pg = r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2)"#[V::String(None), s("a@b.c")],
        mysql = "INSERT INTO `User` (`id`, `email`) VALUES (?, ?)",
        sqlite = r#"INSERT INTO "User" ("id", "email") VALUES (?, ?)"#,
        params = [V::String(None), s("a@b.c")],
    );
    for c in compiled {
        let why = c.invalid.expect("refused");
        assert!(why.contains("`not-a-uuid` is not a UUID"), "{why}");
    }
}

#[test]
fn t079b_values_that_cannot_be_stored_exactly_are_refused() {
    let year_10000 = NaiveDate::from_ymd_opt(10000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let year_0 = NaiveDate::from_ymd_opt(0, 12, 31)
        .unwrap()
        .and_hms_opt(23, 59, 59)
        .unwrap()
        .and_utc();
    for (t, shown) in [
        (year_10000, "+10000-01-01T00:00:00.000Z"),
        (year_0, "0000-12-31T23:59:59.000Z"),
    ] {
        for c in [
            Out::from(
                Postgres
                    .update(user::table)
                    .set(user::email_verified, Some(t))
                    .all_rows()
                    .compile(),
            ),
            Out::from(
                MySql
                    .delete_from(vt::table)
                    .filter(vt::expires.lt(t))
                    .compile(),
            ),
            Out::from(
                Sqlite
                    .select_from(vt::table)
                    .select(vt::token)
                    .filter(vt::expires.gt(t))
                    .compile(),
            ),
        ] {
            let why = c.invalid.expect("refused");
            assert!(
                why.contains(shown) && why.contains("outside the supported range"),
                "{why}"
            );
        }
    }
    // The bounds themselves are stored exactly.
    for t in [
        auth_query::backend::MIN_TIMESTAMP,
        auth_query::backend::MAX_TIMESTAMP,
    ] {
        assert_eq!(
            Postgres
                .delete_from(vt::table)
                .filter(vt::expires.lt(t))
                .compile()
                .invalid_value(),
            None
        );
    }
    // NUL cannot be stored in Postgres text; MySQL and SQLite keep it.
    let nul = Postgres
        .update(user::table)
        .set(user::name, Some("a\0b"))
        .all_rows()
        .compile();
    assert!(nul.invalid_value().unwrap().contains("NUL"));
    assert_eq!(
        Sqlite
            .update(user::table)
            .set(user::name, Some("a\0b"))
            .all_rows()
            .compile()
            .invalid_value(),
        None
    );
    // MySQL's varchar(255) and TEXT limits, checked on writes only.
    let long = "é".repeat(256);
    let c = MySql
        .update(user::table)
        .set(user::email, long.as_str())
        .all_rows()
        .compile();
    assert!(
        c.invalid_value()
            .unwrap()
            .contains("longer than the column's 255")
    );
    let c = MySql
        .select_from(user::table)
        .select(user::id)
        .filter(user::email.eq(long.as_str()))
        .compile();
    assert_eq!(c.invalid_value(), None);
    let c = Postgres
        .update(user::table)
        .set(user::email, long.as_str())
        .all_rows()
        .compile();
    assert_eq!(c.invalid_value(), None);
    let big = "x".repeat(65_536);
    let c = MySql
        .update(user::table)
        .set(user::image, Some(big.as_str()))
        .all_rows()
        .compile();
    assert!(c.invalid_value().unwrap().contains("65535 bytes"));
}

#[test]
fn t080_insert_several_rows() {
    let token = |id: &str, t: &str| VerificationToken {
        identifier: id.to_owned(),
        token: t.to_owned(),
        expires: ts(),
        extra: Default::default(),
    };
    assert_sql!(
        |db| db
            .insert_into(vt::table)
            .values(token("a@b.c", "h1"))
            .values(token("a@b.c", "h2"))
            .values(token("c@d.e", "h3")),
        pg = r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires") VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)"#
            [s("a@b.c"), s("h1"), ts_pg(), s("a@b.c"), s("h2"), ts_pg(), s("c@d.e"), s("h3"), ts_pg()],
        mysql = "INSERT INTO `VerificationToken` (`identifier`, `token`, `expires`) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)"
            [s("a@b.c"), s("h1"), ts_mysql(), s("a@b.c"), s("h2"), ts_mysql(), s("c@d.e"), s("h3"), ts_mysql()],
        sqlite = r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)"#
            [s("a@b.c"), s("h1"), ts_sqlite(), s("a@b.c"), s("h2"), ts_sqlite(), s("c@d.e"), s("h3"), ts_sqlite()],
    );
}

#[test]
fn t081_insert_several_rows_after_value_follow_its_columns() {
    // The first row names (id, email); later rows keep those columns only.
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .values(new_user(Some(UUID2), "c@d.e")),
        pg = r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2), ($3, $4)"#
            [uuid(UUID), s("a@b.c"), uuid(UUID2), s("c@d.e")],
        mysql = "INSERT INTO `User` (`id`, `email`) VALUES (?, ?), (?, ?)"
            [s(UUID), s("a@b.c"), s(UUID2), s("c@d.e")],
        sqlite = r#"INSERT INTO "User" ("id", "email") VALUES (?, ?), (?, ?)"#
            [s(UUID), s("a@b.c"), s(UUID2), s("c@d.e")],
    );
}

#[test]
fn t082_insert_several_rows_after_value_in_another_column_order() {
    // The first row names (email, id): the later row's values must follow that order too.
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::email, "a@b.c")
            .value(user::id, UUID)
            .values(new_user(Some(UUID2), "c@d.e")),
        pg = r#"INSERT INTO "User" ("email", "id") VALUES ($1, $2), ($3, $4)"#
            [s("a@b.c"), uuid(UUID), s("c@d.e"), uuid(UUID2)],
        mysql = "INSERT INTO `User` (`email`, `id`) VALUES (?, ?), (?, ?)"
            [s("a@b.c"), s(UUID), s("c@d.e"), s(UUID2)],
        sqlite = r#"INSERT INTO "User" ("email", "id") VALUES (?, ?), (?, ?)"#
            [s("a@b.c"), s(UUID), s("c@d.e"), s(UUID2)],
    );
}

#[test]
fn t083_insert_value_after_values_adds_to_every_row() {
    assert_sql!(
        |db| db
            .insert_into(session::table)
            .value(session::user_id, UUID)
            .value(session::session_token, "t1")
            .values(auth_schema::Session {
                user_id: UUID2.to_owned(),
                session_token: "t2".to_owned(),
                expires: ts(),
                extra: Default::default(),
            })
            .value(session::expires, ts()),
        pg = r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES ($1, $2, $3), ($4, $5, $6)"#
            [uuid(UUID), s("t1"), ts_pg(), uuid(UUID2), s("t2"), ts_pg()],
        mysql = "INSERT INTO `Session` (`userId`, `sessionToken`, `expires`) VALUES (?, ?, ?), (?, ?, ?)"
            [s(UUID), s("t1"), ts_mysql(), s(UUID2), s("t2"), ts_mysql()],
        sqlite = r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES (?, ?, ?), (?, ?, ?)"#
            [s(UUID), s("t1"), ts_sqlite(), s(UUID2), s("t2"), ts_sqlite()],
    );
}

#[test]
fn t083b_insert_value_again_replaces_it() {
    // Naming a column twice would be invalid SQL; the later value wins in every row.
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .values(new_user(Some(UUID), "a@b.c"))
            .values(new_user(Some(UUID2), "c@d.e"))
            .value(user::name, Some("Ada"))
            .value(user::email_verified, Some(ts())),
        pg = r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)"#
            [uuid(UUID), s("Ada"), s("a@b.c"), ts_pg(), V::String(None), uuid(UUID2), s("Ada"), s("c@d.e"), ts_pg(), V::String(None)],
        mysql = "INSERT INTO `User` (`id`, `name`, `email`, `emailVerified`, `image`) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)"
            [s(UUID), s("Ada"), s("a@b.c"), ts_mysql(), V::String(None), s(UUID2), s("Ada"), s("c@d.e"), ts_mysql(), V::String(None)],
        sqlite = r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)"#
            [s(UUID), s("Ada"), s("a@b.c"), ts_sqlite(), V::String(None), s(UUID2), s("Ada"), s("c@d.e"), ts_sqlite(), V::String(None)],
    );
    // The same column given twice does not compile (tests/ui/insert_column_twice.rs).
}

#[test]
fn t084_on_conflict_do_update() {
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .value(user::name, Some("Ada"))
            .on_conflict_do_update(user::email, (user::name, user::id)),
        pg = r#"INSERT INTO "User" ("id", "email", "name") VALUES ($1, $2, $3) ON CONFLICT ("email") DO UPDATE SET "name" = "excluded"."name", "id" = "excluded"."id""#
            [uuid(UUID), s("a@b.c"), s("Ada")],
        sqlite = r#"INSERT INTO "User" ("id", "email", "name") VALUES (?, ?, ?) ON CONFLICT ("email") DO UPDATE SET "name" = "excluded"."name", "id" = "excluded"."id""#
            [s(UUID), s("a@b.c"), s("Ada")],
    );
}

#[test]
fn t085_on_conflict_do_update_with_a_compound_target() {
    assert_sql!(
        |db| db
            .insert_into(account::table)
            .values(github_account())
            .on_conflict_do_update(
                (account::provider, account::provider_account_id),
                (account::access_token, account::expires_at, account::token_type)
            ),
        pg = r#"INSERT INTO "Account" ("userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT ("provider", "providerAccountId") DO UPDATE SET "access_token" = "excluded"."access_token", "expires_at" = "excluded"."expires_at", "token_type" = "excluded"."token_type""#
            [uuid(UUID), s("oauth"), s("github"), s("42"), V::String(None), s("gho_token"), big(1_700_000_000), s("bearer"), V::String(None), V::String(None), V::String(None)],
        sqlite = r#"INSERT INTO "Account" ("userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("provider", "providerAccountId") DO UPDATE SET "access_token" = "excluded"."access_token", "expires_at" = "excluded"."expires_at", "token_type" = "excluded"."token_type""#
            [s(UUID), s("oauth"), s("github"), s("42"), V::String(None), s("gho_token"), big(1_700_000_000), s("bearer"), V::String(None), V::String(None), V::String(None)],
    );
}

#[test]
fn t086_on_conflict_do_nothing() {
    assert_sql!(
        |db| db
            .insert_into(vt::table)
            .value(vt::identifier, "a@b.c")
            .value(vt::token, "h")
            .value(vt::expires, ts())
            .on_conflict_do_nothing((vt::identifier, vt::token)),
        pg = r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires") VALUES ($1, $2, $3) ON CONFLICT ("identifier", "token") DO NOTHING"#
            [s("a@b.c"), s("h"), ts_pg()],
        sqlite = r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires") VALUES (?, ?, ?) ON CONFLICT ("identifier", "token") DO NOTHING"#
            [s("a@b.c"), s("h"), ts_sqlite()],
    );
}

#[test]
fn t087_on_conflict_do_nothing_single_column() {
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .on_conflict_do_nothing(user::email),
        pg = r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2) ON CONFLICT ("email") DO NOTHING"#
            [uuid(UUID), s("a@b.c")],
        sqlite = r#"INSERT INTO "User" ("id", "email") VALUES (?, ?) ON CONFLICT ("email") DO NOTHING"#
            [s(UUID), s("a@b.c")],
    );
}

#[test]
fn t088_on_duplicate_key_update() {
    assert_sql!(
        |db| db
            .insert_into(account::table)
            .values(github_account())
            .on_duplicate_key_update((account::access_token, account::expires_at)),
        mysql = "INSERT INTO `Account` (`userId`, `type`, `provider`, `providerAccountId`, `refresh_token`, `access_token`, `expires_at`, `token_type`, `scope`, `id_token`, `session_state`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE `access_token` = VALUES(`access_token`), `expires_at` = VALUES(`expires_at`)"
            [s(UUID), s("oauth"), s("github"), s("42"), V::String(None), s("gho_token"), big(1_700_000_000), s("bearer"), V::String(None), V::String(None), V::String(None)],
    );
}

#[test]
fn t089_on_duplicate_key_update_single_column() {
    assert_sql!(
        |db| db
            .insert_into(vt::table)
            .value(vt::identifier, "a@b.c")
            .value(vt::token, "h")
            .value(vt::expires, ts())
            .on_duplicate_key_update(vt::expires),
        mysql = "INSERT INTO `VerificationToken` (`identifier`, `token`, `expires`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `expires` = VALUES(`expires`)"
            [s("a@b.c"), s("h"), ts_mysql()],
    );
}

#[test]
fn t090_insert_returning_one_column() {
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .returning(user::id),
        pg = r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2) RETURNING "id""#
            [uuid(UUID), s("a@b.c")],
        sqlite = r#"INSERT INTO "User" ("id", "email") VALUES (?, ?) RETURNING "id""#
            [s(UUID), s("a@b.c")],
    );
}

#[test]
fn t091_insert_returning_whole_row_after_upsert() {
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .on_conflict_do_update(user::email, user::email)
            .returning((user::table.all(), user::email)),
        pg = r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2) ON CONFLICT ("email") DO UPDATE SET "email" = "excluded"."email" RETURNING "id", "name", "email", "emailVerified", "image", "email""#
            [uuid(UUID), s("a@b.c")],
        sqlite = r#"INSERT INTO "User" ("id", "email") VALUES (?, ?) ON CONFLICT ("email") DO UPDATE SET "email" = "excluded"."email" RETURNING "id", "name", "email", "emailVerified", "image", "email""#
            [s(UUID), s("a@b.c")],
    );
}

// =============================================================================================
// UPDATE.

#[test]
fn t100_update_set_some_and_none() {
    assert_sql!(
        |db| db
            .update(user::table)
            .set(user::name, Some("Ada"))
            .set(user::image, None::<String>)
            .set(user::email_verified, None::<DateTime<Utc>>)
            .filter(user::id.eq(UUID)),
        pg = r#"UPDATE "User" SET "name" = $1, "image" = $2, "emailVerified" = $3 WHERE "User"."id" = $4"#
            [s("Ada"), V::String(None), V::ChronoDateTimeUtc(None), uuid(UUID)],
        mysql = "UPDATE `User` SET `name` = ?, `image` = ?, `emailVerified` = ? WHERE `User`.`id` = ?"
            [s("Ada"), V::String(None), V::ChronoDateTime(None), s(UUID)],
        sqlite = r#"UPDATE "User" SET "name" = ?, "image" = ?, "emailVerified" = ? WHERE "User"."id" = ?"#
            [s("Ada"), V::String(None), V::String(None), s(UUID)],
    );
}

#[test]
fn t101_update_set_plain_values() {
    assert_sql!(
        |db| db
            .update(user::table)
            .set(user::email, "new@b.c")
            .set(user::email_verified, ts())
            .set(user::name, "Ada")
            .filter(user::id.eq(UUID)),
        pg = r#"UPDATE "User" SET "email" = $1, "emailVerified" = $2, "name" = $3 WHERE "User"."id" = $4"#
            [s("new@b.c"), ts_pg(), s("Ada"), uuid(UUID)],
        mysql = "UPDATE `User` SET `email` = ?, `emailVerified` = ?, `name` = ? WHERE `User`.`id` = ?"
            [s("new@b.c"), ts_mysql(), s("Ada"), s(UUID)],
        sqlite = r#"UPDATE "User" SET "email" = ?, "emailVerified" = ?, "name" = ? WHERE "User"."id" = ?"#
            [s("new@b.c"), ts_sqlite(), s("Ada"), s(UUID)],
    );
}

#[test]
fn t102_update_nullable_bigint_to_null() {
    assert_sql!(
        |db| db
            .update(account::table)
            .set(account::expires_at, None::<i64>)
            .set(account::access_token, Some("new".to_owned()))
            .filter(
                account::provider
                    .eq("github")
                    .and(account::provider_account_id.eq("42"))
            ),
        pg = r#"UPDATE "Account" SET "expires_at" = $1, "access_token" = $2 WHERE "Account"."provider" = $3 AND "Account"."providerAccountId" = $4"#,
        mysql = "UPDATE `Account` SET `expires_at` = ?, `access_token` = ? WHERE `Account`.`provider` = ? AND `Account`.`providerAccountId` = ?",
        sqlite = r#"UPDATE "Account" SET "expires_at" = ?, "access_token" = ? WHERE "Account"."provider" = ? AND "Account"."providerAccountId" = ?"#,
        params = [V::BigInt(None), s("new"), s("github"), s("42")],
    );
}

#[test]
fn t103_update_bool_and_bigint() {
    assert_sql!(
        |db| db
            .update(authenticator::table)
            .set(authenticator::counter, 8_i64)
            .set(authenticator::credential_backed_up, true)
            .filter(authenticator::credential_id.eq("cred"))
            .filter(authenticator::counter.lt(8_i64)),
        pg = r#"UPDATE "Authenticator" SET "counter" = $1, "credentialBackedUp" = $2 WHERE "Authenticator"."credentialID" = $3 AND "Authenticator"."counter" < $4"#,
        mysql = "UPDATE `Authenticator` SET `counter` = ?, `credentialBackedUp` = ? WHERE `Authenticator`.`credentialID` = ? AND `Authenticator`.`counter` < ?",
        sqlite = r#"UPDATE "Authenticator" SET "counter" = ?, "credentialBackedUp" = ? WHERE "Authenticator"."credentialID" = ? AND "Authenticator"."counter" < ?"#,
        params = [big(8), boolean(true), s("cred"), big(8)],
    );
}

#[test]
fn t104_update_filter_before_set() {
    assert_sql!(
        |db| db
            .update(session::table)
            .filter(session::session_token.eq("tok"))
            .set(session::expires, ts_sub_ms()),
        pg = r#"UPDATE "Session" SET "expires" = $1 WHERE "Session"."sessionToken" = $2"# [ts_pg(), s("tok")],
        mysql = "UPDATE `Session` SET `expires` = ? WHERE `Session`.`sessionToken` = ?" [ts_mysql(), s("tok")],
        sqlite = r#"UPDATE "Session" SET "expires" = ? WHERE "Session"."sessionToken" = ?"# [ts_sqlite(), s("tok")],
    );
}

#[test]
fn t105_update_all_rows() {
    assert_sql!(
        |db| db
            .update(account::table)
            .set(account::scope, None::<String>)
            .all_rows(),
        pg = r#"UPDATE "Account" SET "scope" = $1"#,
        mysql = "UPDATE `Account` SET `scope` = ?",
        sqlite = r#"UPDATE "Account" SET "scope" = ?"#,
        params = [V::String(None)],
    );
}

#[test]
fn t106_update_returning() {
    assert_sql!(
        |db| db
            .update(user::table)
            .set(user::name, Some("Ada"))
            .filter(user::id.eq(UUID))
            .returning(user::table.all()),
        pg = r#"UPDATE "User" SET "name" = $1 WHERE "User"."id" = $2 RETURNING "id", "name", "email", "emailVerified", "image""#
            [s("Ada"), uuid(UUID)],
        sqlite = r#"UPDATE "User" SET "name" = ? WHERE "User"."id" = ? RETURNING "id", "name", "email", "emailVerified", "image""#
            [s("Ada"), s(UUID)],
    );
}

#[test]
fn t107_update_returning_before_filter() {
    assert_sql!(
        |db| db
            .update(session::table)
            .set(session::expires, ts())
            .returning((session::user_id, session::expires))
            .filter(session::session_token.eq("tok")),
        pg = r#"UPDATE "Session" SET "expires" = $1 WHERE "Session"."sessionToken" = $2 RETURNING "userId", "expires""#
            [ts_pg(), s("tok")],
        sqlite = r#"UPDATE "Session" SET "expires" = ? WHERE "Session"."sessionToken" = ? RETURNING "userId", "expires""#
            [ts_sqlite(), s("tok")],
    );
}

#[test]
fn t108_update_has_changes() {
    let q = Postgres.update(user::table).filter(user::id.eq(UUID));
    assert!(!q.has_changes());
    assert!(q.set(user::name, "Ada").has_changes());
}

// =============================================================================================
// DELETE.

#[test]
fn t110_delete() {
    assert_sql!(
        |db| db
            .delete_from(session::table)
            .filter(session::session_token.eq("tok")),
        pg = r#"DELETE FROM "Session" WHERE "Session"."sessionToken" = $1"#,
        mysql = "DELETE FROM `Session` WHERE `Session`.`sessionToken` = ?",
        sqlite = r#"DELETE FROM "Session" WHERE "Session"."sessionToken" = ?"#,
        params = [s("tok")],
    );
}

#[test]
fn t111_delete_expired() {
    assert_sql!(
        |db| db
            .delete_from(vt::table)
            .filter(vt::expires.lt(ts_sub_ms())),
        pg = r#"DELETE FROM "VerificationToken" WHERE "VerificationToken"."expires" < $1"#[ts_pg()],
        mysql =
            "DELETE FROM `VerificationToken` WHERE `VerificationToken`.`expires` < ?"[ts_mysql()],
        sqlite = r#"DELETE FROM "VerificationToken" WHERE "VerificationToken"."expires" < ?"#
            [ts_sqlite()],
    );
}

#[test]
fn t112_delete_all_rows() {
    assert_sql!(
        |db| db.delete_from(session::table).all_rows(),
        pg = r#"DELETE FROM "Session""#,
        mysql = "DELETE FROM `Session`",
        sqlite = r#"DELETE FROM "Session""#,
        params = [],
    );
}

#[test]
fn t113_delete_returning() {
    assert_sql!(
        |db| db
            .delete_from(vt::table)
            .filter(vt::identifier.eq("a@b.c"))
            .filter(vt::token.eq("h"))
            .returning(vt::table.all()),
        pg = r#"DELETE FROM "VerificationToken" WHERE "VerificationToken"."identifier" = $1 AND "VerificationToken"."token" = $2 RETURNING "identifier", "token", "expires""#,
        sqlite = r#"DELETE FROM "VerificationToken" WHERE "VerificationToken"."identifier" = ? AND "VerificationToken"."token" = ? RETURNING "identifier", "token", "expires""#,
        params = [s("a@b.c"), s("h")],
    );
}

#[test]
fn t114_delete_returning_before_filter_and_in_list() {
    assert_sql!(
        |db| db
            .delete_from(session::table)
            .returning(session::session_token)
            .filter(session::user_id.is_in([UUID, UUID2])),
        pg = r#"DELETE FROM "Session" WHERE "Session"."userId" IN ($1, $2) RETURNING "sessionToken""#
            [uuid(UUID), uuid(UUID2)],
        sqlite = r#"DELETE FROM "Session" WHERE "Session"."userId" IN (?, ?) RETURNING "sessionToken""#
            [s(UUID), s(UUID2)],
    );
}

// =============================================================================================
// Value encodings.

#[test]
fn t120_timestamp_encodings() {
    assert_sql!(
        |db| db
            .select_from(session::table)
            .select(session::user_id)
            .filter(session::expires.eq(ts())),
        pg = r#"SELECT "Session"."userId" FROM "Session" WHERE "Session"."expires" = $1"#
            [V::ChronoDateTimeUtc(Some("2025-01-31T12:34:56.789Z".parse().unwrap()))],
        mysql = "SELECT `Session`.`userId` FROM `Session` WHERE `Session`.`expires` = ?"
            [V::ChronoDateTime(Some(
                NaiveDate::from_ymd_opt(2025, 1, 31)
                    .unwrap()
                    .and_hms_milli_opt(12, 34, 56, 789)
                    .unwrap()
            ))],
        sqlite = r#"SELECT "Session"."userId" FROM "Session" WHERE "Session"."expires" = ?"#
            [s("2025-01-31T12:34:56.789Z")],
    );
}

#[test]
fn t121_timestamps_are_truncated_to_milliseconds() {
    let compiled = assert_sql!(
        |db| db
            .select_from(session::table)
            .select(session::user_id)
            .filter(session::expires.eq(ts_sub_ms())),
        pg = r#"SELECT "Session"."userId" FROM "Session" WHERE "Session"."expires" = $1"#[ts_pg()],
        mysql =
            "SELECT `Session`.`userId` FROM `Session` WHERE `Session`.`expires` = ?"[ts_mysql()],
        sqlite = r#"SELECT "Session"."userId" FROM "Session" WHERE "Session"."expires" = ?"#
            [ts_sqlite()],
    );
    // Truncated, not rounded: .789999999 stays .789.
    assert_eq!(compiled[2].params()[0], s("2025-01-31T12:34:56.789Z"));
}

#[test]
fn t122_timestamp_with_whole_seconds_keeps_three_digits_on_sqlite() {
    let t = NaiveDate::from_ymd_opt(1999, 12, 31)
        .unwrap()
        .and_hms_opt(23, 59, 59)
        .unwrap()
        .and_utc();
    assert_sql!(
        |db| db
            .update(session::table)
            .set(session::expires, t)
            .all_rows(),
        pg = r#"UPDATE "Session" SET "expires" = $1"#[V::ChronoDateTimeUtc(Some(t))],
        mysql = "UPDATE `Session` SET `expires` = ?"[V::ChronoDateTime(Some(t.naive_utc()))],
        sqlite = r#"UPDATE "Session" SET "expires" = ?"#[s("1999-12-31T23:59:59.000Z")],
    );
}

#[test]
fn t123_timestamp_before_1970_and_epoch() {
    let before = DateTime::from_timestamp_millis(-1).unwrap();
    assert_sql!(
        |db| db
            .select_from(vt::table)
            .select(vt::token)
            .filter(vt::expires.gt(before).and(vt::expires.ne(DateTime::UNIX_EPOCH))),
        pg = r#"SELECT "VerificationToken"."token" FROM "VerificationToken" WHERE "VerificationToken"."expires" > $1 AND "VerificationToken"."expires" <> $2"#
            [V::ChronoDateTimeUtc(Some(before)), V::ChronoDateTimeUtc(Some(DateTime::UNIX_EPOCH))],
        mysql = "SELECT `VerificationToken`.`token` FROM `VerificationToken` WHERE `VerificationToken`.`expires` > ? AND `VerificationToken`.`expires` <> ?"
            [V::ChronoDateTime(Some(before.naive_utc())), V::ChronoDateTime(Some(DateTime::UNIX_EPOCH.naive_utc()))],
        sqlite = r#"SELECT "VerificationToken"."token" FROM "VerificationToken" WHERE "VerificationToken"."expires" > ? AND "VerificationToken"."expires" <> ?"#
            [s("1969-12-31T23:59:59.999Z"), s("1970-01-01T00:00:00.000Z")],
    );
}

#[test]
fn t124_non_uuid_string_compared_with_a_uuid_id_binds_null_uuid_on_postgres() {
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .filter(user::id.eq("not-a-uuid")),
        pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" = $1"#[V::Uuid(None)],
        mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`id` = ?"[V::String(None)],
        sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" = ?"#[V::String(None)],
    );
}

#[test]
fn t125_uuid_compared_with_a_foreign_key_binds_uuid_on_postgres() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::provider)
            .filter(account::user_id.eq(UUID).or(account::user_id.eq(""))),
        pg = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."userId" = $1 OR "Account"."userId" = $2"#
            [uuid(UUID), V::Uuid(None)],
        mysql = "SELECT `Account`.`provider` FROM `Account` WHERE `Account`.`userId` = ? OR `Account`.`userId` = ?"
            [s(UUID), V::String(None)],
        sqlite = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."userId" = ? OR "Account"."userId" = ?"#
            [s(UUID), V::String(None)],
    );
}

#[test]
fn t126_uppercase_and_braced_uuids_are_parsed_on_postgres() {
    let upper = UUID.to_uppercase();
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::email)
            .filter(user::id.eq(upper.as_str())),
        pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" = $1"#[uuid(UUID)],
        mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`id` = ?"[s(UUID)],
        sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" = ?"#[s(UUID)],
    );
}

#[test]
fn t127_bool() {
    assert_sql!(
        |db| db
            .select_from(authenticator::table)
            .select(authenticator::credential_id)
            .filter(
                authenticator::credential_backed_up
                    .eq(true)
                    .or(authenticator::credential_backed_up.ne(false))
            ),
        pg = r#"SELECT "Authenticator"."credentialID" FROM "Authenticator" WHERE "Authenticator"."credentialBackedUp" = $1 OR "Authenticator"."credentialBackedUp" <> $2"#,
        mysql = "SELECT `Authenticator`.`credentialID` FROM `Authenticator` WHERE `Authenticator`.`credentialBackedUp` = ? OR `Authenticator`.`credentialBackedUp` <> ?",
        sqlite = r#"SELECT "Authenticator"."credentialID" FROM "Authenticator" WHERE "Authenticator"."credentialBackedUp" = ? OR "Authenticator"."credentialBackedUp" <> ?"#,
        params = [boolean(true), boolean(false)],
    );
}

#[test]
fn t128_bigint_extremes() {
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::provider)
            .filter(
                account::expires_at
                    .gt(i64::MIN)
                    .and(account::expires_at.lt(i64::MAX))
            ),
        pg = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."expires_at" > $1 AND "Account"."expires_at" < $2"#,
        mysql = "SELECT `Account`.`provider` FROM `Account` WHERE `Account`.`expires_at` > ? AND `Account`.`expires_at` < ?",
        sqlite = r#"SELECT "Account"."provider" FROM "Account" WHERE "Account"."expires_at" > ? AND "Account"."expires_at" < ?"#,
        params = [big(i64::MIN), big(i64::MAX)],
    );
}

#[test]
fn t129_text_owned_and_borrowed() {
    let owned = String::from("o@b.c");
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::email.eq(&owned).or(user::email.eq(owned.clone()))),
        pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1 OR "User"."email" = $2"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE `User`.`email` = ? OR `User`.`email` = ?",
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = ? OR "User"."email" = ?"#,
        params = [s("o@b.c"), s("o@b.c")],
    );
}

// =============================================================================================
// Schemas: snake_case, Postgres schema, renames, extra columns.

#[test]
fn t130_snake_case_select_join() {
    use auth_schema::snake_case::{account, user, verification_token};
    assert_sql!(
        |db| db
            .select_from(user::table)
            .inner_join(account::table, account::user_id.eq_col(user::id))
            .select((user::email_verified, account::provider_account_id))
            .filter(account::provider.eq("github")),
        pg = r#"SELECT "user"."email_verified", "account"."provider_account_id" FROM "user" INNER JOIN "account" ON "account"."user_id" = "user"."id" WHERE "account"."provider" = $1"#,
        mysql = "SELECT `user`.`email_verified`, `account`.`provider_account_id` FROM `user` INNER JOIN `account` ON `account`.`user_id` = `user`.`id` WHERE `account`.`provider` = ?",
        sqlite = r#"SELECT "user"."email_verified", "account"."provider_account_id" FROM "user" INNER JOIN "account" ON "account"."user_id" = "user"."id" WHERE "account"."provider" = ?"#,
        params = [s("github")],
    );
    assert_sql!(
        |db| db
            .delete_from(verification_token::table)
            .filter(verification_token::identifier.eq("a@b.c")),
        pg = r#"DELETE FROM "verification_token" WHERE "verification_token"."identifier" = $1"#,
        mysql = "DELETE FROM `verification_token` WHERE `verification_token`.`identifier` = ?",
        sqlite = r#"DELETE FROM "verification_token" WHERE "verification_token"."identifier" = ?"#,
        params = [s("a@b.c")],
    );
}

#[test]
fn t131_snake_case_whole_rows() {
    use auth_schema::snake_case::{authenticator, session};
    assert_sql!(
        |db| db.select_from(session::table).select(session::table.all()),
        pg = r#"SELECT "session"."user_id", "session"."session_token", "session"."expires" FROM "session""#,
        mysql = "SELECT `session`.`user_id`, `session`.`session_token`, `session`.`expires` FROM `session`",
        sqlite = r#"SELECT "session"."user_id", "session"."session_token", "session"."expires" FROM "session""#,
        params = [],
    );
    assert_sql!(
        |db| db
            .select_from(authenticator::table)
            .select(authenticator::table.all()),
        pg = r#"SELECT "authenticator"."credential_id", "authenticator"."user_id", "authenticator"."provider_account_id", "authenticator"."credential_public_key", "authenticator"."counter", "authenticator"."credential_device_type", "authenticator"."credential_backed_up", "authenticator"."transports" FROM "authenticator""#,
        mysql = "SELECT `authenticator`.`credential_id`, `authenticator`.`user_id`, `authenticator`.`provider_account_id`, `authenticator`.`credential_public_key`, `authenticator`.`counter`, `authenticator`.`credential_device_type`, `authenticator`.`credential_backed_up`, `authenticator`.`transports` FROM `authenticator`",
        sqlite = r#"SELECT "authenticator"."credential_id", "authenticator"."user_id", "authenticator"."provider_account_id", "authenticator"."credential_public_key", "authenticator"."counter", "authenticator"."credential_device_type", "authenticator"."credential_backed_up", "authenticator"."transports" FROM "authenticator""#,
        params = [],
    );
}

#[test]
fn t132_snake_case_insert_upsert_returning() {
    use auth_schema::snake_case::user;
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .values(new_user(Some(UUID), "a@b.c"))
            .on_conflict_do_update(user::email, user::email_verified)
            .returning(user::id),
        pg = r#"INSERT INTO "user" ("id", "name", "email", "email_verified", "image") VALUES ($1, $2, $3, $4, $5) ON CONFLICT ("email") DO UPDATE SET "email_verified" = "excluded"."email_verified" RETURNING "id""#
            [uuid(UUID), V::String(None), s("a@b.c"), V::ChronoDateTimeUtc(None), V::String(None)],
        sqlite = r#"INSERT INTO "user" ("id", "name", "email", "email_verified", "image") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("email") DO UPDATE SET "email_verified" = "excluded"."email_verified" RETURNING "id""#
            [s(UUID), V::String(None), s("a@b.c"), V::String(None), V::String(None)],
    );
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .values(new_user(Some(UUID), "a@b.c"))
            .on_duplicate_key_update(user::email_verified),
        mysql = "INSERT INTO `user` (`id`, `name`, `email`, `email_verified`, `image`) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE `email_verified` = VALUES(`email_verified`)"
            [s(UUID), V::String(None), s("a@b.c"), V::ChronoDateTime(None), V::String(None)],
    );
}

#[test]
fn t133_snake_case_account_type_column_is_type() {
    use auth_schema::snake_case::account;
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::table.all())
            .filter(account::user_id.eq(UUID)),
        pg = r#"SELECT "account"."user_id", "account"."type", "account"."provider", "account"."provider_account_id", "account"."refresh_token", "account"."access_token", "account"."expires_at", "account"."token_type", "account"."scope", "account"."id_token", "account"."session_state" FROM "account" WHERE "account"."user_id" = $1"#
            [uuid(UUID)],
        mysql = "SELECT `account`.`user_id`, `account`.`type`, `account`.`provider`, `account`.`provider_account_id`, `account`.`refresh_token`, `account`.`access_token`, `account`.`expires_at`, `account`.`token_type`, `account`.`scope`, `account`.`id_token`, `account`.`session_state` FROM `account` WHERE `account`.`user_id` = ?"
            [s(UUID)],
        sqlite = r#"SELECT "account"."user_id", "account"."type", "account"."provider", "account"."provider_account_id", "account"."refresh_token", "account"."access_token", "account"."expires_at", "account"."token_type", "account"."scope", "account"."id_token", "account"."session_state" FROM "account" WHERE "account"."user_id" = ?"#
            [s(UUID)],
    );
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::account_type)
            .filter(account::account_type.eq("oauth")),
        pg = r#"SELECT "account"."type" FROM "account" WHERE "account"."type" = $1"#,
        mysql = "SELECT `account`.`type` FROM `account` WHERE `account`.`type` = ?",
        sqlite = r#"SELECT "account"."type" FROM "account" WHERE "account"."type" = ?"#,
        params = [s("oauth")],
    );
}

#[test]
fn t140_postgres_schema_select_and_join() {
    use qualified::{account, user};
    assert_sql!(
        |db| db
            .select_from(user::table)
            .inner_join(account::table, account::user_id.eq_col(user::id))
            .select(user::table.all())
            .filter(account::provider.eq("github")),
        pg = r#"SELECT "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "auth"."User" INNER JOIN "auth"."Account" ON "Account"."userId" = "User"."id" WHERE "Account"."provider" = $1"#,
        mysql = "SELECT `User`.`id`, `User`.`name`, `User`.`email`, `User`.`emailVerified`, `User`.`image` FROM `User` INNER JOIN `Account` ON `Account`.`userId` = `User`.`id` WHERE `Account`.`provider` = ?",
        sqlite = r#"SELECT "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "Account"."provider" = ?"#,
        params = [s("github")],
    );
}

#[test]
fn t141_postgres_schema_left_join_and_count() {
    use qualified::{session, user};
    assert_sql!(
        |db| db
            .select_from(user::table)
            .left_join(session::table, session::user_id.eq_col(user::id))
            .count(),
        pg = r#"SELECT COUNT(*) FROM "auth"."User" LEFT JOIN "auth"."Session" ON "Session"."userId" = "User"."id""#,
        mysql =
            "SELECT COUNT(*) FROM `User` LEFT JOIN `Session` ON `Session`.`userId` = `User`.`id`",
        sqlite = r#"SELECT COUNT(*) FROM "User" LEFT JOIN "Session" ON "Session"."userId" = "User"."id""#,
        params = [],
    );
}

#[test]
fn t142_postgres_schema_insert_upsert_returning() {
    use qualified::user;
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .on_conflict_do_update(user::email, user::id)
            .returning(user::id),
        pg = r#"INSERT INTO "auth"."User" ("id", "email") VALUES ($1, $2) ON CONFLICT ("email") DO UPDATE SET "id" = "excluded"."id" RETURNING "id""#
            [uuid(UUID), s("a@b.c")],
        sqlite = r#"INSERT INTO "User" ("id", "email") VALUES (?, ?) ON CONFLICT ("email") DO UPDATE SET "id" = "excluded"."id" RETURNING "id""#
            [s(UUID), s("a@b.c")],
    );
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .on_duplicate_key_update(user::id),
        mysql = "INSERT INTO `User` (`id`, `email`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `id` = VALUES(`id`)"
            [s(UUID), s("a@b.c")],
    );
}

#[test]
fn t143_postgres_schema_update_and_delete() {
    use qualified::{session, user};
    assert_sql!(
        |db| db
            .update(user::table)
            .set(user::name, Some("Ada"))
            .filter(user::id.eq(UUID)),
        pg = r#"UPDATE "auth"."User" SET "name" = $1 WHERE "User"."id" = $2"# [s("Ada"), uuid(UUID)],
        mysql = "UPDATE `User` SET `name` = ? WHERE `User`.`id` = ?" [s("Ada"), s(UUID)],
        sqlite = r#"UPDATE "User" SET "name" = ? WHERE "User"."id" = ?"# [s("Ada"), s(UUID)],
    );
    assert_sql!(
        |db| db
            .delete_from(session::table)
            .filter(session::session_token.eq("tok")),
        pg = r#"DELETE FROM "auth"."Session" WHERE "Session"."sessionToken" = $1"#,
        mysql = "DELETE FROM `Session` WHERE `Session`.`sessionToken` = ?",
        sqlite = r#"DELETE FROM "Session" WHERE "Session"."sessionToken" = ?"#,
        params = [s("tok")],
    );
}

#[test]
fn t150_renamed_tables_and_columns() {
    use renamed::{account, session, user};
    assert_sql!(
        |db| db
            .select_from(user::table)
            .inner_join(account::table, account::user_id.eq_col(user::id))
            .inner_join(session::table, session::user_id.eq_col(user::id))
            .select((
                user::email_verified,
                account::provider_account_id,
                session::expires
            ))
            .filter(account::provider_account_id.eq("42")),
        pg = r#"SELECT "users"."verified_at", "account"."provider_uid", "user_sessions"."expires" FROM "users" INNER JOIN "account" ON "account"."user_id" = "users"."id" INNER JOIN "user_sessions" ON "user_sessions"."user_id" = "users"."id" WHERE "account"."provider_uid" = $1"#,
        mysql = "SELECT `users`.`verified_at`, `account`.`provider_uid`, `user_sessions`.`expires` FROM `users` INNER JOIN `account` ON `account`.`user_id` = `users`.`id` INNER JOIN `user_sessions` ON `user_sessions`.`user_id` = `users`.`id` WHERE `account`.`provider_uid` = ?",
        sqlite = r#"SELECT "users"."verified_at", "account"."provider_uid", "user_sessions"."expires" FROM "users" INNER JOIN "account" ON "account"."user_id" = "users"."id" INNER JOIN "user_sessions" ON "user_sessions"."user_id" = "users"."id" WHERE "account"."provider_uid" = ?"#,
        params = [s("42")],
    );
}

#[test]
fn t151_text_ids_bind_text_on_postgres() {
    use renamed::user;
    assert_sql!(
        |db| db
            .update(user::table)
            .set(user::email_verified, Some(ts()))
            .filter(user::id.eq("not-a-uuid").or(user::id.eq(UUID)))
            .returning(user::email_verified),
        pg = r#"UPDATE "users" SET "verified_at" = $1 WHERE "users"."id" = $2 OR "users"."id" = $3 RETURNING "verified_at""#
            [ts_pg(), s("not-a-uuid"), s(UUID)],
        sqlite = r#"UPDATE "users" SET "verified_at" = ? WHERE "users"."id" = ? OR "users"."id" = ? RETURNING "verified_at""#
            [ts_sqlite(), s("not-a-uuid"), s(UUID)],
    );
}

#[test]
fn t152_renamed_insert_of_a_whole_row() {
    use renamed::user;
    let compiled = Sqlite
        .insert_into(user::table)
        .values(new_user(None, "a@b.c"))
        .compile();
    assert_eq!(
        compiled.sql(),
        r#"INSERT INTO "users" ("id", "name", "email", "verified_at", "image") VALUES (?, ?, ?, ?, ?)"#
    );
    assert_uuid_v4(&compiled.params()[0]);
}

fn extras() -> UserExtras {
    UserExtras {
        phone_number: Some("+15550100".to_owned()),
        role: None,
        login_count: 3,
        is_admin: true,
        last_seen: Some(ts_sub_ms()),
    }
}

#[test]
fn t160_extra_columns_whole_row() {
    use app::user;
    assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::table.all())
            .filter(user_extra::role.eq("admin")),
        pg = r#"SELECT "user"."id", "user"."name", "user"."email", "user"."email_verified", "user"."image", "user"."phone_number", "user"."role", "user"."login_count", "user"."is_admin", "user"."lastSeen" FROM "user" WHERE "user"."role" = $1"#,
        mysql = "SELECT `user`.`id`, `user`.`name`, `user`.`email`, `user`.`email_verified`, `user`.`image`, `user`.`phone_number`, `user`.`role`, `user`.`login_count`, `user`.`is_admin`, `user`.`lastSeen` FROM `user` WHERE `user`.`role` = ?",
        sqlite = r#"SELECT "user"."id", "user"."name", "user"."email", "user"."email_verified", "user"."image", "user"."phone_number", "user"."role", "user"."login_count", "user"."is_admin", "user"."lastSeen" FROM "user" WHERE "user"."role" = ?"#,
        params = [s("admin")],
    );
}

#[test]
fn t161_extra_columns_insert() {
    use app::user;
    assert_sql!(
        |db| db.insert_into(user::table).values(NewUser {
            id: Some(UUID.to_owned()),
            name: None,
            email: "a@b.c".to_owned(),
            email_verified: None,
            image: None,
            extra: extras(),
        }),
        pg = r#"INSERT INTO "user" ("id", "name", "email", "email_verified", "image", "phone_number", "role", "login_count", "is_admin", "lastSeen") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#
            [uuid(UUID), V::String(None), s("a@b.c"), V::ChronoDateTimeUtc(None), V::String(None), s("+15550100"), V::String(None), big(3), boolean(true), ts_pg()],
        mysql = "INSERT INTO `user` (`id`, `name`, `email`, `email_verified`, `image`, `phone_number`, `role`, `login_count`, `is_admin`, `lastSeen`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            [s(UUID), V::String(None), s("a@b.c"), V::ChronoDateTime(None), V::String(None), s("+15550100"), V::String(None), big(3), boolean(true), ts_mysql()],
        sqlite = r#"INSERT INTO "user" ("id", "name", "email", "email_verified", "image", "phone_number", "role", "login_count", "is_admin", "lastSeen") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"#
            [s(UUID), V::String(None), s("a@b.c"), V::String(None), V::String(None), s("+15550100"), V::String(None), big(3), boolean(true), ts_sqlite()],
    );
}

#[test]
fn t162_extra_columns_update_filter_returning() {
    use app::user;
    assert_sql!(
        |db| db
            .update(user::table)
            .set(user_extra::login_count, 4_i64)
            .set(user_extra::last_seen, None::<DateTime<Utc>>)
            .set(user_extra::role, Some("admin"))
            .filter(user_extra::is_admin.eq(false).and(user_extra::phone_number.is_not_null()))
            .returning((user::id, user_extra::login_count)),
        pg = r#"UPDATE "user" SET "login_count" = $1, "lastSeen" = $2, "role" = $3 WHERE "user"."is_admin" = $4 AND "user"."phone_number" IS NOT NULL RETURNING "id", "login_count""#
            [big(4), V::ChronoDateTimeUtc(None), s("admin"), boolean(false)],
        sqlite = r#"UPDATE "user" SET "login_count" = ?, "lastSeen" = ?, "role" = ? WHERE "user"."is_admin" = ? AND "user"."phone_number" IS NOT NULL RETURNING "id", "login_count""#
            [big(4), V::String(None), s("admin"), boolean(false)],
    );
    assert_sql!(
        |db| db
            .update(user::table)
            .set(user_extra::last_seen, None::<DateTime<Utc>>)
            .filter(user_extra::login_count.gt(1_i64)),
        mysql = "UPDATE `user` SET `lastSeen` = ? WHERE `user`.`login_count` > ?"
            [V::ChronoDateTime(None), big(1)],
    );
}

#[test]
fn t163_extra_columns_with_a_join() {
    use app::{session, user};
    assert_sql!(
        |db| db
            .select_from(session::table)
            .inner_join(user::table, user::id.eq_col(session::user_id))
            .select((session::session_token, user_extra::phone_number))
            .order_by(user_extra::last_seen.desc()),
        pg = r#"SELECT "session"."session_token", "user"."phone_number" FROM "session" INNER JOIN "user" ON "user"."id" = "session"."user_id" ORDER BY "user"."lastSeen" DESC"#,
        mysql = "SELECT `session`.`session_token`, `user`.`phone_number` FROM `session` INNER JOIN `user` ON `user`.`id` = `session`.`user_id` ORDER BY `user`.`lastSeen` DESC",
        sqlite = r#"SELECT "session"."session_token", "user"."phone_number" FROM "session" INNER JOIN "user" ON "user"."id" = "session"."user_id" ORDER BY "user"."lastSeen" DESC"#,
        params = [],
    );
}

// =============================================================================================
// Adversarial values and identifiers.

const EVIL: &str = r#"x' OR '1'='1"; DROP TABLE "User"; -- \' \\ ` $1 ? ?1 :a"#;

#[test]
fn t170_hostile_value_is_only_a_parameter() {
    let compiled = assert_sql!(
        |db| db
            .select_from(user::table)
            .select(user::id)
            .filter(user::email.eq(EVIL).or(user::name.like(EVIL))),
        pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1 OR "User"."name" LIKE $2"#,
        mysql = "SELECT `User`.`id` FROM `User` WHERE `User`.`email` = ? OR `User`.`name` LIKE ?",
        sqlite =
            r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = ? OR "User"."name" LIKE ?"#,
        params = [s(EVIL), s(EVIL)],
    );
    for c in compiled {
        assert!(!c.sql.contains(EVIL));
        assert!(!c.sql.contains("DROP"));
        assert!(!c.sql.contains('\''));
        assert!(!c.sql.contains('\\'));
    }
}

#[test]
fn t171_hostile_values_in_every_statement_kind() {
    let hostile = [
        EVIL, "'", "''", "\\", "\\'", "\"", "`", "\n--", "/* */", "$1", "?", "é😀",
    ];
    for evil in hostile {
        let mut all: Vec<Out> = Vec::new();
        all.extend(assert_sql!(
            |db| db
                .insert_into(account::table)
                .value(account::provider_account_id, evil)
                .value(account::provider, evil)
                .value(account::scope, Some(evil))
                .value(account::account_type, evil)
                .value(account::user_id, UUID),
            pg = r#"INSERT INTO "Account" ("providerAccountId", "provider", "scope", "type", "userId") VALUES ($1, $2, $3, $4, $5)"#
                [s(evil), s(evil), s(evil), s(evil), uuid(UUID)],
            mysql = "INSERT INTO `Account` (`providerAccountId`, `provider`, `scope`, `type`, `userId`) VALUES (?, ?, ?, ?, ?)"
                [s(evil), s(evil), s(evil), s(evil), s(UUID)],
            sqlite = r#"INSERT INTO "Account" ("providerAccountId", "provider", "scope", "type", "userId") VALUES (?, ?, ?, ?, ?)"#
                [s(evil), s(evil), s(evil), s(evil), s(UUID)],
        ));
        all.extend(assert_sql!(
            |db| db
                .update(account::table)
                .set(account::scope, evil)
                .filter(account::provider.is_in([evil, evil])),
            pg = r#"UPDATE "Account" SET "scope" = $1 WHERE "Account"."provider" IN ($2, $3)"#,
            mysql = "UPDATE `Account` SET `scope` = ? WHERE `Account`.`provider` IN (?, ?)",
            sqlite = r#"UPDATE "Account" SET "scope" = ? WHERE "Account"."provider" IN (?, ?)"#,
            params = [s(evil), s(evil), s(evil)],
        ));
        all.extend(assert_sql!(
            |db| db
                .delete_from(account::table)
                .filter(account::provider.ne(evil)),
            pg = r#"DELETE FROM "Account" WHERE "Account"."provider" <> $1"#,
            mysql = "DELETE FROM `Account` WHERE `Account`.`provider` <> ?",
            sqlite = r#"DELETE FROM "Account" WHERE "Account"."provider" <> ?"#,
            params = [s(evil)],
        ));
        for c in all {
            // Quote characters and placeholders legitimately occur in the SQL text.
            if !["\"", "`", "$1", "?"].contains(&evil) {
                assert!(!c.sql.contains(evil), "{evil:?} leaked into {}", c.sql);
            }
            assert!(!c.sql.contains('\''), "{}", c.sql);
        }
    }
}

#[test]
fn t172_hostile_value_compared_with_a_uuid_id() {
    let compiled = assert_sql!(
        |db| db
            .select_from(session::table)
            .select(session::session_token)
            .filter(session::user_id.eq(EVIL)),
        pg = r#"SELECT "Session"."sessionToken" FROM "Session" WHERE "Session"."userId" = $1"#
            [V::Uuid(None)],
        mysql = "SELECT `Session`.`sessionToken` FROM `Session` WHERE `Session`.`userId` = ?"
            [V::String(None)],
        sqlite = r#"SELECT "Session"."sessionToken" FROM "Session" WHERE "Session"."userId" = ?"#
            [V::String(None)],
    );
    assert!(compiled.iter().all(|c| !c.sql.contains(EVIL)));
}

#[test]
fn t173_identifiers_are_quoted_and_escaped() {
    use weird::{account, user};
    let compiled = assert_sql!(
        |db| db
            .select_from(user::table)
            .inner_join(account::table, account::user_id.eq_col(user::id))
            .select((user::email, account::provider))
            .filter(user::email.eq("a@b.c")),
        pg = r#"SELECT "Us""er`s"."e`m""ail", "Acc'ount"."provider" FROM "sch""ema"."Us""er`s" INNER JOIN "sch""ema"."Acc'ount" ON "Acc'ount"."userId" = "Us""er`s"."id" WHERE "Us""er`s"."e`m""ail" = $1"#,
        mysql = r#"SELECT `Us"er``s`.`e``m"ail`, `Acc'ount`.`provider` FROM `Us"er``s` INNER JOIN `Acc'ount` ON `Acc'ount`.`userId` = `Us"er``s`.`id` WHERE `Us"er``s`.`e``m"ail` = ?"#,
        sqlite = r#"SELECT "Us""er`s"."e`m""ail", "Acc'ount"."provider" FROM "Us""er`s" INNER JOIN "Acc'ount" ON "Acc'ount"."userId" = "Us""er`s"."id" WHERE "Us""er`s"."e`m""ail" = ?"#,
        params = [s("a@b.c")],
    );
    assert_eq!(compiled.len(), 3);
}

#[test]
fn t174_escaped_identifiers_in_writes() {
    use weird::user;
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::id, UUID)
            .value(user::email, "a@b.c")
            .on_conflict_do_update(user::email, user::email)
            .returning(user::email),
        pg = r#"INSERT INTO "sch""ema"."Us""er`s" ("id", "e`m""ail") VALUES ($1, $2) ON CONFLICT ("e`m""ail") DO UPDATE SET "e`m""ail" = "excluded"."e`m""ail" RETURNING "e`m""ail""#,
        sqlite = r#"INSERT INTO "Us""er`s" ("id", "e`m""ail") VALUES (?, ?) ON CONFLICT ("e`m""ail") DO UPDATE SET "e`m""ail" = "excluded"."e`m""ail" RETURNING "e`m""ail""#,
        params = [s(UUID), s("a@b.c")],
    );
    assert_sql!(
        |db| db
            .update(user::table)
            .set(user::email, "x")
            .filter(user::email.eq("y")),
        pg = r#"UPDATE "sch""ema"."Us""er`s" SET "e`m""ail" = $1 WHERE "Us""er`s"."e`m""ail" = $2"#,
        mysql = r#"UPDATE `Us"er``s` SET `e``m"ail` = ? WHERE `Us"er``s`.`e``m"ail` = ?"#,
        sqlite = r#"UPDATE "Us""er`s" SET "e`m""ail" = ? WHERE "Us""er`s"."e`m""ail" = ?"#,
        params = [s("x"), s("y")],
    );
    assert_sql!(
        |db| db
            .insert_into(user::table)
            .value(user::email, "a@b.c")
            .on_duplicate_key_update(user::email),
        mysql = r#"INSERT INTO `Us"er``s` (`e``m"ail`) VALUES (?) ON DUPLICATE KEY UPDATE `e``m"ail` = VALUES(`e``m"ail`)"#
            [s("a@b.c")],
    );
}

// =============================================================================================
// Prepared statements: the SQL is rendered once; each execution binds its arguments.

/// Lets `assert_sql!` check a bound prepared statement like any other.
trait CompiledExt<D> {
    fn compile(&self) -> Compiled<D>;
}

impl<D> CompiledExt<D> for Compiled<D> {
    fn compile(&self) -> Compiled<D> {
        self.clone()
    }
}

#[test]
fn t180_prepared_select_binds_each_argument_for_its_column() {
    let args = [Value::Text(UUID.to_owned()), Value::Text("tok".to_owned())];
    assert_sql!(
        |db| db
            .prepare_dynamic(|a| {
                db.select_from(session::table)
                    .select(session::expires)
                    .filter(session::user_id.eq(a.arg(0)))
                    .filter(session::session_token.eq(a.arg(1)))
                    .limit(1)
            })
            .bind(&args)
            .unwrap(),
        pg = r#"SELECT "Session"."expires" FROM "Session" WHERE "Session"."userId" = $1 AND "Session"."sessionToken" = $2 LIMIT $3"#
            [uuid(UUID), s("tok"), unsigned(1)],
        mysql = "SELECT `Session`.`expires` FROM `Session` WHERE `Session`.`userId` = ? AND `Session`.`sessionToken` = ? LIMIT ?"
            [s(UUID), s("tok"), unsigned(1)],
        sqlite = r#"SELECT "Session"."expires" FROM "Session" WHERE "Session"."userId" = ? AND "Session"."sessionToken" = ? LIMIT ?"#
            [s(UUID), s("tok"), unsigned(1)],
    );
}

/// A prepared SELECT's LIMIT and OFFSET stay bound, like every value.
#[test]
fn t180b_prepared_limit_and_offset_are_bound() {
    let args = [Value::Text("a@b.c".to_owned())];
    assert_sql!(
        |db| db
            .prepare_dynamic(|a| {
                db.select_from(user::table)
                    .select(user::id)
                    .filter(user::email.eq(a.arg(0)))
                    .limit(10)
                    .offset(20)
            })
            .bind(&args)
            .unwrap(),
        pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1 LIMIT $2 OFFSET $3"#
            [s("a@b.c"), unsigned(10), unsigned(20)],
        mysql = "SELECT `User`.`id` FROM `User` WHERE `User`.`email` = ? LIMIT ? OFFSET ?"
            [s("a@b.c"), unsigned(10), unsigned(20)],
        sqlite = r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = ? LIMIT ? OFFSET ?"#
            [s("a@b.c"), unsigned(10), unsigned(20)],
    );
}

#[test]
fn t181_prepared_sql_equals_the_compiled_sql() {
    let prepared = Postgres.prepare::<(Text,), _>(|(email,)| {
        Postgres
            .select_from(user::table)
            .select(user::table.all())
            .filter(user::email.eq(email))
    });
    let direct = Postgres
        .select_from(user::table)
        .select(user::table.all())
        .filter(user::email.eq("a@b.c"))
        .compile();
    assert_eq!(prepared.sql(), direct.sql());
    assert_eq!(prepared.arity(), 1);
    assert_eq!(prepared.bind(("a@b.c",)).unwrap(), direct);
}

#[test]
fn t182_prepared_argument_reused_and_mixed_with_fixed_values() {
    let args = [
        Value::Text("not-a-uuid".to_owned()),
        Value::Timestamp(ts_sub_ms()),
    ];
    let compiled = assert_sql!(
        |db| db
            .prepare_dynamic(|a| {
                db.select_from(user::table)
                    .select(user::email)
                    .filter(user::id.eq(a.arg(0)).or(user::email.eq(a.arg(0))))
                    .filter(user::email_verified.lt(a.arg(1)))
                    .filter(user::name.ne("fixed"))
            })
            .bind(&args)
            .unwrap(),
        pg = r#"SELECT "User"."email" FROM "User" WHERE ("User"."id" = $1 OR "User"."email" = $2) AND "User"."emailVerified" < $3 AND "User"."name" <> $4"#
            [V::Uuid(None), s("not-a-uuid"), ts_pg(), s("fixed")],
        mysql = "SELECT `User`.`email` FROM `User` WHERE (`User`.`id` = ? OR `User`.`email` = ?) AND `User`.`emailVerified` < ? AND `User`.`name` <> ?"
            [V::String(None), s("not-a-uuid"), ts_mysql(), s("fixed")],
        sqlite = r#"SELECT "User"."email" FROM "User" WHERE ("User"."id" = ? OR "User"."email" = ?) AND "User"."emailVerified" < ? AND "User"."name" <> ?"#
            [V::String(None), s("not-a-uuid"), ts_sqlite(), s("fixed")],
    );
    assert_eq!(compiled.len(), 3);
}

#[test]
fn t183_prepared_insert_of_a_whole_row_from_arguments() {
    let mut args = Vec::new();
    auth_schema::Row::encode(
        User {
            id: UUID.to_uppercase(),
            name: None,
            email: "a@b.c".to_owned(),
            email_verified: Some(ts()),
            image: None,
            extra: auth_schema::NoExtras {},
        },
        &mut args,
    );
    // The id is stored in lower case on every dialect.
    assert_sql!(
        |db| db
            .prepare_dynamic(|a| db.insert_into(user::table).values_from_args(a))
            .bind(&args)
            .unwrap(),
        pg = r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES ($1, $2, $3, $4, $5)"#
            [uuid(UUID), V::String(None), s("a@b.c"), ts_pg(), V::String(None)],
        mysql = "INSERT INTO `User` (`id`, `name`, `email`, `emailVerified`, `image`) VALUES (?, ?, ?, ?, ?)"
            [s(UUID), V::String(None), s("a@b.c"), ts_mysql(), V::String(None)],
        sqlite = r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES (?, ?, ?, ?, ?)"#
            [s(UUID), V::String(None), s("a@b.c"), ts_sqlite(), V::String(None)],
    );
    // A write of an id that is not a UUID is refused before anything is sent.
    args[0] = Value::Text("not-a-uuid".to_owned());
    let refused = Postgres
        .prepare_dynamic(|a| Postgres.insert_into(user::table).values_from_args(a))
        .bind(&args);
    assert!(
        matches!(refused, Err(auth_query::Error::InvalidValue(m)) if m.contains("is not a UUID"))
    );
}

#[test]
fn t184_prepared_update_of_extra_columns_from_arguments() {
    use app::user;
    let mut args = vec![Value::Text(UUID.to_owned())];
    auth_schema::Extras::encode(extras(), &mut args);
    assert_sql!(
        |db| db
            .prepare_dynamic(|a| {
                db.update(user::table)
                    .set_extras_from_args(a, 1)
                    .filter(user::id.eq(a.arg(0)))
                    .returning(user_extra::login_count)
            })
            .bind(&args)
            .unwrap(),
        pg = r#"UPDATE "user" SET "phone_number" = $1, "role" = $2, "login_count" = $3, "is_admin" = $4, "lastSeen" = $5 WHERE "user"."id" = $6 RETURNING "login_count""#
            [s("+15550100"), V::String(None), big(3), boolean(true), ts_pg(), uuid(UUID)],
        sqlite = r#"UPDATE "user" SET "phone_number" = ?, "role" = ?, "login_count" = ?, "is_admin" = ?, "lastSeen" = ? WHERE "user"."id" = ? RETURNING "login_count""#
            [s("+15550100"), V::String(None), big(3), boolean(true), ts_sqlite(), s(UUID)],
    );
}

#[test]
fn t185_prepared_argument_count_is_checked() {
    let q = Sqlite.prepare_dynamic(|a| {
        Sqlite.delete_from(session::table).filter(
            session::session_token
                .eq(a.arg(0))
                .or(session::user_id.eq(a.arg(2))),
        )
    });
    assert_eq!(
        q.sql(),
        r#"DELETE FROM "Session" WHERE "Session"."sessionToken" = ? OR "Session"."userId" = ?"#
    );
    assert_eq!(q.arity(), 3);
    assert!(matches!(
        q.bind(&[Value::Text("t".to_owned())]),
        Err(auth_query::Error::Arguments {
            expected: 3,
            got: 1
        })
    ));
    let three = [
        Value::Text("t".into()),
        Value::Null,
        Value::Text(UUID.into()),
    ];
    assert_eq!(q.bind(&three).unwrap().params(), [s("t"), s(UUID)]);
    // A typed statement takes exactly its parameters' types, checked at compile time.
    let typed = Sqlite.prepare::<(Text, auth_schema::sql::Uuid), _>(|(token, user)| {
        Sqlite.delete_from(session::table).filter(
            session::session_token
                .eq(token)
                .or(session::user_id.eq(user)),
        )
    });
    assert_eq!(typed.sql(), q.sql());
    assert_eq!(typed.bind(("t", UUID)).unwrap().params(), [s("t"), s(UUID)]);
}

// =============================================================================================
// Everyday SQL: grouping, subqueries, expressions, raw fragments, aliases, unions, locks.

mod everyday {
    use super::*;
    use auth_query::{
        avg, case_when, coalesce, count, count_distinct, exists, max, min, not_exists, now, scalar,
        sql, sum, value,
    };

    auth_query::alias! {
        pub a = user::table;
        pub b = user::table;
    }

    #[test]
    fn e01_count_drops_order_limit_and_offset() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select(user::email)
                .filter(user::name.is_not_null())
                .order_by(user::email)
                .limit(10)
                .offset(20)
                .count(),
            pg = r#"SELECT COUNT(*) FROM "User" WHERE "User"."name" IS NOT NULL"#
                [],
            mysql = "SELECT COUNT(*) FROM `User` WHERE `User`.`name` IS NOT NULL"
                [],
            sqlite = r#"SELECT COUNT(*) FROM "User" WHERE "User"."name" IS NOT NULL"#
                [],
        );
    }

    #[test]
    fn e02_group_by_with_every_aggregate_and_having() {
        assert_sql!(
            |db| db
                .select_from(authenticator::table)
                .group_by(authenticator::user_id)
                .select((
                    authenticator::user_id,
                    count_all(),
                    count(authenticator::transports),
                    count_distinct(authenticator::credential_device_type),
                    sum(authenticator::counter),
                    avg(authenticator::counter),
                    min(authenticator::counter),
                    max(authenticator::counter),
                ))
                .having(count_all().gt(1i64))
                .order_by(sum(authenticator::counter).desc()),
            pg = r#"SELECT "Authenticator"."userId", COUNT(*), COUNT("Authenticator"."transports"), COUNT(DISTINCT "Authenticator"."credentialDeviceType"), CAST(SUM("Authenticator"."counter") AS bigint), CAST(AVG("Authenticator"."counter") AS double precision), MIN("Authenticator"."counter"), MAX("Authenticator"."counter") FROM "Authenticator" GROUP BY "Authenticator"."userId" HAVING COUNT(*) > $1 ORDER BY CAST(SUM("Authenticator"."counter") AS bigint) DESC"#
                [big(1)],
            mysql = "SELECT `Authenticator`.`userId`, COUNT(*), COUNT(`Authenticator`.`transports`), COUNT(DISTINCT `Authenticator`.`credentialDeviceType`), SUM(`Authenticator`.`counter`), CAST(AVG(`Authenticator`.`counter`) AS DOUBLE), MIN(`Authenticator`.`counter`), MAX(`Authenticator`.`counter`) FROM `Authenticator` GROUP BY `Authenticator`.`userId` HAVING COUNT(*) > ? ORDER BY SUM(`Authenticator`.`counter`) DESC"
                [big(1)],
            sqlite = r#"SELECT "Authenticator"."userId", COUNT(*), COUNT("Authenticator"."transports"), COUNT(DISTINCT "Authenticator"."credentialDeviceType"), SUM("Authenticator"."counter"), AVG("Authenticator"."counter"), MIN("Authenticator"."counter"), MAX("Authenticator"."counter") FROM "Authenticator" GROUP BY "Authenticator"."userId" HAVING COUNT(*) > ? ORDER BY SUM("Authenticator"."counter") DESC"#
                [big(1)],
        );
    }

    #[test]
    fn e03_users_without_an_account() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .left_join(account::table, account::user_id.eq_col(user::id))
                .select(user::email)
                .filter(account::provider.is_null()),
            pg = r#"SELECT "User"."email" FROM "User" LEFT JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "Account"."provider" IS NULL"#
                [],
            mysql = "SELECT `User`.`email` FROM `User` LEFT JOIN `Account` ON `Account`.`userId` = `User`.`id` WHERE `Account`.`provider` IS NULL"
                [],
            sqlite = r#"SELECT "User"."email" FROM "User" LEFT JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "Account"."provider" IS NULL"#
                [],
        );
    }

    #[test]
    fn e04_in_and_not_in_subqueries() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select(user::email)
                .filter(user::id.in_sub(
                    db.select_from(session::table)
                        .select(session::user_id)
                        .filter(session::expires.gt(ts())),
                ))
                .filter(user::id.not_in_sub(
                    db.select_from(account::table)
                        .select(account::user_id)
                        .filter(account::provider.eq("github")),
                )),
            pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" IN (SELECT "Session"."userId" FROM "Session" WHERE "Session"."expires" > $1) AND "User"."id" NOT IN (SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" = $2)"#
                [ts_pg(), s("github")],
            mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`id` IN (SELECT `Session`.`userId` FROM `Session` WHERE `Session`.`expires` > ?) AND `User`.`id` NOT IN (SELECT `Account`.`userId` FROM `Account` WHERE `Account`.`provider` = ?)"
                [ts_mysql(), s("github")],
            sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" IN (SELECT "Session"."userId" FROM "Session" WHERE "Session"."expires" > ?) AND "User"."id" NOT IN (SELECT "Account"."userId" FROM "Account" WHERE "Account"."provider" = ?)"#
                [s("2025-01-31T12:34:56.789Z"), s("github")],
        );
    }

    #[test]
    fn e05_correlated_exists_and_not_exists() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select(user::email)
                .filter(exists(
                    db.subquery_from(session::table)
                        .filter(session::user_id.eq_col(user::id)),
                ))
                .filter(not_exists(
                    db.subquery_from(account::table)
                        .filter(account::user_id.eq_col(user::id))
                        .filter(account::provider.eq("github")),
                )),
            pg = r#"SELECT "User"."email" FROM "User" WHERE EXISTS(SELECT 1 FROM "Session" WHERE "Session"."userId" = "User"."id") AND (NOT EXISTS(SELECT 1 FROM "Account" WHERE "Account"."userId" = "User"."id" AND "Account"."provider" = $1))"#
                [s("github")],
            mysql = "SELECT `User`.`email` FROM `User` WHERE EXISTS(SELECT 1 FROM `Session` WHERE `Session`.`userId` = `User`.`id`) AND (NOT EXISTS(SELECT 1 FROM `Account` WHERE `Account`.`userId` = `User`.`id` AND `Account`.`provider` = ?))"
                [s("github")],
            sqlite = r#"SELECT "User"."email" FROM "User" WHERE EXISTS(SELECT 1 FROM "Session" WHERE "Session"."userId" = "User"."id") AND (NOT EXISTS(SELECT 1 FROM "Account" WHERE "Account"."userId" = "User"."id" AND "Account"."provider" = ?))"#
                [s("github")],
        );
    }

    #[test]
    fn e06_scalar_subquery_in_select_and_where() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select((
                    user::email,
                    scalar(
                        db.subquery_from(session::table)
                            .select(count_all())
                            .filter(session::user_id.eq_col(user::id)),
                    ),
                ))
                .filter(
                    scalar(
                        db.subquery_from(account::table)
                            .select(count_all())
                            .filter(account::user_id.eq_col(user::id)),
                    )
                    .gt(0i64),
                ),
            pg = r#"SELECT "User"."email", (SELECT COUNT(*) FROM "Session" WHERE "Session"."userId" = "User"."id") FROM "User" WHERE (SELECT COUNT(*) FROM "Account" WHERE "Account"."userId" = "User"."id") > $1"#
                [big(0)],
            mysql = "SELECT `User`.`email`, (SELECT COUNT(*) FROM `Session` WHERE `Session`.`userId` = `User`.`id`) FROM `User` WHERE (SELECT COUNT(*) FROM `Account` WHERE `Account`.`userId` = `User`.`id`) > ?"
                [big(0)],
            sqlite = r#"SELECT "User"."email", (SELECT COUNT(*) FROM "Session" WHERE "Session"."userId" = "User"."id") FROM "User" WHERE (SELECT COUNT(*) FROM "Account" WHERE "Account"."userId" = "User"."id") > ?"#
                [big(0)],
        );
    }

    #[test]
    fn e07_distinct_and_order_by_expressions() {
        assert_sql!(
            |db| db
                .select_from(account::table)
                .select(account::provider.lower())
                .distinct()
                .order_by(account::provider.lower().desc()),
            pg = r#"SELECT DISTINCT LOWER("Account"."provider") FROM "Account" ORDER BY LOWER("Account"."provider") DESC"#
                [],
            mysql = "SELECT DISTINCT LOWER(`Account`.`provider`) FROM `Account` ORDER BY LOWER(`Account`.`provider`) DESC"
                [],
            sqlite = r#"SELECT DISTINCT LOWER("Account"."provider") FROM "Account" ORDER BY LOWER("Account"."provider") DESC"#
                [],
        );
    }

    #[test]
    fn e08_nulls_first_and_last() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select(user::email)
                .order_by(user::name.asc().nulls_last())
                .order_by(user::email_verified.desc().nulls_first()),
            pg = r#"SELECT "User"."email" FROM "User" ORDER BY "User"."name" ASC NULLS LAST, "User"."emailVerified" DESC NULLS FIRST"#
                [],
            sqlite = r#"SELECT "User"."email" FROM "User" ORDER BY "User"."name" ASC NULLS LAST, "User"."emailVerified" DESC NULLS FIRST"#
                [],
        );
    }

    #[test]
    fn e09_counter_plus_one_and_arithmetic() {
        assert_sql!(
            |db| db
                .update(authenticator::table)
                .set(authenticator::counter, authenticator::counter.add(1i64))
                .filter(authenticator::credential_id.eq("c1")),
            pg = r#"UPDATE "Authenticator" SET "counter" = "Authenticator"."counter" + $1 WHERE "Authenticator"."credentialID" = $2"#
                [big(1), s("c1")],
            mysql = "UPDATE `Authenticator` SET `counter` = `Authenticator`.`counter` + ? WHERE `Authenticator`.`credentialID` = ?"
                [big(1), s("c1")],
            sqlite = r#"UPDATE "Authenticator" SET "counter" = "Authenticator"."counter" + ? WHERE "Authenticator"."credentialID" = ?"#
                [big(1), s("c1")],
        );
        assert_sql!(
            |db| db
                .select_from(authenticator::table)
                .select(authenticator::counter.mul(2i64).sub(authenticator::counter.div(3i64))),
            pg = r#"SELECT ("Authenticator"."counter" * $1) - ("Authenticator"."counter" / $2) FROM "Authenticator""#
                [big(2), big(3)],
            mysql = "SELECT (`Authenticator`.`counter` * ?) - (`Authenticator`.`counter` DIV ?) FROM `Authenticator`"
                [big(2), big(3)],
            sqlite = r#"SELECT ("Authenticator"."counter" * ?) - ("Authenticator"."counter" / ?) FROM "Authenticator""#
                [big(2), big(3)],
        );
    }

    #[test]
    fn e10_coalesce_lower_upper_now_case() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select((
                    coalesce(user::name, "anonymous"),
                    user::email.lower(),
                    user::email.upper(),
                    case_when(user::email_verified.is_null(), "unverified")
                        .when(user::email_verified.lt_col(now()), "verified")
                        .otherwise("future"),
                ))
                .filter(user::email_verified.lt_col(now())),
            pg = r#"SELECT COALESCE("User"."name", $1), LOWER("User"."email"), UPPER("User"."email"), (CASE WHEN ("User"."emailVerified" IS NULL) THEN $2 WHEN ("User"."emailVerified" < (now())) THEN $3 ELSE $4 END) FROM "User" WHERE "User"."emailVerified" < (now())"#
                [s("anonymous"), s("unverified"), s("verified"), s("future")],
            mysql = "SELECT COALESCE(`User`.`name`, ?), LOWER(`User`.`email`), UPPER(`User`.`email`), (CASE WHEN (`User`.`emailVerified` IS NULL) THEN ? WHEN (`User`.`emailVerified` < (UTC_TIMESTAMP(3))) THEN ? ELSE ? END) FROM `User` WHERE `User`.`emailVerified` < (UTC_TIMESTAMP(3))"
                [s("anonymous"), s("unverified"), s("verified"), s("future")],
            sqlite = r#"SELECT COALESCE("User"."name", ?), LOWER("User"."email"), UPPER("User"."email"), (CASE WHEN ("User"."emailVerified" IS NULL) THEN ? WHEN ("User"."emailVerified" < (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))) THEN ? ELSE ? END) FROM "User" WHERE "User"."emailVerified" < (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"#
                [s("anonymous"), s("unverified"), s("verified"), s("future")],
        );
    }

    #[test]
    fn e11_raw_fragments_bind_their_values() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select(sql::<BigInt, _>("length({})", (user::email,)))
                .filter(sql::<Bool, _>("{} LIKE {}", (user::email, value("%@x.io")))),
            pg = r#"SELECT length( "User"."email" ) FROM "User" WHERE "User"."email" LIKE $1"#
                [s("%@x.io")],
            mysql = "SELECT length( `User`.`email` ) FROM `User` WHERE `User`.`email` LIKE ?"
                [s("%@x.io")],
            sqlite = r#"SELECT length( "User"."email" ) FROM "User" WHERE "User"."email" LIKE ?"#
                [s("%@x.io")],
        );
    }

    #[test]
    // Borrowed values are what this test is about.
    #[allow(clippy::needless_borrows_for_generic_args)]
    fn e12_borrowed_values() {
        let email = String::from("a@b.c");
        let providers = ["github", "google"];
        let t = ts();
        let id = uuid::Uuid::parse_str(UUID).unwrap();
        assert_sql!(
            |db| db
                .select_from(user::table)
                .inner_join(account::table, account::user_id.eq_col(user::id))
                .select(user::id)
                .filter(user::email.eq(&email))
                .filter(account::provider.is_in(&providers))
                .filter(user::email_verified.lt(&t))
                .filter(user::id.eq(&id)),
            pg = r#"SELECT "User"."id" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "User"."email" = $1 AND "Account"."provider" IN ($2, $3) AND "User"."emailVerified" < $4 AND "User"."id" = $5"#
                [s("a@b.c"), s("github"), s("google"), ts_pg(), uuid("0b7e3a4c-5d2f-4e61-9a8b-1c2d3e4f5a6b")],
            mysql = "SELECT `User`.`id` FROM `User` INNER JOIN `Account` ON `Account`.`userId` = `User`.`id` WHERE `User`.`email` = ? AND `Account`.`provider` IN (?, ?) AND `User`.`emailVerified` < ? AND `User`.`id` = ?"
                [s("a@b.c"), s("github"), s("google"), ts_mysql(), s("0b7e3a4c-5d2f-4e61-9a8b-1c2d3e4f5a6b")],
            sqlite = r#"SELECT "User"."id" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "User"."email" = ? AND "Account"."provider" IN (?, ?) AND "User"."emailVerified" < ? AND "User"."id" = ?"#
                [s("a@b.c"), s("github"), s("google"), s("2025-01-31T12:34:56.789Z"), s("0b7e3a4c-5d2f-4e61-9a8b-1c2d3e4f5a6b")],
        );
    }

    #[test]
    fn e13_sixteen_columns() {
        let e = user::email;
        let compiled = assert_sql!(
            |db| db
                .select_from(user::table)
                .select((e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e)),
            pg = r#"SELECT "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email" FROM "User""#
                [],
            mysql = "SELECT `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email`, `User`.`email` FROM `User`"
                [],
            sqlite = r#"SELECT "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email", "User"."email" FROM "User""#
                [],
        );
        assert_eq!(compiled.len(), 3);
    }

    #[test]
    fn e14_self_join_through_aliases() {
        assert_sql!(
            |db| db
                .select_from(a)
                .inner_join(b, b.col(user::name).eq_col(a.col(user::name)))
                .select((a.col(user::email), b.col(user::email)))
                .filter(a.col(user::id).ne_col(b.col(user::id))),
            pg = r#"SELECT "a"."email", "b"."email" FROM "User" AS "a" INNER JOIN "User" AS "b" ON "b"."name" = "a"."name" WHERE "a"."id" <> "b"."id""#
                [],
            mysql = "SELECT `a`.`email`, `b`.`email` FROM `User` AS `a` INNER JOIN `User` AS `b` ON `b`.`name` = `a`.`name` WHERE `a`.`id` <> `b`.`id`"
                [],
            sqlite = r#"SELECT "a"."email", "b"."email" FROM "User" AS "a" INNER JOIN "User" AS "b" ON "b"."name" = "a"."name" WHERE "a"."id" <> "b"."id""#
                [],
        );
    }

    #[test]
    fn e15_union_and_union_all() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select(user::email)
                .filter(user::name.is_null())
                .union(
                    db.select_from(user::table)
                        .select(user::email)
                        .filter(user::email.like("%@x.io"))
                        .order_by(user::email)
                        .limit(5),
                )
                .union_all(db.select_from(user::table).select(user::email))
                .limit(10),
            pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."name" IS NULL UNION (SELECT * FROM (SELECT "User"."email" FROM "User" WHERE "User"."email" LIKE $1 ORDER BY "User"."email" ASC LIMIT $2) AS "u") UNION ALL (SELECT "User"."email" FROM "User") LIMIT $3"#
                [s("%@x.io"), unsigned(5), unsigned(10)],
            mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`name` IS NULL UNION (SELECT * FROM (SELECT `User`.`email` FROM `User` WHERE `User`.`email` LIKE ? ORDER BY `User`.`email` ASC LIMIT ?) AS `u`) UNION ALL (SELECT `User`.`email` FROM `User`) LIMIT ?"
                [s("%@x.io"), unsigned(5), unsigned(10)],
            sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."name" IS NULL UNION SELECT * FROM (SELECT "User"."email" FROM "User" WHERE "User"."email" LIKE ? ORDER BY "User"."email" ASC LIMIT ?) AS "u" UNION ALL SELECT "User"."email" FROM "User" LIMIT ?"#
                [s("%@x.io"), unsigned(5), unsigned(10)],
        );
    }

    #[test]
    fn e15_union_order_by_the_whole() {
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select((user::email, user::name))
                .order_by(user::id)
                .limit(3)
                .union_all(db.select_from(user::table).select((user::email, user::name)))
                .order_by(user::name.desc())
                .order_by(user::email)
                .offset(1),
            pg = r#"SELECT * FROM (SELECT "User"."email", "User"."name" FROM "User" ORDER BY "User"."id" ASC LIMIT $1) AS "u" UNION ALL (SELECT "User"."email", "User"."name" FROM "User") ORDER BY 2 DESC, 1 ASC OFFSET $2"#
                [unsigned(3), unsigned(1)],
            mysql = "SELECT * FROM (SELECT `User`.`email`, `User`.`name` FROM `User` ORDER BY `User`.`id` ASC LIMIT ?) AS `u` UNION ALL (SELECT `User`.`email`, `User`.`name` FROM `User`) ORDER BY 2 DESC, 1 ASC LIMIT ? OFFSET ?"
                [unsigned(3), unsigned(i64::MAX as u64), unsigned(1)],
            sqlite = r#"SELECT * FROM (SELECT "User"."email", "User"."name" FROM "User" ORDER BY "User"."id" ASC LIMIT ?) AS "u" UNION ALL SELECT "User"."email", "User"."name" FROM "User" ORDER BY 2 DESC, 1 ASC LIMIT ? OFFSET ?"#
                [unsigned(3), unsigned(i64::MAX as u64), unsigned(1)],
        );
    }

    #[test]
    fn e15_correlated_in_subquery_with_limit() {
        // PostgreSQL and SQLite only: MySQL refuses it, a compile error there.
        assert_sql!(
            |db| db.select_from(user::table).select(user::email).filter(
                user::id.in_sub(
                    db.subquery_from(session::table)
                        .select(session::user_id)
                        .filter(session::user_id.eq_col(user::id))
                        .order_by(session::expires.desc())
                        .limit(1),
                ),
            ),
            pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" IN (SELECT "Session"."userId" FROM "Session" WHERE "Session"."userId" = "User"."id" ORDER BY "Session"."expires" DESC LIMIT $1)"#
                [unsigned(1)],
            sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" IN (SELECT "Session"."userId" FROM "Session" WHERE "Session"."userId" = "User"."id" ORDER BY "Session"."expires" DESC LIMIT ?)"#
                [unsigned(1)],
        );
    }

    #[test]
    fn e16_row_lock_over_a_left_join_on_mysql() {
        // MySQL only: PostgreSQL refuses it, a compile error there.
        assert_sql!(
            |db| db
                .select_from(user::table)
                .left_join(account::table, account::user_id.eq_col(user::id))
                .select(user::email)
                .for_update(),
            mysql = "SELECT `User`.`email` FROM `User` LEFT JOIN `Account` ON `Account`.`userId` = `User`.`id` FOR UPDATE"
                [],
        );
    }

    #[test]
    fn e16_row_locks() {
        assert_sql!(
            |db| db
                .select_from(session::table)
                .select(session::session_token)
                .filter(session::user_id.eq(UUID))
                .for_update()
                .skip_locked(),
            pg = r#"SELECT "Session"."sessionToken" FROM "Session" WHERE "Session"."userId" = $1 FOR UPDATE SKIP LOCKED"#
                [uuid("0b7e3a4c-5d2f-4e61-9a8b-1c2d3e4f5a6b")],
            mysql = "SELECT `Session`.`sessionToken` FROM `Session` WHERE `Session`.`userId` = ? FOR UPDATE SKIP LOCKED"
                [s("0b7e3a4c-5d2f-4e61-9a8b-1c2d3e4f5a6b")],
        );
        assert_sql!(
            |db| db
                .select_from(session::table)
                .select(session::session_token)
                .for_share()
                .no_wait(),
            pg = r#"SELECT "Session"."sessionToken" FROM "Session" FOR SHARE NOWAIT"#
                [],
            mysql = "SELECT `Session`.`sessionToken` FROM `Session` LOCK IN SHARE MODE NOWAIT"
                [],
        );
    }

    #[test]
    fn e17_update_setting_a_column_again_keeps_the_last_value() {
        assert_sql!(
            |db| db
                .update(user::table)
                .set(user::name, Some("first"))
                .set(user::image, None::<String>)
                .set(user::name, Some("second"))
                .filter(user::email.eq("a@b.c")),
            pg = r#"UPDATE "User" SET "name" = $1, "image" = $2 WHERE "User"."email" = $3"#
                [s("second"), V::String(None), s("a@b.c")],
            mysql = "UPDATE `User` SET `name` = ?, `image` = ? WHERE `User`.`email` = ?"
                [s("second"), V::String(None), s("a@b.c")],
            sqlite = r#"UPDATE "User" SET "name" = ?, "image" = ? WHERE "User"."email" = ?"#
                [s("second"), V::String(None), s("a@b.c")],
        );
    }

    #[test]
    fn e18_empty_in_list_matches_nothing() {
        let none: [&str; 0] = [];
        assert_sql!(
            |db| db
                .select_from(user::table)
                .select(user::id)
                .filter(user::email.is_in(none))
                .filter(user::name.is_not_in(none)),
            pg = r#"SELECT "User"."id" FROM "User" WHERE (1 = 0) AND (1 = 1)"#
                [],
            mysql = "SELECT `User`.`id` FROM `User` WHERE (1 = 0) AND (1 = 1)"
                [],
            sqlite = r#"SELECT "User"."id" FROM "User" WHERE (1 = 0) AND (1 = 1)"#
                [],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Lowerings that keep a query valid (and its result exact) on every dialect; each is executed
// on the real servers by tests/common/{builder,types}.rs.

mod lowering {
    use super::*;
    use auth_query::{max, min, sql, sum};

    auth_query::alias! {
        pub a = user::table;
        pub b = user::table;
    }

    /// MySQL's SUM of integers is decoded from its DECIMAL, not `CAST(... AS SIGNED)`, which
    /// clips a sum past `i64` to `i64::MAX` with only a warning.
    #[test]
    fn l01_mysql_sum_of_integers_is_not_cast() {
        assert_sql!(
            |db| db.select_from(authenticator::table).select(sum(authenticator::counter)),
            pg = r#"SELECT CAST(SUM("Authenticator"."counter") AS bigint) FROM "Authenticator""#
                [],
            mysql = "SELECT SUM(`Authenticator`.`counter`) FROM `Authenticator`"
                [],
            sqlite = r#"SELECT SUM("Authenticator"."counter") FROM "Authenticator""#
                [],
        );
    }

    /// Postgres has no MIN/MAX of boolean, uuid or bytea.
    #[test]
    fn l02_postgres_min_max_of_bool_and_uuid() {
        assert_sql!(
            |db| db.select_from(authenticator::table).select((
                min(authenticator::credential_backed_up),
                max(authenticator::credential_backed_up),
                min(authenticator::user_id),
                max(authenticator::user_id),
            )),
            pg = r#"SELECT BOOL_AND("Authenticator"."credentialBackedUp"), BOOL_OR("Authenticator"."credentialBackedUp"), CAST(MIN(CAST("Authenticator"."userId" AS text)) AS uuid), CAST(MAX(CAST("Authenticator"."userId" AS text)) AS uuid) FROM "Authenticator""#
                [],
            mysql = "SELECT MIN(`Authenticator`.`credentialBackedUp`), MAX(`Authenticator`.`credentialBackedUp`), MIN(`Authenticator`.`userId`), MAX(`Authenticator`.`userId`) FROM `Authenticator`"
                [],
            sqlite = r#"SELECT MIN("Authenticator"."credentialBackedUp"), MAX("Authenticator"."credentialBackedUp"), MIN("Authenticator"."userId"), MAX("Authenticator"."userId") FROM "Authenticator""#
                [],
        );
    }

    /// MySQL takes LIMIT in an IN subquery only inside a derived table.
    #[test]
    fn l03_mysql_in_subquery_with_limit() {
        assert_sql!(
            |db| db.select_from(user::table).select(user::email).filter(
                user::id.in_sub(
                    db.select_from(session::table)
                        .select(session::user_id)
                        .order_by(session::expires.desc())
                        .limit(3),
                ),
            ),
            pg = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" IN (SELECT "Session"."userId" FROM "Session" ORDER BY "Session"."expires" DESC LIMIT $1)"#
                [unsigned(3)],
            mysql = "SELECT `User`.`email` FROM `User` WHERE `User`.`id` IN (SELECT * FROM (SELECT `Session`.`userId` FROM `Session` ORDER BY `Session`.`expires` DESC LIMIT ?) AS `u`)"
                [unsigned(3)],
            sqlite = r#"SELECT "User"."email" FROM "User" WHERE "User"."id" IN (SELECT "Session"."userId" FROM "Session" ORDER BY "Session"."expires" DESC LIMIT ?)"#
                [unsigned(3)],
        );
    }

    /// A UNION operand in a derived table names its columns when two could share a name
    /// (MySQL refuses `Duplicate column name`).
    #[test]
    fn l04_derived_union_operand_names_its_columns() {
        assert_sql!(
            |db| db
                .select_from(a)
                .inner_join(b, b.col(user::name).eq_col(a.col(user::name)))
                .select((a.col(user::email), b.col(user::email)))
                .limit(1)
                .union_all(
                    db.select_from(user::table)
                        .select((user::email, user::email))
                ),
            pg = r#"SELECT * FROM (SELECT "a"."email" AS "c0", "b"."email" AS "c1" FROM "User" AS "a" INNER JOIN "User" AS "b" ON "b"."name" = "a"."name" LIMIT $1) AS "u" UNION ALL (SELECT "User"."email", "User"."email" FROM "User")"#
                [unsigned(1)],
            mysql = "SELECT * FROM (SELECT `a`.`email` AS `c0`, `b`.`email` AS `c1` FROM `User` AS `a` INNER JOIN `User` AS `b` ON `b`.`name` = `a`.`name` LIMIT ?) AS `u` UNION ALL (SELECT `User`.`email`, `User`.`email` FROM `User`)"
                [unsigned(1)],
            sqlite = r#"SELECT * FROM (SELECT "a"."email" AS "c0", "b"."email" AS "c1" FROM "User" AS "a" INNER JOIN "User" AS "b" ON "b"."name" = "a"."name" LIMIT ?) AS "u" UNION ALL SELECT "User"."email", "User"."email" FROM "User""#
                [unsigned(1)],
        );
    }

    /// A raw fragment whose `{}` count differs from its arguments is refused, never sent with an
    /// argument dropped.
    #[test]
    fn l05_raw_fragment_with_the_wrong_argument_count() {
        use auth_schema::sql::Bool;
        let out = assert_sql!(
            |db| db
                .select_from(user::table)
                .select(user::id)
                .filter(sql::<Bool, _>("{} IS NULL", (user::name, user::email))),
            // Rendered for inspection only: running it fails before anything is sent.
            pg = r#"SELECT "User"."id" FROM "User" WHERE "User"."name" IS NULL "User"."email""#
                [],
            sqlite = r#"SELECT "User"."id" FROM "User" WHERE "User"."name" IS NULL "User"."email""#
                [],
        );
        for o in out {
            assert_eq!(
                o.invalid.as_deref(),
                Some("the raw fragment `{} IS NULL` has 1 `{}` for 2 argument(s)")
            );
        }
    }

    #[test]
    fn e19_count_of_a_distinct_query_counts_distinct_rows() {
        assert_sql!(
            |db| db
                .select_from(account::table)
                .select(account::provider)
                .distinct()
                .order_by(account::provider)
                .count(),
            pg = r#"SELECT COUNT(*) FROM (SELECT DISTINCT "Account"."provider" FROM "Account") AS "u""#
                [],
            mysql = "SELECT COUNT(*) FROM (SELECT DISTINCT `Account`.`provider` FROM `Account`) AS `u`"
                [],
            sqlite = r#"SELECT COUNT(*) FROM (SELECT DISTINCT "Account"."provider" FROM "Account") AS "u""#
                [],
        );
    }

    #[test]
    fn e20_integer_division_truncates_on_every_dialect() {
        assert_sql!(
            |db| db
                .select_from(authenticator::table)
                .select((authenticator::counter.div(2i64), authenticator::counter.add(1i64))),
            pg = r#"SELECT "Authenticator"."counter" / $1, "Authenticator"."counter" + $2 FROM "Authenticator""#
                [big(2), big(1)],
            mysql = "SELECT `Authenticator`.`counter` DIV ?, `Authenticator`.`counter` + ? FROM `Authenticator`"
                [big(2), big(1)],
            sqlite = r#"SELECT "Authenticator"."counter" / ?, "Authenticator"."counter" + ? FROM "Authenticator""#
                [big(2), big(1)],
        );
    }
}

auth_schema::table! {
    pub mod note {
        id: BigInt = identity,
        title: Text,
        pinned: Bool = default(false),
    }
    primary_key(id);
}

/// Rows of one INSERT share its columns: a later row that gives a column the first leaves to its
/// default, or leaves one the first gives, is refused (its value would be dropped, or NULL stored
/// for the default), not rendered.
#[test]
fn insert_rows_with_other_columns_are_refused() {
    let row = |pinned: Option<bool>| note::New {
        id: None,
        title: "t".into(),
        pinned,
    };
    let gives_more = Sqlite
        .insert_into(note::table)
        .values(row(None))
        .values(row(Some(true)))
        .compile();
    assert!(
        gives_more
            .invalid_value()
            .unwrap()
            .contains("row 2 of this INSERT gives column `pinned`, which the first row leaves out"),
        "{:?}",
        gives_more.invalid_value()
    );
    let gives_less = Postgres
        .insert_into(note::table)
        .values(row(Some(true)))
        .values(row(None))
        .compile();
    assert!(
        gives_less
            .invalid_value()
            .unwrap()
            .contains("leaves column `pinned` to its default")
    );
    // Column-wise first, then a row struct with more.
    let mixed = MySql
        .insert_into(note::table)
        .value(note::title, "a")
        .values(row(Some(false)))
        .compile();
    assert!(
        mixed
            .invalid_value()
            .unwrap()
            .contains("gives column `pinned`")
    );
    // The same columns in every row: fine.
    let same = Sqlite
        .insert_into(note::table)
        .values(row(Some(true)))
        .values(row(Some(false)))
        .compile();
    assert_eq!(same.invalid_value(), None);
}

/// An upsert that updates a column from the inserted row must give that column: else the stored
/// value is overwritten with the column's default (NULL here).
#[test]
fn upsert_of_a_column_not_inserted_is_refused() {
    const ID: &str = "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10";
    let pg = Postgres
        .insert_into(user::table)
        .value(user::id, ID)
        .value(user::email, "a@b.c")
        .on_conflict_do_update(user::email, user::name)
        .compile();
    assert!(
        pg.invalid_value()
            .unwrap()
            .contains("updates column `name`")
    );
    let my = MySql
        .insert_into(user::table)
        .value(user::id, ID)
        .value(user::email, "a@b.c")
        .on_duplicate_key_update((user::name, user::image))
        .compile();
    assert!(
        my.invalid_value()
            .unwrap()
            .contains("updates column `name`")
    );
    let given = Sqlite
        .insert_into(user::table)
        .value(user::id, ID)
        .value(user::email, "a@b.c")
        .value(user::name, Some("Ada"))
        .on_conflict_do_update(user::email, user::name)
        .compile();
    assert_eq!(given.invalid_value(), None);
}

#[test]
fn t186_any_of_a_run_time_list_of_key_pairs() {
    let keys = [("github", "1"), ("google", "2")];
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::user_id)
            .filter(any_of(keys.iter().map(|(p, id)| {
                account::provider
                    .eq(*p)
                    .and(account::provider_account_id.eq(*id))
            }))),
        pg = r#"SELECT "Account"."userId" FROM "Account" WHERE ("Account"."provider" = $1 AND "Account"."providerAccountId" = $2) OR ("Account"."provider" = $3 AND "Account"."providerAccountId" = $4)"#,
        mysql = "SELECT `Account`.`userId` FROM `Account` WHERE (`Account`.`provider` = ? AND `Account`.`providerAccountId` = ?) OR (`Account`.`provider` = ? AND `Account`.`providerAccountId` = ?)",
        sqlite = r#"SELECT "Account"."userId" FROM "Account" WHERE ("Account"."provider" = ? AND "Account"."providerAccountId" = ?) OR ("Account"."provider" = ? AND "Account"."providerAccountId" = ?)"#,
        params = [s("github"), s("1"), s("google"), s("2")],
    );
}

#[test]
fn t187_empty_any_of_is_false_and_empty_all_of_is_true() {
    let none: Vec<&str> = Vec::new();
    assert_sql!(
        |db| db
            .select_from(account::table)
            .select(account::user_id)
            .filter(
                any_of(none.iter().map(|p| account::provider.eq(*p)))
                    .or(all_of(none.iter().map(|p| account::provider.ne(*p)))
                        .and(account::provider.eq("x")))
            ),
        pg = r#"SELECT "Account"."userId" FROM "Account" WHERE (1 = 0) OR ((1 = 1) AND "Account"."provider" = $1)"#,
        mysql = "SELECT `Account`.`userId` FROM `Account` WHERE (1 = 0) OR ((1 = 1) AND `Account`.`provider` = ?)",
        sqlite = r#"SELECT "Account"."userId" FROM "Account" WHERE (1 = 0) OR ((1 = 1) AND "Account"."provider" = ?)"#,
        params = [s("x")],
    );
}
