//! The CLI render: progenitor's `Generator::cli` for one family (clap commands and an
//! `execute_<operation>` per operation), rewritten where it must fit our client and the
//! `digicert` command (`crates/digicert-cli`), then formatted with the generated-file
//! header. `cargo xtask codegen` writes it to the family's [`Family::generated_cli`], and the
//! CLI crate's `build.rs` (feature `codegen`) to `OUT_DIR`; both call [`render_cli`].
//!
//! What the rewrite changes, and why:
//!
//! - progenitor's `CliConfig` names `ResponseValue<T>`, `Error<T>` and `schemars::JsonSchema`
//!   bounds; our client has none of them. The trait is regenerated around
//!   `digicert::Response<T>`, `digicert::Error` and `serde::Serialize`, and gains what the
//!   command needs from its host: the JSON body (`--json-body FILE|-`), the dry run
//!   (`preview()`), a second key, and a progress-aware list printer.
//! - `--json-body` is read first and the body flags are applied over it (progenitor applied
//!   the flags, then replaced the whole body with the file, dropping them); `-` reads
//!   standard input. `--json-body-template` (help "XXX", never implemented) is answered by
//!   the host from `CliCommand::json_body_template()`, the spec's example request body,
//!   embedded here; required flags are not required with it.
//! - Body fields that are arrays of plain values get repeatable flags (progenitor only makes
//!   flags for single values), so `--sans a.example --sans b.example` needs no JSON file.
//! - Commands are named (the operationId in kebab case), listed in spec order, and show the
//!   summary in listings and `-h`, the whole description under `--help`.
//! - From the spec's extensions: `x-pagination` adds `--all` (every page through the
//!   client's `stream()`), an AND security requirement adds `--<scheme>-key-file` /
//!   `--<scheme>-key-stdin` for the second key, and success bodies that carry an API key or
//!   a secret (formats `digicert-api-key`, `digicert-secret`) add `--secrets-file` and list
//!   the fields in `CliCommand::secret_fields()`, so that the host can keep them off stdout.
//! - Paths progenitor wrote for the client crate (`crate::...`) name `digicert::...`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use progenitor::{Generator, TypeImpl};
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{Expr, ImplItem, Item, Lit, Stmt, TraitItem};

use crate::meta::{KeyScheme, OperationMeta, operation_meta};
use crate::render::{prepare, run_progenitor, settings};
use crate::rules::{API_KEY_FORMAT, SECRET_FORMAT};
use crate::tree::{escape, resolve};
use crate::{Error, FAMILIES, Family, Spec};

/// The client crate the generated commands call (`digicert::<family>`).
pub const CLIENT_CRATE: &str = "digicert";

/// The argument ids the generated commands define beyond progenitor's, which the host
/// (`crates/digicert-cli`) reads. Kept here so both sides spell them once.
pub mod args {
    /// `--json-body FILE|-`: the whole request body.
    pub const JSON_BODY: &str = "json-body";
    /// `--json-body-template`: print the spec's example body and exit.
    pub const JSON_BODY_TEMPLATE: &str = "json-body-template";
    /// `--all`: every page of a paged list.
    pub const ALL: &str = "all";
    /// `--secrets-file PATH`: where a response that carries a key or secret is written.
    pub const SECRETS_FILE: &str = "secrets-file";
}

/// The first lines of a generated CLI file.
pub fn cli_header(family: &Family) -> String {
    crate::render::header_for(family, "digicert-cli")
}

/// A body field that is an array of plain values, as a repeatable flag.
#[derive(Debug, Clone)]
struct ArrayFlag {
    /// The arg id and long flag (the property in kebab case).
    arg: String,
    /// The body builder's setter (the property in snake case).
    setter: syn::Ident,
    /// The clap value parser of one item.
    parser: TokenStream,
    /// The Rust type of one item.
    item: TokenStream,
    required: bool,
    help: Option<String>,
}

/// What the type space says about one operation's body.
#[derive(Debug, Clone, Default)]
struct BodyFlags {
    arrays: Vec<ArrayFlag>,
    /// Whether some required field has no flag, so that the body must come as JSON.
    json_body_required: bool,
}

/// A second key an operation needs (an AND security requirement).
#[derive(Debug, Clone)]
struct ExtraKey {
    /// The request builder's setter.
    method: syn::Ident,
    header: String,
    scheme: String,
    /// `certcentral-key`: the flags are `--<stem>-file` and `--<stem>-stdin`.
    stem: String,
    /// The environment variable of the family whose key it is, if it is one of ours.
    env_var: Option<TokenStream>,
}

/// One operation, as the rewrite needs it.
struct CliOp<'a> {
    meta: &'a OperationMeta,
    /// Its position in the client's `OPERATIONS` (spec order).
    index: usize,
    /// The command name: the operationId in kebab case.
    name: String,
    /// The spec's example request body, compact JSON.
    template: Option<String>,
    /// JSON pointers (with `*` for any array element) of keys and secrets in the success body.
    secrets: Vec<String>,
    extra_keys: Vec<ExtraKey>,
    body: BodyFlags,
    /// The arg ids of its path and query parameters.
    params: BTreeSet<String>,
    /// Help for flags progenitor leaves without any (a `$ref`'d property has no
    /// description of its own): arg id -> the referenced schema's description.
    help: BTreeMap<String, String>,
}

/// Lints `spec` (every rule and lint check) and renders the `digicert <family>` commands.
pub fn render_cli(spec: &Spec, family: &Family) -> Result<String, Error> {
    crate::lint::require_clean(spec, family)?;
    let generate_error = |message: String| Error::Generate {
        path: spec.path.clone(),
        message,
    };
    let prepared = prepare(spec)?;
    let settings = settings(family, spec);
    let metas = operation_meta(spec, family);
    let module = format!("{CLIENT_CRATE}::{}", family.name);

    let bodies: RefCell<BTreeMap<String, BodyFlags>> = RefCell::new(BTreeMap::new());
    let tokens = run_progenitor(&prepared, &metas, "generating the CLI", |api| {
        let mut generator = Generator::new(&settings);
        let tokens = generator.cli(api, &module).map_err(|e| e.to_string())?;
        let file: syn::File = syn::parse2(tokens.clone())
            .map_err(|e| format!("generated CLI tokens do not parse as Rust: {e}"))?;
        let space = generator.get_type_space();
        let mut found = BTreeMap::new();
        for (op, body_type) in body_types(&file) {
            let params = param_args(spec, &metas, &op);
            found.insert(op, body_flags(space, &body_type, &params)?);
        }
        *bodies.borrow_mut() = found;
        Ok(tokens)
    })
    .map_err(generate_error)?;
    let bodies = bodies.into_inner();

    let mut ops = Vec::new();
    for (index, meta) in metas.iter().enumerate() {
        let node = spec.raw.pointer(&meta.op.pointer()).unwrap_or(&Value::Null);
        let template = match node.get("requestBody") {
            None => None,
            Some(body) => Some(example_body(&spec.raw, body).ok_or_else(|| {
                generate_error(format!(
                    "{}: the JSON request body has no `example` for --json-body-template",
                    meta.op.location()
                ))
            })?),
        };
        let extra_keys = meta.extra_keys.iter().map(extra_key).collect();
        ops.push(CliOp {
            meta,
            index,
            name: meta.op.id.to_kebab_case(),
            template,
            secrets: secret_fields(&spec.raw, node),
            extra_keys,
            body: bodies.get(&meta.op.id).cloned().unwrap_or_default(),
            help: spec_help(&spec.raw, meta),
            params: param_args(spec, &metas, &meta.op.id),
        });
    }

    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| generate_error(format!("generated CLI tokens do not parse as Rust: {e}")))?;
    rewrite(&mut file, &ops)
        .map_err(|e| generate_error(format!("rewriting progenitor's CLI: {e}")))?;
    // Token by token, so that paths inside macro calls (`value_parser!(crate::..)`) change too.
    let file: syn::File = syn::parse2(crate_to_client(quote!(#file)))
        .map_err(|e| generate_error(format!("rewritten CLI tokens do not parse as Rust: {e}")))?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{}\n{body}", cli_header(family)))
}

/// `operationId -> body type name`, from the `serde_json::from_str::<types::X>` progenitor
/// writes in each `execute_<operation>` that takes a JSON body.
fn body_types(file: &syn::File) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        for item in &imp.items {
            let ImplItem::Fn(f) = item else { continue };
            let Some(op) = f
                .sig
                .ident
                .to_string()
                .strip_prefix("execute_")
                .map(str::to_owned)
            else {
                continue;
            };
            let mut finder = FromStrTurbofish(None);
            syn::visit::Visit::visit_block(&mut finder, &f.block);
            if let Some(name) = finder.0 {
                found.insert(op, name);
            }
        }
    }
    found
}

/// Finds `from_str::<path::Name>` and keeps `Name`.
struct FromStrTurbofish(Option<String>);

impl<'ast> syn::visit::Visit<'ast> for FromStrTurbofish {
    fn visit_expr_path(&mut self, node: &'ast syn::ExprPath) {
        let segments: Vec<_> = node.path.segments.iter().collect();
        if let Some(last) = segments.last()
            && last.ident == "from_str"
            && let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(syn::GenericArgument::Type(syn::Type::Path(ty))) = args.args.first()
            && let Some(name) = ty.path.segments.last()
        {
            self.0 = Some(name.ident.to_string());
        }
        syn::visit::visit_expr_path(self, node);
    }
}

/// The arg ids progenitor gives the path and query parameters of `op`.
fn param_args(spec: &Spec, metas: &[OperationMeta], op: &str) -> BTreeSet<String> {
    let Some(meta) = metas.iter().find(|m| m.op.id == op) else {
        return BTreeSet::new();
    };
    let root = &spec.raw;
    let node = root.pointer(&meta.op.pointer()).unwrap_or(&Value::Null);
    let item = root
        .get("paths")
        .and_then(|p| p.get(&meta.op.path))
        .unwrap_or(&Value::Null);
    [node.get("parameters"), item.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| resolve(root, p))
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .map(|name| name.to_snake_case().to_kebab_case())
        .collect()
}

/// Which body fields get flags: progenitor's single values (anything with `FromStr`), and
/// ours, arrays of values with `FromStr`.
fn body_flags(
    space: &typify::TypeSpace,
    body_type: &str,
    params: &BTreeSet<String>,
) -> Result<BodyFlags, String> {
    let body = space
        .iter_types()
        .find(|t| t.name() == body_type)
        .ok_or_else(|| format!("no generated type `{body_type}` for a request body"))?;
    let typify::TypeDetails::Struct(strukt) = body.details() else {
        // Not an object: only --json-body can say it.
        return Ok(BodyFlags {
            arrays: Vec::new(),
            json_body_required: true,
        });
    };
    let mut flags = BodyFlags::default();
    for prop in strukt.properties_info() {
        let ty = space
            .get_type(&prop.type_id)
            .map_err(|e| format!("{body_type}.{}: {e}", prop.name))?;
        let inner = match ty.details() {
            typify::TypeDetails::Option(inner) => Some(inner),
            _ => None,
        };
        let ty = match inner {
            Some(inner) => space
                .get_type(&inner)
                .map_err(|e| format!("{body_type}.{}: {e}", prop.name))?,
            None => ty,
        };
        let arg = prop.name.to_kebab_case();
        let clashes = params.contains(&arg);
        let flagged = if ty.has_impl(TypeImpl::FromStr) {
            !clashes
        } else if let typify::TypeDetails::Vec(item_id) = ty.details() {
            let item = space
                .get_type(&item_id)
                .map_err(|e| format!("{body_type}.{}: {e}", prop.name))?;
            if item.has_impl(TypeImpl::FromStr) && !clashes {
                flags.arrays.push(ArrayFlag {
                    arg,
                    setter: format_ident!("{}", prop.name.to_snake_case()),
                    parser: value_parser(&item),
                    item: item.ident(),
                    required: prop.required,
                    help: prop.description.map(str::to_owned),
                });
                true
            } else {
                false
            }
        } else {
            false
        };
        if prop.required && !flagged {
            flags.json_body_required = true;
        }
    }
    Ok(flags)
}

/// progenitor's value parser for one value: the possible values of a plain enum, else
/// whatever clap picks for the type (its `FromStr`).
fn value_parser(ty: &typify::Type<'_>) -> TokenStream {
    let ident = ty.ident();
    if let typify::TypeDetails::Enum(e) = ty.details() {
        let variants: Option<Vec<_>> = e
            .variants()
            .map(|(name, details)| {
                matches!(details, typify::TypeEnumVariant::Simple).then(|| format_ident!("{name}"))
            })
            .collect();
        if let Some(variants) = variants {
            return quote! {
                ::clap::builder::TypedValueParser::map(
                    ::clap::builder::PossibleValuesParser::new([
                        #( #ident::#variants.to_string(), )*
                    ]),
                    |s| #ident::try_from(s).unwrap()
                )
            };
        }
    }
    quote!(::clap::value_parser!(#ident))
}

/// The spec's example of a JSON request body, as compact JSON.
fn example_body(root: &Value, body: &Value) -> Option<String> {
    let media = resolve(root, body).pointer("/content/application~1json")?;
    let example = media.get("example").or_else(|| {
        media
            .get("examples")
            .and_then(Value::as_object)
            .and_then(|examples| examples.values().next())
            .map(|example| resolve(root, example))
            .and_then(|example| example.get("value"))
    })?;
    serde_json::to_string(example).ok()
}

/// What the spec says about each parameter and body field of `meta`, by arg id: its own
/// description, else its schema's (following `$ref`), and the values an enum or
/// `x-known-values` schema lists.
fn spec_help(root: &Value, meta: &OperationMeta) -> BTreeMap<String, String> {
    let describe = |node: &Value| -> Option<String> {
        let schema = resolve(root, node.get("schema").unwrap_or(node));
        let text = node
            .get("description")
            .or_else(|| schema.get("description"))
            .and_then(Value::as_str)
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
        let values: Vec<&str> = schema
            .get("x-known-values")
            .or_else(|| schema.get("enum"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match (text, values.is_empty()) {
            (Some(text), true) => Some(text),
            (Some(text), false) => Some(format!("{text} Known values: {}.", values.join(", "))),
            (None, false) => Some(format!("Known values: {}.", values.join(", "))),
            (None, true) => None,
        }
    };
    let mut help = BTreeMap::new();
    let node = root.pointer(&meta.op.pointer()).unwrap_or(&Value::Null);
    let item = root
        .get("paths")
        .and_then(|p| p.get(&meta.op.path))
        .unwrap_or(&Value::Null);
    for param in [node.get("parameters"), item.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| resolve(root, p))
    {
        if let (Some(name), Some(text)) =
            (param.get("name").and_then(Value::as_str), describe(param))
        {
            help.entry(name.to_snake_case().to_kebab_case())
                .or_insert(text);
        }
    }
    let body = node
        .get("requestBody")
        .map(|b| resolve(root, b))
        .and_then(|b| b.pointer("/content/application~1json/schema"))
        .map(|s| resolve(root, s));
    let properties = body
        .and_then(|b| b.get("properties"))
        .and_then(Value::as_object);
    // A body of one field: the body's description is the field's.
    let only_field = properties
        .filter(|p| p.len() == 1)
        .and(body)
        .and_then(|b| b.get("description"))
        .and_then(Value::as_str);
    for (name, property) in properties.into_iter().flatten() {
        let items = resolve(root, property).get("items");
        let text = describe(property)
            .or_else(|| items.and_then(describe))
            .or_else(|| only_field.map(|d| d.split_whitespace().collect::<Vec<_>>().join(" ")));
        if let Some(text) = text {
            help.entry(name.to_kebab_case()).or_insert(text);
        }
    }
    help
}

/// JSON pointers of every API key or secret in the operation's success body.
fn secret_fields(root: &Value, operation: &Value) -> Vec<String> {
    let mut found = BTreeSet::new();
    for (status, response) in operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !status.starts_with('2') {
            continue;
        }
        if let Some(schema) = resolve(root, response).pointer("/content/application~1json/schema") {
            secrets_in(root, schema, String::new(), &mut found, 0);
        }
    }
    found.into_iter().collect()
}

fn secrets_in(root: &Value, schema: &Value, at: String, found: &mut BTreeSet<String>, depth: u32) {
    // Specs may be recursive; ours are not deep.
    if depth > 32 {
        return;
    }
    let schema = resolve(root, schema);
    if schema.get("type").and_then(Value::as_str) == Some("string")
        && matches!(
            schema.get("format").and_then(Value::as_str),
            Some(API_KEY_FORMAT | SECRET_FORMAT)
        )
    {
        found.insert(at.clone());
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        for part in schema
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            secrets_in(root, part, at.clone(), found, depth + 1);
        }
    }
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        secrets_in(
            root,
            property,
            format!("{at}/{}", escape(name)),
            found,
            depth + 1,
        );
    }
    if let Some(items) = schema.get("items") {
        secrets_in(root, items, format!("{at}/*"), found, depth + 1);
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        secrets_in(root, values, format!("{at}/*"), found, depth + 1);
    }
}

/// `/eab_set/hmac_key` -> `eab_set.hmac_key`, `/items/*/key` -> `items[*].key`, for help text.
fn readable_pointer(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        if segment == "*" {
            out.push_str("[*]");
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment.replace("~1", "/").replace("~0", "~"));
        }
    }
    if out.is_empty() {
        "the whole body".to_owned()
    } else {
        out
    }
}

fn extra_key(key: &KeyScheme) -> ExtraKey {
    let label = key.name.strip_suffix("ApiKey").unwrap_or(&key.name);
    let env_var = FAMILIES
        .iter()
        .find(|family| family.security_scheme == key.name)
        .map(|family| {
            let crate_ident = format_ident!("{CLIENT_CRATE}");
            let module = format_ident!("{}", family.name);
            quote!(#crate_ident::#module::Client::API_KEY_VAR)
        });
    ExtraKey {
        method: format_ident!("{}", key.method()),
        header: key.header.clone(),
        scheme: key.name.clone(),
        stem: format!("{}-key", label.to_lowercase()),
        env_var,
    }
}

/// Rewrites progenitor's CLI file in place; an error names what it did not recognise.
fn rewrite(file: &mut syn::File, ops: &[CliOp<'_>]) -> Result<(), String> {
    let by_id: BTreeMap<&str, &CliOp<'_>> =
        ops.iter().map(|op| (op.meta.op.id.as_str(), op)).collect();
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    for item in std::mem::take(&mut file.items) {
        match item {
            // `use anyhow::Context as _;`: only progenitor's JSON-file reading used it.
            Item::Use(u) if quote!(#u).to_string().contains("anyhow") => {}
            Item::Impl(mut imp) if impl_name(&imp).as_deref() == Some("Cli") => {
                rewrite_cli_impl(&mut imp, &by_id, &mut seen)?;
                items.push(Item::Impl(imp));
            }
            Item::Impl(mut imp) if impl_name(&imp).as_deref() == Some("CliCommand") => {
                rewrite_command_impl(&mut imp, ops)?;
                items.push(Item::Impl(imp));
            }
            Item::Trait(t) if t.ident == "CliConfig" => {
                items.push(Item::Trait(config_trait(&t)?));
            }
            other => items.push(other),
        }
    }
    for op in ops {
        for what in ["cli", "execute"] {
            if !seen.contains(&format!("{what}_{}", op.meta.op.id)) {
                return Err(format!(
                    "no `{what}_{}` in progenitor's output",
                    op.meta.op.id
                ));
            }
        }
    }
    let ids = [
        (
            "JSON_BODY",
            args::JSON_BODY,
            "`--json-body FILE|-`: the whole request body.",
        ),
        (
            "JSON_BODY_TEMPLATE",
            args::JSON_BODY_TEMPLATE,
            "`--json-body-template`: print the spec's example body and exit.",
        ),
        ("ALL", args::ALL, "`--all`: every page of a paged list."),
        (
            "SECRETS_FILE",
            args::SECRETS_FILE,
            "`--secrets-file PATH`: where a response that holds a key or secret goes.",
        ),
    ]
    .map(|(name, id, doc)| {
        let name = format_ident!("{name}");
        let doc = format!(" {doc}");
        quote!(#[doc = #doc] pub const #name: &str = #id;)
    });
    items.push(syn::parse_quote! {
        /// The ids of the flags digicert-codegen adds to progenitor's commands, for the host
        /// to read them by.
        pub mod args {
            #(#ids)*
        }
    });
    file.items = items;
    Ok(())
}

fn impl_name(imp: &syn::ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn rewrite_cli_impl(
    imp: &mut syn::ItemImpl,
    by_id: &BTreeMap<&str, &CliOp<'_>>,
    seen: &mut BTreeSet<String>,
) -> Result<(), String> {
    for item in &mut imp.items {
        let ImplItem::Fn(f) = item else { continue };
        let name = f.sig.ident.to_string();
        if let Some(op) = name.strip_prefix("cli_").and_then(|id| by_id.get(id)) {
            rewrite_cli_fn(f, op)?;
            seen.insert(name);
        } else if let Some(op) = name.strip_prefix("execute_").and_then(|id| by_id.get(id)) {
            rewrite_execute_fn(f, op)?;
            seen.insert(name);
        }
    }
    Ok(())
}

/// A method-call chain `root.a(x).b(y)` as `(root, [(a, [x]), (b, [y])])`.
fn flatten(expr: &Expr) -> (Expr, Vec<(syn::Ident, Vec<Expr>)>) {
    let mut calls = Vec::new();
    let mut current = expr;
    while let Expr::MethodCall(call) = current {
        calls.push((call.method.clone(), call.args.iter().cloned().collect()));
        current = &call.receiver;
    }
    calls.reverse();
    (current.clone(), calls)
}

fn chain(root: Expr, calls: Vec<(syn::Ident, Vec<Expr>)>) -> Expr {
    calls.into_iter().fold(
        root,
        |receiver, (method, args)| syn::parse_quote!(#receiver.#method(#(#args),*)),
    )
}

fn string_lit(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// The id of `::clap::Arg::new("id")...`.
fn arg_id(arg: &Expr) -> Option<String> {
    let (root, _) = flatten(arg);
    match root {
        Expr::Call(call) => call.args.first().and_then(string_lit),
        _ => None,
    }
}

/// `cli_<operation>`: names the command, adds our flags, makes required flags optional
/// with `--json-body-template`, and splits the about text.
fn rewrite_cli_fn(f: &mut syn::ImplItemFn, op: &CliOp<'_>) -> Result<(), String> {
    let id = &op.meta.op.id;
    let Some(Stmt::Expr(expr, None)) = f.block.stmts.last() else {
        return Err(format!("cli_{id}: does not end in a command expression"));
    };
    let (_, calls) = flatten(expr);
    let has_template = op.template.is_some();
    let mut args = Vec::new();
    let mut about = None;
    for (method, call_args) in calls {
        match method.to_string().as_str() {
            "arg" => {
                let [arg] = call_args.as_slice() else {
                    return Err(format!(
                        "cli_{id}: `.arg` with {} arguments",
                        call_args.len()
                    ));
                };
                let arg_name =
                    arg_id(arg).ok_or_else(|| format!("cli_{id}: an arg without an id"))?;
                if arg_name == args::JSON_BODY || arg_name == args::JSON_BODY_TEMPLATE {
                    continue;
                }
                args.push(with_help(
                    required_unless_template(arg, has_template),
                    op.help.get(&arg_name),
                ));
            }
            "about" => {
                about = call_args.first().and_then(string_lit);
            }
            other => {
                return Err(format!(
                    "cli_{id}: unexpected `.{other}(..)` on the command"
                ));
            }
        }
    }
    // Path and query parameters first, then body fields (progenitor sorts them together).
    args.sort_by_key(|arg| !arg_id(arg).is_some_and(|id| op.params.contains(&id)));
    let taken: BTreeSet<String> = args.iter().filter_map(arg_id).collect();
    for ours in [
        args::ALL,
        args::SECRETS_FILE,
        args::JSON_BODY,
        args::JSON_BODY_TEMPLATE,
    ] {
        if taken.contains(ours) {
            return Err(format!(
                "cli_{id}: a parameter or body field is called `{ours}`, which the CLI uses for its own flag"
            ));
        }
    }
    for array in &op.body.arrays {
        let arg = &array.arg;
        let parser = &array.parser;
        let value_name = arg.to_shouty_snake_case();
        let required = if array.required {
            let ids = [args::JSON_BODY, args::JSON_BODY_TEMPLATE];
            quote!(.required_unless_present_any([#(#ids),*]))
        } else {
            quote!(.required(false))
        };
        let described = array.help.as_ref().or_else(|| op.help.get(arg));
        let help = match described {
            Some(text) => format!("{text} Repeat the flag or separate values with commas."),
            None => "Repeat the flag or separate values with commas.".to_owned(),
        };
        args.push(syn::parse_quote! {
            ::clap::Arg::new(#arg)
                .long(#arg)
                .value_name(#value_name)
                .value_parser(#parser)
                .action(::clap::ArgAction::Append)
                .value_delimiter(',')
                #required
                .help(#help)
        });
    }
    for key in &op.extra_keys {
        let file = format!("{}-file", key.stem);
        let stdin = format!("{}-stdin", key.stem);
        let header = &key.header;
        let scheme = &key.scheme;
        let file_help = match &key.env_var {
            Some(var) => quote!(::std::format!(
                "File that holds the second API key this operation needs, sent as {} ({}); without this flag or --{}, the environment variable {} is read. Never pass a key as a command-line value.",
                #header, #scheme, #stdin, #var
            )),
            None => quote!(::std::format!(
                "File that holds the second API key this operation needs, sent as {} ({}). Never pass a key as a command-line value.",
                #header, #scheme
            )),
        };
        let stdin_help = format!("Read the second API key ({header}) from standard input.");
        args.push(syn::parse_quote! {
            ::clap::Arg::new(#file)
                .long(#file)
                .value_name("PATH")
                .value_parser(::clap::value_parser!(::std::path::PathBuf))
                .help(#file_help)
        });
        args.push(syn::parse_quote! {
            ::clap::Arg::new(#stdin)
                .long(#stdin)
                .action(::clap::ArgAction::SetTrue)
                .conflicts_with(#file)
                .help(#stdin_help)
        });
    }
    if op.meta.pagination.is_some() {
        let all = args::ALL;
        args.push(syn::parse_quote! {
            ::clap::Arg::new(#all)
                .long(#all)
                .action(::clap::ArgAction::SetTrue)
                .help("Fetch every page (--limit sets the page size, --offset where to start) and print all items as one JSON array.")
        });
    }
    if !op.secrets.is_empty() {
        let secrets = args::SECRETS_FILE;
        let fields: Vec<String> = op.secrets.iter().map(|p| readable_pointer(p)).collect();
        let fields = fields.join(", ");
        let help = format!(
            "Where to write the whole response: it holds a key or secret that DigiCert shows only once ({fields}). The file must not exist yet; it is created readable by you alone. Standard output shows these fields redacted. Required unless --dry-run."
        );
        args.push(syn::parse_quote! {
            ::clap::Arg::new(#secrets)
                .long(#secrets)
                .value_name("PATH")
                .value_parser(::clap::value_parser!(::std::path::PathBuf))
                .help(#help)
        });
    }
    if has_template {
        let body = args::JSON_BODY;
        let template = args::JSON_BODY_TEMPLATE;
        let required = if op.body.json_body_required {
            quote!(.required_unless_present(#template))
        } else {
            quote!(.required(false))
        };
        args.push(syn::parse_quote! {
            ::clap::Arg::new(#body)
                .long(#body)
                .value_name("FILE")
                .value_parser(::clap::value_parser!(::std::path::PathBuf))
                #required
                .help("The whole request body as JSON, from FILE or - for standard input. Flags given as well set their fields over it.")
        });
        args.push(syn::parse_quote! {
            ::clap::Arg::new(#template)
                .long(#template)
                .action(::clap::ArgAction::SetTrue)
                .help("Print an example request body (the API spec's example) to start a --json-body file from, and exit.")
        });
    }
    let name = &op.name;
    let about = about.ok_or_else(|| format!("cli_{id}: the command has no about text"))?;
    let summary = about.split("\n\n").next().unwrap_or_default().to_owned();
    let expr: Expr = syn::parse_quote! {
        ::clap::Command::new(#name)
            #(.arg(#args))*
            .about(#summary)
            .long_about(#about)
    };
    f.block.stmts = vec![Stmt::Expr(expr, None)];
    Ok(())
}

/// Adds `.help(text)` to an arg that has none.
fn with_help(arg: Expr, text: Option<&String>) -> Expr {
    let (root, mut calls) = flatten(&arg);
    match text {
        Some(text) if !calls.iter().any(|(m, _)| m == "help") => {
            calls.push((format_ident!("help"), vec![syn::parse_quote!(#text)]));
            chain(root, calls)
        }
        _ => arg,
    }
}

/// `.required(true)` -> required unless `--json-body-template`; `.required_unless_present
/// ("json-body")` -> unless either. Every value also gets an upper-case value name
/// (`--subaccount-id <SUBACCOUNT_ID>`), as clap's own help writes them.
fn required_unless_template(arg: &Expr, has_template: bool) -> Expr {
    let (root, mut calls) = flatten(arg);
    if let Some(id) = arg_id(arg)
        && !calls
            .iter()
            .any(|(m, _)| m == "value_name" || m == "action")
    {
        let name = id.to_shouty_snake_case();
        calls.insert(
            1,
            (format_ident!("value_name"), vec![syn::parse_quote!(#name)]),
        );
    }
    if !has_template {
        return chain(root, calls);
    }
    let body = args::JSON_BODY;
    let template = args::JSON_BODY_TEMPLATE;
    let calls = calls
        .into_iter()
        .map(|(method, call_args)| {
            let is_true = matches!(call_args.first(), Some(Expr::Lit(syn::ExprLit { lit: Lit::Bool(b), .. })) if b.value);
            match method.to_string().as_str() {
                "required" if is_true => (
                    format_ident!("required_unless_present"),
                    vec![syn::parse_quote!(#template)],
                ),
                "required_unless_present"
                    if call_args.first().and_then(string_lit).as_deref() == Some(body) =>
                {
                    (
                        format_ident!("required_unless_present_any"),
                        vec![syn::parse_quote!([#body, #template])],
                    )
                }
                _ => (method, call_args),
            }
        })
        .collect();
    chain(root, calls)
}

/// `execute_<operation>`: the JSON body first, flags over it, the second key, the dry run,
/// `--all`, then the call.
fn rewrite_execute_fn(f: &mut syn::ImplItemFn, op: &CliOp<'_>) -> Result<(), String> {
    let id = &op.meta.op.id;
    let mut request = None;
    let mut json_type = None;
    let mut consumers = Vec::new();
    let mut hook = None;
    let mut sent = false;
    for stmt in std::mem::take(&mut f.block.stmts) {
        let text = quote!(#stmt).to_string();
        match &stmt {
            Stmt::Local(local) if text.starts_with("let mut request") => {
                let _ = local;
                request = Some(stmt);
            }
            Stmt::Local(_) if text.starts_with("let result") => sent = true,
            Stmt::Expr(Expr::If(_), _) if text.contains("\"json-body\"") => {
                let mut finder = FromStrTurbofish(None);
                syn::visit::Visit::visit_stmt(&mut finder, &stmt);
                json_type = Some(
                    finder
                        .0
                        .ok_or_else(|| format!("execute_{id}: no body type for --json-body"))?,
                );
            }
            Stmt::Expr(Expr::If(_), _) => consumers.push(stmt),
            Stmt::Expr(Expr::Try(_), Some(_)) if text.contains("self . config . execute_") => {
                hook = Some(stmt);
            }
            Stmt::Expr(Expr::Match(_), None) if sent => {}
            _ => {
                return Err(format!(
                    "execute_{id}: unexpected statement in progenitor's output: {text}"
                ));
            }
        }
    }
    let request = request.ok_or_else(|| format!("execute_{id}: no `let mut request`"))?;
    let hook = hook.ok_or_else(|| format!("execute_{id}: no call of the config hook"))?;
    if !sent {
        return Err(format!("execute_{id}: the request is never sent"));
    }
    if json_type.is_some() != op.template.is_some() {
        return Err(format!(
            "execute_{id}: progenitor and the spec disagree on whether it takes a JSON body"
        ));
    }
    let mut stmts = vec![request];
    if let Some(name) = json_type {
        let ty = format_ident!("{name}");
        stmts.push(syn::parse_quote! {
            if let Some(value) = self.config.json_body::<types::#ty>(matches)? {
                request = request.body(value);
            }
        });
    }
    stmts.extend(consumers);
    for array in &op.body.arrays {
        let arg = &array.arg;
        let item = &array.item;
        let setter = &array.setter;
        stmts.push(syn::parse_quote! {
            if let Some(values) = matches.get_many::<#item>(#arg) {
                let values: ::std::vec::Vec<#item> = values.cloned().collect();
                request = request.body_map(|body| body.#setter(values));
            }
        });
    }
    for key in &op.extra_keys {
        let method = &key.method;
        let header = &key.header;
        let stem = &key.stem;
        let env_var = match &key.env_var {
            Some(var) => quote!(::std::option::Option::Some(#var)),
            None => quote!(::std::option::Option::None),
        };
        stmts.push(syn::parse_quote! {
            request = request.#method(self.config.extra_key(matches, #header, #stem, #env_var)?);
        });
    }
    stmts.push(hook);
    if op.meta.pagination.is_some() {
        let all = args::ALL;
        // `stream()` asks for every page with an explicit offset, the first one included:
        // the dry run shows that first request.
        stmts.push(syn::parse_quote! {
            if self.config.dry_run() && matches.get_flag(#all) && matches.get_one::<i64>("offset").is_none() {
                request = request.offset(0i64);
            }
        });
    }
    stmts.push(syn::parse_quote! {
        if self.config.dry_run() {
            return self.config.preview(request.preview());
        }
    });
    if op.meta.pagination.is_some() {
        let page =
            op.meta.success_schema.as_deref().ok_or_else(|| {
                format!("execute_{id}: a paged list without a `$ref` success body")
            })?;
        let page = format_ident!("{page}");
        let all = args::ALL;
        stmts.push(syn::parse_quote! {
            if matches.get_flag(#all) {
                let mut stream = request.stream();
                self.config.list_start::<<types::#page as #CLIENT_PAGE>::Item>()?;
                loop {
                    match stream.next_item().await {
                        ::std::option::Option::None => {
                            return self.config.list_end_success::<<types::#page as #CLIENT_PAGE>::Item>();
                        }
                        ::std::option::Option::Some(::std::result::Result::Ok(value)) => {
                            self.config.list_item(&value, stream.total())?;
                        }
                        ::std::option::Option::Some(::std::result::Result::Err(r)) => {
                            self.config.list_end_error(&r);
                            return ::std::result::Result::Err(anyhow::Error::new(r));
                        }
                    }
                }
            }
        });
    }
    let success: Stmt = if op.meta.success_body {
        syn::parse_quote!(self.config.success_item(&r)?;)
    } else {
        syn::parse_quote!(self.config.success_no_item(&r)?;)
    };
    stmts.push(syn::parse_quote!(let result = request.send().await;));
    stmts.push(Stmt::Expr(
        syn::parse_quote! {
            match result {
                Ok(r) => {
                    #success
                    Ok(())
                }
                Err(r) => {
                    self.config.error(&r);
                    Err(anyhow::Error::new(r))
                }
            }
        },
        None,
    ));
    f.block.stmts = stmts;
    Ok(())
}

/// `digicert::pagination::Page`, the trait that names a page's item type.
struct ClientPage;

const CLIENT_PAGE: ClientPage = ClientPage;

impl quote::ToTokens for ClientPage {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let krate = format_ident!("{CLIENT_CRATE}");
        tokens.extend(quote!(#krate::pagination::Page));
    }
}

/// progenitor's `CliConfig` with our types, plus what the host provides.
fn config_trait(progenitor: &syn::ItemTrait) -> Result<syn::ItemTrait, String> {
    let krate = format_ident!("{CLIENT_CRATE}");
    let mut hooks = Vec::new();
    for item in &progenitor.items {
        let TraitItem::Fn(f) = item else {
            return Err("CliConfig has an item that is not a method".into());
        };
        if !f.sig.ident.to_string().starts_with("execute_") {
            continue;
        }
        let mut f = f.clone();
        // The default does nothing with its arguments.
        for input in &mut f.sig.inputs {
            if let syn::FnArg::Typed(typed) = input
                && let syn::Pat::Ident(name) = &mut *typed.pat
            {
                name.ident = format_ident!("_{}", name.ident);
            }
        }
        f.attrs.push(syn::parse_quote!(
            #[doc = " Called after the flags and the JSON body are applied, before the request is sent or previewed: a place to change the request."]
        ));
        hooks.push(f);
    }
    Ok(syn::parse_quote! {
        /// What a command needs from its host: where output goes, the JSON body, the dry
        /// run and keys beyond the client's own. (progenitor's `CliConfig`, rewritten for the
        /// `digicert` client by digicert-codegen.)
        pub trait CliConfig {
            /// A success answer with a body.
            fn success_item<T>(&self, value: &#krate::Response<T>) -> anyhow::Result<()>
            where
                T: serde::Serialize + std::fmt::Debug;
            /// A success answer without a body.
            fn success_no_item(&self, value: &#krate::Response<()>) -> anyhow::Result<()>;
            /// A failed call (it is returned as the command's error as well).
            fn error(&self, value: &#krate::Error);
            /// `--all`: before the first item.
            fn list_start<T>(&self) -> anyhow::Result<()>
            where
                T: serde::Serialize + std::fmt::Debug;
            /// `--all`: one item, with the list's total as the last page reported it.
            fn list_item<T>(&self, value: &T, total: ::std::option::Option<i64>) -> anyhow::Result<()>
            where
                T: serde::Serialize + std::fmt::Debug;
            /// `--all`: after the last item.
            fn list_end_success<T>(&self) -> anyhow::Result<()>
            where
                T: serde::Serialize + std::fmt::Debug;
            /// `--all`: a page failed (it is returned as the command's error as well).
            fn list_end_error(&self, value: &#krate::Error);
            /// `--json-body FILE|-`, parsed, if given.
            fn json_body<T>(&self, matches: &::clap::ArgMatches) -> anyhow::Result<::std::option::Option<T>>
            where
                T: serde::de::DeserializeOwned;
            /// Whether to preview the request instead of sending it.
            fn dry_run(&self) -> bool;
            /// `--dry-run`: the request that would have been sent.
            fn preview(&self, preview: #krate::Result<#krate::RequestPreview>) -> anyhow::Result<()>;
            /// A second key the operation needs: `header` is where it goes, the flags are
            /// `--<stem>-file` and `--<stem>-stdin`, `env_var` the fallback.
            fn extra_key(
                &self,
                matches: &::clap::ArgMatches,
                header: &str,
                stem: &str,
                env_var: ::std::option::Option<&'static str>,
            ) -> anyhow::Result<#krate::ApiKey>;
            #(#hooks)*
        }
    })
}

/// `impl CliCommand`: `iter()` in spec order, and the facts the host needs per command.
fn rewrite_command_impl(imp: &mut syn::ItemImpl, ops: &[CliOp<'_>]) -> Result<(), String> {
    let krate = format_ident!("{CLIENT_CRATE}");
    let variant = |op: &CliOp<'_>| {
        format_ident!(
            "{}",
            heck::ToPascalCase::to_pascal_case(op.meta.op.id.as_str())
        )
    };
    let variants: Vec<_> = ops.iter().map(variant).collect();
    let mut found_iter = false;
    for item in &mut imp.items {
        if let ImplItem::Fn(f) = item
            && f.sig.ident == "iter"
        {
            found_iter = true;
            f.block = syn::parse_quote!({ vec![#(CliCommand::#variants,)*].into_iter() });
            f.attrs
                .push(syn::parse_quote!(#[doc = " Every command, in spec order."]));
        }
    }
    if !found_iter {
        return Err("CliCommand has no `iter`".into());
    }
    let names = ops.iter().map(|op| &op.name);
    let indexes = ops.iter().map(|op| op.index);
    let templates = ops.iter().map(|op| match &op.template {
        Some(t) => quote!(::std::option::Option::Some(#t)),
        None => quote!(::std::option::Option::None),
    });
    let secrets = ops.iter().map(|op| {
        let fields = &op.secrets;
        quote!(&[#(#fields),*])
    });
    let items = ops.iter().map(|op| match &op.meta.pagination {
        Some(p) => {
            let items = &p.items;
            quote!(::std::option::Option::Some(#items))
        }
        None => quote!(::std::option::Option::None),
    });
    let added: syn::ItemImpl = syn::parse_quote! {
        impl CliCommand {
            /// The command's name: the operationId in kebab case.
            pub fn name(&self) -> &'static str {
                match self { #(CliCommand::#variants => #names,)* }
            }
            /// The operation, as the client describes it.
            pub fn operation(&self) -> &'static #krate::Operation {
                match self { #(CliCommand::#variants => &OPERATIONS[#indexes],)* }
            }
            /// The spec's example request body (compact JSON), for `--json-body-template`.
            pub fn json_body_template(&self) -> ::std::option::Option<&'static str> {
                match self { #(CliCommand::#variants => #templates,)* }
            }
            /// JSON pointers of the API keys and secrets in the success body (`*` stands
            /// for any array element): what must never reach standard output.
            pub fn secret_fields(&self) -> &'static [&'static str] {
                match self { #(CliCommand::#variants => #secrets,)* }
            }
            /// For paged lists: the body's array that holds the items.
            pub fn page_items(&self) -> ::std::option::Option<&'static str> {
                match self { #(CliCommand::#variants => #items,)* }
            }
        }
    };
    imp.items.extend(added.items);
    Ok(())
}

/// `crate::...` in progenitor's output meant the client crate (open enums, converted
/// formats); here it is `digicert::...`. The generated CLI never names its own crate.
fn crate_to_client(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) if ident == "crate" => {
                proc_macro2::TokenTree::Ident(proc_macro2::Ident::new(CLIENT_CRATE, ident.span()))
            }
            proc_macro2::TokenTree::Group(group) => {
                let mut new =
                    proc_macro2::Group::new(group.delimiter(), crate_to_client(group.stream()));
                new.set_span(group.span());
                proc_macro2::TokenTree::Group(new)
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(family: &Family) -> Spec {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        crate::load(&root.join(family.spec)).expect("the spec loads")
    }

    fn operation<'a>(spec: &'a Spec, id: &str) -> &'a Value {
        let op = crate::operations(&spec.openapi)
            .into_iter()
            .find(|op| op.id == id)
            .expect("the operation exists");
        spec.raw.pointer(&op.pointer()).expect("its node")
    }

    #[test]
    fn secret_fields_follow_refs_into_the_success_body() {
        let partner = spec(&crate::PARTNER);
        assert_eq!(
            secret_fields(&partner.raw, operation(&partner, "create_subaccount")),
            ["/api_key/api_key"]
        );
        assert_eq!(
            secret_fields(
                &partner.raw,
                operation(&partner, "regenerate_acme_credentials")
            ),
            ["/eab_set/hmac_key"]
        );
        assert!(secret_fields(&partner.raw, operation(&partner, "list_api_keys")).is_empty());
        let services = spec(&crate::SERVICES);
        assert_eq!(
            secret_fields(&services.raw, operation(&services, "create_subaccount")),
            ["/api_key"]
        );
    }

    #[test]
    fn arrays_of_secrets_are_wildcards() {
        let root = serde_json::json!({
            "components": {"schemas": {"Key": {"type": "string", "format": API_KEY_FORMAT}}},
        });
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "keys": {"type": "array", "items": {"$ref": "#/components/schemas/Key"}},
                "a/b": {"allOf": [{"type": "string", "format": SECRET_FORMAT}]},
                "plain": {"type": "string"}
            }
        });
        let mut found = BTreeSet::new();
        secrets_in(&root, &schema, String::new(), &mut found, 0);
        assert_eq!(found.into_iter().collect::<Vec<_>>(), ["/a~1b", "/keys/*"]);
    }

    #[test]
    fn pointers_read_as_paths_in_help() {
        assert_eq!(readable_pointer("/eab_set/hmac_key"), "eab_set.hmac_key");
        assert_eq!(readable_pointer("/keys/*/value"), "keys[*].value");
        assert_eq!(readable_pointer("/a~1b"), "a/b");
        assert_eq!(readable_pointer(""), "the whole body");
    }

    #[test]
    fn every_json_body_has_its_example_as_template() {
        let partner = spec(&crate::PARTNER);
        let body = operation(&partner, "update_account_setting")
            .get("requestBody")
            .expect("a body");
        assert_eq!(
            example_body(&partner.raw, body).as_deref(),
            Some(r#"{"name":"auto_renew_subscription","value":"1"}"#)
        );
    }

    #[test]
    fn crate_paths_name_the_client_even_inside_macros() {
        let tokens = quote!(
            fn f() {
                let _ = value_parser!(crate::EmailList);
                crate::x();
            }
        );
        assert_eq!(
            crate_to_client(tokens).to_string(),
            quote!(
                fn f() {
                    let _ = value_parser!(digicert::EmailList);
                    digicert::x();
                }
            )
            .to_string()
        );
    }
}
