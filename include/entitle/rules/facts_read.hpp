#pragma once

#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/schema.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace entitle {

/// The facts that deciding `rules` (indexes into `bound.rules`) may read: every fact a condition
/// tests, following rule references and requirement lists. Linear in the rules' nodes.
[[nodiscard]] inline fact_set facts_read(const bound_rules& bound, std::span<const std::uint32_t> rules) {
  fact_set out;
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
        for (std::uint32_t k = 0; k < n.count; ++k)
          nodes.push_back(bound.child_index[n.first + k]);
        break;
      case condition::kind::rule: pending.push_back(static_cast<std::uint32_t>(n.low)); break;
      default:
        out.set(n.slot);
        if (n.against_fact) out.set(n.other_slot);
      }
    }
  }
  return out;
}

} // namespace entitle
