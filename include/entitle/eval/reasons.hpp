#pragma once

#include <entitle/eval/decision.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace entitle {

/// The reason codes of a decision on `rules`, in requirement order, for whoever reads it:
/// - not eligible: the `reason` of each failing requirement (of the rule itself for a rule with a
///   condition);
/// - undetermined: the `reason_unknown` of each unknown requirement that has one, or, when none
///   has, the rule's own `reason_unknown`; nothing when no such code is declared;
/// - eligible: nothing.
/// Views into `rules`.
[[nodiscard]] inline std::vector<std::string_view> decision_reasons(const bound_rules& rules, const decision& d) {
  std::vector<std::string_view> out;
  const bound_rule& r = rules.rules[d.rule];
  const bool undetermined = d.failing == 0 && d.result == verdict::unknown;
  if (d.failing == 0 && !undetermined) return out;
  if (r.root) {
    const std::string& code = undetermined ? r.reason_unknown : r.reason;
    if (!code.empty()) out.push_back(code);
    return out;
  }
  const std::uint64_t bits = undetermined ? d.unknown : d.failing;
  for (std::size_t j = 0; j < r.requirements.size(); ++j) {
    if ((bits & (std::uint64_t{1} << j)) == 0) continue;
    const bound_rule& requirement = rules.rules[r.requirements[j]];
    const std::string& code = undetermined ? requirement.reason_unknown : requirement.reason;
    if (!code.empty()) out.push_back(code);
  }
  if (out.empty() && undetermined && !r.reason_unknown.empty()) out.push_back(r.reason_unknown);
  return out;
}

/// The first of `decision_reasons`, or "" when there is none. Allocates nothing.
[[nodiscard]] inline std::string_view first_decision_reason(const bound_rules& rules, const decision& d) noexcept {
  const bound_rule& r = rules.rules[d.rule];
  if (d.failing != 0) {
    if (r.root) return r.reason;
    return rules.rules[r.requirements[static_cast<std::size_t>(__builtin_ctzll(d.failing))]].reason;
  }
  if (d.result != verdict::unknown) return {};
  if (!r.root)
    for (std::size_t j = 0; j < r.requirements.size(); ++j)
      if ((d.unknown & (std::uint64_t{1} << j)) != 0 && !rules.rules[r.requirements[j]].reason_unknown.empty())
        return rules.rules[r.requirements[j]].reason_unknown;
  return r.reason_unknown;
}

} // namespace entitle
