//! Reading one saved documentation page: the `Source:` header, then the page's text as a
//! browser's text copy gives it, line by line. The rules this parser relies on are listed
//! in the [module documentation](super); every line of a page ends up as one
//! [`LineKind`], and a line that looks like a table row but cannot be read is a
//! [`PageError`] naming the page and line, never skipped.

use std::fmt;

use serde_json::Value;

/// The first line of a saved page starts with this, followed by the page's URL.
pub const SOURCE_PREFIX: &str = "Source: ";

/// HTTP methods an endpoint row or method line may name.
const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Lines (compared in lower case) that open a code sample.
const CODE_LABELS: [&str; 14] = [
    "curl",
    "python",
    "go",
    "nodejs",
    "node.js",
    "node",
    "php",
    "java",
    "ruby",
    "c#",
    "javascript",
    "shell",
    "bash",
    "powershell",
];

/// Lines (compared in lower case) that label the JSON example below them as a request body.
const REQUEST_LABELS: [&str; 5] = [
    "request",
    "request body",
    "example request",
    "request example",
    "sample request",
];

/// Phrases (compared in lower case) that say a response field is not always there.
pub const CONDITIONAL_PHRASES: [&str; 9] = [
    "only returned",
    "returned only",
    "not returned",
    "omitted if",
    "omitted when",
    "omitted for",
    "only included",
    "included only",
    "if present",
];

/// Type words of parameter tables, longest first (so `integer` wins over `int`), and the
/// JSON type each stands for.
const TYPE_WORDS: [(&str, FieldType); 11] = [
    ("integer", FieldType::Integer),
    ("boolean", FieldType::Boolean),
    ("string", FieldType::String),
    ("object", FieldType::Object),
    ("number", FieldType::Number),
    ("double", FieldType::Number),
    ("array", FieldType::Array),
    ("float", FieldType::Number),
    ("bool", FieldType::Boolean),
    ("long", FieldType::Integer),
    ("int", FieldType::Integer),
];

/// Everything the parser read from one saved page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The URL of the `Source:` line.
    pub source: String,
    /// The first non-empty line of the page text (in whatever language the page is in).
    pub title: Option<String>,
    /// Endpoints: the rows of endpoint tables and the method + URL line of a
    /// single-endpoint page.
    pub endpoints: Vec<Endpoint>,
    /// Rows of status-code tables (`200 OKRequest succeeded...`).
    pub statuses: Vec<StatusRow>,
    /// Parameter tables (request, response, query and path parameters).
    pub tables: Vec<ParamTable>,
    /// Rows of key-scope tables (`TypeCapabilities / usage`); informational, not compared.
    pub key_scopes: Vec<InfoRow>,
    /// JSON examples, and status lines above a response example.
    pub examples: Vec<Example>,
    /// Code samples (cURL, Python, Go, NodeJS, ...), skipped except for a cURL request body.
    pub code_samples: Vec<CodeSample>,
    /// What each line of the file was read as; index 0 is line 1.
    pub lines: Vec<LineKind>,
}

/// What one line of a saved page was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// The `Source:` line and the blank line after it.
    Header,
    /// An empty line.
    Blank,
    /// Text the check does not compare: the title, headings, paragraphs, bullet lists.
    Prose,
    /// The method line or URL line of a single-endpoint page.
    Endpoint,
    /// The header line of a recognised table.
    TableHeader,
    /// A table row.
    Row,
    /// A continuation line of the row above it (more text of its last cell).
    RowNote,
    /// A code-sample label (`cURL`, `Python`, ...) or a line of a code sample.
    Code,
    /// A status line above a response example (`200 OK`).
    Status,
    /// A line of a JSON example, or the `// empty` marker of a bodiless response.
    Example,
    /// A line that could not be read (each one is reported as a [`PageError`]).
    Unreadable,
}

/// One endpoint the page documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Upper-case HTTP method.
    pub method: String,
    /// The path (`/account/subaccount`) of a table row, or the full URL of a method line,
    /// as written (DigiCert writes path parameters as `{{name}}`).
    pub target: String,
    /// The description cell of a table row; empty for a method line.
    pub description: String,
    /// Continuation lines below a table row.
    pub notes: Vec<String>,
    /// 1-based line in the saved file.
    pub line: usize,
}

/// One row of a status-code table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    /// The HTTP status.
    pub code: u16,
    /// The reason phrase as written (`No Content`).
    pub reason: String,
    /// The description cell.
    pub description: String,
    /// Continuation lines below the row.
    pub notes: Vec<String>,
    /// 1-based line in the saved file.
    pub line: usize,
}

/// What a parameter table describes, from the heading above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableRole {
    /// `Request parameters`: the JSON request body.
    Request,
    /// `Response parameters`: the JSON body of the success response.
    Response,
    /// `URL query parameters`.
    Query,
    /// `Path parameters`.
    Path,
}

impl fmt::Display for TableRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TableRole::Request => "request",
            TableRole::Response => "response",
            TableRole::Query => "query",
            TableRole::Path => "path",
        })
    }
}

/// A parameter table: `Name Type Description`, or `Name Req/Opt Type Description`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamTable {
    /// What the table describes.
    pub role: TableRole,
    /// Whether the table has a `Req/Opt` column.
    pub req_opt: bool,
    /// 1-based line of the header row.
    pub line: usize,
    /// Every row, in page order; nested rows follow their parent.
    pub fields: Vec<Field>,
}

/// The JSON type a parameter table gives a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// `string`.
    String,
    /// `integer`, `int`, `long`.
    Integer,
    /// `number`, `float`, `double`.
    Number,
    /// `boolean`, `bool`.
    Boolean,
    /// `object`.
    Object,
    /// `array`.
    Array,
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array => "array",
        })
    }
}

/// One row of a parameter table.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The names from the table's top level down to this field (`organization`,
    /// `container`, `id`); nesting comes from the `..` prefixes.
    pub path: Vec<String>,
    /// The type column.
    pub ty: FieldType,
    /// The `Req/Opt` column: `Some(true)` for `required`; `None` without that column.
    pub required: Option<bool>,
    /// The description cell.
    pub description: String,
    /// Continuation lines below the row.
    pub notes: Vec<String>,
    /// The text saying the field is not always there ("Only returned if ..."), if any.
    pub conditional: Option<String>,
    /// The values of a `Possible values:` (or `Allowed values:`) note.
    pub values: Option<Vec<String>>,
    /// The text of a `Format:` note.
    pub format: Option<String>,
    /// 1-based line in the saved file.
    pub line: usize,
}

impl Field {
    /// The field's own name (the last element of [`Field::path`]).
    pub fn name(&self) -> &str {
        self.path.last().map(String::as_str).unwrap_or_default()
    }

    /// How deep the row is nested: 0 for a top-level row, 1 under one `..`, ...
    pub fn depth(&self) -> usize {
        self.path.len().saturating_sub(1)
    }
}

/// One row of an informational table (the key-scope table), kept so that every row is
/// accounted for; the check does not compare it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoRow {
    /// The cells of the row.
    pub cells: Vec<String>,
    /// Continuation lines below the row.
    pub notes: Vec<String>,
    /// 1-based line in the saved file.
    pub line: usize,
}

/// What a JSON example belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleKind {
    /// The request body (a cURL sample's `-d '...'`, or JSON under a `Request` label).
    Request,
    /// A response, from the status line above it.
    Response {
        /// The status.
        status: u16,
        /// The reason phrase as written.
        reason: String,
        /// Text in parentheses after the reason phrase (`200 OK (needs_approval)`).
        qualifier: Option<String>,
    },
}

/// The body an example shows.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleBody {
    /// A JSON document.
    Json(Value),
    /// `// empty` under the status line: the response has no body.
    Empty,
    /// A status line with no example under it: the page documents the status only.
    NotShown,
}

/// One example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// What it belongs to.
    pub kind: ExampleKind,
    /// The body.
    pub body: ExampleBody,
    /// 1-based line of the status line (response) or of the JSON (request).
    pub line: usize,
}

/// One code sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSample {
    /// The label as written (`cURL`), or `curl` for a sample that starts without a label.
    pub language: String,
    /// 1-based line of the label (or of the first line).
    pub line: usize,
    /// How many lines the sample has, its label included.
    pub lines: usize,
}

/// A line of a saved page that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{page}:{line}: error[unreadable] {message}")]
pub struct PageError {
    /// The saved page, as it was named to [`parse`].
    pub page: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong with the line.
    pub message: String,
}

/// Parses one saved page. `name` only names the page in errors.
///
/// Returns every unreadable line at once; nothing in `text` can make this panic.
pub fn parse(name: &str, text: &str) -> Result<Page, Vec<PageError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    let mut parser = Parser {
        name,
        lines: &lines,
        kinds: vec![LineKind::Prose; lines.len()],
        errors: Vec::new(),
        page: Page {
            source: String::new(),
            title: None,
            endpoints: Vec::new(),
            statuses: Vec::new(),
            tables: Vec::new(),
            key_scopes: Vec::new(),
            examples: Vec::new(),
            code_samples: Vec::new(),
            lines: Vec::new(),
        },
    };
    parser.header()?;
    parser.body();
    parser.finish()
}

/// Where the parser is.
enum Mode {
    /// Outside tables and code samples.
    Text,
    /// Inside a code sample; `curl` when the sample is a cURL command.
    Code { curl: bool, data: Option<Capture> },
    /// Inside a table.
    Table(Table),
}

/// A cURL `-d '...'` body being collected across lines.
struct Capture {
    line: usize,
    text: String,
}

#[derive(Clone, Copy)]
enum Table {
    Endpoints { rows: usize },
    Statuses { rows: usize },
    KeyScopes { rows: usize },
    Params { index: usize },
}

/// How a table header line reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Header {
    Endpoints,
    Statuses,
    Params { req_opt: bool },
    KeyScopes,
}

/// The outcome of reading one line inside a table.
enum Read<T> {
    Row(T),
    Note,
    Bad(String),
}

struct Parser<'a> {
    name: &'a str,
    lines: &'a [&'a str],
    kinds: Vec<LineKind>,
    errors: Vec<PageError>,
    page: Page,
}

impl<'a> Parser<'a> {
    fn error(&mut self, index: usize, message: impl Into<String>) {
        if let Some(kind) = self.kinds.get_mut(index) {
            *kind = LineKind::Unreadable;
        }
        self.errors.push(PageError {
            page: self.name.to_owned(),
            line: index + 1,
            message: message.into(),
        });
    }

    fn mark(&mut self, index: usize, kind: LineKind) {
        if let Some(slot) = self.kinds.get_mut(index) {
            *slot = kind;
        }
    }

    fn line(&self, index: usize) -> &'a str {
        self.lines.get(index).copied().unwrap_or_default()
    }

    /// The next non-blank line at or after `index`.
    fn next_non_blank(&self, index: usize) -> Option<usize> {
        (index..self.lines.len()).find(|&i| !self.line(i).trim().is_empty())
    }

    /// Reads `Source: <url>` and the blank line after it.
    fn header(&mut self) -> Result<(), Vec<PageError>> {
        let first = self.line(0);
        let url = first.strip_prefix(SOURCE_PREFIX).unwrap_or_default();
        if url.is_empty() {
            self.error(
                0,
                format!(
                    "a saved page starts with `{SOURCE_PREFIX}https://...` (the URL it was saved from) and a blank line"
                ),
            );
            return Err(std::mem::take(&mut self.errors));
        }
        if !url.starts_with("https://")
            || url.len() <= "https://".len()
            || url.contains(char::is_whitespace)
        {
            self.error(0, format!("`{url}` is not an https:// URL"));
            return Err(std::mem::take(&mut self.errors));
        }
        if !self.line(1).is_empty() {
            self.error(1, "the `Source:` line must be followed by a blank line");
            return Err(std::mem::take(&mut self.errors));
        }
        self.page.source = url.to_owned();
        self.mark(0, LineKind::Header);
        self.mark(1, LineKind::Header);
        Ok(())
    }

    fn body(&mut self) {
        let mut mode = Mode::Text;
        // The last non-blank text line, for a parameter table's heading and a request label.
        let mut last_text: Option<usize> = None;
        let mut index = 2;
        while index < self.lines.len() {
            let raw = self.line(index);
            let line = raw.trim();
            match &mut mode {
                Mode::Code { curl, data } => {
                    let is_curl = *curl;
                    let mut capture = data.take();
                    if code_label(line).is_some()
                        || status_line(line).is_some()
                        || heading_role(line).is_some()
                        || table_header(line).is_some()
                    {
                        self.end_code(capture);
                        mode = Mode::Text;
                        continue; // read this line again, as text
                    }
                    self.mark(index, LineKind::Code);
                    if let Some(last) = self.page.code_samples.last_mut() {
                        last.lines += 1;
                    }
                    if is_curl {
                        self.curl_line(index, raw, &mut capture);
                    }
                    mode = Mode::Code {
                        curl: is_curl,
                        data: capture,
                    };
                    index += 1;
                }
                Mode::Table(table) => {
                    if line.is_empty() {
                        mode = Mode::Text;
                        continue;
                    }
                    // What starts something else ends the table, even without a blank
                    // line before it (a status line only outside a status table).
                    let ends = table_header(line).is_some()
                        || pipe_header(line).is_some()
                        || heading_role(line).is_some()
                        || code_label(line).is_some()
                        || (status_line(line).is_some()
                            && !matches!(table, Table::Statuses { .. }));
                    if ends {
                        mode = Mode::Text;
                        continue;
                    }
                    let mut table = *table;
                    self.table_line(index, raw, &mut table);
                    mode = Mode::Table(table);
                    index += 1;
                }
                Mode::Text => {
                    let (next_mode, next_index) = self.text_line(index, line, &mut last_text);
                    mode = next_mode;
                    index = next_index;
                }
            }
        }
        if let Mode::Code { data, .. } = mode {
            self.end_code(data);
        }
    }

    /// Reads one line outside tables and code samples; returns the mode for the next line
    /// and the index of the next line to read.
    fn text_line(
        &mut self,
        index: usize,
        line: &str,
        last_text: &mut Option<usize>,
    ) -> (Mode, usize) {
        if line.is_empty() {
            self.mark(index, LineKind::Blank);
            return (Mode::Text, index + 1);
        }
        // The text line just above (blank lines aside), if this line follows prose; any
        // other kind of line in between breaks the link between a heading and its table.
        let previous = last_text.take();
        if self.page.title.is_none() {
            self.page.title = Some(line.to_owned());
        }
        if let Some(label) = code_label(line) {
            self.mark(index, LineKind::Code);
            self.page.code_samples.push(CodeSample {
                language: label.to_owned(),
                line: index + 1,
                lines: 1,
            });
            let curl = label.eq_ignore_ascii_case("curl");
            return (Mode::Code { curl, data: None }, index + 1);
        }
        if line.starts_with("curl ") {
            // A sample without a label: it starts with the command itself.
            self.page.code_samples.push(CodeSample {
                language: "curl".to_owned(),
                line: index + 1,
                lines: 0,
            });
            return (
                Mode::Code {
                    curl: true,
                    data: None,
                },
                index,
            );
        }
        if let Some(header) = table_header(line) {
            return self.start_table(index, header, previous);
        }
        if pipe_header(line).is_some() {
            self.error(
                index,
                "a table copied with `|` between cells; save the page as the browser's plain text copy instead",
            );
            return (Mode::Text, index + 1);
        }
        if let Some(message) = self.one_cell_per_line(index, line) {
            self.error(index, message);
            return (Mode::Text, index + 1);
        }
        if let Some((code, reason, qualifier)) = status_line(line) {
            return (
                Mode::Text,
                self.response_example(index, code, reason, qualifier),
            );
        }
        if is_json_start(line) {
            let labelled = previous
                .map(|i| self.line(i).trim().to_ascii_lowercase())
                .is_some_and(|text| REQUEST_LABELS.contains(&text.as_str()));
            if labelled {
                return (Mode::Text, self.request_example(index));
            }
            self.error(
                index,
                "a JSON example must follow a status line (`200 OK`) or a `Request` label",
            );
            return (Mode::Text, self.skip_to_blank(index));
        }
        if METHODS.contains(&line) {
            return (Mode::Text, self.method_line(index, line));
        }
        if let Some((method, url)) = method_and_url(line) {
            self.mark(index, LineKind::Endpoint);
            self.page.endpoints.push(Endpoint {
                method: method.to_owned(),
                target: url.to_owned(),
                description: String::new(),
                notes: Vec::new(),
                line: index + 1,
            });
            return (Mode::Text, index + 1);
        }
        if let Some(message) = stray_row(line) {
            self.error(index, message);
            return (Mode::Text, index + 1);
        }
        self.mark(index, LineKind::Prose);
        *last_text = Some(index);
        (Mode::Text, index + 1)
    }

    fn start_table(
        &mut self,
        index: usize,
        header: Header,
        last_text: Option<usize>,
    ) -> (Mode, usize) {
        self.mark(index, LineKind::TableHeader);
        let table = match header {
            Header::Endpoints => Table::Endpoints { rows: 0 },
            Header::Statuses => Table::Statuses { rows: 0 },
            Header::KeyScopes => Table::KeyScopes { rows: 0 },
            Header::Params { req_opt } => {
                let role = last_text.and_then(|i| heading_role(self.line(i).trim()));
                let Some(role) = role else {
                    self.error(
                        index,
                        "a parameter table must sit under a heading that says what it describes (`Request parameters`, `Response parameters`, `URL query parameters` or `Path parameters`)",
                    );
                    return (Mode::Text, self.skip_to_blank(index + 1));
                };
                self.page.tables.push(ParamTable {
                    role,
                    req_opt,
                    line: index + 1,
                    fields: Vec::new(),
                });
                Table::Params {
                    index: self.page.tables.len() - 1,
                }
            }
        };
        (Mode::Table(table), index + 1)
    }

    /// Marks lines from `index` up to the next blank line unreadable (after an error that
    /// leaves the parser unsure where a block ends); returns the index of that blank line.
    fn skip_to_blank(&mut self, index: usize) -> usize {
        let mut i = index;
        while i < self.lines.len() && !self.line(i).trim().is_empty() {
            self.mark(i, LineKind::Unreadable);
            i += 1;
        }
        i
    }

    /// A table copied one cell per paragraph: `Name`, then `Type` on the next non-blank line.
    fn one_cell_per_line(&self, index: usize, line: &str) -> Option<String> {
        let second: &[&str] = match line.to_ascii_lowercase().as_str() {
            "name" => &["type", "req/opt"],
            "method" => &["endpoint"],
            "status code" => &["description"],
            "type" => &["capabilities / usage"],
            _ => return None,
        };
        let next = self
            .next_non_blank(index + 1)
            .map(|i| self.line(i).trim())?;
        second.contains(&next.to_ascii_lowercase().as_str()).then(|| {
            format!("a table copied one cell per line (`{line}`, then `{next}`); save the page as the browser's text copy, with one row per line")
        })
    }

    /// `GET` alone on a line, then the endpoint's URL on the next non-blank line.
    fn method_line(&mut self, index: usize, method: &str) -> usize {
        let url_index = self.next_non_blank(index + 1);
        let url = url_index.map(|i| self.line(i).trim()).unwrap_or_default();
        let is_url = (url.starts_with("https://") || url.starts_with("http://"))
            && !url.contains(char::is_whitespace);
        match url_index {
            Some(url_index) if is_url => {
                self.mark(index, LineKind::Endpoint);
                for blank in index + 1..url_index {
                    self.mark(blank, LineKind::Blank);
                }
                self.mark(url_index, LineKind::Endpoint);
                self.page.endpoints.push(Endpoint {
                    method: method.to_owned(),
                    target: url.to_owned(),
                    description: String::new(),
                    notes: Vec::new(),
                    line: index + 1,
                });
                url_index + 1
            }
            _ => {
                self.error(
                    index,
                    format!("`{method}` stands alone on its line, but the endpoint's URL does not follow it"),
                );
                index + 1
            }
        }
    }

    /// A status line; reads the example under it, if any. Returns the next line to read.
    fn response_example(
        &mut self,
        index: usize,
        code: u16,
        reason: &str,
        qualifier: Option<&str>,
    ) -> usize {
        self.mark(index, LineKind::Status);
        let kind = ExampleKind::Response {
            status: code,
            reason: reason.to_owned(),
            qualifier: qualifier.map(str::to_owned),
        };
        let next = self.next_non_blank(index + 1);
        let next_line = next.map(|i| self.line(i).trim()).unwrap_or_default();
        let (body, resume) = match next {
            Some(start) if is_json_start(next_line) => {
                for blank in index + 1..start {
                    self.mark(blank, LineKind::Blank);
                }
                match self.json_block(start) {
                    Some((value, end)) => (ExampleBody::Json(value), end + 1),
                    None => return self.skip_to_blank(start),
                }
            }
            Some(marker) if is_empty_marker(next_line) => {
                for blank in index + 1..marker {
                    self.mark(blank, LineKind::Blank);
                }
                self.mark(marker, LineKind::Example);
                (ExampleBody::Empty, marker + 1)
            }
            _ => (ExampleBody::NotShown, index + 1),
        };
        self.page.examples.push(Example {
            kind,
            body,
            line: index + 1,
        });
        resume
    }

    /// JSON under a `Request` label. Returns the next line to read.
    fn request_example(&mut self, index: usize) -> usize {
        match self.json_block(index) {
            Some((value, end)) => {
                self.page.examples.push(Example {
                    kind: ExampleKind::Request,
                    body: ExampleBody::Json(value),
                    line: index + 1,
                });
                end + 1
            }
            None => self.skip_to_blank(index),
        }
    }

    /// Parses the JSON document starting on line `start`; marks its lines and returns it
    /// with the index of its last line, or reports why it does not parse.
    fn json_block(&mut self, start: usize) -> Option<(Value, usize)> {
        let rest = self.lines.get(start..).unwrap_or_default().join("\n");
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let offset = stream.byte_offset();
                let consumed = rest.get(..offset).unwrap_or_default();
                let end = start + consumed.matches('\n').count();
                let after = rest.get(offset..).unwrap_or_default();
                let trailing = after.split('\n').next().unwrap_or_default();
                if !trailing.trim().is_empty() {
                    self.error(
                        end,
                        format!(
                            "text after the end of the JSON example: `{}`",
                            trailing.trim()
                        ),
                    );
                    return None;
                }
                for i in start..=end {
                    self.mark(i, LineKind::Example);
                }
                Some((value, end))
            }
            Some(Err(err)) => {
                let at = start + err.line().saturating_sub(1);
                self.error(
                    at.min(self.lines.len().saturating_sub(1)),
                    format!(
                        "the JSON example starting on line {} does not parse: {err}",
                        start + 1
                    ),
                );
                None
            }
            None => {
                self.error(start, "the JSON example is empty");
                None
            }
        }
    }

    /// One line of a cURL sample: finds the `-d '...'` request body, which may span lines.
    fn curl_line(&mut self, index: usize, raw: &str, capture: &mut Option<Capture>) {
        let rest = match capture {
            Some(open) => {
                open.text.push('\n');
                Some(raw)
            }
            None => match curl_data(raw) {
                None => None,
                Some(Err(message)) => {
                    self.error(index, message);
                    None
                }
                Some(Ok(after_quote)) => {
                    *capture = Some(Capture {
                        line: index,
                        text: String::new(),
                    });
                    Some(after_quote)
                }
            },
        };
        let (Some(rest), Some(open)) = (rest, capture.as_mut()) else {
            return;
        };
        match rest.find('\'') {
            None => open.text.push_str(rest),
            Some(end) => {
                open.text.push_str(rest.get(..end).unwrap_or_default());
                if let Some(done) = capture.take() {
                    self.finish_curl_body(done);
                }
            }
        }
    }

    fn finish_curl_body(&mut self, capture: Capture) {
        if capture.text.trim().is_empty() {
            return;
        }
        match serde_json::from_str::<Value>(&capture.text) {
            Ok(value) => self.page.examples.push(Example {
                kind: ExampleKind::Request,
                body: ExampleBody::Json(value),
                line: capture.line + 1,
            }),
            Err(err) => self.error(
                capture.line,
                format!("the cURL sample's request body does not parse as JSON: {err}"),
            ),
        }
    }

    fn end_code(&mut self, data: Option<Capture>) {
        if let Some(open) = data {
            self.error(
                open.line,
                "the cURL sample's `-d '...'` body has no closing quote",
            );
        }
    }

    fn table_line(&mut self, index: usize, raw: &str, table: &mut Table) {
        let line = raw.trim();
        match table {
            Table::Endpoints { rows } => match endpoint_row(line) {
                Read::Row((method, target, description)) => {
                    *rows += 1;
                    self.mark(index, LineKind::Row);
                    self.page.endpoints.push(Endpoint {
                        method,
                        target,
                        description,
                        notes: Vec::new(),
                        line: index + 1,
                    });
                }
                Read::Note if *rows > 0 => {
                    self.mark(index, LineKind::RowNote);
                    if let Some(last) = self.page.endpoints.last_mut() {
                        last.notes.push(line.to_owned());
                    }
                }
                Read::Note => self.error(
                    index,
                    "expected an endpoint row (`METHOD/path Description`) under the table header",
                ),
                Read::Bad(message) => self.error(index, message),
            },
            Table::Statuses { rows } => match status_row(line) {
                Read::Row((code, reason, description)) => {
                    *rows += 1;
                    self.mark(index, LineKind::Row);
                    self.page.statuses.push(StatusRow {
                        code,
                        reason,
                        description,
                        notes: Vec::new(),
                        line: index + 1,
                    });
                }
                Read::Note if *rows > 0 => {
                    self.mark(index, LineKind::RowNote);
                    if let Some(last) = self.page.statuses.last_mut() {
                        last.notes.push(line.to_owned());
                    }
                }
                Read::Note => self.error(
                    index,
                    "expected a status row (`200 OKDescription`) under the table header",
                ),
                Read::Bad(message) => self.error(index, message),
            },
            Table::KeyScopes { rows } => match split_cells(line) {
                Some((first, second)) => {
                    *rows += 1;
                    self.mark(index, LineKind::Row);
                    self.page.key_scopes.push(InfoRow {
                        cells: vec![first.to_owned(), second.to_owned()],
                        notes: Vec::new(),
                        line: index + 1,
                    });
                }
                None if *rows > 0 => {
                    self.mark(index, LineKind::RowNote);
                    if let Some(last) = self.page.key_scopes.last_mut() {
                        last.notes.push(line.to_owned());
                    }
                }
                None => self.error(
                    index,
                    "expected a row of two cells (`Parent accountCan create ...`) under the table header",
                ),
            },
            Table::Params { index: table_index } => self.param_line(index, line, *table_index),
        }
    }

    fn param_line(&mut self, index: usize, line: &str, table_index: usize) {
        let Some(table) = self.page.tables.get(table_index) else {
            return;
        };
        let req_opt = table.req_opt;
        let previous_depth = table.fields.last().map(Field::depth);
        if !is_param_row_attempt(line) {
            if previous_depth.is_none() {
                self.error(
                    index,
                    "expected a parameter row (`name type description`) under the table header",
                );
                return;
            }
            self.mark(index, LineKind::RowNote);
            let note_values = match note_facts(line) {
                Ok(facts) => facts,
                Err(message) => {
                    self.error(index, message);
                    return;
                }
            };
            if let Some(field) = self
                .page
                .tables
                .get_mut(table_index)
                .and_then(|t| t.fields.last_mut())
            {
                field.notes.push(line.to_owned());
                field.merge(note_values);
            }
            return;
        }
        let (depth, name, required, ty, description) = match param_row(line, req_opt) {
            Ok(row) => row,
            Err(message) => {
                self.error(index, message);
                return;
            }
        };
        let path = match self.field_path(table_index, previous_depth, depth, name) {
            Ok(path) => path,
            Err(message) => {
                self.error(index, message);
                return;
            }
        };
        let facts = match note_facts(description) {
            Ok(facts) => facts,
            Err(message) => {
                self.error(index, message);
                return;
            }
        };
        let mut field = Field {
            path,
            ty,
            required,
            description: description.to_owned(),
            notes: Vec::new(),
            conditional: None,
            values: None,
            format: None,
            line: index + 1,
        };
        field.merge(facts);
        self.mark(index, LineKind::Row);
        if let Some(table) = self.page.tables.get_mut(table_index) {
            table.fields.push(field);
        }
    }

    /// The path of a new row `name` at `depth`, below the rows already in the table.
    fn field_path(
        &self,
        table_index: usize,
        previous_depth: Option<usize>,
        depth: usize,
        name: &str,
    ) -> Result<Vec<String>, String> {
        if depth == 0 {
            return Ok(vec![name.to_owned()]);
        }
        let Some(previous_depth) = previous_depth else {
            return Err("the first row of a table cannot be nested (`..`)".into());
        };
        if depth > previous_depth + 1 {
            return Err(format!(
                "this row is nested {depth} level(s) deep, but the row above it is only {previous_depth} deep"
            ));
        }
        // The parent is the nearest row above at depth - 1.
        let parent = self
            .page
            .tables
            .get(table_index)
            .and_then(|t| t.fields.iter().rev().find(|f| f.depth() == depth - 1));
        match parent {
            Some(parent) if matches!(parent.ty, FieldType::Object | FieldType::Array) => {
                let mut path = parent.path.clone();
                path.push(name.to_owned());
                Ok(path)
            }
            Some(parent) => Err(format!(
                "`{name}` is nested under `{}`, whose type is {}, not object or array",
                parent.name(),
                parent.ty
            )),
            None => Err("a nested row without a parent row above it".into()),
        }
    }

    fn finish(mut self) -> Result<Page, Vec<PageError>> {
        if self.page.endpoints.is_empty() {
            self.errors.push(PageError {
                page: self.name.to_owned(),
                line: 1,
                message: "the page documents no endpoint: it has neither an endpoint table (`MethodEndpointDescription`) nor a method line with the endpoint's URL".into(),
            });
        } else if self.page.endpoints.len() > 1 {
            let count = self.page.endpoints.len();
            let lines: Vec<usize> = self
                .page
                .tables
                .iter()
                .map(|t| t.line)
                .chain(self.page.examples.iter().map(|e| e.line))
                .collect();
            for line in lines {
                self.errors.push(PageError {
                    page: self.name.to_owned(),
                    line,
                    message: format!("this page lists {count} endpoints, so it cannot tell which one this table or example belongs to"),
                });
            }
        }
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|e| e.line);
            return Err(self.errors);
        }
        self.page.lines = self.kinds;
        Ok(self.page)
    }
}

/// Facts a description or note line states about a field.
#[derive(Default)]
struct Facts {
    conditional: Option<String>,
    values: Option<Vec<String>>,
    format: Option<String>,
}

impl Field {
    fn merge(&mut self, facts: Facts) {
        if self.conditional.is_none() {
            self.conditional = facts.conditional;
        }
        if let Some(values) = facts.values {
            self.values.get_or_insert_with(Vec::new).extend(values);
        }
        if self.format.is_none() {
            self.format = facts.format;
        }
    }
}

/// Reads `Only returned if ...`, `Possible values: a, b` and `Format: ...` out of a
/// description or note.
fn note_facts(text: &str) -> Result<Facts, String> {
    let lower = text.to_ascii_lowercase();
    let mut facts = Facts::default();
    if CONDITIONAL_PHRASES.iter().any(|p| lower.contains(p)) {
        facts.conditional = Some(text.trim().to_owned());
    }
    for marker in ["possible values:", "allowed values:"] {
        let Some(at) = lower.find(marker) else {
            continue;
        };
        let list = text.get(at + marker.len()..).unwrap_or_default();
        let values: Vec<String> = list
            .split(',')
            .flat_map(|part| part.split(" or "))
            .flat_map(|part| part.split(" and "))
            .map(|value| {
                value
                    .trim()
                    .trim_end_matches('.')
                    .trim_matches(|c| matches!(c, '`' | '"' | '\'' | '“' | '”'))
                    .trim()
                    .to_owned()
            })
            .filter(|value| !value.is_empty())
            .collect();
        if values.is_empty() {
            return Err(format!(
                "`{}` lists no values on its line",
                text.get(at..at + marker.len()).unwrap_or(marker)
            ));
        }
        facts.values = Some(values);
    }
    if let Some(at) = lower.find("format:") {
        let format = text.get(at + "format:".len()..).unwrap_or_default().trim();
        if !format.is_empty() {
            facts.format = Some(format.to_owned());
        }
    }
    Ok(facts)
}

/// `cURL`, `Python`, ... alone on a line.
fn code_label(line: &str) -> Option<&str> {
    let lower = line.to_ascii_lowercase();
    CODE_LABELS.contains(&lower.as_str()).then_some(line)
}

/// The role a parameter-table heading gives the table under it.
fn heading_role(line: &str) -> Option<TableRole> {
    let lower = line.to_ascii_lowercase();
    match lower.trim_end_matches(':') {
        "request parameters" | "request body parameters" | "body parameters" => {
            Some(TableRole::Request)
        }
        "response parameters" => Some(TableRole::Response),
        "url query parameters"
        | "query parameters"
        | "query string parameters"
        | "url query string parameters" => Some(TableRole::Query),
        "path parameters" | "url path parameters" => Some(TableRole::Path),
        _ => None,
    }
}

/// The header line of a known table, with or without space between its cells.
fn table_header(line: &str) -> Option<Header> {
    if line.contains('|') {
        return None;
    }
    header_words(line)
}

fn header_words(line: &str) -> Option<Header> {
    let squeezed: String = line
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '|')
        .collect::<String>()
        .to_ascii_lowercase();
    match squeezed.as_str() {
        "methodendpointdescription" => Some(Header::Endpoints),
        "statuscodedescription" => Some(Header::Statuses),
        "nametypedescription" => Some(Header::Params { req_opt: false }),
        "namereq/opttypedescription" => Some(Header::Params { req_opt: true }),
        "typecapabilities/usage" => Some(Header::KeyScopes),
        _ => None,
    }
}

/// A known table header copied with `|` between the cells.
fn pipe_header(line: &str) -> Option<Header> {
    if line.contains('|') {
        header_words(line)
    } else {
        None
    }
}

/// The reason phrases accepted for a status code.
fn reason_phrases(code: u16) -> &'static [&'static str] {
    match code {
        100 => &["Continue"],
        101 => &["Switching Protocols"],
        200 => &["OK"],
        201 => &["Created"],
        202 => &["Accepted"],
        203 => &["Non-Authoritative Information"],
        204 => &["No Content"],
        205 => &["Reset Content"],
        206 => &["Partial Content"],
        207 => &["Multi-Status"],
        300 => &["Multiple Choices"],
        301 => &["Moved Permanently"],
        302 => &["Found"],
        303 => &["See Other"],
        304 => &["Not Modified"],
        307 => &["Temporary Redirect"],
        308 => &["Permanent Redirect"],
        400 => &["Bad Request"],
        401 => &["Unauthorized"],
        402 => &["Payment Required"],
        403 => &["Forbidden"],
        404 => &["Not Found"],
        405 => &["Method Not Allowed"],
        406 => &["Not Acceptable"],
        408 => &["Request Timeout"],
        409 => &["Conflict"],
        410 => &["Gone"],
        411 => &["Length Required"],
        412 => &["Precondition Failed"],
        413 => &["Payload Too Large", "Content Too Large"],
        414 => &["URI Too Long"],
        415 => &["Unsupported Media Type"],
        422 => &["Unprocessable Entity", "Unprocessable Content"],
        423 => &["Locked"],
        425 => &["Too Early"],
        428 => &["Precondition Required"],
        429 => &["Too Many Requests"],
        500 => &["Internal Server Error"],
        501 => &["Not Implemented"],
        502 => &["Bad Gateway"],
        503 => &["Service Unavailable"],
        504 => &["Gateway Timeout"],
        _ => &[],
    }
}

/// Splits `NNN Reason rest` into the code, the reason as written and the rest.
/// `None` when the line does not start with three digits and a space or letter.
fn split_status(line: &str) -> Option<Result<(u16, &str, &str), String>> {
    let digits = line.get(..3)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let after = line.get(3..)?;
    if after.starts_with(|c: char| c.is_ascii_digit()) {
        return None; // a longer number
    }
    let code: u16 = digits.parse().ok()?;
    let phrases = reason_phrases(code);
    if phrases.is_empty() {
        return Some(Err(format!(
            "`{code}` is not an HTTP status this parser knows"
        )));
    }
    let after = after.trim_start();
    for phrase in phrases {
        if let Some(head) = after.get(..phrase.len())
            && head.eq_ignore_ascii_case(phrase)
        {
            let rest = after.get(phrase.len()..).unwrap_or_default();
            return Some(Ok((code, head, rest)));
        }
    }
    Some(Err(format!(
        "status {code} should be followed by its reason phrase `{}`",
        phrases.join("` or `")
    )))
}

/// A status line above an example: `200 OK`, or `200 OK (needs_approval)`.
fn status_line(line: &str) -> Option<(u16, &str, Option<&str>)> {
    let (code, reason, rest) = split_status(line)?.ok()?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Some((code, reason, None));
    }
    let qualifier = rest.strip_prefix('(')?.strip_suffix(')')?.trim();
    Some((code, reason, Some(qualifier)))
}

/// The `// empty` marker DigiCert shows under the status of a bodiless response.
fn is_empty_marker(line: &str) -> bool {
    line.strip_prefix("//")
        .is_some_and(|rest| rest.trim().eq_ignore_ascii_case("empty"))
}

/// Whether a line opens a JSON document (`{`, `[`, `{"a": ...`), not a `{{placeholder}}`.
fn is_json_start(line: &str) -> bool {
    let mut chars = line.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some('{'), None | Some(' ' | '\t' | '"' | '}'))
            | (
                Some('['),
                None | Some(' ' | '\t' | '"' | '{' | ']' | '-' | '0'..='9')
            )
    )
}

/// `GET https://...` on one line.
fn method_and_url(line: &str) -> Option<(&str, &str)> {
    let mut words = line.split_whitespace();
    let (method, url) = (words.next()?, words.next()?);
    (words.next().is_none()
        && METHODS.contains(&method)
        && (url.starts_with("https://") || url.starts_with("http://")))
    .then_some((method, url))
}

/// A line outside any table that looks like a table row: reading it as prose would drop
/// what it says, so it is an error.
fn stray_row(line: &str) -> Option<String> {
    if let Some(method) = METHODS.iter().find(|m| {
        line.strip_prefix(**m)
            .is_some_and(|rest| rest.starts_with('/'))
    }) {
        return Some(format!(
            "a `{method}/...` endpoint row outside an endpoint table (no `MethodEndpointDescription` header above it)"
        ));
    }
    if let Some(Ok((_, _, rest))) = split_status(line)
        && rest.starts_with(|c: char| c.is_uppercase() || c == '\t')
    {
        return Some("a status row outside a status-code table (no `Status codeDescription` header above it)".into());
    }
    if line.starts_with("..") && param_row(line, false).is_ok() {
        return Some("a nested parameter row outside a parameter table (no `Name Type Description` header above it)".into());
    }
    let mut words = line.split_whitespace();
    if let (Some(name), Some(ty)) = (words.next(), words.next())
        && name.contains('_')
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && TYPE_WORDS.iter().any(|(word, _)| *word == ty)
    {
        return Some("a parameter row outside a parameter table (no `Name Type Description` header above it)".into());
    }
    None
}

/// Reads an endpoint-table line: `POST/account/subaccountCreate a subaccount.` (cells run
/// together) or with spaces or tabs between the cells.
fn endpoint_row(line: &str) -> Read<(String, String, String)> {
    let word_len = line.bytes().take_while(u8::is_ascii_uppercase).count();
    let word = line.get(..word_len).unwrap_or_default();
    let after = line.get(word_len..).unwrap_or_default().trim_start();
    if word_len < 3 || !after.starts_with('/') {
        return Read::Note;
    }
    if !METHODS.contains(&word) {
        return Read::Bad(format!("`{word}` is not an HTTP method"));
    }
    match take_path(after) {
        Ok((path, rest)) => Read::Row((word.to_owned(), path.to_owned(), rest.trim().to_owned())),
        Err(message) => Read::Bad(message),
    }
}

/// Splits a path from the description that follows it: the path is lower-case letters,
/// digits, `-_.~%/` and `{...}` placeholders; the description starts at the first other
/// character (DigiCert's descriptions start with a capital letter).
fn take_path(text: &str) -> Result<(&str, &str), String> {
    let mut depth = 0usize;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if depth > 0 {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            end = i + c.len_utf8();
            continue;
        }
        match c {
            'a'..='z' | '0'..='9' | '-' | '_' | '.' | '~' | '%' | '/' => end = i + 1,
            '{' => {
                depth = 1;
                end = i + 1;
            }
            _ => break,
        }
    }
    if depth > 0 {
        return Err("the path has a `{` without its `}`".into());
    }
    Ok((
        text.get(..end).unwrap_or_default(),
        text.get(end..).unwrap_or_default(),
    ))
}

/// Reads a status-table line: `200 OKRequest succeeded.`; lines that do not start with
/// three digits are notes of the row above.
fn status_row(line: &str) -> Read<(u16, String, String)> {
    match split_status(line) {
        None => Read::Note,
        Some(Err(message)) => Read::Bad(message),
        Some(Ok((code, reason, rest))) => {
            if rest.starts_with(|c: char| c.is_ascii_lowercase()) {
                return Read::Bad(format!(
                    "cannot tell where the reason phrase `{reason}` ends and the description starts"
                ));
            }
            Read::Row((code, reason.to_owned(), rest.trim().to_owned()))
        }
    }
}

/// Splits a two-cell row: at a tab, or where a lower-case letter runs into a capital
/// (`Parent accountCan create ...`).
fn split_cells(line: &str) -> Option<(&str, &str)> {
    if let Some((first, second)) = line.split_once('\t') {
        let (first, second) = (first.trim(), second.trim());
        return (!first.is_empty() && !second.is_empty()).then_some((first, second));
    }
    let mut previous: Option<char> = None;
    for (i, c) in line.char_indices() {
        if previous.is_some_and(char::is_lowercase) && c.is_uppercase() {
            return Some((line.get(..i)?, line.get(i..)?));
        }
        previous = Some(c);
    }
    None
}

/// Whether a parameter-table line is meant as a row: rows start with `..` or with a
/// lower-case field name; notes start otherwise (`Only returned if ...`, `Format: ...`).
fn is_param_row_attempt(line: &str) -> bool {
    line.starts_with("..") || line.starts_with(|c: char| c.is_ascii_lowercase())
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']')
}

/// Reads a parameter row: `..` prefixes (each may be followed by spaces, including
/// non-breaking ones), the name, `required`/`optional` when the table has that column,
/// the type and the description. Cells may be separated by whitespace or run together.
fn param_row(
    line: &str,
    req_opt: bool,
) -> Result<(usize, &str, Option<bool>, FieldType, &str), String> {
    let mut rest = line.trim_start();
    let mut depth = 0;
    while let Some(after) = rest.strip_prefix("..") {
        depth += 1;
        rest = after.trim_start();
    }
    let token_end = rest
        .char_indices()
        .find(|(_, c)| !is_name_char(*c))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    if token_end == 0 {
        return Err("a parameter row must start with the field's name".into());
    }
    // With separators, the name is the whole first token; with the cells run together,
    // the shortest prefix after which a type (and Req/Opt) reads.
    let candidates = std::iter::once(token_end).chain(
        rest.char_indices()
            .take_while(|(i, _)| *i < token_end)
            .map(|(i, c)| i + c.len_utf8()),
    );
    for end in candidates {
        let name = rest.get(..end).unwrap_or_default();
        let mut after = rest.get(end..).unwrap_or_default();
        after = after.strip_prefix('*').unwrap_or(after).trim_start();
        let required = if req_opt {
            if let Some(a) = after.strip_prefix("required") {
                after = a.trim_start();
                Some(true)
            } else if let Some(a) = after.strip_prefix("optional") {
                after = a.trim_start();
                Some(false)
            } else {
                continue;
            }
        } else {
            None
        };
        for (word, ty) in TYPE_WORDS {
            let Some(description) = after.strip_prefix(word) else {
                continue;
            };
            let boundary = !description
                .starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if boundary {
                return Ok((depth, name, required, ty, description.trim()));
            }
        }
    }
    Err(if req_opt {
        "cannot read this parameter row: expected `name required|optional type description`".into()
    } else {
        "cannot read this parameter row: expected `name type description` (types: string, integer, number, boolean, object, array)".into()
    })
}

/// Finds the request body of a cURL command: `-d '`, `--data '`, `--data-raw '` or
/// `--data-binary '`. Returns the text after the opening quote.
fn curl_data(line: &str) -> Option<Result<&str, String>> {
    for flag in ["--data-binary", "--data-raw", "--data", "-d"] {
        for (at, _) in line.match_indices(flag) {
            let before_ok = line
                .get(..at)
                .is_some_and(|b| b.is_empty() || b.ends_with(char::is_whitespace));
            let after = line.get(at + flag.len()..).unwrap_or_default();
            let after_ok = after.is_empty()
                || after.starts_with(char::is_whitespace)
                || after.starts_with('=');
            if !before_ok || !after_ok {
                continue;
            }
            let value = after.trim_start_matches('=').trim_start();
            return Some(match value.strip_prefix('\'') {
                Some(body) => Ok(body),
                None => Err(format!(
                    "the cURL sample's `{flag}` body is not in single quotes; cannot read it as a JSON example"
                )),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_rows_with_and_without_separators() {
        let row = |line| param_row(line, false);
        assert_eq!(
            row("account_id integer Subaccount ID."),
            Ok((0, "account_id", None, FieldType::Integer, "Subaccount ID."))
        );
        assert_eq!(
            row("account_idintegerSubaccount ID."),
            Ok((0, "account_id", None, FieldType::Integer, "Subaccount ID."))
        );
        assert_eq!(
            row("..\u{a0}..\u{a0}parent_id integer ID."),
            Ok((2, "parent_id", None, FieldType::Integer, "ID."))
        );
        assert_eq!(
            row("idarray array The IDs."),
            Ok((0, "idarray", None, FieldType::Array, "The IDs."))
        );
        assert_eq!(
            row("object_idintegerID."),
            Ok((0, "object_id", None, FieldType::Integer, "ID."))
        );
        assert_eq!(
            row("serial_number* string Serial."),
            Ok((0, "serial_number", None, FieldType::String, "Serial."))
        );
        assert_eq!(
            param_row("account_manager_user_idoptionalintegerID of a user.", true),
            Ok((
                0,
                "account_manager_user_id",
                Some(false),
                FieldType::Integer,
                "ID of a user."
            ))
        );
        assert!(row("account_id sometype Subaccount ID.").is_err());
        assert!(row("idintegerthe id").is_err());
    }

    #[test]
    fn endpoint_rows_split_path_and_description() {
        let Read::Row(row) = endpoint_row("POST/account/subaccountCreate a subaccount.") else {
            panic!("not a row");
        };
        assert_eq!(
            row,
            (
                "POST".into(),
                "/account/subaccount".into(),
                "Create a subaccount.".into()
            )
        );
        let Read::Row(row) = endpoint_row("GET /api-key/{{apiKeyId}}\tGet a key.") else {
            panic!("not a row");
        };
        assert_eq!(
            row,
            (
                "GET".into(),
                "/api-key/{{apiKeyId}}".into(),
                "Get a key.".into()
            )
        );
        assert!(matches!(endpoint_row("The POST /x endpoint"), Read::Note));
        assert!(matches!(endpoint_row("FETCH/account"), Read::Bad(_)));
        assert!(matches!(endpoint_row("GET/a/{{b"), Read::Bad(_)));
    }

    #[test]
    fn status_lines_and_rows() {
        assert_eq!(status_line("200 OK"), Some((200, "OK", None)));
        assert_eq!(
            status_line("200 OK (needs_approval)"),
            Some((200, "OK", Some("needs_approval")))
        );
        assert_eq!(status_line("200 OKAY"), None);
        assert_eq!(status_line("100 requests per second"), None);
        let Read::Row(row) = status_row("204 No ContentDone.") else {
            panic!("not a row");
        };
        assert_eq!(row, (204, "No Content".into(), "Done.".into()));
        assert!(matches!(status_row("200 CreatedDone."), Read::Bad(_)));
        assert!(matches!(status_row("299 WhatDone."), Read::Bad(_)));
    }

    #[test]
    fn notes_state_facts() {
        let facts = note_facts("Possible values: `active`, inactive or suspended.").expect("reads");
        assert_eq!(
            facts.values,
            Some(vec!["active".into(), "inactive".into(), "suspended".into()])
        );
        assert!(note_facts("Possible values:").is_err());
        let facts = note_facts("Only returned if set.").expect("reads");
        assert_eq!(facts.conditional.as_deref(), Some("Only returned if set."));
        let facts = note_facts("Format: YYYY-MM-DD hh:mm:ss").expect("reads");
        assert_eq!(facts.format.as_deref(), Some("YYYY-MM-DD hh:mm:ss"));
    }

    #[test]
    fn curl_bodies() {
        assert_eq!(curl_data("  -d '{"), Some(Ok("{")));
        assert_eq!(curl_data("--data='{}'"), Some(Ok("{}'")));
        assert!(matches!(curl_data("  -d @body.json"), Some(Err(_))));
        assert_eq!(curl_data("  -H 'X-DC-DEVKEY: {{api_key}}'"), None);
        assert_eq!(curl_data("curl --data-dir x"), None);
    }
}
