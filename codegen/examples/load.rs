//! Parses spec files and prints the first YAML or shape error of each (a stop-gap check).
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("readable file");
        match serde_saphyr::from_str::<payspec_codegen::spec::SpecFile>(&text) {
            Ok(spec) => println!(
                "{path}: ok, {} operations, {} types, {} enums",
                spec.operations.len(),
                spec.types.len(),
                spec.enums.len()
            ),
            Err(e) => println!("{path}: {e}"),
        }
    }
}
