#!/usr/bin/env bash
# Build covenant with profile-guided optimisation (PGO): an instrumented build is run over a
# training mix, and the build that follows lays out and inlines the code by what it saw.
# The result, target/pgo/covenant, gives the same output byte for byte and runs about a tenth
# fewer instructions a deal (BENCHMARKS.md, "Profile-guided build").
#
#   benches/pgo.sh                     the release profile
#   PROFILE=dist benches/pgo.sh        the profile users install (fat LTO: a much longer build)
#   STATIC=1 PROFILE=dist benches/pgo.sh
#                                      the same, not position-independent (STATIC set to any
#                                      value: `-C relocation-model=static`, still dynamically
#                                      linked, with no relative relocations left for the
#                                      loader; built for the host's target triple so that proc
#                                      macros stay position-independent): the best build
#                                      measured (BENCHMARKS.md, twenty-seventh session)
#
# Needs rustup's llvm-tools component (for llvm-profdata; added here when missing) and python3.
# Both builds go to their own target folders under target/pgo-work, so the usual build is
# untouched. The training deals are generated here with fixed seeds other than the
# benchmark's (tests/differential/gen.py, benches/baseline-v2/gen.py), plus examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PROFILE=${PROFILE:-release}
WORK=$ROOT/target/pgo-work
FLAGS=
TARGET_ARGS=()
OUT_DIR=$PROFILE
if [ -n "${STATIC:-}" ]; then
  FLAGS="-C relocation-model=static"
  HOST=$(rustc -vV | awk '/^host:/ {print $2}')
  TARGET_ARGS=(--target "$HOST")
  OUT_DIR=$HOST/$PROFILE
fi

rustup component add llvm-tools >/dev/null 2>&1 || true
PROFDATA=$(find "$(rustc --print sysroot)/lib/rustlib" -name llvm-profdata -type f | head -n 1)
if [ ! -x "$PROFDATA" ]; then
  echo "error: llvm-profdata not found (rustup component add llvm-tools)" >&2
  exit 1
fi

rm -rf "$WORK/raw" "$WORK/deals"
mkdir -p "$WORK/raw" "$WORK/deals"

# 1. The instrumented build: every run writes its counts into $WORK/raw.
CARGO_TARGET_DIR=$WORK/generate RUSTFLAGS="-Cprofile-generate=$WORK/raw $FLAGS" \
  cargo build --profile "$PROFILE" --locked --bin covenant "${TARGET_ARGS[@]}"
B=$WORK/generate/$OUT_DIR/covenant

# 2. Training: batches in every format, both benchmark policies, the examples, one YAML deal.
python3 tests/differential/gen.py 1000 --seed 7 --no-yaml --out "$WORK/deals/v1" >/dev/null
python3 benches/baseline-v2/gen.py 1000 --seed 7 --out "$WORK/deals/v2" >/dev/null
python3 benches/baseline-v2/gen.py --widely-held 50 "$WORK/deals/widely.json" >/dev/null
run() { "$B" "$@" >/dev/null 2>&1 || true; } # non-compliant deals exit 1
for format in jsonl "json --deterministic" human sarif junit markdown github; do
  # shellcheck disable=SC2086 # the format's own arguments
  run check -p tests/differential/jv-baseline.policy "$WORK/deals/v1/deals.jsonl" --format $format
  # shellcheck disable=SC2086
  run check -p benches/baseline-v2/baseline-v2.policy "$WORK/deals/v2/deals.jsonl" --format $format
  # shellcheck disable=SC2086
  run check -p examples/policies examples/deals --format $format
done
run check -p examples/north-america/north-america.policy examples/north-america/deals
run check -p examples/canada examples/canada/deals
run check -p examples/policies examples/invalid
run check -p benches/baseline-v2/look-through.policy "$WORK/deals/widely.json"
for _ in $(seq 20); do
  run check -p tests/differential/jv-baseline.policy examples/deals/acme-dragon-51-49.yaml
done

# 3. The optimised build, from the merged counts.
"$PROFDATA" merge -o "$WORK/merged.profdata" "$WORK/raw"
CARGO_TARGET_DIR=$WORK/use RUSTFLAGS="-Cprofile-use=$WORK/merged.profdata $FLAGS" \
  cargo build --profile "$PROFILE" --locked --bin covenant "${TARGET_ARGS[@]}"
install -D -m 0755 "$WORK/use/$OUT_DIR/covenant" "$ROOT/target/pgo/covenant"
echo "target/pgo/covenant ($PROFILE profile, PGO${STATIC:+, not position-independent})"
