::core::compile_error! {
    "#[soa(soa_name = ..)]: expected a string, like `soa_name = \"..\"`"
}
struct Tagged<'a, T: Clone>
where
    T: Send,
{
    name: &'a str,
    value: T,
}
