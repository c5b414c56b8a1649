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

    /// The cursor to send for the next page when the answer at `path` gives the next page's
    /// link (absolute or relative) rather than its cursor: the value of the link's query
    /// parameter `param`, judged as [`next`](Self::next) judges a cursor. A link without that
    /// parameter is an error: the pager could not go on, and stopping would lose pages. The
    /// runtime never follows the link itself, so no request goes to a host the answer names.
    pub fn next_from_link(
        &mut self,
        operation: &'static str,
        path: &'static str,
        param: &str,
        link: Option<String>,
    ) -> Result<Option<String>, DecodeError> {
        let Some(link) = link.filter(|l| !l.is_empty()) else {
            return Ok(None);
        };
        let cursor = url::Url::parse("http://link.invalid/")
            .and_then(|base| base.join(&link))
            .ok()
            .and_then(|url| {
                url.query_pairs()
                    .find(|(key, _)| key == param)
                    .map(|(_, value)| value.into_owned())
            });
        match cursor {
            Some(cursor) => self.next(operation, path, Some(cursor)),
            None => Err(DecodeError {
                operation,
                path: path.to_owned(),
                message: format!("the next page's link has no `{param}` query parameter"),
                excerpt: String::new(),
            }),
        }
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

    #[test]
    fn a_link_gives_its_query_parameter_as_the_cursor() {
        let mut cursors = Cursors::new();
        let link = |l: &str| Some(l.to_owned());
        let next = cursors.next_from_link(
            "op",
            "l",
            "from",
            link("https://x.test/v2/p?from=tr_2&limit=5"),
        );
        assert_eq!(next, Ok(Some("tr_2".into())));
        let next = cursors.next_from_link("op", "l", "from", link("/v2/p?limit=5&from=tr%203"));
        assert_eq!(next, Ok(Some("tr 3".into())));
        assert_eq!(cursors.next_from_link("op", "l", "from", None), Ok(None));
        assert!(
            cursors
                .next_from_link("op", "l", "from", link("https://x.test/p?limit=5"))
                .is_err()
        );
        assert!(
            cursors
                .next_from_link("op", "l", "from", link("https://x.test/p?from=tr_2"))
                .is_err()
        );
    }
}
