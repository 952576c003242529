#!/usr/bin/env bash
# Measures what #[derive(FrameLayout)] adds to build time: `cargo check` of a crate with 200
# derived structs, against the same crate without the derive. Dependencies are built first;
# each crate's own check is then timed five times (touching its source) and the median kept.
#
# Usage: bash benches/build_time.sh   (from the workspace root)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/target/build-time"
structs=200
mkdir -p "$work"

generate() { # name, with-derive (1/0)
    local dir="$work/$1" derive=$2
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
framealloc = { path = "$root/framealloc" }

[workspace]
TOML
    {
        echo "#![allow(dead_code)]"
        for i in $(seq 1 $structs); do
            if [ "$derive" = 1 ]; then
                echo "#[derive(framealloc::FrameLayout)]"
                echo "#[frame(max_size = 128, hot(pos, vel), no_drop)]"
            fi
            echo "pub struct S$i { pos: [f32; 3], vel: [f32; 3], id: u32, flags: u16, alive: bool, mass: f64 }"
        done
    } > "$dir/src/lib.rs"
}

median_check() { # dir
    local times=()
    for _ in 1 2 3 4 5; do
        touch "$1/src/lib.rs"
        local start end
        start=$(date +%s.%N)
        cargo check -q --manifest-path "$1/Cargo.toml" --target-dir "$work/target"
        end=$(date +%s.%N)
        times+=("$(awk "BEGIN { printf \"%.3f\", $end - $start }")")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

generate plain-structs 0
generate derived-structs 1
cargo check -q --manifest-path "$work/plain-structs/Cargo.toml" --target-dir "$work/target"
cargo check -q --manifest-path "$work/derived-structs/Cargo.toml" --target-dir "$work/target"
plain=$(median_check "$work/plain-structs")
derived=$(median_check "$work/derived-structs")
echo "cargo check, $structs structs, median of 5: without derive ${plain}s, with #[derive(FrameLayout)] and 3 checks each ${derived}s"
