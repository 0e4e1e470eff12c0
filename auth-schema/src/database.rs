//! A database: the set of tables one application declares, Auth.js ones and its own.

use crate::column::TableInfo;

/// A set of tables that live in one database: what DDL, the planner and `migrate` work on.
///
/// [`schema!`](crate::schema) implements it for the five Auth.js tables of a schema
/// (`my_schema::Schema`), and [`database!`](crate::database) for any set of tables.
///
/// ```
/// use auth_schema::Database;
/// let tables = auth_schema::kysely::Schema::tables();
/// assert_eq!(tables[0].name, "User");
/// assert_eq!(tables.len(), 5);
/// ```
pub trait Database: Send + Sync + 'static {
    /// Every table, in declaration order.
    fn tables() -> Vec<&'static TableInfo>;
}

/// The tables in an order that creates every referenced table before the tables that reference
/// it, declaration order otherwise (a stable topological sort). Tables in a cycle of foreign keys
/// keep their declaration order; DDL then adds the foreign keys that point forward afterwards.
///
/// ```
/// use auth_schema::{creation_order, Database};
/// let mut tables = auth_schema::kysely::Schema::tables();
/// tables.reverse(); // Authenticator, VerificationToken, Session, Account, User
/// let order: Vec<_> = creation_order(&tables).iter().map(|t| t.name).collect();
/// assert_eq!(order, ["VerificationToken", "User", "Authenticator", "Session", "Account"]);
/// ```
pub fn creation_order(tables: &[&'static TableInfo]) -> Vec<&'static TableInfo> {
    let mut placed: Vec<&'static TableInfo> = Vec::with_capacity(tables.len());
    let mut left: Vec<&'static TableInfo> = tables.to_vec();
    while !left.is_empty() {
        let ready = left.iter().position(|t| {
            t.foreign_keys.iter().all(|fk| {
                fk.ref_table == t.name
                    || placed.iter().any(|p| p.name == fk.ref_table)
                    || !left.iter().any(|l| l.name == fk.ref_table)
            })
        });
        // A cycle: take the first one left.
        placed.push(left.remove(ready.unwrap_or(0)));
    }
    placed
}
