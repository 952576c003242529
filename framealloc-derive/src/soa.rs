//! `#[soa]`: keeps the struct and generates its struct-of-arrays container and views:
//! parse (`attr`), validate (`check`), expand (`expand`).

pub(crate) mod attr;
mod check;
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
    let (model, mut errors) = attr::parse(args, &input);
    // Fields the container cannot be generated from (clashing accessors, too many columns)
    // leave only the errors; mistakes in options alone still generate the container, with
    // those options at their defaults, so that code using it adds no errors of its own.
    let model = model.filter(|model| {
        let field_errors = check::validate(model);
        let ok = field_errors.is_empty();
        errors.extend(field_errors);
        ok
    });
    let mut out = match crate::util::combine(errors) {
        Some(error) => error.to_compile_error(),
        None => TokenStream::new(),
    };
    out.extend(input.to_token_stream());
    if let Some(model) = model {
        out.extend(expand::expand(&model));
    }
    out
}
