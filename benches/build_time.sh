#!/usr/bin/env bash
# What the derives add to build time: `cargo check` of a crate of 200 structs, four ways:
#   plain        no derive
#   layout       #[derive(FrameLayout)] with three layout checks each
#   framealloc   #[derive(FrameLayout)] with the same checks, plus #[soa]
#   soa_derive   #[derive(StructOfArray)] from soa_derive, the common SoA derive
# Dependencies are built first; each crate's own check is then timed five times (touching
# its source) and the median kept.
#
# Usage: bash benches/build_time.sh   (from anywhere; writes under target/build-time)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/target/build-time"
structs=200
mkdir -p "$work"

generate() { # name, kind
    local dir="$work/$1" kind=$2
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
framealloc = { path = "$root/framealloc" }
soa_derive = "0.14"

[workspace]
TOML
    {
        echo "#![allow(dead_code)]"
        for i in $(seq 1 $structs); do
            case $kind in
            layout)
                echo "#[derive(framealloc::FrameLayout)]"
                echo "#[frame(max_size = 128, hot(pos, vel), no_drop)]" ;;
            framealloc)
                echo "#[framealloc::soa]"
                echo "#[derive(framealloc::FrameLayout)]"
                echo "#[frame(max_size = 128, hot(pos, vel), no_drop)]" ;;
            soa_derive)
                echo "#[derive(soa_derive::StructOfArray)]" ;;
            esac
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

kinds="plain layout framealloc soa_derive"
for k in $kinds; do
    generate "$k-structs" "$k"
    cargo check -q --manifest-path "$work/$k-structs/Cargo.toml" --target-dir "$work/target"
done
declare -A took
for k in $kinds; do
    took[$k]=$(median_check "$work/$k-structs")
done
echo "cargo check of $structs structs, median of 5 (s):"
echo "  no derive                                     ${took[plain]}"
echo "  #[derive(FrameLayout)], 3 checks each         ${took[layout]}"
echo "  #[derive(FrameLayout)], 3 checks, and #[soa]  ${took[framealloc]}"
echo "  #[derive(StructOfArray)] (soa_derive)         ${took[soa_derive]}"
