//! IR -> files. Emitters only print: they read the IR and never the spec.

pub mod crate_files;
pub mod docs;
pub mod getting_started;
pub mod layout;
pub mod openapi;
pub mod rust;
pub mod sandbox;
pub mod source;
pub mod testing;
pub mod text;
pub mod validation;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::Options;
use crate::ir::{ApiIr, Ir};

/// The command that rewrites every generated file; named in each file's header.
pub const COMMAND: &str = "cargo xtask codegen";

/// Every file of `generated/`, keyed by path relative to the repository root, each with its hash
/// line ([`stamp`](crate::stamp)): the crate's own files, and `parts`, the files of each API
/// made by [`Part::files`].
pub fn emit(
    ir: &Ir,
    options: &Options,
    parts: Vec<PartFiles>,
) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    crate_files::emit(ir, options, &mut files)?;
    let mut files = stamped(files);
    for part in parts {
        files.extend(part?);
    }
    Ok(files)
}

/// The files of one [`Part`] of an API's output, stamped; or why they could not be made.
pub type PartFiles = Result<BTreeMap<String, String>, String>;

/// How many parts an API's output has (see [`Part`]).
pub const PARTS: usize = Part::ALL.len();

/// `files` with the hash line of each (see [`stamp`](crate::stamp)).
fn stamped(files: BTreeMap<String, String>) -> BTreeMap<String, String> {
    files
        .into_iter()
        .map(|(path, text)| {
            let text = crate::stamp::stamp(&path, text);
            (path, text)
        })
        .collect()
}

/// The parts of an API's output that are made independently of each other, each a job (see
/// [`run`](crate::jobs::run)): the big files of a big API are made side by side, and a job holds one file
/// at a time, so the peak memory is that of one file per thread.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    /// `mod.rs` and `client.rs`.
    Client,
    /// `requests.rs`.
    Requests,
    /// `types.rs`.
    Types,
    /// `enums.rs`.
    Enums,
    /// `sandbox.rs` and the notification modules.
    Sandbox,
    /// The Markdown docs.
    Docs,
    /// The OpenAPI document.
    OpenApi,
}

impl Part {
    /// The biggest first, so that no big job starts last.
    pub const ALL: [Part; 7] = [
        Part::Types,
        Part::Requests,
        Part::Enums,
        Part::Client,
        Part::Docs,
        Part::Sandbox,
        Part::OpenApi,
    ];

    /// The part's files, stamped (in the job, so that the hashing of a big file runs side by
    /// side with the other jobs instead of after them all).
    pub fn files(self, api: &ApiIr) -> PartFiles {
        Ok(stamped(self.make(api)?))
    }

    fn make(self, api: &ApiIr) -> Result<BTreeMap<String, String>, String> {
        let mut files = BTreeMap::new();
        match self {
            Part::Client => {
                rust_file(&mut files, api, "mod.rs", |f| {
                    f.push(rust::module_file(api));
                    f.push(sandbox::module_decl());
                })?;
                rust_file(&mut files, api, "client.rs", |f| rust::client_file(f, api))?;
            }
            Part::Requests => rust_file(&mut files, api, "requests.rs", |f| {
                rust::structs_file(
                    f,
                    api,
                    &api.request_structs,
                    "The request of each operation, and the objects nested in them.",
                );
                f.push_text(&rust::aliases(api));
            })?,
            Part::Types => rust_file(&mut files, api, "types.rs", |f| {
                rust::structs_file(
                    f,
                    api,
                    &api.types,
                    "The named object types of the API, and the objects nested in them.",
                );
                for item in rust::one_of_items(api) {
                    f.push_text(&item);
                }
            })?,
            Part::Enums => rust_file(&mut files, api, "enums.rs", |f| rust::enums_file(f, api))?,
            Part::Sandbox => {
                rust_file(&mut files, api, "sandbox.rs", |f| {
                    sandbox::sandbox_file(f, api)
                })?;
                for n in &api.notifications {
                    let name = format!("{}.rs", n.module);
                    rust_file(&mut files, api, &name, |f| {
                        f.push(rust::notification_file(api, n))
                    })?;
                }
            }
            Part::Docs => docs::emit(api, &mut files),
            Part::OpenApi => openapi::emit(api, &mut files),
        }
        Ok(files)
    }
}

/// One Rust file of an API's module, `generated/src/<module>/<name>`, into `files`.
fn rust_file(
    files: &mut BTreeMap<String, String>,
    api: &ApiIr,
    name: &str,
    emit: impl FnOnce(&mut RustFile),
) -> Result<(), String> {
    let path = format!("generated/src/{}/{name}", api.module);
    // The header first in the file's own buffer: the text is never copied whole.
    let mut file = RustFile::with_header(rust_header(&api.spec_file, name));
    emit(&mut file);
    let text = file.finish().map_err(|e| format!("{path}: {e}"))?;
    files.insert(path, text);
    Ok(())
}

/// The header of a generated Rust file.
pub fn rust_header(spec_file: &str, _what: &str) -> String {
    format!(
        "// @generated by `{COMMAND}` from {spec_file}. Do not edit: change the spec\n// (or codegen/) and run `{COMMAND}` again.\n\n"
    )
}

/// Parses tokens as a file and prints them with prettyplease, then spaces the items.
pub fn format_rust(tokens: TokenStream) -> Result<String, String> {
    let mut file = RustFile::new();
    file.push(tokens);
    file.finish()
}

/// A Rust file printed piece by piece: each piece of tokens (a few items, or the items of an
/// impl block) is parsed, printed and dropped before the next one is built, so that a module
/// is never held whole as tokens or as a syntax tree, and each syntax tree stays small.
///
/// prettyplease prints the items of a file, and the items of an impl block, one after the
/// other, each ending its own lines; [`text::Spacer`] spaces them by looking at two lines at a
/// time. So the pieces printed one by one give the same bytes as the whole file printed at
/// once.
#[derive(Debug, Default)]
pub struct RustFile {
    text: text::Spacer,
    error: Option<String>,
}

impl RustFile {
    /// An empty file.
    pub fn new() -> RustFile {
        RustFile::default()
    }

    /// An empty file that starts with `header` (comment lines and a blank line, kept as
    /// they are).
    pub fn with_header(header: String) -> RustFile {
        RustFile {
            text: text::Spacer::starting_with(header),
            error: None,
        }
    }

    /// Appends items; the first piece of a file may start with its inner attributes
    /// (`#![doc = ...]`).
    pub fn push(&mut self, tokens: TokenStream) {
        if self.error.is_some() || tokens.is_empty() {
            return;
        }
        match syn::parse2::<syn::File>(tokens) {
            Ok(file) => self.text.push(&prettyplease::unparse(&file)),
            Err(e) => self.fail(e),
        }
    }

    /// Appends items written as text in prettyplease's layout (see [`source`]), at the top
    /// level: as they are when every line of code fits, else printed by prettyplease.
    pub fn push_text(&mut self, text: &str) {
        self.push_laid_out(text, source::fits(text, 0));
    }

    /// Appends items laid out by [`layout`] at the top level: as they are when `sure` (the
    /// layout is prettyplease's), else printed by prettyplease.
    pub fn push_laid_out(&mut self, text: &str, sure: bool) {
        if self.error.is_some() || text.is_empty() {
            return;
        }
        if sure {
            return self.text.push(text);
        }
        match syn::parse_file(text) {
            Ok(file) => self.text.push(&prettyplease::unparse(&file)),
            Err(e) => self.fail(e),
        }
    }

    /// Appends `impl #self_ty { … }` holding the items of every piece, each piece printed on
    /// its own (in an impl block of its own, whose first and last lines are left out).
    pub fn impl_block(
        &mut self,
        self_ty: TokenStream,
        pieces: impl IntoIterator<Item = impl Into<Piece>>,
    ) {
        self.impl_block_with("", self_ty, pieces);
    }

    /// [`impl_block`](Self::impl_block) with outer attributes (`attrs`, lines of text) on
    /// the block.
    pub fn impl_block_with(
        &mut self,
        attrs: &str,
        self_ty: TokenStream,
        pieces: impl IntoIterator<Item = impl Into<Piece>>,
    ) {
        let head = format!("impl {} {{", source::flat(&self_ty));
        let mut open = false;
        for piece in pieces {
            if self.error.is_some() {
                return;
            }
            // The items of tokens, printed in an impl block of their own.
            let print = |tokens: TokenStream| {
                syn::parse2::<syn::File>(quote::quote!(impl #self_ty { #tokens }))
                    .map_err(|e| format!("generated code does not parse: {e}"))
                    .and_then(|file| inner_lines(&prettyplease::unparse(&file)))
            };
            let items = match piece.into() {
                Piece::Tokens(tokens) if tokens.is_empty() => continue,
                Piece::Text(text) | Piece::Printed(text) if text.is_empty() => continue,
                Piece::Printed(text) => Ok(text),
                Piece::Tokens(tokens) => print(tokens),
                Piece::Documented(doc, tokens) if source::fits(&doc, 0) => {
                    print(tokens).map(|items| doc + &items)
                }
                // A doc line that is an attribute (a line break inside): as one text.
                Piece::Documented(doc, tokens) => {
                    print(tokens).and_then(|items| reprint_within(&head, &(doc + &items)))
                }
                Piece::Text(text) if source::fits(&text, 0) => Ok(text),
                Piece::Text(text) => reprint_within(&head, &text),
            };
            let items = match items {
                Ok(items) => items,
                Err(e) => {
                    self.error = Some(format!("an impl block of {head}: {e}"));
                    return;
                }
            };
            if !open {
                self.text.push(attrs);
                self.text.push(&head);
                open = true;
            }
            self.text.push(&items);
        }
        if open {
            self.text.push("}\n");
        } else {
            self.text.push(attrs);
            self.text.push(&format!("{head}}}\n"));
        }
    }

    /// Records that a piece could not be printed: [`finish`](Self::finish) gives `message`.
    pub fn fail_with(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    fn fail(&mut self, e: syn::Error) {
        self.error = Some(format!("generated code does not parse: {e}"));
    }

    /// The printed, spaced text, or the first piece that did not parse.
    pub fn finish(self) -> Result<String, String> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.text.finish()),
        }
    }
}

/// A piece of an impl block: tokens, which prettyplease prints, or items already written as
/// text in its layout at the block's indentation (four spaces; see [`source`]).
#[derive(Debug)]
pub enum Piece {
    /// Items as tokens.
    Tokens(TokenStream),
    /// Items as text.
    Text(String),
    /// Items as text already in prettyplease's layout (lines it printed, and lines of ours that
    /// [`source::fits`] accepted): taken as they are, not checked again.
    Printed(String),
    /// Items as tokens, the doc comment of the first one given apart, as text at the block's
    /// indentation (see [`source::doc`]): long docs (examples, rules) are not parsed.
    Documented(String, TokenStream),
}

impl From<TokenStream> for Piece {
    fn from(tokens: TokenStream) -> Piece {
        Piece::Tokens(tokens)
    }
}

impl From<String> for Piece {
    fn from(text: String) -> Piece {
        Piece::Text(text)
    }
}

/// The lines between the first line (`… {`) and the last (`}`) of printed text.
fn inner_lines(printed: &str) -> Result<String, String> {
    match (
        printed.find("{\n").map(|at| at + 2),
        printed.strip_suffix("}\n"),
    ) {
        (Some(start), Some(body)) if start <= body.len() => Ok(body[start..].to_owned()),
        _ => Err(format!("printed as {printed:?}")),
    }
}

/// Statements as prettyplease prints them in the body of a method (eight columns deep), each
/// line ended by `\n`.
pub fn reprint_statements(statements: TokenStream) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(quote::quote!(impl S { fn f() { #statements } }))
        .map_err(|e| format!("generated code does not parse: {e}"))?;
    let printed = prettyplease::unparse(&file);
    // `impl S {\n    fn f() {\n` + the statements + `    }\n}\n`.
    let body = printed
        .split_once("fn f() {\n")
        .and_then(|(_, rest)| rest.strip_suffix("    }\n}\n"));
    body.map(str::to_owned)
        .ok_or_else(|| format!("statements printed as {printed:?}"))
}

/// `inner` (the fields of a struct or the items of an impl block, written at their
/// indentation) as prettyplease prints them inside `head … }`.
pub fn reprint_within(head: &str, inner: &str) -> Result<String, String> {
    let file = syn::parse_file(&format!("{head}\n{inner}}}\n"))
        .map_err(|e| format!("generated code does not parse: {e}"))?;
    inner_lines(&prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// The APIs are generated side by side: the output is the same whatever the order.
    #[test]
    fn several_apis_give_the_same_files_in_any_order() {
        let spec = |name: &str| crate::SourceFile {
            path: format!("spec/{name}.yaml"),
            text: format!(
                "format: 2\napi:\n  name: {name}\n  title: T\n  auth: basic\n  protocol: rest\n  environments:\n    test: {{ url: \"https://example.com\" }}\noperations:\n  a/b:\n    summary: S.\n    method: GET\n    path: /a\n    retry: safe\n    response: none\n"
            ),
        };
        let names = ["one", "two", "three", "four", "five"];
        let forward: Vec<_> = names.iter().map(|n| spec(n)).collect();
        let backward: Vec<_> = names.iter().rev().map(|n| spec(n)).collect();
        let a = crate::generate(&forward).expect("generates").files;
        let b = crate::generate(&backward).expect("generates").files;
        assert!(a.keys().any(|k| k.starts_with("generated/src/five/")));
        assert_eq!(a, b);
    }

    fn method(i: usize) -> TokenStream {
        let name = quote::format_ident!("call_{i}");
        quote! {
            /// One operation.
            pub fn #name(&self, request: u8) -> ::std::result::Result<u8, ()> {
                let doubled = request.checked_mul(2).ok_or(())?;
                ::std::result::Result::Ok(doubled)
            }
        }
    }

    fn item(i: usize) -> TokenStream {
        let name = quote::format_ident!("Thing{i}");
        quote! {
            /// A thing.
            #[derive(Debug, Clone)]
            pub struct #name {
                /// A field.
                pub a: u8,
                /// Another.
                pub b: ::std::option::Option<u8>,
            }
            impl #name {
                /// Checks it.
                pub fn validate(&self) -> bool { self.a > 0 }
            }
        }
    }

    #[test]
    fn pieces_print_as_the_whole_file() {
        let methods = (0..3).map(method);
        let items = (0..3).map(item);
        let whole = format_rust(quote! {
            #![doc = " A module."]
            use super::Error;
            const A: u8 = 1;
            pub struct Client;
            impl Client {
                /// Made first.
                pub fn new() -> Self { Client }
                #(#methods)*
            }
            #(#items)*
        })
        .unwrap();
        let mut file = RustFile::new();
        file.push(quote! {
            #![doc = " A module."]
            use super::Error;
            const A: u8 = 1;
            pub struct Client;
        });
        let first = quote! {
            /// Made first.
            pub fn new() -> Self { Client }
        };
        file.impl_block(
            quote!(Client),
            std::iter::once(first)
                .chain(std::iter::once(TokenStream::new()))
                .chain((0..3).map(method)),
        );
        for i in 0..3 {
            file.push(item(i));
        }
        let pieces = file.finish().unwrap();
        assert_eq!(pieces, whole);
        // Spaced across the pieces: between the impl block and the first struct, and between
        // methods printed in separate impl blocks.
        assert!(pieces.contains("}\n\n/// A thing.\n"), "{pieces}");
        assert!(
            pieces.contains("    }\n\n    /// One operation.\n"),
            "{pieces}"
        );
    }

    #[test]
    fn an_impl_block_without_items_and_a_piece_that_does_not_parse() {
        let mut file = RustFile::new();
        file.impl_block(quote!(Client), [TokenStream::new()]);
        assert_eq!(file.finish().unwrap(), "impl Client {}\n");

        let mut file = RustFile::new();
        file.push(quote!(
            pub struct A;
        ));
        file.push(quote!(pub struct ;));
        file.push(quote!(
            pub struct B;
        ));
        let error = file.finish().unwrap_err();
        assert!(
            error.starts_with("generated code does not parse"),
            "{error}"
        );
    }
}
