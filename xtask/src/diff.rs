//! `cargo xtask diff <rev>`: what changed in `spec/*.yaml` between a git revision and the
//! working tree, seen by a Rust user of the produced crate, and the semver bump it implies.
//!
//! The comparison and the report text are pure and live in the generator library
//! ([`payspec_codegen::diff`], which documents the classification). This file does the IO:
//! [`run`] reads the specs at the revision with `git ls-tree`/`git show` and the working tree
//! with [`crate::read_specs`], and prints the report. A report is not a failure (exit 0); a git
//! error or a spec with errors is.

use std::path::Path;
use std::process::Command;

use payspec_codegen::SourceFile;
use payspec_codegen::diff::{compare, report};

/// Compares the specs at `rev` with the working tree under `root` and prints the report.
pub fn run(root: &Path, rev: &str) -> Result<(), String> {
    print!("{}", diff_report(root, rev)?);
    Ok(())
}

/// The report comparing the specs at `rev` with the working tree under `root`.
pub fn diff_report(root: &Path, rev: &str) -> Result<String, String> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        format!(
            "`{rev}` is not a commit of the git repository at {}",
            root.display()
        )
    })?;
    let commit = commit.trim();
    let listing = git(root, &["ls-tree", "--name-only", commit, "--", "spec/"])?;
    let mut old_sources = Vec::new();
    for path in listing.lines() {
        if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
            continue;
        }
        // `./`: relative to `root`, like the listing, even if `root` is not the top of the
        // repository.
        let text = git(root, &["show", &format!("{commit}:./{path}")])?;
        old_sources.push(SourceFile {
            path: path.to_owned(),
            text,
        });
    }
    let (old, _) = payspec_codegen::build_ir(&old_sources).map_err(|diagnostics| {
        format!(
            "{}the specs at {rev} have errors (read by the current generator); cannot compare",
            payspec_codegen::render(&diagnostics, &old_sources)
        )
    })?;
    let new_sources = crate::read_specs(root)?;
    let (new, _) = payspec_codegen::build_ir(&new_sources).map_err(|diagnostics| {
        format!(
            "{}the specs in the working tree have errors; cannot compare",
            payspec_codegen::render(&diagnostics, &new_sources)
        )
    })?;
    Ok(report(rev, &compare(&old, &new)))
}

/// Runs git in `root`; its standard output, or its error message.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("`git {}`: output is not UTF-8", args.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch git repository with `spec/shop.yaml`, removed on drop.
    struct Repo(std::path::PathBuf);

    impl Repo {
        fn new(name: &str) -> Repo {
            let dir = std::env::temp_dir()
                .join(format!("payspec-xtask-diff-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("spec")).expect("create scratch");
            let repo = Repo(dir);
            repo.git(&["init", "--quiet"]);
            repo
        }

        fn git(&self, args: &[&str]) {
            let status = Command::new("git")
                .arg("-C")
                .arg(&self.0)
                .args([
                    "-c",
                    "user.name=payspec",
                    "-c",
                    "user.email=payspec@example.com",
                ])
                .args(["-c", "commit.gpgsign=false"])
                .args(args)
                .status()
                .expect("run git");
            assert!(status.success(), "git {args:?}");
        }

        fn write(&self, text: &str) {
            std::fs::write(self.0.join("spec/shop.yaml"), text).expect("write spec");
        }

        fn commit(&self) {
            self.git(&["add", "spec"]);
            self.git(&["commit", "--quiet", "-m", "spec"]);
        }
    }

    impl Drop for Repo {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn diff_report_reads_the_revision_with_git() {
        let repo = Repo::new("read");
        repo.write(include_str!("../../tests/fixtures/diff/retry/old.yaml"));
        repo.commit();
        repo.write(include_str!("../../tests/fixtures/diff/retry/new.yaml"));
        let text = diff_report(&repo.0, "HEAD").expect("report");
        assert!(
            text.starts_with("# Spec changes from HEAD to the working tree\n"),
            "{text}"
        );
        assert!(
            text.contains("- **shop** `payments/create`: retry `never` -> `safe`"),
            "{text}"
        );
        assert!(
            text.ends_with("Semver bump: **major** (1 breaking, 1 additive, 0 docs-only)\n"),
            "{text}"
        );

        repo.commit();
        let text = diff_report(&repo.0, "HEAD").expect("report");
        assert!(text.ends_with("Semver bump: no change\n"), "{text}");
        let text = diff_report(&repo.0, "HEAD~1").expect("report");
        assert!(text.contains("## Breaking (1)"), "{text}");
    }

    #[test]
    fn diff_report_fails_clearly() {
        let repo = Repo::new("errors");
        repo.write(include_str!("../../tests/fixtures/diff/retry/old.yaml"));
        repo.commit();
        let message = diff_report(&repo.0, "no-such-revision").expect_err("unknown revision");
        assert!(
            message.starts_with("`no-such-revision` is not a commit of the git repository at"),
            "{message}"
        );
        let message = diff_report(&repo.0, "--output=x").expect_err("option");
        assert_eq!(message, "`--output=x` is not a git revision");

        repo.write("format: 1\napi: {}\n");
        repo.commit();
        repo.write(include_str!("../../tests/fixtures/diff/retry/old.yaml"));
        let message = diff_report(&repo.0, "HEAD").expect_err("broken spec at HEAD");
        assert!(message.contains("error[S001]"), "{message}");
        assert!(message.contains("spec/shop.yaml"), "{message}");
        assert!(
            message.ends_with(
                "the specs at HEAD have errors (read by the current generator); cannot compare"
            ),
            "{message}"
        );

        repo.write("format: 2\n");
        let message = diff_report(&repo.0, "HEAD~1").expect_err("broken working tree");
        assert!(
            message.ends_with("the specs in the working tree have errors; cannot compare"),
            "{message}"
        );
    }
}
