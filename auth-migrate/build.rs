//! Embeds `migrations/<dialect>/<version>_<name>.up.sql` (and `.down.sql`) into the crate.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out = String::from("&[\n");
    for dialect in ["postgres", "mysql", "sqlite"] {
        let dir = root.join(dialect);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut ups: Vec<(i64, String, std::path::PathBuf)> = Vec::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
                continue;
            };
            let Some(stem) = file.strip_suffix(".up.sql") else {
                continue;
            };
            let Some((version, name)) = stem.split_once('_') else {
                panic!("migration file {file}: expected <version>_<name>.up.sql");
            };
            let version: i64 = version
                .parse()
                .unwrap_or_else(|_| panic!("migration file {file}: bad version"));
            ups.push((version, name.to_owned(), path.clone()));
        }
        ups.sort();
        for (version, name, up) in ups {
            let down = up.with_file_name(format!("{version:04}_{name}.down.sql"));
            let down = if down.exists() {
                format!("Some(include_str!({:?}))", down.display().to_string())
            } else {
                "None".to_owned()
            };
            writeln!(
                out,
                "    ({dialect:?}, {version}, {name:?}, include_str!({:?}), {down}),",
                up.display().to_string()
            )
            .unwrap();
        }
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("stock.rs");
    std::fs::write(dest, out).unwrap();
}
