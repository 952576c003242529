//! `#[soa]`: keeps the struct and generates its struct-of-arrays container and views.

pub(crate) mod attr;
mod expand;

use proc_macro2::TokenStream;
use quote::ToTokens;

pub(crate) fn soa(args: TokenStream, item: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(e) => {
            let mut out = e.to_compile_error();
            out.extend(item);
            return out;
        }
    };
    match attr::parse(args, &input) {
        Ok(model) => {
            let mut out = input.to_token_stream();
            out.extend(expand::expand(&model));
            out
        }
        // The struct itself is kept, so the errors are all the user sees.
        Err(error) => {
            let mut out = error.to_compile_error();
            out.extend(input.to_token_stream());
            out
        }
    }
}
