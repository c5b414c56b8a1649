//! Tests of the disk side of `cargo xtask codegen`, on scratch repositories.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Duration;

use super::*;
use crate::tests::{Scratch, files_under, snapshot};
use crate::{Mode, codegen};

/// The path of the scratch spec, and its client module.
const CLIENT: &str = "generated/src/shop/client.rs";

/// A scratch repository after a first run.
fn generated(name: &str) -> Scratch {
    let scratch = Scratch::new(name);
    codegen(&scratch.0, Mode::Write).expect("first run");
    scratch
}

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).expect("read")
}

/// A file payspec could have written at `path` (header, stamp) with `body`.
fn stamped(path: &str, body: &str) -> String {
    stamp::stamp(path, format!("// {MARKER} from spec/old.yaml\n{body}"))
}

/// The temporary files under `root/generated` and `root/spec`.
fn temp_files(root: &Path) -> Vec<String> {
    snapshot(root)
        .into_keys()
        .filter(|p| p.ends_with(TEMP_SUFFIX))
        .collect()
}

// --- symbolic links and other things payspec must not write through -------------------------

#[cfg(unix)]
mod links {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn a_linked_folder_under_generated_is_refused_and_what_it_points_to_survives() {
        let scratch = generated("link-folder");
        let root = &scratch.0;
        let outside = root.join("outside");
        fs::create_dir_all(&outside).expect("outside");
        // Looks like an orphan: before the fix, the walk followed the link and deleted it.
        let keep = outside.join("keep.rs");
        fs::write(&keep, stamped("keep.rs", "fn kept() {}\n")).expect("outside file");
        symlink(&outside, root.join("generated/src/linked")).expect("link");
        let before = snapshot(root);

        for mode in [Mode::Write, Mode::Force] {
            let message = codegen(root, mode).expect_err("link refused");
            assert!(
                message.contains("generated/src/linked (a symbolic link to"),
                "{message}"
            );
            assert!(message.contains("nothing was written"), "{message}");
            assert!(keep.exists(), "the file outside survives");
            assert_eq!(snapshot(root), before, "nothing written or deleted");
        }
        let message = codegen(root, Mode::Check).expect_err("check lists it");
        assert!(
            message.contains("blocked:  generated/src/linked (a symbolic link to"),
            "{message}"
        );
        assert!(
            !message.contains("keep.rs"),
            "the link is not followed: {message}"
        );
    }

    #[test]
    fn a_linked_file_under_generated_is_refused() {
        let scratch = generated("link-file");
        let root = &scratch.0;
        let outside = root.join("outside.rs");
        fs::write(&outside, stamped("outside.rs", "fn kept() {}\n")).expect("outside file");
        symlink(&outside, root.join("generated/src/shop/old.rs")).expect("link");
        let message = codegen(root, Mode::Force).expect_err("link refused");
        assert!(message.contains("generated/src/shop/old.rs"), "{message}");
        assert!(outside.exists());
        assert!(
            fs::symlink_metadata(root.join("generated/src/shop/old.rs"))
                .expect("the link stays")
                .is_symlink()
        );
    }

    #[test]
    fn a_linked_generated_folder_is_refused() {
        let scratch = generated("link-generated");
        let root = &scratch.0;
        let outside = root.join("outside");
        fs::rename(root.join("generated"), &outside).expect("move generated/ away");
        fs::write(outside.join("src/shop/client.rs"), "// mine\n").expect("edit outside");
        symlink(&outside, root.join("generated")).expect("link");
        let before = snapshot(&outside);
        for mode in [Mode::Write, Mode::Force, Mode::Check] {
            let message = codegen(root, mode).expect_err("refused");
            assert!(
                message.contains("blocked:  generated (a symbolic link to")
                    || message.contains("  generated (a symbolic link to"),
                "{mode:?}: {message}"
            );
        }
        assert_eq!(
            fs::read_to_string(outside.join("src/shop/client.rs")).expect("read"),
            "// mine\n"
        );
        assert_eq!(snapshot(&outside), before, "nothing written outside");
    }

    #[test]
    fn links_at_produced_paths_are_never_written_through() {
        // A linked folder on the way to produced files, a link in place of a produced file,
        // and a link in place of spec/schema.json (outside generated/).
        let scratch = generated("link-produced");
        let root = &scratch.0;
        let outside = root.join("outside");
        fs::create_dir_all(&outside).expect("outside");
        fs::rename(root.join("generated/src/shop"), outside.join("shop")).expect("move");
        fs::write(outside.join("shop/client.rs"), "// mine\n").expect("edit outside");
        symlink(outside.join("shop"), root.join("generated/src/shop")).expect("folder link");
        fs::write(outside.join("lib.rs"), "// mine too\n").expect("outside file");
        fs::remove_file(root.join("generated/src/lib.rs")).expect("remove");
        symlink(outside.join("lib.rs"), root.join("generated/src/lib.rs")).expect("file link");
        fs::rename(root.join("spec/schema.json"), outside.join("schema.json")).expect("move");
        symlink(outside.join("schema.json"), root.join("spec/schema.json")).expect("link");
        let before = snapshot(&outside);

        let message = codegen(root, Mode::Force).expect_err("refused");
        for path in [
            "generated/src/shop",
            "generated/src/lib.rs",
            "spec/schema.json",
        ] {
            assert!(
                message.contains(&format!("  {path} (a symbolic link to")),
                "{path}: {message}"
            );
        }
        assert_eq!(snapshot(&outside), before, "nothing written outside");
        let message = codegen(root, Mode::Check).expect_err("listed");
        assert!(
            message.contains("blocked:  generated/src/shop (a symbolic link to"),
            "{message}"
        );
    }

    #[test]
    fn a_dangling_link_is_refused_by_name() {
        let scratch = generated("link-dangling");
        let root = &scratch.0;
        symlink(root.join("nowhere"), root.join("generated/dangling")).expect("link");
        let message = codegen(root, Mode::Write).expect_err("refused");
        assert!(
            message.contains("generated/dangling (a symbolic link to"),
            "{message}"
        );
        assert!(message.contains("which does not exist"), "{message}");
        assert!(!root.join("nowhere").exists(), "nothing created through it");
    }

    #[test]
    fn a_linked_lock_file_is_refused_and_what_it_points_to_survives() {
        let scratch = Scratch::new("link-lock");
        let root = &scratch.0;
        let outside = root.join("outside.txt");
        fs::write(&outside, "precious").expect("outside file");
        symlink(&outside, root.join(LOCK_FILE)).expect("link");
        let message = codegen(root, Mode::Write).expect_err("refused");
        assert!(message.contains(LOCK_FILE), "{message}");
        assert!(message.contains("symbolic link"), "{message}");
        assert_eq!(fs::read_to_string(&outside).expect("read"), "precious");
    }

    #[test]
    fn special_files_and_folders_in_the_way_are_refused() {
        let scratch = generated("special");
        let root = &scratch.0;
        // A socket: a walk that read it would fail or hang.
        let socket = root.join("generated/src/shop/server.sock");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("socket");
        // A folder where a file goes.
        fs::remove_file(root.join("generated/src/lib.rs")).expect("remove");
        fs::create_dir(root.join("generated/src/lib.rs")).expect("folder");
        let message = codegen(root, Mode::Force).expect_err("refused");
        assert!(
            message.contains("generated/src/shop/server.sock (not a regular file)"),
            "{message}"
        );
        assert!(
            message.contains("generated/src/lib.rs (a folder where payspec writes a file)"),
            "{message}"
        );
        assert!(root.join("generated/src/lib.rs").is_dir(), "left alone");
    }
}

#[test]
fn a_file_where_a_folder_goes_is_refused() {
    let scratch = generated("file-for-folder");
    let root = &scratch.0;
    fs::remove_dir_all(root.join("generated/src/shop")).expect("remove");
    fs::write(root.join("generated/src/shop"), "my notes").expect("file");
    let message = codegen(root, Mode::Force).expect_err("refused");
    assert!(
        message.contains("generated/src/shop (a file where payspec needs a folder)"),
        "{message}"
    );
    assert_eq!(read(root, "generated/src/shop"), "my notes");
}

// --- temporary files, the lock, interrupted and failed runs -----------------------------------

#[test]
fn leftover_temporary_files_are_removed_and_never_foreign() {
    let scratch = generated("leftovers");
    let root = &scratch.0;
    let leftovers = [
        "generated/src/shop/.client.rs.payspec-tmp",
        "generated/src/shop/.client.rs.4242-0-1a2b3c4d.payspec-tmp",
        "generated/.Cargo.toml.4242-3-00000000.payspec-tmp",
        "spec/.schema.json.payspec-tmp",
    ];
    for path in leftovers {
        fs::write(root.join(path), "half a fi").expect("leftover");
    }
    let message = codegen(root, Mode::Check).expect_err("listed");
    for path in leftovers {
        assert!(message.contains(&format!("leftover: {path}")), "{message}");
    }
    assert!(!message.contains("foreign"), "{message}");
    codegen(root, Mode::Write).expect("leftovers do not fail the run");
    assert!(temp_files(root).is_empty(), "{:?}", temp_files(root));
    codegen(root, Mode::Check).expect("clean");
}

#[test]
fn concurrent_runs_on_one_repository_all_succeed() {
    for round in 0..3 {
        let scratch = Scratch::new(&format!("concurrent-{round}"));
        let root = scratch.0.clone();
        let runs: Vec<_> = (0..4)
            .map(|i| {
                let root = root.clone();
                let mode = if i == 3 { Mode::Check } else { Mode::Write };
                std::thread::spawn(move || (mode, codegen(&root, mode)))
            })
            .collect();
        for run in runs {
            let (mode, result) = run.join().expect("no panic");
            if mode == Mode::Write {
                result.expect("every writing run succeeds");
            } else if let Err(message) = result {
                // Ran before the writers, or after: either nothing or everything is there.
                assert!(
                    message.contains("missing:") && !message.contains("stale:"),
                    "{message}"
                );
            }
        }
        codegen(&root, Mode::Check).expect("the result is right");
        assert!(temp_files(&root).is_empty());
    }
}

#[test]
fn a_second_run_waits_then_names_the_running_one() {
    let scratch = Scratch::new("lock");
    let root = &scratch.0;
    let held = lock(root, Mode::Write, Duration::ZERO).expect("first lock");
    for mode in [Mode::Write, Mode::Check] {
        let message = lock(root, mode, Duration::from_millis(200)).expect_err("second lock");
        assert!(
            message.contains(&format!(
                "another `cargo xtask codegen` is running (pid {})",
                std::process::id()
            )),
            "{message}"
        );
    }
    drop(held);
    lock(root, Mode::Write, Duration::ZERO).expect("free again");
}

#[test]
fn a_lock_file_left_by_a_killed_run_does_not_block() {
    let scratch = Scratch::new("stale-lock");
    let root = &scratch.0;
    // What `kill -9` leaves: the file, with a pid that no longer runs; the OS lock is gone.
    fs::write(root.join(LOCK_FILE), "4194303\n").expect("lock file");
    codegen(root, Mode::Write).expect("not blocked");
    codegen(root, Mode::Check).expect("clean");
    assert!(
        !files_under(root).iter().any(|p| p.contains(LOCK_FILE)),
        "the lock file is not under generated/"
    );
}

/// A repository where the next run takes every kind of step, and the files it produces:
/// missing files in missing folders (`generated/docs/fr/`), stale files (one outside
/// `generated/`), orphans in a folder they leave empty, a temporary file left behind.
fn mixed_run(name: &str) -> (Scratch, BTreeMap<String, String>) {
    let scratch = generated(name);
    let root = &scratch.0;
    fs::remove_dir_all(root.join("generated/docs/fr")).expect("remove docs/fr");
    for path in ["generated/Cargo.toml", "generated/src/lib.rs"] {
        let older = stamp::stamp(path, format!("# {MARKER} (an older version)\n"));
        fs::write(root.join(path), older).expect("older");
    }
    fs::write(root.join("spec/schema.json"), "{}\n").expect("older schema");
    fs::create_dir(root.join("generated/src/gone")).expect("folder");
    for path in ["generated/src/gone/a.rs", "generated/src/gone/b.rs"] {
        fs::write(root.join(path), stamped(path, "fn gone() {}\n")).expect("orphan");
    }
    fs::write(
        root.join("generated/src/shop/.types.rs.payspec-tmp"),
        "half",
    )
    .expect("leftover");
    let sources = crate::read_specs(root).expect("specs");
    let files = payspec_codegen::generate(&sources)
        .expect("generates")
        .files;
    (scratch, files)
}

/// A copy of the repository `from` (its spec/ and generated/), named `name`.
fn copy_of(from: &Path, name: &str) -> Scratch {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).expect("folder");
        for entry in fs::read_dir(from).expect("read folder") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
    let scratch = Scratch::new(name);
    for folder in ["spec", "generated"] {
        copy(&from.join(folder), &scratch.0.join(folder));
    }
    scratch
}

#[test]
fn an_io_error_at_any_step_leaves_generated_as_it_was() {
    let (template, files) = mixed_run("fault-template");
    let before = snapshot(&template.0);
    let mut step = 0;
    loop {
        let scratch = copy_of(&template.0, "fault");
        let root = &scratch.0;
        fault::arm(step, false);
        let result = sync(root, &files, Mode::Write);
        let unused = fault::disarm();
        match result {
            Err(message) => {
                assert!(message.contains("injected fault"), "{step}: {message}");
                assert!(
                    message.contains("generated/ was left as it was"),
                    "{step}: {message}"
                );
                let after = snapshot(root);
                assert_eq!(
                    after.keys().collect::<Vec<_>>(),
                    before.keys().collect::<Vec<_>>(),
                    "step {step}: the same files and folders"
                );
                assert!(after == before, "step {step}: the same bytes");
            }
            Ok(()) => {
                assert!(unused, "step {step}: the fault fired but the run succeeded");
                sync(root, &files, Mode::Check).expect("the run was complete");
                assert!(
                    !root.join("generated/src/gone").exists(),
                    "emptied folders go"
                );
                assert!(step > 10, "the run has steps to fail: {step}");
                break;
            }
        }
        step += 1;
    }
}

#[test]
fn a_run_killed_at_any_step_is_repaired_by_the_next() {
    let (template, files) = mixed_run("killed-template");
    let mut step = 0;
    loop {
        let scratch = copy_of(&template.0, "killed");
        let root = &scratch.0;
        fault::arm(step, true);
        let result = sync(root, &files, Mode::Write);
        let unused = fault::disarm();
        // Whatever a killed run left (temporary files, some files replaced, others not), the
        // next run ends with the right result, and reports no hand edit.
        sync(root, &files, Mode::Write).unwrap_or_else(|m| panic!("step {step}: {m}"));
        sync(root, &files, Mode::Check).unwrap_or_else(|m| panic!("step {step}: {m}"));
        assert!(temp_files(root).is_empty(), "step {step}");
        if unused {
            result.expect("the run succeeded");
            break;
        }
        assert!(result.is_err(), "step {step}: the run died");
        step += 1;
    }
}

// --- what counts as a hand edit ---------------------------------------------------------------

#[test]
fn a_hand_edit_that_removes_the_stamp_line_is_refused() {
    let scratch = generated("stamp-removed");
    let root = &scratch.0;
    let edited: String = read(root, CLIENT)
        .lines()
        .filter(|l| !l.contains("payspec-hash: "))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replacen("pub struct Client", "pub struct Client /* mine */", 1);
    fs::write(root.join(CLIENT), &edited).expect("edit");
    let message = codegen(root, Mode::Write).expect_err("refused");
    assert!(
        message.contains(CLIENT) && message.contains("--force"),
        "{message}"
    );
    assert_eq!(read(root, CLIENT), edited, "the edit is kept");
    let message = codegen(root, Mode::Check).expect_err("listed");
    assert!(
        message.contains(&format!("edited by hand: {CLIENT}")),
        "{message}"
    );
    codegen(root, Mode::Force).expect("forced");
    codegen(root, Mode::Check).expect("clean");
}

#[test]
fn a_damaged_stamp_or_a_file_payspec_did_not_write_is_a_hand_edit() {
    let scratch = generated("stamp-damaged");
    let root = &scratch.0;
    // The stamp line damaged, and a produced path holding a file without payspec's header.
    let damaged = read(root, CLIENT).replacen("payspec-hash: ", "payspec-hash: zz", 1);
    fs::write(root.join(CLIENT), &damaged).expect("damage");
    fs::write(root.join("generated/src/lib.rs"), "//! my own crate root\n").expect("replace");
    // An orphan with payspec's header but no stamp.
    fs::write(
        root.join("generated/src/shop/old.rs"),
        format!("// {MARKER} from spec/old.yaml\nfn mine() {{}}\n"),
    )
    .expect("orphan");
    let message = codegen(root, Mode::Write).expect_err("refused");
    for path in [CLIENT, "generated/src/lib.rs", "generated/src/shop/old.rs"] {
        assert!(
            message.contains(&format!("  {path}\n")),
            "{path}: {message}"
        );
    }
    assert!(root.join("generated/src/shop/old.rs").exists());
    codegen(root, Mode::Force).expect("forced");
    codegen(root, Mode::Check).expect("clean");
    assert!(!root.join("generated/src/shop/old.rs").exists());
}

#[test]
fn the_marker_counts_only_in_a_header() {
    let scratch = generated("marker-quoted");
    let root = &scratch.0;
    let mut notes = "# Notes\n\n".repeat(8);
    notes.push_str(&format!("Files under generated/ start with `{MARKER}`.\n"));
    fs::write(root.join("generated/NOTES.md"), &notes).expect("notes");
    let message = codegen(root, Mode::Force).expect_err("foreign, not an orphan");
    assert!(message.contains("generated/NOTES.md"), "{message}");
    assert_eq!(read(root, "generated/NOTES.md"), notes, "never deleted");
}

#[test]
fn crlf_line_endings_are_stale_not_hand_edits() {
    let scratch = generated("crlf");
    let root = &scratch.0;
    let lf = read(root, CLIENT);
    fs::write(root.join(CLIENT), lf.replace('\n', "\r\n")).expect("crlf");
    let message = codegen(root, Mode::Check).expect_err("not byte for byte");
    assert!(
        message.contains(&format!(
            "stale:    {CLIENT} (only the line endings differ: CRLF instead of LF)"
        )),
        "{message}"
    );
    assert!(!message.contains("edited by hand"), "{message}");
    codegen(root, Mode::Write).expect("rewritten without --force");
    assert_eq!(read(root, CLIENT), lf);

    // CRLF and an edit: an edit.
    let edited = lf.replacen("pub struct Client", "pub struct Client /* mine */", 1);
    fs::write(root.join(CLIENT), edited.replace('\n', "\r\n")).expect("crlf edit");
    let message = codegen(root, Mode::Write).expect_err("an edit");
    assert!(message.contains("edited by hand"), "{message}");
}

// --- --check lists everything -----------------------------------------------------------------

#[test]
fn check_lists_a_lone_foreign_file() {
    let scratch = generated("check-foreign");
    let root = &scratch.0;
    fs::write(root.join("generated/notes.txt"), "my notes").expect("foreign");
    let message = codegen(root, Mode::Check).expect_err("not clean");
    assert!(
        message.contains("foreign:  generated/notes.txt (not written by payspec)"),
        "{message}"
    );
    assert!(
        message.contains("move foreign files out of generated/"),
        "{message}"
    );
}

#[test]
fn check_lists_every_kind_of_difference() {
    type Setup = fn(&Path);
    let cases: [(&str, Setup, &str); 8] = [
        (
            "stale",
            |root| {
                let older = stamped(CLIENT, "fn older() {}\n");
                fs::write(root.join(CLIENT), older).expect("older");
            },
            "stale:    generated/src/shop/client.rs",
        ),
        (
            "missing",
            |root| fs::remove_file(root.join(CLIENT)).expect("remove"),
            "missing:  generated/src/shop/client.rs",
        ),
        (
            "orphaned",
            |root| {
                let path = "generated/src/shop/old.rs";
                fs::write(root.join(path), stamped(path, "fn old() {}\n")).expect("orphan");
            },
            "orphaned: generated/src/shop/old.rs",
        ),
        (
            "edited",
            |root| {
                let text = fs::read_to_string(root.join(CLIENT)).expect("read");
                fs::write(root.join(CLIENT), text.replace("pub struct", "struct")).expect("edit");
            },
            "edited by hand: generated/src/shop/client.rs",
        ),
        (
            "foreign",
            |root| fs::write(root.join("generated/x.txt"), "x").expect("foreign"),
            "foreign:  generated/x.txt",
        ),
        (
            "blocked",
            |root| {
                fs::remove_file(root.join(CLIENT))
                    .and_then(|()| fs::create_dir(root.join(CLIENT)))
                    .expect("folder")
            },
            "blocked:  generated/src/shop/client.rs (a folder where payspec writes a file)",
        ),
        (
            "leftover",
            |root| fs::write(root.join("generated/.x.payspec-tmp"), "x").expect("tmp"),
            "leftover: generated/.x.payspec-tmp",
        ),
        (
            "schema",
            |root| fs::write(root.join("spec/schema.json"), "{}\n").expect("schema"),
            "stale:    spec/schema.json",
        ),
    ];
    for (name, setup, line) in cases {
        let scratch = generated(&format!("check-{name}"));
        let root = &scratch.0;
        setup(root);
        let message = codegen(root, Mode::Check).expect_err(name);
        assert!(message.contains(line), "{name}: {message}");
        let listed = message.lines().filter(|l| l.starts_with("  ")).count();
        assert!(listed >= 1, "{name}: {message}");
        assert!(!message.ends_with('.'), "{name}: {message}");
    }
}

#[test]
fn every_field_of_a_plan_shows_in_the_check() {
    let path = || vec!["generated/x".to_owned()];
    let plans = [
        Plan {
            missing: path(),
            ..Plan::default()
        },
        Plan {
            stale: path(),
            ..Plan::default()
        },
        Plan {
            orphaned: path(),
            ..Plan::default()
        },
        Plan {
            edited: path(),
            ..Plan::default()
        },
        Plan {
            foreign: path(),
            ..Plan::default()
        },
        Plan {
            leftovers: path(),
            ..Plan::default()
        },
        Plan {
            blocked: [("generated/x".to_owned(), "why".to_owned())].into(),
            ..Plan::default()
        },
    ];
    for plan in plans {
        assert!(!plan.is_clean(), "{plan:?}");
        assert!(plan.check_report().contains("generated/x"), "{plan:?}");
    }
    assert!(Plan::default().is_clean());
}
