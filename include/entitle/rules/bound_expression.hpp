#pragma once

#include <entitle/rules/condition.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace entitle {

/// The most derived values one policy may declare.
inline constexpr std::size_t max_derived_values = 256;
/// The deepest an expression may nest, and the longest chain of derived values that read each
/// other, so that evaluation's recursion is bounded.
inline constexpr std::size_t max_expression_depth = 32;

/// What a bound expression node does (see `expression` for the kinds as written).
enum class expr_op : unsigned char {
  value,    ///< the fact or derived value in `slot`, derived by `derive`
  constant, ///< `value` (a number, or an index into `bound_rules::texts` for strings)
  least,    ///< the least of the `count` children from `first`
  greatest, ///< the greatest of them
  clamp,    ///< children: value, low, high
  bracket,  ///< child 0 looked up in `count` steps: `up_to` in numbers[value..], results after them
  test,     ///< the verdict of condition node `value` as a bool
  choose,   ///< condition node `value`: child 0 where yes, child 1 where no
  table,    ///< output `derive` (as a number) of decision table `value`; its inputs are the children
};

/// One node of a bound expression. Children are in `bound_rules::expr_children` from `first`.
struct bound_expr {
  expr_op op = expr_op::constant;
  fact_type type = fact_type::integer; ///< what it evaluates to
  derivation derive = derivation::value;
  bool has_above = false;  ///< bracket: a value for inputs past the last step
  std::uint16_t slot = 0;  ///< value: a fact's slot, or a derived value's (past the facts)
  std::uint32_t first = 0; ///< children
  std::uint32_t count = 0;
  std::int64_t value = 0;

  friend bool operator==(const bound_expr&, const bound_expr&) = default;
};

/// A derived value bound: it takes the slot `bound_rules::facts.size()` + its index, so that a
/// condition names it as it names a fact.
struct bound_derived {
  field declared; ///< its id, type and enum values
  std::string label;
  std::string citation;
  std::string location; ///< JSON pointer of its declaration: "/derived/2"
  std::uint32_t root = 0;

  friend bool operator==(const bound_derived&, const bound_derived&) = default;
};

} // namespace entitle
