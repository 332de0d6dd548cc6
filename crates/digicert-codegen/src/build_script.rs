//! [`run`]: the body of a `build.rs` that regenerates code from the specs into `OUT_DIR`
//! (the `digicert` client's and the `digicert` command's, with their feature `codegen`).
//! One loop for both, so that they fail the same way: a missing spec or a spec that fails
//! the linter is one `cargo::error` line per problem, never a panic.

use std::path::{Path, PathBuf};

use crate::{FAMILIES, Family};

/// For every family: tells cargo to rerun when its spec changes, calls `files(root,
/// family)` for the files to write (name in `OUT_DIR`, contents), and writes them. `what`
/// names what is generated in the message for a spec that is not there ("the client", "the
/// commands"). Every problem is printed as `cargo::error`; the script then exits 1.
///
/// The workspace root is two levels above `CARGO_MANIFEST_DIR` (`crates/<name>/`).
pub fn run(what: &str, files: impl Fn(&Path, &Family) -> Result<Vec<(String, String)>, String>) {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let root = manifest_dir.join("../..");
    for family in FAMILIES {
        println!(
            "cargo::rerun-if-changed={}",
            root.join(family.spec).display()
        );
    }
    let problems = generate_all(&root, &out_dir, what, files);
    for line in problems.iter().flat_map(|problem| problem.lines()) {
        println!("cargo::error={line}");
    }
    if !problems.is_empty() {
        std::process::exit(1);
    }
}

/// What [`run`] does without cargo's environment: generates every family from the specs
/// under `root` into `out_dir`, and returns one message per family that failed.
pub fn generate_all(
    root: &Path,
    out_dir: &Path,
    what: &str,
    files: impl Fn(&Path, &Family) -> Result<Vec<(String, String)>, String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for family in FAMILIES {
        let result = if root.join(family.spec).is_file() {
            files(root, family).and_then(|files| write_all(out_dir, files))
        } else {
            Err(format!(
                "feature `codegen` regenerates {what} from the repository's `{}`, which is not here; \
                 build without it to compile the checked-in `generated/` code",
                family.spec
            ))
        };
        if let Err(message) = result {
            problems.push(message);
        }
    }
    problems
}

fn write_all(out_dir: &Path, files: Vec<(String, String)>) -> Result<(), String> {
    for (name, code) in files {
        let target = out_dir.join(name);
        std::fs::write(&target, code)
            .map_err(|e| format!("{}: cannot write: {e}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "digicert-build-script-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn workspace_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn client(root: &Path, family: &Family) -> Result<Vec<(String, String)>, String> {
        let generated = crate::generate(root, family).map_err(|e| e.to_string())?;
        Ok(vec![(format!("{}.rs", family.name), generated.code)])
    }

    #[test]
    fn writes_every_family_into_out_dir() {
        let out = temp_dir("ok");
        let problems = generate_all(&workspace_root(), &out, "the client", client);
        assert!(problems.is_empty(), "{problems:?}");
        for family in FAMILIES {
            let written = std::fs::read_to_string(out.join(format!("{}.rs", family.name))).unwrap();
            let checked_in =
                std::fs::read_to_string(workspace_root().join(family.generated)).unwrap();
            assert_eq!(written, checked_in, "{}", family.name);
        }
    }

    #[test]
    fn a_missing_spec_says_what_to_do() {
        let empty = temp_dir("empty");
        let problems = generate_all(&empty, &empty, "the commands", client);
        assert_eq!(problems.len(), FAMILIES.len());
        for (problem, family) in problems.iter().zip(FAMILIES) {
            assert!(problem.contains("regenerates the commands"), "{problem}");
            assert!(
                problem.contains(family.spec) && problem.contains("build without it"),
                "{problem}"
            );
        }
    }

    #[test]
    fn a_spec_that_fails_lint_is_reported_by_line_not_by_panic() {
        let root = temp_dir("broken");
        for family in FAMILIES {
            let text = std::fs::read_to_string(workspace_root().join(family.spec)).unwrap();
            let broken = text.replacen("type: integer", "type: intger", 1);
            let path = root.join(family.spec);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, broken).unwrap();
        }
        let problems = generate_all(&root, &root, "the client", client);
        assert_eq!(problems.len(), FAMILIES.len(), "{problems:?}");
        for problem in &problems {
            assert!(problem.contains("intger"), "{problem}");
            assert!(!problem.contains("panicked"), "{problem}");
        }
    }
}
