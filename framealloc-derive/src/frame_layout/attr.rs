//! Parsing `#[derive(FrameLayout)]` input and its `#[frame(...)]` options into a [`Model`].

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned as _;

use crate::util::{int_value, skip_option_value, string_value};

/// The options every `#[frame(...)]` key is checked against, for the "unknown option" message.
const KEYS: &str =
    "max_size, cache_aligned, align, no_padding, hot, no_drop, guard, cache_line, crate";

/// What the derive knows about the struct, with spans for every error it may report.
pub(crate) struct Model {
    pub(crate) ident: syn::Ident,
    pub(crate) generics: syn::Generics,
    /// Enums and unions are reported by `check`.
    pub(crate) shape: Shape,
    pub(crate) fields: Vec<Field>,
    pub(crate) options: Options,
}

pub(crate) enum Shape {
    Struct,
    Enum(Span),
    Union(Span),
}

pub(crate) struct Field {
    /// `name` or `0`, as `offset_of!` wants it.
    pub(crate) member: syn::Member,
    /// The name the facts use: the identifier, or the index as text.
    pub(crate) name: String,
    pub(crate) ty: syn::Type,
}

/// A value and the span of the option that gave it.
#[derive(Clone, Copy)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// One field named in `hot(...)`.
pub(crate) struct HotField {
    pub(crate) name: String,
    pub(crate) span: Span,
}

#[derive(Default)]
pub(crate) struct Options {
    pub(crate) max_size: Option<Spanned<usize>>,
    pub(crate) cache_aligned: Option<Span>,
    pub(crate) align: Option<Spanned<usize>>,
    pub(crate) no_padding: Option<Span>,
    /// Where `hot(..)` was given (to report it given twice).
    pub(crate) hot: Option<Span>,
    pub(crate) hot_fields: Vec<HotField>,
    pub(crate) no_drop: Option<Span>,
    /// `guard`: allocations of the type always get canaries.
    pub(crate) guard: Option<Span>,
    pub(crate) cache_line: Option<Spanned<usize>>,
    pub(crate) krate: Option<syn::Path>,
}

impl Options {
    pub(crate) fn cache_line(&self) -> usize {
        self.cache_line.map_or(64, |c| c.value)
    }
}

/// Parses the input; returns the model and every syntax error found in the options.
pub(crate) fn parse(input: &syn::DeriveInput) -> (Model, Vec<syn::Error>) {
    let mut errors = Vec::new();
    let (shape, fields) = match &input.data {
        syn::Data::Struct(data) => (Shape::Struct, fields_of(&data.fields)),
        syn::Data::Enum(data) => (Shape::Enum(data.enum_token.span), Vec::new()),
        syn::Data::Union(data) => (Shape::Union(data.union_token.span), Vec::new()),
    };
    let mut options = Options::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("frame")) {
        let parsed = attr.parse_nested_meta(|meta| {
            parse_option(&meta, &mut options, &mut errors);
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    let model = Model {
        ident: input.ident.clone(),
        generics: input.generics.clone(),
        shape,
        fields,
        options,
    };
    (model, errors)
}

fn fields_of(fields: &syn::Fields) -> Vec<Field> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| match &f.ident {
            Some(ident) => Field {
                member: syn::Member::Named(ident.clone()),
                name: ident.to_string(),
                ty: f.ty.clone(),
            },
            None => Field {
                member: syn::Member::Unnamed(syn::Index {
                    index: i as u32,
                    span: f.ty.span(),
                }),
                name: i.to_string(),
                ty: f.ty.clone(),
            },
        })
        .collect()
}

/// Parses one `key`, `key = value` or `key(...)`; records errors and consumes the rest of the
/// option, so that one mistake never hides the next.
fn parse_option(
    meta: &syn::meta::ParseNestedMeta<'_>,
    options: &mut Options,
    errors: &mut Vec<syn::Error>,
) {
    let path = &meta.path;
    let span = path.span();
    let key = path.to_token_stream().to_string().replace(' ', "");
    let result = match key.as_str() {
        "max_size" => set_bytes(meta, &key, span, &mut options.max_size, errors),
        "align" => set_bytes(meta, &key, span, &mut options.align, errors),
        "cache_line" => set_bytes(meta, &key, span, &mut options.cache_line, errors),
        "cache_aligned" => set_flag(meta, &key, span, &mut options.cache_aligned, errors),
        "no_padding" => set_flag(meta, &key, span, &mut options.no_padding, errors),
        "no_drop" => set_flag(meta, &key, span, &mut options.no_drop, errors),
        "guard" => set_flag(meta, &key, span, &mut options.guard, errors),
        "hot" => hot_fields(meta).map(|fields| {
            if options.hot.is_some() {
                errors.push(duplicate(span, &key));
            } else {
                options.hot = Some(span);
                options.hot_fields = fields;
            }
        }),
        "crate" => crate_path(meta).map(|p| set(&mut options.krate, p, span, &key, errors)),
        _ => {
            errors.push(syn::Error::new(
                span,
                format!("#[frame({key})]: unknown option; expected one of {KEYS}"),
            ));
            skip_option_value(meta.input)
        }
    };
    if let Err(e) = result {
        errors.push(e);
    }
}

/// Parses `key = <bytes>` into `slot`.
fn set_bytes(
    meta: &syn::meta::ParseNestedMeta<'_>,
    key: &str,
    span: Span,
    slot: &mut Option<Spanned<usize>>,
    errors: &mut Vec<syn::Error>,
) -> syn::Result<()> {
    byte_count(meta, key).map(|value| set(slot, Spanned { value, span }, span, key, errors))
}

/// Parses the value-less `key` into `slot`.
fn set_flag(
    meta: &syn::meta::ParseNestedMeta<'_>,
    key: &str,
    span: Span,
    slot: &mut Option<Span>,
    errors: &mut Vec<syn::Error>,
) -> syn::Result<()> {
    flag(meta, key).map(|()| set(slot, span, span, key, errors))
}

/// Stores an option's value, or reports the option (at `span`, the repeated key) as given twice.
fn set<T>(slot: &mut Option<T>, value: T, span: Span, key: &str, errors: &mut Vec<syn::Error>) {
    if slot.is_some() {
        errors.push(duplicate(span, key));
    } else {
        *slot = Some(value);
    }
}

fn duplicate(span: Span, key: &str) -> syn::Error {
    syn::Error::new(
        span,
        format!("#[frame({key})]: given more than once; keep one"),
    )
}

/// `key = <integer>`.
fn byte_count(meta: &syn::meta::ParseNestedMeta<'_>, key: &str) -> syn::Result<usize> {
    if !meta.input.peek(syn::Token![=]) {
        skip_option_value(meta.input)?;
        return Err(meta.error(format!(
            "#[frame({key})]: expected a number of bytes, like `{key} = 64`"
        )));
    }
    int_value(meta, "frame", key)
}

/// A key that takes no value.
fn flag(meta: &syn::meta::ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        skip_option_value(meta.input)?;
        return Err(meta.error(format!(
            "#[frame({key})] takes no value; write `#[frame({key})]`"
        )));
    }
    Ok(())
}

/// `hot(a, b)` or, for tuple structs, `hot(0, 1)`.
fn hot_fields(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Vec<HotField>> {
    if !meta.input.peek(syn::token::Paren) {
        skip_option_value(meta.input)?;
        return Err(meta.error("#[frame(hot)]: name the hot fields, like `hot(pos, vel)`"));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let mut fields = Vec::new();
    while !content.is_empty() {
        if content.peek(syn::LitInt) {
            let index: syn::LitInt = content.parse()?;
            fields.push(HotField {
                name: index.base10_digits().to_string(),
                span: index.span(),
            });
        } else {
            let ident: syn::Ident = content.parse()?;
            fields.push(HotField {
                name: ident.to_string(),
                span: ident.span(),
            });
        }
        if content.is_empty() {
            break;
        }
        content.parse::<syn::Token![,]>()?;
    }
    if fields.is_empty() {
        return Err(meta.error("#[frame(hot())]: name at least one field, like `hot(pos, vel)`"));
    }
    Ok(fields)
}

/// `crate = "path::to::framealloc"`.
fn crate_path(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<syn::Path> {
    let s = string_value(meta, "frame", "crate")?;
    s.parse::<syn::Path>().map_err(|_| {
        syn::Error::new(
            s.span(),
            format!("#[frame(crate = ..)]: `{}` is not a path", s.value()),
        )
    })
}
