//! placeholder smoke
use auth_query::prelude::*;
use auth_schema::kysely::{user, session};

#[tokio::test]
async fn smoke() {
    let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
    for s in auth_schema::ddl::create_schema::<auth_schema::kysely::Schema>(auth_schema::Backend::Sqlite) {
        sqlx::query(sqlx::AssertSqlSafe(s)).execute(&pool).await.unwrap();
    }
    let now = chrono::Utc::now();
    Sqlite.insert_into(user::table).values(auth_schema::NewUser { id: Some("u1".into()), name: None, email: "a@b.c".into(), email_verified: Some(now), image: None, extra: Default::default() }).execute(&pool).await.unwrap();
    let u = Sqlite.select_from(user::table).select(user::table.all()).filter(user::id.eq("u1")).fetch_one(&pool).await.unwrap();
    println!("{u:?}");
    assert_eq!(u.email_verified.unwrap().timestamp_millis(), now.timestamp_millis());
    let r = Sqlite.select_from(user::table).left_join(session::table, session::user_id.eq_col(user::id)).select((user::email, session::table.all())).fetch_all(&pool).await.unwrap();
    println!("{r:?}");
    let d = Sqlite.delete_from(user::table).filter(user::id.eq("u1")).returning(user::email).fetch_all(&pool).await.unwrap();
    assert_eq!(d, vec!["a@b.c".to_string()]);
}
