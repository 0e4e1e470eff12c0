//! Every SQL type of `auth_schema::sql` round-trips through the builder on each real server:
//! ordinary values, NULL, and the extremes each type documents, read back with exact equality
//! (after the documented precision: `Timestamp` keeps milliseconds, `NaiveTimestamp` and `Time`
//! microseconds). Values a dialect cannot store exactly are refused with
//! [`Error::InvalidValue`] before anything is sent, and the connection keeps working.
//!
//! The scenarios are generic over [`TestDialect`]; `tests/{sqlite,postgres,mysql}.rs` include
//! this file as `types_suite` and instantiate them with `common::dialect_tests!`.

use std::collections::BTreeMap;

use auth_query::prelude::*;
use auth_query::{Error, sql, value};
use auth_schema::{Backend, Value};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Utc};

use crate::common::{TestDb, TestDialect, ts};

/// A typed JSON document (`Json<Doc>`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Doc {
    pub name: String,
    pub tags: Vec<String>,
    pub score: Option<f64>,
    pub counts: BTreeMap<String, i64>,
    pub inner: Option<Box<Doc>>,
}

auth_schema::table! {
    /// One column of every SQL type, NOT NULL and nullable.
    pub mod every_type {
        id: Integer,
        small: SmallInt,
        int: Integer,
        big: BigInt,
        real: Real,
        double: Double,
        flag: Bool,
        short_text: Text,
        long_text: LongText,
        code: Varchar<8>,
        at: Timestamp,
        naive_at: NaiveTimestamp,
        day: Date,
        clock: Time,
        uid: Uuid<uuid::Uuid>,
        sid: Uuid,
        json: Json,
        doc: Json<Doc>,
        bytes: Bytes,
        n_small: Nullable<SmallInt>,
        n_int: Nullable<Integer>,
        n_big: Nullable<BigInt>,
        n_real: Nullable<Real>,
        n_double: Nullable<Double>,
        n_flag: Nullable<Bool>,
        n_short_text: Nullable<Text>,
        n_long_text: Nullable<LongText>,
        n_code: Nullable<Varchar<8>>,
        n_at: Nullable<Timestamp>,
        n_naive_at: Nullable<NaiveTimestamp>,
        n_day: Nullable<Date>,
        n_clock: Nullable<Time>,
        n_uid: Nullable<Uuid<uuid::Uuid>>,
        n_sid: Nullable<Uuid>,
        n_json: Nullable<Json>,
        n_doc: Nullable<Json<Doc>>,
        n_bytes: Nullable<Bytes>,
    }
    primary_key(id);
}

auth_schema::table! {
    /// A `Json<T>` whose `T` cannot always be serialized: JSON keys must be strings.
    pub mod pair_map {
        id: Integer,
        pairs: Json<BTreeMap<(i32, i32), i32>>,
    }
    primary_key(id);
}

auth_schema::database! {
    /// The round-trip tables alone.
    pub struct TypesDb {
        tables: [every_type, pair_map],
    }
}

use every_type as et;

fn j(v: serde_json::Value) -> auth_schema::Json<serde_json::Value> {
    auth_schema::Json(v)
}

macro_rules! jj {
    ($($t:tt)*) => {
        j(serde_json::json!($($t)*))
    };
}

fn naive(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .unwrap_or_else(|e| panic!("bad test timestamp {s}: {e}"))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn time(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M:%S%.f").unwrap()
}

fn doc(name: &str) -> Doc {
    Doc {
        name: name.into(),
        tags: vec!["a".into(), "ü \"q\" \\".into(), String::new()],
        // 17 significant digits: read back exactly only with correctly rounded parsing.
        score: Some(229.81246145434542),
        counts: [("x".to_string(), i64::MAX), ("日本".to_string(), i64::MIN)]
            .into_iter()
            .collect(),
        inner: Some(Box::new(Doc {
            name: "inner 🎉".into(),
            tags: Vec::new(),
            score: None,
            counts: BTreeMap::new(),
            inner: None,
        })),
    }
}

/// Text with quotes, backslashes, control characters and multibyte characters.
const TRICKY: &str =
    "it's \"quoted\" \\ back\\slash \\n\n\ttab ' -- ; DROP TABLE x; straße 日本語 🎉 $1 ? %s {}";

/// The longest text MySQL's `TEXT` holds: 65,535 bytes (16,383 four-byte characters and 3 bytes).
fn longest_mysql_text() -> String {
    let mut s = "🎉".repeat(16_383);
    s.push_str("abc");
    assert_eq!(s.len(), 65_535);
    s
}

/// Text `MySQL`'s `varchar(255)` holds exactly: 255 characters, multibyte ones included.
fn text_255() -> String {
    let s: String = "ä🎉'\"\\x".chars().cycle().take(255).collect();
    assert_eq!(s.chars().count(), 255);
    s
}

/// The rows inserted, as they are written.
fn rows() -> Vec<et::Row> {
    let ordinary = et::Row {
        id: 1,
        small: 12,
        int: 123_456,
        big: 1_234_567_890_123,
        real: 1.5,
        double: 0.1,
        flag: true,
        short_text: "Ada Lovelace".into(),
        long_text: "A longer text\nwith lines.".into(),
        code: "ABC-123".into(),
        // Sub-millisecond digits: truncated to milliseconds.
        at: ts("2024-01-02T03:04:05.678999Z"),
        // Sub-microsecond digits: truncated to microseconds.
        naive_at: naive("2024-01-02T03:04:05.123456789"),
        day: date("2024-02-29"),
        clock: time("12:34:56.654321999"),
        uid: uuid::Uuid::parse_str("2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10").unwrap(),
        // Upper case in: stored and read back in lower case.
        sid: "5C1E4B7A-0D2F-4E6B-8A9C-1B3D5F7A9C0E".into(),
        json: j(serde_json::json!({"a": 1, "b": [true, null, 2.5, "x"], "c": {"d": "é"}})),
        doc: auth_schema::Json(doc("ordinary")),
        bytes: b"hello\x00world\xff".to_vec(),
        n_small: Some(-12),
        n_int: Some(-123_456),
        n_big: Some(-1_234_567_890_123),
        n_real: Some(-2.75),
        n_double: Some(-0.3),
        n_flag: Some(false),
        n_short_text: Some("nullable".into()),
        n_long_text: Some("nullable long".into()),
        n_code: Some("xyz".into()),
        n_at: Some(ts("1970-01-01T00:00:00Z")),
        n_naive_at: Some(naive("1970-01-01T00:00:00.000001")),
        n_day: Some(date("1970-01-01")),
        n_clock: Some(time("00:00:00.000001")),
        n_uid: Some(uuid::Uuid::nil()),
        n_sid: Some("00000000-0000-0000-0000-000000000000".into()),
        n_json: Some(jj!([1, "two", {"three": 3}])),
        n_doc: Some(auth_schema::Json(doc("nullable"))),
        n_bytes: Some(vec![1, 2, 3]),
    };
    let nulls = et::Row {
        id: 2,
        small: 0,
        int: 0,
        big: 0,
        real: 0.0,
        double: 0.0,
        flag: false,
        // Empty text is not NULL on any dialect.
        short_text: String::new(),
        long_text: String::new(),
        code: String::new(),
        at: ts("2000-01-01T00:00:00Z"),
        naive_at: naive("2000-01-01T00:00:00"),
        day: date("2000-01-01"),
        clock: time("00:00:00"),
        uid: uuid::Uuid::max(),
        sid: "ffffffff-ffff-ffff-ffff-ffffffffffff".into(),
        // JSON `null` in a NOT NULL column, JSON scalars: not SQL NULL.
        json: j(serde_json::Value::Null),
        doc: auth_schema::Json(Doc {
            name: String::new(),
            tags: Vec::new(),
            score: None,
            counts: BTreeMap::new(),
            inner: None,
        }),
        bytes: Vec::new(),
        n_small: None,
        n_int: None,
        n_big: None,
        n_real: None,
        n_double: None,
        n_flag: None,
        n_short_text: None,
        n_long_text: None,
        n_code: None,
        n_at: None,
        n_naive_at: None,
        n_day: None,
        n_clock: None,
        n_uid: None,
        n_sid: None,
        n_json: None,
        n_doc: None,
        n_bytes: None,
    };
    let minimum = et::Row {
        id: 3,
        small: i16::MIN,
        int: i32::MIN,
        big: i64::MIN,
        real: f32::MIN,
        double: f64::MIN,
        flag: false,
        short_text: TRICKY.into(),
        long_text: TRICKY.into(),
        // Exactly at the limit, in multibyte characters.
        code: "🎉é'\"\\\n日x".into(),
        at: auth_query::backend::MIN_TIMESTAMP,
        naive_at: naive("0001-01-01T00:00:00"),
        day: date("0001-01-01"),
        clock: NaiveTime::MIN,
        uid: uuid::Uuid::nil(),
        sid: uuid::Uuid::nil().to_string(),
        json: j(serde_json::json!("")),
        doc: auth_schema::Json(doc("")),
        bytes: vec![0x00],
        n_small: Some(i16::MIN),
        n_int: Some(i32::MIN),
        n_big: Some(i64::MIN),
        n_real: Some(f32::MIN),
        n_double: Some(f64::MIN),
        n_flag: Some(false),
        n_short_text: Some(String::new()),
        n_long_text: Some(String::new()),
        n_code: Some(String::new()),
        n_at: Some(auth_query::backend::MIN_TIMESTAMP),
        n_naive_at: Some(naive("0001-01-01T00:00:00")),
        n_day: Some(date("0001-01-01")),
        n_clock: Some(NaiveTime::MIN),
        n_uid: Some(uuid::Uuid::nil()),
        n_sid: Some(uuid::Uuid::nil().to_string()),
        // Scalars as documents.
        n_json: Some(jj!(0)),
        n_doc: Some(auth_schema::Json(doc("min"))),
        n_bytes: Some(Vec::new()),
    };
    let all_bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let maximum = et::Row {
        id: 4,
        small: i16::MAX,
        int: i32::MAX,
        big: i64::MAX,
        real: f32::MAX,
        double: f64::MAX,
        flag: true,
        short_text: text_255(),
        long_text: longest_mysql_text(),
        code: "12345678".into(),
        at: auth_query::backend::MAX_TIMESTAMP,
        naive_at: naive("9999-12-31T23:59:59.999999"),
        day: date("9999-12-31"),
        clock: time("23:59:59.999999"),
        uid: uuid::Uuid::max(),
        sid: uuid::Uuid::max().to_string(),
        json: j(serde_json::json!({
            "unicode": "straße 日本語 🎉 \u{1F600} \u{7f} \\ \"",
            "nested": {"deeper": {"deepest": [[[]], {}, [{"k": null}]]}},
            // Floats of 17 significant digits, which a parser must round correctly.
            "numbers": [i64::MIN, i64::MAX, u64::MAX, 0.5, -1e300, 1.7976931348623157e308,
                        13.028045074783389, 229.81246145434542, -1.0729132283643165e-38,
                        -5.791054108416719e-286, 5e-324],
            "empty": "",
        })),
        doc: auth_schema::Json(doc("max")),
        bytes: all_bytes.clone(),
        n_small: Some(i16::MAX),
        n_int: Some(i32::MAX),
        n_big: Some(i64::MAX),
        n_real: Some(f32::MAX),
        n_double: Some(f64::MAX),
        n_flag: Some(true),
        n_short_text: Some(text_255()),
        n_long_text: Some(longest_mysql_text()),
        n_code: Some("🎉🎉🎉🎉🎉🎉🎉🎉".into()),
        n_at: Some(auth_query::backend::MAX_TIMESTAMP),
        n_naive_at: Some(naive("9999-12-31T23:59:59.999999")),
        n_day: Some(date("9999-12-31")),
        n_clock: Some(time("23:59:59.999999")),
        n_uid: Some(uuid::Uuid::max()),
        n_sid: Some(uuid::Uuid::max().to_string()),
        n_json: Some(jj!("a JSON string, not an object")),
        n_doc: Some(auth_schema::Json(doc("max"))),
        n_bytes: Some(all_bytes),
    };
    let tiny = et::Row {
        id: 5,
        small: -1,
        int: -1,
        big: -1,
        // The smallest normal and subnormal floats.
        real: f32::MIN_POSITIVE,
        double: f64::MIN_POSITIVE,
        flag: true,
        short_text: " leading and trailing spaces  ".into(),
        long_text: "tab\tcr\rlf\n".into(),
        code: " ".into(),
        at: ts("1969-12-31T23:59:59.999Z"),
        naive_at: naive("1969-12-31T23:59:59.999999"),
        day: date("1969-12-31"),
        clock: time("00:00:00.000001"),
        uid: uuid::Uuid::parse_str("ABCDEF01-2345-6789-ABCD-EF0123456789").unwrap(),
        sid: "abcdef01-2345-6789-abcd-ef0123456789".into(),
        json: j(serde_json::json!([])),
        doc: auth_schema::Json(doc("tiny")),
        bytes: vec![0xFF; 3],
        n_small: Some(0),
        n_int: Some(0),
        n_big: Some(0),
        n_real: Some(f32::from_bits(1)),
        n_double: Some(f64::from_bits(1)),
        n_flag: None,
        n_short_text: Some(" ".into()),
        n_long_text: None,
        n_code: None,
        n_at: None,
        n_naive_at: Some(naive("2024-06-30T12:00:00.5")),
        n_day: None,
        n_clock: Some(time("23:59:59")),
        n_uid: None,
        n_sid: None,
        n_json: Some(jj!({})),
        n_doc: None,
        n_bytes: Some(vec![0x00; 5]),
    };
    vec![ordinary, nulls, minimum, maximum, tiny]
}

/// What a row reads back as, by the documented precision and encodings.
fn expected(mut r: et::Row) -> et::Row {
    r.at = r.at.trunc_subsecs(3);
    r.n_at = r.n_at.map(|t| t.trunc_subsecs(3));
    r.naive_at = r.naive_at.trunc_subsecs(6);
    r.n_naive_at = r.n_naive_at.map(|t| t.trunc_subsecs(6));
    r.clock = r.clock.trunc_subsecs(6);
    r.n_clock = r.n_clock.map(|t| t.trunc_subsecs(6));
    // UUIDs given as strings are stored and read in lower case.
    r.sid = r.sid.to_lowercase();
    r.n_sid = r.n_sid.map(|s| s.to_lowercase());
    r
}

fn new_row(r: et::Row) -> et::New {
    et::New {
        id: r.id,
        small: r.small,
        int: r.int,
        big: r.big,
        real: r.real,
        double: r.double,
        flag: r.flag,
        short_text: r.short_text,
        long_text: r.long_text,
        code: r.code,
        at: r.at,
        naive_at: r.naive_at,
        day: r.day,
        clock: r.clock,
        uid: r.uid,
        sid: r.sid,
        json: r.json,
        doc: r.doc,
        bytes: r.bytes,
        n_small: r.n_small,
        n_int: r.n_int,
        n_big: r.n_big,
        n_real: r.n_real,
        n_double: r.n_double,
        n_flag: r.n_flag,
        n_short_text: r.n_short_text,
        n_long_text: r.n_long_text,
        n_code: r.n_code,
        n_at: r.n_at,
        n_naive_at: r.n_naive_at,
        n_day: r.n_day,
        n_clock: r.n_clock,
        n_uid: r.n_uid,
        n_sid: r.n_sid,
        n_json: r.n_json,
        n_doc: r.n_doc,
        n_bytes: r.n_bytes,
    }
}

/// Compares rows field by field, so a failure names the column (and floats by their bits).
fn assert_rows(got: &[et::Row], want: &[et::Row], backend: Backend) {
    assert_eq!(got.len(), want.len(), "{backend:?}: row count");
    for (g, w) in got.iter().zip(want) {
        macro_rules! fields {
            ($($f:ident),*) => {$(
                assert!(g.$f == w.$f, "{backend:?}: row {} column `{}`:\n  got  {:?}\n  want {:?}", w.id, stringify!($f), g.$f, w.$f);
            )*};
        }
        fields!(
            id,
            small,
            int,
            big,
            flag,
            short_text,
            long_text,
            code,
            at,
            naive_at,
            day,
            clock,
            uid,
            sid,
            json,
            doc,
            bytes,
            n_small,
            n_int,
            n_big,
            n_flag,
            n_short_text,
            n_long_text,
            n_code,
            n_at,
            n_naive_at,
            n_day,
            n_clock,
            n_uid,
            n_sid,
            n_json,
            n_doc,
            n_bytes
        );
        // Floats by their bits: subnormals must survive.
        let floats32 = [
            ("real", Some(g.real), Some(w.real)),
            ("n_real", g.n_real, w.n_real),
        ];
        for (name, gf, wf) in floats32 {
            assert!(
                gf.map(f32::to_bits) == wf.map(f32::to_bits),
                "{backend:?}: row {} column `{name}`: got {gf:?}, want {wf:?}",
                w.id
            );
        }
        let floats64 = [
            ("double", Some(g.double), Some(w.double)),
            ("n_double", g.n_double, w.n_double),
        ];
        for (name, gf, wf) in floats64 {
            assert!(
                gf.map(f64::to_bits) == wf.map(f64::to_bits),
                "{backend:?}: row {} column `{name}`: got {gf:?}, want {wf:?}",
                w.id
            );
        }
        assert_eq!(g, w, "{backend:?}: row {}", w.id);
    }
}

async fn count_rows<D: TestDialect>(db: &TestDb<D>) -> i64 {
    D::default()
        .select_from(et::table)
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap()
}

/// A 16-column row of different types.
type Wide = (
    i32,
    i16,
    i64,
    f32,
    f64,
    bool,
    String,
    String,
    DateTime<Utc>,
    NaiveDateTime,
    NaiveDate,
    NaiveTime,
    uuid::Uuid,
    String,
    auth_schema::Json<Doc>,
    Vec<u8>,
);

/// Every type, NOT NULL and nullable, round-trips exactly: ordinary values, NULL, the minimum
/// and maximum of each type, the smallest floats and odd text. Whole rows, single columns, a
/// 16-column tuple, and each value found again by equality.
pub async fn every_type_round_trips<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<TypesDb>().await;
    let d = D::default();
    let backend = D::BACKEND;
    let written = rows();
    for r in written.clone() {
        let n = d
            .insert_into(et::table)
            .values(new_row(r.clone()))
            .execute(db.ex())
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: inserting row {}: {e}", r.id));
        assert_eq!(n, 1);
    }
    let want: Vec<et::Row> = written.into_iter().map(expected).collect();

    // Whole rows.
    let got = d
        .select_from(et::table)
        .select(et::table.all())
        .order_by(et::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_rows(&got, &want, backend);

    // A 16-column tuple of different types, decoded into its Rust types.
    let got: Vec<Wide> = d
        .select_from(et::table)
        .select((
            et::id,
            et::small,
            et::big,
            et::real,
            et::double,
            et::flag,
            et::short_text,
            et::code,
            et::at,
            et::naive_at,
            et::day,
            et::clock,
            et::uid,
            et::sid,
            et::doc,
            et::bytes,
        ))
        .order_by(et::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    let tuples: Vec<_> = want
        .iter()
        .map(|r| {
            (
                r.id,
                r.small,
                r.big,
                r.real,
                r.double,
                r.flag,
                r.short_text.clone(),
                r.code.clone(),
                r.at,
                r.naive_at,
                r.day,
                r.clock,
                r.uid,
                r.sid.clone(),
                r.doc.clone(),
                r.bytes.clone(),
            )
        })
        .collect();
    // std implements `PartialEq` and `Debug` for tuples of up to 12: compare in halves.
    macro_rules! halves {
        ($v:expr) => {
            $v.into_iter()
                .map(|(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)| {
                    ((a, b, c, d, e, f, g, h), (i, j, k, l, m, n, o, p))
                })
                .collect::<Vec<_>>()
        };
    }
    assert_eq!(
        halves!(got),
        halves!(tuples),
        "{backend:?}: 16-column tuple"
    );

    // The nullable columns alone, as `Option`s.
    type Nullables = (
        Option<i16>,
        Option<auth_schema::Json<serde_json::Value>>,
        Option<auth_schema::Json<Doc>>,
        Option<Vec<u8>>,
    );
    let got: Vec<Nullables> = d
        .select_from(et::table)
        .select((et::n_small, et::n_json, et::n_doc, et::n_bytes))
        .order_by(et::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    let nullables: Vec<_> = want
        .iter()
        .map(|r| {
            (
                r.n_small,
                r.n_json.clone(),
                r.n_doc.clone(),
                r.n_bytes.clone(),
            )
        })
        .collect();
    assert_eq!(got, nullables, "{backend:?}: nullable columns");

    // Each value is found again by an equality filter on its own column (borrowed values).
    for w in &want {
        let id = w.id;
        let find = || d.select_from(et::table).select(et::id);
        macro_rules! finds {
            ($($col:ident),*) => {$(
                let got = find()
                    .filter(et::$col.eq(&w.$col))
                    .filter(et::id.eq(id))
                    .fetch_all(db.ex())
                    .await
                    .unwrap_or_else(|e| panic!("{backend:?}: row {id}: {} = value: {e}", stringify!($col)));
                assert_eq!(got, vec![id], "{backend:?}: row {id}: {} = its own value", stringify!($col));
            )*};
        }
        finds!(
            small, int, big, real, double, flag, short_text, long_text, code, at, naive_at, day,
            clock, uid, sid, bytes
        );
        // Nullable columns: equality with a value, or IS NULL.
        macro_rules! finds_nullable {
            ($($col:ident),*) => {$(
                let q = match &w.$col {
                    Some(v) => find().filter(et::$col.eq(v)),
                    None => find().filter(et::$col.is_null()),
                };
                let got = q
                    .filter(et::id.eq(id))
                    .fetch_all(db.ex())
                    .await
                    .unwrap_or_else(|e| panic!("{backend:?}: row {id}: {} = value: {e}", stringify!($col)));
                assert_eq!(got, vec![id], "{backend:?}: row {id}: {} = its own value", stringify!($col));
            )*};
        }
        finds_nullable!(
            n_small,
            n_int,
            n_big,
            n_real,
            n_double,
            n_flag,
            n_short_text,
            n_code,
            n_at,
            n_naive_at,
            n_day,
            n_clock,
            n_uid,
            n_sid,
            n_bytes
        );
    }

    // A String id in upper case finds the lower-case row; a uuid::Uuid finds the String column.
    let upper = want[0].sid.to_uppercase();
    let got = d
        .select_from(et::table)
        .select(et::id)
        .filter(et::sid.eq(upper.as_str()))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![1], "{backend:?}: upper-case uuid text");
    let got = d
        .select_from(et::table)
        .select(et::id)
        .filter(et::sid.eq(uuid::Uuid::max()))
        .order_by(et::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![2, 4],
        "{backend:?}: uuid::Uuid against a String id column"
    );

    // Ordering follows the values, not their text, for dates, times and timestamps.
    let got = d
        .select_from(et::table)
        .select(et::id)
        .order_by(et::at)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![3, 5, 2, 1, 4], "{backend:?}: ORDER BY timestamp");
    let got = d
        .select_from(et::table)
        .select(et::id)
        .order_by(et::naive_at.desc())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![4, 1, 2, 5, 3],
        "{backend:?}: ORDER BY naive timestamp"
    );
    let got = d
        .select_from(et::table)
        .select(et::id)
        .filter(et::clock.gt(time("00:00:00")))
        .order_by(et::clock)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![5, 1, 4], "{backend:?}: time comparisons");
    let got = d
        .select_from(et::table)
        .select(et::id)
        .filter(et::day.lt(date("2000-01-01")))
        .order_by(et::day)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![3, 5], "{backend:?}: date comparisons");
    let got = d
        .select_from(et::table)
        .select(et::id)
        .filter(et::double.lt(0.0))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![3], "{backend:?}: double comparisons");

    // UPDATE writes every type too: swap two rows' values through `set`.
    let max = want[3].clone();
    let n = d
        .update(et::table)
        .set(et::small, max.small)
        .set(et::big, max.big)
        .set(et::real, max.real)
        .set(et::double, max.double)
        .set(et::at, max.at)
        .set(et::naive_at, max.naive_at)
        .set(et::day, max.day)
        .set(et::clock, max.clock)
        .set(et::uid, max.uid)
        .set(et::sid, max.sid.clone())
        .set(et::json, max.json.clone())
        .set(et::doc, max.doc.clone())
        .set(et::bytes, max.bytes.clone())
        .set(et::n_doc, None::<auth_schema::Json<Doc>>)
        .set(et::n_json, Some(j(serde_json::Value::Null)))
        .set(et::n_bytes, Some(Vec::<u8>::new()))
        .filter(et::id.eq(2))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let got = d
        .select_from(et::table)
        .select(et::table.all())
        .filter(et::id.eq(2))
        .fetch_one(db.ex())
        .await
        .unwrap();
    let mut want2 = want[1].clone();
    want2.small = max.small;
    want2.big = max.big;
    want2.real = max.real;
    want2.double = max.double;
    want2.at = max.at;
    want2.naive_at = max.naive_at;
    want2.day = max.day;
    want2.clock = max.clock;
    want2.uid = max.uid;
    want2.sid = max.sid.clone();
    want2.json = max.json.clone();
    want2.doc = max.doc.clone();
    want2.bytes = max.bytes.clone();
    want2.n_doc = None;
    // JSON `null` in a nullable column is a document, not SQL NULL.
    want2.n_json = Some(j(serde_json::Value::Null));
    want2.n_bytes = Some(Vec::new());
    assert_rows(&[got], &[want2], backend);
}

/// The extremes only some dialects store: PostgreSQL's non-finite floats and its text limits
/// (none beyond NUL); longer-than-MySQL text elsewhere.
pub async fn dialect_extremes<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<TypesDb>().await;
    let d = D::default();
    let backend = D::BACKEND;
    let mut base = expected(rows().remove(0));
    base.id = 10;
    if backend == Backend::Postgres {
        {
            let mut r = base.clone();
            r.real = f32::INFINITY;
            r.double = f64::NEG_INFINITY;
            r.n_real = Some(f32::NAN);
            r.n_double = Some(f64::NAN);
            d.insert_into(et::table)
                .values(new_row(r))
                .execute(db.ex())
                .await
                .unwrap();
            let got: (f32, f64, Option<f32>, Option<f64>) = d
                .select_from(et::table)
                .select((et::real, et::double, et::n_real, et::n_double))
                .filter(et::id.eq(10))
                .fetch_one(db.ex())
                .await
                .unwrap();
            assert_eq!(got.0, f32::INFINITY);
            assert_eq!(got.1, f64::NEG_INFINITY);
            assert!(
                got.2.unwrap().is_nan() && got.3.unwrap().is_nan(),
                "{got:?}"
            );
        }
    }
    // Text longer than MySQL's limits, where the dialect has none.
    if backend != Backend::MySql {
        let mut r = base.clone();
        r.id = 11;
        r.short_text = "ü".repeat(10_000);
        r.long_text = "🎉".repeat(300_000);
        r.n_long_text = Some("x".repeat(1_000_000));
        d.insert_into(et::table)
            .values(new_row(r.clone()))
            .execute(db.ex())
            .await
            .unwrap();
        let got = d
            .select_from(et::table)
            .select(et::table.all())
            .filter(et::id.eq(11))
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_rows(&[got], &[r], backend);
    }
    // NUL in text: stored by MySQL and SQLite, refused by PostgreSQL.
    let mut r = base.clone();
    r.id = 12;
    r.short_text = "a\0b".into();
    r.n_long_text = Some("\0".into());
    let res = d
        .insert_into(et::table)
        .values(new_row(r.clone()))
        .execute(db.ex())
        .await;
    if backend == Backend::Postgres {
        assert!(
            matches!(&res, Err(Error::InvalidValue(m)) if m.contains("NUL")),
            "{res:?}"
        );
    } else {
        res.unwrap();
        let got = d
            .select_from(et::table)
            .select(et::table.all())
            .filter(et::id.eq(12))
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_rows(&[got], &[r], backend);
    }
    // NUL inside a JSON document: PostgreSQL's jsonb cannot hold `\u0000`, so it is refused
    // before anything is sent, like NUL in text; the others store it.
    let mut r = base.clone();
    r.id = 13;
    r.json = jj!({"k": "a\u{0}b"});
    r.n_doc = Some(auth_schema::Json(Doc {
        name: "\0".into(),
        ..doc("nul")
    }));
    let res = d
        .insert_into(et::table)
        .values(new_row(r.clone()))
        .execute(db.ex())
        .await;
    if backend == Backend::Postgres {
        assert!(
            matches!(&res, Err(Error::InvalidValue(m)) if m.contains("NUL")),
            "{res:?}"
        );
        // A key holding NUL too.
        let res = d
            .update(et::table)
            .set(et::json, jj!({"a\u{0}": 1}))
            .all_rows()
            .execute(db.ex())
            .await;
        assert!(
            matches!(&res, Err(Error::InvalidValue(m)) if m.contains("NUL")),
            "{res:?}"
        );
    } else {
        res.unwrap();
        let got = d
            .select_from(et::table)
            .select(et::table.all())
            .filter(et::id.eq(13))
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_rows(&[got], &[r], backend);
    }
    // The pool still works after every refusal.
    let ids = d
        .select_from(et::table)
        .select(et::id)
        .order_by(et::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert!(!ids.is_empty(), "{backend:?}");
}

/// Values that cannot be stored exactly are [`Error::InvalidValue`] before anything is sent,
/// on every dialect the same way (except where a dialect stores more), and the pool goes on.
pub async fn unstorable_values_are_refused<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<TypesDb>().await;
    let d = D::default();
    let backend = D::BACKEND;
    let base = expected(rows().remove(0));
    let mysql = backend == Backend::MySql;
    let pg = backend == Backend::Postgres;
    d.insert_into(et::table)
        .values(new_row(base.clone()))
        .execute(db.ex())
        .await
        .unwrap();

    type Edit = Box<dyn Fn(&mut et::Row)>;
    // (what, the change, refused on this dialect?, words in the message)
    let cases: Vec<(&str, Edit, bool, &str)> = vec![
        (
            "varchar(8) over its limit",
            Box::new(|r| r.code = "123456789".into()),
            true,
            "longer than the column's 8",
        ),
        (
            "varchar(8) over its limit in multibyte characters",
            Box::new(|r| r.n_code = Some("🎉".repeat(9))),
            true,
            "longer than the column's 8",
        ),
        (
            "Text over 255 characters",
            Box::new(|r| r.short_text = "é".repeat(256)),
            mysql,
            "longer than the column's 255",
        ),
        (
            "LongText over 65,535 bytes",
            Box::new(|r| r.long_text = format!("{}x", longest_mysql_text())),
            mysql,
            "65535 bytes",
        ),
        (
            "a timestamp before year 1",
            Box::new(|r| {
                r.at = auth_query::backend::MIN_TIMESTAMP - chrono::Duration::milliseconds(1)
            }),
            true,
            "outside the supported range",
        ),
        (
            "a timestamp after 9999",
            Box::new(|r| {
                r.n_at =
                    Some(auth_query::backend::MAX_TIMESTAMP + chrono::Duration::milliseconds(1))
            }),
            true,
            "outside the supported range",
        ),
        (
            "a naive timestamp in year 10000",
            Box::new(|r| {
                r.naive_at = naive("9999-12-31T23:59:59.999999") + chrono::Duration::microseconds(1)
            }),
            true,
            "outside the supported years",
        ),
        (
            "a date in year 0",
            Box::new(|r| r.n_day = Some(date("0001-01-01").pred_opt().unwrap())),
            true,
            "outside the supported years",
        ),
        (
            "a non-UUID string id",
            Box::new(|r| r.sid = "not-a-uuid".into()),
            true,
            "is not a UUID",
        ),
        (
            "a simple-form UUID string",
            Box::new(|r| r.n_sid = Some(uuid::Uuid::nil().simple().to_string())),
            true,
            "is not a UUID",
        ),
        (
            "infinity",
            Box::new(|r| r.double = f64::INFINITY),
            !pg,
            "cannot be stored",
        ),
        (
            "NaN",
            Box::new(|r| r.n_real = Some(f32::NAN)),
            !pg,
            "cannot be stored",
        ),
        (
            "NUL in text",
            Box::new(|r| r.short_text = "\0".into()),
            pg,
            "NUL",
        ),
    ];
    let mut id = 100;
    for (what, edit, refused, words) in cases {
        id += 1;
        let mut r = base.clone();
        r.id = id;
        edit(&mut r);
        let res = d
            .insert_into(et::table)
            .values(new_row(r))
            .execute(db.ex())
            .await;
        if refused {
            assert!(
                matches!(&res, Err(Error::InvalidValue(m)) if m.contains(words)),
                "{backend:?}: {what}: {res:?}"
            );
        } else {
            assert!(res.is_ok(), "{backend:?}: {what}: {res:?}");
        }
    }

    // The same checks on a column-wise insert, an UPDATE and a prepared statement's arguments.
    let res = d
        .update(et::table)
        .set(et::code, "123456789")
        .filter(et::id.eq(1))
        .execute(db.ex())
        .await;
    assert!(
        matches!(&res, Err(Error::InvalidValue(_))),
        "{backend:?}: {res:?}"
    );
    let rename =
        d.prepare::<(auth_schema::sql::Varchar<8>, auth_schema::sql::Integer), _>(|(code, id)| {
            d.update(et::table)
                .set(et::code, code)
                .filter(et::id.eq(id))
        });
    let res = rename.execute(db.ex(), ("123456789", 1i32)).await;
    assert!(
        matches!(&res, Err(Error::InvalidValue(_))),
        "{backend:?}: {res:?}"
    );
    // A dynamic argument of the wrong kind or out of range for its column.
    let dynamic = d.prepare_dynamic(|a| {
        d.update(et::table)
            .set(et::int, a.arg(0))
            .filter(et::id.eq(a.arg(1)))
    });
    for (bad, words) in [
        (
            Value::Int(i64::from(i32::MAX) + 1),
            "does not fit in a 32-bit integer column",
        ),
        (
            Value::Text("5".into()),
            "cannot be bound for a integer column",
        ),
        (Value::Null, ""),
    ] {
        let res = dynamic
            .execute(db.ex(), &[bad.clone(), Value::Integer(1)])
            .await;
        if bad == Value::Null {
            // NULL for a NOT NULL column reaches the database, which refuses it.
            assert!(
                matches!(&res, Err(Error::Database(_))),
                "{backend:?}: NULL: {res:?}"
            );
        } else {
            assert!(
                matches!(&res, Err(Error::InvalidValue(m)) if m.contains(words)),
                "{backend:?}: {bad:?}: {res:?}"
            );
        }
    }
    // A `Json<T>` whose `T` does not serialize (a map with non-string keys).
    let bad: BTreeMap<(i32, i32), i32> = [((1, 2), 3)].into_iter().collect();
    let res = d
        .insert_into(pair_map::table)
        .values(pair_map::New {
            id: 1,
            pairs: auth_schema::Json(bad),
        })
        .execute(db.ex())
        .await;
    assert!(
        matches!(&res, Err(Error::InvalidValue(m)) if m.contains("cannot serialize to JSON")),
        "{backend:?}: {res:?}"
    );
    let n = d
        .select_from(pair_map::table)
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 0);

    // Nothing refused was written, and the pool still answers.
    let written = count_rows(db).await;
    // The base row, and the values each dialect stores.
    let accepted = 1 + if pg {
        4
    } else if mysql {
        1
    } else {
        3
    };
    assert_eq!(written, accepted, "{backend:?}: rows written");
    let n = sql::<auth_schema::sql::BigInt, _>("{}", (value(1i64),));
    let one = d
        .select_from(et::table)
        .select(n)
        .limit(1)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(one, vec![1]);
}

/// MIN and MAX of every type that has an order the same on every dialect (not text, whose
/// order follows the database's collation, nor JSON), and COUNT(DISTINCT) of each.
pub async fn min_max_of_every_type<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<TypesDb>().await;
    let d = D::default();
    let backend = D::BACKEND;
    let want: Vec<et::Row> = rows().into_iter().map(expected).collect();
    for r in rows() {
        d.insert_into(et::table)
            .values(new_row(r))
            .execute(db.ex())
            .await
            .unwrap();
    }
    macro_rules! extremes {
        ($($col:ident),*) => {$(
            let got = d
                .select_from(et::table)
                .select((min(et::$col), max(et::$col), count_distinct(et::$col)))
                .fetch_one(db.ex())
                .await
                .unwrap_or_else(|e| panic!("{backend:?}: MIN/MAX of `{}`: {e}", stringify!($col)));
            let values: Vec<_> = want.iter().map(|r| r.$col.clone()).collect();
            let lo = values.iter().cloned().reduce(|a, b| if b < a { b } else { a });
            let hi = values.iter().cloned().reduce(|a, b| if b > a { b } else { a });
            let mut distinct = values.clone();
            distinct.sort_by(|a, b| a.partial_cmp(b).unwrap());
            distinct.dedup();
            assert_eq!(
                got,
                (lo, hi, distinct.len() as i64),
                "{backend:?}: MIN, MAX, COUNT(DISTINCT) of `{}`",
                stringify!($col)
            );
        )*};
    }
    extremes!(
        small, int, big, real, double, flag, at, naive_at, day, clock, uid, sid, bytes
    );
    // Nullable columns: NULLs are left out, and a column of NULLs only gives NULL.
    macro_rules! nullable_extremes {
        ($($col:ident),*) => {$(
            let got = d
                .select_from(et::table)
                .select((min(et::$col), max(et::$col), count(et::$col)))
                .fetch_one(db.ex())
                .await
                .unwrap_or_else(|e| panic!("{backend:?}: MIN/MAX of `{}`: {e}", stringify!($col)));
            let values: Vec<_> = want.iter().filter_map(|r| r.$col.clone()).collect();
            let lo = values.iter().cloned().reduce(|a, b| if b < a { b } else { a });
            let hi = values.iter().cloned().reduce(|a, b| if b > a { b } else { a });
            assert_eq!(
                got,
                (lo, hi, values.len() as i64),
                "{backend:?}: MIN, MAX, COUNT of `{}`",
                stringify!($col)
            );
            let none = d
                .select_from(et::table)
                .select((min(et::$col), max(et::$col)))
                .filter(et::id.eq(2))
                .fetch_one(db.ex())
                .await
                .unwrap();
            assert_eq!(none, (None, None), "{backend:?}: `{}` of NULL", stringify!($col));
        )*};
    }
    nullable_extremes!(
        n_small, n_int, n_big, n_real, n_double, n_flag, n_at, n_naive_at, n_day, n_clock, n_uid,
        n_sid, n_bytes
    );
    // Grouped by a boolean, with the extremes of another per group.
    let got = d
        .select_from(et::table)
        .group_by(et::flag)
        .select((et::flag, min(et::uid), max(et::bytes), max(et::n_flag)))
        .order_by(et::flag)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            (
                false,
                Some(uuid::Uuid::nil()),
                Some(vec![0x00]),
                Some(false)
            ),
            (true, Some(want[0].uid), Some(vec![0xFF; 3]), Some(true)),
        ],
        "{backend:?}"
    );
}
