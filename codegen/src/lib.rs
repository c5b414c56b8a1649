//! payspec-codegen: spec -> diagnostics -> IR -> files. Pure: this crate does no IO.

pub mod spec;
