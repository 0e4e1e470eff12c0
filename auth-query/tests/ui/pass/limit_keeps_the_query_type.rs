// A LIMIT can be added conditionally: outside a correlated subquery it keeps the query's type.
// An uncorrelated IN subquery with LIMIT is fine on MySQL (it is wrapped in a derived table).
use auth_query::prelude::*;
use auth_schema::kysely::{account, user};

fn page(size: Option<u64>) -> String {
    let mut q = MySql.select_from(user::table).select(user::email);
    if let Some(n) = size {
        q = q.limit(n).offset(0);
    }
    q.compile().sql().to_string()
}

fn main() {
    let _ = page(Some(10));
    let _ = MySql.select_from(user::table).select(user::email).filter(
        user::id.in_sub(MySql.select_from(account::table).select(account::user_id).limit(1)),
    );
    let _ = Postgres.select_from(user::table).select(user::email).filter(
        user::id.in_sub(
            Postgres
                .subquery_from(account::table)
                .select(account::user_id)
                .filter(account::user_id.eq_col(user::id))
                .limit(1),
        ),
    );
}
