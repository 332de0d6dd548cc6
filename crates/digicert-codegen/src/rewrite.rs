//! The render step's second half: progenitor writes the request builders, types and
//! documentation; this module rewrites the parts of its output that must be ours.
//!
//! - Every builder's `send()` keeps progenitor's request construction (URL, path escaping,
//!   query parameters, typed body) in a private `build_request()`, and hands the builder and
//!   that function to the hand-written runtime (`crate::transport`), which builds each
//!   attempt's request, adds the key, retries, rate-limits, traces and decodes. `send()` returns `crate::Result<crate::Response<T>>`: users never see
//!   `progenitor_client::Error` or `ResponseValue`.
//! - progenitor's `api-version` header goes (DigiCert documents none), its `ClientHooks`
//!   plumbing and its public `Client::new`/`new_with_client` go (they would skip the base-URL
//!   check and `unwrap()` inside); the client is built only through `crate::ClientBuilder`.
//! - The facts the runtime needs come from the spec: one `Operation` per operation in
//!   `OPERATIONS`, the key header and the server URLs as constants.
//! - Spec extensions progenitor does not know: `x-known-values` schemas become open enums,
//!   `x-aliases` become serde aliases, `x-pagination` adds `stream()`, an AND security
//!   requirement adds a required, redacted key parameter to that one builder.

use std::collections::BTreeMap;

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{
    Expr, Fields, FnArg, GenericArgument, ImplItem, Item, Pat, PathArguments, ReturnType, Stmt,
    Type,
};

use crate::meta::{KeyScheme, OperationMeta};
use crate::{Family, Spec};

/// What the rewrite reads from the spec.
pub(crate) struct Context<'a> {
    pub(crate) family: &'a Family,
    pub(crate) spec: &'a Spec,
    pub(crate) ops: &'a [OperationMeta],
    pub(crate) scheme: &'a KeyScheme,
}

/// An `x-known-values` schema: a string type whose values DigiCert may extend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenEnum {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) values: Vec<String>,
}

/// Every `x-known-values` component schema of `spec`, by name.
pub(crate) fn open_enums(spec: &Spec) -> Vec<OpenEnum> {
    spec.raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let values = schema.get("x-known-values")?.as_array()?;
            Some(OpenEnum {
                name: name.clone(),
                description: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                values: values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

/// The Rust path of the open enum generated for schema `name` of `family`.
pub(crate) fn open_enum_path(family: &Family, name: &str) -> String {
    format!("crate::{}::types::{name}", family.name)
}

/// A Rust variant name for a known value: `ssl_dv_rapidssl` -> `SslDvRapidssl`; values
/// that do not start with a letter get a `Value` prefix.
fn variant_name(value: &str) -> String {
    let pascal = value.to_pascal_case();
    if pascal.starts_with(|c: char| c.is_ascii_alphabetic()) {
        pascal
    } else {
        format!("Value{pascal}")
    }
}

/// `(schema, property, aliases)` for every property that says `x-aliases`.
fn aliases(spec: &Spec) -> Vec<(String, String, Vec<String>)> {
    let mut found = Vec::new();
    for (schema_name, schema) in spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (property, node) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(list) = node.get("x-aliases").and_then(Value::as_array) {
                let names = list
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                found.push((schema_name.clone(), property.clone(), names));
            }
        }
    }
    found
}

/// Rewrites progenitor's client file in place. Returns an error naming what progenitor
/// emitted that the rewrite did not recognise (a progenitor upgrade changed its output).
pub(crate) fn rewrite_client(file: &mut syn::File, ctx: &Context<'_>) -> Result<(), String> {
    let mut items = Vec::new();
    let mut seen_builder = false;
    for item in std::mem::take(&mut file.items) {
        match item {
            // `pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};`
            // and the private `use progenitor_client::{...}`: replaced below.
            Item::Use(u) if use_root(&u) == Some("progenitor_client") => {}
            Item::Mod(mut m) if m.ident == "types" => {
                rewrite_types(&mut m, ctx)?;
                items.push(Item::Mod(m));
            }
            Item::Mod(mut m) if m.ident == "builder" => {
                rewrite_builders(&mut m, ctx)?;
                seen_builder = true;
                items.push(Item::Mod(m));
            }
            // `impl Client { pub fn new(..); pub fn new_with_client(..) }`
            Item::Impl(i) if is_client_impl(&i) && has_fn(&i, "new_with_client") => {}
            // `impl ClientInfo<..> for Client` and `impl ClientHooks<..> for &Client`.
            Item::Impl(i) if i.trait_.is_some() => {}
            // `const _: () = { fn assert_client_hooks() where Client: ClientHooks<..> {} };`
            Item::Const(c) if c.ident == "_" => {}
            other => items.push(other),
        }
    }
    if !seen_builder {
        return Err("progenitor's output has no `builder` module (is the Builder interface still selected?)".into());
    }
    let header = &ctx.scheme.header;
    let family_name = ctx.family.name;
    let always_content_type = ctx.family.always_send_content_type;
    let servers = servers(ctx.spec);
    let default_url = servers
        .first()
        .map(|(url, _)| url.clone())
        .ok_or("the spec has no `servers`: the first one is the client's default base URL")?;
    let server_consts = servers.iter().enumerate().map(|(index, (url, name))| {
        let (ident, doc) = match (index, name) {
            (0, _) => (
                format_ident!("PRODUCTION_URL"),
                format!(" DigiCert's base URL for this API (the default): `{url}`."),
            ),
            (_, Some(name)) => (
                format_ident!("{name}"),
                format!(" Another documented base URL of this API: `{url}`."),
            ),
            (_, None) => unreachable!("servers() names every server after the first"),
        };
        quote! {
            #[doc = #doc]
            pub const #ident: &'static str = #url;
        }
    });
    let operations = ctx.ops.iter().map(operation_tokens);
    let added: syn::File = syn::parse2(quote! {
        #[allow(unused_imports)]
        use progenitor_client::{encode_path, RequestBuilderExt};

        impl Client {
            /// The header that carries this API's key, as the spec's security scheme names it.
            pub const API_KEY_HEADER: &'static str = #header;
            #(#server_consts)*

            pub(crate) const FAMILY: crate::transport::Family = crate::transport::Family {
                name: #family_name,
                api_key_header: #header,
                default_url: #default_url,
                always_send_content_type: #always_content_type,
            };

            pub(crate) fn from_transport(transport: crate::transport::Transport) -> Self {
                Self {
                    baseurl: transport.base_url().to_owned(),
                    client: transport.http().clone(),
                    inner: transport,
                }
            }
        }

        /// Every operation of this API as the spec describes it, in spec order: what the
        /// client's runtime reads to send, retry and decode each call.
        pub const OPERATIONS: &[crate::Operation] = &[#(#operations),*];
    })
    .map_err(|e| format!("added items do not parse: {e}"))?;
    // The added `use` goes first, the rest after progenitor's items.
    let mut added = added.items.into_iter();
    let mut out: Vec<Item> = added.next().into_iter().collect();
    out.extend(items);
    out.extend(added);
    file.items = out;
    Ok(())
}

/// `(url, constant name)` of every server; the first is the default, the others need
/// `x-const` (e.g. `EU_URL`).
fn servers(spec: &Spec) -> Vec<(String, Option<String>)> {
    spec.raw
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|server| {
            let url = server.get("url").and_then(Value::as_str)?;
            let name = server
                .get("x-const")
                .and_then(Value::as_str)
                .map(str::to_owned);
            Some((url.trim_end_matches('/').to_owned(), name))
        })
        .enumerate()
        .filter(|(index, (_, name))| *index == 0 || name.is_some())
        .map(|(_, server)| server)
        .collect()
}

fn operation_tokens(meta: &OperationMeta) -> TokenStream {
    let id = &meta.op.id;
    let method = &meta.op.method;
    let path = &meta.op.path;
    let success = &meta.success;
    let success_body = meta.success_body;
    let idempotent = meta.idempotent;
    let scope = match meta.key_scope.as_deref() {
        Some("parent") => quote!(crate::KeyScope::Parent),
        Some("subaccount") => quote!(crate::KeyScope::Subaccount),
        Some(_) => quote!(crate::KeyScope::Any),
        None => quote!(crate::KeyScope::Any),
    };
    let paginated = meta.pagination.is_some();
    let extra_headers = meta.extra_keys.iter().map(|k| &k.header);
    quote! {
        crate::Operation {
            id: #id,
            method: #method,
            path: #path,
            success: &[#(#success),*],
            success_body: #success_body,
            idempotent: #idempotent,
            key_scope: #scope,
            paginated: #paginated,
            extra_key_headers: &[#(#extra_headers),*],
        }
    }
}

fn use_root(u: &syn::ItemUse) -> Option<&'static str> {
    match &u.tree {
        syn::UseTree::Path(p) if p.ident == "progenitor_client" => Some("progenitor_client"),
        _ => None,
    }
}

fn is_client_impl(i: &syn::ItemImpl) -> bool {
    i.trait_.is_none() && matches!(&*i.self_ty, Type::Path(p) if p.path.is_ident("Client"))
}

fn has_fn(i: &syn::ItemImpl, name: &str) -> bool {
    i.items
        .iter()
        .any(|item| matches!(item, ImplItem::Fn(f) if f.sig.ident == name))
}

/// Open enums and serde aliases in `pub mod types`.
fn rewrite_types(module: &mut syn::ItemMod, ctx: &Context<'_>) -> Result<(), String> {
    let Some((_, items)) = module.content.as_mut() else {
        return Err("`types` is not an inline module".into());
    };
    for (schema, property, names) in aliases(ctx.spec) {
        let field_ident = property.to_snake_case();
        let strukt = items
            .iter_mut()
            .find_map(|item| match item {
                Item::Struct(s) if s.ident == schema => Some(s),
                _ => None,
            })
            .ok_or_else(|| format!("x-aliases: no generated struct `{schema}`"))?;
        let Fields::Named(fields) = &mut strukt.fields else {
            return Err(format!(
                "x-aliases: `{schema}` is not a struct with named fields"
            ));
        };
        let field = fields
            .named
            .iter_mut()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == &field_ident))
            .ok_or_else(|| format!("x-aliases: `{schema}` has no field `{field_ident}`"))?;
        for name in names {
            field.attrs.push(syn::parse_quote!(#[serde(alias = #name)]));
        }
    }
    for meta in ctx.ops {
        let Some(pagination) = &meta.pagination else {
            continue;
        };
        let id = &meta.op.id;
        let schema = meta
            .success_schema
            .as_deref()
            .ok_or_else(|| format!("{id}: x-pagination needs a `$ref` success body"))?;
        let field_ident = format_ident!("{}", pagination.items.to_snake_case());
        let item_type = items
            .iter()
            .find_map(|item| match item {
                Item::Struct(s) if s.ident == schema => match &s.fields {
                    Fields::Named(fields) => fields
                        .named
                        .iter()
                        .find(|f| f.ident.as_ref() == Some(&field_ident))
                        .and_then(|f| vec_element(&f.ty)),
                    _ => None,
                },
                _ => None,
            })
            .ok_or_else(|| {
                format!("{id}: x-pagination: `{schema}` has no array field `{field_ident}`")
            })?;
        let ident = format_ident!("{schema}");
        items.push(syn::parse_quote! {
            impl crate::pagination::Page for #ident {
                type Item = #item_type;
                fn into_page(self) -> (::std::vec::Vec<Self::Item>, i64) {
                    (self.#field_ident, self.page.total)
                }
            }
        });
    }
    for open in open_enums(ctx.spec) {
        let ident = format_ident!("{}", open.name);
        let doc = open
            .description
            .as_deref()
            .map(|d| format!(" {}", d.trim()))
            .unwrap_or_else(|| format!(" `{}` values.", open.name));
        let variants = open.values.iter().map(|value| {
            let variant = format_ident!("{}", variant_name(value));
            let doc = format!(" `{value}`.");
            quote! { #[doc = #doc] #variant = #value, }
        });
        items.push(syn::parse_quote! {
            crate::open_enum! {
                #[doc = #doc]
                pub enum #ident {
                    #(#variants)*
                }
            }
        });
    }
    Ok(())
}

/// `T` of `::std::vec::Vec<T>`.
fn vec_element(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// Every builder's `send()`, `stream()` and extra-key parameter.
fn rewrite_builders(module: &mut syn::ItemMod, ctx: &Context<'_>) -> Result<(), String> {
    let Some((_, items)) = module.content.as_mut() else {
        return Err("`builder` is not an inline module".into());
    };
    // progenitor imports everything from `super`; its error type now comes from
    // progenitor_client directly (only `build_request` uses it, privately).
    items.retain(|item| !matches!(item, Item::Use(u) if is_super_glob_use(u)));
    items.insert(
        1,
        syn::parse_quote! {
            #[allow(unused_imports)]
            use progenitor_client::{encode_path, Error, RequestBuilderExt};
        },
    );
    let by_struct: BTreeMap<String, (usize, &OperationMeta)> = ctx
        .ops
        .iter()
        .enumerate()
        .map(|(index, meta)| (meta.op.id.to_pascal_case(), (index, meta)))
        .collect();
    let mut done = 0;
    for item in items.iter_mut() {
        match item {
            Item::Struct(s) => {
                if let Some((_, meta)) = by_struct.get(&s.ident.to_string()) {
                    add_extra_key_fields(s, meta)?;
                }
            }
            Item::Impl(i) => {
                let Type::Path(self_ty) = &*i.self_ty else {
                    continue;
                };
                let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
                    continue;
                };
                let Some(&(index, meta)) = by_struct.get(&name) else {
                    continue;
                };
                rewrite_builder_impl(i, index, meta)?;
                done += 1;
            }
            _ => {}
        }
    }
    if done != ctx.ops.len() {
        return Err(format!(
            "found {done} builders for {} operations in progenitor's output",
            ctx.ops.len()
        ));
    }
    Ok(())
}

fn is_super_glob_use(u: &syn::ItemUse) -> bool {
    matches!(&u.tree, syn::UseTree::Path(p) if p.ident == "super" && !matches!(&*p.tree, syn::UseTree::Name(n) if n.ident == "types"))
}

fn extra_key_field(key: &KeyScheme) -> syn::Ident {
    format_ident!("{}", key.method())
}

fn add_extra_key_fields(s: &mut syn::ItemStruct, meta: &OperationMeta) -> Result<(), String> {
    let Fields::Named(fields) = &mut s.fields else {
        return Err(format!("builder `{}` has no named fields", s.ident));
    };
    for key in &meta.extra_keys {
        let ident = extra_key_field(key);
        fields
            .named
            .push(syn::parse_quote!(#ident: ::std::option::Option<crate::ApiKey>));
    }
    Ok(())
}

fn rewrite_builder_impl(
    i: &mut syn::ItemImpl,
    index: usize,
    meta: &OperationMeta,
) -> Result<(), String> {
    let id = &meta.op.id;
    let mut new_items = Vec::new();
    let mut found_send = false;
    for item in std::mem::take(&mut i.items) {
        match item {
            ImplItem::Fn(mut f) if f.sig.ident == "new" => {
                // Initialise the extra key fields in `Self { .. }`.
                for key in &meta.extra_keys {
                    let ident = extra_key_field(key);
                    let Some(Stmt::Expr(Expr::Struct(literal), _)) = f.block.stmts.last_mut()
                    else {
                        return Err(format!("{id}: `new` does not end in a struct literal"));
                    };
                    literal
                        .fields
                        .push(syn::parse_quote!(#ident: ::std::option::Option::None));
                }
                new_items.push(ImplItem::Fn(f));
            }
            ImplItem::Fn(f) if f.sig.ident == "send" => {
                found_send = true;
                new_items.extend(rewrite_send(f, index, meta)?);
            }
            other => new_items.push(other),
        }
    }
    if !found_send {
        return Err(format!("{id}: the builder has no `send`"));
    }
    for key in &meta.extra_keys {
        let ident = extra_key_field(key);
        let doc = format!(
            " The key this operation needs besides the client's own, sent in the `{}` header (marked sensitive). Required.",
            key.header
        );
        new_items.push(syn::parse_quote! {
            #[doc = #doc]
            pub fn #ident(mut self, key: crate::ApiKey) -> Self {
                self.#ident = ::std::option::Option::Some(key);
                self
            }
        });
    }
    i.items = new_items;
    Ok(())
}

/// `T` of `Result<ResponseValue<T>, Error<()>>`.
fn success_type(sig: &syn::Signature) -> Option<Type> {
    let ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let first_arg = |ty: &Type| -> Option<Type> {
        let Type::Path(p) = ty else { return None };
        let PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
            return None;
        };
        match args.args.first()? {
            GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        }
    };
    first_arg(&first_arg(ty)?)
}

fn rewrite_send(
    f: syn::ImplItemFn,
    index: usize,
    meta: &OperationMeta,
) -> Result<Vec<ImplItem>, String> {
    let id = &meta.op.id;
    if !matches!(f.sig.inputs.first(), Some(FnArg::Receiver(_))) {
        return Err(format!("{id}: `send` does not take `self`"));
    }
    let success = success_type(&f.sig)
        .ok_or_else(|| format!("{id}: cannot read the success type of `send`"))?;
    // Keep the statements up to and including `let request = ....build()?;`, without the
    // `api-version` header map.
    let mut kept = Vec::new();
    let mut found_request = false;
    for stmt in f.block.stmts {
        match stmt {
            Stmt::Local(local) if local_name(&local).as_deref() == Some("header_map") => {}
            // `let Self { client, .. } = self;`: the extra key fields are not the request's.
            Stmt::Local(mut local) if matches!(&local.pat, Pat::Struct(_)) => {
                if let Pat::Struct(pattern) = &mut local.pat
                    && !meta.extra_keys.is_empty()
                {
                    pattern.rest = Some(syn::PatRest {
                        attrs: Vec::new(),
                        dot2_token: Default::default(),
                    });
                }
                kept.push(Stmt::Local(local));
            }
            Stmt::Expr(Expr::MethodCall(call), _) if receiver_name(&call) == Some("header_map") => {
            }
            Stmt::Local(mut local) if local_name(&local).as_deref() == Some("request") => {
                local.attrs.clear();
                local.pat = syn::parse_quote!(request);
                if let Some(init) = local.init.as_mut() {
                    strip_headers_call(&mut init.expr);
                }
                kept.push(Stmt::Local(local));
                found_request = true;
                break;
            }
            other => kept.push(other),
        }
    }
    if !found_request {
        return Err(format!("{id}: `send` builds no `request`"));
    }
    let doc_attrs: Vec<_> = f
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    let execute = if meta.success_body {
        quote!(execute_json::<#success, Self>)
    } else {
        quote!(execute_empty::<Self>)
    };
    let extra_idents: Vec<_> = meta.extra_keys.iter().map(extra_key_field).collect();
    let extra_headers: Vec<_> = meta.extra_keys.iter().map(|k| &k.header).collect();
    let extra_methods: Vec<String> = meta.extra_keys.iter().map(KeyScheme::method).collect();
    let errors_doc = format!(
        " Errors: any answer but {} is a [`crate::Error`] with its status and DigiCert's error codes; see [`crate::Error`] for the kinds.",
        meta.success
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" or ")
    );
    // `send` and `preview` both start by taking each extra key, or refusing without it.
    let take_extra_keys = quote! {
        #(
            let #extra_idents = match &self.#extra_idents {
                ::std::option::Option::Some(key) => key.clone(),
                ::std::option::Option::None => {
                    return ::std::result::Result::Err(crate::Error::missing_key(operation, #extra_methods));
                }
            };
        )*
    };
    // Without an extra key the future is the runtime's own, not wrapped in one more `async`
    // layer (each layer copies the whole call state once per request).
    let send: ImplItem = if meta.extra_keys.is_empty() {
        syn::parse_quote! {
            #(#doc_attrs)*
            ///
            #[doc = #errors_doc]
            pub fn send(
                self,
            ) -> impl ::std::future::Future<Output = crate::Result<crate::Response<#success>>> + 'a
            {
                let client = self.client;
                let operation = &super::OPERATIONS[#index];
                client.inner.#execute(operation, self, Self::build_request, &[])
            }
        }
    } else {
        syn::parse_quote! {
            #(#doc_attrs)*
            ///
            #[doc = #errors_doc]
            pub async fn send(self) -> crate::Result<crate::Response<#success>> {
                let client = self.client;
                let operation = &super::OPERATIONS[#index];
                #take_extra_keys
                client
                    .inner
                    .#execute(operation, self, Self::build_request, &[#((#extra_headers, &#extra_idents)),*])
                    .await
            }
        }
    };
    let preview: ImplItem = syn::parse_quote! {
        /// The request [`send`](Self::send) would make, without sending it: method, URL,
        /// headers (every API key redacted) and body. For logs, dry runs and tests.
        pub fn preview(self) -> crate::Result<crate::RequestPreview> {
            let client = self.client;
            let operation = &super::OPERATIONS[#index];
            #take_extra_keys
            let request = self
                .build_request()
                .map_err(|e| crate::Error::invalid_request(operation, e));
            client
                .inner
                .preview(operation, request, &[#((#extra_headers, &#extra_idents)),*])
        }
    };
    let build: ImplItem = syn::parse_quote! {
        fn build_request(self) -> ::std::result::Result<reqwest::Request, Error<()>> {
            #(#kept)*
            Ok(request)
        }
    };
    let mut out = vec![send, preview, build];
    if meta.pagination.is_some() {
        out.push(syn::parse_quote! {
            /// Every item of every page, fetched lazily: the next page is requested only
            /// when the stream is polled past the items already received, and the stream
            /// ends after `page.total` items (or at the first empty page). `limit(..)` sets
            /// the page size and `offset(..)` where to start; filters and sort apply to
            /// every page. The first error ends the stream. Items added or removed while
            /// the stream runs shift the pages: an item may then be skipped or seen twice
            /// (offset paging cannot tell), and a changed `total` is followed from the page
            /// that reports it.
            pub fn stream(
                self,
            ) -> crate::pagination::Pages<'a, <#success as crate::pagination::Page>::Item> {
                let start = self.offset.clone().ok().flatten().unwrap_or(0);
                crate::pagination::Pages::new(self, start, |builder: Self, offset: i64| {
                    ::std::boxed::Box::pin(builder.offset(offset).send())
                })
            }
        });
    }
    Ok(out)
}

fn local_name(local: &syn::Local) -> Option<String> {
    match &local.pat {
        Pat::Ident(p) => Some(p.ident.to_string()),
        Pat::Type(t) => match &*t.pat {
            Pat::Ident(p) => Some(p.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn receiver_name(call: &syn::ExprMethodCall) -> Option<&'static str> {
    match &*call.receiver {
        Expr::Path(p) if p.path.is_ident("header_map") => Some("header_map"),
        _ => None,
    }
}

/// Removes `.headers(header_map)` from a method-call chain.
fn strip_headers_call(expr: &mut Expr) {
    if let Expr::Try(t) = expr {
        return strip_headers_call(&mut t.expr);
    }
    let Expr::MethodCall(call) = expr else {
        return;
    };
    let is_headers = call.method == "headers"
        && call.args.len() == 1
        && matches!(call.args.first(), Some(Expr::Path(p)) if p.path.is_ident("header_map"));
    if is_headers {
        let receiver = std::mem::replace(&mut *call.receiver, Expr::PLACEHOLDER);
        *expr = receiver;
        strip_headers_call(expr);
    } else {
        strip_headers_call(&mut call.receiver);
    }
}
