//! Validating a `#[soa]` model: what the fields must satisfy for the container to be
//! generated. Every mistake is reported, each on its own field.

use super::attr::{Model, MAX_COLUMNS, METHODS};

/// Every reason the model's fields cannot be generated: too many columns, and accessors that
/// clash with the container's methods or with each other.
pub(crate) fn validate(model: &Model) -> Vec<syn::Error> {
    let mut errors = Vec::new();
    let ident = &model.ident;
    if model.fields.len() > MAX_COLUMNS {
        errors.push(syn::Error::new(
            ident.span(),
            format!(
                "#[soa]: `{ident}` has {} fields, more than the {MAX_COLUMNS} columns supported; group some into a struct",
                model.fields.len()
            ),
        ));
    }
    // Accessor names taken so far, and the field that took each.
    let mut taken: Vec<(String, String)> = Vec::new();
    for field in &model.fields {
        let name = field.ident.to_string();
        let span = field.ident.span();
        for accessor in [
            name.clone(),
            format!("{name}_mut"),
            format!("{name}_lanes"),
            format!("{name}_lanes_mut"),
        ] {
            if METHODS.contains(&accessor.as_str()) {
                errors.push(syn::Error::new(
                    span,
                    format!("#[soa]: field `{name}` would give an accessor `{accessor}` that clashes with the container's method of that name; rename the field"),
                ));
                break;
            }
        }
        let mut accessors = vec![name.clone(), format!("{name}_mut")];
        if field.lane.is_some() {
            accessors.extend([format!("{name}_lanes"), format!("{name}_lanes_mut")]);
        }
        for accessor in accessors {
            if let Some((_, other)) = taken.iter().find(|(a, _)| *a == accessor) {
                errors.push(syn::Error::new(
                    span,
                    format!("#[soa]: fields `{other}` and `{name}` would both give an accessor `{accessor}`; rename one of them"),
                ));
                break;
            }
            taken.push((accessor, name.clone()));
        }
    }
    errors
}
