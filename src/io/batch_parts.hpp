// The stages of a run in parts (entitle/io/batch_parts.hpp), with access to what the batch's
// constructor checked.
#pragma once

#include "batch_stages.hpp"

#include <entitle/io/batch_parts.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace entitle::detail {

struct part_range;

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
  static part_range add_survey(const batch& b, std::string_view survey, std::size_t index, scanned& all,
                               std::string& id_column);
  static std::string placement(const batch& b, const scanned& all, const part_range& range, std::size_t index,
                               std::size_t parts);
  static std::size_t apply_placement(const batch& b, std::string_view placement, scanned& found, std::size_t& parts);
  // A part's totals: what it read, decided and paid (batch_part_totals.cpp).
  static std::string write_totals(const batch& b, const batch_summary& sum, std::size_t index, std::size_t parts);
};

} // namespace entitle::detail
