#pragma once

#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace entitle {

/// Calls `visit(slot, how)` for every fact a condition of `rules` (indexes into `bound.rules`)
/// tests, with how it derives the number it compares (`derivation`), following rule references
/// and requirement lists, each rule once. Linear in the rules' nodes; a fact tested by several
/// conditions is visited for each.
template <class Visit>
void for_each_fact_tested(const bound_rules& bound, std::span<const std::uint32_t> rules, Visit&& visit) {
  std::vector<bool> seen(bound.rules.size(), false);
  std::vector<std::uint32_t> pending(rules.begin(), rules.end());
  std::vector<std::uint32_t> nodes;
  while (!pending.empty()) {
    const std::uint32_t r = pending.back();
    pending.pop_back();
    if (r >= bound.rules.size() || seen[r]) continue;
    seen[r] = true;
    const bound_rule& rule = bound.rules[r];
    pending.insert(pending.end(), rule.requirements.begin(), rule.requirements.end());
    if (rule.root) nodes.push_back(*rule.root);
    while (!nodes.empty()) {
      const bound_node& n = bound.nodes[nodes.back()];
      nodes.pop_back();
      switch (n.what) {
      case condition::kind::all:
      case condition::kind::any:
      case condition::kind::negation:
      case condition::kind::if_missing:
        for (std::uint32_t k = 0; k < n.count; ++k)
          nodes.push_back(bound.child_index[n.first + k]);
        break;
      case condition::kind::rule: pending.push_back(static_cast<std::uint32_t>(n.low)); break;
      default:
        visit(n.slot, n.derive);
        if (n.against_fact) visit(n.other_slot, n.other_derive);
      }
    }
  }
}

/// The facts that deciding `rules` (indexes into `bound.rules`) may read: every fact a condition
/// tests, following rule references and requirement lists. Linear in the rules' nodes.
[[nodiscard]] inline fact_set facts_read(const bound_rules& bound, std::span<const std::uint32_t> rules) {
  fact_set out;
  for_each_fact_tested(bound, rules, [&](std::size_t slot, derivation) { out.set(slot); });
  return out;
}

} // namespace entitle
