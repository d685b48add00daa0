#!/usr/bin/env bash
# Time to the first prompt of the guide (release build, shipped ./Content bundle) against a Swift hello-world
# built the same way, in one run, under a pseudo-terminal. Target: the guide's median within 2x of hello's.
#   bench/startup.sh              100 interleaved runs each after 5 warm-up runs each
#   RUNS=20 WARMUP=2 bench/startup.sh
# It is a report: it exits 0 whether the target is met or not (non-zero only when a build or a run fails).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
swift="${SWIFT:-swift}"
runs="${RUNS:-100}"
warmup="${WARMUP:-5}"

# Runs a build, printing its output without the progress lines; stops the bench if it fails.
build() {
    local log
    if ! log="$("$@" 2>&1)"; then
        printf '%s\n' "$log" >&2
        echo "startup bench: the build failed: $*" >&2
        exit 1
    fi
    printf '%s\n' "$log" | grep -v '^\[' || true
}

echo "Building the guide (release)..."
build "$swift" build -c release --product klonopin-guide
guide="$("$swift" build -c release --product klonopin-guide --show-bin-path)/klonopin-guide"

echo "Building the hello-world (release)..."
build "$swift" build -c release --package-path bench/hello --scratch-path "$root/.build-hello"
hello="$("$swift" build -c release --package-path bench/hello --scratch-path "$root/.build-hello" --show-bin-path)/hello"

for binary in "$guide" "$hello"; do
    [[ -x "$binary" ]] || { echo "startup bench: the build did not produce $binary" >&2; exit 1; }
done

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
command="RUNS=$runs WARMUP=$warmup bench/startup.sh"
exec python3 bench/startup.py --guide "$guide" --hello "$hello" --cwd "$root" --runs "$runs" --warmup "$warmup" \
    --csv "$root/bench/out/startup-$commit.csv" --command "$command"
