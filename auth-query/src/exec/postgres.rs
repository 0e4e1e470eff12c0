//! PostgreSQL: `uuid` ids, `timestamptz` instants, `jsonb` documents.

use auth_schema::{ColumnType, DecodeError, IdType, Value};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::get;

/// An integer column of any width (a schema may declare `bigint` over an `integer` column).
fn integer(row: &PgRow, i: usize) -> Result<Option<Value>, DecodeError> {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return Ok(v.map(Value::Int));
    }
    if let Ok(v) = row.try_get::<Option<i32>, _>(i) {
        return Ok(v.map(Value::Integer));
    }
    Ok(get::<i16, _>(row, i)?.map(Value::SmallInt))
}

fn read(row: &PgRow, i: usize, ty: ColumnType) -> Result<Value, DecodeError> {
    let value = match ty {
        // A schema may declare `uuid` ids over a text column, so fall back to text.
        ColumnType::Id(IdType::Uuid) => match row.try_get::<Option<uuid::Uuid>, _>(i) {
            Ok(v) => v.map(|id| Value::Text(id.hyphenated().to_string())),
            Err(_) => get::<String, _>(row, i)?.map(Value::Text),
        },
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => integer(row, i)?,
        ColumnType::Real | ColumnType::Double => match row.try_get::<Option<f64>, _>(i) {
            Ok(v) => v.map(Value::Double),
            Err(_) => get::<f32, _>(row, i)?.map(Value::Float),
        },
        ColumnType::Bool => get::<bool, _>(row, i)?.map(Value::Bool),
        ColumnType::Timestamp => match row.try_get::<Option<DateTime<Utc>>, _>(i) {
            Ok(v) => v.map(Value::Timestamp),
            // `timestamp without time zone`: read as UTC wall-clock.
            Err(_) => get::<NaiveDateTime, _>(row, i)?.map(|t| Value::Timestamp(t.and_utc())),
        },
        ColumnType::NaiveTimestamp => get::<NaiveDateTime, _>(row, i)?.map(Value::NaiveTimestamp),
        ColumnType::Date => get::<NaiveDate, _>(row, i)?.map(Value::Date),
        ColumnType::Time => get::<NaiveTime, _>(row, i)?.map(Value::Time),
        ColumnType::Json => get::<serde_json::Value, _>(row, i)?.map(Value::Json),
        ColumnType::Bytes => get::<Vec<u8>, _>(row, i)?.map(Value::Bytes),
        _ => get::<String, _>(row, i)?.map(Value::Text),
    };
    Ok(value.unwrap_or(Value::Null))
}

super::executes_for!(crate::Postgres, sqlx::Postgres, sqlx::PgConnection, read);
