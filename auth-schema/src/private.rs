//! Support for the declaration macros. Not a public API: the macros call into it, so that the
//! code they generate stays small and the crates that invoke them need no dependency of their
//! own (serde, for one).

use core::fmt;
use core::marker::PhantomData;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;

pub use serde;

use crate::column::{ColumnInfo, ColumnType, Table, TableInfo};
use crate::row::Extras;
use crate::value::{DecodeError, FromValue, RowReader, Value};

/// The index of the column named `name` among a table's columns (0 if there is none, which a
/// macro never asks for).
pub const fn position_of(info: &TableInfo, name: &str) -> usize {
    let mut i = 0;
    while i < info.columns.len() {
        if crate::naming::str_eq(info.columns[i].name, name) {
            return i;
        }
        i += 1;
    }
    0
}

/// Reads the next column as `T`, naming `field` in the error.
pub fn field<T: FromValue>(reader: &mut dyn RowReader, field: &str) -> Result<T, DecodeError> {
    let value = reader.read()?;
    T::from_value(value).map_err(|e| DecodeError::new(format!("field `{field}`: {e}")))
}

/// The columns a struct serializes, in order: a table's, or an extras struct's.
pub trait ColumnList {
    /// The columns.
    fn columns() -> Vec<&'static ColumnInfo>;
}

impl<T: Table> ColumnList for T {
    fn columns() -> Vec<&'static ColumnInfo> {
        T::INFO.all_columns().collect()
    }
}

/// The columns of an extras struct, for [`ColumnList`].
pub struct ExtrasOf<X>(PhantomData<X>);

impl<X: Extras> ColumnList for ExtrasOf<X> {
    fn columns() -> Vec<&'static ColumnInfo> {
        X::COLUMNS.iter().collect()
    }
}

/// Reads already-decoded values in order.
pub(crate) struct Values(pub(crate) std::vec::IntoIter<Value>);

impl RowReader for Values {
    fn read(&mut self) -> Result<Value, DecodeError> {
        self.0
            .next()
            .ok_or_else(|| DecodeError::new("fewer values than columns"))
    }
}

/// One value, serialized as its natural JSON form (timestamps as RFC 3339 text).
struct Ser<'a>(&'a Value);

impl serde::Serialize for Ser<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_none(),
            Value::Text(v) => s.serialize_str(v),
            Value::Int(v) => s.serialize_i64(*v),
            Value::SmallInt(v) => s.serialize_i16(*v),
            Value::Integer(v) => s.serialize_i32(*v),
            Value::Float(v) => s.serialize_f32(*v),
            Value::Double(v) => s.serialize_f64(*v),
            Value::Bool(v) => s.serialize_bool(*v),
            Value::Timestamp(v) => v.serialize(s),
            Value::NaiveTimestamp(v) => v.serialize(s),
            Value::Date(v) => v.serialize(s),
            Value::Time(v) => v.serialize(s),
            Value::Uuid(v) => s.serialize_str(&v.hyphenated().to_string()),
            Value::Json(v) => v.serialize(s),
            Value::Bytes(v) => s.serialize_bytes(v),
            Value::Invalid(m) => Err(serde::ser::Error::custom(m)),
        }
    }
}

/// Serializes a row's values as a map of its columns' field names to values.
pub fn serialize<S: serde::Serializer>(
    columns: &[&'static ColumnInfo],
    values: &[Value],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(columns.len()))?;
    for (col, value) in columns.iter().zip(values) {
        map.serialize_entry(col.field, &Ser(value))?;
    }
    map.end()
}

/// Deserializes one value of a column's type (NULL allowed when the column is nullable).
struct Typed {
    ty: ColumnType,
    nullable: bool,
}

impl<'de> DeserializeSeed<'de> for Typed {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        use serde::Deserialize as De;
        macro_rules! read {
            ($t:ty, $variant:ident) => {
                Option::<$t>::deserialize(d)?.map(Value::$variant)
            };
        }
        let value = match self.ty {
            ColumnType::Id(_)
            | ColumnType::Text
            | ColumnType::LongText
            | ColumnType::Varchar(_) => read!(String, Text),
            ColumnType::SmallInt => read!(i16, SmallInt),
            ColumnType::Integer => read!(i32, Integer),
            ColumnType::BigInt => read!(i64, Int),
            ColumnType::Real => read!(f32, Float),
            ColumnType::Double => read!(f64, Double),
            ColumnType::Bool => read!(bool, Bool),
            ColumnType::Timestamp => read!(chrono::DateTime<chrono::Utc>, Timestamp),
            ColumnType::NaiveTimestamp => read!(chrono::NaiveDateTime, NaiveTimestamp),
            ColumnType::Date => read!(chrono::NaiveDate, Date),
            ColumnType::Time => read!(chrono::NaiveTime, Time),
            ColumnType::Json => {
                // JSON null is a value of a JSON column, not SQL NULL.
                let v = serde_json::Value::deserialize(d)?;
                if v.is_null() && self.nullable {
                    None
                } else {
                    Some(Value::Json(v))
                }
            }
            ColumnType::Bytes => read!(Vec<u8>, Bytes),
        };
        match value {
            Some(v) => Ok(v),
            None if self.nullable => Ok(Value::Null),
            None => Err(D::Error::custom("null for a column that is NOT NULL")),
        }
    }
}

/// How a macro-generated struct is built from its values.
pub type DecodeFn<R> = fn(&mut dyn RowReader) -> Result<R, DecodeError>;

struct RowVisitor<R> {
    name: &'static str,
    columns: Vec<&'static ColumnInfo>,
    decode: DecodeFn<R>,
}

impl<'de, R> Visitor<'de> for RowVisitor<R> {
    type Value = R;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<R, A::Error> {
        let columns = self.columns;
        let mut values: Vec<Option<Value>> = vec![None; columns.len()];
        while let Some(key) = map.next_key::<String>()? {
            match columns.iter().position(|c| c.field == key) {
                Some(i) => {
                    let col = columns[i];
                    values[i] = Some(map.next_value_seed(Typed {
                        ty: col.ty,
                        nullable: col.nullable,
                    })?);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let mut complete = Vec::with_capacity(columns.len());
        for (col, value) in columns.iter().zip(values) {
            match value {
                Some(v) => complete.push(v),
                None if col.nullable => complete.push(Value::Null),
                None => return Err(A::Error::missing_field(col.field)),
            }
        }
        (self.decode)(&mut Values(complete.into_iter())).map_err(A::Error::custom)
    }
}

/// Deserializes a row from a map of its columns' field names to values. Unknown fields are
/// ignored (so the struct can be `#[serde(flatten)]`ed); a missing nullable field is NULL.
pub fn deserialize<'de, R, D: serde::Deserializer<'de>>(
    name: &'static str,
    columns: Vec<&'static ColumnInfo>,
    decode: DecodeFn<R>,
    deserializer: D,
) -> Result<R, D::Error> {
    deserializer.deserialize_map(RowVisitor {
        name,
        columns,
        decode,
    })
}

// ------------------------------------------------ Debug and PartialEq of the generated structs --
//
// `table!` implements `Debug` and `PartialEq` of its `Row` and `New` structs through these
// functions, by their values, rather than by a derive per struct: a derive type-checks every
// field of every table in the user's crate, which made up a tenth of checking a crate of 20
// tables (BENCHMARKS.md, "Compile time").

/// One value as `#[derive(Debug)]` prints the field it came from: `None` for NULL, `Some(..)`
/// around a value of a nullable column.
struct DebugValue<'a> {
    value: &'a Value,
    nullable: bool,
}

impl fmt::Debug for DebugValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner: &dyn fmt::Debug = match self.value {
            Value::Null => return f.write_str("None"),
            Value::Text(v) => v,
            Value::Int(v) => v,
            Value::Bool(v) => v,
            Value::Timestamp(v) => v,
            Value::SmallInt(v) => v,
            Value::Integer(v) => v,
            Value::Float(v) => v,
            Value::Double(v) => v,
            Value::Bytes(v) => v,
            Value::Uuid(v) => v,
            Value::Json(v) => v,
            Value::NaiveTimestamp(v) => v,
            Value::Date(v) => v,
            Value::Time(v) => v,
            Value::Invalid(v) => v,
        };
        if self.nullable {
            f.debug_tuple("Some").field(inner).finish()
        } else {
            inner.fmt(f)
        }
    }
}

/// A value of a `New` struct: `None` leaves the column to its default.
struct DebugInsert<'a> {
    value: Option<&'a Value>,
    col: &'a ColumnInfo,
}

impl fmt::Debug for DebugInsert<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = DebugValue {
            value: self.value.unwrap_or(&Value::Null),
            nullable: self.col.nullable,
        };
        match (self.col.default.is_some(), self.value) {
            (false, _) => value.fmt(f),
            (true, None) => f.write_str("None"),
            (true, Some(_)) => f.debug_tuple("Some").field(&value).finish(),
        }
    }
}

/// `Debug` of a table's `Row`: `Row { id: 1, title: "Hello", body: None, .. }`.
pub fn debug_row<T: Table, R: crate::Row + Clone>(
    row: &R,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let mut values = Vec::new();
    row.clone().encode(&mut values);
    let mut s = f.debug_struct("Row");
    for (col, value) in T::INFO.all_columns().zip(&values) {
        s.field(
            col.field,
            &DebugValue {
                value,
                nullable: col.nullable,
            },
        );
    }
    s.finish()
}

/// `PartialEq` of a table's `Row`: equal values, column by column.
pub fn row_eq<R: crate::Row + Clone>(a: &R, b: &R) -> bool {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    a.clone().encode(&mut x);
    b.clone().encode(&mut y);
    x == y
}

/// `Debug` of a table's `New`: `New { id: None, title: "Hello", .. }`.
pub fn debug_new<T: Table, N: crate::Insertable<T> + Clone>(
    new: &N,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let values = new.clone().into_values();
    let mut s = f.debug_struct("New");
    for (col, value) in T::INFO.all_columns().zip(&values) {
        s.field(
            col.field,
            &DebugInsert {
                value: value.as_ref(),
                col,
            },
        );
    }
    s.finish()
}

/// `PartialEq` of a table's `New`.
pub fn new_eq<T: Table, N: crate::Insertable<T> + Clone>(a: &N, b: &N) -> bool {
    a.clone().into_values() == b.clone().into_values()
}

/// `Serialize` of a struct the macros generate, by its values (`encode`) and columns (`C`).
pub fn serialize_by<C: ColumnList, T: Clone, S: serde::Serializer>(
    value: &T,
    encode: fn(T, &mut Vec<Value>),
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut values = Vec::new();
    encode(value.clone(), &mut values);
    serialize(&C::columns(), &values, serializer)
}

/// `Deserialize` of a struct the macros generate (see [`serialize_by`]).
pub fn deserialize_by<'de, C: ColumnList, T, D: serde::Deserializer<'de>>(
    name: &'static str,
    decode: DecodeFn<T>,
    deserializer: D,
) -> Result<T, D::Error> {
    deserialize(name, C::columns(), decode, deserializer)
}

/// Fails the build when two columns of a table have one physical name (two renames to one name,
/// or an extra column named like one of the table's), which `CREATE TABLE` would refuse.
pub const fn assert_distinct_column_names(info: &TableInfo) {
    const fn nth(info: &TableInfo, i: usize) -> &'static str {
        if i < info.columns.len() {
            info.columns[i].name
        } else {
            info.extras[i - info.columns.len()].name
        }
    }
    let n = info.columns.len() + info.extras.len();
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n {
            if crate::naming::str_eq(nth(info, i), nth(info, j)) {
                panic!(
                    "two columns of this table have the same physical name (two renames with `as` to one name, or an extra column named like one of the table's)"
                );
            }
            j += 1;
        }
        i += 1;
    }
}
