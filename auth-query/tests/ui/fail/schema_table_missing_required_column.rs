// Guards: a hand-written User table that does not declare the Auth.js columns is rejected.
use auth_schema::{AuthSchema, Table, TableInfo, User, kysely};

#[derive(Debug, Clone, Copy, Default)]
struct Users;

impl Table for Users {
    const NAME: &'static str = "users";
    const POSTGRES_SCHEMA: Option<&'static str> = None;
    const PRESENCE_COLUMN: usize = 0;
    type Row = User;
    const INFO: TableInfo = TableInfo {
        name: "users",
        model: "User",
        postgres_schema: None,
        columns: &[],
        extras: &[],
        primary_key: &[],
        unique: &[],
        indexes: &[],
        foreign_keys: &[],
    };
}

struct MySchema;

impl AuthSchema for MySchema {
    type User = Users;
    type Account = kysely::account::table;
    type Session = kysely::session::table;
    type VerificationToken = kysely::verification_token::table;
    type Authenticator = kysely::authenticator::table;
}

// Every `AuthSchema` is a `Database` (the set of tables DDL and migrations work on).
impl auth_schema::Database for MySchema {
    fn tables() -> Vec<&'static auth_schema::TableInfo> {
        Vec::new()
    }
}

fn main() {}
