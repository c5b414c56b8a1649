//! Content hashes in the headers of generated files, so a hand edit is noticed before
//! `cargo xtask codegen` overwrites it.
//!
//! The last line of each generated file's header comment records a hash of the file without
//! that line. A file whose hash no longer matches was edited by hand; so was a file of a
//! stamped kind ([`is_stamped`]) that lost its hash line. Line endings do not count: a CRLF
//! checkout of a file is as intact as the LF file payspec wrote.

/// The marker that starts the hash line, after the comment opener.
const MARKER: &str = "payspec-hash: ";

/// The hash line for `path`, in its comment syntax; `None` for formats without comments.
fn hash_line(path: &str, hash: &str) -> Option<String> {
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "rs" => Some(format!("// {MARKER}{hash}")),
        "toml" | "yaml" | "yml" => Some(format!("# {MARKER}{hash}")),
        "md" => Some(format!("<!-- {MARKER}{hash} -->")),
        _ => None,
    }
}

/// Whether payspec stamps the files of `path`'s kind (those whose format has comments), so a
/// file of this kind without a hash line was not left as payspec wrote it.
pub fn is_stamped(path: &str) -> bool {
    hash_line(path, "").is_some()
}

/// FNV-1a's step, 64 bits, taken over 8-byte little-endian words, then over the bytes left:
/// not a security measure, only an edit detector that needs no dependency. Each step is a
/// bijection of the hash for a given word (an odd multiplier), so any edit within one word
/// changes the result; a word at a time is 8 times fewer multiplications than FNV-1a's byte
/// at a time, whose chain was 4 % of a whole generation.
fn edit_hash(text: &str) -> String {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = text.as_bytes().chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(bytes)).wrapping_mul(PRIME);
    }
    for byte in words.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(PRIME);
    }
    format!("{hash:016x}")
}

/// Whether `line` belongs to the header comment of a file of `path`'s kind.
fn is_header(path: &str, line: &str) -> bool {
    match path.rsplit('.').next().unwrap_or("") {
        "rs" => line.starts_with("// "),
        "md" => line.starts_with("<!--"),
        _ => line.starts_with("# "),
    }
}

/// Inserts the hash line at the end of the header comment of `text` (line 1 at least), in
/// place: the file is not copied whole beside itself.
pub fn stamp(path: &str, text: impl Into<String>) -> String {
    let mut text = text.into();
    let Some(line) = hash_line(path, &edit_hash(&text)) else {
        return text;
    };
    // The end of the header: after its last line, or after line 1 when there is none.
    let mut end = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i > 0 && !is_header(path, l) {
            break;
        }
        end += l.len();
        if i == 0 && !is_header(path, l) {
            break;
        }
    }
    let mut insert = String::with_capacity(line.len() + 2);
    if !text[..end].ends_with('\n') {
        insert.push('\n');
    }
    insert.push_str(&line);
    insert.push('\n');
    // Exactly: a big file grows in place instead of doubling its buffer.
    text.reserve_exact(insert.len());
    text.insert_str(end, &insert);
    text
}

/// Whether a file's recorded hash matches its content: `Some(true)` if intact, `Some(false)`
/// if edited since it was written, `None` if it carries no hash line. CRLF line endings are
/// read as LF: they are how some checkouts store the file, not an edit.
pub fn is_intact(text: &str) -> Option<bool> {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let index = lines.iter().take(8).position(|l| l.contains(MARKER))?;
    let line = lines[index];
    let at = line.find(MARKER)?;
    let recorded: String = line[at + MARKER.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let original: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, l)| *l)
        .collect();
    Some(recorded == edit_hash(&original) || recorded == byte_fnv1a(&original))
}

/// FNV-1a a byte at a time, the hash files were stamped with before [`edit_hash`]: a file
/// an earlier payspec wrote is intact, not edited, until it is written again.
fn byte_fnv1a(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamped_files_are_intact_until_edited() {
        for (path, text) in [
            ("a.rs", "// header\nfn main() {}\n"),
            ("Cargo.toml", "# header\n[package]\n"),
            ("x.md", "<!-- header -->\n\n# Title\n"),
            ("y.yaml", "# header\nopenapi: 3.0.3\n"),
        ] {
            let stamped = stamp(path, text);
            assert_eq!(stamped.lines().count(), text.lines().count() + 1);
            assert!(
                stamped.lines().nth(1).is_some_and(|l| l.contains(MARKER)),
                "{stamped}"
            );
            assert_eq!(is_intact(&stamped), Some(true), "{path}");
            let edited = stamped.replacen("header", "headers", 1);
            assert_eq!(is_intact(&edited), Some(false), "{path}");
            let appended = format!("{stamped}// more\n");
            assert_eq!(is_intact(&appended), Some(false), "{path}");
        }
        assert_eq!(stamp("schema.json", "{}\n"), "{}\n");
        assert_eq!(is_intact("{}\n"), None);
        assert_eq!(is_intact("// no hash here\nfn main() {}\n"), None);
        let two_line_header = stamp("b.rs", "// one\n// two\n\nfn f() {}\n");
        assert!(
            two_line_header.starts_with("// one\n// two\n// payspec-hash: "),
            "{two_line_header}"
        );
        assert_eq!(is_intact(&two_line_header), Some(true));
    }

    #[test]
    fn a_file_stamped_by_the_byte_hash_is_intact() {
        // As an earlier payspec wrote it: its hash line holds FNV-1a over the bytes.
        let text = "// header\nfn main() {}\n";
        let old = text.replacen('\n', &format!("\n// {MARKER}{}\n", byte_fnv1a(text)), 1);
        assert_eq!(is_intact(&old), Some(true));
        assert_eq!(is_intact(&old.replace("main", "mane")), Some(false));
        assert_ne!(byte_fnv1a(text), edit_hash(text));
    }

    #[test]
    fn every_one_byte_edit_changes_the_hash() {
        // Lengths around the word size, each byte changed, and one byte more or fewer.
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 31] {
            let text: String = (0..length)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let hash = edit_hash(&text);
            for at in 0..length {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = b'Z';
                let edited = String::from_utf8(bytes).unwrap();
                assert_ne!(edit_hash(&edited), hash, "{length} {at}");
            }
            assert_ne!(edit_hash(&format!("{text}a")), hash, "{length}");
            if let Some(shorter) = text.get(..length.saturating_sub(1)).filter(|_| length > 0) {
                assert_ne!(edit_hash(shorter), hash, "{length}");
            }
        }
        assert_eq!(edit_hash("").len(), 16);
    }

    #[test]
    fn crlf_line_endings_are_not_an_edit() {
        for (path, text) in [
            ("a.rs", "// header\nfn main() {}\n"),
            ("x.md", "<!-- header -->\n\n# Title\n"),
        ] {
            let crlf = stamp(path, text).replace('\n', "\r\n");
            assert_eq!(is_intact(&crlf), Some(true), "{path}");
            let edited = crlf.replacen("header", "headers", 1);
            assert_eq!(is_intact(&edited), Some(false), "{path}");
        }
    }

    #[test]
    fn stamped_kinds_are_those_with_comments() {
        for path in [
            "generated/src/lib.rs",
            "generated/Cargo.toml",
            "a.yaml",
            "a.yml",
            "a.md",
        ] {
            assert!(is_stamped(path), "{path}");
            let without_hash: String = stamp(path, "# header\nx\n")
                .lines()
                .filter(|l| !l.contains(MARKER))
                .map(|l| format!("{l}\n"))
                .collect();
            assert_eq!(is_intact(&without_hash), None, "{path}");
        }
        assert!(!is_stamped("spec/schema.json"));
        assert!(!is_stamped("generated/notes.txt"));
    }
}
