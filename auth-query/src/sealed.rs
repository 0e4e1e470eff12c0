//! Supertraits that only this crate implements, so the traits a query's checks rest on cannot
//! be implemented elsewhere (a hand-written `Selection` could otherwise claim a column of a
//! table that is not in the query). One per public trait, so their blanket impls cannot overlap.

pub trait Source {}
pub trait Expression {}
pub trait Dialect {}
pub trait Values {}
pub trait Statement {}

/// A type no other crate can name: a trait with a method taking it can only be implemented here.
#[derive(Debug)]
pub struct Seal;
