//! Proves at compile time what framealloc's types reject: each case in `cases/<rule>/`
//! is one way of breaking one soundness rule from DESIGN.md, and must fail to compile with
//! the message in its `.stderr`. `cases/pass/` holds the intended uses, which must compile
//! (their presence also makes trybuild run a full build, so post-monomorphization errors,
//! like the `alloc` of a type that needs Drop, are caught too).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("cases/escape/*.rs");
    t.compile_fail("cases/frame/*.rs");
    t.compile_fail("cases/scope/*.rs");
    t.compile_fail("cases/reset/*.rs");
    t.compile_fail("cases/drop/*.rs");
    t.compile_fail("cases/layout/*.rs");
    t.compile_fail("cases/soa/*.rs");
    t.compile_fail("cases/guard/*.rs");
    t.compile_fail("cases/smart/*.rs");
    t.compile_fail("cases/unsize/*.rs");
    t.compile_fail("cases/flight/*.rs");
    t.pass("cases/pass/*.rs");
    // Scratch and update-frame memory kept past the system run, in the places Bevy keeps data.
    #[cfg(feature = "bevy")]
    t.compile_fail("cases/bevy/*.rs");
}
