# Sourced by benches/counts.sh and benches/deal_shapes.sh: `total ARGS…` prints callgrind's
# total instructions for one run of "$BIN" ARGS… (its output dropped, its exit status ignored),
# with the profile written under "$WORK".
total() {
  local out=$WORK/callgrind.out
  valgrind --tool=callgrind --callgrind-out-file="$out" "$BIN" "$@" > /dev/null 2>&1 || true
  callgrind_annotate "$out" 2> /dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
