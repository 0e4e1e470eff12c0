//! MySQL and MariaDB: `DATETIME(3)` holds UTC wall-clock time, booleans are `TINYINT(1)`.

use auth_schema::{ColumnType, DecodeError, Value};
use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx::Row;
use sqlx::mysql::MySqlRow;

use super::decode_error;

fn read(row: &MySqlRow, i: usize, ty: ColumnType) -> Result<Value, DecodeError> {
    let value = match ty {
        ColumnType::Id(_) | ColumnType::Text | ColumnType::LongText => {
            match row.try_get::<Option<String>, _>(i) {
                Ok(v) => v.map(Value::Text),
                // Binary collations come back as bytes.
                Err(_) => match row
                    .try_get::<Option<Vec<u8>>, _>(i)
                    .map_err(|e| decode_error(i, e))?
                {
                    Some(bytes) => Some(Value::Text(
                        String::from_utf8(bytes).map_err(|e| decode_error(i, e))?,
                    )),
                    None => None,
                },
            }
        }
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
        ColumnType::Timestamp => match row.try_get::<Option<NaiveDateTime>, _>(i) {
            Ok(v) => v.map(|t| Value::Timestamp(t.and_utc())),
            // `TIMESTAMP` columns decode as instants.
            Err(_) => row
                .try_get::<Option<DateTime<Utc>>, _>(i)
                .map_err(|e| decode_error(i, e))?
                .map(Value::Timestamp),
        },
    };
    Ok(value.unwrap_or(Value::Null))
}

super::executes_for!(crate::MySql, sqlx::MySql, sqlx::MySqlConnection, read);
