#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/money.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/why_not.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

// The registered base: what a wage-based benefit of a claim made under an enrolment is worked on.
// It is the base that enrolment's contributions to the benefit's program are computed on, on the
// event day (docs/policy-format.md, "Coverage of a claim"): the enrolment's own `base` (pekerja
// rentan registered at Rp1,000,000 whatever they earn), else the formula's base fact or fixed
// amount, within the formula's floor, ceiling and brackets, as `payment_engine` works it out.
namespace entitle::detail {

// The registered base of one program under one enrolment, or why there is none.
struct registered_base {
  std::optional<money> amount;      // empty: see `missing`, `refusal` and `flat`
  std::string source;               // "wage, the JKK base of non_asn_pu"
  std::vector<std::string> notes;   // a base raised to a floor, capped, taken at a bracket
  std::vector<std::string> missing; // facts that would settle it
  std::string refusal;              // no formula of the program selects the person
  bool flat = false;                // the program's contributions are flat amounts, on no base
};

// `value` within `base`'s floor, ceiling and brackets in force on `day`, each step noted; the same
// steps, in the same order, as `payment_engine::bounded`.
inline money bounded_base(const contribution_base& base, money value, date day, std::vector<std::string>& notes) {
  if (base.floor)
    if (const auto* floor = base.floor->find(day); floor && value < floor->value) {
      notes.push_back("base " + to_rupiah_string(value) + " raised to the floor " + to_rupiah_string(floor->value) +
                      " (" + floor->citation + ")");
      value = floor->value;
    }
  if (base.ceiling)
    if (const auto* ceiling = base.ceiling->find(day); ceiling && ceiling->value < value) {
      notes.push_back("base " + to_rupiah_string(value) + " capped at " + to_rupiah_string(ceiling->value) + " (" +
                      ceiling->citation + ")");
      value = ceiling->value;
    }
  if (!base.brackets.empty()) {
    money level = base.brackets.front();
    for (const money b : base.brackets)
      if (b <= value) level = b;
    if (level != value)
      notes.push_back("base " + to_rupiah_string(value) + " taken at the bracket " + to_rupiah_string(level));
    value = level;
  }
  return value;
}

// The formula of program `prog` for `category` that applies on `day`: the first whose rule is
// yes, as `payment_engine` chooses. A rule is not decided when every formula left has the same
// base, so that a JKK claim does not need the risk class its base does not depend on. Sets
// `out.missing` or `out.refusal` and returns nothing when none can be chosen.
inline std::optional<std::size_t> formula_for(const policy& p, const bound_rules& rules, const bound_payments& pay,
                                              std::size_t prog, const std::string& category,
                                              std::span<const fact_value> facts, date day, registered_base& out) {
  const auto& forms = p.programs[prog].formulas;
  auto same_base_after = [&](std::size_t f) {
    for (std::size_t g = f + 1; g < forms.size(); ++g)
      if (forms[g].category == category && !(forms[g].base == forms[f].base)) return false;
    return true;
  };
  for (std::size_t f = 0; f < forms.size(); ++f) {
    if (forms[f].category != category) continue;
    const std::uint32_t rule = pay.when[prog][f];
    if (rule == bound_payments::no_rule || same_base_after(f)) return f;
    const decision d = entitle::decide(rules, rule, facts, day);
    if (d.result == verdict::yes) return f;
    if (d.result == verdict::unknown) {
      out.missing = missing_names(rules, d);
      return std::nullopt;
    }
  }
  out.refusal = "no " + p.programs[prog].id + " formula for " + category + " selects the person on " + to_string(day);
  return std::nullopt;
}

// The registered base of program `program_id` under enrolment `e` of `p` on `day`.
inline registered_base registered_base_of(const policy& p, const bound_rules& rules, const bound_payments& pay,
                                          std::size_t e, const std::string& program_id,
                                          std::span<const fact_value> facts, date day) {
  registered_base out;
  const enrolment& en = p.enrolments[e];
  const std::size_t prog = find_program(p, program_id);
  if (prog == p.programs.size()) {
    out.flat = true; // a benefit of a program the policy collects nothing for
    return out;
  }
  const auto f = formula_for(p, rules, pay, prog, en.category, facts, day, out);
  if (!f) return out;
  const contribution_base& base = p.programs[prog].formulas[*f].base;
  const auto slot = pay.base_slot[prog][*f];
  if (en.base) {
    out.amount = bounded_base(base, *en.base, day, out.notes);
    out.source = "the base " + en.id + " registers for " + program_id;
  } else if (slot) {
    const fact_value fact = detail::value_in(rules, facts, *slot);
    if (!fact.present) {
      fact_set missing;
      detail::evaluator(rules, facts, day).missing_in_value(*slot, missing);
      for (std::size_t s = 0; s < rules.facts.size(); ++s)
        if (missing.test(s)) out.missing.push_back(rules.facts.at(s).name);
      return out;
    }
    out.amount = bounded_base(base, money::from_minor_units(fact.number), day, out.notes);
    out.source = base.fact + ", the " + program_id + " base of " + en.id;
  } else if (const auto* fixed = base.fixed ? base.fixed->find(day) : nullptr) {
    out.amount = bounded_base(base, fixed->value, day, out.notes);
    out.source = "the fixed " + program_id + " base of " + en.id;
  } else {
    out.flat = true;
  }
  return out;
}

} // namespace entitle::detail
