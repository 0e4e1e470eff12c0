// Guards (issue 9, 10): the scope traits are sealed, so no impl outside the crate can claim a
// table is in a query it is not in.
use auth_query::{Here, InScope, Nil, NotNull};

#[derive(Debug, Clone, Copy, Default)]
struct Posts;

impl InScope<Posts, Here> for Nil {
    type Null = NotNull;
}

fn main() {}
