#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace entitle {

/// The values a fact may take, as its declaration says: bounds in the fact's compiled form (an
/// integer; money in sen; a rate in billionths; a date as `date_number`), both included, and for
/// an integer code the set of codes it may be (JKK's risk classes 1 to 5). A money fact without a
/// `min` is at least Rp0: an amount below zero needs an explicit negative `min`.
struct fact_range {
  std::optional<std::int64_t> min;   ///< the least value allowed
  std::optional<std::int64_t> max;   ///< the greatest value allowed
  std::vector<std::int64_t> allowed; ///< integer facts only: the codes allowed; empty: any
  std::string citation;              ///< the regulation that sets the range

  /// True when the declaration says nothing about the values.
  [[nodiscard]] bool empty() const noexcept { return !min && !max && allowed.empty(); }

  friend bool operator==(const fact_range&, const fact_range&) = default;
};

} // namespace entitle
