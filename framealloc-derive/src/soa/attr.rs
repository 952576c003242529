//! Parsing and validating `#[soa(...)]` and its struct into a [`Model`].

use proc_macro2::TokenStream;
use quote::format_ident;
use syn::parse::Parser;
use syn::spanned::Spanned as _;

use crate::util::{combine, int_value, skip_option_value, string_value};

/// Must match `framealloc::layout::soa::MAX_COLUMNS`.
pub(crate) const MAX_COLUMNS: usize = 16;

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

pub(crate) fn parse(args: TokenStream, input: &syn::DeriveInput) -> Result<Model, syn::Error> {
    let mut errors = Vec::new();
    let ident = input.ident.clone();
    let mut krate = None;
    let mut column_align = 64usize;
    let mut names: [(&str, Option<syn::Ident>); 5] = [
        ("soa_name", None),
        ("ref_name", None),
        ("mut_name", None),
        ("slices_name", None),
        ("slices_mut_name", None),
    ];
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
                Ok(p) => krate = Some(quote::quote!(#p)),
                Err(e) => errors.push(e),
            }
        } else if key == "column_align" {
            match int_value(&meta, "soa", &key) {
                Ok(v) if v.is_power_of_two() && v >= 1 => column_align = v,
                Ok(v) => errors.push(syn::Error::new(
                    span,
                    format!("#[soa(column_align = {v})]: must be a power of two, like 64"),
                )),
                Err(e) => errors.push(e),
            }
        } else if let Some((_, slot)) = names.iter_mut().find(|(k, _)| *k == key) {
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
                Ok(i) => *slot = Some(i),
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

    let fields = match &input.data {
        syn::Data::Struct(data) => match &data.fields {
            syn::Fields::Named(named) => named.named.iter().collect::<Vec<_>>(),
            syn::Fields::Unnamed(_) => {
                errors.push(syn::Error::new(
                    input.ident.span(),
                    format!("#[soa] needs named fields, and `{ident}` is a tuple struct; name its fields (`struct {ident} {{ a: .., b: .. }}`)"),
                ));
                Vec::new()
            }
            syn::Fields::Unit => {
                errors.push(syn::Error::new(
                    input.ident.span(),
                    format!("#[soa] needs at least one field, and `{ident}` has none"),
                ));
                Vec::new()
            }
        },
        syn::Data::Enum(e) => {
            errors.push(syn::Error::new(
                e.enum_token.span,
                format!("#[soa] supports structs only, and `{ident}` is an enum"),
            ));
            Vec::new()
        }
        syn::Data::Union(u) => {
            errors.push(syn::Error::new(
                u.union_token.span,
                format!("#[soa] supports structs only, and `{ident}` is a union"),
            ));
            Vec::new()
        }
    };
    if fields.len() > MAX_COLUMNS {
        errors.push(syn::Error::new(
            input.ident.span(),
            format!("#[soa]: `{ident}` has {} fields, more than the {MAX_COLUMNS} columns supported; group some into a struct", fields.len()),
        ));
    }
    let mut model_fields = Vec::new();
    // Accessor names taken so far, and the field that took each.
    let mut taken: Vec<(String, String)> = Vec::new();
    for f in fields {
        let field_ident = f.ident.clone().expect("named field");
        let name = field_ident.to_string();
        for accessor in [
            name.clone(),
            format!("{name}_mut"),
            format!("{name}_lanes"),
            format!("{name}_lanes_mut"),
        ] {
            if METHODS.contains(&accessor.as_str()) {
                errors.push(syn::Error::new(
                    field_ident.span(),
                    format!("#[soa]: field `{name}` would give an accessor `{accessor}` that clashes with the container's method of that name; rename the field"),
                ));
                break;
            }
        }
        let lane = match &f.ty {
            syn::Type::Array(array) => Some((*array.elem).clone()),
            _ => None,
        };
        let mut accessors = vec![name.clone(), format!("{name}_mut")];
        if lane.is_some() {
            accessors.extend([format!("{name}_lanes"), format!("{name}_lanes_mut")]);
        }
        for accessor in accessors {
            if let Some((_, other)) = taken.iter().find(|(a, _)| *a == accessor) {
                errors.push(syn::Error::new(
                    field_ident.span(),
                    format!("#[soa]: fields `{other}` and `{name}` would both give an accessor `{accessor}`; rename one of them"),
                ));
                break;
            }
            taken.push((accessor, name.clone()));
        }
        model_fields.push(Field {
            vis: f.vis.clone(),
            ident: field_ident,
            ty: f.ty.clone(),
            lane,
        });
    }
    if let Some(error) = combine(errors) {
        return Err(error);
    }
    let span = ident.span();
    let [soa, refs, muts, slices, slices_mut] = names.map(|(_, n)| n);
    Ok(Model {
        vis: input.vis.clone(),
        generics: input.generics.clone(),
        fields: model_fields,
        krate: krate.unwrap_or_else(|| quote::quote!(::framealloc)),
        column_align,
        soa: soa.unwrap_or_else(|| format_ident!("{}Soa", ident, span = span)),
        refs: refs.unwrap_or_else(|| format_ident!("{}Ref", ident, span = span)),
        muts: muts.unwrap_or_else(|| format_ident!("{}Mut", ident, span = span)),
        slices: slices.unwrap_or_else(|| format_ident!("{}Slices", ident, span = span)),
        slices_mut: slices_mut.unwrap_or_else(|| format_ident!("{}SlicesMut", ident, span = span)),
        ident,
    })
}
