#pragma once

#include <entitle/core/money.hpp>

#include <boost/describe/enum.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

// How a capped subsidy's quota and budget fall on its candidates (docs/batch.md, "Quotas and
// budgets"): a pure function of the candidates in rank order and what each would cost, kept
// apart from reading, ranking and writing so that the rule is in one place and tested alone.
namespace entitle {

/// A person's place in one capped subsidy.
enum class quota_status : unsigned char {
  none,       ///< not a candidate: the subsidy's rule does not select them, or it pays them nothing
  funded,     ///< within the quota and budget
  waitlisted, ///< a candidate ranked after the quota or budget ran out
};
BOOST_DESCRIBE_ENUM(quota_status, none, funded, waitlisted)
[[nodiscard]] inline std::string_view to_string(quota_status s) noexcept {
  return boost::describe::enum_to_string(s, "?");
}

struct quota_place {
  quota_status status = quota_status::none;
  std::uint64_t rank = 0; ///< 1 for the first candidate; 0 when not a candidate
  money cost;             ///< what the subsidy pays for them over its whole window
  friend bool operator==(const quota_place&, const quota_place&) = default;
};

/// What limits a capped subsidy: people, money over its window, or both.
struct allocation_limits {
  std::optional<std::int64_t> quota;
  std::optional<money> budget;
};

/// How the limits fell: the funded and waitlisted, the money spent on the funded, and what cut
/// the list ("quota", "budget", or "" when everyone was funded).
struct allocation_result {
  std::uint64_t funded = 0;
  std::uint64_t waitlisted = 0;
  money spent;
  std::string_view cut_by;
  friend bool operator==(const allocation_result&, const allocation_result&) = default;
};

/// Funds the candidates whole, in rank order, while the number funded stays within the quota and
/// the money within the budget; at the first who does not fit, that one and everyone after are
/// waitlisted, even one who would fit in what is left, so that nobody is funded ahead of someone
/// ranked before them. `ranked` holds the candidates in rank order (any ids of the caller's);
/// `cost(c)` is what candidate `c` would cost; `place(c, p)` receives each candidate's place,
/// with ranks from 1. A quota or budget below zero never reaches here: the binder refuses it.
template <class Cost, class Place>
allocation_result allocate(std::span<const std::uint32_t> ranked, const allocation_limits& limits, Cost&& cost,
                           Place&& place) {
  allocation_result out;
  bool open = true;
  for (std::size_t r = 0; r < ranked.size(); ++r) {
    const std::uint32_t c = ranked[r];
    const money price = cost(c);
    if (open && limits.quota && out.funded >= static_cast<std::uint64_t>(*limits.quota)) {
      open = false;
      out.cut_by = "quota";
    }
    if (open && limits.budget && *limits.budget < out.spent + price) {
      open = false;
      out.cut_by = "budget";
    }
    place(c, quota_place{open ? quota_status::funded : quota_status::waitlisted, r + 1, price});
    if (open) {
      ++out.funded;
      out.spent += price;
    } else {
      ++out.waitlisted;
    }
  }
  return out;
}

} // namespace entitle
