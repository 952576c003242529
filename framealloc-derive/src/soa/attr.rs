//! Parsing `#[soa(...)]` and its struct into a [`Model`] (validation is in `check.rs`).

use proc_macro2::TokenStream;
use quote::format_ident;
use syn::parse::Parser;
use syn::spanned::Spanned as _;

use crate::util::{int_value, skip_option_value, string_value};

/// Must match `framealloc::soa::MAX_COLUMNS`.
pub(crate) const MAX_COLUMNS: usize = 32;

const KEYS: &str =
    "crate, column_align, soa_name, ref_name, mut_name, slices_name, slices_mut_name";

/// Method names of the container that a field's accessors must not take.
pub(crate) const METHODS: &[&str] = &[
    "new",
    "new_in",
    "with_capacity",
    "with_capacity_in",
    "len",
    "is_empty",
    "capacity",
    "reserve",
    "try_reserve",
    "push",
    "pop",
    "get",
    "get_mut",
    "swap_remove",
    "insert",
    "remove",
    "retain",
    "sort_by",
    "sort_by_key",
    "slices_range",
    "slices_range_mut",
    "split_off",
    "append",
    "drain",
    "truncate",
    "clear",
    "iter",
    "iter_mut",
    "slices",
    "slices_mut",
    "extend",
    "column_ptrs",
    "allocator",
    "check_guards",
];

pub(crate) struct Model {
    pub(crate) vis: syn::Visibility,
    pub(crate) ident: syn::Ident,
    pub(crate) generics: syn::Generics,
    pub(crate) fields: Vec<Field>,
    pub(crate) krate: TokenStream,
    pub(crate) column_align: usize,
    pub(crate) soa: syn::Ident,
    pub(crate) refs: syn::Ident,
    pub(crate) muts: syn::Ident,
    pub(crate) slices: syn::Ident,
    pub(crate) slices_mut: syn::Ident,
}

pub(crate) struct Field {
    pub(crate) vis: syn::Visibility,
    pub(crate) ident: syn::Ident,
    pub(crate) ty: syn::Type,
    /// `Some(element type)` when the field is an array `[T; N]` (it gets lane accessors).
    pub(crate) lane: Option<syn::Type>,
}

/// The options of `#[soa(...)]`; a mistake in one is reported and the option keeps its
/// default, so the container can still be generated (one mistake, one error).
struct Options {
    krate: Option<TokenStream>,
    column_align: usize,
    /// `soa_name`, `ref_name`, `mut_name`, `slices_name`, `slices_mut_name`, in that order.
    names: [Option<syn::Ident>; 5],
}

const NAME_KEYS: [&str; 5] = [
    "soa_name",
    "ref_name",
    "mut_name",
    "slices_name",
    "slices_mut_name",
];

/// Parses the attribute and the struct into a model: `None` when the struct's shape or
/// fields leave nothing sensible to generate. Every mistake found is in the errors, including
/// those of options, which fall back to their defaults.
pub(crate) fn parse(
    args: TokenStream,
    input: &syn::DeriveInput,
) -> (Option<Model>, Vec<syn::Error>) {
    let mut errors = Vec::new();
    let options = parse_options(args, &mut errors);
    let fields = parse_fields(input, &mut errors);
    let model = fields.map(|fields| model(input, options, fields));
    (model, errors)
}

fn parse_options(args: TokenStream, errors: &mut Vec<syn::Error>) -> Options {
    let mut options = Options {
        krate: None,
        column_align: 64,
        names: Default::default(),
    };
    let parser = syn::meta::parser(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        let span = meta.path.span();
        if key == "crate" {
            match string_value(&meta, "soa", &key)
                .map(|lit| (lit.value(), lit.span()))
                .and_then(|(s, sp)| {
                    syn::parse_str::<syn::Path>(&s).map_err(|_| {
                        syn::Error::new(sp, format!("#[soa(crate = ..)]: `{s}` is not a path"))
                    })
                }) {
                Ok(p) => options.krate = Some(quote::quote!(#p)),
                Err(e) => errors.push(e),
            }
        } else if key == "column_align" {
            match int_value(&meta, "soa", &key) {
                Ok(v) if v.is_power_of_two() && v >= 1 => options.column_align = v,
                Ok(v) => errors.push(syn::Error::new(
                    span,
                    format!("#[soa(column_align = {v})]: must be a power of two, like 64"),
                )),
                Err(e) => errors.push(e),
            }
        } else if let Some(index) = NAME_KEYS.iter().position(|k| *k == key) {
            match string_value(&meta, "soa", &key)
                .map(|lit| (lit.value(), lit.span()))
                .and_then(|(s, sp)| {
                    syn::parse_str::<syn::Ident>(&s)
                        .map(|i| syn::Ident::new(&i.to_string(), sp))
                        .map_err(|_| {
                            syn::Error::new(
                                sp,
                                format!("#[soa({key} = ..)]: `{s}` is not an identifier"),
                            )
                        })
                }) {
                Ok(i) => options.names[index] = Some(i),
                Err(e) => errors.push(e),
            }
        } else {
            errors.push(syn::Error::new(
                span,
                format!("#[soa({key})]: unknown option; expected one of {KEYS}"),
            ));
            skip_option_value(meta.input)?;
        }
        Ok(())
    });
    if let Err(e) = parser.parse2(args) {
        errors.push(e);
    }
    options
}

/// The struct's fields, or `None` (with the reason in `errors`) when it is not a struct with
/// named fields.
fn parse_fields(input: &syn::DeriveInput, errors: &mut Vec<syn::Error>) -> Option<Vec<Field>> {
    let ident = &input.ident;
    let named = match &input.data {
        syn::Data::Struct(data) => match &data.fields {
            syn::Fields::Named(named) => named,
            syn::Fields::Unnamed(_) => {
                errors.push(syn::Error::new(
                    ident.span(),
                    format!("#[soa] needs named fields, and `{ident}` is a tuple struct; name its fields (`struct {ident} {{ a: .., b: .. }}`)"),
                ));
                return None;
            }
            syn::Fields::Unit => {
                errors.push(syn::Error::new(
                    ident.span(),
                    format!("#[soa] needs at least one field, and `{ident}` has none"),
                ));
                return None;
            }
        },
        syn::Data::Enum(e) => {
            errors.push(syn::Error::new(
                e.enum_token.span,
                format!("#[soa] supports structs only, and `{ident}` is an enum"),
            ));
            return None;
        }
        syn::Data::Union(u) => {
            errors.push(syn::Error::new(
                u.union_token.span,
                format!("#[soa] supports structs only, and `{ident}` is a union"),
            ));
            return None;
        }
    };
    let fields = named
        .named
        .iter()
        .map(|f| Field {
            vis: f.vis.clone(),
            ident: f.ident.clone().expect("named field"),
            ty: f.ty.clone(),
            lane: match &f.ty {
                syn::Type::Array(array) => Some((*array.elem).clone()),
                _ => None,
            },
        })
        .collect();
    Some(fields)
}

fn model(input: &syn::DeriveInput, options: Options, fields: Vec<Field>) -> Model {
    let ident = input.ident.clone();
    let span = ident.span();
    let [soa, refs, muts, slices, slices_mut] = options.names;
    Model {
        vis: input.vis.clone(),
        generics: input.generics.clone(),
        fields,
        krate: options.krate.unwrap_or_else(|| quote::quote!(::framealloc)),
        column_align: options.column_align,
        soa: soa.unwrap_or_else(|| format_ident!("{}Soa", ident, span = span)),
        refs: refs.unwrap_or_else(|| format_ident!("{}Ref", ident, span = span)),
        muts: muts.unwrap_or_else(|| format_ident!("{}Mut", ident, span = span)),
        slices: slices.unwrap_or_else(|| format_ident!("{}Slices", ident, span = span)),
        slices_mut: slices_mut.unwrap_or_else(|| format_ident!("{}SlicesMut", ident, span = span)),
        ident,
    }
}
