//! Expansion of a valid model: the `FrameLayout` impl and its compile-time checks.
//!
//! Every check is a `const` assertion spanned on the option it enforces, so a violation
//! points at `max_size = 64` (or the hot field's name) and says how to fix it. For a
//! non-generic struct the assertions sit in a free `const _`, evaluated by `cargo check`; for
//! a generic one they sit in `LAYOUT`, evaluated per instantiation.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};

use super::attr::Model;

pub(crate) fn expand(model: &Model) -> TokenStream {
    let krate = krate(model);
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let name = ident.to_string();
    let cache_line = model.options.cache_line();
    let fields = model.fields.iter().map(|f| {
        let (member, ty, field_name, type_name) = (&f.member, &f.ty, &f.name, type_text(&f.ty));
        quote! {
            #krate::__private::FieldInfo {
                name: #field_name,
                type_name: #type_name,
                offset: ::core::mem::offset_of!(Self, #member),
                size: ::core::mem::size_of::<#ty>(),
                align: ::core::mem::align_of::<#ty>(),
            }
        }
    });
    // A non-generic struct gets one free `const` per check, so `cargo check` reports every
    // violated intention at once; a generic one checks inside `LAYOUT`, per instantiation.
    let (checks_in_layout, checks_outside) = if model.generics.params.is_empty() {
        let checks = checks(model, &ident.to_token_stream());
        (quote!(), quote!(#(const _: () = { #checks };)*))
    } else {
        let checks = checks(model, &quote!(Self));
        (quote!(#(#checks)*), quote!())
    };
    let guarded = model.options.guard.map(|span| {
        quote_spanned! {span=>
            #[automatically_derived]
            impl #impl_generics #krate::__private::Guarded for #ident #ty_generics #where_clause {}
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::__private::FrameLayout for #ident #ty_generics #where_clause {
            const LAYOUT: #krate::__private::LayoutInfo = {
                #checks_in_layout
                #krate::__private::LayoutInfo {
                    name: #name,
                    size: ::core::mem::size_of::<Self>(),
                    align: ::core::mem::align_of::<Self>(),
                    fields: &[#(#fields),*],
                    cache_line: #cache_line,
                }
            };
        }
        #checks_outside
        #guarded
    }
}

/// The impl emitted next to errors: no fields, no checks, so that the errors are all the
/// user sees.
pub(crate) fn fallback(model: &Model) -> TokenStream {
    let krate = krate(model);
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let name = ident.to_string();
    // `guard` asked for `Guarded`: implement it too, so the guarded allocation calls that
    // rely on it do not add errors of their own.
    let guarded = model.options.guard.map(|_| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::__private::Guarded for #ident #ty_generics #where_clause {}
        }
    });
    quote! {
        #guarded
        #[automatically_derived]
        impl #impl_generics #krate::__private::FrameLayout for #ident #ty_generics #where_clause {
            const LAYOUT: #krate::__private::LayoutInfo = #krate::__private::LayoutInfo {
                name: #name,
                size: ::core::mem::size_of::<Self>(),
                align: ::core::mem::align_of::<Self>(),
                fields: &[],
                cache_line: 64,
            };
        }
    }
}

fn krate(model: &Model) -> TokenStream {
    match &model.options.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::framealloc),
    }
}

/// One assertion per intention, about `self_ty`, each spanned on its option.
fn checks(model: &Model, self_ty: &TokenStream) -> Vec<TokenStream> {
    let options = &model.options;
    let name = &model.ident;
    let line = options.cache_line();
    let mut out = Vec::new();
    if let Some(max) = options.max_size {
        let n = max.value;
        let msg = format!(
            "#[frame(max_size = {n})]: `{name}` is larger than {n} bytes; shrink or reorder its \
             fields (framealloc::layout::report shows where the bytes go)"
        );
        out.push(quote_spanned!(max.span=> ::core::assert!(::core::mem::size_of::<#self_ty>() <= #n, #msg);));
    }
    if let Some(span) = options.cache_aligned {
        let msg = format!(
            "#[frame(cache_aligned)]: `{name}` is aligned to less than a {line}-byte cache line; \
             add #[repr(C, align({line}))] to the struct"
        );
        out.push(quote_spanned!(span=> ::core::assert!(::core::mem::align_of::<#self_ty>() >= #line, #msg);));
    }
    if let Some(align) = options.align {
        let n = align.value;
        let msg = format!(
            "#[frame(align = {n})]: `{name}` is aligned to less than {n} bytes; add #[repr(align({n}))] \
             to the struct"
        );
        out.push(quote_spanned!(align.span=> ::core::assert!(::core::mem::align_of::<#self_ty>() >= #n, #msg);));
    }
    if let Some(span) = options.no_padding {
        // `a + b + c`, or `0` with no fields: no `0 + ..` for clippy to flag in users' crates.
        let sizes = model.fields.iter().map(|f| {
            let ty = &f.ty;
            quote!(::core::mem::size_of::<#ty>())
        });
        let sum = if model.fields.is_empty() {
            quote!(0)
        } else {
            quote!(#(#sizes)+*)
        };
        let msg = format!(
            "#[frame(no_padding)]: `{name}` has padding bytes; order its fields from the largest \
             alignment to the smallest, or make the padding an explicit field \
             (framealloc::layout::report shows where it is)"
        );
        out.push(quote_spanned!(span=>
            ::core::assert!(::core::mem::size_of::<#self_ty>() == #sum, #msg);
        ));
    }
    for hot in &options.hot_fields {
        let Some(field) = model.fields.iter().find(|f| f.name == hot.name) else {
            continue;
        };
        let (member, ty) = (&field.member, &field.ty);
        let msg = format!(
            "#[frame(hot(..))]: field `{}` of `{name}` does not lie within the first {line}-byte \
             cache line; move it before the cold fields",
            field.name
        );
        out.push(quote_spanned!(hot.span=>
            ::core::assert!(::core::mem::offset_of!(#self_ty, #member) + ::core::mem::size_of::<#ty>() <= #line, #msg);
        ));
    }
    if let Some(span) = options.no_drop {
        let msg = format!(
            "#[frame(no_drop)]: `{name}` needs Drop (it or one of its fields has a destructor), \
             which frame memory would never run; remove the destructor, or allocate it with \
             Frame::boxed and drop #[frame(no_drop)]"
        );
        out.push(
            quote_spanned!(span=> ::core::assert!(!::core::mem::needs_drop::<#self_ty>(), #msg);),
        );
    }
    out
}

/// A type as its source reads, without the spaces token printing puts around punctuation.
fn type_text(ty: &syn::Type) -> String {
    let mut s = ty.to_token_stream().to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" :: ", "::"),
        (":: ", "::"),
        (" ,", ","),
        ("& ", "&"),
        (" ;", ";"),
        ("[ ", "["),
        (" ]", "]"),
        ("( ", "("),
        (" )", ")"),
    ] {
        s = s.replace(from, to);
    }
    s
}
