#include "analysis_search.hpp"

#include <entitle/eval/evaluator.hpp>
#include <entitle/rules/facts_read.hpp>

#include <functional>

namespace entitle::detail {
namespace {

constexpr unsigned every_verdict = 0b111;

// The verdicts `a && b` (`a || b` for `any`) can take, a from one mask and b from the other.
unsigned combined(unsigned a, unsigned b, bool any) {
  unsigned out = 0;
  for (unsigned x = 0; x < 3; ++x)
    for (unsigned y = 0; y < 3; ++y)
      if ((a >> x & 1U) && (b >> y & 1U)) {
        const auto vx = static_cast<verdict>(x), vy = static_cast<verdict>(y);
        out |= wanted(any ? (vx || vy) : (vx && vy));
      }
  return out;
}

unsigned mapped(unsigned a, const std::function<verdict(verdict)>& f) {
  unsigned out = 0;
  for (unsigned x = 0; x < 3; ++x)
    if (a >> x & 1U) out |= wanted(f(static_cast<verdict>(x)));
  return out;
}

bool single(unsigned mask) { return mask != 0 && (mask & (mask - 1)) == 0; }

} // namespace

goal_search::goal_search(const search_space& space, std::span<const bound_rules* const> policies, date as_of,
                         std::size_t limit)
    : space_(space), as_of_(as_of), limit_(limit), given_(space.facts().size()) {
  for (const bound_rules* rules : policies) {
    policy_state p;
    p.rules = rules;
    p.values.assign(rules->facts.size(), fact_value::missing());
    p.mask.assign(rules->rules.size(), 0);
    reads_of(p);
    policies_.push_back(std::move(p));
  }
}

// The facts each node and each rule reads, following rule references (which never loop).
void goal_search::reads_of(policy_state& p) {
  const bound_rules& rules = *p.rules;
  p.node_reads.assign(rules.nodes.size(), fact_set());
  p.rule_reads.assign(rules.rules.size(), fact_set());
  std::vector<bool> node_done(rules.nodes.size(), false), rule_done(rules.rules.size(), false);
  std::function<const fact_set&(std::uint32_t)> rule_reads;
  std::function<const fact_set&(std::uint32_t)> node_reads = [&](std::uint32_t i) -> const fact_set& {
    if (node_done[i]) return p.node_reads[i];
    const bound_node& n = rules.nodes[i];
    fact_set out;
    if (n.code != leaf_op::composite) {
      auto visit = [&](std::size_t slot, derivation) { out.set(slot); };
      visit_leaf(rules, n, visit);
    } else if (n.what == condition::kind::rule) {
      out = rule_reads(static_cast<std::uint32_t>(n.low));
    } else {
      for (std::uint32_t k = 0; k < n.count; ++k)
        out |= node_reads(rules.child_index[n.first + k]);
    }
    node_done[i] = true;
    return p.node_reads[i] = out;
  };
  rule_reads = [&](std::uint32_t r) -> const fact_set& {
    if (rule_done[r]) return p.rule_reads[r];
    const bound_rule& rule = rules.rules[r];
    fact_set out;
    if (rule.root) out = node_reads(*rule.root);
    for (const std::uint32_t req : rule.requirements)
      out |= rule_reads(req);
    rule_done[r] = true;
    return p.rule_reads[r] = out;
  };
  p.readers.assign(rules.facts.size(), {});
  for (std::uint32_t r = 0; r < rules.rules.size(); ++r)
    for (std::size_t slot = 0; slot < rules.facts.size(); ++slot)
      if (rule_reads(r).test(slot)) p.readers[slot].push_back(r);
}

// The facts rule `rule` reads, appended to `out` in the order they first appear in it, each test
// counted in `tests_of_`.
void goal_search::order(std::size_t policy, std::uint32_t rule, std::vector<bool>& seen_rule,
                        std::vector<std::size_t>& out, std::vector<bool>& seen_fact) const {
  const bound_rules& rules = *policies_[policy].rules;
  if (seen_rule[rule]) return;
  seen_rule[rule] = true;
  const bound_rule& r = rules.rules[rule];
  if (r.root) order_node(policy, *r.root, seen_rule, out, seen_fact);
  for (const std::uint32_t req : r.requirements)
    order(policy, req, seen_rule, out, seen_fact);
}

void goal_search::order_node(std::size_t policy, std::uint32_t node, std::vector<bool>& seen_rule,
                             std::vector<std::size_t>& out, std::vector<bool>& seen_fact) const {
  const bound_rules& rules = *policies_[policy].rules;
  const bound_node& n = rules.nodes[node];
  if (n.code == leaf_op::composite) {
    if (n.what == condition::kind::rule)
      return order(policy, static_cast<std::uint32_t>(n.low), seen_rule, out, seen_fact);
    for (std::uint32_t k = 0; k < n.count; ++k)
      order_node(policy, rules.child_index[n.first + k], seen_rule, out, seen_fact);
    return;
  }
  auto visit = [&](std::size_t slot, derivation) {
    const std::size_t u = space_.fact_of(policy, slot);
    if (!seen_fact[u]) out.push_back(u);
    seen_fact[u] = true;
    ++tests_of_[u];
  };
  visit_leaf(rules, n, visit);
}

unsigned goal_search::rule_mask(const policy_state& p, std::uint32_t rule) const {
  unsigned& known = p.mask[rule];
  if (known == 0) known = worked_out_mask(p, rule);
  return known;
}

unsigned goal_search::worked_out_mask(const policy_state& p, std::uint32_t rule) const {
  if ((p.rule_reads[rule] & ~p.given).none()) return wanted(evaluator(*p.rules, p.values, as_of_).test_rule(rule));
  const bound_rule& r = p.rules->rules[rule];
  if (r.root) return node_mask(p, *r.root);
  unsigned out = wanted(verdict::yes);
  for (const std::uint32_t req : r.requirements)
    out = combined(out, rule_mask(p, req), false);
  return out;
}

unsigned goal_search::node_mask(const policy_state& p, std::uint32_t node) const {
  if ((p.node_reads[node] & ~p.given).none()) return wanted(evaluator(*p.rules, p.values, as_of_).test(node));
  const bound_node& n = p.rules->nodes[node];
  const std::uint32_t* child = p.rules->child_index.data() + n.first;
  switch (n.code == leaf_op::composite ? n.what : condition::kind::present) {
  case condition::kind::all:
  case condition::kind::any: {
    const bool any = n.what == condition::kind::any;
    unsigned out = wanted(any ? verdict::no : verdict::yes);
    for (std::uint32_t k = 0; k < n.count; ++k)
      out = combined(out, node_mask(p, child[k]), any);
    return out;
  }
  case condition::kind::negation: return mapped(node_mask(p, child[0]), [](verdict v) { return !v; });
  case condition::kind::if_missing:
    return mapped(node_mask(p, child[0]),
                  [&](verdict v) { return v != verdict::unknown ? v : to_verdict(n.low != 0); });
  case condition::kind::rule: return rule_mask(p, static_cast<std::uint32_t>(n.low));
  default:
    // A test whose facts are not all given: present and missing are yes or no, others anything.
    return n.code == leaf_op::present || n.code == leaf_op::missing ? wanted(verdict::yes) | wanted(verdict::no)
                                                                    : every_verdict;
  }
}

void goal_search::give(std::size_t fact, std::optional<std::size_t> value) {
  given_[fact] = value;
  const space_fact& f = space_.facts()[fact];
  for (std::size_t b = 0; b < f.bindings.size(); ++b) {
    policy_state& p = policies_[f.bindings[b].policy];
    const std::size_t slot = f.bindings[b].slot;
    p.values[slot] = value ? f.held[b][*value] : fact_value::missing();
    p.given.set(slot, value.has_value());
    for (const std::uint32_t r : p.readers[slot])
      p.mask[r] = 0;
  }
}

bool goal_search::descend(std::span<const goal> goals, const std::vector<std::size_t>& facts, std::size_t depth) {
  if (++steps_ > limit_) return false;
  bool settled = true;
  for (const goal& g : goals) {
    const unsigned mask = rule_mask(policies_[g.policy], g.rule);
    if ((mask & g.wanted) == 0) return false;
    settled = settled && single(mask);
  }
  if (settled || depth == facts.size()) return true;
  for (std::size_t v = 0; v < space_.facts()[facts[depth]].values.size(); ++v) {
    give(facts[depth], v);
    if (descend(goals, facts, depth + 1)) return true;
    if (steps_ > limit_) break;
  }
  give(facts[depth], std::nullopt);
  return false;
}

// The facts the goals read, those most tests read first (a fact many tests tie together settles
// them soonest), then in the order they first appear: a requirement list's first requirement's
// facts before the next's, so that a branch fails as early as the rules do.
std::vector<std::size_t> goal_search::facts_in_order(std::span<const goal> goals) const {
  std::vector<std::size_t> facts;
  std::vector<bool> seen_fact(space_.facts().size(), false);
  tests_of_.assign(space_.facts().size(), 0);
  for (const goal& g : goals) {
    std::vector<bool> seen_rule(policies_[g.policy].rules->rules.size(), false);
    order(g.policy, g.rule, seen_rule, facts, seen_fact);
  }
  std::stable_sort(facts.begin(), facts.end(),
                   [&](std::size_t a, std::size_t b) { return tests_of_[a] > tests_of_[b]; });
  return facts;
}

search_result goal_search::run(std::span<const goal> goals) {
  for (std::size_t u = 0; u < given_.size(); ++u)
    if (given_[u]) give(u, std::nullopt);
  steps_ = 0;
  const std::vector<std::size_t> facts = facts_in_order(goals);
  search_result out;
  for (const std::size_t u : facts) {
    const space_fact& f = space_.facts()[u];
    if (!f.conflict.empty()) { // no person is one person in both policies: nothing to search
      out.exact = false;
      out.inexact_why = f.conflict;
      return out;
    }
    if (!f.exact && out.exact) {
      out.exact = false;
      out.inexact_why = f.inexact_why;
    }
  }
  if (descend(goals, facts, 0)) {
    out.outcome = search_outcome::found;
    out.values = given_;
  } else {
    out.outcome = steps_ > limit_ ? search_outcome::stopped : search_outcome::none;
  }
  return out;
}

} // namespace entitle::detail
