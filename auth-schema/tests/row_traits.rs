//! `Debug`, `PartialEq` and serde of the `Row` and `New` structs `table!` generates: written by
//! value (one generic function each, not a derive per table), so they are checked here against
//! what the derives would give.

auth_schema::table! {
    pub mod note {
        id: BigInt = identity,
        title: Text,
        body: Nullable<Text>,
        pinned: Bool = default(false),
        score: Nullable<Double> = default(1.5),
    }
    primary_key(id);
}

fn row() -> note::Row {
    note::Row {
        id: 7,
        title: "a \"quoted\" title".into(),
        body: None,
        pinned: true,
        score: Some(2.5),
    }
}

#[test]
fn row_debug_reads_like_the_derive() {
    assert_eq!(
        format!("{:?}", row()),
        r#"Row { id: 7, title: "a \"quoted\" title", body: None, pinned: true, score: Some(2.5) }"#
    );
    // `{:#?}` too, as `debug_struct` formats it.
    assert!(format!("{:#?}", row()).starts_with("Row {\n    id: 7,\n"));
}

#[test]
fn new_debug_shows_defaults_as_none() {
    let new = note::New {
        id: None,
        title: "t".into(),
        body: Some("b".into()),
        pinned: Some(false),
        score: Some(None),
    };
    assert_eq!(
        format!("{new:?}"),
        r#"New { id: None, title: "t", body: Some("b"), pinned: Some(false), score: Some(None) }"#
    );
}

#[test]
fn equality_is_field_by_field() {
    assert_eq!(row(), row());
    let mut other = row();
    other.body = Some(String::new());
    assert_ne!(row(), other);
    let mut nan = row();
    nan.score = Some(f64::NAN);
    assert_ne!(
        nan,
        nan.clone(),
        "NaN is not equal to itself, as with the derive"
    );
    let a = note::New {
        id: None,
        title: "t".into(),
        body: None,
        pinned: None,
        score: None,
    };
    let mut b = a.clone();
    assert_eq!(a, b);
    b.pinned = Some(false);
    assert_ne!(a, b, "a default left out differs from one given");
}

#[test]
fn serde_uses_the_field_names() {
    let json = serde_json::to_string(&row()).unwrap();
    assert_eq!(
        json,
        r#"{"id":7,"title":"a \"quoted\" title","body":null,"pinned":true,"score":2.5}"#
    );
    let back: note::Row = serde_json::from_str(&json).unwrap();
    assert_eq!(back, row());
}
