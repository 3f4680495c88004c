#pragma once

#include <entitle/core/verdict.hpp>
#include <entitle/rules/schema.hpp>

#include <boost/describe/enum.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <cstdint>
#include <ostream>
#include <string_view>

namespace entitle {

/// The outcome of an eligibility rule for one person.
enum class status : unsigned char {
  eligible,     ///< the rule is yes
  ineligible,   ///< the rule is no
  undetermined, ///< the rule is unknown: facts it needs are missing
};
BOOST_DESCRIBE_ENUM(status, eligible, ineligible, undetermined)

[[nodiscard]] constexpr status to_status(verdict v) noexcept {
  return v == verdict::yes ? status::eligible : v == verdict::no ? status::ineligible : status::undetermined;
}

[[nodiscard]] inline std::string_view to_string(status s) noexcept { return boost::describe::enum_to_string(s, "?"); }
inline std::ostream& operator<<(std::ostream& out, status s) { return out << to_string(s); }

/// One person's decision on one rule: a small value that never allocates. Names (reason codes,
/// fact names) come from the compiled policy that made it: `first_reason`, `reasons`,
/// `missing_facts`.
struct decision {
  std::uint32_t rule = 0; ///< the rule decided, by index in its policy
  verdict result = verdict::unknown;
  status outcome = status::undetermined;
  /// The requirements that are no, bit j for requirement j; for a rule with a condition, bit 0
  /// when the rule itself is no.
  std::uint64_t failing = 0;
  /// The requirements that are unknown, bit j for requirement j; for a rule with a condition, bit
  /// 0 when the rule itself is unknown.
  std::uint64_t unknown = 0;
  /// When undetermined: the missing facts that would settle the rule, by slot.
  fact_set missing;

  friend bool operator==(const decision&, const decision&) = default;
};

} // namespace entitle
