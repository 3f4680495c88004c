#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/verdict.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/schema.hpp>

#include <chrono>
#include <cstdint>
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

  /// The value of the subject of `node` (the fact, or the derived age / month count), or
  /// nothing when the fact is missing.
  [[nodiscard]] const fact_value* subject(std::uint16_t slot, derivation derive, fact_value& derived) const noexcept {
    const fact_value& f = facts_[slot];
    if (!f.present) return nullptr;
    if (derive == derivation::value) return &f;
    const std::chrono::year_month_day from{std::chrono::sys_days(std::chrono::days(f.number))};
    const bool anniversary_reached =
        derive == derivation::age_in_years
            ? std::chrono::month_day(as_of_.month(), as_of_.day()) >= std::chrono::month_day(from.month(), from.day())
            : as_of_.day() >= from.day();
    const int years = static_cast<int>(as_of_.year()) - static_cast<int>(from.year());
    const int whole = derive == derivation::age_in_years
                          ? years
                          : years * 12 + static_cast<int>(static_cast<unsigned>(as_of_.month())) -
                                static_cast<int>(static_cast<unsigned>(from.month()));
    derived = fact_value::of_number(whole - (anniversary_reached ? 0 : 1));
    return &derived;
  }

  template <class Trace = no_trace>
  [[nodiscard]] verdict rule(std::uint32_t index, Trace& trace) const {
    const bound_rule& r = rules_.rules[index];
    const std::size_t token = trace.enter_rule(index);
    verdict result = verdict::yes;
    if (r.root) {
      result = node(*r.root, trace);
    } else {
      // A requirement list evaluates every requirement in traces (to show them all) and stops at
      // the first no otherwise.
      for (std::uint32_t requirement : r.requirements) {
        result = result && rule(requirement, trace);
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
    const verdict result = evaluate(n, trace);
    trace.leave(token, result);
    return result;
  }

  /// Adds to `out` the missing facts that leave `node` unknown; call only on unknown nodes.
  void missing_in_node(std::uint32_t index, fact_set& out) const {
    const bound_node& n = rules_.nodes[index];
    no_trace quiet;
    switch (n.what) {
    case condition::kind::all:
    case condition::kind::any:
    case condition::kind::negation:
      for (std::uint32_t k = 0; k < n.count; ++k) {
        const std::uint32_t child = rules_.child_index[n.first + k];
        if (node(child, quiet) == verdict::unknown) missing_in_node(child, out);
      }
      return;
    case condition::kind::rule: missing_in_rule(static_cast<std::uint32_t>(n.low), out); return;
    default:
      if (!facts_[n.slot].present) out.set(n.slot);
      if (n.against_fact && !facts_[n.other_slot].present) out.set(n.other_slot);
      return;
    }
  }

  /// Adds to `out` the missing facts that leave rule `index` unknown; call only on unknown rules.
  void missing_in_rule(std::uint32_t index, fact_set& out) const {
    const bound_rule& r = rules_.rules[index];
    if (r.root) return missing_in_node(*r.root, out);
    no_trace quiet;
    for (std::uint32_t requirement : r.requirements)
      if (rule(requirement, quiet) == verdict::unknown) missing_in_rule(requirement, out);
  }

private:
  template <class Trace>
  verdict evaluate(const bound_node& n, Trace& trace) const {
    using kind = condition::kind;
    switch (n.what) {
    case kind::all: {
      verdict result = verdict::yes;
      for (std::uint32_t k = 0; k < n.count && (Trace::enabled || result != verdict::no); ++k)
        result = result && node(rules_.child_index[n.first + k], trace);
      return result;
    }
    case kind::any: {
      verdict result = verdict::no;
      for (std::uint32_t k = 0; k < n.count && (Trace::enabled || result != verdict::yes); ++k)
        result = result || node(rules_.child_index[n.first + k], trace);
      return result;
    }
    case kind::negation: return !node(rules_.child_index[n.first], trace);
    case kind::rule: return rule(static_cast<std::uint32_t>(n.low), trace);
    case kind::present: return to_verdict(facts_[n.slot].present);
    case kind::missing: return to_verdict(!facts_[n.slot].present);
    default: break;
    }
    fact_value derived;
    const fact_value* value = subject(n.slot, n.derive, derived);
    if (!value) return verdict::unknown;
    const fact_type type = n.derive == derivation::value ? rules_.facts.fields()[n.slot].type : fact_type::integer;
    switch (n.what) {
    case kind::compare: {
      if (n.against_fact) {
        fact_value other_derived;
        const fact_value* other = subject(n.other_slot, n.other_derive, other_derived);
        if (!other) return verdict::unknown;
        return type == fact_type::string ? compare_text(n.op, value->text, other->text)
                                         : compare_number(n.op, value->number, other->number);
      }
      return type == fact_type::string ? compare_text(n.op, value->text, rules_.texts[static_cast<std::size_t>(n.low)])
                                       : compare_number(n.op, value->number, n.low);
    }
    case kind::in_set:
      if (type == fact_type::string) {
        for (std::uint32_t k = 0; k < n.count; ++k)
          if (value->text == rules_.texts[n.first + k]) return verdict::yes;
        return verdict::no;
      }
      for (std::uint32_t k = 0; k < n.count; ++k)
        if (value->number == rules_.numbers[n.first + k]) return verdict::yes;
      return verdict::no;
    case kind::between: return to_verdict(n.low <= value->number && value->number <= n.high);
    case kind::digits: {
      if (value->text.size() != static_cast<std::size_t>(n.low)) return verdict::no;
      for (char c : value->text)
        if (c < '0' || c > '9') return verdict::no;
      return verdict::yes;
    }
    case kind::length: return to_verdict(value->text.size() == static_cast<std::size_t>(n.low));
    case kind::starts_with:
      for (std::uint32_t k = 0; k < n.count; ++k)
        if (value->text.starts_with(rules_.texts[n.first + k])) return verdict::yes;
      return verdict::no;
    default: return verdict::unknown;
    }
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
  const bound_rule& r = rules.rules[index];
  if (r.root) {
    d.result = walk.node(*r.root, quiet);
    d.failing = d.result == verdict::no ? 1 : 0;
  } else {
    d.result = verdict::yes;
    for (std::size_t j = 0; j < r.requirements.size(); ++j) {
      const verdict v = walk.rule(r.requirements[j], quiet);
      if (v == verdict::no) d.failing |= std::uint64_t{1} << j;
      d.result = d.result && v;
    }
  }
  d.outcome = to_status(d.result);
  if (d.result == verdict::unknown) walk.missing_in_rule(index, d.missing);
  return d;
}

} // namespace entitle
