//! Helpers shared by the derives.

use proc_macro2::TokenStream;
use syn::parse::ParseStream;

/// Combines errors into one, each keeping its own span; `None` when there are none.
pub(crate) fn combine(errors: Vec<syn::Error>) -> Option<syn::Error> {
    errors.into_iter().reduce(|mut all, e| {
        all.combine(e);
        all
    })
}

/// Consumes whatever follows an option name (`= value` or `( ... )`), so that parsing can go
/// on to report the next problem after an unknown or misused option.
pub(crate) fn skip_option_value(input: ParseStream<'_>) -> syn::Result<()> {
    if input.peek(syn::Token![=]) {
        input.parse::<syn::Token![=]>()?;
        input.parse::<syn::Expr>()?;
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}

/// The value of `key = <integer>` inside `#[attr(..)]`, with a message that says the form.
pub(crate) fn int_value(
    meta: &syn::meta::ParseNestedMeta<'_>,
    attr: &str,
    key: &str,
) -> syn::Result<usize> {
    let expr: syn::Expr = meta.value()?.parse()?;
    match &expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse::<usize>().map_err(|_| {
            syn::Error::new(
                int.span(),
                format!("#[{attr}({key} = ..)]: `{int}` does not fit in usize"),
            )
        }),
        _ => Err(syn::Error::new(
            syn::spanned::Spanned::span(&expr),
            format!(
                "#[{attr}({key} = ..)]: expected an integer number of bytes, like `{key} = 64`"
            ),
        )),
    }
}

/// The value of `key = "<string>"` inside `#[attr(..)]`.
pub(crate) fn string_value(
    meta: &syn::meta::ParseNestedMeta<'_>,
    attr: &str,
    key: &str,
) -> syn::Result<syn::LitStr> {
    let expr: syn::Expr = meta.value()?.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(s),
        _ => Err(syn::Error::new(
            syn::spanned::Spanned::span(&expr),
            format!("#[{attr}({key} = ..)]: expected a string, like `{key} = \"..\"`"),
        )),
    }
}
