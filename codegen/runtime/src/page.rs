//! Paging: what a generated pager needs beyond one call per page. For the cursor styles, the
//! cursors already sent, so that an answer pointing back to a page already read ends the walk
//! with an error instead of an endless loop; for every pager, the [`Stream`]s of its pages
//! ([`Pages`]) and of its items ([`Items`]).
//!
//! A stream ends the way the pager does: after the last page, or after the first error, which
//! it yields once (`Some(Err(…))`) before it ends (`None`). It asks for a page only when
//! polled for an item it does not hold, one page at a time.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use futures_core::stream::FusedStream;

use super::error::DecodeError;

/// A generated pager, as the streams drive it: [`step`](Walk::step) asks for the next page
/// (the pager's `next_page`) and hands the pager back with it; `None` once the walk is over.
pub trait Walk<'a>: Sized + Send + 'a {
    /// One item of a page.
    type Item: Send + 'a;
    /// The error that ends a walk.
    type Error: Send + 'a;
    /// The next page, with the pager to ask for the one after.
    fn step(self) -> Step<'a, Self>;
}

/// What [`Walk::step`] returns: the pager back, and the page (`None` once the walk is over).
pub type Step<'a, P> = Pin<
    Box<
        dyn Future<
                Output = (
                    P,
                    Option<Result<Vec<<P as Walk<'a>>::Item>, <P as Walk<'a>>::Error>>,
                ),
            > + Send
            + 'a,
    >,
>;

/// The pages of a pager as a [`Stream`]: `Ok` with each page's items, in order, until the last
/// page; the first error is yielded once, then the stream ends.
pub struct Pages<'a, P: Walk<'a>> {
    idle: Option<P>,
    running: Option<Step<'a, P>>,
}

impl<'a, P: Walk<'a>> Pages<'a, P> {
    /// The pages `pager` still has to give.
    pub fn new(pager: P) -> Self {
        Self {
            idle: Some(pager),
            running: None,
        }
    }
}

// The pager is moved in and out of its step, never pinned in place.
impl<'a, P: Walk<'a>> Unpin for Pages<'a, P> {}

impl<'a, P: Walk<'a>> std::fmt::Debug for Pages<'a, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("over", &self.is_terminated())
            .finish_non_exhaustive()
    }
}

impl<'a, P: Walk<'a>> Stream for Pages<'a, P> {
    type Item = Result<Vec<P::Item>, P::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(step) = this.running.as_mut() {
                let (pager, page) = ready!(step.as_mut().poll(cx));
                this.running = None;
                // After the last page or an error the pager is dropped: the stream is over.
                if matches!(page, Some(Ok(_))) {
                    this.idle = Some(pager);
                }
                return Poll::Ready(page);
            }
            let Some(pager) = this.idle.take() else {
                return Poll::Ready(None);
            };
            this.running = Some(pager.step());
        }
    }
}

impl<'a, P: Walk<'a>> FusedStream for Pages<'a, P> {
    fn is_terminated(&self) -> bool {
        self.idle.is_none() && self.running.is_none()
    }
}

/// The items of a pager as a [`Stream`]: `Ok` with every item of every page, in order; the
/// first error is yielded once, then the stream ends.
pub struct Items<'a, P: Walk<'a>> {
    pages: Pages<'a, P>,
    held: std::vec::IntoIter<P::Item>,
}

impl<'a, P: Walk<'a>> Items<'a, P> {
    /// The items `pager` still has to give.
    pub fn new(pager: P) -> Self {
        Self {
            pages: Pages::new(pager),
            held: Vec::new().into_iter(),
        }
    }
}

// The items held are moved out one by one, never pinned in place.
impl<'a, P: Walk<'a>> Unpin for Items<'a, P> {}

impl<'a, P: Walk<'a>> std::fmt::Debug for Items<'a, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("held", &self.held.len())
            .field("over", &self.is_terminated())
            .finish_non_exhaustive()
    }
}

impl<'a, P: Walk<'a>> Stream for Items<'a, P> {
    type Item = Result<P::Item, P::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.held.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.held = page.into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let upper = self.pages.is_terminated().then_some(self.held.len());
        (self.held.len(), upper)
    }
}

impl<'a, P: Walk<'a>> FusedStream for Items<'a, P> {
    fn is_terminated(&self) -> bool {
        self.held.len() == 0 && self.pages.is_terminated()
    }
}

/// The bound on the calls of any pager, whatever the server answers.
pub const MAX_PAGES: u32 = 100_000;

/// The page an offset or page-number pager received last, to end the walk when the server
/// sends the same page again (a server that ignores the offset or the page number would
/// otherwise be read up to [`MAX_PAGES`] times). Pages are compared by their JSON, so the
/// items need no `PartialEq` (which the produced crate derives for tests only), and the
/// pager keeps bytes rather than a copy of the items.
#[derive(Debug, Default)]
pub struct PreviousPage {
    json: Option<Vec<u8>>,
}

impl PreviousPage {
    /// No page received yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `items` is the same page as the one received before it; `items` becomes the
    /// page received last. A page that does not encode (never one decoded from JSON) is
    /// never the same as another.
    pub fn repeats<T: serde_core::Serialize>(&mut self, items: &[T]) -> bool {
        let json = serde_json::to_vec(items).ok();
        let same = json.is_some() && json == self.json;
        self.json = json;
        same
    }
}

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

impl Cursors {
    /// The cursor of the page after one whose last item has the id `id` (at `id_path` in an
    /// item), when the answer says `more` pages follow: `None` when it does not say `true`; an
    /// error when it does and the last item has no id (stopping would lose pages), or an id
    /// already sent (as [`next`](Self::next) judges a cursor). The errors name the operation
    /// and the path, never the id.
    pub fn next_after_last_item(
        &mut self,
        operation: &'static str,
        id_path: &'static str,
        more: Option<bool>,
        id: Option<String>,
    ) -> Result<Option<String>, DecodeError> {
        if more != Some(true) {
            return Ok(None);
        }
        match id.filter(|id| !id.is_empty()) {
            Some(id) => self.next(operation, id_path, Some(id)),
            None => Err(DecodeError {
                operation,
                path: id_path.to_owned(),
                message: "the answer says more pages follow, but its last item has no id to ask \
                          for them with"
                    .to_owned(),
                excerpt: String::new(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_repeats_only_the_page_received_just_before_it() {
        let mut previous = PreviousPage::new();
        let a = [serde_json::json!({ "id": "A", "extra": 1 })];
        let b = [serde_json::json!({ "id": "B" })];
        assert!(!previous.repeats(&a), "the first page repeats nothing");
        assert!(previous.repeats(&a), "the same page again");
        assert!(!previous.repeats(&b));
        assert!(!previous.repeats(&a), "only the page just before counts");
        // A field the item's type does not describe is part of the page.
        let a_other = [serde_json::json!({ "id": "A", "extra": 2 })];
        assert!(!previous.repeats(&a_other));
    }

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
    fn the_last_items_id_is_the_cursor_while_more_pages_follow() {
        let mut cursors = Cursors::new();
        let id = |i: &str| Some(i.to_owned());
        assert_eq!(
            cursors.next_after_last_item("op", "data[].id", Some(true), id("c2")),
            Ok(Some("c2".into()))
        );
        assert_eq!(
            cursors.next_after_last_item("op", "data[].id", Some(false), id("c4")),
            Ok(None)
        );
        assert_eq!(
            cursors.next_after_last_item("op", "data[].id", None, None),
            Ok(None)
        );
        for missing in [None, id("")] {
            let error = cursors
                .next_after_last_item("op", "data[].id", Some(true), missing)
                .unwrap_err();
            assert_eq!(error.path, "data[].id");
        }
        let error = cursors
            .next_after_last_item("op", "data[].id", Some(true), id("c2"))
            .unwrap_err();
        assert!(!error.to_string().contains("c2"), "{error}");
    }

    /// A pager giving `pages` in turn, counting its calls.
    struct Scripted {
        pages: std::collections::VecDeque<Option<Result<Vec<u32>, &'static str>>>,
        calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }

    impl Walk<'static> for Scripted {
        type Item = u32;
        type Error = &'static str;
        fn step(mut self) -> Step<'static, Self> {
            Box::pin(async move {
                self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let page = self.pages.pop_front().flatten();
                (self, page)
            })
        }
    }

    fn scripted(
        pages: Vec<Option<Result<Vec<u32>, &'static str>>>,
    ) -> (Scripted, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        let calls = std::sync::Arc::default();
        let pager = Scripted {
            pages: pages.into(),
            calls: std::sync::Arc::clone(&calls),
        };
        (pager, calls)
    }

    async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
        std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
    }

    #[tokio::test]
    async fn the_item_stream_flattens_the_pages_in_order_then_ends() {
        let (pager, calls) = scripted(vec![Some(Ok(vec![1, 2])), Some(Ok(vec![3])), None]);
        let mut items = Items::new(pager);
        let mut all = Vec::new();
        while let Some(item) = next(&mut items).await {
            all.push(item.expect("no error"));
        }
        assert_eq!(all, [1, 2, 3]);
        assert!(items.is_terminated());
        assert!(next(&mut items).await.is_none());
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_stream_yields_the_first_error_once_then_ends_without_asking_again() {
        // The pager would go on after its error: the stream does not ask it.
        let (pager, calls) = scripted(vec![
            Some(Ok(vec![1])),
            Some(Err("boom")),
            Some(Ok(vec![2])),
        ]);
        let mut items = Items::new(pager);
        assert_eq!(next(&mut items).await, Some(Ok(1)));
        assert_eq!(next(&mut items).await, Some(Err("boom")));
        assert_eq!(next(&mut items).await, None);
        assert_eq!(next(&mut items).await, None);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);

        let (pager, calls) = scripted(vec![Some(Err("boom")), Some(Ok(vec![2]))]);
        let mut pages = Pages::new(pager);
        assert_eq!(next(&mut pages).await, Some(Err("boom")));
        assert_eq!(next(&mut pages).await, None);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
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
