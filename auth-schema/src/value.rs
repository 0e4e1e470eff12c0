//! Dialect-neutral values: what a column holds once decoded, and what is bound for it.
//!
//! The query layer turns a [`Value`] into a driver value for the column's [`ColumnType`] and
//! dialect (a timestamp becomes ISO text on SQLite, say), so row structs never see dialects.
//!
//! [`ColumnType`]: crate::ColumnType

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// A value read from or written to a column.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// SQL NULL. Its SQL type comes from the column it is bound for.
    Null,
    /// Text, including ids.
    Text(String),
    /// A 64-bit integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A UTC instant. Bound with millisecond precision.
    Timestamp(DateTime<Utc>),
    /// A 16-bit integer.
    SmallInt(i16),
    /// A 32-bit integer.
    Integer(i32),
    /// A 32-bit float.
    Float(f32),
    /// A 64-bit float.
    Double(f64),
    /// Binary data.
    Bytes(Vec<u8>),
    /// A UUID.
    Uuid(uuid::Uuid),
    /// A JSON document.
    Json(serde_json::Value),
    /// A date and time without a time zone.
    NaiveTimestamp(NaiveDateTime),
    /// A calendar date.
    Date(NaiveDate),
    /// A time of day.
    Time(NaiveTime),
    /// A Rust value that could not be turned into a SQL value (a `Json<T>` whose `T` does not
    /// serialize): binding it fails with this message, before anything is sent.
    Invalid(String),
}

impl Value {
    /// What kind of value it is, in words, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Text(_) => "text",
            Value::Int(_) | Value::SmallInt(_) | Value::Integer(_) => "an integer",
            Value::Bool(_) => "a boolean",
            Value::Timestamp(_) => "a timestamp",
            Value::Float(_) | Value::Double(_) => "a float",
            Value::Bytes(_) => "bytes",
            Value::Uuid(_) => "a UUID",
            Value::Json(_) => "JSON",
            Value::NaiveTimestamp(_) => "a timestamp without time zone",
            Value::Date(_) => "a date",
            Value::Time(_) => "a time",
            Value::Invalid(_) => "an invalid value",
        }
    }
}

/// A value that could not be decoded into the Rust type asked for.
///
/// When the driver refused the value, its error is kept as the [`source`](std::error::Error::source)
/// (a `sqlx::Error` for the query layer's decoders), and `Display` shows it after the message, on
/// one line.
///
/// ```
/// use auth_schema::DecodeError;
/// let e = DecodeError::with_source("column 2", std::fmt::Error);
/// assert_eq!(e.to_string(), "column 2: an error occurred when formatting an argument");
/// let source = std::error::Error::source(&e).unwrap();
/// assert!(source.downcast_ref::<std::fmt::Error>().is_some());
/// assert_eq!(DecodeError::new("expected text, found NULL").to_string(), "expected text, found NULL");
/// ```
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// What went wrong, in words (without the source's message).
    pub message: String,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl DecodeError {
    /// A decode error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// A decode error with this message, caused by `source` (a driver error, a parse error).
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(std::sync::Arc::from(source.into())),
        }
    }
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {}", source.to_string().replace('\n', " "))?;
        }
        Ok(())
    }
}

/// Two decode errors are equal when they read the same (the sources are compared by message).
impl PartialEq for DecodeError {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message
            && self.source.as_ref().map(|s| s.to_string())
                == other.source.as_ref().map(|s| s.to_string())
    }
}

impl Eq for DecodeError {}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Reads the columns of one result row in order. The query layer implements it per driver; it
/// knows each column's [`ColumnType`](crate::ColumnType) from the selection.
pub trait RowReader {
    /// Reads the next column.
    fn read(&mut self) -> Result<Value, DecodeError>;
}

/// A Rust type that can be built from a decoded [`Value`].
///
/// ```
/// use auth_schema::{FromValue, Value};
/// assert_eq!(Option::<String>::from_value(Value::Null), Ok(None));
/// assert!(String::from_value(Value::Null).is_err());
/// assert_eq!(i16::from_value(Value::Int(7)), Ok(7));
/// ```
#[diagnostic::on_unimplemented(message = "a column cannot be decoded into `{Self}`")]
pub trait FromValue: Sized {
    /// Converts, or says why not.
    fn from_value(value: Value) -> Result<Self, DecodeError>;
}

/// A Rust type that can be written to a column.
///
/// ```
/// use auth_schema::{IntoValue, Value};
/// assert_eq!("a".into_value(), Value::Text("a".into()));
/// assert_eq!(None::<i64>.into_value(), Value::Null);
/// ```
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be written to a column")]
pub trait IntoValue {
    /// Converts.
    fn into_value(self) -> Value;
}

fn mismatch(expected: &str, got: &Value) -> DecodeError {
    DecodeError::new(format!("expected {expected}, found {}", got.kind()))
}

macro_rules! value_impls {
    ($($rust:ty => $variant:ident, $what:literal;)*) => {$(
        impl IntoValue for $rust {
            fn into_value(self) -> Value {
                Value::$variant(self)
            }
        }
        impl IntoValue for &$rust {
            fn into_value(self) -> Value {
                Value::$variant(self.clone())
            }
        }
    )*};
}

value_impls! {
    String => Text, "text";
    i64 => Int, "an integer";
    i16 => SmallInt, "an integer";
    i32 => Integer, "an integer";
    f32 => Float, "a float";
    f64 => Double, "a float";
    bool => Bool, "a boolean";
    DateTime<Utc> => Timestamp, "a timestamp";
    Vec<u8> => Bytes, "bytes";
    serde_json::Value => Json, "JSON";
    NaiveDateTime => NaiveTimestamp, "a timestamp";
    NaiveDate => Date, "a date";
    NaiveTime => Time, "a time";
}

impl FromValue for String {
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Text(s) => Ok(s),
            // A native uuid read as an Auth.js string id.
            Value::Uuid(u) => Ok(u.hyphenated().to_string()),
            other => Err(mismatch("text", &other)),
        }
    }
}

/// Integers: any integer value that fits (SQLite reads every integer as 64 bits).
macro_rules! int_from_value {
    ($($rust:ty),*) => {$(
        impl FromValue for $rust {
            fn from_value(value: Value) -> Result<Self, DecodeError> {
                let wide: i64 = match value {
                    Value::Int(i) => i,
                    Value::Integer(i) => i.into(),
                    Value::SmallInt(i) => i.into(),
                    other => return Err(mismatch("an integer", &other)),
                };
                <$rust>::try_from(wide).map_err(|_| {
                    DecodeError::new(format!("{wide} does not fit in {}", stringify!($rust)))
                })
            }
        }
    )*};
}

int_from_value!(i16, i32, i64);

impl FromValue for f64 {
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Double(f) => Ok(f),
            Value::Float(f) => Ok(f.into()),
            // SQLite returns a REAL that holds an integral value as an integer sometimes.
            Value::Int(i) => Ok(i as f64),
            other => Err(mismatch("a float", &other)),
        }
    }
}

impl FromValue for f32 {
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Float(f) => Ok(f),
            // A `real` column read back through a double (SQLite stores REAL as 8 bytes).
            Value::Double(f) => Ok(f as f32),
            Value::Int(i) => Ok(i as f32),
            other => Err(mismatch("a float", &other)),
        }
    }
}

impl FromValue for bool {
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Bool(b) => Ok(b),
            Value::Int(i) => Ok(i != 0),
            other => Err(mismatch("a boolean", &other)),
        }
    }
}

macro_rules! plain_from_value {
    ($($rust:ty => $variant:ident, $what:literal;)*) => {$(
        impl FromValue for $rust {
            fn from_value(value: Value) -> Result<Self, DecodeError> {
                match value {
                    Value::$variant(v) => Ok(v),
                    other => Err(mismatch($what, &other)),
                }
            }
        }
    )*};
}

plain_from_value! {
    DateTime<Utc> => Timestamp, "a timestamp";
    Vec<u8> => Bytes, "bytes";
    serde_json::Value => Json, "JSON";
    NaiveDateTime => NaiveTimestamp, "a timestamp without time zone";
    NaiveDate => Date, "a date";
    NaiveTime => Time, "a time";
}

impl FromValue for uuid::Uuid {
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Uuid(u) => Ok(u),
            Value::Text(s) => uuid::Uuid::try_parse(&s)
                .map_err(|e| DecodeError::new(format!("`{s}` is not a UUID: {e}"))),
            other => Err(mismatch("a UUID", &other)),
        }
    }
}

impl IntoValue for uuid::Uuid {
    fn into_value(self) -> Value {
        Value::Uuid(self)
    }
}

impl IntoValue for &uuid::Uuid {
    fn into_value(self) -> Value {
        Value::Uuid(*self)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> Value {
        self.map_or(Value::Null, IntoValue::into_value)
    }
}

impl IntoValue for &str {
    fn into_value(self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl IntoValue for &&str {
    fn into_value(self) -> Value {
        Value::Text((*self).to_owned())
    }
}

impl IntoValue for &[u8] {
    fn into_value(self) -> Value {
        Value::Bytes(self.to_vec())
    }
}

impl IntoValue for Value {
    fn into_value(self) -> Value {
        self
    }
}

/// A JSON column's value, decoded into `T` through serde (as `sqlx::types::Json`).
///
/// ```
/// use auth_schema::{FromValue, IntoValue, Json, Value};
/// #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Prefs { theme: String }
/// let v = Json(Prefs { theme: "dark".into() }).into_value();
/// assert_eq!(v, Value::Json(serde_json::json!({"theme": "dark"})));
/// assert_eq!(Json::<Prefs>::from_value(v).unwrap().0.theme, "dark");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Json<T>(pub T);

impl<T> core::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> core::ops::DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: serde::Serialize> serde::Serialize for Json<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Json<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Json)
    }
}

impl<T: serde::de::DeserializeOwned> FromValue for Json<T> {
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        let json = match value {
            Value::Json(j) => j,
            // MySQL and SQLite may hand JSON back as text.
            Value::Text(t) => {
                serde_json::from_str(&t).map_err(|e| DecodeError::new(format!("not JSON: {e}")))?
            }
            other => return Err(mismatch("JSON", &other)),
        };
        serde_json::from_value(json)
            .map(Json)
            .map_err(|e| DecodeError::new(format!("JSON does not fit the type: {e}")))
    }
}

impl<T: serde::Serialize> IntoValue for Json<T> {
    fn into_value(self) -> Value {
        (&self).into_value()
    }
}

impl<T: serde::Serialize> IntoValue for &Json<T> {
    fn into_value(self) -> Value {
        match serde_json::to_value(&self.0) {
            Ok(v) => Value::Json(v),
            Err(e) => Value::Invalid(format!("cannot serialize to JSON: {e}")),
        }
    }
}
