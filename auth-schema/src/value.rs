//! Dialect-neutral values: what a column holds once decoded, and what is bound for it.
//!
//! The query layer turns a [`Value`] into a driver value for the column's [`ColumnType`] and
//! dialect (a timestamp becomes ISO text on SQLite, say), so row structs never see dialects.

use chrono::{DateTime, Utc};

/// A value read from or written to a column.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL. Its SQL type comes from the column it is bound for.
    Null,
    /// Text, including ids.
    Text(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A UTC instant. Bound with millisecond precision.
    Timestamp(DateTime<Utc>),
}

/// A value that could not be decoded into the Rust type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What went wrong, in words.
    pub message: String,
}

impl DecodeError {
    /// A decode error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

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
    let got = match got {
        Value::Null => "NULL",
        Value::Text(_) => "text",
        Value::Int(_) => "an integer",
        Value::Bool(_) => "a boolean",
        Value::Timestamp(_) => "a timestamp",
    };
    DecodeError::new(format!("expected {expected}, found {got}"))
}

macro_rules! value_impls {
    ($($rust:ty => $variant:ident, $what:literal;)*) => {$(
        impl FromValue for $rust {
            fn from_value(value: Value) -> Result<Self, DecodeError> {
                match value {
                    Value::$variant(v) => Ok(v),
                    other => Err(mismatch($what, &other)),
                }
            }
        }
        impl IntoValue for $rust {
            fn into_value(self) -> Value {
                Value::$variant(self)
            }
        }
    )*};
}

value_impls! {
    String => Text, "text";
    i64 => Int, "an integer";
    bool => Bool, "a boolean";
    DateTime<Utc> => Timestamp, "a timestamp";
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

impl IntoValue for &String {
    fn into_value(self) -> Value {
        Value::Text(self.clone())
    }
}

impl IntoValue for i32 {
    fn into_value(self) -> Value {
        Value::Int(self.into())
    }
}

impl IntoValue for uuid::Uuid {
    fn into_value(self) -> Value {
        Value::Text(self.hyphenated().to_string())
    }
}

impl IntoValue for Value {
    fn into_value(self) -> Value {
        self
    }
}
