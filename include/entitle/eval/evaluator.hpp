#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/verdict.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/eval/table_eval.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/schema.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

namespace entitle {
namespace detail {

/// The number a derived subject evaluates to for the date fact `number` on the day `as_of` (both
/// `date_number`s): full years or full months from one to the other, floored. A birthday on 29
/// February is reached on 1 March in common years. The evaluation date reaches a rule only
/// through this.
[[nodiscard]] constexpr std::int64_t derived_number(std::int64_t as_of, std::int64_t number, derivation how) noexcept {
  const std::int64_t years = (as_of >> 9) - (number >> 9);
  if (how == derivation::age_in_years) return years - ((as_of & 511) < (number & 511) ? 1 : 0);
  return years * 12 + ((as_of >> 5) & 15) - ((number >> 5) & 15) - ((as_of & 31) < (number & 31) ? 1 : 0);
}

/// `number` rounded up to a multiple of `unit` (> 0), both in sen; nothing when that multiple is
/// past the largest 64-bit number.
[[nodiscard]] constexpr std::optional<std::int64_t> rounded_up_number(std::int64_t number, std::int64_t unit) noexcept {
  const std::int64_t whole = number / unit;
  const bool part = number % unit > 0;
  std::int64_t out = 0;
  if (__builtin_mul_overflow(whole + (part ? 1 : 0), unit, &out)) return std::nullopt;
  return out;
}

/// Walks bound rules over one record's facts at an evaluation date. Reads slots only; never
/// allocates; recursion is bounded by `max_condition_depth` and the (acyclic) rule references.
class evaluator {
public:
  evaluator(const bound_rules& rules, std::span<const fact_value> facts, date as_of) noexcept
      : rules_(rules), as_of_(date_number(as_of)), nodes_(rules.nodes.data()), children_(rules.child_index.data()),
        table_(rules.table.data()), requirements_(rules.requirement_index.data()),
        roots_(rules.requirement_root.data()), fact_(facts.data()) {}

  /// The verdict of rule `index` without a trace: the path every decision takes. A nested
  /// requirement list stops at its first no; `all` and `any` test every part, because a loop
  /// whose length varies from person to person costs more in mispredicted branches than the
  /// few tests it would save.
  [[nodiscard]] verdict test_rule(std::uint32_t index) const noexcept {
    const rule_entry& r = table_[index];
    if (r.count == 0) return test(r.root);
    verdict result = verdict::yes;
    for (std::uint32_t j = 0; j < r.count && result != verdict::no; ++j)
      result = result && test_requirement(r.first + j);
    return result;
  }

  /// The verdict of entry `k` of `bound_rules::requirement_index`.
  [[nodiscard]] verdict test_requirement(std::uint32_t k) const noexcept {
    const std::uint32_t root = roots_[k];
    return root != bound_rules::no_root ? test(root) : test_rule(requirements_[k]);
  }

  /// The verdict of node `index` without a trace.
  [[nodiscard]] verdict test(std::uint32_t index) const noexcept {
    const bound_node& n = nodes_[index];
    return n.code == leaf_op::composite ? composite(n) : leaf(n);
  }

  // all, any, not and rule references, apart from `test` so that testing a leaf saves no
  // registers.
  [[gnu::noinline]] verdict composite(const bound_node& n) const noexcept {
    const std::uint32_t* child = children_ + n.first;
    switch (n.what) {
    case condition::kind::all: {
      verdict result = verdict::yes;
      for (std::uint32_t k = 0; k < n.count; ++k)
        result = result && test(child[k]);
      return result;
    }
    case condition::kind::any: {
      verdict result = verdict::no;
      for (std::uint32_t k = 0; k < n.count; ++k)
        result = result || test(child[k]);
      return result;
    }
    case condition::kind::negation: return negated(test(child[0]));
    case condition::kind::if_missing: return otherwise(test(child[0]), n);
    default: return test_rule(static_cast<std::uint32_t>(n.low));
    }
  }

  /// `derived_number` on the evaluation date.
  [[nodiscard]] std::int64_t derive(std::int64_t number, derivation how) const noexcept {
    return derived_number(as_of_, number, how);
  }

  /// The verdict of rule `index`, reporting every rule and node visited to `trace` (see
  /// explanation.hpp): each requirement and each part of `all` and `any` is visited, so that the
  /// explanation shows them all.
  template <class Trace>
  [[nodiscard]] verdict rule(std::uint32_t index, Trace& trace) const {
    const rule_entry& r = table_[index];
    const std::size_t token = trace.enter_rule(index);
    verdict result = verdict::yes;
    if (r.count == 0) {
      result = node(r.root, trace);
    } else {
      for (std::uint32_t j = 0; j < r.count; ++j)
        result = result && rule(requirements_[r.first + j], trace);
    }
    trace.leave(token, result);
    return result;
  }

  /// As `rule`, for node `index`.
  template <class Trace>
  [[nodiscard]] verdict node(std::uint32_t index, Trace& trace) const {
    const bound_node& n = nodes_[index];
    const std::size_t token = trace.enter_node(index);
    verdict result = verdict::unknown;
    switch (n.what) {
    case condition::kind::all:
      result = verdict::yes;
      for (std::uint32_t k = 0; k < n.count; ++k)
        result = result && node(children_[n.first + k], trace);
      break;
    case condition::kind::any:
      result = verdict::no;
      for (std::uint32_t k = 0; k < n.count; ++k)
        result = result || node(children_[n.first + k], trace);
      break;
    case condition::kind::negation: result = negated(node(children_[n.first], trace)); break;
    case condition::kind::if_missing: result = otherwise(node(children_[n.first], trace), n); break;
    case condition::kind::rule: result = rule(static_cast<std::uint32_t>(n.low), trace); break;
    default: result = leaf(n); break;
    }
    trace.leave(token, result);
    return result;
  }

  /// The verdict of node `index`, adding to `out` the missing facts that leave it unknown when it
  /// is unknown, and nothing otherwise (a missing fact under a settled `any` or `all` cannot
  /// change it). Each node is evaluated once: a composite adds its unknown parts' facts as it
  /// goes and takes them back if it turns out settled.
  verdict missing_in_node(std::uint32_t index, fact_set& out) const {
    const bound_node& n = nodes_[index];
    if (n.code != leaf_op::composite) {
      const verdict v = leaf(n);
      if (v == verdict::unknown) missing_in_leaf(n, out);
      return v;
    }
    switch (n.what) {
    case condition::kind::all:
    case condition::kind::any: {
      const bool is_all = n.what == condition::kind::all;
      const fact_set before = out;
      verdict result = is_all ? verdict::yes : verdict::no;
      for (std::uint32_t k = 0; k < n.count; ++k) {
        const verdict v = missing_in_node(children_[n.first + k], out);
        result = is_all ? (result && v) : (result || v);
      }
      if (result != verdict::unknown) out = before;
      return result;
    }
    case condition::kind::negation: return negated(missing_in_node(children_[n.first], out));
    case condition::kind::if_missing: {
      // Settled either way: the facts missing below cannot leave it unknown.
      const fact_set before = out;
      const verdict v = otherwise(missing_in_node(children_[n.first], out), n);
      out = before;
      return v;
    }
    default: return missing_in_rule(static_cast<std::uint32_t>(n.low), out);
    }
  }

  /// As `missing_in_node`, for rule `index`.
  verdict missing_in_rule(std::uint32_t index, fact_set& out) const {
    const rule_entry& r = table_[index];
    if (r.count == 0) return missing_in_node(r.root, out);
    const fact_set before = out;
    verdict result = verdict::yes;
    for (std::uint32_t j = 0; j < r.count; ++j)
      result = result && missing_in_rule(requirements_[r.first + j], out);
    if (result != verdict::unknown) out = before;
    return result;
  }

  /// Adds to `out` the missing facts that would settle the requirements of list rule `list`
  /// whose bits are set in `unknown` (each of them unknown). Apart from the decision's main pass,
  /// which only a decision that is undetermined pays for; a requirement that is one test on a
  /// fact needs no second evaluation: its fact is missing.
  [[gnu::noinline, gnu::cold]] void missing_of(const rule_entry& list, std::uint64_t unknown, fact_set& out) const {
    for (std::uint32_t j = 0; j < list.count; ++j) {
      if ((unknown & (std::uint64_t{1} << j)) == 0) continue;
      const std::uint32_t root = roots_[list.first + j];
      if (root != bound_rules::no_root && nodes_[root].code != leaf_op::composite) {
        missing_in_leaf(nodes_[root], out);
      } else {
        (void)missing_in_rule(requirements_[list.first + j], out);
      }
    }
  }

  /// The value in `slot`: a fact's, or a derived value's (past the facts) computed now.
  [[nodiscard]] fact_value value(std::size_t slot) const noexcept {
    const std::size_t facts = rules_.facts.size();
    return slot < facts ? fact_[slot] : expression(rules_.derived[slot - facts].root);
  }

  /// The value of expression node `index` (see `expr_op`); missing where a value it needs is.
  [[nodiscard]] fact_value expression(std::uint32_t index) const noexcept {
    const bound_expr& e = rules_.exprs[index];
    const std::uint32_t* child = rules_.expr_children.data() + e.first;
    switch (e.op) {
    case expr_op::value: {
      const fact_value v = value(e.slot);
      if (e.derive == derivation::value || !v.present) return v;
      return fact_value::of_number(derive(v.number, e.derive));
    }
    case expr_op::constant: return constant_value(e, e.value);
    case expr_op::least:
    case expr_op::greatest: {
      fact_value best = expression(child[0]);
      for (std::uint32_t k = 1; k < e.count && best.present; ++k) {
        const fact_value v = expression(child[k]);
        if (!v.present) return v;
        if (e.op == expr_op::greatest ? v.number > best.number : v.number < best.number) best = v;
      }
      return best;
    }
    case expr_op::clamp: {
      const fact_value v = expression(child[0]), low = expression(child[1]), high = expression(child[2]);
      if (!v.present || !low.present || !high.present) return fact_value::missing();
      return fact_value::of_number(std::max(low.number, std::min(v.number, high.number)));
    }
    case expr_op::bracket: return bracket(e, expression(child[0]));
    case expr_op::test: {
      const verdict t = test(static_cast<std::uint32_t>(e.value));
      return t == verdict::unknown ? fact_value::missing() : fact_value::of_number(t == verdict::yes ? 1 : 0);
    }
    case expr_op::choose: {
      const verdict t = test(static_cast<std::uint32_t>(e.value));
      return t == verdict::unknown ? fact_value::missing() : expression(child[t == verdict::yes ? 0 : 1]);
    }
    case expr_op::table:
      return table_output_value(rules_.tables[static_cast<std::size_t>(e.value)], table(index), e.slot);
    }
    return fact_value::missing();
  }

  /// The result of the decision table read by expression node `index` (an `expr_op::table`), on
  /// its inputs' values now.
  [[nodiscard, gnu::noinline]] table_result table(std::uint32_t index) const noexcept {
    const bound_expr& e = rules_.exprs[index];
    // fact_value's string_view is set when constructed: a small table's inputs stay in a small array.
    if (e.count <= 8) return table_on<8>(e);
    return table_on<max_table_inputs>(e);
  }

  /// Adds to `out` the missing facts that leave the value in `slot` missing.
  void missing_in_value(std::size_t slot, fact_set& out) const {
    const std::size_t facts = rules_.facts.size();
    if (slot < facts) {
      if (!fact_[slot].present) out.set(slot);
      return;
    }
    missing_in_expression(rules_.derived[slot - facts].root, out);
  }

private:
  // The private constructor of a test on a derived value's local slots.
  evaluator(const bound_rules& rules, std::span<const fact_value> facts, std::int64_t as_of) noexcept
      : rules_(rules), as_of_(as_of), nodes_(rules.nodes.data()), children_(rules.child_index.data()),
        table_(rules.table.data()), requirements_(rules.requirement_index.data()),
        roots_(rules.requirement_root.data()), fact_(facts.data()) {}

  // The missing facts of an unknown leaf.
  void missing_in_leaf(const bound_node& n, fact_set& out) const {
    if (n.code == leaf_op::local) {
      missing_in_value(static_cast<std::size_t>(n.low), out);
      if (n.against_fact) missing_in_value(static_cast<std::size_t>(n.high), out);
      return;
    }
    if (!fact_[n.slot].present) out.set(n.slot);
    if (n.against_fact && !fact_[n.other_slot].present) out.set(n.other_slot);
  }

  void missing_in_expression(std::uint32_t index, fact_set& out) const {
    const bound_expr& e = rules_.exprs[index];
    const std::uint32_t* child = rules_.expr_children.data() + e.first;
    switch (e.op) {
    case expr_op::value: missing_in_value(e.slot, out); return;
    case expr_op::constant: return;
    case expr_op::test: (void)missing_in_node(static_cast<std::uint32_t>(e.value), out); return;
    case expr_op::choose: {
      const verdict t = missing_in_node(static_cast<std::uint32_t>(e.value), out);
      if (t != verdict::unknown) missing_in_expression(child[t == verdict::yes ? 0 : 1], out);
      return;
    }
    case expr_op::bracket: missing_in_expression(child[0], out); return;
    default:
      for (std::uint32_t k = 0; k < e.count; ++k)
        if (!expression(child[k]).present) missing_in_expression(child[k], out);
    }
  }

  template <std::size_t N>
  [[nodiscard]] table_result table_on(const bound_expr& e) const noexcept {
    const std::uint32_t* child = rules_.expr_children.data() + e.first;
    std::array<fact_value, N> inputs;
    const std::size_t facts = rules_.facts.size();
    for (std::uint32_t k = 0; k < e.count; ++k) {
      const bound_expr& in = rules_.exprs[child[k]];
      if (in.op != expr_op::value || in.slot >= facts) {
        inputs[k] = expression(child[k]);
        continue;
      }
      // A fact, or its age or months since (most inputs): read here, without a call.
      inputs[k] = fact_[in.slot];
      if (in.derive != derivation::value && inputs[k].present)
        inputs[k] = fact_value::of_number(derive(inputs[k].number, in.derive));
    }
    return evaluate_table(rules_.tables[static_cast<std::size_t>(e.value)], {inputs.data(), e.count});
  }

  fact_value constant_value(const bound_expr& e, std::int64_t number) const noexcept {
    return e.type == fact_type::string ? fact_value::of_text(rules_.texts[static_cast<std::size_t>(number)])
                                       : fact_value::of_number(number);
  }

  // The first step whose `up_to` the input reaches, or the value above them all.
  fact_value bracket(const bound_expr& e, const fact_value& input) const noexcept {
    if (!input.present) return input;
    const std::int64_t* steps = rules_.numbers.data() + e.value;
    for (std::uint32_t k = 0; k < e.count; ++k)
      if (input.number <= steps[k]) return constant_value(e, steps[e.count + k]);
    return e.has_above ? constant_value(e, steps[2 * e.count]) : fact_value::missing();
  }

  // A test on a derived value: its test reads the values placed in slots 0 and 1.
  [[gnu::noinline]] verdict local_test(const bound_node& n) const noexcept {
    const fact_value values[2] = {value(static_cast<std::size_t>(n.low)),
                                  n.against_fact ? value(static_cast<std::size_t>(n.high)) : fact_value::missing()};
    const evaluator inner(rules_, values, as_of_);
    return inner.leaf(nodes_[n.first]);
  }

  // A test on facts: compare, in, between, present, missing, digits, length, starts_with. The
  // tests on one fact's own number are a few instructions here; the others are small functions
  // of their own, so that testing a leaf saves no registers.
  [[nodiscard]] verdict leaf(const bound_node& n) const noexcept {
    const fact_value& fact = fact_[n.slot];
    switch (n.code) {
    case leaf_op::present: return to_verdict(fact.present);
    case leaf_op::missing: return to_verdict(!fact.present);
    case leaf_op::eq: return known(fact, fact.number == n.low);
    case leaf_op::ne: return known(fact, fact.number != n.low);
    case leaf_op::lt: return known(fact, fact.number < n.low);
    case leaf_op::le: return known(fact, fact.number <= n.low);
    case leaf_op::gt: return known(fact, fact.number > n.low);
    case leaf_op::ge: return known(fact, fact.number >= n.low);
    case leaf_op::between: return known(fact, (n.low <= fact.number) & (fact.number <= n.high));
    case leaf_op::length: return known(fact, fact.text.size() == static_cast<std::size_t>(n.low));
    case leaf_op::in_small:
      return known(fact, (static_cast<std::uint64_t>(fact.number) < 64) &
                             (((static_cast<std::uint64_t>(n.high) >> (fact.number & 63)) & 1u) != 0));
    case leaf_op::digits: return digits_test(n, fact);
    case leaf_op::starts_short: return prefix_test(n, fact);
    case leaf_op::derived: return derived_test(n, fact);
    case leaf_op::local: return local_test(n);
    default: return other_leaf(n, fact);
    }
  }

  // `!v` by table: written as arithmetic, GCC turns the recursion through `not` into an
  // accumulator kept in memory, which made every `all` and `any` several times slower.
  static verdict negated(verdict v) noexcept {
    static constexpr verdict flipped[3] = {verdict::yes, verdict::unknown, verdict::no};
    return flipped[static_cast<unsigned char>(v)];
  }

  // An `if_missing` node's verdict from its condition's: the declared value (`low`) for unknown.
  static verdict otherwise(verdict v, const bound_node& n) noexcept {
    return v != verdict::unknown ? v : to_verdict(n.low != 0);
  }

  // A fact's verdict: `test` when the fact is present, unknown otherwise. Computed without a
  // branch: whether a fact is missing varies from person to person, and a mispredicted branch
  // costs more than the whole test.
  static constexpr verdict known(const fact_value& fact, bool test) noexcept {
    const unsigned present = fact.present ? 1u : 0u, yes = test ? 1u : 0u;
    return static_cast<verdict>(((present & yes) << 1) | (present ^ 1u));
  }

  // The heavier tests, each its own small function.
  [[gnu::noinline]] static verdict digits_test(const bound_node& n, const fact_value& fact) noexcept {
    if (!fact.present) return verdict::unknown;
    if (fact.text.size() != static_cast<std::size_t>(n.low)) return verdict::no;
    return to_verdict(all_ascii_digits(fact.text));
  }

  [[gnu::noinline]] verdict prefix_test(const bound_node& n, const fact_value& fact) const noexcept {
    if (!fact.present) return verdict::unknown;
    if (fact.text.size() < 8) return prefix_in(n, fact.text);
    std::uint64_t word;
    std::memcpy(&word, fact.text.data(), 8);
    const std::int64_t* pairs = rules_.numbers.data() + n.low;
    for (std::uint32_t k = 0; k < n.count; ++k)
      if ((word & static_cast<std::uint64_t>(pairs[2 * k + 1])) == static_cast<std::uint64_t>(pairs[2 * k]))
        return verdict::yes;
    return verdict::no;
  }

  [[gnu::noinline]] verdict derived_test(const bound_node& n, const fact_value& fact) const noexcept {
    if (!fact.present) return verdict::unknown;
    return number_test(n, derive(fact.number, n.derive));
  }

  [[nodiscard]] verdict prefix_in(const bound_node& n, std::string_view text) const noexcept {
    for (std::uint32_t k = 0; k < n.count; ++k)
      if (text.starts_with(rules_.texts[n.first + k])) return verdict::yes;
    return verdict::no;
  }

  [[gnu::noinline]] verdict other_leaf(const bound_node& n, const fact_value& fact) const noexcept {
    if (!fact.present) return verdict::unknown;
    switch (n.code) {
    case leaf_op::eq_text: return to_verdict(fact.text == rules_.texts[static_cast<std::size_t>(n.low)]);
    case leaf_op::ne_text: return to_verdict(fact.text != rules_.texts[static_cast<std::size_t>(n.low)]);
    case leaf_op::facts: {
      const fact_value& other = fact_[n.other_slot];
      if (!other.present) return verdict::unknown;
      if (n.type == fact_type::string) return compare_text(n.op, fact.text, other.text);
      const std::int64_t number = n.derive == derivation::value ? fact.number : derive(fact.number, n.derive);
      if (n.other_derive == derivation::rounded_up) {
        const auto rounded = rounded_up_number(other.number, n.high);
        if (rounded) return compare_number(n.op, number, *rounded);
        // Rounded past 64 bits: more than any number, so exactly as "number < it".
        return to_verdict(n.op == comparison::ne || n.op == comparison::lt || n.op == comparison::le);
      }
      const std::int64_t other_number =
          n.other_derive == derivation::value ? other.number : derive(other.number, n.other_derive);
      return compare_number(n.op, number, other_number);
    }
    case leaf_op::in_numbers: return in_numbers(n, fact.number);
    case leaf_op::in_texts:
      for (std::uint32_t k = 0; k < n.count; ++k)
        if (fact.text == rules_.texts[n.first + k]) return verdict::yes;
      return verdict::no;
    case leaf_op::starts_with: return prefix_in(n, fact.text);
    default: return verdict::unknown; // composite: not a leaf
    }
  }

  // A compare, in or between test on a derived number.
  [[nodiscard]] verdict number_test(const bound_node& n, std::int64_t number) const noexcept {
    switch (n.what) {
    case condition::kind::compare: return compare_number(n.op, number, n.low);
    case condition::kind::between: return to_verdict((n.low <= number) & (number <= n.high));
    default: return in_numbers(n, number);
    }
  }

  [[nodiscard]] verdict in_numbers(const bound_node& n, std::int64_t number) const noexcept {
    for (std::uint32_t k = 0; k < n.count; ++k)
      if (number == rules_.numbers[n.first + k]) return verdict::yes;
    return verdict::no;
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
      ok &= ((word & high) == threes) & (((word + sixes) & high) == threes);
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
  std::int64_t as_of_; // a date_number
  // The arrays the untraced path reads, held directly so that each read is one load.
  const bound_node* nodes_;
  const std::uint32_t* children_;
  const rule_entry* table_;
  const std::uint32_t* requirements_;
  const std::uint32_t* roots_;
  const fact_value* fact_;
};

/// The value in `slot` for one record: a fact as read, or a derived value worked out from it. For
/// values that do not change with the date (`reads_the_date`), such as a formula's base.
[[nodiscard]] inline fact_value value_in(const bound_rules& rules, std::span<const fact_value> facts,
                                         std::size_t slot) noexcept {
  if (!rules.is_derived(slot)) return facts[slot];
  return evaluator(rules, facts, date(2000, 1, 1)).value(slot);
}

} // namespace detail

/// Decides rule `index` of `rules` for one record's `facts` (one per schema slot) at the
/// evaluation date `as_of`. Never allocates: the decision is a fixed-size value.
[[nodiscard]] inline decision decide(const bound_rules& rules, std::uint32_t index, std::span<const fact_value> facts,
                                     date as_of) {
  const detail::evaluator walk(rules, facts, as_of);
  decision d;
  d.rule = index;
  const rule_entry& r = rules.table[index];
  if (r.count == 0) {
    d.result = walk.test(r.root);
    d.failing = d.result == verdict::no ? 1 : 0;
    d.unknown = d.result == verdict::unknown ? 1 : 0;
    if (d.result == verdict::unknown) (void)walk.missing_in_node(r.root, d.missing);
  } else {
    // Kept in registers, not in `d`, while the requirements are tested.
    verdict result = verdict::yes;
    std::uint64_t failing = 0, unknown = 0;
    for (std::uint32_t j = 0; j < r.count; ++j) {
      const verdict v = walk.test_requirement(r.first + j);
      failing |= std::uint64_t{v == verdict::no} << j;
      unknown |= std::uint64_t{v == verdict::unknown} << j;
      result = result && v;
    }
    d.result = result;
    d.failing = failing;
    d.unknown = unknown;
    // An unknown list has no failing requirement, so the missing facts of every unknown
    // requirement would settle it; the requirements already yes are not walked again.
    if (result == verdict::unknown) walk.missing_of(r, unknown, d.missing);
  }
  d.outcome = to_status(d.result);
  return d;
}

} // namespace entitle
