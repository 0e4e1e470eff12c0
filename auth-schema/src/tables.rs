//! The two stock schemas: `@auth/kysely-adapter`'s names, and the same under `CamelCasePlugin`.

crate::schema! {
    /// The tables exactly as `@auth/kysely-adapter` names them: `"User"`, `"Account"`,
    /// `"Session"`, `"VerificationToken"` (plus `"Authenticator"`), camelCase Auth.js columns and
    /// snake_case OAuth token columns. User ids are native `uuid` on Postgres.
    ///
    /// ```
    /// use auth_schema::{kysely::account, Column};
    /// assert_eq!(<account::provider_account_id as Column>::INFO.name, "providerAccountId");
    /// assert_eq!(<account::access_token as Column>::INFO.name, "access_token");
    /// ```
    pub mod kysely {
        naming: Kysely,
        id: Uuid,
    }
}

crate::schema! {
    /// The tables as Kysely's `CamelCasePlugin` names them: `user`, `verification_token`,
    /// `email_verified`, `provider_account_id`, ...
    ///
    /// ```
    /// use auth_schema::{snake_case::verification_token, Table};
    /// assert_eq!(verification_token::table::INFO.name, "verification_token");
    /// ```
    pub mod snake_case {
        naming: SnakeCase,
        id: Uuid,
    }
}
