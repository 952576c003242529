//! The examples live next to this crate's manifest; this crate has no code of its own.
