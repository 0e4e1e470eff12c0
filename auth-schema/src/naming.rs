//! Naming presets and single renames, resolved at compile time.
//!
//! The Kysely adapter quotes Auth.js names verbatim (`"User"."emailVerified"`). Kysely's
//! `CamelCasePlugin` turns every identifier into snake_case (`"user"."email_verified"`). A schema
//! picks one preset and may then rename any table or column on its own.

/// A naming preset for the standard tables and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Naming {
    /// `@auth/kysely-adapter` as documented: `"User"`, `"emailVerified"`, `"access_token"`.
    Kysely,
    /// Kysely with `CamelCasePlugin`: `"user"`, `"email_verified"`, `"verification_token"`.
    SnakeCase,
}

/// One rename: a table (`column: None`) or one of its columns, by Auth.js name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rename {
    /// The Auth.js model name, e.g. `"User"`.
    pub model: &'static str,
    /// The Auth.js field name, e.g. `"emailVerified"`, or `None` to rename the table.
    pub field: Option<&'static str>,
    /// The physical name to use.
    pub to: &'static str,
}

pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The physical name of a table or column: a matching rename wins, else the preset decides.
///
/// `kysely` and `snake` are the names under each preset; the schema macro passes both.
///
/// ```
/// use auth_schema::naming::{resolve, Naming, Rename};
/// const RENAMES: &[Rename] = &[Rename { model: "User", field: Some("emailVerified"), to: "verified_at" }];
/// const A: &str = resolve(Naming::Kysely, RENAMES, "User", Some("emailVerified"), "emailVerified", "email_verified");
/// const B: &str = resolve(Naming::SnakeCase, RENAMES, "User", Some("image"), "image", "image");
/// const C: &str = resolve(Naming::SnakeCase, RENAMES, "VerificationToken", None, "VerificationToken", "verification_token");
/// assert_eq!((A, B, C), ("verified_at", "image", "verification_token"));
/// ```
pub const fn resolve(
    naming: Naming,
    renames: &[Rename],
    model: &str,
    field: Option<&str>,
    kysely: &'static str,
    snake: &'static str,
) -> &'static str {
    let mut i = 0;
    while i < renames.len() {
        let r = renames[i];
        let same_field = match (r.field, field) {
            (None, None) => true,
            (Some(a), Some(b)) => str_eq(a, b),
            _ => false,
        };
        if same_field && str_eq(r.model, model) {
            return r.to;
        }
        i += 1;
    }
    match naming {
        Naming::Kysely => kysely,
        Naming::SnakeCase => snake,
    }
}
