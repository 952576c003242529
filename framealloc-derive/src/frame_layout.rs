//! `#[derive(FrameLayout)]`: parse into a model, validate it (every error at once), expand.

mod attr;
mod check;
mod expand;

use proc_macro2::TokenStream;

pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let (model, mut errors) = attr::parse(&input);
    errors.extend(check::validate(&model));
    match crate::util::combine(errors) {
        None => expand::expand(&model),
        Some(error) => {
            // One error per mistake, plus an impl with no checks so that uses of the trait
            // elsewhere do not add a cascade of "not implemented" errors.
            let mut out = error.to_compile_error();
            out.extend(expand::fallback(&model));
            out
        }
    }
}
