//! `docs` (feature `lint`): DigiCert's saved documentation pages against the spec. The
//! library half of `cargo xtask docs-check`: when a DigiCert page changes, save it again
//! and this says what the spec must change.
//!
//! ```no_run
//! let root = std::path::Path::new(".");
//! for (family, report) in digicert_codegen::docs::check_workspace(root)? {
//!     for line in report.lines() {
//!         println!("{line}");
//!     }
//!     println!("{}: {} page(s), {} failure(s)", family.name, report.pages, report.failures());
//! }
//! # Ok::<(), digicert_codegen::docs::DocsError>(())
//! ```
//!
//! # Saved pages
//!
//! A page lives beside the spec as `spec/docs/<family>/<page>.txt` (`<family>` is
//! [`Family::name`](crate::Family::name): `partner`, `services`; `<page>` is free, by
//! convention the last segment of the page's URL). The file is:
//!
//! ```text
//! Source: https://dev.digicert.com/certcentral-apis/services-api/subaccount/subaccount-info.html
//!
//! <the page's text, exactly as the browser's "select all, copy" gives it>
//! ```
//!
//! The `Source:` URL ties the page to the operations whose `x-docs-url` is that URL. The
//! text is kept verbatim (trailing spaces included: tidy leaves saved pages alone); line
//! numbers in messages are lines of the saved file. Every `.txt` file of a family's
//! directory is a page; anything else under `spec/docs/` is an error.
//!
//! # How a page is read
//!
//! A browser's text copy keeps one table row per line, but runs the cells together
//! (`POST/account/subaccountCreate a subaccount with an API key.`) or separates them with
//! spaces or tabs. The parser ([`page::parse`]) relies on these rules, learnt from the
//! seed pages (the Partner "Account management" overview and the CertCentral "subaccount
//! info" page) and from DigiCert's page layout:
//!
//! 1. **Tables are found by their header line**, compared without whitespace and case:
//!    `MethodEndpointDescription` (endpoints), `Status codeDescription` (statuses),
//!    `Name Type Description` and `NameReq/OptTypeDescription` (parameters),
//!    `TypeCapabilities / usage` (key scopes: read so every row is accounted for, not
//!    compared). A table ends at a blank line or the end of the page, and at a line that
//!    starts something else: another table header, a parameter heading (rule 6), a code
//!    label (rule 8), or, except in a status table, a status line (rule 4).
//!    Inside a table, a line that starts like a row must read as one (otherwise it is an
//!    error naming the page and line); any other line continues the row above (a note in
//!    its last cell, such as `Only returned if ...`). A note above the first row is an
//!    error.
//! 2. **Endpoint rows**: an upper-case method, optionally spaces, the path, then the
//!    description. The path is lower-case letters, digits, `-_.~%/` and `{...}` (or
//!    `{{...}}`) placeholders; the description starts at the first other character, which
//!    on DigiCert's pages is a capital letter. A line starting with an upper-case word and
//!    `/` is a row attempt: an unknown method is an error.
//! 3. **A single-endpoint page** names its endpoint with the method alone on a line and
//!    the full URL on the next non-blank line (`GET`, then
//!    `https://www.digicert.com/services/v2/account/subaccount/{{subaccount_id}}`), or both
//!    on one line. A method alone without a URL after it is an error. The URL must start
//!    with one of the spec's `servers`; the rest is the path.
//! 4. **Status rows**: three digits, the standard reason phrase for that code (`OK`,
//!    `No Content`, ...; a wrong or unknown one is an error), then the description:
//!    `200 OKRequest succeeded...`. **Status lines** above examples are the same without a
//!    description (`200 OK`, or `200 OK (needs_approval)`).
//! 5. **Parameter rows**: `..` prefixes for nesting (each may be followed by spaces,
//!    including the non-breaking ones DigiCert uses; `.. .. id` is two levels deep), the
//!    name, for `Req/Opt` tables `required` or `optional`, the type, the description.
//!    Names start with a lower-case letter (lines starting otherwise are notes) and may
//!    end in a footnote `*`, which is dropped. Types: `string`, `integer`/`int`/`long`,
//!    `number`/`float`/`double`, `boolean`/`bool`, `object`, `array`. When the cells run
//!    together, the name is the shortest prefix after which a type word (followed by a
//!    non-lower-case character) reads. A nested row must sit at most one level below the
//!    row above it, under an `object` or `array` row.
//! 6. **What a parameter table describes** comes from the heading line just above it:
//!    `Request parameters` (the JSON request body), `Response parameters` (the body of
//!    the success response), `URL query parameters` / `Query parameters`, `Path
//!    parameters`. A parameter table under any other line is an error.
//! 7. **Notes** on a parameter row (in its description or continuation lines): `Only
//!    returned if`, `Returned only`, `not returned`, `Omitted if/when/for`, `Only
//!    included`, `if present` mean the response field is not always there; `Possible
//!    values: a, b` (or `Allowed values:`; separated by commas, `or`, `and`; quotes and
//!    backticks dropped; an empty list is an error) lists the values; `Format: ...` gives
//!    the format (`YYYY-MM-DD hh:mm:ss` calls for `format: digicert-datetime`, one naming
//!    ISO 8601 or RFC 3339 for `date-time`; other formats are not compared).
//! 8. **Code samples** start at a label alone on a line (`cURL`, `Python`, `Go`, `NodeJS`,
//!    `PHP`, `Java`, `Ruby`, `C#`, `JavaScript`, `Shell`, `Bash`, `PowerShell`) or at a line
//!    starting `curl ` and run, blank lines included, until the next label, status line,
//!    parameter heading or table header. Their lines are skipped, except that a cURL
//!    sample's `-d '...'` / `--data '...'` body (possibly over several lines) is read as
//!    the request example; a body that is not in single quotes is an error.
//! 9. **JSON examples** start at a line that opens a JSON object or array (`{`, `[`; not a
//!    `{{placeholder}}`). Under a status line it is that status's response example;
//!    `// empty` under a status line means the response has no body. JSON under a
//!    `Request` / `Request body` / `Example request` label is a request example. Any other
//!    JSON, JSON that does not parse, or text after the JSON on its last line is an error.
//! 10. **Everything else is prose** (title, headings, paragraphs, bullets) and is not
//!     compared, in whatever language: the title of a translated page (`Informações da
//!     subconta`) is just the first line. But prose that looks like a table row (a
//!     `GET/path...` line, `200 OKText`, a `..`-nested or `snake_name type ...` row outside
//!     a table) is an error, and so are tables copied with `|` between cells or one cell
//!     per line: those layouts are not read, and skipping them would hide what they say.
//! 11. **One page, one operation**: parameter tables and examples belong to the page's
//!     only endpoint; on a page with several endpoints they are an error. A page must
//!     document at least one endpoint.
//!
//! Not handled (each one is an error, never a silent skip, unless noted): tables whose
//! header is not one of the above (read as prose: they hold nothing the check compares,
//! such as `CertCentral instanceBase URL`); translated table headers or headings; paths
//! with capital letters outside `{...}`, and descriptions starting with a lower-case
//! letter, when the cells run together; field names starting with a capital letter
//! (read as notes); lists of values on the lines after `Possible values:`; response
//! examples without a status line; JSON examples right after a code sample with no
//! status line between them (read as code); prose after the last code sample and before
//! the next status line or heading (read as code, which is harmless).
//!
//! # What is compared
//!
//! Pages and operations meet by method and path (parameters match whatever their names),
//! and by `x-docs-url` = `Source:`. Each [`check::Finding`] prints as one line:
//! `<page>:<line>: <error|warning|acknowledged>[<kind>] <operationId> <JSON pointer>:
//! page says <...>; spec says <...>`. The kinds ([`check::Kind`]):
//!
//! | kind | severity | what differs |
//! |---|---|---|
//! | `endpoint-not-in-spec` | error | an endpoint on the page with no operation in the spec |
//! | `endpoint-not-on-page` | error | an operation whose `x-docs-url` is the page, not listed on it |
//! | `endpoint-url` | error | an endpoint URL under none of the spec's `servers` |
//! | `docs-url` | error | a single-endpoint page's operation names another page in `x-docs-url` |
//! | `body-not-in-spec` | error | request/response fields documented, no JSON body in the spec |
//! | `field-not-in-spec` | error | a documented field (or query/path parameter) the schema lacks; nested `..` levels included |
//! | `field-not-on-page` | warning | a property (or parameter) the page does not list: pages are incomplete |
//! | `type-mismatch` | error | string / integer / number / boolean / object / array differ (`$ref`s and one-element `allOf`s followed; `number` accepts `integer`); rows below a mismatch are not compared |
//! | `required-mismatch` | error | "Only returned if ..." (or similar) but the spec requires the field; a request field `required` on the page and optional in the spec, or the reverse |
//! | `values-missing` | error | `Possible values:` the schema's `enum` / `x-known-values` lack |
//! | `format-mismatch` | error | `Format: YYYY-MM-DD hh:mm:ss` without `format: digicert-datetime`, ISO 8601 without `date-time` |
//! | `status-not-in-spec` | error | a documented status the operation does not declare (on an overview page: that none of its operations declares) |
//! | `status-not-on-page` | warning | a 2xx the operation declares that its page (which shows statuses) does not |
//! | `example-invalid` | error | a JSON example that does not validate against the operation's schema ([`SchemaValidator`](crate::schema::SchemaValidator)) |
//! | `duplicate-page` | error | two saved pages with the same `Source:` |
//! | `stale-deviation` | error | an `x-docs-deviation` that acknowledges no finding |
//! | `invalid-deviation` | error | an `x-docs-deviation` without a reason, or on the document root, `/paths/<path>` or `/components/<kind>` |
//!
//! A property's `x-aliases: [other_name]` makes a page row named `other_name` count as
//! that property. The status table of an overview page (several endpoints) lists the
//! section's common statuses, so each one must be declared by at least one of them.
//!
//! # Acknowledging a deliberate difference
//!
//! `x-docs-deviation: "<why>"` on a property schema, an operation, a response (or any node
//! of the spec) acknowledges every finding whose pointer is that node or lies below it;
//! put it as close to the difference as possible. A finding about a property whose schema
//! is a `$ref` is also acknowledged by a marker on the referenced schema, and the reverse.
//! Acknowledged findings are printed, do not fail, and a marker that acknowledges nothing
//! is a `stale-deviation` error, so markers cannot pile up after DigiCert fixes a page.
//! The exit code of `cargo xtask docs-check` is 1 on any unreadable line or
//! unacknowledged error; warnings never fail.

pub mod check;
pub mod page;

use std::path::{Path, PathBuf};

pub use check::{Finding, Kind, Report, Severity, check};
pub use page::{Page, PageError, parse};

use crate::{FAMILIES, Family};

/// Where saved pages live, relative to the workspace root; one directory per family.
pub const DOCS_DIR: &str = "spec/docs";

/// The extension of a saved page.
pub const PAGE_EXTENSION: &str = "txt";

/// A saved page: its name (the path shown in messages) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedPage {
    /// How messages name the page, e.g. `spec/docs/services/subaccount-info.txt`.
    pub name: String,
    /// The file's text.
    pub text: String,
}

impl SavedPage {
    /// Reads the page at `path`; `name` is how messages will name it.
    pub fn read(path: &Path, name: impl Into<String>) -> Result<Self, DocsError> {
        let text = std::fs::read_to_string(path).map_err(|source| DocsError::Read {
            path: path.to_owned(),
            source,
        })?;
        Ok(SavedPage {
            name: name.into(),
            text,
        })
    }
}

/// Something that stops the check before it compares anything.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocsError {
    /// A page or directory could not be read (a page that is not UTF-8 text included).
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// Something under `spec/docs/` that is not a saved page of a known family.
    #[error("{}: {message}", path.display())]
    Stray {
        /// The entry, relative to the workspace root.
        path: PathBuf,
        /// Why it does not belong there.
        message: String,
    },
    /// A spec could not be loaded.
    #[error(transparent)]
    Spec(#[from] crate::Error),
}

/// The directory of `family`'s saved pages, relative to the workspace root.
pub fn page_dir(family: &Family) -> PathBuf {
    Path::new(DOCS_DIR).join(family.name)
}

/// Every saved page of `family` under the workspace `root`, sorted by file name. A
/// missing directory means no pages; an entry that is not a `.txt` file is an error.
pub fn load_pages(root: &Path, family: &Family) -> Result<Vec<SavedPage>, DocsError> {
    let relative = page_dir(family);
    let dir = root.join(&relative);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(DocsError::Read { path: dir, source }),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| DocsError::Read {
            path: dir.clone(),
            source,
        })?;
        let path = entry.path();
        let is_page = path.is_file() && path.extension().is_some_and(|e| e == PAGE_EXTENSION);
        if !is_page {
            return Err(DocsError::Stray {
                path: relative.join(entry.file_name()),
                message: format!("not a saved page: pages are `.{PAGE_EXTENSION}` files"),
            });
        }
        names.push(entry.file_name());
    }
    names.sort();
    names
        .into_iter()
        .map(|file| {
            let name = relative.join(&file);
            SavedPage::read(&dir.join(&file), name.display().to_string())
        })
        .collect()
}

/// Checks every family's saved pages against its spec, under the workspace `root`.
/// Fails on anything under `spec/docs/` that is not a family's directory.
pub fn check_workspace(root: &Path) -> Result<Vec<(&'static Family, Report)>, DocsError> {
    let docs = root.join(DOCS_DIR);
    if let Ok(entries) = std::fs::read_dir(&docs) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let known = FAMILIES.iter().any(|f| name.to_str() == Some(f.name));
            if !known || !entry.path().is_dir() {
                let families: Vec<&str> = FAMILIES.iter().map(|f| f.name).collect();
                return Err(DocsError::Stray {
                    path: Path::new(DOCS_DIR).join(&name),
                    message: format!(
                        "`{DOCS_DIR}` holds one directory per family ({})",
                        families.join(", ")
                    ),
                });
            }
        }
    }
    let mut reports = Vec::new();
    for family in FAMILIES {
        let mut spec = crate::load(&root.join(family.spec))?;
        spec.path = family.spec.into();
        let pages = load_pages(root, family)?;
        reports.push((family, check(&spec, &pages)));
    }
    Ok(reports)
}
