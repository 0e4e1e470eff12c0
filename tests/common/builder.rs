//! Everyday SQL through the typed builder, executed on each real server with the decoded rows
//! asserted: GROUP BY and every aggregate, HAVING, anti-joins, subqueries, DISTINCT, ORDER BY
//! expressions, arithmetic and functions, CASE, raw fragments, borrowed values, wide tuples,
//! self-joins, UNION, row locks, prepared statements, and a user's table joined to `User`.
//!
//! The scenarios are generic over [`TestDialect`]; `tests/{sqlite,postgres,mysql}.rs` include
//! this file as `builder_suite` and instantiate them with `common::dialect_tests!`. Scenarios
//! that need a capability of some dialects only (NULLS FIRST, row locks, RETURNING, upserts)
//! say so in their bounds.

#![allow(dead_code, async_fn_in_trait)]

use auth_query::prelude::*;
use auth_query::{Error, sql, value};
use auth_schema::kysely::{self, account, session, user};
use auth_schema::{Backend, Value};
use chrono::{DateTime, Utc};

use crate::common::{TestDb, TestDialect, a_session, a_user, an_account, ts};

auth_schema::table! {
    /// Blog posts, written by Auth.js users.
    pub mod post as "posts" {
        id: BigInt,
        author_id as "authorId": Uuid,
        title: Varchar<120>,
        body: Nullable<LongText>,
        score: Integer,
        rating: Nullable<Double>,
        views: BigInt = default(0),
        published: Bool = default(false),
        created_at as "createdAt": Timestamp,
        parent_id as "parentId": Nullable<BigInt>,
    }
    primary_key(id);
    unique(author_id, title);
    index(created_at);
    foreign_key(author_id) references kysely::user(id) on_delete(cascade);
    foreign_key(parent_id) references post(id);
}

auth_schema::table! {
    /// Sales, for aggregates: every numeric type, a nullable column, timestamps.
    pub mod sale {
        id: BigInt = identity,
        region: Text,
        qty: Integer,
        small: SmallInt,
        amount: BigInt,
        price: Double,
        weight: Real,
        note: Nullable<Text>,
        at: Timestamp,
    }
    primary_key(id);
}

auth_schema::table! {
    /// A table with a database-generated UUID id and counters.
    pub mod counter {
        id: Uuid = random_uuid,
        name: Varchar<40>,
        hits: BigInt = default(0),
    }
    primary_key(id);
    unique(name);
}

auth_schema::database! {
    /// The Auth.js tables (Kysely names) and the app's own.
    pub struct BlogDb {
        auth: kysely,
        tables: [post, sale, counter],
    }
}

auth_query::alias! {
    /// The post another post answers.
    pub parent = post::table;
}

/// The fixture: four users, three accounts, three sessions, five posts.
pub struct Blog {
    pub ada: String,
    pub bob: String,
    pub cy: String,
    pub dee: String,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn new_post(
    id: i64,
    author: &str,
    title: &str,
    score: i32,
    rating: Option<f64>,
    created_at: &str,
    parent_id: Option<i64>,
) -> post::New {
    post::New {
        id,
        author_id: author.into(),
        title: title.into(),
        body: (id % 2 == 1).then(|| format!("body of {title}")),
        score,
        rating,
        views: None,
        published: Some(id != 4),
        created_at: ts(created_at),
        parent_id,
    }
}

/// Creates the tables and the rows every scenario starts from.
async fn blog<D: TestDialect>(db: &TestDb<D>) -> Blog {
    db.create_schema::<BlogDb>().await;
    let d = D::default();
    let users = [
        a_user("ada@example.com", Some("Ada")),
        a_user("bob@example.com", Some("Bob")),
        a_user("cy@example.com", Some("Cy")),
        a_user("dee@example.com", None),
    ];
    for u in &users {
        d.insert_into(user::table)
            .values(u.clone())
            .execute(db.ex())
            .await
            .unwrap();
    }
    let [ada, bob, cy, dee] = users.map(|u| u.id);
    for (who, provider, id) in [
        (&ada, "github", "1"),
        (&ada, "google", "2"),
        (&bob, "github", "3"),
    ] {
        d.insert_into(account::table)
            .values(an_account(who, provider, id))
            .execute(db.ex())
            .await
            .unwrap();
    }
    for (who, token) in [(&ada, "tok-ada-1"), (&ada, "tok-ada-2"), (&bob, "tok-bob")] {
        d.insert_into(session::table)
            .values(a_session(who, token, ts("2030-01-01T00:00:00Z")))
            .execute(db.ex())
            .await
            .unwrap();
    }
    let posts = [
        new_post(
            1,
            &ada,
            "Hello",
            10,
            Some(4.5),
            "2024-01-01T10:00:00.123Z",
            None,
        ),
        new_post(2, &ada, "Second", 3, None, "2024-02-01T00:00:00Z", Some(1)),
        new_post(
            3,
            &bob,
            "Bob's reply",
            -2,
            Some(1.0),
            "2024-03-01T00:00:00Z",
            Some(1),
        ),
        new_post(
            4,
            &bob,
            "Draft",
            0,
            Some(3.25),
            "2999-01-01T00:00:00Z",
            Some(3),
        ),
        new_post(5, &dee, "Dee", 7, None, "2023-12-31T23:59:59.999Z", None),
    ];
    // One row through `values`, the next ones appended to the same statement.
    let mut rows = posts.into_iter();
    let mut insert = d.insert_into(post::table).values(rows.next().unwrap());
    for p in rows {
        insert = insert.values(p);
    }
    assert_eq!(insert.execute(db.ex()).await.unwrap(), 5);
    Blog { ada, bob, cy, dee }
}

// ------------------------------------------------------------------ aggregates --

/// The rows of the `sale` fixture: north has three, south one, west one with NULLs aside.
async fn sales<D: TestDialect>(db: &TestDb<D>) {
    let d = D::default();
    let rows = [
        (
            "north",
            1,
            2,
            100,
            1.5,
            0.5,
            Some("a"),
            "2024-01-01T00:00:00Z",
        ),
        ("north", 2, 3, 200, 2.25, 0.25, None, "2024-01-02T00:00:00Z"),
        (
            "north",
            3,
            4,
            300,
            3.0,
            1.0,
            Some("a"),
            "2024-01-03T00:00:00Z",
        ),
        (
            "south",
            5,
            1,
            1000,
            10.0,
            2.0,
            Some("b"),
            "2024-02-01T00:00:00Z",
        ),
        (
            "west",
            0,
            0,
            -7,
            -0.5,
            0.125,
            None,
            "2023-06-01T12:00:00.5Z",
        ),
    ];
    for (region, qty, small, amount, price, weight, note, at) in rows {
        d.insert_into(sale::table)
            .values(sale::New {
                id: None,
                region: region.into(),
                qty,
                small,
                amount,
                price,
                weight,
                note: note.map(Into::into),
                at: ts(at),
            })
            .execute(db.ex())
            .await
            .unwrap();
    }
}

/// The 16 columns of the per-region report: every aggregate over every numeric type.
type Report = (
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<i64>,
    Option<i64>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<f32>,
);

/// GROUP BY with every aggregate, HAVING on aggregates, ORDER BY an aggregate, and the types
/// they decode to, the same on every dialect: `COUNT` → `i64`; `SUM` of integers →
/// `Option<i64>`, of floats → `Option<f64>`; `AVG` → `Option<f64>`; `MIN`/`MAX` → `Option` of
/// the column's type. `None` when no row is aggregated.
pub async fn group_by_with_every_aggregate<D: TestDialect + ResultTypes>(db: &TestDb<D>) {
    db.create_schema::<BlogDb>().await;
    sales(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    let report = || {
        d.select_from(sale::table).group_by(sale::region).select((
            sale::region,
            count_all(),
            count(sale::note),
            count_distinct(sale::note),
            sum(sale::qty),
            sum(sale::small),
            sum(sale::amount),
            sum(sale::price),
            sum(sale::weight),
            avg(sale::amount),
            avg(sale::price),
            min(sale::amount),
            max(sale::amount),
            min(sale::at),
            max(sale::at),
            max(sale::weight),
        ))
    };
    let got: Vec<Report> = report()
        .order_by(sale::region)
        .fetch_all(db.ex())
        .await
        .unwrap();
    let north: Report = (
        "north".into(),
        3,
        2,
        1,
        Some(6),
        Some(9),
        Some(600),
        Some(6.75),
        Some(1.75),
        Some(200.0),
        Some(2.25),
        Some(100),
        Some(300),
        Some(ts("2024-01-01T00:00:00Z")),
        Some(ts("2024-01-03T00:00:00Z")),
        Some(1.0),
    );
    let south: Report = (
        "south".into(),
        1,
        1,
        1,
        Some(5),
        Some(1),
        Some(1000),
        Some(10.0),
        Some(2.0),
        Some(1000.0),
        Some(10.0),
        Some(1000),
        Some(1000),
        Some(ts("2024-02-01T00:00:00Z")),
        Some(ts("2024-02-01T00:00:00Z")),
        Some(2.0),
    );
    let west: Report = (
        "west".into(),
        1,
        0,
        0,
        Some(0),
        Some(0),
        Some(-7),
        Some(-0.5),
        Some(0.125),
        Some(-7.0),
        Some(-0.5),
        Some(-7),
        Some(-7),
        Some(ts("2023-06-01T12:00:00.5Z")),
        Some(ts("2023-06-01T12:00:00.5Z")),
        Some(0.125),
    );
    // std compares tuples of up to 12: compare the halves.
    let halves = |rows: Vec<Report>| -> Vec<_> {
        rows.into_iter()
            .map(|(a, b, c, e, f, g, h, i, j, k, l, m, n, o, p, q)| {
                ((a, b, c, e, f, g, h, i), (j, k, l, m, n, o, p, q))
            })
            .collect()
    };
    assert_eq!(
        halves(got),
        halves(vec![north.clone(), south.clone(), west.clone()]),
        "{backend:?}"
    );

    // HAVING on COUNT(*), on a SUM, and on an aggregate not selected; ORDER BY an aggregate.
    let got = report()
        .having(count_all().gt(1))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        halves(got),
        halves(vec![north.clone()]),
        "{backend:?}: HAVING COUNT(*)"
    );
    let got = d
        .select_from(sale::table)
        .group_by(sale::region)
        .select((sale::region, sum(sale::amount)))
        .having(sum(sale::amount).ge(600i64).and(max(sale::price).lt(100.0)))
        .order_by(sum(sale::amount).desc())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            ("south".to_string(), Some(1000)),
            ("north".to_string(), Some(600))
        ],
        "{backend:?}: HAVING SUM, ORDER BY SUM DESC"
    );
    // GROUP BY two columns, one of them nullable (NULL is a group of its own).
    let got = d
        .select_from(sale::table)
        .group_by((sale::region, sale::note))
        .select((sale::region, sale::note, count_all(), min(sale::qty)))
        .order_by(sale::region)
        .order_by(count_all().desc())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            ("north".to_string(), Some("a".to_string()), 2, Some(1)),
            ("north".to_string(), None, 1, Some(2)),
            ("south".to_string(), Some("b".to_string()), 1, Some(5)),
            ("west".to_string(), None, 1, Some(0)),
        ],
        "{backend:?}: GROUP BY two columns"
    );

    // Aggregates without GROUP BY: over every row, and over none (COUNT is 0, the rest NULL).
    let all = d
        .select_from(sale::table)
        .select((
            count_all(),
            sum(sale::amount),
            avg(sale::qty),
            max(sale::note),
        ))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(
        all,
        (5, Some(1593), Some(2.2), Some("b".to_string())),
        "{backend:?}"
    );
    let none = d
        .select_from(sale::table)
        .select((
            count_all(),
            count(sale::note),
            sum(sale::amount),
            sum(sale::price),
            avg(sale::amount),
            min(sale::at),
            max(sale::region),
        ))
        .filter(sale::region.eq("nowhere"))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(
        none,
        (0, 0, None, None, None, None, None),
        "{backend:?}: no rows"
    );

    // What each server returns for the aggregates, before decoding: documents the casts.
    let types = D::result_types(
        db,
        d.select_from(sale::table)
            .group_by(sale::region)
            .select((
                count_all(),
                sum(sale::qty),
                sum(sale::amount),
                sum(sale::price),
                sum(sale::weight),
                avg(sale::amount),
                min(sale::small),
                max(sale::weight),
            ))
            .compile()
            .sql(),
    )
    .await;
    let expected: &[&str] = match backend {
        // SUM(bigint) is numeric and AVG numeric: cast to bigint and double precision.
        Backend::Postgres => &[
            "INT8", "INT8", "INT8", "FLOAT8", "FLOAT8", "FLOAT8", "INT2", "FLOAT4",
        ],
        // SUM of integers is DECIMAL, decoded exactly (not cast, which clips on overflow).
        Backend::MySql => &[
            "BIGINT", "DECIMAL", "DECIMAL", "DOUBLE", "DOUBLE", "DOUBLE", "SMALLINT", "FLOAT",
        ],
        // SQLite reports the storage class of each value.
        Backend::Sqlite => &[
            "INTEGER", "INTEGER", "INTEGER", "REAL", "REAL", "REAL", "INTEGER", "REAL",
        ],
    };
    assert_eq!(types, expected, "{backend:?}: result types");

    // A SUM beyond i64 is an error on every dialect, never a wrong number.
    for _ in 0..2 {
        d.insert_into(sale::table)
            .values(sale::New {
                id: None,
                region: "huge".into(),
                qty: i32::MAX,
                small: i16::MAX,
                amount: i64::MAX,
                price: f64::MAX,
                weight: f32::MAX,
                note: None,
                at: ts("2024-01-01T00:00:00Z"),
            })
            .execute(db.ex())
            .await
            .unwrap();
    }
    let overflow = d
        .select_from(sale::table)
        .select(sum(sale::amount))
        .filter(sale::region.eq("huge"))
        .fetch_one(db.ex())
        .await;
    assert!(
        overflow.is_err(),
        "{backend:?}: SUM past i64::MAX gave {overflow:?}"
    );
    // SUM of i32 and i16 widens to i64, so it does not overflow there.
    let wide = d
        .select_from(sale::table)
        .select((sum(sale::qty), sum(sale::small)))
        .filter(sale::region.eq("huge"))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(
        wide,
        (Some(2 * i64::from(i32::MAX)), Some(2 * i64::from(i16::MAX))),
        "{backend:?}"
    );
}

/// The type names a server reports for the columns of `sql` (which takes no parameters).
pub trait ResultTypes: TestDialect {
    async fn result_types(db: &TestDb<Self>, sql: &str) -> Vec<String>;
}

#[cfg(feature = "sqlite")]
impl ResultTypes for Sqlite {
    async fn result_types(db: &TestDb<Self>, sql: &str) -> Vec<String> {
        use sqlx::{Column, Row, TypeInfo};
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(db.pool())
            .await
            .unwrap();
        row.columns()
            .iter()
            .map(|c| {
                // The storage class of the value itself: the declared type of an expression
                // column is NULL in SQLite.
                let v = row.try_get_raw(c.ordinal()).unwrap();
                sqlx::ValueRef::type_info(&v).name().to_string()
            })
            .collect()
    }
}

#[cfg(feature = "postgres")]
impl ResultTypes for Postgres {
    async fn result_types(db: &TestDb<Self>, sql: &str) -> Vec<String> {
        use sqlx::{Column, Row, TypeInfo};
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(db.pool())
            .await
            .unwrap();
        row.columns()
            .iter()
            .map(|c| c.type_info().name().to_string())
            .collect()
    }
}

#[cfg(feature = "mysql")]
impl ResultTypes for MySql {
    async fn result_types(db: &TestDb<Self>, sql: &str) -> Vec<String> {
        use sqlx::{Column, Row, TypeInfo};
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(db.pool())
            .await
            .unwrap();
        row.columns()
            .iter()
            .map(|c| c.type_info().name().to_string())
            .collect()
    }
}

// ------------------------------------------------------------- joins, subqueries --

/// "Users without an account" as an anti-join (`is_null` on the left-joined table's NOT NULL
/// column) and as `NOT EXISTS`; users with one by `IN (SELECT ...)`, `EXISTS`; `NOT IN`.
pub async fn anti_joins_and_subqueries<D: TestDialect>(db: &TestDb<D>) {
    blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;

    let without_account = d
        .select_from(user::table)
        .left_join(account::table, account::user_id.eq_col(user::id))
        .select(user::email)
        .filter(account::provider.is_null())
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        without_account,
        strings(&["cy@example.com", "dee@example.com"]),
        "{backend:?}"
    );
    // The same through the left-joined table's primary-key column, and its whole row as None.
    let got = d
        .select_from(user::table)
        .left_join(account::table, account::user_id.eq_col(user::id))
        .select((user::email, account::table.all()))
        .filter(account::user_id.is_null())
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            ("cy@example.com".to_string(), None),
            ("dee@example.com".to_string(), None)
        ],
        "{backend:?}"
    );

    let not_exists = d
        .select_from(user::table)
        .select(user::email)
        .filter(not_exists(
            d.subquery_from(account::table)
                .filter(account::user_id.eq_col(user::id)),
        ))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(not_exists, without_account, "{backend:?}: NOT EXISTS");
    let exists_github = d
        .select_from(user::table)
        .select(user::email)
        .filter(exists(
            d.subquery_from(account::table)
                .select(account::provider)
                .filter(account::user_id.eq_col(user::id))
                .filter(account::provider.eq("github")),
        ))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        exists_github,
        strings(&["ada@example.com", "bob@example.com"]),
        "{backend:?}"
    );

    // IN / NOT IN an uncorrelated subquery.
    let google = || {
        d.select_from(account::table)
            .select(account::user_id)
            .filter(account::provider.eq("google"))
    };
    let got = d
        .select_from(user::table)
        .select(user::email)
        .filter(user::id.in_sub(google()))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, strings(&["ada@example.com"]), "{backend:?}: IN");
    let got = d
        .select_from(user::table)
        .select(user::email)
        .filter(user::id.not_in_sub(google()))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["bob@example.com", "cy@example.com", "dee@example.com"]),
        "{backend:?}: NOT IN"
    );
    // IN a subquery of the user's own table, on a column of another SQL type family (ids).
    let got = d
        .select_from(user::table)
        .select(user::email)
        .filter(
            user::id.in_sub(
                d.select_from(post::table)
                    .select(post::author_id)
                    .filter(post::score.gt(5)),
            ),
        )
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["ada@example.com", "dee@example.com"]),
        "{backend:?}"
    );

    // IN / NOT IN a subquery with its own ORDER BY and LIMIT: the authors of the three latest
    // posts (MySQL takes LIMIT there only inside a derived table).
    let latest = || {
        d.select_from(post::table)
            .select(post::author_id)
            .order_by(post::created_at.desc())
            .limit(3)
    };
    let got = d
        .select_from(user::table)
        .select(user::email)
        .filter(user::id.in_sub(latest()))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["ada@example.com", "bob@example.com"]),
        "{backend:?}: IN (... LIMIT)"
    );
    let got = d
        .select_from(user::table)
        .select(user::email)
        .filter(user::id.not_in_sub(latest().offset(1)))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["cy@example.com", "dee@example.com"]),
        "{backend:?}: NOT IN (... LIMIT OFFSET)"
    );

    // A correlated scalar subquery in SELECT (NULL-able by type) and in WHERE.
    let sessions_of = || {
        d.subquery_from(session::table)
            .select(count_all())
            .filter(session::user_id.eq_col(user::id))
    };
    let got = d
        .select_from(user::table)
        .select((user::email, scalar(sessions_of())))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            ("ada@example.com".to_string(), Some(2)),
            ("bob@example.com".to_string(), Some(1)),
            ("cy@example.com".to_string(), Some(0)),
            ("dee@example.com".to_string(), Some(0)),
        ],
        "{backend:?}: scalar subquery in SELECT"
    );
    let got = d
        .select_from(user::table)
        .select(user::email)
        .filter(scalar(sessions_of()).ge(1i64))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["ada@example.com", "bob@example.com"]),
        "{backend:?}: in WHERE"
    );
    // An uncorrelated scalar subquery: the posts with the best score; one that finds no row is
    // NULL.
    let got = d
        .select_from(post::table)
        .select(post::title)
        .filter(post::score.eq_col(scalar(d.select_from(post::table).select(max(post::score)))))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, strings(&["Hello"]), "{backend:?}: uncorrelated scalar");
    let got = d
        .select_from(user::table)
        .select((
            user::email,
            scalar(
                d.subquery_from(post::table)
                    .select(post::title)
                    .filter(post::author_id.eq_col(user::id))
                    .order_by(post::created_at.desc())
                    .limit(1),
            ),
        ))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            ("ada@example.com".to_string(), Some("Second".to_string())),
            ("bob@example.com".to_string(), Some("Draft".to_string())),
            ("cy@example.com".to_string(), None),
            ("dee@example.com".to_string(), Some("Dee".to_string())),
        ],
        "{backend:?}: latest post per user"
    );
}

/// A user's table joined to the Auth.js tables: the posts of the user who owns a session
/// token, newest first; a self-join through an alias; LEFT JOIN of an alias.
pub async fn user_tables_and_self_joins<D: TestDialect>(db: &TestDb<D>) {
    let b = blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;

    let posts_of_token = |token: &'static str| {
        d.select_from(post::table)
            .inner_join(user::table, user::id.eq_col(post::author_id))
            .inner_join(session::table, session::user_id.eq_col(user::id))
            .select((post::title, post::created_at, user::name))
            .filter(session::session_token.eq(token))
            .order_by(post::created_at.desc())
    };
    let got = posts_of_token("tok-ada-2")
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            (
                "Second".to_string(),
                ts("2024-02-01T00:00:00Z"),
                Some("Ada".to_string())
            ),
            (
                "Hello".to_string(),
                ts("2024-01-01T10:00:00.123Z"),
                Some("Ada".to_string())
            ),
        ],
        "{backend:?}"
    );
    assert!(
        posts_of_token("no-such-token")
            .fetch_all(db.ex())
            .await
            .unwrap()
            .is_empty()
    );
    // Whole rows of both tables.
    let got = d
        .select_from(session::table)
        .inner_join(post::table, post::author_id.eq_col(session::user_id))
        .select((session::table.all(), post::table.all()))
        .filter(session::session_token.eq("tok-bob"))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got.len(), 2, "{backend:?}");
    assert_eq!(got[0].0.user_id, b.bob);
    assert_eq!(
        got[0].1,
        post::Row {
            id: 3,
            author_id: b.bob.clone(),
            title: "Bob's reply".into(),
            body: Some("body of Bob's reply".into()),
            score: -2,
            rating: Some(1.0),
            views: 0,
            published: true,
            created_at: ts("2024-03-01T00:00:00Z"),
            parent_id: Some(1),
        },
        "{backend:?}: the defaults were applied"
    );

    // Self-join: each reply with the title of the post it answers.
    let got = d
        .select_from(post::table)
        .inner_join(parent, parent.col(post::id).eq_col(post::parent_id))
        .select((
            post::title,
            parent.col(post::title),
            parent.col(post::author_id),
        ))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            ("Second".to_string(), "Hello".to_string(), b.ada.clone()),
            (
                "Bob's reply".to_string(),
                "Hello".to_string(),
                b.ada.clone()
            ),
            (
                "Draft".to_string(),
                "Bob's reply".to_string(),
                b.bob.clone()
            ),
        ],
        "{backend:?}: self-join"
    );
    // LEFT JOIN of the alias: a post without a parent has None there.
    let got = d
        .select_from(post::table)
        .left_join(parent, parent.col(post::id).eq_col(post::parent_id))
        .select((post::id, parent.col(post::title)))
        .filter(parent.col(post::id).is_null())
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![(1, None), (5, None)],
        "{backend:?}: anti-join on an alias"
    );
    // Replies written by someone other than the parent's author, with both names.
    let got = d
        .select_from(post::table)
        .inner_join(parent, parent.col(post::id).eq_col(post::parent_id))
        .inner_join(user::table, user::id.eq_col(post::author_id))
        .select((user::name, parent.col(post::title)))
        .filter(post::author_id.ne_col(parent.col(post::author_id)))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![(Some("Bob".to_string()), "Hello".to_string())],
        "{backend:?}"
    );
    // Deleting a user cascades to their posts, through the foreign key to `User`.
    let n = d
        .delete_from(user::table)
        .filter(user::id.eq(&b.dee))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let left = d
        .select_from(post::table)
        .select(post::id)
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(left, vec![1, 2, 3, 4], "{backend:?}: ON DELETE CASCADE");
}

// ----------------------------------------------------------- clauses, expressions --

/// DISTINCT, ORDER BY expressions, arithmetic, COALESCE, LOWER/UPPER, NOW(), CASE.
pub async fn expressions<D: TestDialect>(db: &TestDb<D>) {
    let b = blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;

    // DISTINCT.
    let got = d
        .select_from(post::table)
        .select(post::author_id)
        .distinct()
        .fetch_all(db.ex())
        .await
        .unwrap();
    let mut got = got;
    got.sort();
    let mut want = vec![b.ada.clone(), b.bob.clone(), b.dee.clone()];
    want.sort();
    assert_eq!(got, want, "{backend:?}: DISTINCT");
    let got = d
        .select_from(post::table)
        .select((post::published, post::author_id))
        .distinct()
        .filter(post::author_id.eq(&b.bob))
        .order_by(post::published)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![(false, b.bob.clone()), (true, b.bob.clone())],
        "{backend:?}"
    );
    // DISTINCT sorted by a column that `table.all()` selects, ordered before `distinct()`.
    let got = d
        .select_from(post::table)
        .filter(post::author_id.eq(&b.bob))
        .order_by(post::published.desc())
        .select(post::table.all())
        .distinct()
        .fetch_all(db.ex())
        .await
        .unwrap();
    let published: Vec<bool> = got.iter().map(|p| p.published).collect();
    assert_eq!(
        published,
        vec![true, false],
        "{backend:?}: DISTINCT rows sorted"
    );

    // ORDER BY an expression.
    let got = d
        .select_from(post::table)
        .select(post::id)
        .order_by(post::score.sub(4).mul(post::score.sub(4)))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    // (score - 4)²: 1 → 36, 2 → 1, 3 → 36, 4 → 16, 5 → 9.
    assert_eq!(
        got,
        vec![2, 5, 4, 1, 3],
        "{backend:?}: ORDER BY (score - 4) * (score - 4)"
    );
    let got = d
        .select_from(post::table)
        .select(post::id)
        .order_by(coalesce(post::rating, 2.0).desc())
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    // 4.5, 2.0 (NULL), 1.0, 3.25, 2.0 (NULL).
    assert_eq!(
        got,
        vec![1, 4, 2, 5, 3],
        "{backend:?}: ORDER BY COALESCE DESC"
    );

    // Arithmetic in SELECT, with integers and doubles.
    let got = d
        .select_from(post::table)
        .select((
            post::score.add(1),
            post::score.sub(post::score).sub(1),
            post::views.add(post::id).mul(3),
            coalesce(post::rating, 0.0).div(2.0),
        ))
        .filter(post::id.eq(1i64))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(got, (11, -1, 3, 2.25), "{backend:?}: arithmetic");

    // Integer division truncates on every dialect (MySQL's `/` would give a DECIMAL: `DIV`).
    let got = d
        .select_from(post::table)
        .select((post::score.div(4), post::score.mul(-1).div(4)))
        .filter(post::id.eq(1i64))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        (2, -2),
        "{backend:?}: integer division truncates toward zero"
    );

    // UPDATE ... SET counter = counter + 1, and from another column.
    for _ in 0..3 {
        let n = d
            .update(post::table)
            .set(post::views, post::views.add(1))
            .filter(post::id.le(2i64))
            .execute(db.ex())
            .await
            .unwrap();
        assert_eq!(n, 2);
    }
    d.update(post::table)
        .set(post::score, post::score.mul(2).sub(1))
        .set(post::rating, coalesce(post::rating, 0.0).add(0.5))
        .filter(post::id.eq(2i64))
        .execute(db.ex())
        .await
        .unwrap();
    let got = d
        .select_from(post::table)
        .select((post::id, post::views, post::score, post::rating))
        .filter(post::id.le(3i64))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            (1, 3, 10, Some(4.5)),
            (2, 3, 5, Some(0.5)),
            (3, 0, -2, Some(1.0))
        ],
        "{backend:?}: SET col = col + 1"
    );

    // COALESCE: NOT NULL when its fallback is, NULL-able when it is not.
    let got = d
        .select_from(post::table)
        .select((
            coalesce(post::body, "(no body)"),
            coalesce(post::rating, post::rating),
        ))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got[0],
        ("body of Hello".to_string(), Some(4.5)),
        "{backend:?}"
    );
    assert_eq!(got[3], ("(no body)".to_string(), Some(3.25)), "{backend:?}");
    assert_eq!(got[4], ("body of Dee".to_string(), None), "{backend:?}");

    // LOWER and UPPER, selected and in a filter (ASCII and beyond).
    let got = d
        .select_from(user::table)
        .select((user::email.upper(), user::name.lower()))
        .filter(user::email.upper().eq("BOB@EXAMPLE.COM"))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![("BOB@EXAMPLE.COM".to_string(), Some("bob".to_string()))],
        "{backend:?}: UPPER/LOWER"
    );
    let got = d
        .select_from(post::table)
        .select(post::title.lower())
        .filter(post::title.lower().like("%reply%"))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, strings(&["bob's reply"]), "{backend:?}");

    // NOW() against stored timestamps, and read back.
    let past = d
        .select_from(post::table)
        .select(post::id)
        .filter(post::created_at.lt_col(now()))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(past, vec![1, 2, 3, 5], "{backend:?}: created_at < NOW()");
    let future = d
        .select_from(post::table)
        .select(post::id)
        .filter(post::created_at.gt_col(now()))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(future, vec![4], "{backend:?}: created_at > NOW()");
    let (server_now, server_naive) = d
        .select_from(post::table)
        .select((now(), auth_query::now_naive()))
        .limit(1)
        .fetch_one(db.ex())
        .await
        .unwrap();
    let skew = (Utc::now() - server_now).num_seconds().abs();
    assert!(skew < 60, "{backend:?}: NOW() read back as {server_now}");
    let skew = (Utc::now().naive_utc() - server_naive).num_seconds().abs();
    assert!(
        skew < 60,
        "{backend:?}: now_naive() (UTC) read back as {server_naive}"
    );

    // NOW() as an INSERT value: stored in the encoding bound values use, so it reads back as
    // the server's time and compares with bound timestamps on either side.
    let owner = d
        .select_from(user::table)
        .select(user::id)
        .limit(1)
        .fetch_one(db.ex())
        .await
        .unwrap();
    d.insert_into(session::table)
        .value(session::session_token, "made-at-now")
        .value(session::user_id, owner.as_str())
        .value(session::expires, now())
        .execute(db.ex())
        .await
        .unwrap();
    let around = |days: i64| Utc::now() + chrono::Duration::days(days);
    let stored = d
        .select_from(session::table)
        .select(session::expires)
        .filter(session::session_token.eq("made-at-now"))
        .filter(session::expires.gt(around(-1)))
        .filter(session::expires.lt(around(1)))
        .fetch_one(db.ex())
        .await
        .unwrap();
    let skew = (Utc::now() - stored).num_seconds().abs();
    assert!(
        skew < 60,
        "{backend:?}: INSERT of NOW() read back as {stored}"
    );

    // CASE, with and without ELSE, with values and expressions.
    let got = d
        .select_from(post::table)
        .select((
            post::id,
            case_when(post::score.gt(5), "high")
                .when(post::score.ge(0), "mid")
                .otherwise("low"),
            case_when(post::rating.is_null(), 0i64).when(post::rating.gt(2.0), post::id),
            case_when(post::published, post::score.mul(10)).otherwise(post::score),
        ))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            (1, "high".to_string(), Some(1), 100),
            (2, "mid".to_string(), None, 50),
            (3, "low".to_string(), None, -20),
            (4, "mid".to_string(), Some(4), 0),
            (5, "high".to_string(), Some(0), 70),
        ],
        "{backend:?}: CASE"
    );
    // CASE in a filter and in ORDER BY.
    let got = d
        .select_from(post::table)
        .select(post::id)
        .filter(case_when(post::body.is_null(), false).otherwise(true))
        .order_by(case_when(post::author_id.eq(&b.dee), 0i64).otherwise(1i64))
        .order_by(post::id.desc())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![5, 3, 1],
        "{backend:?}: CASE in WHERE and ORDER BY"
    );
}

/// NULLS FIRST / NULLS LAST on an expression (PostgreSQL and SQLite).
/// A correlated `IN` subquery with LIMIT (the dialects that take it; MySQL's refusal is a
/// compile error, `auth-query/tests/ui/fail/correlated_in_subquery_with_limit_on_mysql.rs`).
pub async fn correlated_in_with_limit<D: TestDialect + auth_query::SupportsLimitInCorrelatedIn>(
    db: &TestDb<D>,
) {
    blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    // Users whose latest post has a positive score.
    let got = d
        .select_from(user::table)
        .select(user::email)
        .filter(
            user::id.in_sub(
                d.subquery_from(post::table)
                    .select(post::author_id)
                    .filter(post::author_id.eq_col(user::id))
                    .filter(post::score.gt(0))
                    .order_by(post::created_at.desc())
                    .limit(1)
                    .offset(0),
            ),
        )
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["ada@example.com", "dee@example.com"]),
        "{backend:?}: correlated IN with LIMIT"
    );
}

pub async fn nulls_first_and_last<D: TestDialect + auth_query::SupportsNullsOrder>(db: &TestDb<D>) {
    blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    let q = || d.select_from(post::table).select(post::id);
    let got = q()
        .order_by(post::rating.asc().nulls_first())
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![2, 5, 3, 4, 1], "{backend:?}: ASC NULLS FIRST");
    let got = q()
        .order_by(post::rating.desc().nulls_last())
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![1, 4, 3, 2, 5], "{backend:?}: DESC NULLS LAST");
    // On an expression: rating * 2 - score, NULL for NULL ratings.
    let got = q()
        .order_by(post::rating.mul(2.0).sub(post::rating).desc().nulls_first())
        .order_by(post::id.desc())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![5, 2, 1, 4, 3],
        "{backend:?}: expression DESC NULLS FIRST"
    );
}

/// Raw fragments with bound values; borrowed values everywhere a value goes.
#[allow(clippy::needless_borrows_for_generic_args)] // borrowing is what is tested
pub async fn raw_fragments_and_borrowed_values<D: TestDialect>(db: &TestDb<D>) {
    let b = blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    let mysql = backend == Backend::MySql;

    // A typed fragment in WHERE with a bound value, and in SELECT.
    let got = d
        .select_from(post::table)
        .select((
            post::id,
            sql::<auth_schema::sql::BigInt, _>("{} * {}", (post::id, value(100i64))),
        ))
        .filter(sql::<auth_schema::sql::Bool, _>(
            "{} > {}",
            (post::score, value(5i32)),
        ))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![(1, 100), (5, 500)], "{backend:?}: raw fragments");
    // Text built by the server, with a value that looks like SQL and placeholders.
    let concat = if mysql {
        "CONCAT({}, {}, {})"
    } else {
        "{} || {} || {}"
    };
    let evil = "'; DROP TABLE posts; -- $1 ? {}";
    let got = d
        .select_from(post::table)
        .select(sql::<auth_schema::sql::Text, _>(
            concat,
            (post::title, value(evil), value("!")),
        ))
        .filter(post::id.eq(2i64))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(got, format!("Second{evil}!"), "{backend:?}");
    // A literal holding `?` and `$1` is text, not a placeholder.
    let got = d
        .select_from(post::table)
        .select(post::id)
        .filter(sql::<auth_schema::sql::Bool, _>(
            "{} <> '?$1' AND {} = {}",
            (post::title, post::id, value(3i64)),
        ))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![3], "{backend:?}: literals with ? and $1");
    // A fragment without arguments, nullable by its declared type.
    let got = d
        .select_from(post::table)
        .select(sql::<auth_schema::sql::Nullable<auth_schema::sql::BigInt>, _>("NULL", ()))
        .limit(1)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![None], "{backend:?}");
    // A template with more `{}` than arguments is an error, not SQL sent.
    let res = d
        .select_from(post::table)
        .select(post::id)
        .filter(sql::<auth_schema::sql::Bool, _>("{} = {}", (post::id,)))
        .fetch_all(db.ex())
        .await;
    assert!(
        matches!(res, Err(Error::InvalidValue(_))),
        "{backend:?}: {res:?}"
    );
    // And with more arguments than `{}`: never an argument silently dropped.
    let res = d
        .select_from(post::table)
        .select(post::id)
        .filter(sql::<auth_schema::sql::Bool, _>(
            "{} IS NULL",
            (post::body, post::id),
        ))
        .fetch_all(db.ex())
        .await;
    assert!(
        matches!(&res, Err(Error::InvalidValue(m)) if m.contains("2 argument")),
        "{backend:?}: {res:?}"
    );

    // Borrowed values: eq(&String), is_in(&[&str]), lt(&DateTime), eq(&uuid text), a &Vec.
    let email = String::from("ada@example.com");
    let got = d
        .select_from(user::table)
        .select(user::name)
        .filter(user::email.eq(&email))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![Some("Ada".to_string())],
        "{backend:?}: eq(&String)"
    );
    let titles: &[&str] = &["Hello", "Dee", "nope"];
    let got = d
        .select_from(post::table)
        .select(post::id)
        .filter(post::title.is_in(titles))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![1, 5], "{backend:?}: is_in(&[&str])");
    let ids = vec![b.bob.clone(), b.cy.clone()];
    let got = d
        .select_from(user::table)
        .select(user::email)
        .filter(user::id.is_in(&ids))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["bob@example.com", "cy@example.com"]),
        "{backend:?}: is_in(&Vec)"
    );
    let cutoff = ts("2024-01-15T00:00:00Z");
    let got = d
        .select_from(post::table)
        .select(post::id)
        .filter(post::created_at.lt(&cutoff))
        .filter(post::author_id.ne(&b.bob))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![1, 5], "{backend:?}: lt(&DateTime)");
    let upper = b.ada.to_uppercase();
    let as_uuid = uuid::Uuid::parse_str(&b.ada).unwrap();
    for got in [
        d.select_from(post::table)
            .select(post::id)
            .filter(post::author_id.eq(&upper))
            .order_by(post::id)
            .fetch_all(db.ex())
            .await
            .unwrap(),
        d.select_from(post::table)
            .select(post::id)
            .filter(post::author_id.eq(&as_uuid))
            .order_by(post::id)
            .fetch_all(db.ex())
            .await
            .unwrap(),
    ] {
        assert_eq!(got, vec![1, 2], "{backend:?}: eq(&uuid)");
    }
    let score = 3i32;
    let got = d
        .select_from(post::table)
        .select(post::id)
        .filter(post::score.eq(&score))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![2], "{backend:?}: eq(&i32)");
}

/// UNION and UNION ALL, with LIMIT on the whole and ORDER BY / LIMIT on an operand.
pub async fn unions<D: TestDialect>(db: &TestDb<D>) {
    blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    let emails = || d.select_from(user::table).select(user::email);
    let authors = || {
        d.select_from(post::table)
            .inner_join(user::table, user::id.eq_col(post::author_id))
            .select(user::email)
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // UNION removes duplicates, UNION ALL keeps them.
    let got = emails().union(authors()).fetch_all(db.ex()).await.unwrap();
    assert_eq!(
        sorted(got),
        strings(&[
            "ada@example.com",
            "bob@example.com",
            "cy@example.com",
            "dee@example.com"
        ]),
        "{backend:?}: UNION"
    );
    let got = emails()
        .union_all(authors())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got.len(), 4 + 5, "{backend:?}: UNION ALL");
    // Three operands.
    let got = emails()
        .filter(user::name.is_null())
        .union_all(authors().filter(post::score.lt(0)))
        .union_all(emails().filter(user::email.like("c%")))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        sorted(got),
        strings(&["bob@example.com", "cy@example.com", "dee@example.com"]),
        "{backend:?}: three operands"
    );
    // LIMIT on the whole union.
    let got = emails()
        .union_all(authors())
        .limit(3)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got.len(), 3, "{backend:?}: LIMIT on the whole");
    let got = emails()
        .union_all(authors())
        .limit(4)
        .offset(7)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got.len(), 2, "{backend:?}: OFFSET on the whole");
    // ORDER BY on the whole union, by a column of the first select (written as its position).
    let got = emails()
        .union(authors())
        .order_by(user::email.desc())
        .limit(2)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["dee@example.com", "cy@example.com"]),
        "{backend:?}: ORDER BY on the whole"
    );
    let got = authors()
        .order_by(post::created_at.desc())
        .limit(2)
        .union_all(emails().filter(user::email.like("c%")))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        strings(&["bob@example.com", "bob@example.com", "cy@example.com"]),
        "{backend:?}: ORDER BY on the whole, the first operand limited"
    );
    // ORDER BY and LIMIT on an operand stay on it: the latest post's author, and everyone
    // without a name.
    let latest_author = authors().order_by(post::created_at.desc()).limit(1);
    let got = latest_author
        .clone()
        .union(emails().filter(user::name.is_null()))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        sorted(got),
        strings(&["bob@example.com", "dee@example.com"]),
        "{backend:?}: ORDER BY/LIMIT on the first operand"
    );
    let got = emails()
        .filter(user::name.is_null())
        .union(authors().order_by(post::created_at.asc()).limit(1))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        sorted(got),
        strings(&["dee@example.com"]),
        "{backend:?}: ORDER BY/LIMIT on a later operand"
    );
    // Rows of several columns, two of them named alike (`title` of a post and of its parent).
    let got = d
        .select_from(post::table)
        .inner_join(parent, parent.col(post::id).eq_col(post::parent_id))
        .select((post::title, parent.col(post::title)))
        .order_by(post::id)
        .limit(2)
        .union_all(
            d.select_from(post::table)
                .select((post::title, post::title))
                .filter(post::id.eq(5i64)),
        )
        .fetch_all(db.ex())
        .await
        .unwrap();
    let mut got = got;
    got.sort();
    assert_eq!(
        got,
        vec![
            ("Bob's reply".to_string(), "Hello".to_string()),
            ("Dee".to_string(), "Dee".to_string()),
            ("Second".to_string(), "Hello".to_string()),
        ],
        "{backend:?}: same-named columns in a limited operand"
    );
}

// ------------------------------------------------------------------ row locks --

/// FOR UPDATE over a LEFT JOIN, which MySQL and MariaDB take (PostgreSQL refuses it, a compile
/// error: `auth-query/tests/ui/fail/for_update_with_left_join_on_postgres.rs`).
pub async fn row_locks_over_left_joins<
    D: TestDialect + auth_query::SupportsRowLocks + auth_query::SupportsLockingLeftJoins,
>(
    db: &TestDb<D>,
) {
    blog(db).await;
    let d = D::default();
    let mut tx = db.pool().begin().await.unwrap();
    let got = d
        .select_from(user::table)
        .left_join(post::table, post::author_id.eq_col(user::id))
        .select((user::email, post::title))
        .filter(user::email.eq("cy@example.com"))
        .for_update()
        .fetch_all(D::tx(&mut tx))
        .await
        .unwrap();
    assert_eq!(got, vec![("cy@example.com".to_string(), None)]);
    tx.rollback().await.unwrap();
}

/// FOR UPDATE SKIP LOCKED across two transactions: the second skips the row the first holds;
/// NOWAIT fails at once; FOR SHARE lets another share. PostgreSQL and MySQL/MariaDB.
pub async fn row_locks<D: TestDialect + auth_query::SupportsRowLocks>(db: &TestDb<D>) {
    blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    let queue = || {
        d.select_from(post::table)
            .select(post::id)
            .order_by(post::id)
    };

    let mut first = db.pool().begin().await.unwrap();
    let held = queue()
        .filter(post::id.eq(1i64))
        .for_update()
        .fetch_all(D::tx(&mut first))
        .await
        .unwrap();
    assert_eq!(held, vec![1]);

    let mut second = db.pool().begin().await.unwrap();
    let free = queue()
        .for_update()
        .skip_locked()
        .fetch_all(D::tx(&mut second))
        .await
        .unwrap();
    assert_eq!(
        free,
        vec![2, 3, 4, 5],
        "{backend:?}: SKIP LOCKED skips the held row"
    );
    // The next free job, as a worker takes it.
    let next = queue()
        .filter(post::published)
        .limit(1)
        .for_update()
        .skip_locked()
        .fetch_optional(D::tx(&mut second))
        .await
        .unwrap();
    assert_eq!(next, Some(2), "{backend:?}");
    second.rollback().await.unwrap();

    let mut third = db.pool().begin().await.unwrap();
    let res = queue()
        .filter(post::id.eq(1i64))
        .for_update()
        .no_wait()
        .fetch_all(D::tx(&mut third))
        .await;
    assert!(
        matches!(res, Err(Error::Database(_))),
        "{backend:?}: NOWAIT: {res:?}"
    );
    let _ = third.rollback().await;

    let mut fourth = db.pool().begin().await.unwrap();
    let shared = queue()
        .filter(post::id.ge(2i64))
        .for_share()
        .fetch_all(D::tx(&mut fourth))
        .await
        .unwrap();
    assert_eq!(shared, vec![2, 3, 4, 5], "{backend:?}: FOR SHARE");
    let mut fifth = db.pool().begin().await.unwrap();
    let shared_too = queue()
        .filter(post::id.eq(2i64))
        .for_share()
        .no_wait()
        .fetch_all(D::tx(&mut fifth))
        .await
        .unwrap();
    assert_eq!(
        shared_too,
        vec![2],
        "{backend:?}: a shared lock does not block another"
    );
    let res = queue()
        .filter(post::id.eq(3i64))
        .for_update()
        .no_wait()
        .fetch_all(D::tx(&mut fifth))
        .await;
    assert!(
        res.is_err(),
        "{backend:?}: FOR UPDATE of a shared row: {res:?}"
    );
    let _ = fifth.rollback().await;
    fourth.rollback().await.unwrap();

    // Once the first commits, its row is free again.
    first.commit().await.unwrap();
    let mut sixth = db.pool().begin().await.unwrap();
    let all = queue()
        .for_update()
        .skip_locked()
        .fetch_all(D::tx(&mut sixth))
        .await
        .unwrap();
    assert_eq!(all, vec![1, 2, 3, 4, 5], "{backend:?}");
    sixth.rollback().await.unwrap();
}

// ------------------------------------------------------------ prepared, writes --

/// Prepared statements with typed parameters and with dynamic ones, run several times.
pub async fn prepared_statements<D: TestDialect>(db: &TestDb<D>) {
    let b = blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    use auth_schema::sql::{BigInt, Integer, LongText, Nullable, Text, Timestamp, Uuid, Varchar};

    let by_author = d.prepare::<(Text, Integer), _>(|(email, min_score)| {
        d.select_from(post::table)
            .inner_join(user::table, user::id.eq_col(post::author_id))
            .select((post::id, post::title))
            .filter(user::email.eq(email))
            .filter(post::score.ge(min_score))
            .order_by(post::id)
    });
    let got = by_author
        .fetch_all(db.ex(), ("ada@example.com", 0))
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![(1, "Hello".to_string()), (2, "Second".to_string())],
        "{backend:?}"
    );
    let got = by_author
        .fetch_all(db.ex(), ("ada@example.com", 5i32))
        .await
        .unwrap();
    assert_eq!(got, vec![(1, "Hello".to_string())], "{backend:?}");
    let owned = String::from("bob@example.com");
    let got = by_author.fetch_all(db.ex(), (&owned, -100)).await.unwrap();
    assert_eq!(got.len(), 2, "{backend:?}: borrowed argument");
    let got = by_author
        .fetch_optional(db.ex(), ("nobody", 0))
        .await
        .unwrap();
    assert_eq!(got, None);

    // Parameters in a write, nullable ones, and one used twice.
    let touch = d.prepare::<(Nullable<LongText>, Timestamp, BigInt), _>(|(body, at, id)| {
        d.update(post::table)
            .set(post::body, body)
            .set(post::created_at, at)
            .set(post::views, post::views.add(id))
            .filter(post::id.eq(id))
    });
    assert_eq!(
        touch
            .execute(
                db.ex(),
                (Some("edited"), ts("2024-05-05T05:05:05.555Z"), 2i64)
            )
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        touch
            .execute(db.ex(), (None::<&str>, ts("2024-06-06T06:06:06Z"), 3i64))
            .await
            .unwrap(),
        1
    );
    let got = d
        .select_from(post::table)
        .select((post::id, post::body, post::created_at, post::views))
        .filter(post::id.is_in([2i64, 3]))
        .order_by(post::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            (
                2,
                Some("edited".to_string()),
                ts("2024-05-05T05:05:05.555Z"),
                2
            ),
            (3, None, ts("2024-06-06T06:06:06Z"), 3),
        ],
        "{backend:?}: prepared UPDATE"
    );
    // A prepared INSERT of a user's table, then a prepared aggregate.
    let add = d.prepare::<(BigInt, Uuid, Varchar<120>), _>(|(id, author, title)| {
        d.insert_into(post::table)
            .value(post::id, id)
            .value(post::author_id, author)
            .value(post::title, title)
            .value(post::score, 1)
            .value(post::created_at, ts("2025-01-01T00:00:00Z"))
    });
    for (id, title) in [(10i64, "p10"), (11, "p11")] {
        add.execute(db.ex(), (id, b.cy.as_str(), title))
            .await
            .unwrap();
    }
    let res = add.execute(db.ex(), (12i64, "not-a-uuid", "p12")).await;
    assert!(
        matches!(res, Err(Error::InvalidValue(_))),
        "{backend:?}: {res:?}"
    );
    let stats = d.prepare::<(Uuid,), _>(|(author,)| {
        d.select_from(post::table)
            .select((count_all(), sum(post::score), max(post::title)))
            .filter(post::author_id.eq(author))
    });
    let got = stats.fetch_one(db.ex(), (b.cy.as_str(),)).await.unwrap();
    assert_eq!(got, (2, Some(2), Some("p11".to_string())), "{backend:?}");

    // Dynamic parameters: values checked against their columns when run.
    let dynamic = d.prepare_dynamic(|a| {
        d.select_from(post::table)
            .select(post::title)
            .filter(post::author_id.eq(a.arg(0)))
            .filter(post::created_at.lt(a.arg(1)))
            .order_by(post::id)
    });
    assert_eq!(dynamic.arity(), 2);
    let got = dynamic
        .fetch_all(
            db.ex(),
            &[
                Value::Text(b.ada.clone()),
                Value::Timestamp(ts("2024-01-15T00:00:00Z")),
            ],
        )
        .await
        .unwrap();
    assert_eq!(got, strings(&["Hello"]), "{backend:?}: dynamic");
    let res = dynamic
        .fetch_all(db.ex(), &[Value::Text(b.ada.clone()), Value::Int(5)])
        .await;
    assert!(
        matches!(res, Err(Error::InvalidValue(_))),
        "{backend:?}: {res:?}"
    );
    let res = dynamic
        .fetch_all(db.ex(), &[Value::Text(b.ada.clone())])
        .await;
    assert!(
        matches!(
            res,
            Err(Error::Arguments {
                expected: 2,
                got: 1
            })
        ),
        "{backend:?}: {res:?}"
    );
    // The pool answers after every refusal.
    let n = d
        .select_from(post::table)
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 7);
}

/// Inserts and updates on a user's table: defaults, column-wise and multi-row inserts,
/// database-generated ids (identity, UUID), and counters.
pub async fn user_table_writes<D: TestDialect>(db: &TestDb<D>) {
    blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    // Identity ids, numbered by the database.
    sales(db).await;
    let ids = d
        .select_from(sale::table)
        .select(sale::id)
        .order_by(sale::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(ids.len(), 5);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{backend:?}: {ids:?}");
    // A UUID id given by the application, and one the database generates where it can.
    let given = uuid::Uuid::new_v4().to_string();
    d.insert_into(counter::table)
        .values(counter::New {
            id: Some(given.clone()),
            name: "given".into(),
            hits: None,
        })
        .execute(db.ex())
        .await
        .unwrap();
    // Counters: SET hits = hits + n, in a loop and concurrently.
    let bump = |n: i64| {
        d.update(counter::table)
            .set(counter::hits, counter::hits.add(n))
            .filter(counter::name.eq("given"))
    };
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let pool = db.pool().clone();
        let q = bump(1);
        set.spawn(async move { q.execute(D::ex(&pool)).await });
    }
    while let Some(n) = set.join_next().await {
        assert_eq!(n.unwrap().unwrap(), 1, "{backend:?}");
    }
    bump(-3).execute(db.ex()).await.unwrap();
    let hits = d
        .select_from(counter::table)
        .select(counter::hits)
        .filter(counter::id.eq(&given))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(hits, 5, "{backend:?}");
}

/// A UUID id the database generates (`= random_uuid`), for an insert that leaves it out.
pub async fn generated_uuid_ids<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<BlogDb>().await;
    let d = D::default();
    let backend = D::BACKEND;
    d.insert_into(counter::table)
        .value(counter::name, "generated")
        .execute(db.ex())
        .await
        .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
    d.insert_into(counter::table)
        .values(counter::New {
            id: None,
            name: "generated too".into(),
            hits: None,
        })
        .execute(db.ex())
        .await
        .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
    let ids = d
        .select_from(counter::table)
        .select(counter::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    for id in ids {
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{backend:?}: {id}");
    }
}

/// Upserts and RETURNING on a user's table (PostgreSQL and SQLite).
/// RETURNING with a correlated subquery over the same table: its columns stay qualified (bare,
/// `"id" = "parentId"` would compare the subquery's own columns, and find nothing).
pub async fn returning_with_subquery<D: TestDialect + auth_query::SupportsReturning>(
    db: &TestDb<D>,
) {
    blog(db).await;
    let d = D::default();
    let got = d
        .delete_from(post::table)
        .filter(post::id.eq(4i64))
        .returning((
            post::id,
            scalar(
                d.subquery_from(parent)
                    .select(parent.col(post::title))
                    .filter(parent.col(post::id).eq_col(post::parent_id)),
            ),
        ))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![(4, Some("Bob's reply".to_string()))],
        "{:?}",
        D::BACKEND
    );
}

pub async fn user_table_upsert_returning<
    D: TestDialect + auth_query::SupportsConflictTarget + auth_query::SupportsReturning,
>(
    db: &TestDb<D>,
) {
    let b = blog(db).await;
    let d = D::default();
    let backend = D::BACKEND;
    let got = d
        .insert_into(post::table)
        .values(new_post(
            20,
            &b.cy,
            "Hello",
            1,
            None,
            "2025-01-01T00:00:00Z",
            None,
        ))
        .returning((post::id, post::views, post::published))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![(20, 0, true)], "{backend:?}: RETURNING defaults");
    // Same (author, title): update the score, return the whole row.
    let got = d
        .insert_into(post::table)
        .values(new_post(
            21,
            &b.cy,
            "Hello",
            99,
            Some(5.0),
            "2025-02-01T00:00:00Z",
            None,
        ))
        .on_conflict_do_update((post::author_id, post::title), (post::score, post::rating))
        .returning(post::table.all())
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(
        (got.id, got.score, got.rating),
        (20, 99, Some(5.0)),
        "{backend:?}"
    );
    let n = d
        .insert_into(post::table)
        .values(new_post(
            22,
            &b.cy,
            "Hello",
            0,
            None,
            "2025-03-01T00:00:00Z",
            None,
        ))
        .on_conflict_do_nothing((post::author_id, post::title))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 0, "{backend:?}: DO NOTHING");
    let got = d
        .update(post::table)
        .set(post::views, post::views.add(10))
        .filter(post::author_id.eq(&b.cy))
        .returning((post::id, post::views))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![(20, 10)], "{backend:?}: UPDATE RETURNING");
    let got = d
        .delete_from(post::table)
        .filter(post::author_id.eq(&b.cy))
        .returning(post::title)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, strings(&["Hello"]), "{backend:?}: DELETE RETURNING");
}

/// `ON DUPLICATE KEY UPDATE` on a user's table (MySQL).
pub async fn user_table_upsert_duplicate_key<
    D: TestDialect + auth_query::SupportsDuplicateKeyUpdate,
>(
    db: &TestDb<D>,
) {
    let b = blog(db).await;
    let d = D::default();
    d.insert_into(post::table)
        .values(new_post(
            20,
            &b.cy,
            "Hello",
            1,
            None,
            "2025-01-01T00:00:00Z",
            None,
        ))
        .execute(db.ex())
        .await
        .unwrap();
    d.insert_into(post::table)
        .values(new_post(
            21,
            &b.cy,
            "Hello",
            99,
            Some(5.0),
            "2025-02-01T00:00:00Z",
            None,
        ))
        .on_duplicate_key_update((post::score, post::rating))
        .execute(db.ex())
        .await
        .unwrap();
    let got = d
        .select_from(post::table)
        .select((post::id, post::score, post::rating))
        .filter(post::author_id.eq(&b.cy))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![(20, 99, Some(5.0))]);
}

/// `count()` of a DISTINCT query counts the distinct rows, as `SELECT COUNT(*) FROM (SELECT
/// DISTINCT ...)` would.
pub async fn distinct_count<D: TestDialect>(db: &TestDb<D>) {
    blog(db).await;
    let d = D::default();
    let authors = d
        .select_from(post::table)
        .select(post::author_id)
        .distinct();
    assert_eq!(authors.clone().fetch_all(db.ex()).await.unwrap().len(), 3);
    let n = authors.count().fetch_one(db.ex()).await.unwrap();
    assert_eq!(n, 3, "{:?}: COUNT of the distinct authors", D::BACKEND);
}
