#pragma once

#include "analysis_space.hpp"

#include <entitle/core/date.hpp>
#include <entitle/core/verdict.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

// The search for a person whose facts give each of some rules a wanted verdict: the facts are
// given values one by one, and a branch is left as soon as some rule can no longer answer as
// wanted, whatever the facts not yet given (three-valued evaluation over the facts given).
namespace entitle::detail {

/// The verdicts wanted, as a mask: bit `verdict` set for each.
inline constexpr unsigned wanted(verdict v) noexcept { return 1U << static_cast<unsigned>(v); }

/// Rule `rule` of policy `policy` is to answer one of the verdicts in `wanted`.
struct goal {
  std::size_t policy = 0;
  std::uint32_t rule = 0;
  unsigned wanted = 0;
};

enum class search_outcome : unsigned char { found, none, stopped };

struct search_result {
  search_outcome outcome = search_outcome::none;
  /// For `found`: the index in `space_fact::values` of each fact of the space that was given a
  /// value; the others can be anything.
  std::vector<std::optional<std::size_t>> values;
  /// False when `none` may be wrong: some fact the goals read is not `exact` in the space.
  bool exact = true;
  std::string inexact_why;
};

class goal_search {
public:
  goal_search(const search_space& space, std::span<const bound_rules* const> policies, date as_of, std::size_t limit);

  [[nodiscard]] search_result run(std::span<const goal> goals);

private:
  struct policy_state {
    const bound_rules* rules = nullptr;
    std::vector<fact_set> node_reads, rule_reads;
    std::vector<fact_value> values;
    fact_set given;
    // Each rule's mask for the facts as given now, 0 while not worked out (a mask is never empty),
    // so that a rule referred to many times, or whose facts did not change since the last step, is
    // worked out once; `readers` (per slot: the rules reading it) says whose masks a fact given or
    // taken back clears.
    mutable std::vector<unsigned> mask;
    std::vector<std::vector<std::uint32_t>> readers;
  };

  void reads_of(policy_state& p);
  void order(std::size_t policy, std::uint32_t rule, std::vector<bool>& seen_rule, std::vector<std::size_t>& out,
             std::vector<bool>& seen_fact) const;
  mutable std::vector<std::size_t> tests_of_; // per fact of the space: the tests reading it, while ordering
  void order_node(std::size_t policy, std::uint32_t node, std::vector<bool>& seen_rule, std::vector<std::size_t>& out,
                  std::vector<bool>& seen_fact) const;
  [[nodiscard]] std::vector<std::size_t> facts_in_order(std::span<const goal> goals) const;
  [[nodiscard]] unsigned rule_mask(const policy_state& p, std::uint32_t rule) const;
  [[nodiscard]] unsigned worked_out_mask(const policy_state& p, std::uint32_t rule) const;
  [[nodiscard]] unsigned node_mask(const policy_state& p, std::uint32_t node) const;
  bool descend(std::span<const goal> goals, const std::vector<std::size_t>& facts, std::size_t depth);
  void give(std::size_t fact, std::optional<std::size_t> value);

  const search_space& space_;
  date as_of_;
  std::size_t limit_;
  std::size_t steps_ = 0;
  std::vector<policy_state> policies_;
  std::vector<std::optional<std::size_t>> given_;
};

} // namespace entitle::detail
