//! Paging: what a generated pager needs beyond one call per page. For the cursor style, the
//! cursors already sent, so that an answer pointing back to a page already read ends the walk
//! with an error instead of an endless loop.

use std::collections::HashSet;

use super::error::DecodeError;

/// The cursors a cursor pager has sent, and the rule for the next one.
#[derive(Debug, Default)]
pub struct Cursors {
    sent: HashSet<String>,
}

impl Cursors {
    /// No cursor sent yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `cursor` as sent (the first request's own cursor, when it has one).
    pub fn sent(&mut self, cursor: &str) {
        self.sent.insert(cursor.to_owned());
    }

    /// The cursor to send for the next page, from what the answer at `path` gave: `None` (the
    /// last page) when the answer has no cursor, or an empty one; an error when it is one
    /// already sent. The error names the operation and the path, never the cursor, which the
    /// server controls.
    pub fn next(
        &mut self,
        operation: &'static str,
        path: &'static str,
        next: Option<String>,
    ) -> Result<Option<String>, DecodeError> {
        let Some(next) = next.filter(|n| !n.is_empty()) else {
            return Ok(None);
        };
        if !self.sent.insert(next.clone()) {
            return Err(DecodeError {
                operation,
                path: path.to_owned(),
                message: "the answer repeats a cursor already sent; following it would read the \
                          same pages again"
                    .to_owned(),
                excerpt: String::new(),
            });
        }
        Ok(Some(next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_cursor_is_an_error_and_an_absent_or_empty_one_ends() {
        let mut cursors = Cursors::new();
        cursors.sent("a");
        assert_eq!(cursors.next("op", "next", None), Ok(None));
        assert_eq!(cursors.next("op", "next", Some(String::new())), Ok(None));
        assert_eq!(
            cursors.next("op", "next", Some("b".into())),
            Ok(Some("b".into()))
        );
        let error = cursors.next("op", "next", Some("a".into())).unwrap_err();
        assert_eq!(error.path, "next");
        assert!(!error.to_string().contains("\"a\""));
        assert!(cursors.next("op", "next", Some("b".into())).is_err());
    }
}
