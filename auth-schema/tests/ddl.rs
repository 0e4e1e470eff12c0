//! Golden DDL: the exact `CREATE` statements per dialect, the Auth.js requirements they must
//! meet, and the naming rules (physical names, serde field names) the tables are built from.

use auth_schema::ddl::{Backend, create_schema, tables};
use auth_schema::naming::{Naming, Rename, resolve};
use auth_schema::sql::{BigInt, Bool, Nullable, Text, Timestamp};
use auth_schema::{
    Account, AuthSchema, Authenticator, Column, ColumnDefault, ColumnType, IdType, Row, Session,
    Table, TableInfo, User, Value, VerificationToken, kysely, snake_case,
};
use chrono::{DateTime, NaiveDate, Utc};

// ---------------------------------------------------------------------------------------------
// Custom schemas.

auth_schema::schema! {
    /// Kysely names qualified by the `auth` schema on Postgres.
    pub mod qualified {
        naming: Kysely,
        id: Uuid,
        postgres_schema: "auth",
    }
}

auth_schema::schema! {
    /// Ids as `varchar(36)` everywhere.
    pub mod v36 {
        naming: Kysely,
        id: Varchar36,
    }
}

auth_schema::schema! {
    /// Ids as text (`varchar(255)` on MySQL).
    pub mod txt {
        naming: Kysely,
        id: Text,
    }
}

auth_schema::schema! {
    /// Renamed tables and columns over snake_case.
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
        },
    }
}

/// Compares statement lists one by one, so a failure names the statement that differs.
#[track_caller]
fn assert_ddl(actual: Vec<String>, expected: &[&str]) {
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(a, e, "statement {i} differs");
    }
    assert_eq!(
        actual.len(),
        expected.len(),
        "statement count differs; actual: {actual:#?}"
    );
}

fn ddl<S: AuthSchema + auth_schema::Database>(backend: Backend) -> Vec<String> {
    create_schema::<S>(backend)
}

/// The `CREATE TABLE` statement of the table rendered as `rendered_name` (quoted, maybe qualified).
#[track_caller]
fn create_table<'a>(all: &'a [String], rendered_name: &str) -> &'a str {
    all.iter()
        .find(|s| s.starts_with(&format!("CREATE TABLE {rendered_name} (")))
        .unwrap_or_else(|| panic!("no CREATE TABLE {rendered_name} in {all:#?}"))
}

/// The identifier quote of a dialect.
fn quote(backend: Backend) -> char {
    if backend == Backend::MySql { '`' } else { '"' }
}

// =============================================================================================
// The kysely schema, every statement.

#[test]
fn d01_kysely_postgres() {
    assert_ddl(
        ddl::<kysely::Schema>(Backend::Postgres),
        &[
            r#"CREATE TABLE "User" ( "id" uuid NOT NULL DEFAULT (gen_random_uuid()), "name" text, "email" text NOT NULL, "emailVerified" timestamp with time zone, "image" text, CONSTRAINT "User_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email") )"#,
            r#"CREATE TABLE "Account" ( "userId" uuid NOT NULL, "type" text NOT NULL, "provider" text NOT NULL, "providerAccountId" text NOT NULL, "refresh_token" text, "access_token" text, "expires_at" bigint, "token_type" text, "scope" text, "id_token" text, "session_state" text, CONSTRAINT "Account_provider_providerAccountId_pkey" PRIMARY KEY ("provider", "providerAccountId"), CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE )"#,
            r#"CREATE INDEX "Account_userId_index" ON "Account" ("userId")"#,
            r#"CREATE TABLE "Session" ( "userId" uuid NOT NULL, "sessionToken" text NOT NULL, "expires" timestamp with time zone NOT NULL, CONSTRAINT "Session_sessionToken_pkey" PRIMARY KEY ("sessionToken"), CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE )"#,
            r#"CREATE INDEX "Session_userId_index" ON "Session" ("userId")"#,
            r#"CREATE TABLE "VerificationToken" ( "identifier" text NOT NULL, "token" text NOT NULL, "expires" timestamp with time zone NOT NULL, CONSTRAINT "VerificationToken_identifier_token_pkey" PRIMARY KEY ("identifier", "token"), CONSTRAINT "VerificationToken_token_key" UNIQUE ("token") )"#,
            r#"CREATE TABLE "Authenticator" ( "credentialID" text NOT NULL, "userId" uuid NOT NULL, "providerAccountId" text NOT NULL, "credentialPublicKey" text NOT NULL, "counter" bigint NOT NULL, "credentialDeviceType" text NOT NULL, "credentialBackedUp" bool NOT NULL, "transports" text, CONSTRAINT "Authenticator_userId_credentialID_pkey" PRIMARY KEY ("userId", "credentialID"), CONSTRAINT "Authenticator_credentialID_key" UNIQUE ("credentialID"), CONSTRAINT "Authenticator_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE )"#,
        ],
    );
}

#[test]
fn d02_kysely_mysql() {
    assert_ddl(
        ddl::<kysely::Schema>(Backend::MySql),
        &[
            "CREATE TABLE `User` ( `id` varchar(36) NOT NULL DEFAULT (UUID()), `name` varchar(255), `email` varchar(255) NOT NULL, `emailVerified` DATETIME(3), `image` text, PRIMARY KEY `User_id_pkey` (`id`), UNIQUE KEY `User_email_key` (`email`) ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
            "CREATE TABLE `Account` ( `userId` varchar(36) NOT NULL, `type` varchar(255) NOT NULL, `provider` varchar(255) NOT NULL, `providerAccountId` varchar(255) NOT NULL, `refresh_token` text, `access_token` text, `expires_at` bigint, `token_type` varchar(255), `scope` text, `id_token` text, `session_state` text, PRIMARY KEY `Account_provider_providerAccountId_pkey` (`provider`, `providerAccountId`), CONSTRAINT `Account_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User` (`id`) ON DELETE CASCADE ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
            "CREATE INDEX `Account_userId_index` ON `Account` (`userId`)",
            "CREATE TABLE `Session` ( `userId` varchar(36) NOT NULL, `sessionToken` varchar(255) NOT NULL, `expires` DATETIME(3) NOT NULL, PRIMARY KEY `Session_sessionToken_pkey` (`sessionToken`), CONSTRAINT `Session_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User` (`id`) ON DELETE CASCADE ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
            "CREATE INDEX `Session_userId_index` ON `Session` (`userId`)",
            "CREATE TABLE `VerificationToken` ( `identifier` varchar(255) NOT NULL, `token` varchar(255) NOT NULL, `expires` DATETIME(3) NOT NULL, PRIMARY KEY `VerificationToken_identifier_token_pkey` (`identifier`, `token`), UNIQUE KEY `VerificationToken_token_key` (`token`) ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
            "CREATE TABLE `Authenticator` ( `credentialID` varchar(255) NOT NULL, `userId` varchar(36) NOT NULL, `providerAccountId` varchar(255) NOT NULL, `credentialPublicKey` text NOT NULL, `counter` bigint NOT NULL, `credentialDeviceType` varchar(255) NOT NULL, `credentialBackedUp` bool NOT NULL, `transports` varchar(255), PRIMARY KEY `Authenticator_userId_credentialID_pkey` (`userId`, `credentialID`), UNIQUE KEY `Authenticator_credentialID_key` (`credentialID`), CONSTRAINT `Authenticator_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User` (`id`) ON DELETE CASCADE ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
        ],
    );
}

#[test]
fn d03_kysely_sqlite() {
    assert_ddl(
        ddl::<kysely::Schema>(Backend::Sqlite),
        &[
            r#"CREATE TABLE "User" ( "id" text NOT NULL, "name" text, "email" text NOT NULL, "emailVerified" text, "image" text, CONSTRAINT "User_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email") )"#,
            r#"CREATE TABLE "Account" ( "userId" text NOT NULL, "type" text NOT NULL, "provider" text NOT NULL, "providerAccountId" text NOT NULL, "refresh_token" text, "access_token" text, "expires_at" integer, "token_type" text, "scope" text, "id_token" text, "session_state" text, CONSTRAINT "Account_provider_providerAccountId_pkey" PRIMARY KEY ("provider", "providerAccountId"), FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE )"#,
            r#"CREATE INDEX "Account_userId_index" ON "Account" ("userId")"#,
            r#"CREATE TABLE "Session" ( "userId" text NOT NULL, "sessionToken" text NOT NULL, "expires" text NOT NULL, CONSTRAINT "Session_sessionToken_pkey" PRIMARY KEY ("sessionToken"), FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE )"#,
            r#"CREATE INDEX "Session_userId_index" ON "Session" ("userId")"#,
            r#"CREATE TABLE "VerificationToken" ( "identifier" text NOT NULL, "token" text NOT NULL, "expires" text NOT NULL, CONSTRAINT "VerificationToken_identifier_token_pkey" PRIMARY KEY ("identifier", "token"), CONSTRAINT "VerificationToken_token_key" UNIQUE ("token") )"#,
            r#"CREATE TABLE "Authenticator" ( "credentialID" text NOT NULL, "userId" text NOT NULL, "providerAccountId" text NOT NULL, "credentialPublicKey" text NOT NULL, "counter" integer NOT NULL, "credentialDeviceType" text NOT NULL, "credentialBackedUp" boolean NOT NULL, "transports" text, CONSTRAINT "Authenticator_userId_credentialID_pkey" PRIMARY KEY ("userId", "credentialID"), CONSTRAINT "Authenticator_credentialID_key" UNIQUE ("credentialID"), FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE )"#,
        ],
    );
}

// =============================================================================================
// The requirements of the issue, checked on the kysely schema for every dialect.

#[test]
fn d10_mysql_oauth_tokens_are_text() {
    let all = ddl::<kysely::Schema>(Backend::MySql);
    let account = create_table(&all, "`Account`");
    for col in [
        "refresh_token",
        "access_token",
        "id_token",
        "scope",
        "session_state",
    ] {
        assert!(
            account.contains(&format!("`{col}` text,")),
            "{col} must be TEXT: {account}"
        );
    }
    // Indexed and short columns stay varchar(255), which MySQL can index.
    assert!(account.contains("`provider` varchar(255) NOT NULL"));
    assert!(account.contains("`providerAccountId` varchar(255) NOT NULL"));
    assert!(account.contains("`token_type` varchar(255),"));
    let authenticator = create_table(&all, "`Authenticator`");
    assert!(authenticator.contains("`credentialPublicKey` text NOT NULL"));
    assert!(create_table(&all, "`User`").contains("`image` text,"));
}

#[test]
fn d11_account_key_is_provider_and_provider_account_id() {
    for backend in Backend::ALL {
        let q = quote(backend);
        let all = ddl::<kysely::Schema>(backend);
        let account = create_table(&all, &format!("{q}Account{q}"));
        let name = format!("{q}Account_provider_providerAccountId_pkey{q}");
        let cols = format!("({q}provider{q}, {q}providerAccountId{q})");
        let key = match backend {
            Backend::MySql => format!("PRIMARY KEY {name} {cols}"),
            _ => format!("CONSTRAINT {name} PRIMARY KEY {cols}"),
        };
        assert!(account.contains(&key), "{backend:?}: {account}");
        assert_eq!(account.matches("PRIMARY KEY").count(), 1, "{account}");
    }
}

#[test]
fn d12_session_user_id_is_indexed() {
    for backend in Backend::ALL {
        let q = quote(backend);
        let all = ddl::<kysely::Schema>(backend);
        let index =
            format!("CREATE INDEX {q}Session_userId_index{q} ON {q}Session{q} ({q}userId{q})");
        let at = all.iter().position(|s| *s == index);
        let table = all
            .iter()
            .position(|s| s.starts_with(&format!("CREATE TABLE {q}Session{q}")));
        assert!(at.is_some(), "{backend:?}: {all:#?}");
        assert!(table < at, "the index follows its table");
    }
}

#[test]
fn d13_mysql_timestamps_keep_milliseconds() {
    let all = ddl::<kysely::Schema>(Backend::MySql);
    let joined = all.join("\n");
    assert_eq!(joined.matches("DATETIME(3)").count(), 3, "{joined}");
    assert!(create_table(&all, "`User`").contains("`emailVerified` DATETIME(3),"));
    assert!(create_table(&all, "`Session`").contains("`expires` DATETIME(3) NOT NULL"));
    assert!(create_table(&all, "`VerificationToken`").contains("`expires` DATETIME(3) NOT NULL"));
    assert!(!joined.to_lowercase().contains("timestamp"));
    // Postgres keeps the zone; SQLite stores ISO-8601 text.
    let pg = ddl::<kysely::Schema>(Backend::Postgres).join("\n");
    assert_eq!(pg.matches("timestamp with time zone").count(), 3);
    let sqlite = ddl::<kysely::Schema>(Backend::Sqlite);
    assert!(create_table(&sqlite, r#""Session""#).contains(r#""expires" text NOT NULL"#));
    assert!(create_table(&sqlite, r#""User""#).contains(r#""emailVerified" text,"#));
}

#[test]
fn d14_every_foreign_key_cascades_on_every_dialect() {
    for backend in Backend::ALL {
        let q = quote(backend);
        let all = ddl::<kysely::Schema>(backend);
        for table in ["Account", "Session", "Authenticator"] {
            let stmt = create_table(&all, &format!("{q}{table}{q}"));
            let fk = format!(
                "FOREIGN KEY ({q}userId{q}) REFERENCES {q}User{q} ({q}id{q}) ON DELETE CASCADE"
            );
            assert!(stmt.contains(&fk), "{backend:?} {table}: {stmt}");
            if backend != Backend::Sqlite {
                // Named, so migrations can refer to it (sea-query leaves SQLite's unnamed).
                let named = format!("CONSTRAINT {q}{table}_userId_fkey{q} FOREIGN KEY");
                assert!(stmt.contains(&named), "{stmt}");
            }
        }
        let joined = all.join("\n");
        assert_eq!(joined.matches("FOREIGN KEY").count(), 3, "{backend:?}");
        assert_eq!(
            joined.matches("ON DELETE CASCADE").count(),
            3,
            "{backend:?}"
        );
    }
}

#[test]
fn d15_unique_keys_and_primary_keys() {
    let pg = ddl::<kysely::Schema>(Backend::Postgres);
    assert!(create_table(&pg, r#""User""#).contains(
        r#"CONSTRAINT "User_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email")"#
    ));
    assert!(
        create_table(&pg, r#""Session""#)
            .contains(r#"CONSTRAINT "Session_sessionToken_pkey" PRIMARY KEY ("sessionToken")"#)
    );
    assert!(create_table(&pg, r#""VerificationToken""#).contains(
        r#"PRIMARY KEY ("identifier", "token"), CONSTRAINT "VerificationToken_token_key" UNIQUE ("token")"#
    ));
    assert!(create_table(&pg, r#""Authenticator""#).contains(
        r#"PRIMARY KEY ("userId", "credentialID"), CONSTRAINT "Authenticator_credentialID_key" UNIQUE ("credentialID")"#
    ));
    let my = ddl::<kysely::Schema>(Backend::MySql);
    assert!(create_table(&my, "`User`").contains("UNIQUE KEY `User_email_key` (`email`)"));
    assert!(
        create_table(&my, "`Authenticator`")
            .contains("UNIQUE KEY `Authenticator_credentialID_key` (`credentialID`)")
    );
}

#[test]
fn d16_id_defaults_per_dialect() {
    let pg = ddl::<kysely::Schema>(Backend::Postgres);
    assert!(pg[0].contains(r#""id" uuid NOT NULL DEFAULT (gen_random_uuid())"#));
    let my = ddl::<kysely::Schema>(Backend::MySql);
    assert!(my[0].contains("`id` varchar(36) NOT NULL DEFAULT (UUID())"));
    // SQLite has no UUID function: the application generates ids, as Auth.js does.
    let sqlite = ddl::<kysely::Schema>(Backend::Sqlite);
    assert!(sqlite[0].contains(r#""id" text NOT NULL,"#));
    assert!(!sqlite.join("\n").contains("DEFAULT"));
}

#[test]
fn d17_statement_order_user_first_indexes_after_their_table() {
    for backend in Backend::ALL {
        let q = quote(backend);
        let all = ddl::<kysely::Schema>(backend);
        let expected = [
            format!("CREATE TABLE {q}User{q} ("),
            format!("CREATE TABLE {q}Account{q} ("),
            format!("CREATE INDEX {q}Account_userId_index{q} ON {q}Account{q} ({q}userId{q})"),
            format!("CREATE TABLE {q}Session{q} ("),
            format!("CREATE INDEX {q}Session_userId_index{q} ON {q}Session{q} ({q}userId{q})"),
            format!("CREATE TABLE {q}VerificationToken{q} ("),
            format!("CREATE TABLE {q}Authenticator{q} ("),
        ];
        assert_eq!(all.len(), expected.len(), "{backend:?}");
        for (stmt, start) in all.iter().zip(&expected) {
            assert!(stmt.starts_with(start.as_str()), "{backend:?}: {stmt}");
        }
    }
}

// =============================================================================================
// Other schemas: spot checks.

#[test]
fn d20_snake_case_user_session_verification_token() {
    let pg = ddl::<snake_case::Schema>(Backend::Postgres);
    assert_eq!(
        pg[0],
        r#"CREATE TABLE "user" ( "id" uuid NOT NULL DEFAULT (gen_random_uuid()), "name" text, "email" text NOT NULL, "email_verified" timestamp with time zone, "image" text, CONSTRAINT "user_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "user_email_key" UNIQUE ("email") )"#
    );
    assert_eq!(
        pg[3],
        r#"CREATE TABLE "session" ( "user_id" uuid NOT NULL, "session_token" text NOT NULL, "expires" timestamp with time zone NOT NULL, CONSTRAINT "session_session_token_pkey" PRIMARY KEY ("session_token"), CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE )"#
    );
    assert_eq!(
        pg[4],
        r#"CREATE INDEX "session_user_id_index" ON "session" ("user_id")"#
    );
    assert_eq!(
        pg[5],
        r#"CREATE TABLE "verification_token" ( "identifier" text NOT NULL, "token" text NOT NULL, "expires" timestamp with time zone NOT NULL, CONSTRAINT "verification_token_identifier_token_pkey" PRIMARY KEY ("identifier", "token"), CONSTRAINT "verification_token_token_key" UNIQUE ("token") )"#
    );
    let my = ddl::<snake_case::Schema>(Backend::MySql);
    assert_eq!(
        my[0],
        "CREATE TABLE `user` ( `id` varchar(36) NOT NULL DEFAULT (UUID()), `name` varchar(255), `email` varchar(255) NOT NULL, `email_verified` DATETIME(3), `image` text, PRIMARY KEY `user_id_pkey` (`id`), UNIQUE KEY `user_email_key` (`email`) ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"
    );
    assert_eq!(
        my[6],
        "CREATE TABLE `authenticator` ( `credential_id` varchar(255) NOT NULL, `user_id` varchar(36) NOT NULL, `provider_account_id` varchar(255) NOT NULL, `credential_public_key` text NOT NULL, `counter` bigint NOT NULL, `credential_device_type` varchar(255) NOT NULL, `credential_backed_up` bool NOT NULL, `transports` varchar(255), PRIMARY KEY `authenticator_user_id_credential_id_pkey` (`user_id`, `credential_id`), UNIQUE KEY `authenticator_credential_id_key` (`credential_id`), CONSTRAINT `authenticator_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"
    );
    let sqlite = ddl::<snake_case::Schema>(Backend::Sqlite);
    assert_eq!(
        sqlite[0],
        r#"CREATE TABLE "user" ( "id" text NOT NULL, "name" text, "email" text NOT NULL, "email_verified" text, "image" text, CONSTRAINT "user_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "user_email_key" UNIQUE ("email") )"#
    );
    assert_eq!(
        sqlite[4],
        r#"CREATE INDEX "session_user_id_index" ON "session" ("user_id")"#
    );
}

#[test]
fn d21_snake_case_account_key_and_foreign_key() {
    for backend in Backend::ALL {
        let q = quote(backend);
        let all = ddl::<snake_case::Schema>(backend);
        let account = create_table(&all, &format!("{q}account{q}"));
        assert!(
            account.contains(&format!(
                "{q}account_provider_provider_account_id_pkey{q} ({q}provider{q}, {q}provider_account_id{q})"
            )) || account.contains(&format!(
                "{q}account_provider_provider_account_id_pkey{q} PRIMARY KEY ({q}provider{q}, {q}provider_account_id{q})"
            )),
            "{account}"
        );
        assert!(account.contains(&format!(
            "FOREIGN KEY ({q}user_id{q}) REFERENCES {q}user{q} ({q}id{q}) ON DELETE CASCADE"
        )));
        let index =
            format!("CREATE INDEX {q}account_user_id_index{q} ON {q}account{q} ({q}user_id{q})");
        assert!(all.contains(&index), "{all:#?}");
    }
}

#[test]
fn d22_snake_case_account_type_column_is_type() {
    for backend in Backend::ALL {
        let q = quote(backend);
        let all = ddl::<snake_case::Schema>(backend);
        let account = create_table(&all, &format!("{q}account{q}"));
        assert!(account.contains(&format!(", {q}type{q} ")), "{account}");
        assert!(!account.contains("account_type"), "{account}");
    }
}

#[test]
fn d23_text_ids() {
    let pg = ddl::<txt::Schema>(Backend::Postgres);
    assert_eq!(
        pg[0],
        r#"CREATE TABLE "User" ( "id" text NOT NULL DEFAULT (gen_random_uuid()), "name" text, "email" text NOT NULL, "emailVerified" timestamp with time zone, "image" text, CONSTRAINT "User_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email") )"#
    );
    assert!(pg[1].starts_with(r#"CREATE TABLE "Account" ( "userId" text NOT NULL, "#));
    let my = ddl::<txt::Schema>(Backend::MySql);
    assert_eq!(
        my[0],
        "CREATE TABLE `User` ( `id` varchar(255) NOT NULL DEFAULT (UUID()), `name` varchar(255), `email` varchar(255) NOT NULL, `emailVerified` DATETIME(3), `image` text, PRIMARY KEY `User_id_pkey` (`id`), UNIQUE KEY `User_email_key` (`email`) ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"
    );
    assert!(my[1].starts_with("CREATE TABLE `Account` ( `userId` varchar(255) NOT NULL, "));
    assert!(my[3].starts_with("CREATE TABLE `Session` ( `userId` varchar(255) NOT NULL, "));
    assert!(my[6].starts_with(
        "CREATE TABLE `Authenticator` ( `credentialID` varchar(255) NOT NULL, `userId` varchar(255) NOT NULL, "
    ));
    let sqlite = ddl::<txt::Schema>(Backend::Sqlite);
    assert_eq!(
        sqlite[0],
        r#"CREATE TABLE "User" ( "id" text NOT NULL, "name" text, "email" text NOT NULL, "emailVerified" text, "image" text, CONSTRAINT "User_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email") )"#
    );
    assert_eq!(
        sqlite,
        ddl::<kysely::Schema>(Backend::Sqlite),
        "uuid ids are text on SQLite too"
    );
}

#[test]
fn d24_varchar36_ids() {
    let pg = ddl::<v36::Schema>(Backend::Postgres);
    assert_eq!(
        pg[0],
        r#"CREATE TABLE "User" ( "id" varchar(36) NOT NULL DEFAULT (gen_random_uuid()), "name" text, "email" text NOT NULL, "emailVerified" timestamp with time zone, "image" text, CONSTRAINT "User_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email") )"#
    );
    assert!(pg[1].starts_with(r#"CREATE TABLE "Account" ( "userId" varchar(36) NOT NULL, "#));
    assert!(pg[3].starts_with(r#"CREATE TABLE "Session" ( "userId" varchar(36) NOT NULL, "#));
    let my = ddl::<v36::Schema>(Backend::MySql);
    assert_eq!(
        my,
        ddl::<kysely::Schema>(Backend::MySql),
        "uuid ids are varchar(36) on MySQL too"
    );
    let sqlite = ddl::<v36::Schema>(Backend::Sqlite);
    assert_eq!(
        sqlite[0],
        r#"CREATE TABLE "User" ( "id" varchar(36) NOT NULL, "name" text, "email" text NOT NULL, "emailVerified" text, "image" text, CONSTRAINT "User_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email") )"#
    );
    assert!(sqlite[6].contains(r#""userId" varchar(36) NOT NULL"#));
}

#[test]
fn d25_postgres_schema_on_postgres() {
    assert_ddl(
        ddl::<qualified::Schema>(Backend::Postgres),
        &[
            r#"CREATE SCHEMA IF NOT EXISTS "auth""#,
            r#"CREATE TABLE "auth"."User" ( "id" uuid NOT NULL DEFAULT (gen_random_uuid()), "name" text, "email" text NOT NULL, "emailVerified" timestamp with time zone, "image" text, CONSTRAINT "User_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email") )"#,
            r#"CREATE TABLE "auth"."Account" ( "userId" uuid NOT NULL, "type" text NOT NULL, "provider" text NOT NULL, "providerAccountId" text NOT NULL, "refresh_token" text, "access_token" text, "expires_at" bigint, "token_type" text, "scope" text, "id_token" text, "session_state" text, CONSTRAINT "Account_provider_providerAccountId_pkey" PRIMARY KEY ("provider", "providerAccountId"), CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "auth"."User" ("id") ON DELETE CASCADE )"#,
            r#"CREATE INDEX "Account_userId_index" ON "auth"."Account" ("userId")"#,
            r#"CREATE TABLE "auth"."Session" ( "userId" uuid NOT NULL, "sessionToken" text NOT NULL, "expires" timestamp with time zone NOT NULL, CONSTRAINT "Session_sessionToken_pkey" PRIMARY KEY ("sessionToken"), CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "auth"."User" ("id") ON DELETE CASCADE )"#,
            r#"CREATE INDEX "Session_userId_index" ON "auth"."Session" ("userId")"#,
            r#"CREATE TABLE "auth"."VerificationToken" ( "identifier" text NOT NULL, "token" text NOT NULL, "expires" timestamp with time zone NOT NULL, CONSTRAINT "VerificationToken_identifier_token_pkey" PRIMARY KEY ("identifier", "token"), CONSTRAINT "VerificationToken_token_key" UNIQUE ("token") )"#,
            r#"CREATE TABLE "auth"."Authenticator" ( "credentialID" text NOT NULL, "userId" uuid NOT NULL, "providerAccountId" text NOT NULL, "credentialPublicKey" text NOT NULL, "counter" bigint NOT NULL, "credentialDeviceType" text NOT NULL, "credentialBackedUp" bool NOT NULL, "transports" text, CONSTRAINT "Authenticator_userId_credentialID_pkey" PRIMARY KEY ("userId", "credentialID"), CONSTRAINT "Authenticator_credentialID_key" UNIQUE ("credentialID"), CONSTRAINT "Authenticator_userId_fkey" FOREIGN KEY ("userId") REFERENCES "auth"."User" ("id") ON DELETE CASCADE )"#,
        ],
    );
}

#[test]
fn d26_postgres_schema_is_ignored_elsewhere() {
    assert_eq!(
        ddl::<qualified::Schema>(Backend::MySql),
        ddl::<kysely::Schema>(Backend::MySql)
    );
    assert_eq!(
        ddl::<qualified::Schema>(Backend::Sqlite),
        ddl::<kysely::Schema>(Backend::Sqlite)
    );
    for backend in [Backend::MySql, Backend::Sqlite] {
        let all = ddl::<qualified::Schema>(backend);
        assert!(
            all.iter()
                .all(|s| !s.contains("SCHEMA") && !s.contains("auth"))
        );
    }
}

#[test]
fn d27_extra_columns() {
    let pg = ddl::<app::Schema>(Backend::Postgres);
    assert_eq!(
        pg[0],
        r#"CREATE TABLE "user" ( "id" uuid NOT NULL DEFAULT (gen_random_uuid()), "name" text, "email" text NOT NULL, "email_verified" timestamp with time zone, "image" text, "phone_number" text, "role" text, "login_count" bigint NOT NULL, "is_admin" bool NOT NULL, "lastSeen" timestamp with time zone, CONSTRAINT "user_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "user_email_key" UNIQUE ("email") )"#
    );
    let my = ddl::<app::Schema>(Backend::MySql);
    assert_eq!(
        my[0],
        "CREATE TABLE `user` ( `id` varchar(36) NOT NULL DEFAULT (UUID()), `name` varchar(255), `email` varchar(255) NOT NULL, `email_verified` DATETIME(3), `image` text, `phone_number` varchar(255), `role` varchar(255), `login_count` bigint NOT NULL, `is_admin` bool NOT NULL, `lastSeen` DATETIME(3), PRIMARY KEY `user_id_pkey` (`id`), UNIQUE KEY `user_email_key` (`email`) ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"
    );
    let sqlite = ddl::<app::Schema>(Backend::Sqlite);
    assert_eq!(
        sqlite[0],
        r#"CREATE TABLE "user" ( "id" text NOT NULL, "name" text, "email" text NOT NULL, "email_verified" text, "image" text, "phone_number" text, "role" text, "login_count" integer NOT NULL, "is_admin" boolean NOT NULL, "lastSeen" text, CONSTRAINT "user_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "user_email_key" UNIQUE ("email") )"#
    );
    // Only the user table has extras.
    for backend in Backend::ALL {
        assert_eq!(
            ddl::<app::Schema>(backend)[1..],
            ddl::<snake_case::Schema>(backend)[1..]
        );
    }
}

#[test]
fn d28_renames_flow_into_keys_and_references() {
    let pg = ddl::<renamed::Schema>(Backend::Postgres);
    assert!(pg[0].starts_with(
        r#"CREATE TABLE "users" ( "id" text NOT NULL DEFAULT (gen_random_uuid()), "name" text, "email" text NOT NULL, "verified_at" timestamp with time zone, "#
    ));
    assert!(pg[0].ends_with(
        r#"CONSTRAINT "users_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "users_email_key" UNIQUE ("email") )"#
    ));
    let account = create_table(&pg, r#""account""#);
    assert!(account.contains(
        r#"CONSTRAINT "account_provider_provider_uid_pkey" PRIMARY KEY ("provider", "provider_uid")"#
    ));
    assert!(account.contains(
        r#"CONSTRAINT "account_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE"#
    ));
    let index = r#"CREATE INDEX "user_sessions_user_id_index" ON "user_sessions" ("user_id")"#;
    assert!(pg.iter().any(|s| s == index));
    let my = ddl::<renamed::Schema>(Backend::MySql);
    assert!(create_table(&my, "`user_sessions`").contains(
        "CONSTRAINT `user_sessions_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE"
    ));
}

#[test]
fn d29_quoted_identifiers_in_tables_and_schema() {
    let pg = ddl::<weird::Schema>(Backend::Postgres);
    assert_eq!(pg[0], r#"CREATE SCHEMA IF NOT EXISTS "sch""ema""#);
    assert!(pg[1].starts_with(
        r#"CREATE TABLE "sch""ema"."Us""er`s" ( "id" varchar(36) NOT NULL DEFAULT (gen_random_uuid()), "name" text, "e`m""ail" text NOT NULL, "#
    ));
    assert!(pg[2].contains(r#"REFERENCES "sch""ema"."Us""er`s" ("id") ON DELETE CASCADE"#));
    let my = ddl::<weird::Schema>(Backend::MySql);
    assert!(my[0].starts_with(
        r#"CREATE TABLE `Us"er``s` ( `id` varchar(36) NOT NULL DEFAULT (UUID()), `name` varchar(255), `e``m"ail` varchar(255) NOT NULL, "#
    ));
    assert!(my[1].contains(r#"REFERENCES `Us"er``s` (`id`) ON DELETE CASCADE"#));
    let sqlite = ddl::<weird::Schema>(Backend::Sqlite);
    assert!(sqlite[0].starts_with(
        r#"CREATE TABLE "Us""er`s" ( "id" varchar(36) NOT NULL, "name" text, "e`m""ail" text NOT NULL, "#
    ));
}

#[test]
fn d30_constraint_names_from_odd_identifiers_need_no_escaping() {
    // Constraint and index names are derived from table and column names; characters other
    // than letters, digits and `_` become `_`, so they are valid on every dialect.
    let pg = ddl::<weird::Schema>(Backend::Postgres);
    assert!(
        pg[1].contains(r#"CONSTRAINT "Us_er_s_id_pkey" PRIMARY KEY ("id"), CONSTRAINT "Us_er_s_e_m_ail_key" UNIQUE ("e`m""ail")"#),
        "{}",
        pg[1]
    );
    let my = ddl::<weird::Schema>(Backend::MySql);
    assert!(
        my[0].contains(
            r#"PRIMARY KEY `Us_er_s_id_pkey` (`id`), UNIQUE KEY `Us_er_s_e_m_ail_key` (`e``m"ail`)"#
        ),
        "{}",
        my[0]
    );
    let sqlite = ddl::<weird::Schema>(Backend::Sqlite);
    assert!(
        sqlite[0].contains(r#"CONSTRAINT "Us_er_s_id_pkey" PRIMARY KEY ("id")"#),
        "{}",
        sqlite[0]
    );
}

// =============================================================================================
// Naming.

#[test]
fn n01_resolve_presets() {
    const NONE: &[Rename] = &[];
    let field = Some("providerAccountId");
    let (kysely, snake) = ("providerAccountId", "provider_account_id");
    assert_eq!(
        resolve(Naming::Kysely, NONE, "User", None, "User", "user"),
        "User"
    );
    assert_eq!(
        resolve(Naming::SnakeCase, NONE, "User", None, "User", "user"),
        "user"
    );
    assert_eq!(
        resolve(Naming::Kysely, NONE, "Account", field, kysely, snake),
        kysely
    );
    assert_eq!(
        resolve(Naming::SnakeCase, NONE, "Account", field, kysely, snake),
        snake
    );
}

#[test]
fn n02_resolve_renames() {
    const RENAMES: &[Rename] = &[
        Rename {
            model: "User",
            field: None,
            to: "users",
        },
        Rename {
            model: "User",
            field: Some("email"),
            to: "mail",
        },
        Rename {
            model: "Session",
            field: Some("Session"),
            to: "never",
        },
        Rename {
            model: "User",
            field: Some("email"),
            to: "second_rename_is_ignored",
        },
    ];
    for naming in [Naming::Kysely, Naming::SnakeCase] {
        // A table rename renames the table only.
        assert_eq!(
            resolve(naming, RENAMES, "User", None, "User", "user"),
            "users"
        );
        assert_eq!(
            resolve(naming, RENAMES, "User", Some("id"), "id", "id"),
            "id"
        );
        // A column rename applies to its model only, and the first match wins.
        let email = resolve(naming, RENAMES, "User", Some("email"), "email", "email");
        assert_eq!(email, "mail");
        let other = resolve(naming, RENAMES, "Account", Some("email"), "email", "email");
        assert_eq!(other, "email");
        // A column rename never renames a table, even one named like the field.
        let session = resolve(naming, RENAMES, "Session", None, "Session", "session");
        assert_ne!(session, "never");
    }
    // Model and field names are case-sensitive.
    assert_eq!(
        resolve(Naming::Kysely, RENAMES, "user", None, "user", "user"),
        "user"
    );
    // Resolution is const, as the schema macro needs.
    const RESOLVED: &str = resolve(
        Naming::SnakeCase,
        RENAMES,
        "User",
        Some("email"),
        "email",
        "email",
    );
    assert_eq!(RESOLVED, "mail");
}

fn physical_names(info: &TableInfo) -> Vec<&'static str> {
    info.all_columns().map(|c| c.name).collect()
}

#[test]
fn n03_physical_names_of_the_stock_schemas() {
    let k = tables::<kysely::Schema>();
    assert_eq!(
        k.map(|t| t.name),
        [
            "User",
            "Account",
            "Session",
            "VerificationToken",
            "Authenticator"
        ]
    );
    assert_eq!(
        physical_names(k[0]),
        ["id", "name", "email", "emailVerified", "image"]
    );
    assert_eq!(
        physical_names(k[1]),
        [
            "userId",
            "type",
            "provider",
            "providerAccountId",
            "refresh_token",
            "access_token",
            "expires_at",
            "token_type",
            "scope",
            "id_token",
            "session_state"
        ]
    );
    assert_eq!(physical_names(k[2]), ["userId", "sessionToken", "expires"]);
    assert_eq!(physical_names(k[3]), ["identifier", "token", "expires"]);
    assert_eq!(
        physical_names(k[4]),
        [
            "credentialID",
            "userId",
            "providerAccountId",
            "credentialPublicKey",
            "counter",
            "credentialDeviceType",
            "credentialBackedUp",
            "transports"
        ]
    );
    let s = tables::<snake_case::Schema>();
    assert_eq!(
        s.map(|t| t.name),
        [
            "user",
            "account",
            "session",
            "verification_token",
            "authenticator"
        ]
    );
    assert_eq!(
        physical_names(s[0]),
        ["id", "name", "email", "email_verified", "image"]
    );
    assert_eq!(
        physical_names(s[2]),
        ["user_id", "session_token", "expires"]
    );
    assert_eq!(physical_names(s[3]), ["identifier", "token", "expires"]);
    assert_eq!(
        physical_names(s[4]),
        [
            "credential_id",
            "user_id",
            "provider_account_id",
            "credential_public_key",
            "counter",
            "credential_device_type",
            "credential_backed_up",
            "transports"
        ]
    );
    assert_eq!(s[1].primary_key, ["provider", "provider_account_id"]);
    for info in k.iter().chain(s.iter()) {
        assert_eq!(info.postgres_schema, None);
        assert!(info.extras.is_empty());
    }
}

#[test]
fn n04_table_metadata() {
    let [user, account, session, vt, authenticator] = tables::<kysely::Schema>();
    assert_eq!(user.primary_key, ["id"]);
    assert_eq!(user.unique, [&["email"][..]]);
    assert!(user.indexes.is_empty() && user.foreign_keys.is_empty());
    assert_eq!(account.primary_key, ["provider", "providerAccountId"]);
    assert_eq!(account.indexes, [&["userId"][..]]);
    assert_eq!(session.primary_key, ["sessionToken"]);
    assert_eq!(session.indexes, [&["userId"][..]]);
    assert_eq!(vt.primary_key, ["identifier", "token"]);
    assert_eq!(vt.unique, [&["token"][..]]);
    assert!(vt.foreign_keys.is_empty());
    assert_eq!(authenticator.primary_key, ["userId", "credentialID"]);
    assert_eq!(authenticator.unique, [&["credentialID"][..]]);
    for info in [account, session, authenticator] {
        assert_eq!(info.foreign_keys.len(), 1);
        let fk = info.foreign_keys[0];
        assert_eq!(
            (fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete),
            (
                &["userId"][..],
                "User",
                &["id"][..],
                auth_schema::FkAction::Cascade
            )
        );
    }
    // Renamed tables and columns flow into keys and references.
    let r = tables::<renamed::Schema>();
    assert_eq!(r[1].primary_key, ["provider", "provider_uid"]);
    assert_eq!(
        (r[2].name, r[2].foreign_keys[0].ref_table),
        ("user_sessions", "users")
    );
    assert_eq!(qualified::user::table::INFO.postgres_schema, Some("auth"));
    assert_eq!(
        qualified::session::table::INFO.postgres_schema,
        Some("auth")
    );
}

#[test]
fn n05_column_types_nullability_defaults() {
    use kysely::{account, authenticator, user};
    let id = <user::id as Column>::INFO;
    assert_eq!(
        (id.ty, id.nullable, id.default),
        (
            ColumnType::Id(IdType::Uuid),
            false,
            Some(ColumnDefault::RandomUuid)
        )
    );
    assert_eq!(
        <account::user_id as Column>::INFO.ty,
        ColumnType::Id(IdType::Uuid)
    );
    assert_eq!(<account::user_id as Column>::INFO.default, None);
    assert_eq!(
        <v36::user::id as Column>::INFO.ty,
        ColumnType::Id(IdType::Varchar36)
    );
    assert_eq!(
        <txt::session::user_id as Column>::INFO.ty,
        ColumnType::Id(IdType::Text)
    );
    assert_eq!(
        <user::email_verified as Column>::INFO.ty,
        ColumnType::Timestamp
    );
    let nullable = [
        <user::email_verified as Column>::INFO.nullable,
        <user::email as Column>::INFO.nullable,
    ];
    assert_eq!(nullable, [true, false]);
    assert_eq!(<user::image as Column>::INFO.ty, ColumnType::LongText);
    for col in [
        <account::refresh_token as Column>::INFO,
        <account::access_token as Column>::INFO,
        <account::id_token as Column>::INFO,
        <account::scope as Column>::INFO,
        <account::session_state as Column>::INFO,
    ] {
        assert_eq!(
            (col.ty, col.nullable),
            (ColumnType::LongText, true),
            "{}",
            col.name
        );
    }
    assert_eq!(<account::token_type as Column>::INFO.ty, ColumnType::Text);
    assert_eq!(<account::expires_at as Column>::INFO.ty, ColumnType::BigInt);
    assert_eq!(
        <authenticator::counter as Column>::INFO.ty,
        ColumnType::BigInt
    );
    assert_eq!(
        <authenticator::credential_backed_up as Column>::INFO.ty,
        ColumnType::Bool
    );
    let phone = <user_extra::phone_number as Column>::INFO;
    assert_eq!(
        (phone.name, phone.field, phone.ty, phone.nullable),
        ("phone_number", "phoneNumber", ColumnType::Text, true)
    );
    let seen = <user_extra::last_seen as Column>::INFO;
    assert_eq!(
        (seen.name, seen.field, seen.ty),
        ("lastSeen", "lastSeen", ColumnType::Timestamp)
    );
    let count = <user_extra::login_count as Column>::INFO;
    assert_eq!((count.ty, count.nullable), (ColumnType::BigInt, false));
}

// ---------------------------------------------------------------------------------------------
// The `field` of every column is the serde name of its row struct's field, in row order.

fn ts() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2025, 1, 31)
        .unwrap()
        .and_hms_milli_opt(12, 34, 56, 789)
        .unwrap()
        .and_utc()
}

/// The keys of a serialized struct, in serialization order.
fn serde_keys<T: serde::Serialize>(row: &T) -> Vec<String> {
    let text = serde_json::to_string(row).unwrap();
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut keys: Vec<(usize, String)> = map
        .keys()
        .map(|k| {
            let quoted = format!("{}:", serde_json::to_string(k).unwrap());
            (text.find(&quoted).unwrap(), k.clone())
        })
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

fn fields(info: &TableInfo) -> Vec<String> {
    info.all_columns().map(|c| c.field.to_owned()).collect()
}

fn user_row() -> User {
    User {
        id: "u1".into(),
        name: Some("Ada".into()),
        email: "a@b.c".into(),
        email_verified: Some(ts()),
        image: None,
        extra: Default::default(),
    }
}

fn account_row() -> Account {
    Account {
        user_id: "u1".into(),
        account_type: "oauth".into(),
        provider: "github".into(),
        provider_account_id: "42".into(),
        refresh_token: None,
        access_token: Some("t".into()),
        expires_at: Some(1),
        token_type: None,
        scope: None,
        id_token: None,
        session_state: None,
        extra: Default::default(),
    }
}

fn session_row() -> Session {
    Session {
        user_id: "u1".into(),
        session_token: "s".into(),
        expires: ts(),
        extra: Default::default(),
    }
}

fn verification_token_row() -> VerificationToken {
    VerificationToken {
        identifier: "a@b.c".into(),
        token: "h".into(),
        expires: ts(),
        extra: Default::default(),
    }
}

fn authenticator_row() -> Authenticator {
    Authenticator {
        credential_id: "c".into(),
        user_id: "u1".into(),
        provider_account_id: "p".into(),
        credential_public_key: "k".into(),
        counter: 0,
        credential_device_type: "singleDevice".into(),
        credential_backed_up: true,
        transports: None,
        extra: Default::default(),
    }
}

#[test]
fn n10_column_fields_are_the_serde_names() {
    let all = tables::<kysely::Schema>()
        .into_iter()
        .chain(tables::<snake_case::Schema>())
        .chain(tables::<renamed::Schema>());
    for info in all {
        let keys = match info.model {
            "User" => serde_keys(&user_row()),
            "Account" => serde_keys(&account_row()),
            "Session" => serde_keys(&session_row()),
            "VerificationToken" => serde_keys(&verification_token_row()),
            "Authenticator" => serde_keys(&authenticator_row()),
            other => panic!("unknown model {other}"),
        };
        assert_eq!(keys, fields(info), "{} ({})", info.model, info.name);
    }
}

#[test]
fn n11_fields_do_not_follow_renames_or_presets() {
    // Physical names change with the preset and renames; the Auth.js field names never do.
    for (a, b) in tables::<renamed::Schema>()
        .into_iter()
        .zip(tables::<kysely::Schema>())
    {
        assert_eq!(fields(a), fields(b));
        assert_eq!(a.model, b.model);
    }
    assert_eq!(
        <renamed::user::email_verified as Column>::INFO.field,
        "emailVerified"
    );
    assert_eq!(
        <renamed::user::email_verified as Column>::INFO.name,
        "verified_at"
    );
}

#[test]
fn n12_extra_column_fields_are_the_serde_names() {
    let user: User<UserExtras> = User {
        id: "u1".into(),
        name: None,
        email: "a@b.c".into(),
        email_verified: None,
        image: None,
        extra: UserExtras {
            phone_number: Some("+1".into()),
            role: None,
            login_count: 2,
            is_admin: false,
            last_seen: Some(ts()),
        },
    };
    let info = &app::user::table::INFO;
    assert_eq!(serde_keys(&user), fields(info));
    assert_eq!(
        info.extras.iter().map(|c| c.name).collect::<Vec<_>>(),
        [
            "phone_number",
            "role",
            "login_count",
            "is_admin",
            "lastSeen"
        ]
    );
}

#[test]
fn n13_row_encoding_follows_column_order() {
    fn width(info: &TableInfo) -> usize {
        info.all_columns().count()
    }
    let mut out = Vec::new();
    user_row().encode(&mut out);
    assert_eq!(out.len(), width(&kysely::user::table::INFO));
    assert_eq!(out[2], Value::Text("a@b.c".into()));
    assert_eq!(out[3], Value::Timestamp(ts()));
    let mut out = Vec::new();
    account_row().encode(&mut out);
    assert_eq!(out.len(), width(&kysely::account::table::INFO));
    assert_eq!(out[3], Value::Text("42".into()));
    assert_eq!(out[6], Value::Int(1));
    let mut out = Vec::new();
    authenticator_row().encode(&mut out);
    assert_eq!(out.len(), width(&kysely::authenticator::table::INFO));
    assert_eq!(out[6], Value::Bool(true));
}

// ---------------------------------------------------------------------------------------------
// Every SQL type of `auth_schema::sql`, NOT NULL and nullable, with a default of each kind.

/// A typed JSON document for a `Json<T>` column.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Prefs {
    pub theme: String,
}

auth_schema::table! {
    /// One column of every SQL type.
    pub mod every_type {
        id: BigInt = identity,
        small: SmallInt,
        int: Integer,
        big: BigInt,
        real: Real,
        double: Double,
        flag: Bool,
        short_text: Text,
        long_text: LongText,
        code: Varchar<8>,
        at: Timestamp,
        naive_at: NaiveTimestamp,
        day: Date,
        clock: Time,
        uid: Uuid<uuid::Uuid>,
        sid: Uuid,
        json: Json,
        prefs: Json<Prefs>,
        bytes: Bytes,
        n_small: Nullable<SmallInt>,
        n_int: Nullable<Integer>,
        n_big: Nullable<BigInt>,
        n_real: Nullable<Real>,
        n_double: Nullable<Double>,
        n_flag: Nullable<Bool>,
        n_short_text: Nullable<Text>,
        n_long_text: Nullable<LongText>,
        n_code: Nullable<Varchar<8>>,
        n_at: Nullable<Timestamp>,
        n_naive_at: Nullable<NaiveTimestamp>,
        n_day: Nullable<Date>,
        n_clock: Nullable<Time>,
        n_uid: Nullable<Uuid<uuid::Uuid>>,
        n_sid: Nullable<Uuid>,
        n_json: Nullable<Json>,
        n_prefs: Nullable<Json<Prefs>>,
        n_bytes: Nullable<Bytes>,
    }
    primary_key(id);
}

auth_schema::table! {
    /// A default of each kind on each type that takes one.
    pub mod defaults {
        id: Uuid = random_uuid,
        small: SmallInt = default(-3),
        int: Integer = default(7),
        big: BigInt = default(9_000_000_000),
        real: Real = default(1.5),
        double: Double = default(-0.25),
        flag: Bool = default(true),
        short_text: Text = default("it's"),
        code: Varchar<8> = default(""),
        at: Timestamp = now,
        naive_at: NaiveTimestamp = now,
        day: Date = sql("'2024-01-01'"),
    }
    primary_key(id);
}

/// The column definitions of `CREATE TABLE` for `info`, one per line, without the table's name
/// and constraints.
fn columns_of(info: &TableInfo, backend: Backend) -> Vec<String> {
    let sql = auth_schema::ddl::create_table_sql(info, backend).remove(0);
    let open = sql.find('(').unwrap();
    let body = &sql[open + 1..sql.rfind(')').unwrap()];
    // Split on the commas between columns (none of these definitions holds a comma inside
    // parentheses except the primary key, which is dropped).
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in body.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    out.retain(|c| !c.starts_with("CONSTRAINT") && !c.starts_with("PRIMARY KEY"));
    out
}

/// Every SQL type, NOT NULL and nullable, as each dialect declares it: the column definitions
/// one by one (so a failure names the type), then the whole statement.
#[test]
fn d40_every_type_per_dialect() {
    // (column, PostgreSQL, MySQL, SQLite), NOT NULL; the nullable twin drops `NOT NULL`.
    let types: &[(&str, &str, &str, &str)] = &[
        ("small", "smallint", "smallint", "integer"),
        ("int", "integer", "int", "integer"),
        ("big", "bigint", "bigint", "integer"),
        ("real", "real", "float", "real"),
        ("double", "double precision", "double", "real"),
        ("flag", "bool", "bool", "boolean"),
        ("short_text", "text", "varchar(255)", "text"),
        ("long_text", "text", "text", "text"),
        ("code", "varchar(8)", "varchar(8)", "varchar(8)"),
        ("at", "timestamp with time zone", "DATETIME(3)", "text"),
        ("naive_at", "timestamp", "datetime(6)", "text"),
        ("day", "date", "date", "text"),
        ("clock", "time", "time(6)", "text"),
        ("uid", "uuid", "varchar(36)", "text"),
        ("sid", "uuid", "varchar(36)", "text"),
        ("json", "jsonb", "json", "text"),
        ("prefs", "jsonb", "json", "text"),
        ("bytes", "bytea", "longblob", "blob"),
    ];
    for (i, backend) in [Backend::Postgres, Backend::MySql, Backend::Sqlite]
        .into_iter()
        .enumerate()
    {
        let q = quote(backend);
        let mut expected = vec![match backend {
            Backend::Postgres => {
                r#""id" bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY"#.to_string()
            }
            Backend::MySql => "`id` bigint NOT NULL AUTO_INCREMENT".to_string(),
            Backend::Sqlite => r#""id" integer NOT NULL"#.to_string(),
        }];
        let ty = |t: &(&str, &'static str, &'static str, &'static str)| [t.1, t.2, t.3][i];
        for t in types {
            expected.push(format!("{q}{}{q} {} NOT NULL", t.0, ty(t)));
        }
        for t in types {
            expected.push(format!("{q}n_{}{q} {}", t.0, ty(t)));
        }
        let got = columns_of(&every_type::table::INFO, backend);
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g, e, "{backend:?}");
        }
        assert_eq!(got.len(), expected.len(), "{backend:?}");
    }

    // The whole statements, with the primary key and MySQL's table options.
    let pg = auth_schema::ddl::create_table_sql(&every_type::table::INFO, Backend::Postgres);
    assert_eq!(pg.len(), 1);
    assert!(pg[0].starts_with(r#"CREATE TABLE "every_type" ( "id" bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY, "small" smallint NOT NULL,"#), "{}", pg[0]);
    assert!(
        pg[0].ends_with(
            r#", "n_bytes" bytea, CONSTRAINT "every_type_id_pkey" PRIMARY KEY ("id") )"#
        ),
        "{}",
        pg[0]
    );
    let my = auth_schema::ddl::create_table_sql(&every_type::table::INFO, Backend::MySql);
    assert!(my[0].starts_with("CREATE TABLE `every_type` ( `id` bigint NOT NULL AUTO_INCREMENT, `small` smallint NOT NULL,"), "{}", my[0]);
    assert!(my[0].ends_with(", `n_bytes` longblob, PRIMARY KEY `every_type_id_pkey` (`id`) ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"), "{}", my[0]);
    let lite = auth_schema::ddl::create_table_sql(&every_type::table::INFO, Backend::Sqlite);
    // `integer` and a one-column primary key: the rowid, numbered by SQLite.
    assert!(
        lite[0].starts_with(
            r#"CREATE TABLE "every_type" ( "id" integer NOT NULL, "small" integer NOT NULL,"#
        ),
        "{}",
        lite[0]
    );
    assert!(
        lite[0]
            .ends_with(r#", "n_bytes" blob, CONSTRAINT "every_type_id_pkey" PRIMARY KEY ("id") )"#),
        "{}",
        lite[0]
    );
}

/// A default of each kind, per dialect.
#[test]
fn d41_defaults_of_every_kind_per_dialect() {
    assert_ddl(
        auth_schema::ddl::create_table_sql(&defaults::table::INFO, Backend::Postgres),
        &[concat!(
            r#"CREATE TABLE "defaults" ( "id" uuid NOT NULL DEFAULT (gen_random_uuid()), "#,
            r#""small" smallint NOT NULL DEFAULT -3, "int" integer NOT NULL DEFAULT 7, "#,
            r#""big" bigint NOT NULL DEFAULT 9000000000, "real" real NOT NULL DEFAULT 1.5, "#,
            r#""double" double precision NOT NULL DEFAULT -0.25, "flag" bool NOT NULL DEFAULT TRUE, "#,
            r#""short_text" text NOT NULL DEFAULT E'it\'s', "code" varchar(8) NOT NULL DEFAULT '', "#,
            r#""at" timestamp with time zone NOT NULL DEFAULT (now()), "#,
            r#""naive_at" timestamp NOT NULL DEFAULT (now()), "#,
            r#""day" date NOT NULL DEFAULT ('2024-01-01'), "#,
            r#"CONSTRAINT "defaults_id_pkey" PRIMARY KEY ("id") )"#
        )],
    );
    assert_ddl(
        auth_schema::ddl::create_table_sql(&defaults::table::INFO, Backend::MySql),
        &[concat!(
            "CREATE TABLE `defaults` ( `id` varchar(36) NOT NULL DEFAULT (UUID()), ",
            "`small` smallint NOT NULL DEFAULT -3, `int` int NOT NULL DEFAULT 7, ",
            "`big` bigint NOT NULL DEFAULT 9000000000, `real` float NOT NULL DEFAULT 1.5, ",
            "`double` double NOT NULL DEFAULT -0.25, `flag` bool NOT NULL DEFAULT TRUE, ",
            "`short_text` varchar(255) NOT NULL DEFAULT 'it\\'s', `code` varchar(8) NOT NULL DEFAULT '', ",
            "`at` DATETIME(3) NOT NULL DEFAULT (CURRENT_TIMESTAMP(3)), ",
            "`naive_at` datetime(6) NOT NULL DEFAULT (CURRENT_TIMESTAMP(6)), ",
            "`day` date NOT NULL DEFAULT ('2024-01-01'), ",
            "PRIMARY KEY `defaults_id_pkey` (`id`) ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"
        )],
    );
    assert_ddl(
        auth_schema::ddl::create_table_sql(&defaults::table::INFO, Backend::Sqlite),
        &[concat!(
            // SQLite has no UUID function: the id has no default there.
            r#"CREATE TABLE "defaults" ( "id" text NOT NULL, "#,
            r#""small" integer NOT NULL DEFAULT -3, "int" integer NOT NULL DEFAULT 7, "#,
            r#""big" integer NOT NULL DEFAULT 9000000000, "real" real NOT NULL DEFAULT 1.5, "#,
            r#""double" real NOT NULL DEFAULT -0.25, "flag" boolean NOT NULL DEFAULT TRUE, "#,
            r#""short_text" text NOT NULL DEFAULT 'it''s', "code" varchar(8) NOT NULL DEFAULT '', "#,
            r#""at" text NOT NULL DEFAULT ((strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))), "#,
            r#""naive_at" text NOT NULL DEFAULT ((strftime('%Y-%m-%dT%H:%M:%f', 'now'))), "#,
            r#""day" text NOT NULL DEFAULT ('2024-01-01'), "#,
            r#"CONSTRAINT "defaults_id_pkey" PRIMARY KEY ("id") )"#
        )],
    );
}
