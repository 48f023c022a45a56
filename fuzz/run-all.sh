#!/usr/bin/env bash
# Run every fuzz target for a given time and report what each did.
#
#   bash fuzz/run-all.sh SECONDS [-j N] [TARGET...]
#
# Seeds the corpora (seed-corpora.sh), builds all targets once
# (`cargo +nightly fuzz build -O -a`: release, debug assertions and overflow
# checks on, AddressSanitizer), then runs each target for SECONDS, one after
# another, or N at a time with -j N. At the end it prints, and writes to
# fuzz/last-run.md, one line per target: seconds run, executions, and the
# crash files (crash-, leak-, timeout-, oom-, slow-unit-) this run left in
# fuzz/artifacts/<target>/. libFuzzer stops a target at its first crash, so a
# crashed target shows fewer seconds than asked for.
#
# Environment: FUZZ_SANITIZER (address, the default; or none), FUZZ_MAX_LEN
# (bytes per input, default 65536), FUZZ_TIMEOUT (seconds one input may take
# before it counts as a hang, default 10), FUZZ_ARGS (more libFuzzer flags,
# split at spaces), CARGO_BUILD_JOBS (build jobs).
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail

usage() {
    echo "usage: $0 SECONDS [-j N] [TARGET...]" >&2
    exit 2
}

all_targets=(detect native acled ucdp gdelt timelinejs timelinejs_sheet thetimeline csv notes)
seconds=""
jobs=1
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        -j)
            [ $# -ge 2 ] || usage
            jobs="$2"
            shift 2
            ;;
        -j*)
            jobs="${1#-j}"
            shift
            ;;
        -h | --help) usage ;;
        *)
            if [ -z "$seconds" ]; then
                seconds="$1"
            else
                targets+=("$1")
            fi
            shift
            ;;
    esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -gt 0 ] || usage
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || {
        echo "unknown target: $t (targets: ${all_targets[*]})" >&2
        exit 2
    }
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
sanitizer="${FUZZ_SANITIZER:-address}"
max_len="${FUZZ_MAX_LEN:-65536}"
timeout="${FUZZ_TIMEOUT:-10}"

bash "$here/seed-corpora.sh"

echo "building (sanitizer: $sanitizer)..."
cargo +nightly fuzz build -O -a --sanitizer "$sanitizer"
triple="$(rustc +nightly -vV | sed -n 's/^host: //p')"
bin_dir="$here/target/$triple/release"

mkdir -p "$here/logs"
stamp="$here/logs/.started"
touch "$stamp"

run_one() {
    local t="$1"
    mkdir -p "$here/artifacts/$t" "$here/corpus/$t"
    echo "fuzzing $t for ${seconds}s (log: fuzz/logs/$t.log)"
    local status=0 start
    start="$(date +%s)"
    "$bin_dir/$t" "$here/corpus/$t" \
        -artifact_prefix="$here/artifacts/$t/" \
        -max_total_time="$seconds" \
        -rss_limit_mb=4096 \
        -max_len="$max_len" \
        -timeout="$timeout" \
        -print_final_stats=1 \
        ${FUZZ_ARGS:-} \
        >"$here/logs/$t.log" 2>&1 || status=$?
    echo "$status" >"$here/logs/$t.status"
    echo $(($(date +%s) - start)) >"$here/logs/$t.seconds"
}

running=0
for t in "${targets[@]}"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    run_one "$t" &
    running=$((running + 1))
done
wait || true

commit="$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)"
toolchain="$(rustc +nightly --version)"
table="| target | seconds | executions | exec/s | crashes | exit |
|---|---:|---:|---:|---:|---:|"
crashed=0
for t in "${targets[@]}"; do
    log="$here/logs/$t.log"
    # libFuzzer's last words: "Done 12345 runs in 60 second(s)", and with
    # -print_final_stats=1 "stat::number_of_executed_units: 12345".
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
    [ -n "$execs" ] || execs="$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n1)"
    [ -n "$execs" ] || execs="$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n1)"
    [ -n "$execs" ] || execs=0
    secs="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n1)"
    # No "Done" line after a crash: the wall-clock time the target ran.
    [ -n "$secs" ] || secs="$(cat "$here/logs/$t.seconds" 2>/dev/null || echo '?')"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)"
    [ -n "$rate" ] || rate="?"
    crashes="$(find "$here/artifacts/$t" -type f -newer "$stamp" | wc -l)"
    status="$(cat "$here/logs/$t.status" 2>/dev/null || echo '?')"
    [ "$crashes" -eq 0 ] && [ "$status" = 0 ] || crashed=1
    table+="
| $t | $secs | $execs | $rate | $crashes | $status |"
done

{
    echo "# Last fuzzing run"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $toolchain,"
    echo "sanitizer $sanitizer, ${seconds}s per target asked, $jobs at a time,"
    echo "max_len $max_len bytes. Crashes: files this run left in fuzz/artifacts/<target>/."
    echo
    echo "$table"
} >"$here/last-run.md"

echo
echo "$table"
echo
echo "(written to fuzz/last-run.md)"
if [ "$crashed" -ne 0 ]; then
    echo "some target crashed or failed: see fuzz/logs/ and fuzz/artifacts/" >&2
    exit 1
fi
