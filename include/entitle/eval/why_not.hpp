#pragma once

#include <entitle/core/date.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/explanation.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace entitle::detail {

// Why rule `r` is no on `day`: for each failing rule closest to the facts (a requirement of a
// requirement list, say), its label and reason code, and each failing test with what the facts
// held: "Masa iur paling sedikit 3 tahun (MASA_IUR_KURANG): contribution_months >= 36, actual 12".
// Claims give it as the reason of a refused benefit and of an enrolment that does not select the
// person.
inline std::string why_not(const bound_rules& rules, std::uint32_t r, std::span<const fact_value> facts, date day) {
  const explanation e = entitle::explain(rules, r, facts, day);
  std::vector<std::pair<const explanation_line*, std::string>> reasons; // a failing rule, its failing tests
  std::vector<const explanation_line*> open;                            // the lines around a line
  for (const auto& l : e.lines) {
    while (!open.empty() && open.back()->depth >= l.depth)
      open.pop_back();
    open.push_back(&l);
    // A test failing under a rule or an `any` that holds all the same is no reason.
    if (l.result != verdict::no || l.is_rule || l.actual.empty()) continue; // all/any/not: their tests say more
    if (std::any_of(open.begin(), open.end(), [](const explanation_line* x) { return x->result != verdict::no; }))
      continue;
    const auto rule = std::find_if(open.rbegin(), open.rend(), [](const explanation_line* x) { return x->is_rule; });
    if (rule == open.rend()) continue;
    std::string test = l.text + ", actual " + l.actual;
    const auto found = std::find_if(reasons.begin(), reasons.end(), [&](const auto& x) { return x.first == *rule; });
    if (found == reasons.end())
      reasons.emplace_back(*rule, std::move(test));
    else
      found->second += "; " + test;
  }
  std::string out;
  for (const auto& [rule, tests] : reasons) {
    if (!out.empty()) out += "; ";
    out += (rule->text.empty() ? rule->id : rule->text);
    if (!rule->reason.empty()) out += " (" + rule->reason + ")";
    out += ": " + tests;
  }
  if (!out.empty()) return out;
  const bound_rule& rule = rules.rules[r];
  return (rule.label.empty() ? rule.id : rule.label) + (rule.reason.empty() ? "" : " (" + rule.reason + ")");
}

// The names of the facts a decision misses, in slot order.
inline std::vector<std::string> missing_names(const bound_rules& rules, const decision& d) {
  std::vector<std::string> out;
  for (std::size_t slot = 0; slot < rules.facts.size(); ++slot)
    if (d.missing.test(slot)) out.push_back(rules.facts.fields()[slot].name);
  return out;
}

} // namespace entitle::detail
