#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/verdict.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/eval/derived_source.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/reasons.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/literal.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace entitle {

/// One line of an explanation: a rule, or a condition inside one, with its verdict.
struct explanation_line {
  std::size_t depth = 0;
  bool is_rule = false;
  verdict result = verdict::unknown;
  std::string id;       ///< rules: the rule id
  std::string text;     ///< rules: the label; conditions: the test, "age of birth_date between 15 and 65"
  std::string actual;   ///< conditions: what the facts hold, "70, from birth_date 1954-01-01" or "missing"
  std::string expected; ///< conditions: what the test wants, "15..65"
  std::string citation; ///< rules: the regulation and article
  std::string reason;   ///< rules that are no: the reason code; unknown: the `reason_unknown` code, if any

  friend bool operator==(const explanation_line&, const explanation_line&) = default;
};

/// A decision with its trace: every rule and condition visited, in order, with the actual and
/// expected values and the citations. Self-contained: it holds text, not references.
struct explanation {
  std::string rule; ///< the rule decided
  date as_of;       ///< the evaluation date
  decision outcome; ///< the same decision `decide` gives
  /// The decision's reason codes (`decision_reasons`): failing ones in requirement order, or the
  /// `reason_unknown` codes of an undetermined decision; the first is the decision's reason.
  std::vector<std::string> reasons;
  std::vector<std::string> missing; ///< when undetermined: the missing facts that would settle it
  std::vector<explanation_line> lines;
  /// The person's contributions over a period, when asked for with the decision
  /// (`compiled_policy::explain(rule, facts, as_of, period)`); empty otherwise.
  std::optional<contribution_statement> contributions;
};

namespace detail {

// Records the rules and conditions an evaluation visits (rule-reference nodes are shown by the
// rule they refer to, not twice).
class trace_recorder {
public:
  static constexpr bool enabled = true;
  explicit trace_recorder(const bound_rules& rules) : rules_(rules) {}

  std::size_t enter_rule(std::uint32_t index) { return enter(true, index); }
  std::size_t enter_node(std::uint32_t index) {
    if (rules_.nodes[index].what == condition::kind::rule) return skipped;
    return enter(false, index);
  }
  void leave(std::size_t token, verdict result) {
    if (token == skipped) return;
    lines[token].result = result;
    --depth_;
  }

  struct line {
    bool is_rule;
    std::uint32_t index;
    std::size_t depth;
    verdict result;
  };
  std::vector<line> lines;

private:
  static constexpr std::size_t skipped = static_cast<std::size_t>(-1);
  std::size_t enter(bool is_rule, std::uint32_t index) {
    lines.push_back({is_rule, index, depth_++, verdict::unknown});
    return lines.size() - 1;
  }
  const bound_rules& rules_;
  std::size_t depth_ = 0;
};

inline std::string subject_name(std::span<const field> fields, std::uint16_t slot, derivation derive) {
  const std::string& name = fields[slot].name;
  switch (derive) {
  case derivation::value: return name;
  case derivation::age_in_years: return "age of " + name;
  case derivation::months_since: return "months since " + name;
  case derivation::rounded_up: return name + " rounded up";
  }
  return name;
}

// The constant of a node as text: Rp1.500.000, 2024-01-01, "16.08", informal.
inline std::string constant_text(const bound_rules& rules, std::span<const field> fields, const bound_node& n,
                                 std::int64_t number) {
  if (n.derive != derivation::value) return std::to_string(number);
  const field& f = fields[n.slot];
  if (f.type == fact_type::string) return detail::quoted(rules.texts[static_cast<std::size_t>(number)]);
  return render(f, fact_value::of_number(number));
}

inline std::string actual_text(std::span<const field> fields, const evaluator& walk, std::span<const fact_value> facts,
                               std::uint16_t slot, derivation derive) {
  const field& f = fields[slot];
  if (!facts[slot].present) return "missing";
  if (derive == derivation::value) return render(f, facts[slot]);
  return std::to_string(walk.derive(facts[slot].number, derive)) + ", from " + f.name + " " + render(f, facts[slot]);
}

inline void describe_node(const bound_rules& rules, std::span<const field> fields, const evaluator& walk,
                          std::span<const fact_value> facts, const bound_node& n, explanation_line& out);

// Where a table's value came from: "; table jkk_rate (JKK rate by risk class), row 2 "III"
// [PP 44/2015 Lampiran I]", or that no row matched or missing inputs left it open.
inline std::string table_row_text(const bound_rules& rules, const evaluator& walk, std::uint32_t expr) {
  const table_source source = table_source_of(rules, walk, expr);
  return "; table " + source.table->id + " (" + source.table->label + ")" + source.row + " [" + source.citation + "]";
}

// A test on derived values: the test on its two local slots, then where the values come from.
inline void describe_local(const bound_rules& rules, const evaluator& walk, const bound_node& n,
                           explanation_line& out) {
  const auto low = static_cast<std::size_t>(n.low), high = static_cast<std::size_t>(n.high);
  const std::array<field, 2> fields{rules.field_at(low), rules.field_at(n.against_fact ? high : low)};
  const std::array<fact_value, 2> values{walk.value(low), n.against_fact ? walk.value(high) : fact_value::missing()};
  describe_node(rules, fields, walk, values, rules.nodes[n.first], out);
  auto cite = [&](std::size_t slot) {
    if (!rules.is_derived(slot)) return;
    const bound_derived& d = rules.derived[slot - rules.facts.size()];
    out.actual += "; " + d.declared.name + " is derived: " + d.label + " [" + d.citation + "]";
    if (rules.exprs[d.root].op == expr_op::table) out.actual += table_row_text(rules, walk, d.root);
  };
  cite(low);
  if (n.against_fact && high != low) cite(high);
}

inline void describe_node(const bound_rules& rules, std::span<const field> fields, const evaluator& walk,
                          std::span<const fact_value> facts, const bound_node& n, explanation_line& out) {
  if (n.code == leaf_op::local) return describe_local(rules, walk, n, out);
  using kind = condition::kind;
  const std::string about = subject_name(fields, n.slot, n.derive);
  auto list = [&](bool texts) {
    std::string items;
    for (std::uint32_t k = 0; k < n.count; ++k)
      items += (k ? ", " : "") + (texts ? detail::quoted(rules.texts[n.first + k])
                                        : constant_text(rules, fields, n, rules.numbers[n.first + k]));
    return items;
  };
  const bool is_text = n.derive == derivation::value && fields[n.slot].type == fact_type::string;
  switch (n.what) {
  case kind::all: out.text = "all of"; return;
  case kind::any: out.text = "any of"; return;
  case kind::negation: out.text = "not"; return;
  case kind::if_missing: out.text = std::string("where facts are missing, taken as ") + (n.low ? "yes" : "no"); return;
  case kind::rule: return;
  case kind::present: out.text = about + " is present"; break;
  case kind::missing: out.text = about + " is missing"; break;
  case kind::compare:
    if (n.against_fact && n.other_derive == derivation::rounded_up) {
      // "wage <= regional_min_wage rounded up to Rp100.000", expecting "Rp4.800.000, from ... Rp4.789.312"
      const field& f = fields[n.other_slot];
      const fact_value& other = facts[n.other_slot];
      const auto rounded = other.present ? rounded_up_number(other.number, n.high) : std::nullopt;
      out.expected = !other.present ? "missing"
                     : rounded
                         ? render(f, fact_value::of_number(*rounded)) + ", from " + f.name + " " + render(f, other)
                         : "more than " + render(f, fact_value::of_number(INT64_MAX)) + ", from " + f.name + " " +
                               render(f, other);
      out.text = about + " " + std::string(symbol(n.op)) + " " + f.name + " rounded up to " +
                 render(f, fact_value::of_number(n.high));
      break;
    }
    out.expected = n.against_fact ? actual_text(fields, walk, facts, n.other_slot, n.other_derive)
                                  : constant_text(rules, fields, n, n.low);
    out.text = about + " " + std::string(symbol(n.op)) + " " +
               (n.against_fact ? subject_name(fields, n.other_slot, n.other_derive) : out.expected);
    break;
  case kind::in_set:
    out.expected = "one of " + list(is_text);
    out.text = about + " in {" + list(is_text) + "}";
    break;
  case kind::between:
    out.expected = constant_text(rules, fields, n, n.low) + ".." + constant_text(rules, fields, n, n.high);
    out.text = about + " between " + constant_text(rules, fields, n, n.low) + " and " +
               constant_text(rules, fields, n, n.high);
    break;
  case kind::digits:
    out.expected = std::to_string(n.low) + " digits";
    out.text = about + " has " + out.expected;
    break;
  case kind::length:
    out.expected = std::to_string(n.low) + " characters";
    out.text = about + " has " + out.expected;
    break;
  case kind::starts_with:
    out.expected = "starts with " + list(true);
    out.text = about + " starts with " + list(true);
    break;
  }
  out.actual = actual_text(fields, walk, facts, n.slot, n.derive);
}

} // namespace detail

/// Decides rule `index` as `decide` does and records why, line by line. Allocates; use it when
/// someone asks, not for every record of a batch.
[[nodiscard]] inline explanation explain(const bound_rules& rules, std::uint32_t index,
                                         std::span<const fact_value> facts, date as_of) {
  explanation out;
  out.rule = rules.rules[index].id;
  out.as_of = as_of;
  out.outcome = decide(rules, index, facts, as_of);
  for (const std::string_view code : decision_reasons(rules, out.outcome))
    out.reasons.emplace_back(code);
  for (std::size_t slot = 0; slot < rules.facts.size(); ++slot)
    if (out.outcome.missing.test(slot)) out.missing.push_back(rules.facts.fields()[slot].name);

  const detail::evaluator walk(rules, facts, as_of);
  detail::trace_recorder trace(rules);
  (void)walk.rule(index, trace);
  for (const auto& recorded : trace.lines) {
    explanation_line line;
    line.depth = recorded.depth;
    line.is_rule = recorded.is_rule;
    line.result = recorded.result;
    if (recorded.is_rule) {
      const bound_rule& r = rules.rules[recorded.index];
      line.id = r.id;
      line.text = r.label;
      line.citation = r.citation;
      if (recorded.result == verdict::no) line.reason = r.reason;
      if (recorded.result == verdict::unknown) line.reason = r.reason_unknown;
    } else {
      detail::describe_node(rules, rules.facts.fields(), walk, facts, rules.nodes[recorded.index], line);
    }
    out.lines.push_back(std::move(line));
  }
  return out;
}

/// The explanation as a readable tree, one line per rule or condition, each marked
/// ✓ (yes), ✗ (no) or ? (unknown):
///
///     pekerja_rentan on 2024-09-01: ineligible (USIA)
///     ✗ pekerja_rentan: Pekerja rentan OKU Timur [Perbup ...]
///       ✓ nik_valid: NIK 16 digit [UU 24/2013 Art. 64]
///         ✓ nik has 16 digits (actual "1608011234567890")
///
/// With contributions attached, the tree is followed by a line `contributions:` and then
/// `to_text(*e.contributions)`, unindented.
[[nodiscard]] inline std::string to_text(const explanation& e) {
  auto mark = [](verdict v) { return v == verdict::yes ? "✓" : v == verdict::no ? "✗" : "?"; };
  std::string text = e.rule + " on " + to_string(e.as_of) + ": " + std::string(to_string(e.outcome.outcome));
  if (!e.reasons.empty()) {
    text += " (";
    for (std::size_t i = 0; i < e.reasons.size(); ++i)
      text += (i ? ", " : "") + e.reasons[i];
    text += ")";
  }
  if (!e.missing.empty()) {
    text += "; missing facts: ";
    for (std::size_t i = 0; i < e.missing.size(); ++i)
      text += (i ? ", " : "") + e.missing[i];
  }
  text += '\n';
  for (const auto& line : e.lines) {
    text.append(line.depth * 2, ' ');
    text += mark(line.result);
    text += ' ';
    if (line.is_rule) {
      text += line.id + ": " + line.text;
      if (!line.citation.empty()) text += " [" + line.citation + "]";
      if (!line.reason.empty()) text += " -> " + line.reason;
    } else {
      text += line.text;
      if (!line.actual.empty()) text += " (actual " + line.actual + ")";
    }
    text += '\n';
  }
  if (e.contributions) text += "contributions:\n" + to_text(*e.contributions);
  return text;
}

} // namespace entitle
