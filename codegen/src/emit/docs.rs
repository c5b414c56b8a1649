//! IR -> Markdown reference pages, in English and French.

use std::collections::BTreeMap;

use crate::ir::ApiIr;

/// Adds the Markdown pages of `api` to `files`.
pub fn emit(_api: &ApiIr, _files: &mut BTreeMap<String, String>) {}
