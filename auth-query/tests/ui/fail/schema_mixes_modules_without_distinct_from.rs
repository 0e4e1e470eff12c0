// Guards: an `AuthSchema` mixing tables of two `schema!` modules must declare them distinct; the
// message says so (not "already in scope for this query").
use auth_schema::AuthSchema;

auth_schema::schema! {
    mod first {
        naming: Kysely,
        id: Uuid,
    }
}

auth_schema::schema! {
    mod second {
        naming: SnakeCase,
        id: Uuid,
    }
}

struct Mixed;

impl AuthSchema for Mixed {
    type User = first::user::table;
    type Account = first::account::table;
    type Session = second::session::table;
    type VerificationToken = first::verification_token::table;
    type Authenticator = first::authenticator::table;
}

// Every `AuthSchema` is a `Database` (the set of tables DDL and migrations work on).
impl auth_schema::Database for Mixed {
    fn tables() -> Vec<&'static auth_schema::TableInfo> {
        Vec::new()
    }
}

fn main() {}
