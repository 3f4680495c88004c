#!/usr/bin/env bash
# The PHP example (examples/php/decide.php) run as docs/c-api.md shows it, from a scratch directory
# holding what its relative paths name: examples/php, include/entitle/entitle.h, policies/ and the
# built build/release/libentitle.so. Skipped (exit 77) where PHP with FFI is not installed
# (scripts/setup.sh --php installs it).
#   php_example_test.sh SOURCE_DIR LIBRARY SCRATCH_DIR
set -euo pipefail
source_dir=$1 library=$2 scratch=$3

if ! command -v php >/dev/null || ! grep -qx FFI <<<"$(php -m)"; then
  echo "php with FFI is not installed (scripts/setup.sh --php): skipped"
  exit 77
fi

rm -rf "$scratch"
mkdir -p "$scratch/examples" "$scratch/include/entitle" "$scratch/build/release"
cp -r "$source_dir/examples/php" "$scratch/examples/php"
cp "$source_dir/include/entitle/entitle.h" "$scratch/include/entitle/"
cp -r "$source_dir/policies" "$scratch/policies"
cp "$library" "$scratch/build/release/libentitle.so"
cd "$scratch"

command=$(grep -m1 -o 'php examples/php/decide.php [^`]*' "$source_dir/docs/c-api.md")
echo "running: $command"
output=$(bash -c "$command")
echo "$output"

# The figures of the example's head: 12 x (Rp10.000 + Rp6.800) = Rp201.600 (PP 44/2015).
expected="Sri Wahyuni: eligible
  2024-01..2024-12: Rp201.600 (PEMKAB_OKU_TIMUR Rp201.600)
Budi Santoso: undetermined (ask for: monthly_income)
refused: /birth_date: the date fact \"birth_date\": \"1980-02-30\" is not a date: that month has 29 days"
if [ "$(echo "$output" | tail -n +2)" != "$expected" ]; then
  echo "php_example_test: the output differs from what is expected:" >&2
  echo "$expected" >&2
  exit 1
fi
