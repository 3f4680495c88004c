#pragma once

#include <entitle/core/date.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <deque>
#include <span>
#include <string>
#include <vector>

// The values an analysis tries for each fact: one from each piece of the fact's values that every
// test of the rules answers alike, and "missing" where the fact may be missing.
namespace entitle::detail {

/// Where a fact of the analysis is in one policy's schema.
struct space_binding {
  std::size_t policy = 0;
  std::size_t slot = 0;
};

/// One fact of the analysis: the facts of the same name and declaration in the policies given
/// are one fact, so that a person is the same person in each.
struct space_fact {
  std::string name;
  field declared;
  std::vector<space_binding> bindings;
  std::vector<fact_value> values; ///< present values first, "missing" last (unless required)
  /// False when the values may not stand for every case: the fact is compared with another fact,
  /// read through a derived value, or tested by string patterns the analysis does not model.
  bool exact = true;
  std::string inexact_why;
};

/// The facts of the policies given, with the values to try for each on the evaluation date
/// `as_of` (an age limit turns into a birth date on it).
class search_space {
public:
  search_space(std::span<const bound_rules* const> policies, date as_of);

  [[nodiscard]] const std::vector<space_fact>& facts() const noexcept { return facts_; }
  /// The fact of the analysis for `slot` of policy `policy`.
  [[nodiscard]] std::size_t fact_of(std::size_t policy, std::size_t slot) const { return index_[policy][slot]; }
  [[nodiscard]] std::size_t policy_count() const noexcept { return index_.size(); }

private:
  void bind(std::span<const bound_rules* const> policies);
  void collect(const bound_rules& rules, std::size_t policy, std::int64_t as_of);
  void choose_values();

  std::vector<space_fact> facts_;
  std::vector<std::vector<std::size_t>> index_; // per policy, per slot
  // What the rules compare each fact with: the numbers where a test's answer may turn, and the
  // strings, prefixes and lengths string tests name.
  struct constants {
    std::vector<std::int64_t> cuts;
    std::vector<std::string> texts, prefixes;
    std::vector<std::int64_t> lengths;
  };
  std::vector<constants> constants_;
  std::vector<interval_set> domains_; // the values every policy's declaration allows
  std::deque<std::string> strings_;   // the text of string values, kept in place
};

} // namespace entitle::detail
