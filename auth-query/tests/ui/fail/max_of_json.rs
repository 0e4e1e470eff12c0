// Guards: JSON has no order, so no MIN or MAX (PostgreSQL has none for jsonb).
use auth_query::{max, prelude::*};

auth_schema::table! {
    pub mod doc {
        id: BigInt,
        body: Json,
    }
    primary_key(id);
}

fn main() {
    let _ = Postgres.select_from(doc::table).select(max(doc::body));
}
