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
# Regression inputs found by earlier runs are seeds as well.
for t in policy deal_yaml deal_json deal_toml deal_jsonl deal_graph evaluate; do
    if [ -d "$root/tests/fixtures/fuzz/$t" ]; then
        mkdir -p "$corpus/$t"
        cp "$root/tests/fixtures/fuzz/$t"/* "$corpus/$t/" 2>/dev/null || true
    fi
done
for t in "$corpus"/*; do
    echo "$(basename "$t"): $(ls "$t" | wc -l) files"
done
