use auth_query::prelude::*;
use auth_schema::kysely::{user, session};

#[tokio::test]
async fn smoke() {
    let pool = sqlx::PgPool::connect(&std::env::var("DATABASE_URL_POSTGRES").unwrap()).await.unwrap();
    sqlx::query("DROP SCHEMA public CASCADE").execute(&pool).await.unwrap();
    sqlx::query("CREATE SCHEMA public").execute(&pool).await.unwrap();
    for s in auth_schema::ddl::create_schema::<auth_schema::kysely::Schema>(auth_schema::Backend::Postgres) {
        sqlx::query(sqlx::AssertSqlSafe(s)).execute(&pool).await.unwrap();
    }
    let now = chrono::Utc::now();
    let id = uuid::Uuid::new_v4().to_string();
    Postgres.insert_into(user::table).values(auth_schema::NewUser { id: Some(id.clone()), name: None, email: "a@b.c".into(), email_verified: Some(now), image: None, extra: Default::default() }).execute(&pool).await.unwrap();
    let u = Postgres.select_from(user::table).select(user::table.all()).filter(user::id.eq(&id)).fetch_one(&pool).await.unwrap();
    assert_eq!(u.email_verified.unwrap().timestamp_millis(), now.timestamp_millis());
    let none = Postgres.select_from(user::table).select(user::id).filter(user::id.eq("not-a-uuid")).fetch_all(&pool).await.unwrap();
    assert!(none.is_empty());
    let r = Postgres.select_from(user::table).left_join(session::table, session::user_id.eq_col(user::id)).select((user::email, session::table.all())).fetch_all(&pool).await.unwrap();
    println!("{r:?}");
    let n = Postgres.select_from(user::table).count().fetch_one(&pool).await.unwrap();
    assert_eq!(n, 1);
    let d = Postgres.delete_from(user::table).filter(user::id.eq(&id)).returning(user::email).fetch_all(&pool).await.unwrap();
    assert_eq!(d, vec!["a@b.c".to_string()]);
}
