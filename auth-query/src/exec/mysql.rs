//! MySQL and MariaDB: `DATETIME(3)` holds UTC wall-clock time, booleans are `TINYINT(1)`, text
//! under a binary collation may come back as bytes, and MariaDB's JSON is text.

use auth_schema::{ColumnType, DecodeError, Value};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sqlx::Row;
use sqlx::mysql::MySqlRow;

use super::{decode_error, get, parse_json};

/// Text, or bytes that are UTF-8 (binary collations come back as bytes).
fn text(row: &MySqlRow, i: usize) -> Result<Option<String>, DecodeError> {
    match row.try_get::<Option<String>, _>(i) {
        Ok(v) => Ok(v),
        Err(_) => match get::<Vec<u8>, _>(row, i)? {
            Some(bytes) => Ok(Some(
                String::from_utf8(bytes).map_err(|e| decode_error(i, e))?,
            )),
            None => Ok(None),
        },
    }
}

/// A `DECIMAL` value as its text (what the server sends, in either protocol).
struct DecimalText(String);

impl sqlx::Type<sqlx::MySql> for DecimalText {
    fn type_info() -> sqlx::mysql::MySqlTypeInfo {
        <str as sqlx::Type<sqlx::MySql>>::type_info()
    }
    fn compatible(ty: &sqlx::mysql::MySqlTypeInfo) -> bool {
        sqlx::TypeInfo::name(ty) == "DECIMAL"
    }
}

impl<'r> sqlx::Decode<'r, sqlx::MySql> for DecimalText {
    fn decode(value: sqlx::mysql::MySqlValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        <&str as sqlx::Decode<sqlx::MySql>>::decode(value).map(|s| DecimalText(s.to_owned()))
    }
}

/// An integer column, or a `DECIMAL` that holds an integer: `SUM` of integers is a DECIMAL of
/// up to 65 digits on MySQL, decoded exactly; one outside `i64` (or with a fraction) is an
/// error, not a value clipped to `i64::MAX` as `CAST(... AS SIGNED)` would give.
fn integer(row: &MySqlRow, i: usize) -> Result<Option<Value>, DecodeError> {
    match row.try_get::<Option<i64>, _>(i) {
        Ok(v) => Ok(v.map(Value::Int)),
        Err(sqlx::Error::ColumnDecode { .. }) => match get::<DecimalText, _>(row, i) {
            Ok(Some(DecimalText(text))) => {
                let whole = match text.split_once('.') {
                    Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => whole,
                    Some(_) => {
                        return Err(decode_error(i, format!("{text} is not an integer")));
                    }
                    None => text.as_str(),
                };
                whole
                    .parse::<i64>()
                    .map(|n| Some(Value::Int(n)))
                    .map_err(|_| {
                        decode_error(i, format!("{text} does not fit in a 64-bit integer"))
                    })
            }
            Ok(None) => Ok(None),
            // Neither an integer nor a DECIMAL: report the integer decoding's error.
            Err(_) => get::<i64, _>(row, i).map(|v| v.map(Value::Int)),
        },
        Err(e) => Err(decode_error(i, e)),
    }
}

fn read(row: &MySqlRow, i: usize, ty: ColumnType) -> Result<Value, DecodeError> {
    let value = match ty {
        // sqlx reads every MySQL integer width as i64.
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => integer(row, i)?,
        ColumnType::Real | ColumnType::Double => match row.try_get::<Option<f64>, _>(i) {
            Ok(v) => v.map(Value::Double),
            Err(_) => get::<f32, _>(row, i)?.map(Value::Float),
        },
        ColumnType::Bool => get::<bool, _>(row, i)?.map(Value::Bool),
        ColumnType::Timestamp => match row.try_get::<Option<NaiveDateTime>, _>(i) {
            Ok(v) => v.map(|t| Value::Timestamp(t.and_utc())),
            // `TIMESTAMP` columns decode as instants.
            Err(_) => get::<DateTime<Utc>, _>(row, i)?.map(Value::Timestamp),
        },
        ColumnType::NaiveTimestamp => get::<NaiveDateTime, _>(row, i)?.map(Value::NaiveTimestamp),
        ColumnType::Date => get::<NaiveDate, _>(row, i)?.map(Value::Date),
        ColumnType::Time => get::<NaiveTime, _>(row, i)?.map(Value::Time),
        ColumnType::Json => match text(row, i)? {
            Some(s) => Some(parse_json(i, &s)?),
            None => None,
        },
        ColumnType::Bytes => get::<Vec<u8>, _>(row, i)?.map(Value::Bytes),
        _ => text(row, i)?.map(Value::Text),
    };
    Ok(value.unwrap_or(Value::Null))
}

super::executes_for!(crate::MySql, sqlx::MySql, sqlx::MySqlConnection, read);
