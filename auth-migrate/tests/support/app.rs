//! An application's database: the Auth.js tables and five tables of its own, with most SQL
//! types, every kind of default, a composite primary key, unique keys, indexes, a self-reference,
//! a cycle of foreign keys, foreign keys to `User` and between the app's tables with each
//! `ON DELETE` action, a table in another Postgres schema, and a camelCase table name.
#![allow(dead_code)]

auth_schema::schema! {
    /// The stock Auth.js tables.
    pub mod auth {
        naming: Kysely,
        id: Uuid,
    }
}

auth_schema::table! {
    /// Teams: a tree (a self-reference), owned by a user, and a cycle with `project`.
    pub mod team {
        id: BigInt = identity,
        name: Varchar<80>,
        slug: Text,
        parent_id: Nullable<BigInt>,
        owner_id: Nullable<Uuid>,
        default_project_id: Nullable<Integer>,
        active: Bool = default(true),
        created_at: Timestamp = now,
        settings: Nullable<Json> = default("{}"),
    }
    primary_key(id);
    unique(slug);
    foreign_key(parent_id) references team(id) on_delete(set_null);
    foreign_key(owner_id) references auth::user(id) on_delete(set_null);
    foreign_key(default_project_id) references project(id) on_delete(set_null);
}

auth_schema::table! {
    /// Projects of a team.
    pub mod project {
        id: Integer = identity,
        team_id: BigInt,
        title as "projectTitle": Varchar<120> = default("untitled"),
        budget: Double = default(-2.25),
        ratio: Real = default(1.5),
        starts_on: Date = default("2024-01-02"),
        daily_at: Nullable<Time> = default("12:30:00"),
        status: Varchar<20> = sql("'draft'"),
    }
    primary_key(id);
    unique(team_id, title);
    foreign_key(team_id) references team(id) on_delete(cascade);
}

auth_schema::table! {
    /// Who is in which team: a composite primary key.
    pub mod membership {
        team_id: BigInt,
        user_id: Uuid,
        role: SmallInt = default(0),
        weight: SmallInt = default(-3),
        note: Nullable<LongText>,
        joined_at: NaiveTimestamp = now,
    }
    primary_key(team_id, user_id);
    index(user_id, joined_at);
    foreign_key(team_id) references team(id) on_delete(cascade);
    foreign_key(user_id) references auth::user(id) on_delete(restrict);
}

auth_schema::table! {
    /// API keys: a camelCase table, bytes, and `SET DEFAULT` (InnoDB keeps `RESTRICT`).
    pub mod api_key as "apiKey" {
        id: Uuid = random_uuid,
        user_id as "userId": Uuid,
        team_id as "teamId": BigInt = default(0),
        label: Varchar<60> = default("it's mine"),
        secret_hash: Bytes,
        uses: BigInt = default(-9007199254740993),
        last_used: Nullable<Timestamp>,
        expires: Nullable<NaiveTimestamp>,
        revoked: Bool = default(false),
    }
    primary_key(id);
    unique(user_id, label);
    index(expires);
    foreign_key(user_id) references auth::user(id) on_delete(cascade);
    foreign_key(team_id) references team(id) on_delete(set_default);
}

auth_schema::table! {
    /// Grants, in the Postgres schema `app`: a composite foreign key, `NO ACTION`.
    pub mod grant in "app" {
        id: BigInt = identity,
        team_id: BigInt,
        user_id: Uuid,
        scope: Varchar<20> = default("read"),
        granted_by: Nullable<Uuid>,
    }
    primary_key(id);
    index(granted_by);
    foreign_key(team_id, user_id) references membership(team_id, user_id) on_delete(no_action);
    foreign_key(granted_by) references auth::user(id);
}

auth_schema::database! {
    /// The whole database.
    pub struct AppDb {
        auth: auth,
        tables: [team, project, membership, api_key, grant],
    }
}

/// An older version of the same database, for the planner's way from one to the other.
pub mod v1 {
    pub use super::auth;

    auth_schema::table! {
        /// No settings yet, no unique slug, a wider name, no identity.
        pub mod team {
            id: BigInt,
            name: Text,
            slug: Text,
            parent_id: Nullable<BigInt>,
            owner_id: Nullable<Uuid>,
            default_project_id: Nullable<Integer>,
            active: Bool = default(false),
            created_at: Timestamp,
        }
        primary_key(id);
        foreign_key(parent_id) references team(id) on_delete(cascade);
        foreign_key(owner_id) references auth::user(id) on_delete(cascade);
    }

    auth_schema::table! {
        /// A float budget, a nullable status without default, an old `summary` column.
        pub mod project {
            id: Integer = identity,
            team_id: BigInt,
            title as "projectTitle": Varchar<60>,
            budget: Real,
            ratio: Real = default(1.5),
            starts_on: Date = default("2023-12-31"),
            status: Nullable<Varchar<20>>,
            summary: Nullable<LongText>,
        }
        primary_key(id);
        index(team_id, title);
        foreign_key(team_id) references team(id) on_delete(cascade);
    }

    auth_schema::table! {
        /// No index, a wider role, other actions.
        pub mod membership {
            team_id: BigInt,
            user_id: Uuid,
            role: Integer = default(1),
            joined_at: NaiveTimestamp,
        }
        primary_key(team_id, user_id);
        foreign_key(team_id) references team(id) on_delete(no_action);
        foreign_key(user_id) references auth::user(id) on_delete(cascade);
    }

    auth_schema::database! {
        /// Version 1: no API keys or grants yet.
        pub struct AppDb {
            auth: auth,
            tables: [team, project, membership],
        }
    }
}
