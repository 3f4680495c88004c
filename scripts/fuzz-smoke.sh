#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (the "fuzz" preset) and runs each for SECONDS
# (default 60), one after the other, on a copy of its seed corpus in a scratch directory, so that
# nothing is written into the repository. Fails when any target crashes, breaks an invariant,
# times out (10 s for one input) or runs out of memory (2048 MB).
#
#   scripts/fuzz-smoke.sh [SECONDS]
#
# Needs Clang 14 and its libFuzzer runtime: scripts/setup.sh --fuzz. The scratch directory is
# $ENTITLE_FUZZ_WORK when set (kept), else a new one under ${TMPDIR:-/tmp}, removed when every
# target passes (unless ENTITLE_FUZZ_KEEP=1) and kept when one fails: each target's log, grown
# corpus and crash reproducers (artifacts/crash-*, timeout-*, oom-*, leak-*) are there.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
case "$seconds" in
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  ''|*[!0-9]*|0) echo "fuzz-smoke: SECONDS must be a positive whole number, not '$seconds'" >&2; exit 2 ;;
esac

targets=(fuzz_policy fuzz_roster_csv fuzz_roster_ndjson fuzz_values fuzz_batch)

cmake --preset fuzz
cmake --build --preset fuzz --target fuzzers

if [ -n "${ENTITLE_FUZZ_WORK:-}" ]; then
  work=$ENTITLE_FUZZ_WORK
  made_work=0
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/entitle-fuzz.XXXXXX")
  made_work=1
fi
work=$(cd "$work" && pwd)
case "$work/" in
  "$PWD"/*) echo "fuzz-smoke: the scratch directory $work is inside the repository; pick another" >&2; exit 2 ;;
esac

# Symbolized stack traces; UBSan reports with theirs. -fno-sanitize-recover makes UBSan abort.
symbolizer=$(command -v llvm-symbolizer-14 || command -v /usr/lib/llvm-14/bin/llvm-symbolizer || command -v llvm-symbolizer || true)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1${symbolizer:+:external_symbolizer_path=$symbolizer}}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1${symbolizer:+:external_symbolizer_path=$symbolizer}}

failed=()
for target in "${targets[@]}"; do
  dir="$work/$target"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp -R "tests/fuzz/corpus/$target/." "$dir/corpus/"
  options=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
           -artifact_prefix="$dir/artifacts/")
  if [ -f "tests/fuzz/$target.dict" ]; then options+=(-dict="tests/fuzz/$target.dict"); fi
  printf '\n---- %s for %s s (log: %s/log) ----\n' "$target" "$seconds" "$dir"
  status=0
  "build/fuzz/tests/fuzz/$target" "${options[@]}" "$dir/corpus" >"$dir/log" 2>&1 || status=$?
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$dir/log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz-smoke: $target FAILED (exit $status); the end of its log:" >&2
    tail -n 60 "$dir/log" >&2
    ls -l "$dir/artifacts" >&2
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  printf '\nfuzz-smoke: %d of %d targets failed: %s\n' "${#failed[@]}" "${#targets[@]}" "${failed[*]}" >&2
  echo "fuzz-smoke: logs and reproducers kept in $work (rerun one with: build/fuzz/tests/fuzz/<target> <reproducer>)" >&2
  exit 1
fi
printf '\nfuzz-smoke: all %d targets ran %s s each without a finding\n' "${#targets[@]}" "$seconds"
if [ "${ENTITLE_FUZZ_KEEP:-0}" = 1 ] || [ "$made_work" = 0 ]; then
  echo "fuzz-smoke: kept $work"
else
  rm -rf "$work"
fi
