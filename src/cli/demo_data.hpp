#pragma once

// What `entitle demo` runs on, built into the tool from policies/ and examples/data/ so that the
// demo needs no files.
#include <string_view>
#include <utility>
#include <vector>

namespace entitle_demo {

inline constexpr std::string_view policy_id = "oku-timur/pekerja-rentan-2024-iuran";
inline constexpr std::string_view roster_name = "examples/data/oku-timur-2024-roster.csv (6,000 people)";

/// The policy files the demo's policy needs, each with the path it came from.
std::vector<std::pair<std::string_view, std::string_view>> policies();
/// The roster, in CSV.
std::string_view roster();

} // namespace entitle_demo
