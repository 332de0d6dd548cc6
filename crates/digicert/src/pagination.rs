//! [`Pages`]: every item of an offset/limit list, page after page, fetched as the consumer
//! pulls. Generated `stream()` methods (operations with `x-pagination` in the spec) return it.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::{Response, Result};

/// A page of a paged list: its items and the total the server reports. Implemented by the
/// generated response types of paged operations.
pub trait Page {
    /// One item of the list.
    type Item;
    /// The items of this page and `page.total`.
    fn into_page(self) -> (Vec<Self::Item>, i64);
}

type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<(Vec<T>, i64)>> + Send + 'a>>;
/// A generated builder's `send()`, boxed.
type SendFuture<'a, R> = Pin<Box<dyn Future<Output = Result<Response<R>>> + Send + 'a>>;
type Fetch<'a, T> = Box<dyn FnMut(i64) -> PageFuture<'a, T> + Send + 'a>;

enum State<'a, T> {
    /// Items received and not yet yielded, and where the next page starts.
    Ready,
    /// A page is on its way.
    Fetching(PageFuture<'a, T>),
    /// The last page was read, or a page failed.
    Done,
}

/// Every item of a paged list, as a [`Stream`] of `Result<Item>`.
///
/// It asks for the next page only when the items received so far have been taken, stops
/// after `page.total` items (or at the first empty page, so that it always ends), and ends
/// after the first error, which it yields. With the `futures` crate:
/// `stream.try_collect::<Vec<_>>().await`; without it, [`Pages::next_item`] and
/// [`Pages::collect_all`].
///
/// ```no_run
/// # async fn run(client: &digicert::services::Client) -> digicert::Result<()> {
/// let mut subaccounts = client.list_subaccounts().sort("-date_created").limit(100).stream();
/// while let Some(subaccount) = subaccounts.next_item().await {
///     let subaccount = subaccount?;
///     println!("{} {}", subaccount.account_id, subaccount.organization_name);
/// }
/// # Ok(()) }
/// ```
pub struct Pages<'a, T> {
    fetch: Fetch<'a, T>,
    state: State<'a, T>,
    buffer: VecDeque<T>,
    next_offset: i64,
    total: Option<i64>,
    pages: u32,
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next_offset", &self.next_offset)
            .field("total", &self.total)
            .field("buffered", &self.buffer.len())
            .field("pages_fetched", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Send + 'a> Pages<'a, T> {
    /// Pages through `builder`'s list from `start`: `send(builder, offset)` fetches the page
    /// at `offset` (the builder keeps its filters, sort and limit).
    #[doc(hidden)]
    pub fn new<B, R>(builder: B, start: i64, send: fn(B, i64) -> SendFuture<'a, R>) -> Self
    where
        B: Clone + Send + 'a,
        R: Page<Item = T> + 'a,
    {
        let fetch = move |offset: i64| -> PageFuture<'a, T> {
            let page = send(builder.clone(), offset);
            Box::pin(async move { Ok(page.await?.into_inner().into_page()) })
        };
        Self {
            fetch: Box::new(fetch),
            state: State::Ready,
            buffer: VecDeque::new(),
            next_offset: start.max(0),
            total: None,
            pages: 0,
        }
    }

    /// The next item, fetching the next page if needed; `None` at the end.
    pub async fn next_item(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut items = Vec::new();
        while let Some(item) = self.next_item().await {
            items.push(item?);
        }
        Ok(items)
    }

    /// `page.total` as the last page reported it (`None` before the first page).
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// How many pages were requested so far.
    pub fn pages_fetched(&self) -> u32 {
        self.pages
    }
}

impl<T> Unpin for Pages<'_, T> {}

impl<'a, T: Send + 'a> Stream for Pages<'a, T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(this.buffer.pop_front().map(Ok)),
                State::Ready => {
                    if let Some(item) = this.buffer.pop_front() {
                        return Poll::Ready(Some(Ok(item)));
                    }
                    if this.total.is_some_and(|total| this.next_offset >= total) {
                        this.state = State::Done;
                        continue;
                    }
                    this.pages += 1;
                    this.state = State::Fetching((this.fetch)(this.next_offset));
                }
                State::Fetching(page) => match page.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Err(err)) => {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(err)));
                    }
                    Poll::Ready(Ok((items, total))) => {
                        this.total = Some(total);
                        this.next_offset += items.len() as i64;
                        this.state = if items.is_empty() {
                            State::Done
                        } else {
                            State::Ready
                        };
                        this.buffer.extend(items);
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    use super::*;
    use crate::Error;

    /// A list of `total` items (0, 1, 2, ...) served `page_size` at a time; `fail_at` makes
    /// the page at that offset fail. Records every offset asked for.
    #[derive(Clone)]
    struct FakeList {
        total: i64,
        page_size: i64,
        fail_at: Option<i64>,
        asked: Arc<Mutex<Vec<i64>>>,
    }

    struct FakePage(Vec<i64>, i64);

    impl Page for FakePage {
        type Item = i64;
        fn into_page(self) -> (Vec<i64>, i64) {
            (self.0, self.1)
        }
    }

    fn send(list: FakeList, offset: i64) -> SendFuture<'static, FakePage> {
        Box::pin(async move {
            list.asked.lock().unwrap().push(offset);
            if list.fail_at == Some(offset) {
                return Err(Error::from_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    HeaderMap::new(),
                    bytes::Bytes::from_static(br#"{"errors":[{"code":"service_unavailable"}]}"#),
                ));
            }
            let end = (offset + list.page_size).min(list.total);
            let items = (offset..end.max(offset)).collect();
            Ok(Response::new(
                FakePage(items, list.total),
                StatusCode::OK,
                HeaderMap::new(),
            ))
        })
    }

    fn list(total: i64, page_size: i64, fail_at: Option<i64>) -> FakeList {
        FakeList {
            total,
            page_size,
            fail_at,
            asked: Arc::default(),
        }
    }

    #[tokio::test]
    async fn yields_every_item_once_and_stops_at_the_total() {
        let fake = list(7, 3, None);
        let pages = Pages::new(fake.clone(), 0, send);
        assert_eq!(
            pages.collect_all().await.unwrap(),
            (0..7).collect::<Vec<_>>()
        );
        // Three pages; none asked for past the total.
        assert_eq!(*fake.asked.lock().unwrap(), [0, 3, 6]);
    }

    #[tokio::test]
    async fn asks_for_the_next_page_only_when_pulled() {
        let fake = list(10, 5, None);
        let mut pages = Pages::new(fake.clone(), 0, send);
        assert_eq!(pages.total(), None);
        for expected in 0..5 {
            assert_eq!(pages.next_item().await.unwrap().unwrap(), expected);
        }
        assert_eq!(pages.pages_fetched(), 1);
        assert_eq!(pages.total(), Some(10));
        assert_eq!(pages.next_item().await.unwrap().unwrap(), 5);
        assert_eq!(pages.pages_fetched(), 2);
    }

    #[tokio::test]
    async fn an_empty_page_ends_the_stream_even_below_the_total() {
        // A server that reports more than it serves (or a limit of 0) cannot loop forever.
        let fake = list(10, 0, None);
        let pages = Pages::new(fake.clone(), 0, send);
        assert!(pages.collect_all().await.unwrap().is_empty());
        assert_eq!(*fake.asked.lock().unwrap(), [0]);
    }

    #[tokio::test]
    async fn an_error_is_yielded_once_and_ends_the_stream() {
        let fake = list(10, 4, Some(4));
        let mut pages = Pages::new(fake.clone(), 0, send);
        for expected in 0..4 {
            assert_eq!(pages.next_item().await.unwrap().unwrap(), expected);
        }
        let err = pages.next_item().await.unwrap().unwrap_err();
        assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert!(pages.next_item().await.is_none());
        assert_eq!(*fake.asked.lock().unwrap(), [0, 4]);
    }

    #[tokio::test]
    async fn starts_at_the_given_offset_and_never_below_zero() {
        let fake = list(5, 2, None);
        assert_eq!(
            Pages::new(fake.clone(), 3, send)
                .collect_all()
                .await
                .unwrap(),
            [3, 4]
        );
        let fake = list(3, 2, None);
        assert_eq!(
            Pages::new(fake.clone(), -4, send)
                .collect_all()
                .await
                .unwrap(),
            [0, 1, 2]
        );
        assert_eq!(*fake.asked.lock().unwrap(), [0, 2]);
    }
}
