#pragma once

#include <entitle/rules/condition.hpp>
#include <entitle/rules/literal.hpp>
#include <entitle/rules/schema.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace entitle {

struct expression;

/// The kinds of an expression, one type each (see `expression`).
namespace expr {
/// A fact or another derived value, as it is or as an age or a count of months at the evaluation
/// date (`derivation`): `{"fact": "monthly_income"}`, `{"age_of": "birth_date"}`.
struct named {
  std::string name;
  derivation derive = derivation::value;
  friend bool operator==(const named&, const named&) = default;
};
/// A constant (or `{"parameter": id}`), read as the type the expression needs there.
struct constant {
  literal value;
  friend bool operator==(const constant&, const constant&) = default;
};
/// The least (`min`) or the greatest (`max`) of two or more values of one ordered type.
struct extreme {
  bool greatest = false;
  std::vector<expression> of;
  friend bool operator==(const extreme&, const extreme&) = default;
};
/// `of[0]` held within `of[1]` (low) and `of[2]` (high): max(low, min(value, high)).
struct clamp {
  std::vector<expression> of;
  friend bool operator==(const clamp&, const clamp&) = default;
};
/// A bracket lookup: the value of the first step whose `up_to` (included) the input reaches,
/// or `above` when it passes every step (missing when there is no `above`).
struct bracket {
  std::vector<expression> of; ///< the one input
  std::vector<literal> up_to; ///< increasing
  std::vector<literal> values;
  std::vector<literal> above; ///< none or one value
  friend bool operator==(const bracket&, const bracket&) = default;
};
/// A condition's verdict as a bool: yes is true, no is false, unknown is missing. Membership in
/// a set is `{"when": {"fact": "occupation", "in": [...]}}`.
struct test {
  std::vector<condition> when; ///< one condition
  friend bool operator==(const test&, const test&) = default;
};
/// `then` where the condition is yes, `otherwise` where it is no, missing where it is unknown.
struct choose {
  std::vector<condition> when; ///< one condition
  std::vector<expression> of;  ///< then, otherwise
  friend bool operator==(const choose&, const choose&) = default;
};
/// An output of a decision table (see decision_table.hpp).
struct table {
  std::string id;
  std::string output; ///< empty: the table's only output
  friend bool operator==(const table&, const table&) = default;
};
} // namespace expr

/// A typed expression over facts and other derived values, before it is bound to a schema. Each
/// kind is its own type, so adding one touches its type, its reader and its binding and
/// evaluation cases only.
struct expression {
  std::variant<expr::named, expr::constant, expr::extreme, expr::clamp, expr::bracket, expr::test, expr::choose,
               expr::table>
      node;
  friend bool operator==(const expression&, const expression&) = default;
};

/// A named, typed, cited value computed from a person's facts at the evaluation date, usable
/// wherever a fact is: in conditions (`{"fact": "contribution_base", ">=": ...}`), as a formula's
/// base, in `rank_by` and as an output column. It shares the facts' names: no fact may have its id.
struct derived_value {
  field declared; ///< its id (`declared.name`), type and, for an enum, its values
  std::string label;
  std::string citation; ///< where the regulation defines it
  expression value;

  friend bool operator==(const derived_value&, const derived_value&) = default;
};

// Builders, for policies written in C++.

/// The fact or derived value called `name`.
[[nodiscard]] inline expression value_of(std::string name) { return {expr::named{std::move(name), {}}}; }
/// The age in full years of the date fact `name` at the evaluation date.
[[nodiscard]] inline expression age_at_evaluation(std::string name) {
  return {expr::named{std::move(name), derivation::age_in_years}};
}
/// The full months from the date fact `name` to the evaluation date.
[[nodiscard]] inline expression months_until_evaluation(std::string name) {
  return {expr::named{std::move(name), derivation::months_since}};
}
/// A constant, read as the type its place needs.
[[nodiscard]] inline expression constant_of(literal value) { return {expr::constant{std::move(value)}}; }
/// The least of `values`.
[[nodiscard]] inline expression least_of(std::vector<expression> values) {
  return {expr::extreme{false, std::move(values)}};
}
/// The greatest of `values`: `greatest_of({value_of("income"), constant_of(money::from_rupiah(1'000'000))})`.
[[nodiscard]] inline expression greatest_of(std::vector<expression> values) {
  return {expr::extreme{true, std::move(values)}};
}
/// `value` held within [low, high].
[[nodiscard]] inline expression clamped(expression value, expression low, expression high) {
  return {expr::clamp{{std::move(value), std::move(low), std::move(high)}}};
}
/// A condition's verdict as a bool.
[[nodiscard]] inline expression holds(condition c) { return {expr::test{{std::move(c)}}}; }
/// `then` where `c` is yes, `otherwise` where it is no.
[[nodiscard]] inline expression if_then(condition c, expression then, expression otherwise) {
  return {expr::choose{{std::move(c)}, {std::move(then), std::move(otherwise)}}};
}
/// The output `output` (empty: the only one) of the decision table `id`.
[[nodiscard]] inline expression table_value(std::string id, std::string output = {}) {
  return {expr::table{std::move(id), std::move(output)}};
}

} // namespace entitle
