//! The Markdown index of each API says each sentence of its authentication section once.

#[test]
fn no_paragraph_opens_with_the_paragraph_before_it() {
    for lang in ["en", "fr"] {
        for api in ["lyra", "paysafe", "mollie", "checkout"] {
            let path = format!(
                "{}/../generated/docs/{lang}/{api}/index.md",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(&path).unwrap();
            let paragraphs: Vec<&str> = text.split("\n\n").map(str::trim).collect();
            for pair in paragraphs.windows(2) {
                let [before, after] = pair else { continue };
                let repeated = before.trim_end_matches('.');
                assert!(
                    before.is_empty() || before.starts_with('#') || !after.starts_with(repeated),
                    "{path}: `{before}` is said again by the next paragraph"
                );
            }
        }
    }
}
