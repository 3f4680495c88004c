#!/usr/bin/env bash
# The Python example (examples/python/funded_by_district.py) run as docs/python.md shows it, from a
# scratch directory holding what its relative paths name: build/release/python (the module as
# built), examples/python, the demo roster and policies/.
#   example_test.sh SOURCE_DIR MODULE_DIR SCRATCH_DIR
set -euo pipefail
source_dir=$1 module_dir=$2 scratch=$3

rm -rf "$scratch"
mkdir -p "$scratch/build/release" "$scratch/examples/data"
cp -r "$module_dir" "$scratch/build/release/python"
cp -r "$source_dir/examples/python" "$scratch/examples/python"
cp "$source_dir/examples/data/oku-timur-2024-roster.csv" "$scratch/examples/data/"
cp -r "$source_dir/policies" "$scratch/policies"
cd "$scratch"

# The command, joined across its backslash-continued lines.
command=$(sed -n '/^PYTHONPATH=build\/release\/python/,/[^\\]$/p' "$source_dir/docs/python.md" | sed 's/\\$//' | tr -d '\n' | tr -s ' ')
echo "running: $command"
output=$(PYTHONDONTWRITEBYTECODE=1 bash -c "$command")
echo "$output"

# As `entitle demo` decides the roster: 5 rows rejected, the quota of 4,650 funded at Rp201.600 a
# year each (PP 44/2015), Rp937.440.000, and 616 waitlisted.
expected="rows read 6000, rejected 5
funded 4650, waitlisted 616, the regency pays Rp937.440.000"
if [ "$(echo "$output" | head -2)" != "$expected" ]; then
  echo "example_test: the output differs from what is expected:" >&2
  echo "$expected" >&2
  exit 1
fi
if [ "$(head -c 8 funded-by-district.png | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
  echo "example_test: funded-by-district.png is not a PNG" >&2
  exit 1
fi
