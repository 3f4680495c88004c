// The stages of a run in parts (entitle/io/batch_parts.hpp), with access to what the batch's
// constructor checked.
#pragma once

#include "batch_stages.hpp"

#include <entitle/io/batch_parts.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace entitle::detail {

struct part_range;

// What a part's placement names: the plan, the part's number and the number of parts.
struct part_run {
  std::uint64_t plan = 0;
  std::uint64_t index = 0;
  std::uint64_t parts = 0;
};

class batch_parts {
public:
  static std::string survey(const batch& b, row_source& part);
  static part_plan plan(const batch& b, std::span<const std::string_view> surveys);
  static std::string run(const batch& b, row_source& part, std::string_view placement, const batch::row_handler& on_row,
                         const batch::reject_handler& on_reject);
  static batch_summary merge(const batch& b, const part_plan& plan, std::span<const std::string_view> totals);

private:
  // What every message names, so that one made for another policy or other options is refused.
  static std::string shape(const batch& b);
  static part_range add_survey(std::string_view shape, std::string_view survey, std::size_t index, scanned& all,
                               std::string& id_column);
  static std::string placement(std::string_view shape, std::uint64_t plan, const scanned& all, const part_range& range,
                               std::size_t index, std::size_t parts);
  static part_run apply_placement(const batch& b, std::string_view placement, scanned& found);
  // A part's totals: what it read, decided and paid (batch_part_totals.cpp).
  static std::string write_totals(const batch& b, const batch_summary& sum, const part_run& run);
};

} // namespace entitle::detail
