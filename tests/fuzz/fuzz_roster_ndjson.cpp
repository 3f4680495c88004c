// Fuzz target: NDJSON rosters read by `roster_reader` (roster_fuzz.hpp says what is checked).
#include "roster_fuzz.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  entitle_fuzz::fuzz_roster(data, size, entitle::roster_format::ndjson);
  return 0;
}
