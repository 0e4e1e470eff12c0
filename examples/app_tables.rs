//! Your own tables beside the Auth.js ones: a `post` table that references `User`, created by the
//! same migrations, and queried with a typed join through the session.
//!
//! ```text
//! cargo run --example app_tables      # embedded SQLite in a temporary file, no setup
//! ```
//!
//! It declares the tables, applies the shipped Auth.js migrations plus the one the planner writes
//! for `post` (what `migrate plan --write create_posts` puts in a file), signs a user in with the
//! adapter, and asks "the posts of the user who owns this session token, newest first": it prints
//! that query's SQL for each dialect, then runs it.

use auth_adapter::SqlAdapter;
use auth_query::{Dialect, now, prelude::*};
use auth_schema::{Backend, NewUser, Session};

auth_schema::schema! {
    /// The Auth.js tables, as `@auth/kysely-adapter` names them, with UUID ids.
    pub mod auth {
        naming: Kysely,
        id: Uuid,
    }
}

auth_schema::table! {
    /// Blog posts, written by users. Deleting a user deletes their posts.
    pub mod post {
        id: BigInt = identity,
        author_id as "authorId": Uuid,
        title: Varchar<120>,
        body: Nullable<LongText>,
        published: Bool = default(false),
        created_at as "createdAt": Timestamp = now,
    }
    primary_key(id);
    unique(author_id, title);
    index(created_at);
    foreign_key(author_id) references auth::user(id) on_delete(cascade);
}

auth_schema::database! {
    /// The application's database: the Auth.js tables and the posts.
    pub struct App {
        auth: auth,
        tables: [post],
    }
}

/// "The posts of the user who owns this session token, newest first", for dialect `D`.
fn posts_of_session<D: Dialect>(
    token: &str,
) -> Select<D, impl Sized, (String, chrono::DateTime<chrono::Utc>), impl Sized, impl Sized> {
    D::default()
        .select_from(post::table)
        .inner_join(
            auth::session::table,
            auth::session::user_id.eq_col(post::author_id),
        )
        .select((post::title, post::created_at))
        .filter(auth::session::session_token.eq(token))
        .filter(auth::session::expires.gt_col(now()))
        .order_by(post::created_at.desc())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    for (dialect, sql) in [
        (
            "postgres",
            posts_of_session::<Postgres>("t").compile().sql().to_owned(),
        ),
        (
            "mysql",
            posts_of_session::<MySql>("t").compile().sql().to_owned(),
        ),
        (
            "sqlite",
            posts_of_session::<Sqlite>("t").compile().sql().to_owned(),
        ),
    ] {
        println!("{dialect:<8} {sql}");
    }

    // The database: a fresh file, migrated the way `migrate` does it. The shipped migrations
    // create the Auth.js tables; the planner then finds `post` missing and writes its migration.
    let path = std::env::temp_dir().join(format!("app_tables_{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = auth_migrate::Db::connect(&url).await?;
    let mut migrations = auth_migrate::migration::stock(Backend::Sqlite);
    auth_migrate::Migrator::for_schema::<App>(migrations.clone())
        .up(&db, None, false)
        .await?;
    let plan = auth_migrate::plan::<App>(&db).await?;
    let version = migrations.iter().map(|m| m.version).max().unwrap_or(0) + 1;
    let file = plan.render_file(Backend::Sqlite, version, "create_posts", false);
    println!("\n-- what `migrate plan --write create_posts` writes:\n{file}");
    migrations.push(auth_migrate::Migration::new(
        version,
        "create_posts",
        file,
        None,
    ));
    let report = auth_migrate::Migrator::for_schema::<App>(migrations)
        .up(&db, None, false)
        .await?;
    println!(
        "applied {} migration(s), now at version {}",
        report.applied.len(),
        report.version
    );
    assert!(
        auth_migrate::plan::<App>(&db).await?.is_empty(),
        "the database matches `App`"
    );
    db.close().await;

    // A signed-in user, through the Auth.js adapter.
    let pool = sqlx::SqlitePool::connect(&url).await?;
    let adapter = SqlAdapter::<Sqlite, auth::Schema>::new(pool.clone());
    let ada = adapter
        .create_user(NewUser {
            id: None,
            name: Some("Ada".into()),
            email: "ada@example.com".into(),
            email_verified: None,
            image: None,
            extra: Default::default(),
        })
        .await?;
    adapter
        .create_session(Session {
            session_token: "token-1".into(),
            user_id: ada.id.clone(),
            expires: chrono::Utc::now() + chrono::Duration::days(30),
            extra: Default::default(),
        })
        .await?;

    // Her posts, written with the same builder.
    for (i, title) in ["Notes on the Analytical Engine", "Sketch of the engine"]
        .iter()
        .enumerate()
    {
        Sqlite
            .insert_into(post::table)
            .value(post::author_id, ada.id.as_str())
            .value(post::title, *title)
            .value(
                post::created_at,
                chrono::Utc::now() - chrono::Duration::hours(i as i64),
            )
            .execute(&pool)
            .await?;
    }

    println!("\nposts of the user who owns session token-1, newest first:");
    for (title, at) in posts_of_session::<Sqlite>("token-1")
        .fetch_all(&pool)
        .await?
    {
        println!("  {at}  {title}");
    }
    pool.close().await;
    let _ = std::fs::remove_file(&path);
    Ok(())
}
