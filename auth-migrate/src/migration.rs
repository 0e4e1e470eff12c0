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

    /// The statements of the up script, in order, by the rules every dialect shares
    /// ([`split_statements`]).
    pub fn up_statements(&self) -> Vec<String> {
        split_statements(&self.up)
    }

    /// The statements of the up script as `backend` reads them ([`split_statements_for`]), which
    /// is how the runner splits it.
    ///
    /// ```
    /// use auth_migrate::Migration;
    /// use auth_schema::Backend;
    /// let m = Migration::new(2, "note", r"SELECT 'it\'s; fine'; SELECT 1;", None);
    /// // MySQL reads `\'` as an escaped quote; PostgreSQL ends the string there.
    /// assert_eq!(m.up_statements_for(Backend::MySql), [r"SELECT 'it\'s; fine'", "SELECT 1"]);
    /// assert_eq!(m.up_statements_for(Backend::Postgres)[0], r"SELECT 'it\'s");
    /// ```
    pub fn up_statements_for(&self, backend: Backend) -> Vec<String> {
        split_statements_for(&self.up, backend)
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
    let io = |p: &std::path::Path, e: std::io::Error| crate::Error::io("read", p, e);
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

/// Splits SQL into statements by the rules the three dialects share; each statement is returned
/// trimmed, without its `;`, and pieces holding only comments are dropped. Prefer
/// [`split_statements_for`], which knows a dialect's own rules (the runner uses it).
///
/// A `;` ends a statement unless it is inside:
/// - a string `'…'` or `"…"`, where a doubled quote stands for itself, or a backtick identifier;
/// - a `-- …` line comment or a `/* … */` block comment (comments are removed from the statements
///   returned; here block comments do not nest);
/// - a PostgreSQL dollar-quoted body, `$$ … $$` or `$tag$ … $tag$` (no other dialect has them,
///   so they are recognised here too; a `$` inside a word, as in `a$b`, starts none);
/// - parentheses, or the `BEGIN … END` body of a `CREATE TRIGGER`, `FUNCTION`, `PROCEDURE` or
///   `EVENT` (SQLite triggers, MySQL routines, PostgreSQL's `BEGIN ATOMIC`), counting `CASE …
///   END` inside it.
///
/// Backslashes are ordinary characters here, as in standard SQL: MySQL strings such as
/// `'it\'s'` need [`split_statements_for`] with [`Backend::MySql`]. `DELIMITER` is a command of
/// the `mysql` client, not SQL: leave it out, and end a routine with `END;`.
///
/// ```
/// use auth_migrate::migration::split_statements;
/// let sql = "-- two statements\nCREATE TABLE t (x text DEFAULT 'a;b');\n/* ; */ DROP TABLE u;";
/// assert_eq!(split_statements(sql), ["CREATE TABLE t (x text DEFAULT 'a;b')", "DROP TABLE u"]);
/// ```
pub fn split_statements(sql: &str) -> Vec<String> {
    split(sql, Lexer::NEUTRAL)
}

/// Splits SQL into statements as `backend` reads it: [`split_statements`]'s rules plus the
/// dialect's own.
///
/// - PostgreSQL: block comments nest; `E'…'` strings take backslash escapes (`E'it\'s'`), other
///   strings do not (`standard_conforming_strings`, on by default since 9.1, is assumed).
/// - MySQL and MariaDB: a backslash escapes the next character in `'…'` and `"…"` strings (the
///   default SQL mode, without `NO_BACKSLASH_ESCAPES`); `#` starts a line comment, and `--` does
///   only before a space or the end of the line; `/*! … */`, `/*M! … */` and `/*+ … */` are
///   kept, since the server runs them; dollar quotes do not exist.
/// - SQLite: `[…]` is an identifier; dollar quotes do not exist.
///
/// ```
/// use auth_migrate::migration::split_statements_for;
/// use auth_schema::Backend;
///
/// let body = "CREATE FUNCTION one() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\nSELECT one();";
/// assert_eq!(split_statements_for(body, Backend::Postgres).len(), 2);
///
/// let escaped = r"INSERT INTO t VALUES ('it\'s; fine'); SELECT 1;";
/// assert_eq!(
///     split_statements_for(escaped, Backend::MySql),
///     [r"INSERT INTO t VALUES ('it\'s; fine')", "SELECT 1"]
/// );
/// ```
pub fn split_statements_for(sql: &str, backend: Backend) -> Vec<String> {
    split(
        sql,
        match backend {
            Backend::Postgres => Lexer::POSTGRES,
            Backend::MySql => Lexer::MYSQL,
            Backend::Sqlite => Lexer::SQLITE,
        },
    )
}

/// What a dialect's lexer does differently around `;`.
#[derive(Debug, Clone, Copy)]
struct Lexer {
    /// `\` escapes the next character in `'…'` and `"…"` (MySQL).
    backslash: bool,
    /// `E'…'` strings take backslash escapes (PostgreSQL).
    e_strings: bool,
    /// `$tag$ … $tag$` quotes.
    dollar: bool,
    /// Block comments nest (PostgreSQL).
    nested_comments: bool,
    /// MySQL's comments: `#`, `--` only before whitespace, `/*!` executable comments.
    mysql_comments: bool,
    /// `[…]` identifiers (SQLite).
    brackets: bool,
}

impl Lexer {
    const NEUTRAL: Lexer = Lexer {
        backslash: false,
        e_strings: false,
        dollar: true,
        nested_comments: false,
        mysql_comments: false,
        brackets: false,
    };
    const POSTGRES: Lexer = Lexer {
        e_strings: true,
        nested_comments: true,
        ..Lexer::NEUTRAL
    };
    const MYSQL: Lexer = Lexer {
        backslash: true,
        dollar: false,
        mysql_comments: true,
        ..Lexer::NEUTRAL
    };
    const SQLITE: Lexer = Lexer {
        dollar: false,
        brackets: true,
        ..Lexer::NEUTRAL
    };
}

/// Object kinds after `CREATE` whose body may hold `;` between `BEGIN` and `END`.
const ROUTINES: [&str; 4] = ["TRIGGER", "FUNCTION", "PROCEDURE", "EVENT"];

/// Other object kinds: seeing one first settles that the statement is no routine, so that a
/// column named `begin` in `CREATE TABLE event (…)` opens no block.
const OTHER_KINDS: [&str; 20] = [
    "TABLE",
    "VIEW",
    "INDEX",
    "UNIQUE",
    "SEQUENCE",
    "SCHEMA",
    "DATABASE",
    "TYPE",
    "DOMAIN",
    "EXTENSION",
    "ROLE",
    "USER",
    "POLICY",
    "RULE",
    "MATERIALIZED",
    "VIRTUAL",
    "SERVER",
    "TABLESPACE",
    "COLLATION",
    "CAST",
];

/// What the splitter tracks within one statement, beyond quotes and comments.
#[derive(Debug, Default)]
struct Statement {
    /// Words seen so far (outside quotes and comments).
    words: usize,
    /// Whether this is a `CREATE` of a routine; `None` until a kind word (or the 8th word) tells.
    routine: Option<bool>,
    /// Open `BEGIN`/`CASE` blocks in a routine.
    blocks: usize,
    /// The last word was `END`: whether it closes a block depends on the next word (`END IF`,
    /// `END LOOP`, `END WHILE` and `END REPEAT` close constructs that were not counted).
    end_pending: bool,
    /// Open parentheses: `;` inside them never ends a statement (PostgreSQL `CREATE RULE … DO
    /// (…; …)`).
    parens: usize,
}

impl Statement {
    fn word(&mut self, w: &str) {
        let is = |k: &&str| w.eq_ignore_ascii_case(k);
        if std::mem::take(&mut self.end_pending) {
            if ["IF", "LOOP", "WHILE", "REPEAT"].iter().any(is) {
                return;
            }
            self.blocks = self.blocks.saturating_sub(1);
            if is(&"CASE") {
                return;
            }
        }
        self.words += 1;
        match self.routine {
            None if self.words == 1 => {
                if !is(&"CREATE") {
                    self.routine = Some(false);
                }
            }
            None => {
                if ROUTINES.iter().any(is) {
                    self.routine = Some(true);
                } else if OTHER_KINDS.iter().any(is) || self.words > 8 {
                    self.routine = Some(false);
                }
            }
            Some(true) => {
                if is(&"BEGIN") || is(&"CASE") {
                    self.blocks += 1;
                } else if is(&"END") {
                    self.end_pending = true;
                }
            }
            Some(false) => {}
        }
    }

    /// Whether a `;` here ends the statement.
    fn ends_at_semicolon(&mut self) -> bool {
        if std::mem::take(&mut self.end_pending) {
            self.blocks = self.blocks.saturating_sub(1);
        }
        self.blocks == 0 && self.parens == 0
    }
}

fn split(sql: &str, lx: Lexer) -> Vec<String> {
    // Every character that matters is ASCII, so byte offsets at them are char boundaries.
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut st = Statement::default();
    let mut finish = |cur: &mut String, st: &mut Statement| {
        let s = cur.trim();
        if !s.is_empty() {
            out.push(s.to_owned());
        }
        cur.clear();
        *st = Statement::default();
    };
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        // Each arm returns the end of the token at `i`, which is kept as it is; comments and the
        // `;` that ends a statement `continue` instead.
        let end = match b[i] {
            b'\'' | b'"' => quoted(b, i, lx.backslash),
            b'`' => quoted(b, i, false),
            b'[' if lx.brackets => b[i..]
                .iter()
                .position(|&c| c == b']')
                .map_or(b.len(), |p| i + p + 1),
            b'$' if lx.dollar => match dollar_tag(b, i) {
                Some(open) => {
                    let tag = &sql[i..open];
                    sql[open..]
                        .find(tag)
                        .map_or(b.len(), |p| open + p + tag.len())
                }
                None => i + 1,
            },
            b'-' if next == Some(b'-')
                && (!lx.mysql_comments
                    || b.get(i + 2)
                        .is_none_or(|c| c.is_ascii_whitespace() || c.is_ascii_control())) =>
            {
                // Dropped up to the newline, which is kept.
                i = line_end(b, i);
                continue;
            }
            b'#' if lx.mysql_comments => {
                i = line_end(b, i);
                continue;
            }
            b'/' if next == Some(b'*') => {
                let end = comment_end(b, i, lx.nested_comments);
                let rest = &sql[i + 2..];
                if lx.mysql_comments
                    && (rest.starts_with('!') || rest.starts_with("M!") || rest.starts_with('+'))
                {
                    end
                } else {
                    // A comment separates tokens like a space.
                    cur.push(' ');
                    i = end;
                    continue;
                }
            }
            b'(' => {
                st.parens += 1;
                i + 1
            }
            b')' => {
                st.parens = st.parens.saturating_sub(1);
                i + 1
            }
            b';' => {
                if st.ends_at_semicolon() {
                    finish(&mut cur, &mut st);
                    i += 1;
                    continue;
                }
                i + 1
            }
            c if is_word_start(c) => {
                let end = word_end(b, i);
                if lx.e_strings
                    && b.get(end) == Some(&b'\'')
                    && sql[i..end].eq_ignore_ascii_case("e")
                {
                    quoted(b, end, true)
                } else {
                    st.word(&sql[i..end]);
                    end
                }
            }
            _ => i + 1,
        };
        cur.push_str(&sql[i..end]);
        i = end;
    }
    st.ends_at_semicolon();
    finish(&mut cur, &mut st);
    out
}

fn is_word_start(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// The end of the word at `i`; `$` continues a word (`a$b` is one identifier), never starts one.
fn word_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| !(is_word_start(c) || c == b'$'))
        .map_or(b.len(), |p| i + p)
}

/// The end of the quoted token opening at `i` (the text's end if it is never closed). A doubled
/// quote stands for itself; with `backslash`, `\` escapes the next character.
fn quoted(b: &[u8], i: usize, backslash: bool) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if backslash => j += 2,
            c if c == q && b.get(j + 1) == Some(&q) => j += 2,
            c if c == q => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// If a dollar quote opens at `i` (`$$` or `$tag$`, the tag an identifier without `$`), the end
/// of its opening delimiter.
fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if b.get(j)
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c >= 0x80)
    {
        j = b[j..]
            .iter()
            .position(|&c| !is_word_start(c))
            .map_or(b.len(), |p| j + p);
    }
    (b.get(j) == Some(&b'$')).then_some(j + 1)
}

/// The end of the block comment opening at `i` (the text's end if it is never closed).
fn comment_end(b: &[u8], i: usize, nested: bool) -> usize {
    let mut depth = 1;
    let mut j = i + 2;
    while j + 1 < b.len() {
        match (b[j], b[j + 1]) {
            (b'*', b'/') => {
                depth -= 1;
                j += 2;
                if depth == 0 {
                    return j;
                }
            }
            (b'/', b'*') if nested => {
                depth += 1;
                j += 2;
            }
            _ => j += 1,
        }
    }
    b.len()
}

/// Where the line comment at `i` ends: its newline, or the text's end.
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
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

    fn all(sql: &str) -> [Vec<String>; 4] {
        [
            split_statements(sql),
            split_statements_for(sql, Backend::Postgres),
            split_statements_for(sql, Backend::MySql),
            split_statements_for(sql, Backend::Sqlite),
        ]
    }

    #[test]
    fn dollar_quoted_bodies() {
        let function = "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n\
                        BEGIN\n  NEW.updated := now(); -- stamp; always\n  RETURN NEW;\nEND;\n$$";
        let sql = format!("{function};\nSELECT 1;");
        for split in [
            split_statements(&sql),
            split_statements_for(&sql, Backend::Postgres),
        ] {
            assert_eq!(split, [function, "SELECT 1"]);
        }
        // A tagged quote holds `$$` and other tags; the closing tag must match exactly.
        let tagged = "DO $fn$ BEGIN PERFORM '$$;'; RAISE NOTICE $x$;$x$; END $fn$";
        assert_eq!(
            split_statements_for(&format!("{tagged}; SELECT 2"), Backend::Postgres),
            [tagged, "SELECT 2"]
        );
        assert_eq!(
            split_statements_for("SELECT $Fn$ a; $fn$ b; $Fn$; SELECT 3", Backend::Postgres),
            ["SELECT $Fn$ a; $fn$ b; $Fn$", "SELECT 3"]
        );
        // `$` in a word and positional parameters start no quote.
        assert_eq!(
            split_statements_for("SELECT a$b$c, $1; SELECT $2", Backend::Postgres),
            ["SELECT a$b$c, $1", "SELECT $2"]
        );
        // An unterminated body runs to the end.
        assert_eq!(
            split_statements_for("SELECT $$ a; b", Backend::Postgres),
            ["SELECT $$ a; b"]
        );
        // MySQL and SQLite have no dollar quotes.
        assert_eq!(
            split_statements_for("SELECT $$; SELECT 1", Backend::MySql).len(),
            2
        );
        assert_eq!(
            split_statements_for("SELECT $$; SELECT 1", Backend::Sqlite).len(),
            2
        );
    }

    #[test]
    fn block_comments() {
        let sql = "/* header; not a statement */\nCREATE TABLE a (x int /* a; b */);\n/* c; */ DROP TABLE b/**/;";
        for split in all(sql) {
            assert_eq!(split, ["CREATE TABLE a (x int  )", "DROP TABLE b"]);
        }
        assert!(split_statements_for("/* only; a comment */\n", Backend::MySql).is_empty());
        // A comment separates tokens.
        assert_eq!(split_statements("SELECT/**/1"), ["SELECT 1"]);
        // PostgreSQL nests block comments; the others end at the first `*/`.
        let nested = "/* a /* b; */ c; */ SELECT 1; SELECT 2";
        assert_eq!(
            split_statements_for(nested, Backend::Postgres),
            ["SELECT 1", "SELECT 2"]
        );
        assert_eq!(
            split_statements_for(nested, Backend::Sqlite),
            ["c", "*/ SELECT 1", "SELECT 2"]
        );
        // MySQL runs executable comments and optimizer hints: they are SQL.
        assert_eq!(
            split_statements_for(
                "/*!40101 SET NAMES utf8mb4 */; /*M!100100 SET @a = 1 */; SELECT /*+ NO_ICP(t) */ 1",
                Backend::MySql
            ),
            [
                "/*!40101 SET NAMES utf8mb4 */",
                "/*M!100100 SET @a = 1 */",
                "SELECT /*+ NO_ICP(t) */ 1"
            ]
        );
        // Unterminated: the rest is comment.
        assert_eq!(split_statements("SELECT 1; /* a; b"), ["SELECT 1"]);
    }

    #[test]
    fn backslash_escapes_in_mysql_strings() {
        let sql = r#"INSERT INTO t VALUES ('it\'s; x', "say \"hi\"; ok", 'C:\\'); SELECT 'a''b;c'"#;
        assert_eq!(
            split_statements_for(sql, Backend::MySql),
            [
                r#"INSERT INTO t VALUES ('it\'s; x', "say \"hi\"; ok", 'C:\\')"#,
                "SELECT 'a''b;c'"
            ]
        );
        // Elsewhere a backslash is an ordinary character: 'C:\' ends at its quote.
        let path = r"SELECT 'C:\'; SELECT 2; -- '";
        assert_eq!(
            split_statements_for(path, Backend::Postgres),
            [r"SELECT 'C:\'", "SELECT 2"]
        );
        assert_eq!(
            split_statements_for(path, Backend::Sqlite),
            [r"SELECT 'C:\'", "SELECT 2"]
        );
        assert_eq!(split_statements(path), [r"SELECT 'C:\'", "SELECT 2"]);
        assert_eq!(
            split_statements_for(path, Backend::MySql),
            [r"SELECT 'C:\'; SELECT 2; -- '"]
        );
        // Backticks never take backslash escapes.
        assert_eq!(
            split_statements_for(r"SELECT 1 AS `a\`; SELECT 2", Backend::MySql),
            [r"SELECT 1 AS `a\`", "SELECT 2"]
        );
    }

    #[test]
    fn postgres_escape_strings() {
        for e in ["E", "e"] {
            let sql = format!(r"SELECT {e}'it\'s; x\\'; SELECT 2");
            assert_eq!(
                split_statements_for(&sql, Backend::Postgres),
                [format!(r"SELECT {e}'it\'s; x\\'"), "SELECT 2".into()]
            );
        }
        // Only a lone E prefixes a string: `ELSE'…'` is a keyword, then a standard string.
        assert_eq!(
            split_statements_for(
                r"SELECT CASE WHEN true THEN 'a' ELSE'b\' END; SELECT 2",
                Backend::Postgres
            ),
            [r"SELECT CASE WHEN true THEN 'a' ELSE'b\' END", "SELECT 2"]
        );
    }

    #[test]
    fn comments_by_dialect() {
        // MySQL: `#` comments; `--` needs whitespace after it (`1--1` is 1 - -1).
        assert_eq!(
            split_statements_for("# a; b\nSELECT 1--1;\nSELECT 2 -- c; d\n", Backend::MySql),
            ["SELECT 1--1", "SELECT 2"]
        );
        assert_eq!(
            split_statements_for("SELECT 1 --\n;SELECT 2", Backend::MySql),
            ["SELECT 1", "SELECT 2"]
        );
        // Elsewhere `--` always starts a comment and `#` is an operator.
        assert_eq!(
            split_statements_for("SELECT 1--1;\n2;\nSELECT 3 # 1;", Backend::Postgres),
            ["SELECT 1\n2", "SELECT 3 # 1"]
        );
        // SQLite: `[…]` identifiers.
        assert_eq!(
            split_statements_for("CREATE TABLE [a;b] (x int); SELECT 1", Backend::Sqlite),
            ["CREATE TABLE [a;b] (x int)", "SELECT 1"]
        );
    }

    #[test]
    fn routine_bodies_and_parentheses() {
        let sqlite = "CREATE TRIGGER stamp AFTER UPDATE ON t BEGIN\n  UPDATE t SET n = CASE WHEN n > 9 THEN 0 ELSE n + 1 END WHERE id = NEW.id;\n  DELETE FROM u;\nEND";
        assert_eq!(
            split_statements_for(&format!("{sqlite};\nSELECT 1;"), Backend::Sqlite),
            [sqlite, "SELECT 1"]
        );
        let mysql = "CREATE DEFINER=`root`@`%` TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW\n\
                     lbl: BEGIN\n  IF NEW.a IS NULL THEN SET NEW.a = 'x;'; END IF;\n  \
                     CASE NEW.b WHEN 1 THEN SET NEW.c = 2; ELSE SET NEW.c = 3; END CASE;\n  \
                     WHILE NEW.c > 9 DO SET NEW.c = NEW.c - 1; END WHILE;\nEND lbl";
        assert_eq!(
            split_statements_for(&format!("{mysql};\nSELECT 1;"), Backend::MySql),
            [mysql, "SELECT 1"]
        );
        let atomic = "CREATE OR REPLACE FUNCTION two() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END";
        assert_eq!(
            split_statements_for(&format!("{atomic}; SELECT 3"), Backend::Postgres),
            [atomic, "SELECT 3"]
        );
        // A single-statement MySQL function body has no block.
        assert_eq!(
            split_statements_for(
                "CREATE FUNCTION one() RETURNS int DETERMINISTIC RETURN 1; SELECT one()",
                Backend::MySql
            ),
            [
                "CREATE FUNCTION one() RETURNS int DETERMINISTIC RETURN 1",
                "SELECT one()"
            ]
        );
        // A table named `event` with a column named `begin` is not a routine; a top-level
        // `BEGIN` opens no block either.
        for split in all("CREATE TABLE event (begin int, x int); BEGIN; SELECT 1; COMMIT") {
            assert_eq!(
                split,
                [
                    "CREATE TABLE event (begin int, x int)",
                    "BEGIN",
                    "SELECT 1",
                    "COMMIT"
                ]
            );
        }
        // `;` inside parentheses (PostgreSQL rules with several actions).
        let rule = "CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO c VALUES (2))";
        assert_eq!(
            split_statements_for(&format!("{rule}; SELECT 1"), Backend::Postgres),
            [rule, "SELECT 1"]
        );
    }

    #[test]
    fn never_panics_on_short_inputs() {
        // Every string of up to 4 characters over the characters the splitter looks at, plus a
        // multi-byte one: no slicing inside a character, no index past the end.
        let alphabet = [
            "'", "\"", "`", "$", "a", "E", "\\", ";", "-", "/", "*", "#", "[", "]", "(", ")", "é",
            "\n",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.chars().count() == texts.last().map_or(0, |l| l.chars().count()))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        assert!(texts.len() > 100_000);
        for t in &texts {
            let _ = all(t);
        }
    }

    #[test]
    fn stock_migrations_split_the_same_by_every_rule() {
        // The neutral rules and the dialect's agree on the shipped files (and the files hold none
        // of the constructs the dialects disagree on), so statement counts recorded by earlier
        // versions still match.
        for backend in Backend::ALL {
            for m in stock(backend) {
                for sql in [Some(&m.up), m.down.as_ref()].into_iter().flatten() {
                    let dialect = split_statements_for(sql, backend);
                    assert_eq!(split_statements(sql), dialect, "{backend:?} {}", m.label());
                    for s in &dialect {
                        assert!(
                            !s.contains("/*") && !s.contains('\\') && !s.contains('$'),
                            "{s}"
                        );
                    }
                }
            }
        }
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
