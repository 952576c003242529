//! The binary format and the Chrome trace-event export.
//!
//! See the [format](super#the-binary-format-version-1).

use core::fmt::{self, Write as _};
use std::string::String;
use std::vec::Vec;

use super::{EventKind, OwnedSite, Profile, Record, Site};

/// The first eight bytes of an export.
pub const MAGIC: [u8; 8] = *b"FAPROF\0\0";
/// The format version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

const HEADER: usize = 8 + 4 + 4 + 8 + 8 + 8 + 16 + 8;

/// Why bytes are not a profile export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The bytes do not start with [`MAGIC`]: not a framealloc profile.
    NotAProfile,
    /// Written in a format version this crate does not read.
    UnsupportedVersion(u32),
    /// The bytes end before the part named.
    Truncated(&'static str),
    /// A name is not UTF-8.
    BadName,
    /// Record `index` has an unknown kind.
    BadRecord {
        /// The record's index.
        index: usize,
    },
    /// Bytes follow the last record.
    TrailingBytes,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::NotAProfile => {
                f.write_str("not a framealloc profile: the bytes do not start with FAPROF")
            }
            ParseError::UnsupportedVersion(v) => write!(
                f,
                "profile format version {v} is not supported (this framealloc reads version \
                 {FORMAT_VERSION}); export it again with this version"
            ),
            ParseError::Truncated(part) => write!(f, "the profile ends inside its {part}"),
            ParseError::BadName => f.write_str("a name in the profile is not UTF-8"),
            ParseError::BadRecord { index } => {
                write!(f, "record {index} of the profile has an unknown kind")
            }
            ParseError::TrailingBytes => f.write_str("bytes follow the profile's last record"),
        }
    }
}

impl std::error::Error for ParseError {}

impl Profile {
    /// The profile in the binary format (see the [format](super#the-binary-format-version-1)).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.records.len() * Record::SIZE + 1024);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(Record::SIZE as u32).to_le_bytes());
        out.extend_from_slice(&self.interval.to_le_bytes());
        out.extend_from_slice(&self.budget.unwrap_or(u64::MAX).to_le_bytes());
        out.extend_from_slice(&self.spike_factor.to_bits().to_le_bytes());
        for n in [self.sites.len(), self.tags.len(), self.threads.len(), 0] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        out.extend_from_slice(&(self.records.len() as u64).to_le_bytes());
        let name = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        for site in &self.sites {
            out.extend_from_slice(&site.line.to_le_bytes());
            out.extend_from_slice(&site.column.to_le_bytes());
            name(&mut out, &site.file);
        }
        for s in self.tags.iter().chain(&self.threads) {
            name(&mut out, s);
        }
        out.resize(out.len().next_multiple_of(8), 0);
        for r in &self.records {
            out.extend_from_slice(&r.to_bytes());
        }
        out
    }
}

/// A profile read in place from its binary export: the names are borrowed, the records are
/// decoded from the bytes as they are read.
///
/// ```
/// use framealloc::profile::{ProfileConfig, ProfileView, Profiler};
/// use framealloc::{ArenaConfig, FrameArena};
///
/// let profiler = Profiler::new(ProfileConfig::new().exhaustive());
/// let mut arena = FrameArena::with_config(ArenaConfig::new().profiler(&profiler));
/// arena.frame(|f| {
///     f.alloc(7u64);
/// });
/// let bytes = profiler.snapshot().to_bytes();
/// let view = ProfileView::parse(&bytes)?;
/// assert_eq!(view.len(), 2);
/// assert_eq!(view.record(0).unwrap().size(), 8);
/// assert!(view.site(view.record(0).unwrap().site()).file.ends_with(".rs"));
/// # Ok::<(), framealloc::profile::ParseError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ProfileView<'a> {
    interval: u64,
    budget: Option<u64>,
    spike_factor: f64,
    sites: Vec<Site<'a>>,
    tags: Vec<&'a str>,
    threads: Vec<&'a str>,
    records: &'a [[u8; 32]],
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, part: &'static str) -> Result<&'a [u8], ParseError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(ParseError::Truncated(part))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self, part: &'static str) -> Result<u32, ParseError> {
        Ok(u32::from_le_bytes(
            self.take(4, part)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self, part: &'static str) -> Result<u64, ParseError> {
        Ok(u64::from_le_bytes(
            self.take(8, part)?.try_into().expect("8 bytes"),
        ))
    }

    fn name(&mut self, part: &'static str) -> Result<&'a str, ParseError> {
        let len = self.u32(part)? as usize;
        core::str::from_utf8(self.take(len, part)?).map_err(|_| ParseError::BadName)
    }
}

impl<'a> ProfileView<'a> {
    /// Reads an export, checking every part of it; records are then read in place.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ParseError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8, "header").ok() != Some(&MAGIC[..]) {
            return Err(ParseError::NotAProfile);
        }
        let version = r.u32("header")?;
        if version != FORMAT_VERSION {
            return Err(ParseError::UnsupportedVersion(version));
        }
        if r.u32("header")? != Record::SIZE as u32 {
            return Err(ParseError::UnsupportedVersion(version));
        }
        let interval = r.u64("header")?;
        let budget = Some(r.u64("header")?).filter(|&b| b != u64::MAX);
        let spike_factor = f64::from_bits(r.u64("header")?);
        let (n_sites, n_tags, n_threads) = (r.u32("header")?, r.u32("header")?, r.u32("header")?);
        r.u32("header")?;
        let n_records = r.u64("header")?;
        // Each name takes at least 4 bytes: counts beyond what is left are truncation, not
        // an allocation to attempt.
        let left = bytes.len() / 4;
        if [n_sites, n_tags, n_threads]
            .iter()
            .any(|&n| n as usize > left)
        {
            return Err(ParseError::Truncated("names"));
        }
        let mut sites = Vec::with_capacity(n_sites as usize);
        for _ in 0..n_sites {
            let (line, column) = (r.u32("sites")?, r.u32("sites")?);
            let file = r.name("sites")?;
            sites.push(Site { file, line, column });
        }
        let mut tags = Vec::with_capacity(n_tags as usize);
        for _ in 0..n_tags {
            tags.push(r.name("tags")?);
        }
        let mut threads = Vec::with_capacity(n_threads as usize);
        for _ in 0..n_threads {
            threads.push(r.name("threads")?);
        }
        r.take(r.at.next_multiple_of(8) - r.at, "records")?;
        let len = usize::try_from(n_records)
            .ok()
            .and_then(|n| n.checked_mul(Record::SIZE))
            .ok_or(ParseError::Truncated("records"))?;
        let body = r.take(len, "records")?;
        if r.at != bytes.len() {
            return Err(ParseError::TrailingBytes);
        }
        let (records, rest) = body.as_chunks::<32>();
        debug_assert!(rest.is_empty());
        if let Some(index) = records
            .iter()
            .position(|b| EventKind::from_u8(b[31] & 7).is_none())
        {
            return Err(ParseError::BadRecord { index });
        }
        Ok(ProfileView {
            interval,
            budget,
            spike_factor,
            sites,
            tags,
            threads,
            records,
        })
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Record `index`, decoded from its bytes.
    pub fn record(&self, index: usize) -> Option<Record> {
        self.records.get(index).map(Record::from_bytes)
    }

    /// The records, decoded one by one.
    pub fn records(&self) -> impl ExactSizeIterator<Item = Record> + '_ {
        self.records.iter().map(Record::from_bytes)
    }

    /// The call site with index `id` ([`Site::UNKNOWN`] if there is none).
    pub fn site(&self, id: u32) -> Site<'a> {
        self.sites
            .get(id as usize)
            .copied()
            .unwrap_or(Site::UNKNOWN)
    }

    /// The tags, by index (index 0, the empty name, is no tag).
    pub fn tags(&self) -> &[&'a str] {
        &self.tags
    }

    /// The threads, by index.
    pub fn threads(&self) -> &[&'a str] {
        &self.threads
    }

    /// The sampling interval the profile was recorded with.
    pub fn interval(&self) -> u64 {
        self.interval
    }

    /// An owned [`Profile`] (for its reports), copying the records and names.
    pub fn to_profile(&self) -> Profile {
        Profile {
            records: self.records().collect(),
            sites: self.sites.iter().map(Site::to_owned_site).collect(),
            tags: self.tags.iter().map(|t| String::from(*t)).collect(),
            threads: self.threads.iter().map(|t| String::from(*t)).collect(),
            interval: self.interval,
            budget: self.budget,
            spike_factor: self.spike_factor,
        }
    }
}

/// Writes `s` as a JSON string literal.
pub(crate) fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl Profile {
    /// The profile as Chrome trace-event JSON, which Perfetto (<https://ui.perfetto.dev>) and
    /// `chrome://tracing` open: one track per thread, with its frames as slices, each record
    /// as an instant event (its site, size, tag and weight in its arguments), and counters of
    /// each frame's peak and of its estimated bytes by tag.
    pub fn to_chrome_trace(&self) -> String {
        let mut out = String::with_capacity(self.records.len() * 160 + 256);
        out.push_str("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
        let mut first = true;
        let mut event = |out: &mut String, body: fmt::Arguments<'_>| {
            if !first {
                out.push_str(",\n");
            }
            first = false;
            let _ = out.write_fmt(body);
        };
        for (tid, name) in self.threads.iter().enumerate() {
            let mut n = String::new();
            json_str(&mut n, name);
            event(
                &mut out,
                format_args!(
                    "{{\"ph\":\"M\",\"pid\":1,\"tid\":{tid},\"name\":\"thread_name\",\"args\":{{\"name\":{n}}}}}"
                ),
            );
        }
        // Each thread's clock: the sum of its records' deltas, in microseconds.
        let mut clock: Vec<u64> = vec![0; 256];
        let mut frame_start: Vec<Option<u64>> = vec![None; 256];
        let frames: std::collections::HashMap<u32, super::FrameBytes> =
            self.frames().into_iter().map(|f| (f.frame, f)).collect();
        for r in &self.records {
            let tid = usize::from(r.thread());
            clock[tid] += u64::from(r.delta_ns());
            let ts = clock[tid] as f64 / 1000.0;
            let start = *frame_start[tid].get_or_insert(clock[tid]);
            let mut tag = String::new();
            json_str(&mut tag, self.tag_name(r.tag()));
            match r.kind() {
                EventKind::FrameEnd => {
                    let dur = (clock[tid] - start) as f64 / 1000.0;
                    event(
                        &mut out,
                        format_args!(
                            "{{\"ph\":\"X\",\"pid\":1,\"tid\":{tid},\"ts\":{:.3},\"dur\":{dur:.3},\"name\":\"frame {}\",\"args\":{{\"used\":{},\"peak\":{}}}}}",
                            start as f64 / 1000.0,
                            r.frame(),
                            r.size(),
                            r.extra()
                        ),
                    );
                    event(
                        &mut out,
                        format_args!(
                            "{{\"ph\":\"C\",\"pid\":1,\"tid\":{tid},\"ts\":{ts:.3},\"name\":\"arena peak\",\"args\":{{\"bytes\":{}}}}}",
                            r.extra()
                        ),
                    );
                    if let Some(f) = frames.get(&r.frame()) {
                        let mut args = String::new();
                        for (i, (name, bytes)) in f.by_tag.iter().enumerate() {
                            if i > 0 {
                                args.push(',');
                            }
                            json_str(&mut args, name);
                            let _ = write!(args, ":{bytes}");
                        }
                        event(
                            &mut out,
                            format_args!(
                                "{{\"ph\":\"C\",\"pid\":1,\"tid\":{tid},\"ts\":{ts:.3},\"name\":\"bytes by tag\",\"args\":{{{args}}}}}"
                            ),
                        );
                    }
                    frame_start[tid] = None;
                }
                kind => {
                    let mut site = String::new();
                    json_str(&mut site, &self.site(r.site()).to_string());
                    event(
                        &mut out,
                        format_args!(
                            "{{\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":{tid},\"ts\":{ts:.3},\"name\":\"{}\",\"args\":{{\"site\":{site},\"size\":{},\"tag\":{tag},\"weight\":{:.3}}}}}",
                            kind.name(),
                            r.size(),
                            r.weight()
                        ),
                    );
                }
            }
        }
        out.push_str("\n]}\n");
        out
    }
}

impl OwnedSite {
    /// `file:line:column`.
    pub fn to_display(&self) -> String {
        self.as_site().to_string()
    }
}
