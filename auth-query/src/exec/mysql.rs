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

fn read(row: &MySqlRow, i: usize, ty: ColumnType) -> Result<Value, DecodeError> {
    let value = match ty {
        // sqlx reads every MySQL integer width as i64.
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => {
            get::<i64, _>(row, i)?.map(Value::Int)
        }
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
