#!/usr/bin/env bash
# Installs the Debian 12 packages entitle needs to build, test and run its examples, and nothing
# that is already there. With --bench it also installs Google Benchmark for bench/; with
# --schema, the JSON Schema validator that scripts/validate-policies.py uses; with --fuzz, Clang
# with its libFuzzer runtime (a package of its own) and llvm-symbolizer, for tests/fuzz; with
# --php, PHP's command line (with FFI) and pkg-config, for the C interface's PHP example; with
# --python, pybind11 and the Python packages of the Python module, its Dask runs, its tests and
# its example.
#
#   scripts/setup.sh            compiler, CMake, Boost 1.81 (JSON, Describe), doctest
#   scripts/setup.sh --bench    the same, plus libbenchmark-dev
#   scripts/setup.sh --schema   the same, plus python3-jsonschema
#   scripts/setup.sh --fuzz     the same, plus clang-14, libclang-rt-14-dev and llvm-14
#   scripts/setup.sh --php      the same, plus php-cli and pkgconf
#   scripts/setup.sh --python   the same, plus pybind11-dev, python3-dev, python3-pandas,
#                               python3-openpyxl, python3-matplotlib, python3-pytest,
#                               python3-dask and python3-distributed
#
# Installing needs root; when every package is already installed it runs as anyone.
set -euo pipefail

packages=(g++ cmake make libboost1.81-dev libboost-json1.81-dev doctest-dev)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(libbenchmark-dev) ;;
    --schema) packages+=(python3-jsonschema) ;;
    --fuzz) packages+=(clang-14 libclang-rt-14-dev llvm-14) ;;
    --php) packages+=(php-cli pkgconf) ;;
    --python)
      packages+=(pybind11-dev python3-dev python3-pandas python3-openpyxl python3-matplotlib python3-pytest
        python3-dask python3-distributed) ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "setup: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" != "installed" ]; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all needed packages are installed (${packages[*]})"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: these packages are missing: ${missing[*]}" >&2
  echo "setup: installing them needs root. Run this script as root, for example:" >&2
  echo "         sudo $0 $*" >&2
  echo "       or install them yourself: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
