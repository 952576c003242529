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
