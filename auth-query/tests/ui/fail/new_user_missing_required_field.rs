// Guards: insert completeness; a required column is a plain field of the insert struct.
use auth_schema::NewUser;

fn main() {
    let _ = NewUser {
        id: None,
        name: None,
        email_verified: None,
        image: None,
        extra: Default::default(),
    };
}
