#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seeds: the test fixtures that each target's
# reader reads (every fixture for `detect`), the embedded default dataset,
# the tiny hand-written seeds in fuzz/seeds/, and the regression inputs in
# tests/fixtures/fuzz/. Safe to run again: it only adds files (libFuzzer
# names its own finds by hash, so nothing it found is overwritten).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
fixtures="$root/tests/fixtures"
corpus="$here/corpus"

targets=(detect native acled ucdp gdelt timelinejs timelinejs_sheet thetimeline csv notes)
for t in "${targets[@]}"; do
    mkdir -p "$corpus/$t"
done

# seed TARGET FILE...: copy each file in, named after its path under the
# repository so that seeds from different folders do not collide.
seed() {
    local target="$1"
    shift
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        local rel="${f#"$root"/}"
        cp "$f" "$corpus/$target/seed-${rel//\//_}"
    done
}

# The detect target takes its first byte as the choice of file name (see
# fuzz_targets/detect.rs); give each fixture the byte of a name with its
# own extension, so that it is detected as it would be from disk.
detect_byte() {
    case "$1" in
        *.export.CSV) echo 8 ;;
        *.geojson.json | *.geojson) echo 9 ;;
        *.json) echo 1 ;;
        *.csv) echo 2 ;;
        *.tsv) echo 3 ;;
        *.txt) echo 4 ;;
        *.tab) echo 5 ;;
        *.CSV) echo 6 ;;
        *.timeline) echo 7 ;;
        *) echo 0 ;;
    esac
}

shopt -s nullglob globstar

for f in "$fixtures"/**/* "$root/assets"/*.json; do
    [ -f "$f" ] || continue
    rel="${f#"$root"/}"
    {
        printf "\\$(printf '%03o' "$(detect_byte "$f")")"
        cat "$f"
    } >"$corpus/detect/seed-${rel//\//_}"
done

seed native "$root/assets"/*.json "$fixtures"/*.json "$fixtures"/json/*.json
seed acled "$fixtures"/acled/*
seed ucdp "$fixtures"/ucdp/*
seed gdelt "$fixtures"/gdelt/*
seed timelinejs "$fixtures"/timelinejs/*.json "$fixtures"/*.json
seed timelinejs_sheet "$fixtures"/timelinejs/*.csv
seed thetimeline "$fixtures"/thetimeline/*
seed csv "$fixtures"/**/*.csv "$fixtures"/**/*.CSV "$fixtures"/**/*.tsv "$fixtures"/sources/*
seed notes "$here"/seeds/notes/*

# Inputs that once crashed a target are seeds for that target again.
for t in "${targets[@]}"; do
    seed "$t" "$fixtures"/fuzz/"$t"/*
done

for t in "${targets[@]}"; do
    printf '%-17s %4d seeds\n' "$t" "$(find "$corpus/$t" -type f | wc -l)"
done
