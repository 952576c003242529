//! The groups, one per operation. Each module builds its groups' cases; `all` lists them by
//! name so that only the selected ones are built.

use crate::Group;

mod alloc;
#[cfg(feature = "bevy")]
mod bevy;
mod edit;
mod guards;
mod long_running;
#[cfg(feature = "profiler")]
mod profile;
mod scope;
mod smart;
mod soa;
mod vec;

/// Operations per frame in the single-threaded frame-style groups.
pub(crate) const FRAME: usize = 10_000;

/// A group's name and how to build it.
pub(crate) type Builder = (String, Box<dyn Fn() -> Group>);

/// Every group, in report order.
pub(crate) fn all() -> Vec<Builder> {
    let mut all = Vec::new();
    all.extend(alloc::groups());
    all.extend(vec::groups());
    all.extend(edit::groups());
    all.extend(scope::groups());
    all.extend(smart::groups());
    all.extend(soa::groups());
    all.extend(guards::groups());
    all.extend(long_running::groups());
    #[cfg(feature = "profiler")]
    all.extend(profile::groups());
    #[cfg(feature = "bevy")]
    all.extend(bevy::groups());
    all
}

/// A builder entry.
pub(crate) fn builder(name: &str, build: impl Fn() -> Group + 'static) -> Builder {
    (name.to_owned(), Box::new(build))
}
