//! Integration, snapshot and end-to-end tests of payspec; the tests are in `tests/tests/`.
//!
//! This crate has no code of its own: `tests/fixtures/` holds the fixture specs (valid ones
//! at the top, broken ones under `broken/`), and `tests/tests/snapshots/` the reviewed output.

/// The README's examples, compiled as doctests so they cannot rot.
#[doc = include_str!("../../README.md")]
#[derive(Debug)]
pub struct Readme;
