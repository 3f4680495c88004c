#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/verdict.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/schema.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace entitle {
namespace detail {

/// Receives nothing: the evaluation path without a trace, compiled to nothing.
struct no_trace {
  static constexpr bool enabled = false;
  static constexpr std::size_t enter_rule(std::uint32_t) noexcept { return 0; }
  static constexpr std::size_t enter_node(std::uint32_t) noexcept { return 0; }
  static constexpr void leave(std::size_t, verdict) noexcept {}
};

/// Walks bound rules over one record's facts at an evaluation date. Reads slots only; never
/// allocates; recursion is bounded by `max_condition_depth` and the (acyclic) rule references.
class evaluator {
public:
  evaluator(const bound_rules& rules, std::span<const fact_value> facts, date as_of) noexcept
      : rules_(rules), facts_(facts), as_of_(as_of.ymd()) {}

  /// The number a derived subject evaluates to for the date fact `days` (days since the epoch):
  /// full years or full months to the evaluation date, floored.
  [[nodiscard]] std::int64_t derive(std::int64_t days, derivation how) const noexcept {
    const std::chrono::year_month_day from{std::chrono::sys_days(std::chrono::days(days))};
    const int years = static_cast<int>(as_of_.year()) - static_cast<int>(from.year());
    if (how == derivation::age_in_years) {
      const bool reached =
          std::chrono::month_day(as_of_.month(), as_of_.day()) >= std::chrono::month_day(from.month(), from.day());
      return years - (reached ? 0 : 1);
    }
    const int months = years * 12 + static_cast<int>(static_cast<unsigned>(as_of_.month())) -
                       static_cast<int>(static_cast<unsigned>(from.month()));
    return months - (as_of_.day() >= from.day() ? 0 : 1);
  }

  template <class Trace = no_trace>
  [[nodiscard]] verdict rule(std::uint32_t index, Trace& trace) const {
    const rule_entry& r = rules_.table[index];
    const std::size_t token = trace.enter_rule(index);
    verdict result = verdict::yes;
    if (r.count == 0) {
      result = child(r.root, trace);
    } else {
      // A requirement list evaluates every requirement in traces (to show them all) and stops at
      // the first no otherwise.
      for (std::uint32_t j = 0; j < r.count; ++j) {
        result = result && rule(rules_.requirement_index[r.first + j], trace);
        if (!Trace::enabled && result == verdict::no) break;
      }
    }
    trace.leave(token, result);
    return result;
  }

  template <class Trace = no_trace>
  [[nodiscard]] verdict node(std::uint32_t index, Trace& trace) const {
    const bound_node& n = rules_.nodes[index];
    const std::size_t token = trace.enter_node(index);
    verdict result;
    switch (n.what) {
    case condition::kind::all:
      result = verdict::yes;
      for (std::uint32_t k = 0; k < n.count && (Trace::enabled || result != verdict::no); ++k)
        result = result && child(rules_.child_index[n.first + k], trace);
      break;
    case condition::kind::any:
      result = verdict::no;
      for (std::uint32_t k = 0; k < n.count && (Trace::enabled || result != verdict::yes); ++k)
        result = result || child(rules_.child_index[n.first + k], trace);
      break;
    case condition::kind::negation: result = !child(rules_.child_index[n.first], trace); break;
    case condition::kind::rule: result = rule(static_cast<std::uint32_t>(n.low), trace); break;
    default: result = leaf(n); break;
    }
    trace.leave(token, result);
    return result;
  }

  /// A child node: a leaf is tested in place (no call, no trace bookkeeping) unless tracing.
  template <class Trace>
  [[nodiscard]] verdict child(std::uint32_t index, Trace& trace) const {
    const bound_node& n = rules_.nodes[index];
    if (!Trace::enabled && is_leaf(n)) return leaf(n);
    return node(index, trace);
  }

  static constexpr bool is_leaf(const bound_node& n) noexcept { return n.code != leaf_op::composite; }

  /// The verdict of node `index`, adding to `out` the missing facts that leave it unknown when it
  /// is unknown (only those: a missing fact under a settled `any` or `all` cannot change it).
  /// Each node is evaluated once.
  verdict missing_in_node(std::uint32_t index, fact_set& out) const {
    const bound_node& n = rules_.nodes[index];
    switch (n.what) {
    case condition::kind::all:
    case condition::kind::any: {
      const bool is_all = n.what == condition::kind::all;
      verdict result = is_all ? verdict::yes : verdict::no;
      fact_set unsettled; // the missing facts of the children that are unknown
      for (std::uint32_t k = 0; k < n.count; ++k) {
        fact_set child;
        const verdict v = missing_in_node(rules_.child_index[n.first + k], child);
        result = is_all ? (result && v) : (result || v);
        if (v == verdict::unknown) unsettled |= child;
      }
      if (result == verdict::unknown) out |= unsettled;
      return result;
    }
    case condition::kind::negation: return !missing_in_node(rules_.child_index[n.first], out);
    case condition::kind::rule: return missing_in_rule(static_cast<std::uint32_t>(n.low), out);
    default: {
      const verdict v = leaf(n);
      if (v == verdict::unknown) {
        if (!facts_[n.slot].present) out.set(n.slot);
        if (n.against_fact && !facts_[n.other_slot].present) out.set(n.other_slot);
      }
      return v;
    }
    }
  }

  /// As `missing_in_node`, for rule `index`.
  verdict missing_in_rule(std::uint32_t index, fact_set& out) const {
    const rule_entry& r = rules_.table[index];
    if (r.count == 0) return missing_in_node(r.root, out);
    verdict result = verdict::yes;
    fact_set unsettled;
    for (std::uint32_t j = 0; j < r.count; ++j) {
      fact_set requirement;
      const verdict v = missing_in_rule(rules_.requirement_index[r.first + j], requirement);
      result = result && v;
      if (v == verdict::unknown) unsettled |= requirement;
    }
    if (result == verdict::unknown) out |= unsettled;
    return result;
  }

private:
  // A test on facts: compare, in, between, present, missing, digits, length, starts_with.
  [[nodiscard]] verdict leaf(const bound_node& n) const noexcept {
    const fact_value& fact = facts_[n.slot];
    if (n.code == leaf_op::present) return to_verdict(fact.present);
    if (n.code == leaf_op::missing) return to_verdict(!fact.present);
    if (!fact.present) return verdict::unknown;
    const std::int64_t number = n.derive == derivation::value ? fact.number : derive(fact.number, n.derive);
    switch (n.code) {
    case leaf_op::eq: return to_verdict(number == n.low);
    case leaf_op::ne: return to_verdict(number != n.low);
    case leaf_op::lt: return to_verdict(number < n.low);
    case leaf_op::le: return to_verdict(number <= n.low);
    case leaf_op::gt: return to_verdict(number > n.low);
    case leaf_op::ge: return to_verdict(number >= n.low);
    case leaf_op::eq_text: return to_verdict(fact.text == rules_.texts[static_cast<std::size_t>(n.low)]);
    case leaf_op::ne_text: return to_verdict(fact.text != rules_.texts[static_cast<std::size_t>(n.low)]);
    case leaf_op::facts: {
      const fact_value& other = facts_[n.other_slot];
      if (!other.present) return verdict::unknown;
      if (n.type == fact_type::string) return compare_text(n.op, fact.text, other.text);
      const std::int64_t other_number =
          n.other_derive == derivation::value ? other.number : derive(other.number, n.other_derive);
      return compare_number(n.op, number, other_number);
    }
    case leaf_op::in_numbers:
      for (std::uint32_t k = 0; k < n.count; ++k)
        if (number == rules_.numbers[n.first + k]) return verdict::yes;
      return verdict::no;
    case leaf_op::in_texts:
      for (std::uint32_t k = 0; k < n.count; ++k)
        if (fact.text == rules_.texts[n.first + k]) return verdict::yes;
      return verdict::no;
    case leaf_op::between: return to_verdict(n.low <= number && number <= n.high);
    case leaf_op::digits: {
      if (fact.text.size() != static_cast<std::size_t>(n.low)) return verdict::no;
      return to_verdict(all_ascii_digits(fact.text));
    }
    case leaf_op::length: return to_verdict(fact.text.size() == static_cast<std::size_t>(n.low));
    case leaf_op::starts_with:
      for (std::uint32_t k = 0; k < n.count; ++k)
        if (fact.text.starts_with(rules_.texts[n.first + k])) return verdict::yes;
      return verdict::no;
    default: return verdict::unknown;
    }
  }

  // Eight characters at a time: a byte is a digit when its high nibble is 3 and adding 6 to it
  // does not carry into the high nibble (low nibble at most 9). A byte whose high nibble is not
  // 3 fails the first test, so carries between bytes cannot hide it.
  static bool all_ascii_digits(std::string_view text) noexcept {
    constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0ull, threes = 0x3030303030303030ull, sixes = 0x0606060606060606ull;
    std::size_t i = 0;
    bool ok = true;
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      ok &= (word & high) == threes && ((word + sixes) & high) == threes;
    }
    for (; i < text.size(); ++i)
      ok &= static_cast<unsigned char>(text[i] - '0') <= 9u;
    return ok;
  }

  static constexpr verdict compare_number(comparison op, std::int64_t a, std::int64_t b) noexcept {
    switch (op) {
    case comparison::eq: return to_verdict(a == b);
    case comparison::ne: return to_verdict(a != b);
    case comparison::lt: return to_verdict(a < b);
    case comparison::le: return to_verdict(a <= b);
    case comparison::gt: return to_verdict(a > b);
    case comparison::ge: return to_verdict(a >= b);
    }
    return verdict::unknown;
  }

  static constexpr verdict compare_text(comparison op, std::string_view a, std::string_view b) noexcept {
    return op == comparison::eq ? to_verdict(a == b) : to_verdict(a != b); // the binder allows only = and !=
  }

  const bound_rules& rules_;
  std::span<const fact_value> facts_;
  std::chrono::year_month_day as_of_;
};

} // namespace detail

/// Decides rule `index` of `rules` for one record's `facts` (one per schema slot) at the
/// evaluation date `as_of`. Never allocates: the decision is a fixed-size value.
[[nodiscard]] inline decision decide(const bound_rules& rules, std::uint32_t index, std::span<const fact_value> facts,
                                     date as_of) {
  const detail::evaluator walk(rules, facts, as_of);
  detail::no_trace quiet;
  decision d;
  d.rule = index;
  const rule_entry& r = rules.table[index];
  if (r.count == 0) {
    d.result = walk.child(r.root, quiet);
    d.failing = d.result == verdict::no ? 1 : 0;
    if (d.result == verdict::unknown) (void)walk.missing_in_node(r.root, d.missing);
  } else {
    d.result = verdict::yes;
    std::uint64_t unknown = 0;
    for (std::uint32_t j = 0; j < r.count; ++j) {
      const verdict v = walk.rule(rules.requirement_index[r.first + j], quiet);
      if (v == verdict::no) d.failing |= std::uint64_t{1} << j;
      if (v == verdict::unknown) unknown |= std::uint64_t{1} << j;
      d.result = d.result && v;
    }
    // An unknown list has no failing requirement, so the missing facts of every unknown
    // requirement would settle it; the requirements already yes are not walked again.
    if (d.result == verdict::unknown)
      for (std::uint32_t j = 0; j < r.count; ++j)
        if (unknown & (std::uint64_t{1} << j))
          (void)walk.missing_in_rule(rules.requirement_index[r.first + j], d.missing);
  }
  d.outcome = to_status(d.result);
  return d;
}

} // namespace entitle
