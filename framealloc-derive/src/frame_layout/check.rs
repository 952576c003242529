//! Validation of the model: everything wrong with the input, each error on its own token.

use super::attr::{Model, Shape};

pub(crate) fn validate(model: &Model) -> Vec<syn::Error> {
    let mut errors = Vec::new();
    let name = &model.ident;
    match model.shape {
        Shape::Struct => {}
        Shape::Enum(span) => errors.push(syn::Error::new(
            span,
            format!(
                "#[derive(FrameLayout)] supports structs only, and `{name}` is an enum; derive it \
                 on the structs its variants hold"
            ),
        )),
        Shape::Union(span) => errors.push(syn::Error::new(
            span,
            format!("#[derive(FrameLayout)] supports structs only, and `{name}` is a union"),
        )),
    }
    let options = &model.options;
    for (key, option) in [("align", options.align), ("cache_line", options.cache_line)] {
        if let Some(o) = option {
            if !o.value.is_power_of_two() {
                errors.push(syn::Error::new(
                    o.span,
                    format!(
                        "#[frame({key} = {})]: must be a power of two, like {}",
                        o.value,
                        o.value.checked_next_power_of_two().unwrap_or(64).max(1)
                    ),
                ));
            }
        }
    }
    if matches!(model.shape, Shape::Struct) {
        for hot in &options.hot_fields {
            if !model.fields.iter().any(|f| f.name == hot.name) {
                let known: Vec<&str> = model.fields.iter().map(|f| f.name.as_str()).collect();
                let known = if known.is_empty() {
                    "it has none".to_string()
                } else {
                    format!("its fields are {}", known.join(", "))
                };
                errors.push(syn::Error::new(
                    hot.span,
                    format!(
                        "#[frame(hot(..))]: `{name}` has no field `{}`; {known}",
                        hot.name
                    ),
                ));
            }
        }
    }
    errors
}
