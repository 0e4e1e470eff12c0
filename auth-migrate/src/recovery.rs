//! MySQL and MariaDB: whether the statement that was running when a migrator stopped (a crash,
//! `kill -9`, a lost connection) took effect.
//!
//! DDL there commits by itself, so a migration cannot be one transaction. The runner therefore
//! writes its intent ([`EXECUTING`](crate::history::EXECUTING)) before each statement and its
//! progress after it. When the next `up` finds an intent, the statement's effect is checked in
//! the catalog: MySQL 8 and MariaDB 10.6+ apply a DDL statement completely or not at all, even
//! across a server crash, so the only question is which. A statement whose effect this module
//! cannot read (data changes, `SET`, anything unusual) is left to the operator: `up` stops and
//! names it, and `resolve` records the answer.

use crate::Error;
use crate::db::Conn;

/// What one clause of a statement leaves behind when it took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Effect {
    /// The table exists (or, with `false`, does not).
    Table(String, bool),
    /// The index (or unique key) exists on the table, or does not.
    Index {
        table: String,
        index: String,
        present: bool,
    },
    /// The column exists in the table, or does not.
    Column {
        table: String,
        column: String,
        present: bool,
    },
    /// The named foreign key exists on the table, or does not.
    ForeignKey {
        table: String,
        name: String,
        present: bool,
    },
    /// The table's primary key is exactly these columns (none: no primary key).
    PrimaryKey { table: String, columns: Vec<String> },
    /// The table's default collation.
    Collation { table: String, collation: String },
    /// The table is called `to` and no longer `from`.
    Renamed { from: String, to: String },
    /// Running it again changes nothing (`MODIFY COLUMN`, `ALTER COLUMN ... DEFAULT`).
    Rerunnable,
}

/// Whether an interrupted statement took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Its effect is in the catalog: record it as applied and go on with the next one.
    Applied,
    /// Its effect is absent, or running it again is harmless: run it.
    Run,
    /// Nothing can say: stop, and let the operator `resolve` it.
    Unknown(String),
}

/// Checks the catalog for the effect of `sql`, run on `conn`'s current database.
pub(crate) async fn took_effect(conn: &mut Conn, sql: &str) -> Result<Verdict, Error> {
    let Some(effects) = effects(sql) else {
        return Ok(Verdict::Unknown(
            "its effect cannot be read from the catalog (only DDL on tables, columns, indexes and keys can be)".into(),
        ));
    };
    let mut held = Vec::new();
    for effect in &effects {
        if *effect == Effect::Rerunnable {
            continue;
        }
        held.push(holds(conn, effect).await?);
    }
    Ok(match (held.iter().all(|h| *h), held.iter().any(|h| *h)) {
        // Only re-runnable clauses, or none of the effects: run it (again).
        (true, _) if held.is_empty() => Verdict::Run,
        (true, _) => Verdict::Applied,
        (false, false) => Verdict::Run,
        (false, true) => Verdict::Unknown(
            "only part of its effect is in the catalog, which atomic DDL rules out: the schema was changed by hand meanwhile".into(),
        ),
    })
}

async fn count(conn: &mut Conn, sql: String) -> Result<i64, Error> {
    Ok(conn.scalar(&sql).await?.unwrap_or(0))
}

async fn holds(conn: &mut Conn, effect: &Effect) -> Result<bool, Error> {
    let l = |s: &str| crate::history::lit(auth_schema::Backend::MySql, s);
    Ok(match effect {
        Effect::Table(t, present) => {
            let n = count(conn, format!(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {}",
                l(t)
            ))
            .await?;
            (n > 0) == *present
        }
        Effect::Index {
            table,
            index,
            present,
        } => {
            let n = count(conn, format!(
                "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND INDEX_NAME = {}",
                l(table),
                l(index)
            ))
            .await?;
            (n > 0) == *present
        }
        Effect::Column {
            table,
            column,
            present,
        } => {
            let n = count(conn, format!(
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND COLUMN_NAME = {}",
                l(table),
                l(column)
            ))
            .await?;
            (n > 0) == *present
        }
        Effect::ForeignKey {
            table,
            name,
            present,
        } => {
            let n = count(conn, format!(
                "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = {} AND CONSTRAINT_NAME = {}",
                l(table),
                l(name)
            ))
            .await?;
            (n > 0) == *present
        }
        Effect::PrimaryKey { table, columns } => {
            let live = conn
                .strings(&format!(
                    "SELECT CAST(COLUMN_NAME AS CHAR) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX",
                    l(table)
                ))
                .await?;
            live.iter()
                .map(|c| c.to_ascii_lowercase())
                .collect::<Vec<_>>()
                == columns
                    .iter()
                    .map(|c| c.to_ascii_lowercase())
                    .collect::<Vec<_>>()
        }
        Effect::Collation { table, collation } => {
            let live = conn
                .strings(&format!(
                    "SELECT CAST(TABLE_COLLATION AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {}",
                    l(table)
                ))
                .await?;
            live.first().map(|c| crate::model::canonical_collation(c))
                == Some(crate::model::canonical_collation(collation))
        }
        Effect::Renamed { from, to } => {
            let gone = Box::pin(holds(conn, &Effect::Table(from.clone(), false))).await?;
            let there = Box::pin(holds(conn, &Effect::Table(to.clone(), true))).await?;
            gone && there
        }
        Effect::Rerunnable => true,
    })
}

/// A token of a MySQL statement: an identifier or keyword (unquoted), or punctuation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Quoted(String),
    Punct(char),
    /// A string or number literal: its value does not matter here.
    Literal,
}

impl Token {
    fn is(&self, keyword: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(keyword))
    }

    fn name(&self) -> Option<String> {
        match self {
            Token::Word(w) | Token::Quoted(w) => Some(w.clone()),
            _ => None,
        }
    }
}

fn tokens(sql: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '`' => {
                let mut name = String::new();
                while let Some(d) = chars.next() {
                    if d == '`' {
                        if chars.peek() == Some(&'`') {
                            chars.next();
                            name.push('`');
                        } else {
                            break;
                        }
                    } else {
                        name.push(d);
                    }
                }
                out.push(Token::Quoted(name));
            }
            '\'' | '"' => {
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        if chars.peek() == Some(&c) {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
                out.push(Token::Literal);
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut word = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        word.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Word(word));
            }
            c => out.push(Token::Punct(c)),
        }
    }
    out
}

/// A cursor over the tokens of one statement.
struct Cursor {
    tokens: Vec<Token>,
    at: usize,
}

impl Cursor {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, keyword: &str) -> bool {
        if self.peek().is_some_and(|t| t.is(keyword)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn eat_all(&mut self, keywords: &[&str]) -> bool {
        let start = self.at;
        for k in keywords {
            if !self.eat(k) {
                self.at = start;
                return false;
            }
        }
        true
    }

    /// A possibly qualified name (`db`.`t`): its last part.
    fn name(&mut self) -> Option<String> {
        let mut name = self.peek()?.name()?;
        self.at += 1;
        while self.peek() == Some(&Token::Punct('.')) {
            self.at += 1;
            name = self.peek()?.name()?;
            self.at += 1;
        }
        Some(name)
    }

    /// A parenthesised list of names, such as a key's columns (lengths and ASC/DESC skipped).
    fn name_list(&mut self) -> Option<Vec<String>> {
        if self.peek() != Some(&Token::Punct('(')) {
            return None;
        }
        self.at += 1;
        let mut names = Vec::new();
        let mut depth = 0;
        let mut expect_name = true;
        while let Some(t) = self.peek().cloned() {
            self.at += 1;
            match t {
                Token::Punct('(') => depth += 1,
                Token::Punct(')') if depth == 0 => return Some(names),
                Token::Punct(')') => depth -= 1,
                Token::Punct(',') if depth == 0 => expect_name = true,
                t if expect_name && depth == 0 => {
                    names.push(t.name()?);
                    expect_name = false;
                }
                _ => {}
            }
        }
        None
    }

    /// Skips to the next comma at depth 0 (the end of an `ALTER TABLE` clause), or the end.
    fn skip_clause(&mut self) {
        let mut depth = 0i32;
        while let Some(t) = self.peek() {
            match t {
                Token::Punct('(') => depth += 1,
                Token::Punct(')') => depth -= 1,
                Token::Punct(',') if depth == 0 => return,
                _ => {}
            }
            self.at += 1;
        }
    }

    fn done(&self) -> bool {
        self.at >= self.tokens.len()
    }
}

/// The effects of `sql` when it took effect, or `None` for a statement this module cannot read.
fn effects(sql: &str) -> Option<Vec<Effect>> {
    let mut c = Cursor {
        tokens: tokens(sql),
        at: 0,
    };
    if c.eat("CREATE") {
        if c.eat("TABLE") {
            c.eat_all(&["IF", "NOT", "EXISTS"]);
            return Some(vec![Effect::Table(c.name()?, true)]);
        }
        c.eat("UNIQUE");
        if c.eat("INDEX") {
            let index = c.name()?;
            if !c.eat("ON") {
                return None;
            }
            let table = c.name()?;
            return Some(vec![Effect::Index {
                table,
                index,
                present: true,
            }]);
        }
        return None;
    }
    if c.eat("DROP") {
        if c.eat("TABLE") {
            c.eat_all(&["IF", "EXISTS"]);
            let table = c.name()?;
            // One table only: a list would need every one checked.
            return c.done().then_some(vec![Effect::Table(table, false)]);
        }
        if c.eat("INDEX") {
            let index = c.name()?;
            if !c.eat("ON") {
                return None;
            }
            let table = c.name()?;
            return Some(vec![Effect::Index {
                table,
                index,
                present: false,
            }]);
        }
        return None;
    }
    if c.eat("RENAME") {
        if !c.eat("TABLE") {
            return None;
        }
        let from = c.name()?;
        if !c.eat("TO") {
            return None;
        }
        let to = c.name()?;
        return c.done().then_some(vec![Effect::Renamed { from, to }]);
    }
    if !c.eat_all(&["ALTER", "TABLE"]) {
        return None;
    }
    let table = c.name()?;
    let mut out: Vec<Effect> = Vec::new();
    loop {
        let effect = alter_clause(&mut c, &table)?;
        // `DROP PRIMARY KEY, ADD PRIMARY KEY (...)`: the last word on the key wins.
        if let Effect::PrimaryKey { .. } = effect {
            out.retain(|e| !matches!(e, Effect::PrimaryKey { .. }));
        }
        out.push(effect);
        c.skip_clause();
        if c.peek() == Some(&Token::Punct(',')) {
            c.at += 1;
            continue;
        }
        return c.done().then_some(out);
    }
}

fn alter_clause(c: &mut Cursor, table: &str) -> Option<Effect> {
    let t = table.to_owned();
    if c.eat("ADD") {
        if c.eat("CONSTRAINT") {
            let name = match c.peek() {
                Some(tok) if !tok.is("PRIMARY") && !tok.is("UNIQUE") && !tok.is("FOREIGN") => {
                    c.name()
                }
                _ => None,
            };
            return if c.eat_all(&["FOREIGN", "KEY"]) {
                Some(Effect::ForeignKey {
                    table: t,
                    name: name?,
                    present: true,
                })
            } else if c.eat_all(&["PRIMARY", "KEY"]) {
                Some(Effect::PrimaryKey {
                    table: t,
                    columns: c.name_list()?,
                })
            } else if c.eat("UNIQUE") {
                let _ = c.eat("INDEX") || c.eat("KEY");
                let index = match c.peek() {
                    Some(Token::Punct('(')) => name?,
                    _ => c.name()?,
                };
                Some(Effect::Index {
                    table: t,
                    index,
                    present: true,
                })
            } else {
                None
            };
        }
        if c.eat_all(&["PRIMARY", "KEY"]) {
            return Some(Effect::PrimaryKey {
                table: t,
                columns: c.name_list()?,
            });
        }
        if c.eat("UNIQUE") || c.eat("INDEX") || c.eat("KEY") {
            let _ = c.eat("INDEX") || c.eat("KEY");
            return Some(Effect::Index {
                table: t,
                index: c.name()?,
                present: true,
            });
        }
        if c.eat("FOREIGN") || c.eat("FULLTEXT") || c.eat("SPATIAL") || c.eat("CHECK") {
            return None;
        }
        c.eat("COLUMN");
        if c.peek() == Some(&Token::Punct('(')) {
            return None;
        }
        return Some(Effect::Column {
            table: t,
            column: c.name()?,
            present: true,
        });
    }
    if c.eat("DROP") {
        if c.eat_all(&["FOREIGN", "KEY"]) {
            c.eat_all(&["IF", "EXISTS"]);
            return Some(Effect::ForeignKey {
                table: t,
                name: c.name()?,
                present: false,
            });
        }
        if c.eat_all(&["PRIMARY", "KEY"]) {
            return Some(Effect::PrimaryKey {
                table: t,
                columns: Vec::new(),
            });
        }
        if c.eat("INDEX") || c.eat("KEY") {
            c.eat_all(&["IF", "EXISTS"]);
            return Some(Effect::Index {
                table: t,
                index: c.name()?,
                present: false,
            });
        }
        if c.eat("CONSTRAINT") || c.eat("CHECK") {
            return None;
        }
        c.eat("COLUMN");
        c.eat_all(&["IF", "EXISTS"]);
        return Some(Effect::Column {
            table: t,
            column: c.name()?,
            present: false,
        });
    }
    if c.eat("MODIFY") || c.eat("CHANGE") {
        // CHANGE renames too, and MODIFY ... FIRST/AFTER moves: both are harmless to repeat
        // only while the old name still exists, which MODIFY keeps.
        return if c.tokens[c.at - 1].is("MODIFY") {
            Some(Effect::Rerunnable)
        } else {
            None
        };
    }
    if c.eat_all(&["ALTER", "COLUMN"]) || c.eat("ALTER") {
        return Some(Effect::Rerunnable);
    }
    if c.eat_all(&["CONVERT", "TO"]) {
        c.eat_all(&["CHARACTER", "SET"]);
        c.eat("CHARSET");
        c.name()?;
        if !c.eat("COLLATE") {
            return None;
        }
        return Some(Effect::Collation {
            table: t,
            collation: c.name()?,
        });
    }
    if c.eat("RENAME") {
        let _ = c.eat("TO") || c.eat("AS");
        return Some(Effect::Renamed {
            from: t,
            to: c.name()?,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(sql: &str) -> Effect {
        let mut e = effects(sql).unwrap_or_else(|| panic!("unread: {sql}"));
        assert_eq!(e.len(), 1, "{sql}: {e:?}");
        e.remove(0)
    }

    #[test]
    fn reads_the_effect_of_every_statement_the_planner_writes() {
        let s = |x: &str| x.to_owned();
        assert_eq!(
            one(
                "CREATE TABLE `User` ( `id` varchar(36) NOT NULL DEFAULT (UUID()), PRIMARY KEY `User_id_pkey` (`id`) ) DEFAULT CHARSET=utf8mb4"
            ),
            Effect::Table(s("User"), true)
        );
        assert_eq!(
            one("CREATE INDEX `Session_userId_index` ON `Session` (`userId`)"),
            Effect::Index {
                table: s("Session"),
                index: s("Session_userId_index"),
                present: true
            }
        );
        assert_eq!(
            one("CREATE UNIQUE INDEX `k` ON `db`.`t` (`a`(10), `b` DESC)"),
            Effect::Index {
                table: s("t"),
                index: s("k"),
                present: true
            }
        );
        assert_eq!(
            one("DROP TABLE `Authenticator`"),
            Effect::Table(s("Authenticator"), false)
        );
        assert_eq!(
            one("DROP INDEX `sessionToken` ON `Session`"),
            Effect::Index {
                table: s("Session"),
                index: s("sessionToken"),
                present: false
            }
        );
        assert_eq!(
            one("ALTER TABLE `Account` DROP FOREIGN KEY `Account_userId_fkey`"),
            Effect::ForeignKey {
                table: s("Account"),
                name: s("Account_userId_fkey"),
                present: false
            }
        );
        assert_eq!(
            one(
                "ALTER TABLE `Account` ADD CONSTRAINT `Account_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION"
            ),
            Effect::ForeignKey {
                table: s("Account"),
                name: s("Account_userId_fkey"),
                present: true
            }
        );
        assert_eq!(
            one("ALTER TABLE `User` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"),
            Effect::Collation {
                table: s("User"),
                collation: s("utf8mb4_nopad_bin")
            }
        );
        assert_eq!(
            one("ALTER TABLE `User` ADD COLUMN `phoneNumber` varchar(255)"),
            Effect::Column {
                table: s("User"),
                column: s("phoneNumber"),
                present: true
            }
        );
        assert_eq!(
            one("ALTER TABLE `User` DROP COLUMN `phoneNumber`"),
            Effect::Column {
                table: s("User"),
                column: s("phoneNumber"),
                present: false
            }
        );
        assert_eq!(
            one("ALTER TABLE `User` MODIFY COLUMN `image` text"),
            Effect::Rerunnable
        );
        assert_eq!(
            one("ALTER TABLE `Session` DROP PRIMARY KEY, ADD PRIMARY KEY (`sessionToken`)"),
            Effect::PrimaryKey {
                table: s("Session"),
                columns: vec![s("sessionToken")]
            }
        );
        assert_eq!(
            one("ALTER TABLE `Session` ADD PRIMARY KEY (`a`, `b`)"),
            Effect::PrimaryKey {
                table: s("Session"),
                columns: vec![s("a"), s("b")]
            }
        );
        assert_eq!(
            one("RENAME TABLE `a` TO `b`"),
            Effect::Renamed {
                from: s("a"),
                to: s("b")
            }
        );
        assert_eq!(
            effects("ALTER TABLE `t` ADD COLUMN `a` int, ADD COLUMN `b` int DEFAULT 'x,y'")
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn statements_whose_effect_cannot_be_read_are_unknown() {
        for sql in [
            "INSERT INTO `t` VALUES (1)",
            "UPDATE `t` SET n = n + 1",
            "DELETE FROM `t`",
            "SET foreign_key_checks = 0",
            "DROP TABLE `a`, `b`",
            "ALTER TABLE `t` CHANGE `a` `b` int",
            "ALTER TABLE `t` ADD CHECK (a > 0)",
        ] {
            assert_eq!(effects(sql), None, "{sql}");
        }
    }
}
