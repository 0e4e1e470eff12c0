// Guards: a custom schema whose Account.userId SQL type differs from User.id is rejected.
use auth_schema::{AuthSchema, DistinctFrom};

auth_schema::schema! {
    mod uuid_ids {
        naming: Kysely,
        id: Uuid,
    }
}

auth_schema::schema! {
    mod text_ids {
        naming: Kysely,
        id: Text,
    }
}

// Tables of two modules are not known to differ; declare it, so only the id types disagree.
impl DistinctFrom<text_ids::account::table> for uuid_ids::user::table {}
impl DistinctFrom<uuid_ids::user::table> for text_ids::account::table {}

struct Mixed;

impl AuthSchema for Mixed {
    type User = uuid_ids::user::table;
    type Account = text_ids::account::table;
    type Session = uuid_ids::session::table;
    type VerificationToken = uuid_ids::verification_token::table;
    type Authenticator = uuid_ids::authenticator::table;
}

// Every `AuthSchema` is a `Database` (the set of tables DDL and migrations work on).
impl auth_schema::Database for Mixed {
    fn tables() -> Vec<&'static auth_schema::TableInfo> {
        Vec::new()
    }
}

fn main() {}
