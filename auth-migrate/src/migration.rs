//! Migrations: frozen SQL per dialect, versioned, named and checksummed.

use std::borrow::Cow;

use auth_schema::Backend;

use crate::checksum::checksum;

/// The directive that makes the SQLite runner turn `PRAGMA foreign_keys` off around a migration
/// (table rebuilds), and run `PRAGMA foreign_key_check` before committing it.
pub const FOREIGN_KEYS_OFF: &str = "-- authjs-migrate: foreign-keys-off";

/// A down script holding this line cannot be run: the change it would revert lost information.
pub const IRREVERSIBLE: &str = "-- authjs-migrate: irreversible";

/// One migration of one dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The version: a positive integer, applied in increasing order.
    pub version: i64,
    /// A short name, e.g. `auth_schema`.
    pub name: Cow<'static, str>,
    /// The SQL that applies it: statements each ending with `;`.
    pub up: Cow<'static, str>,
    /// The SQL that reverts it, if any.
    pub down: Option<Cow<'static, str>>,
}

impl Migration {
    /// A migration from owned or static text.
    pub fn new(
        version: i64,
        name: impl Into<Cow<'static, str>>,
        up: impl Into<Cow<'static, str>>,
        down: Option<Cow<'static, str>>,
    ) -> Self {
        Migration {
            version,
            name: name.into(),
            up: up.into(),
            down,
        }
    }

    /// The checksum of the up script (see [`checksum`](crate::checksum)).
    pub fn checksum(&self) -> String {
        checksum(&self.up)
    }

    /// The statements of the up script, in order.
    pub fn up_statements(&self) -> Vec<String> {
        split_statements(&self.up)
    }

    /// Whether the up script needs foreign keys off (SQLite table rebuilds).
    pub fn needs_foreign_keys_off(&self) -> bool {
        has_directive(&self.up, FOREIGN_KEYS_OFF)
    }

    /// `0001_auth_schema`.
    pub fn label(&self) -> String {
        format!("{:04}_{}", self.version, self.name)
    }
}

pub(crate) fn has_directive(sql: &str, directive: &str) -> bool {
    sql.lines().any(|l| l.trim() == directive)
}

/// The migrations shipped with this crate for `auth_schema::kysely::Schema`, embedded in the
/// binary (from `auth-migrate/migrations/<dialect>/`).
pub fn stock(backend: Backend) -> Vec<Migration> {
    let all: &[(&str, i64, &str, &str, Option<&str>)] = crate::STOCK;
    let dir = dialect_dir(backend);
    all.iter()
        .filter(|(d, ..)| *d == dir)
        .map(|&(_, version, name, up, down)| Migration {
            version,
            name: Cow::Borrowed(name),
            up: Cow::Borrowed(up),
            down: down.map(Cow::Borrowed),
        })
        .collect()
}

/// The migrations of `backend` in `<dir>/<dialect>/<version>_<name>.up.sql` (and `.down.sql`),
/// read at run time; a missing folder holds none. For production, prefer embedding them with
/// `include_str!` so that a deployment changes the schema only with a code change.
pub fn load_dir(dir: &std::path::Path, backend: Backend) -> Result<Vec<Migration>, crate::Error> {
    let sub = dir.join(dialect_dir(backend));
    let Ok(entries) = std::fs::read_dir(&sub) else {
        return Ok(Vec::new());
    };
    let io = |p: &std::path::Path, e: std::io::Error| {
        crate::Error::Io(format!("cannot read {}: {e}", p.display()))
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let Some(stem) = file.strip_suffix(".up.sql") else {
            continue;
        };
        let (version, name) = stem
            .split_once('_')
            .and_then(|(v, n)| Some((v.parse::<i64>().ok()?, n)))
            .ok_or_else(|| {
                crate::Error::Config(format!(
                    "{}: expected <version>_<name>.up.sql",
                    path.display()
                ))
            })?;
        let up = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        let down_path = path.with_file_name(format!("{stem}.down.sql"));
        let down = match std::fs::read_to_string(&down_path) {
            Ok(d) => Some(Cow::Owned(d)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&down_path, e)),
        };
        out.push(Migration::new(version, name.to_owned(), up, down));
    }
    out.sort_by_key(|m| m.version);
    Ok(out)
}

/// The folder name of a dialect under `migrations/`.
pub fn dialect_dir(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "postgres",
        Backend::MySql => "mysql",
        Backend::Sqlite => "sqlite",
    }
}

/// Splits SQL into statements at `;` outside quotes, identifiers and comments. Comment-only
/// pieces are dropped; each statement is returned trimmed, without its `;`.
pub fn split_statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                cur.push(c);
                while let Some(d) = chars.next() {
                    cur.push(d);
                    if d == c {
                        if chars.peek() == Some(&c) {
                            cur.push(chars.next().unwrap_or(c));
                        } else {
                            break;
                        }
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        cur.push('\n');
                        break;
                    }
                }
            }
            ';' => {
                let s = cur.trim();
                if !s.is_empty() {
                    out.push(s.to_owned());
                }
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    let s = cur.trim();
    if !s.is_empty() {
        out.push(s.to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_quotes_and_comments() {
        let sql = "-- header; not a statement\nCREATE TABLE \"a;b\" (x text DEFAULT 'it''s; fine');\n\
                   INSERT INTO `c` VALUES (';'); -- trailing; comment\n\nSELECT 1";
        assert_eq!(
            split_statements(sql),
            vec![
                "CREATE TABLE \"a;b\" (x text DEFAULT 'it''s; fine')",
                "INSERT INTO `c` VALUES (';')",
                "SELECT 1"
            ]
        );
        assert!(split_statements("-- only a comment\n").is_empty());
    }

    #[test]
    fn stock_migrations_are_numbered_from_one_and_identical_in_shape() {
        for backend in Backend::ALL {
            let ms = stock(backend);
            assert!(!ms.is_empty(), "{backend:?}");
            for (i, m) in ms.iter().enumerate() {
                assert_eq!(m.version, i as i64 + 1);
                assert!(m.down.is_some());
            }
            let names: Vec<_> = ms.iter().map(|m| m.name.clone()).collect();
            let pg: Vec<_> = stock(Backend::Postgres)
                .iter()
                .map(|m| m.name.clone())
                .collect();
            assert_eq!(names, pg);
        }
    }
}
