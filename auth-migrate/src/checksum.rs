//! Checksums of migration files: SHA-256 over normalised text.
//!
//! Normalisation, so that a checkout's line endings or an editor's habits never look like an
//! edit, while any change to the SQL itself does:
//! - a leading UTF-8 byte-order mark is removed;
//! - CRLF and lone CR become LF;
//! - trailing spaces and tabs are removed from every line;
//! - trailing empty lines are removed, and the text ends with exactly one LF (empty text stays
//!   empty).
//!
//! Leading whitespace, blank lines inside the file and comments are kept: they are part of the
//! reviewed file.

/// The normalised form of a migration's text (see the module docs).
pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        out.push_str(line.trim_end_matches([' ', '\t']));
        out.push('\n');
    }
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The checksum of a migration's text: SHA-256 of [`normalize`]d text, as 64 lowercase hex digits.
///
/// ```
/// use auth_migrate::checksum::checksum;
/// assert_eq!(checksum("SELECT 1;\r\n"), checksum("\u{feff}SELECT 1;  \n\n"));
/// assert_ne!(checksum("SELECT 1;"), checksum("SELECT 2;"));
/// ```
pub fn checksum(text: &str) -> String {
    hex(&sha256(normalize(text).as_bytes()))
}

/// Lowercase hex of bytes.
///
/// ```
/// assert_eq!(auth_migrate::checksum::hex(&[0x00, 0xab, 0x7f]), "00ab7f");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (FIPS 180-4) of `data`, from the `sha2` crate.
///
/// ```
/// use auth_migrate::checksum::{hex, sha256};
/// assert_eq!(
///     hex(&sha256(b"abc")),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_test_vectors() {
        // FIPS 180-4 / NIST CAVP examples.
        let cases: [(&[u8], &str); 4] = [
            (
                b"",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
            (
                b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(hex(&sha256(input)), want);
        }
        let million_a = vec![b'a'; 1_000_000];
        assert_eq!(
            hex(&sha256(&million_a)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        // Lengths around the padding boundary.
        for len in 54..=66 {
            let data = vec![b'x'; len];
            assert_eq!(sha256(&data).len(), 32);
        }
        assert_eq!(
            hex(&sha256(&[b'a'; 55])),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 56])),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"
        );
    }

    #[test]
    fn normalisation() {
        let lf = "-- m\nCREATE TABLE a (x int);\n\nDROP TABLE b;\n";
        let crlf = lf.replace('\n', "\r\n");
        let bom = format!("\u{feff}{lf}");
        let trailing = "-- m   \nCREATE TABLE a (x int);\t\n\nDROP TABLE b;\n\n\n";
        let no_final_newline = lf.trim_end();
        for variant in [crlf.as_str(), bom.as_str(), trailing, no_final_newline] {
            assert_eq!(normalize(variant), lf);
            assert_eq!(checksum(variant), checksum(lf));
        }
        assert_ne!(checksum(lf), checksum(&lf.replace("int", "bigint")));
        assert_ne!(checksum(lf), checksum(&format!("  {lf}")));
        assert_eq!(normalize(""), "");
        // Pinned (`printf 'SELECT 1;\n' | sha256sum`): a new hash implementation must not move
        // the checksums recorded in existing databases.
        assert_eq!(
            checksum("SELECT 1;\r\n\n"),
            "b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd"
        );
    }
}
