//! Runs a short version of every bench group in one process and prints a markdown table of
//! framealloc beside its peers.
//!
//! ```text
//! cargo run --release -p framealloc-benches --bin report [-- [--rounds N] [--batch-ms MS] [GROUP..]]
//! ```
//!
//! `GROUP` keeps the groups whose name contains it (`alloc_u64`, `threads`, ...). The table goes
//! to standard output, progress to standard error.

use std::process::ExitCode;
use std::time::Duration;

use framealloc_benches::report::{self, Options};

const USAGE: &str = "usage: report [--rounds N] [--batch-ms MS] [GROUP..]
  --rounds N     rounds per case, figures are medians over them (default 15, at least 1)
  --batch-ms MS  target length of one timed batch in milliseconds (default 40, at least 1)
  GROUP..        run only the groups whose name contains one of these
                 (resident_memory: resident memory over 10,000 spiky frames per retention policy)";

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut opts = Options::default();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let v = args
                .next()
                .ok_or_else(|| format!("{name} needs a number after it"))?;
            match v.parse::<u64>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(format!(
                    "{name} takes a whole number of at least 1, not {v:?}"
                )),
            }
        };
        match arg.as_str() {
            "--rounds" => opts.rounds = number("--rounds")? as usize,
            "--batch-ms" => opts.batch = Duration::from_millis(number("--batch-ms")?),
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') => return Err(format!("unknown option {s:?}")),
            group => opts.filters.push(group.to_owned()),
        }
    }
    Ok(opts)
}

fn main() -> ExitCode {
    // The resident-memory section runs each retention policy in a process of its own.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, policy] = args.as_slice() {
        if flag == "--resident-child" {
            return match framealloc_benches::resident::child(policy) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("report: {e}");
                    ExitCode::FAILURE
                }
            };
        }
    }
    let opts = match parse(args.into_iter()) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("report: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if cfg!(debug_assertions) {
        eprintln!("report: this is a debug build; run it with --release for meaningful figures");
    }
    match report::run(&opts, &mut std::io::stdout(), &mut std::io::stderr()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("report: {e}");
            ExitCode::FAILURE
        }
    }
}
