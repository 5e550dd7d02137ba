#!/usr/bin/env sh
# Seed the fuzz corpora from the examples and the test fixtures.
# Usage (from anywhere): fuzz/seed.sh
# Copies into fuzz/corpus/<target>/ (git-ignored); existing corpus entries are kept.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus="$here/corpus"

seed() { # seed <target> <extension>...
    target=$1
    shift
    mkdir -p "$corpus/$target"
    for ext in "$@"; do
        find "$root/examples" "$root/tests/fixtures" "$root/tests/differential" \
            -type f -name "*.$ext" | while read -r f; do
            # One flat name per file: path relative to the repo, / turned into _.
            name=$(printf '%s' "${f#"$root"/}" | tr '/' '_')
            cp "$f" "$corpus/$target/$name"
        done
    done
}

seed policy policy
seed deal_yaml yaml yml
seed deal_json json
seed deal_toml toml
seed deal_jsonl jsonl json
seed evaluate json yaml yml

# seed_lines <target>: every `*.json` deal, and each line of every `*.jsonl` batch as a file
# of its own (the targets read one JSON deal), plus 200 generated jv-baseline and baseline-v2
# deals when python3 is there.
seed_lines() {
    target=$1
    seed "$target" json
    find "$root/examples" "$root/tests/fixtures" -type f -name '*.jsonl' | while read -r f; do
        name=$(printf '%s' "${f#"$root"/}" | tr '/' '_')
        n=0
        while IFS= read -r line; do
            n=$((n + 1))
            printf '%s' "$line" > "$corpus/$target/$name-$n.json"
        done < "$f"
    done
    if command -v python3 > /dev/null; then
        tmp=$(mktemp -d)
        python3 "$root/tests/differential/gen.py" 200 --no-yaml --out "$tmp/jv" > /dev/null 2>&1
        python3 "$root/benches/baseline-v2/gen.py" 200 --out "$tmp/v2" > /dev/null 2>&1
        for g in jv v2; do
            split -l 1 -d -a 3 "$tmp/$g/deals.jsonl" "$corpus/$target/gen-$g-"
        done
        rm -rf "$tmp"
    fi
}
seed_lines deal_fast
seed_lines compiled
# Regression inputs found by earlier runs are seeds as well.
for t in policy deal_yaml deal_json deal_toml deal_jsonl deal_graph evaluate deal_fast compiled; do
    if [ -d "$root/tests/fixtures/fuzz/$t" ]; then
        mkdir -p "$corpus/$t"
        cp "$root/tests/fixtures/fuzz/$t"/* "$corpus/$t/" 2>/dev/null || true
    fi
done
for t in "$corpus"/*; do
    echo "$(basename "$t"): $(ls "$t" | wc -l) files"
done
