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

# seed_lines <target>...: every `*.json` deal, and each line of every `*.jsonl` batch as a file
# of its own (the targets read one JSON deal), plus 200 generated jv-baseline and baseline-v2
# deals when python3 is there.
seed_lines() {
    for target in "$@"; do
        seed "$target" json
        find "$root/examples" "$root/tests/fixtures" -type f -name '*.jsonl' | while read -r f; do
            name=$(printf '%s' "${f#"$root"/}" | tr '/' '_')
            n=0
            while IFS= read -r line || [ -n "$line" ]; do
                n=$((n + 1))
                if [ -n "$line" ]; then
                    printf '%s' "$line" > "$corpus/$target/$name-$n.json"
                fi
            done < "$f"
        done
    done
    command -v python3 > /dev/null || return 0
    tmp=$(mktemp -d)
    for g in jv:tests/differential/gen.py:--no-yaml v2:benches/baseline-v2/gen.py:; do
        name=${g%%:*} rest=${g#*:}
        script=${rest%%:*} extra=${rest#*:}
        # shellcheck disable=SC2086 # $extra is one flag or none
        if python3 "$root/$script" 200 $extra --out "$tmp/$name" > /dev/null 2>&1; then
            n=0
            while IFS= read -r line; do
                n=$((n + 1))
                for target in "$@"; do
                    printf '%s' "$line" > "$corpus/$target/gen-$name-$n.json"
                done
            done < "$tmp/$name/deals.jsonl"
        else
            echo "seed.sh: $script failed; no generated $name seeds" >&2
        fi
    done
    rm -rf "$tmp"
}
seed_lines deal_fast compiled
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
