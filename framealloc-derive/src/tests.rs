//! Tests of the macros' own output: expansion snapshots of representative inputs, and checks
//! that the names and limits this crate shares with the runtime have not drifted apart.
//!
//! A snapshot is the expansion formatted by `prettyplease`, checked in under `snapshots/`.
//! When the generated code changes on purpose, regenerate them and review the diff:
//!
//! ```text
//! FRAMEALLOC_SNAPSHOTS=overwrite cargo test -p framealloc-derive
//! ```

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

/// The expansion of `#[derive(FrameLayout)]` on `input`.
fn derive_frame_layout(input: TokenStream) -> TokenStream {
    crate::frame_layout::derive(input)
}

/// The expansion of `#[soa(args)]` on `input`.
fn soa(args: TokenStream, input: TokenStream) -> TokenStream {
    crate::soa::soa(args, input)
}

/// Formats generated items as a Rust file.
fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as items");
    prettyplease::unparse(&file)
}

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("{name}.rs"))
}

/// Compares the formatted expansion with `snapshots/<name>.rs` (or writes it, with
/// `FRAMEALLOC_SNAPSHOTS=overwrite`).
fn check_snapshot(name: &str, tokens: TokenStream) {
    let actual = pretty(tokens);
    let path = snapshot_path(name);
    if std::env::var_os("FRAMEALLOC_SNAPSHOTS").is_some_and(|v| v == "overwrite") {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("snapshots/ is writable");
        std::fs::write(&path, &actual).expect("the snapshot is writable");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot at {}; run `FRAMEALLOC_SNAPSHOTS=overwrite cargo test -p framealloc-derive` and review it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "the expansion `{name}` differs from {} from line {} on:\n\
             expected: {:?}\n  actual: {:?}\n\
             If the change is intended, run `FRAMEALLOC_SNAPSHOTS=overwrite cargo test -p \
             framealloc-derive` and review the diff.",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first),
        );
    }
}

#[test]
fn snapshot_frame_layout_with_every_check() {
    check_snapshot(
        "frame_layout_checks",
        derive_frame_layout(quote! {
            #[frame(max_size = 64, hot(pos, vel), no_padding, no_drop, guard)]
            #[repr(C)]
            struct Body {
                pos: [f32; 3],
                vel: [f32; 3],
                mass: f32,
                id: u32,
            }
        }),
    );
}

#[test]
fn snapshot_frame_layout_generic() {
    check_snapshot(
        "frame_layout_generic",
        derive_frame_layout(quote! {
            #[frame(max_size = 128, crate = "fa")]
            struct Pair<'a, T: Copy, const N: usize> where T: Default {
                items: [T; N],
                name: &'a str,
            }
        }),
    );
}

#[test]
fn snapshot_frame_layout_error_keeps_stubs() {
    check_snapshot(
        "frame_layout_error",
        derive_frame_layout(quote! {
            #[frame(guard, align = 3)]
            struct Packet {
                len: u32,
            }
        }),
    );
}

#[test]
fn snapshot_soa_particle() {
    check_snapshot(
        "soa_particle",
        soa(
            TokenStream::new(),
            quote! {
                #[derive(Clone, Copy, Default)]
                pub struct Particle {
                    pub pos: [f32; 3],
                    vel: [f32; 3],
                    mass: f32,
                }
            },
        ),
    );
}

#[test]
fn snapshot_soa_generic_with_options() {
    check_snapshot(
        "soa_generic_options",
        soa(
            quote!(crate = "fa", column_align = 128, soa_name = "Columns"),
            quote! {
                struct Tagged<'a, T: Clone>
                where
                    T: Send,
                {
                    name: &'a str,
                    value: T,
                }
            },
        ),
    );
}

/// Every method of the generated container is in the list of names a field's accessors may
/// not take (`soa::attr::METHODS`): a method added to the expansion without reserving its
/// name would let a field of that name generate a clashing accessor.
#[test]
fn every_container_method_is_reserved() {
    let expansion = soa(
        TokenStream::new(),
        quote! {
            struct Probe {
                only: u8,
            }
        },
    );
    let file: syn::File = syn::parse2(expansion).expect("the expansion parses");
    let mut methods = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(ty) = &*imp.self_ty else {
            continue;
        };
        let is_container = ty
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "ProbeSoa");
        if imp.trait_.is_some() || !is_container {
            continue;
        }
        for inner in &imp.items {
            if let syn::ImplItem::Fn(f) = inner {
                methods.push(f.sig.ident.to_string());
            }
        }
    }
    let accessors = ["only", "only_mut"];
    let unreserved: Vec<_> = methods
        .iter()
        .filter(|m| !accessors.contains(&m.as_str()))
        .filter(|m| !crate::soa::attr::METHODS.contains(&m.as_str()))
        .collect();
    assert!(
        methods.len() > 10,
        "found the container's methods: {methods:?}"
    );
    assert!(
        unreserved.is_empty(),
        "methods of the generated container missing from soa::attr::METHODS: {unreserved:?}"
    );
}

/// The column limit checked here is the runtime's `MAX_COLUMNS` (read from its source, which
/// sits beside this crate in the workspace).
#[test]
fn column_limit_matches_the_runtime() {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../framealloc/src/soa.rs");
    let Ok(text) = std::fs::read_to_string(&source) else {
        // Outside the workspace (a packaged crate) there is no runtime source to compare.
        return;
    };
    let runtime: usize = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("pub const MAX_COLUMNS: usize = "))
        .and_then(|rest| rest.trim_end_matches(';').trim().parse().ok())
        .expect("framealloc/src/soa.rs defines `pub const MAX_COLUMNS: usize = N;`");
    assert_eq!(
        crate::soa::attr::MAX_COLUMNS,
        runtime,
        "the derive's column limit differs from the runtime's MAX_COLUMNS"
    );
}

/// A mistake in an option is one error: the container is still generated (with the option
/// at its default), so code that uses it adds no errors of its own.
#[test]
fn snapshot_soa_option_error_still_generates() {
    let out = soa(
        quote!(column_align = 3),
        quote! {
            struct Dot {
                x: f32,
            }
        },
    );
    let text = out.to_string();
    assert_eq!(text.matches("compile_error").count(), 1, "{text}");
    assert!(text.contains("DotSoa"), "{text}");
    check_snapshot("soa_option_error", out);
}

/// A field mistake leaves the struct and the errors only, every one of them at once.
#[test]
fn soa_field_errors_all_at_once() {
    let out = soa(
        TokenStream::new(),
        quote! {
            struct Bad {
                len: u32,
                pos: f32,
                pos_mut: f32,
            }
        },
    )
    .to_string();
    assert_eq!(out.matches("compile_error").count(), 2, "{out}");
    assert!(!out.contains("BadSoa"), "{out}");
}
