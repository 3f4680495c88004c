#pragma once

#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace entitle {

template <class Visit>
void for_each_fact_of_node(const bound_rules& bound, std::uint32_t node, Visit& visit);

/// The facts one leaf test reads: its own, or those of the derived values it tests.
template <class Visit>
void visit_leaf(const bound_rules& bound, const bound_node& n, Visit& visit);

/// Calls `visit(slot, how)` for every fact the value in `slot` reads: the fact itself, or the
/// facts a derived value's expression reads (with how each is derived), through the derived
/// values and conditions it reads in turn.
template <class Visit>
void for_each_fact_of_value(const bound_rules& bound, std::size_t slot, derivation how, Visit& visit) {
  if (!bound.is_derived(slot)) {
    visit(slot, how);
    return;
  }
  std::vector<std::uint32_t> pending{bound.derived[slot - bound.facts.size()].root};
  while (!pending.empty()) {
    const bound_expr& e = bound.exprs[pending.back()];
    pending.pop_back();
    if (e.op == expr_op::value) for_each_fact_of_value(bound, e.slot, e.derive, visit);
    if (e.op == expr_op::test || e.op == expr_op::choose)
      for_each_fact_of_node(bound, static_cast<std::uint32_t>(e.value), visit);
    const std::uint32_t children = e.op == expr_op::bracket ? 1 : e.count;
    for (std::uint32_t k = 0; k < children; ++k)
      pending.push_back(bound.expr_children[e.first + k]);
  }
}

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
      default: visit_leaf(bound, n, visit);
      }
    }
  }
}

template <class Visit>
void visit_leaf(const bound_rules& bound, const bound_node& n, Visit& visit) {
  if (n.code == leaf_op::local) {
    // The derivation of a test on a derived date (age_of a derived value) is the test's own.
    const auto low = static_cast<std::size_t>(n.low), high = static_cast<std::size_t>(n.high);
    for_each_fact_of_value(bound, low, bound.is_derived(low) ? derivation::value : n.derive, visit);
    if (n.against_fact)
      for_each_fact_of_value(bound, high, bound.is_derived(high) ? derivation::value : n.other_derive, visit);
    return;
  }
  visit(n.slot, n.derive);
  if (n.against_fact) visit(n.other_slot, n.other_derive);
}

/// As `for_each_fact_tested`, for the tests under node `node` (rule references are not followed).
template <class Visit>
void for_each_fact_of_node(const bound_rules& bound, std::uint32_t node, Visit& visit) {
  std::vector<std::uint32_t> nodes{node};
  while (!nodes.empty()) {
    const bound_node& n = bound.nodes[nodes.back()];
    nodes.pop_back();
    if (n.code == leaf_op::composite) {
      for (std::uint32_t k = 0; k < n.count; ++k)
        nodes.push_back(bound.child_index[n.first + k]);
    } else {
      visit_leaf(bound, n, visit);
    }
  }
}

/// True when the value in `slot` changes with the evaluation date: a derived value that reads an
/// age or a count of months, directly or through other derived values and conditions.
[[nodiscard]] inline bool reads_the_date(const bound_rules& bound, std::size_t slot) {
  bool dated = false;
  auto visit = [&](std::size_t, derivation how) { dated = dated || how != derivation::value; };
  for_each_fact_of_value(bound, slot, derivation::value, visit);
  return dated;
}

/// The facts that deciding `rules` (indexes into `bound.rules`) may read: every fact a condition
/// tests, following rule references and requirement lists. Linear in the rules' nodes.
[[nodiscard]] inline fact_set facts_read(const bound_rules& bound, std::span<const std::uint32_t> rules) {
  fact_set out;
  for_each_fact_tested(bound, rules, [&](std::size_t slot, derivation) { out.set(slot); });
  return out;
}

} // namespace entitle
