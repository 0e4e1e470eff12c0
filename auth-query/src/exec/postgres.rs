//! PostgreSQL: `uuid` ids, `timestamptz` instants.

use auth_schema::{ColumnType, DecodeError, IdType, Value};
use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::decode_error;

fn read(row: &PgRow, i: usize, ty: ColumnType) -> Result<Value, DecodeError> {
    let value = match ty {
        // A schema may declare `uuid` ids over a text column, so fall back to text.
        ColumnType::Id(IdType::Uuid) => match row.try_get::<Option<uuid::Uuid>, _>(i) {
            Ok(v) => v.map(|id| Value::Text(id.hyphenated().to_string())),
            Err(_) => row
                .try_get::<Option<String>, _>(i)
                .map_err(|e| decode_error(i, e))?
                .map(Value::Text),
        },
        ColumnType::Id(_) | ColumnType::Text | ColumnType::LongText => row
            .try_get::<Option<String>, _>(i)
            .map_err(|e| decode_error(i, e))?
            .map(Value::Text),
        ColumnType::BigInt => match row.try_get::<Option<i64>, _>(i) {
            Ok(v) => v.map(Value::Int),
            Err(_) => row
                .try_get::<Option<i32>, _>(i)
                .map_err(|e| decode_error(i, e))?
                .map(|v| Value::Int(v.into())),
        },
        ColumnType::Bool => row
            .try_get::<Option<bool>, _>(i)
            .map_err(|e| decode_error(i, e))?
            .map(Value::Bool),
        ColumnType::Timestamp => match row.try_get::<Option<DateTime<Utc>>, _>(i) {
            Ok(v) => v.map(Value::Timestamp),
            // `timestamp without time zone`: read as UTC wall-clock.
            Err(_) => row
                .try_get::<Option<NaiveDateTime>, _>(i)
                .map_err(|e| decode_error(i, e))?
                .map(|t| Value::Timestamp(t.and_utc())),
        },
    };
    Ok(value.unwrap_or(Value::Null))
}

super::executes_for!(crate::Postgres, sqlx::Postgres, sqlx::PgConnection, read);
