#pragma once

#include <entitle/rules/literal.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace entitle {

/// A comparison operator; in policy JSON "=", "!=", "<", "<=", ">", ">=".
enum class comparison : unsigned char { eq, ne, lt, le, gt, ge };

[[nodiscard]] constexpr std::string_view symbol(comparison op) noexcept {
  switch (op) {
  case comparison::eq: return "=";
  case comparison::ne: return "!=";
  case comparison::lt: return "<";
  case comparison::le: return "<=";
  case comparison::gt: return ">";
  case comparison::ge: return ">=";
  }
  return "=";
}

/// Every comparison, in the order policy JSON lists them.
inline constexpr std::array<comparison, 6> all_comparisons = {comparison::eq, comparison::ne, comparison::lt,
                                                              comparison::le, comparison::gt, comparison::ge};

/// The comparison written `text` ("<="), if it is one.
[[nodiscard]] constexpr std::optional<comparison> comparison_of(std::string_view text) noexcept {
  for (const comparison op : all_comparisons)
    if (symbol(op) == text) return op;
  return std::nullopt;
}

/// What a condition tests: a fact as it is, or a number derived from a date fact at the
/// evaluation date.
enum class derivation : unsigned char {
  value,        ///< the fact itself
  age_in_years, ///< full years from the date to the evaluation date (see `age_in_full_years`)
  months_since, ///< full months from the date to the evaluation date (see `full_months_between`)
  rounded_up,   ///< a money fact rounded up to a multiple of `subject::unit`; only as the fact compared with
};

struct condition;

/// The subject of a test: `fact("monthly_income")`, `age_of("birth_date")`,
/// `months_since("registered_on")`. Its member functions make conditions.
struct subject {
  std::string fact;
  derivation derive = derivation::value;
  money unit; ///< `rounded_up`: the multiple, such as Rp100.000

  /// This money fact rounded up to a multiple of `unit`, to compare another fact with:
  /// `fact("wage").at_most(fact("regional_min_wage").rounded_up_to(Rp100.000))`.
  [[nodiscard]] subject rounded_up_to(money multiple) const { return {fact, derivation::rounded_up, multiple}; }

  [[nodiscard]] condition compare(comparison op, literal value) const;
  [[nodiscard]] condition compare(comparison op, subject other) const;
  [[nodiscard]] condition is(literal value) const;           ///< =
  [[nodiscard]] condition is_not(literal value) const;       ///< !=
  [[nodiscard]] condition less_than(literal value) const;    ///< <
  [[nodiscard]] condition at_most(literal value) const;      ///< <=
  [[nodiscard]] condition greater_than(literal value) const; ///< >
  [[nodiscard]] condition at_least(literal value) const;     ///< >=
  // The same comparisons against another fact: fact("income").at_most(fact("limit")).
  [[nodiscard]] condition is(subject other) const;
  [[nodiscard]] condition is_not(subject other) const;
  [[nodiscard]] condition less_than(subject other) const;
  [[nodiscard]] condition at_most(subject other) const;
  [[nodiscard]] condition greater_than(subject other) const;
  [[nodiscard]] condition at_least(subject other) const;
  [[nodiscard]] condition in(std::vector<literal> values) const;
  [[nodiscard]] condition between(literal low, literal high) const; ///< both ends included
  [[nodiscard]] condition present() const;
  [[nodiscard]] condition missing() const;
  [[nodiscard]] condition digits(std::int64_t count) const;                 ///< exactly `count` characters, all 0-9
  [[nodiscard]] condition length(std::int64_t count) const;                 ///< exactly `count` characters (bytes)
  [[nodiscard]] condition starts_with(std::vector<literal> prefixes) const; ///< any of the prefixes

  friend bool operator==(const subject&, const subject&) = default;
};

/// A composable predicate over facts, before it is bound to a schema. Build it with `fact(...)`
/// and the functions below, or read it from policy JSON; `bind_rules` checks it against the facts.
struct condition {
  enum class kind : unsigned char {
    compare,     ///< about op values[0] (or about op *other)
    in_set,      ///< about is one of values
    between,     ///< values[0] <= about <= values[1]
    present,     ///< about is there
    missing,     ///< about is not there
    digits,      ///< about has exactly values[0] characters, all ASCII digits
    length,      ///< about has exactly values[0] characters
    starts_with, ///< about starts with one of values
    all,         ///< every child is yes
    any,         ///< some child is yes
    negation,    ///< children[0] is no
    rule,        ///< the rule called `rule` is yes
    if_missing,  ///< children[0], or values[0] (a bool) where children[0] is unknown because facts are missing
  };

  kind what = kind::all;
  subject about;
  comparison op = comparison::eq;
  std::optional<subject> other;
  std::vector<literal> values;
  std::vector<condition> children;
  std::string rule;

  friend bool operator==(const condition&, const condition&) = default;
};

namespace detail {
inline condition make_condition(condition::kind what) {
  condition c;
  c.what = what;
  return c;
}
inline condition make_test(condition::kind what, const subject& about, std::vector<literal> values = {}) {
  condition c = make_condition(what);
  c.about = about;
  c.values = std::move(values);
  return c;
}
} // namespace detail

/// The fact called `name`.
[[nodiscard]] inline subject fact(std::string name) { return {std::move(name), derivation::value, {}}; }
/// The age in full years, at the evaluation date, of the date fact `date_fact`.
[[nodiscard]] inline subject age_of(std::string date_fact) {
  return {std::move(date_fact), derivation::age_in_years, {}};
}
/// The full months from the date fact `date_fact` to the evaluation date.
[[nodiscard]] inline subject months_since(std::string date_fact) {
  return {std::move(date_fact), derivation::months_since, {}};
}

/// Yes when every condition is yes; no when any is no; otherwise unknown.
[[nodiscard]] inline condition all(std::vector<condition> conditions) {
  condition c = detail::make_condition(condition::kind::all);
  c.children = std::move(conditions);
  return c;
}
/// Yes when any condition is yes; no when every one is no; otherwise unknown.
[[nodiscard]] inline condition any(std::vector<condition> conditions) {
  condition c = detail::make_condition(condition::kind::any);
  c.children = std::move(conditions);
  return c;
}
/// Yes when `inner` is no, no when it is yes, unknown when it is unknown.
[[nodiscard]] inline condition not_(condition inner) {
  condition c = detail::make_condition(condition::kind::negation);
  c.children.push_back(std::move(inner));
  return c;
}
/// The verdict of the rule called `rule_id`.
[[nodiscard]] inline condition satisfies(std::string rule_id) {
  condition c = detail::make_condition(condition::kind::rule);
  c.rule = std::move(rule_id);
  return c;
}

/// `inner`, or `value` where `inner` is unknown because facts it tests are missing: the one
/// place a policy says what a missing fact means for a condition, so that a rule can be
/// three-valued for a person's status and two-valued where the regulation says so
/// ("a missing income counts as not qualifying"). In policy JSON, `"if_missing": false` beside
/// the condition's other keys.
[[nodiscard]] inline condition if_missing(condition inner, bool value) {
  condition c = detail::make_condition(condition::kind::if_missing);
  c.children.push_back(std::move(inner));
  c.values.emplace_back(value);
  return c;
}

inline condition subject::compare(comparison op, literal value) const {
  condition c = detail::make_test(condition::kind::compare, *this, {std::move(value)});
  c.op = op;
  return c;
}
inline condition subject::compare(comparison op, subject other) const {
  condition c = detail::make_test(condition::kind::compare, *this);
  c.op = op;
  c.other = std::move(other);
  return c;
}
inline condition subject::is(literal value) const { return compare(comparison::eq, std::move(value)); }
inline condition subject::is_not(literal value) const { return compare(comparison::ne, std::move(value)); }
inline condition subject::less_than(literal value) const { return compare(comparison::lt, std::move(value)); }
inline condition subject::at_most(literal value) const { return compare(comparison::le, std::move(value)); }
inline condition subject::greater_than(literal value) const { return compare(comparison::gt, std::move(value)); }
inline condition subject::at_least(literal value) const { return compare(comparison::ge, std::move(value)); }
inline condition subject::is(subject other) const { return compare(comparison::eq, std::move(other)); }
inline condition subject::is_not(subject other) const { return compare(comparison::ne, std::move(other)); }
inline condition subject::less_than(subject other) const { return compare(comparison::lt, std::move(other)); }
inline condition subject::at_most(subject other) const { return compare(comparison::le, std::move(other)); }
inline condition subject::greater_than(subject other) const { return compare(comparison::gt, std::move(other)); }
inline condition subject::at_least(subject other) const { return compare(comparison::ge, std::move(other)); }
inline condition subject::in(std::vector<literal> values) const {
  return detail::make_test(condition::kind::in_set, *this, std::move(values));
}
inline condition subject::between(literal low, literal high) const {
  return detail::make_test(condition::kind::between, *this, {std::move(low), std::move(high)});
}
inline condition subject::present() const { return detail::make_test(condition::kind::present, *this); }
inline condition subject::missing() const { return detail::make_test(condition::kind::missing, *this); }
inline condition subject::digits(std::int64_t count) const {
  return detail::make_test(condition::kind::digits, *this, {count});
}
inline condition subject::length(std::int64_t count) const {
  return detail::make_test(condition::kind::length, *this, {count});
}
inline condition subject::starts_with(std::vector<literal> prefixes) const {
  return detail::make_test(condition::kind::starts_with, *this, std::move(prefixes));
}

} // namespace entitle
