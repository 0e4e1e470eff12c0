//! SQLite: instants are ISO-8601 text (read leniently), booleans 0/1.

use auth_schema::{ColumnType, DecodeError, Value};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::decode_error;
use crate::backend::parse_sqlite_timestamp;

fn read(row: &SqliteRow, i: usize, ty: ColumnType) -> Result<Value, DecodeError> {
    let value = match ty {
        ColumnType::Id(_) | ColumnType::Text | ColumnType::LongText => row
            .try_get::<Option<String>, _>(i)
            .map_err(|e| decode_error(i, e))?
            .map(Value::Text),
        ColumnType::BigInt => row
            .try_get::<Option<i64>, _>(i)
            .map_err(|e| decode_error(i, e))?
            .map(Value::Int),
        ColumnType::Bool => row
            .try_get::<Option<bool>, _>(i)
            .map_err(|e| decode_error(i, e))?
            .map(Value::Bool),
        ColumnType::Timestamp => match row.try_get::<Option<String>, _>(i) {
            Ok(None) => None,
            Ok(Some(text)) => Some(Value::Timestamp(parse_sqlite_timestamp(&text).ok_or_else(
                || decode_error(i, format!("`{text}` is not an ISO-8601 timestamp")),
            )?)),
            // Some writers store Unix milliseconds as an integer.
            Err(_) => match row
                .try_get::<Option<i64>, _>(i)
                .map_err(|e| decode_error(i, e))?
            {
                None => None,
                Some(ms) => Some(Value::Timestamp(
                    chrono::DateTime::from_timestamp_millis(ms).ok_or_else(|| {
                        decode_error(i, format!("{ms} is out of range as Unix milliseconds"))
                    })?,
                )),
            },
        },
    };
    Ok(value.unwrap_or(Value::Null))
}

super::executes_for!(crate::Sqlite, sqlx::Sqlite, sqlx::SqliteConnection, read);
