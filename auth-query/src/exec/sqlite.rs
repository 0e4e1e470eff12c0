//! SQLite: instants and dates are ISO-8601 text (read leniently), booleans 0/1, JSON text.

use auth_schema::{ColumnType, DecodeError, Value};
use chrono::{NaiveDate, NaiveTime};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{decode_error, get, parse_json};
use crate::backend::{parse_sqlite_naive, parse_sqlite_timestamp};

fn read(row: &SqliteRow, i: usize, ty: ColumnType) -> Result<Value, DecodeError> {
    let text = |what: &str, parse: &dyn Fn(&str) -> Option<Value>| -> Result<Value, DecodeError> {
        match get::<String, _>(row, i)? {
            None => Ok(Value::Null),
            Some(s) => parse(&s).ok_or_else(|| decode_error(i, format!("`{s}` is not {what}"))),
        }
    };
    let value = match ty {
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => {
            get::<i64, _>(row, i)?.map(Value::Int)
        }
        ColumnType::Real | ColumnType::Double => match row.try_get::<Option<f64>, _>(i) {
            Ok(v) => v.map(Value::Double),
            Err(_) => get::<i64, _>(row, i)?.map(|n| Value::Double(n as f64)),
        },
        ColumnType::Bool => get::<bool, _>(row, i)?.map(Value::Bool),
        ColumnType::Timestamp => match row.try_get::<Option<String>, _>(i) {
            Ok(None) => None,
            Ok(Some(text)) => Some(Value::Timestamp(parse_sqlite_timestamp(&text).ok_or_else(
                || decode_error(i, format!("`{text}` is not an ISO-8601 timestamp")),
            )?)),
            // Some writers store Unix milliseconds as an integer.
            Err(_) => match get::<i64, _>(row, i)? {
                None => None,
                Some(ms) => Some(Value::Timestamp(
                    chrono::DateTime::from_timestamp_millis(ms).ok_or_else(|| {
                        decode_error(i, format!("{ms} is out of range as Unix milliseconds"))
                    })?,
                )),
            },
        },
        ColumnType::NaiveTimestamp => Some(text("a date and time", &|s| {
            parse_sqlite_naive(s).map(Value::NaiveTimestamp)
        })?),
        ColumnType::Date => Some(text("a date", &|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(Value::Date)
        })?),
        ColumnType::Time => Some(text("a time of day", &|s| {
            NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
                .ok()
                .map(Value::Time)
        })?),
        ColumnType::Json => match get::<String, _>(row, i)? {
            None => None,
            Some(s) => Some(parse_json(i, &s)?),
        },
        ColumnType::Bytes => get::<Vec<u8>, _>(row, i)?.map(Value::Bytes),
        // Ids and text of every kind.
        _ => get::<String, _>(row, i)?.map(Value::Text),
    };
    Ok(value.unwrap_or(Value::Null))
}

super::executes_for!(crate::Sqlite, sqlx::Sqlite, sqlx::SqliteConnection, read);
