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

/// The longest string length a test may name that the analysis builds a string of; a longer
/// one leaves the fact not `exact`.
inline constexpr std::size_t max_modelled_length = 4096;

/// The most strings, and characters in all, the analysis builds for one string fact: past them
/// (many prefixes tested with many lengths) the strings not built leave the fact not `exact`.
inline constexpr std::size_t max_string_values = 1024;
inline constexpr std::size_t max_string_bytes = std::size_t{1} << 22;

/// Where a fact of the analysis is in one policy's schema.
struct space_binding {
  std::size_t policy = 0;
  std::size_t slot = 0;
};

/// One fact of the analysis: the facts of one name and type in the policies given are one fact,
/// so that a person is the same person in each; an enum's values are matched by name.
struct space_fact {
  std::string name;
  field declared; ///< as the first policy declaring it does
  std::vector<space_binding> bindings;
  std::vector<fact_value> values; ///< present values first, "missing" last (unless required)
  /// The same values as each binding's policy holds them (an enum's numbers differ), by binding.
  std::vector<std::vector<fact_value>> held;
  /// Not empty when policies declare the fact with different types, or enums sharing no value:
  /// no person can be the same person in both, and a question reading it is not decided.
  std::string conflict;
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
  /// The index in `space_fact::bindings` (and `held`) of policy `policy`'s binding of `fact`.
  [[nodiscard]] std::size_t binding_of(std::size_t fact, std::size_t policy) const;
  /// The fact of the analysis for `slot` of policy `policy`.
  [[nodiscard]] std::size_t fact_of(std::size_t policy, std::size_t slot) const { return index_[policy][slot]; }
  [[nodiscard]] std::size_t policy_count() const noexcept { return index_.size(); }

private:
  void bind(std::span<const bound_rules* const> policies);
  void collect(const bound_rules& rules, std::size_t policy, std::int64_t as_of);
  struct constants;
  void choose_values();
  std::vector<std::string> string_values(constants& c, space_fact& f);
  void hold(space_fact& f) const;

  std::vector<const bound_rules*> policies_;
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
