//! `plan --write NAME`: a plan as new migration files for all three dialects.

use std::path::{Path, PathBuf};

use auth_schema::Backend;

use crate::Error;
use crate::migration::dialect_dir;
use crate::plan::Plan;

/// The next version: one more than the highest version in any dialect folder under `dir`.
pub fn next_version(dir: &Path) -> i64 {
    let mut max = 0;
    for backend in Backend::ALL {
        let Ok(entries) = std::fs::read_dir(dir.join(dialect_dir(backend))) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if let Some(v) = name.split('_').next().and_then(|v| v.parse::<i64>().ok()) {
                max = max.max(v);
            }
        }
    }
    max + 1
}

/// Writes `<dir>/<dialect>/<version>_<name>.{up,down}.sql` for every dialect and returns the
/// version and the paths. The version follows both the files under `dir` and `after` (the newest
/// migration known otherwise, e.g. the shipped ones). Refuses an empty plan, a bad name, or
/// files that already exist.
pub fn write(
    dir: &Path,
    plan: &Plan,
    name: &str,
    after: i64,
) -> Result<(i64, Vec<PathBuf>), Error> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(Error::Config(format!(
            "migration name `{name}`: use lowercase letters, digits and `_`"
        )));
    }
    if plan.is_empty() {
        return Err(Error::Config("the plan is empty: nothing to write".into()));
    }
    let version = next_version(dir).max(after + 1);
    let mut files = Vec::new();
    for backend in Backend::ALL {
        let sub = dir.join(dialect_dir(backend));
        std::fs::create_dir_all(&sub).map_err(|e| Error::io("create", &sub, e))?;
        for down in [false, true] {
            let path = sub.join(format!(
                "{version:04}_{name}.{}.sql",
                if down { "down" } else { "up" }
            ));
            if path.exists() {
                return Err(Error::Io {
                    message: format!("{} already exists", path.display()),
                    source: None,
                });
            }
            files.push((path, plan.render_file(backend, version, name, down)));
        }
    }
    for (path, text) in &files {
        std::fs::write(path, text).map_err(|e| Error::io("write", path, e))?;
    }
    Ok((version, files.into_iter().map(|(p, _)| p).collect()))
}
