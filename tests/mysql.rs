use auth_query::prelude::*;
use auth_schema::kysely::{user, session};

#[tokio::test]
async fn smoke() {
    let pool = sqlx::MySqlPool::connect(&std::env::var("DATABASE_URL_MYSQL").unwrap()).await.unwrap();
    for t in ["Authenticator", "VerificationToken", "Session", "Account", "User"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS `{t}`"))).execute(&pool).await.unwrap();
    }
    for s in auth_schema::ddl::create_schema::<auth_schema::kysely::Schema>(auth_schema::Backend::MySql) {
        sqlx::query(sqlx::AssertSqlSafe(s)).execute(&pool).await.unwrap();
    }
    let now = chrono::Utc::now();
    let id = uuid::Uuid::new_v4().to_string();
    MySql.insert_into(user::table).values(auth_schema::NewUser { id: Some(id.clone()), name: None, email: "a@b.c".into(), email_verified: Some(now), image: None, extra: Default::default() }).execute(&pool).await.unwrap();
    let u = MySql.select_from(user::table).select(user::table.all()).filter(user::id.eq(&id)).fetch_one(&pool).await.unwrap();
    assert_eq!(u.email_verified.unwrap().timestamp_millis(), now.timestamp_millis());
    let r = MySql.select_from(user::table).left_join(session::table, session::user_id.eq_col(user::id)).select((user::email, session::table.all())).fetch_all(&pool).await.unwrap();
    println!("{r:?}");
    let n = MySql.select_from(user::table).count().fetch_one(&pool).await.unwrap();
    assert_eq!(n, 1);
    MySql.insert_into(user::table).value(user::id, "x2").value(user::email, "a@b.c").on_duplicate_key_update(user::name).execute(&pool).await.unwrap();
}
