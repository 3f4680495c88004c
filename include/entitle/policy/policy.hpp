#pragma once

#include <entitle/core/date.hpp>
#include <entitle/policy/benefit.hpp>
#include <entitle/policy/program.hpp>
#include <entitle/policy/subsidy.hpp>
#include <entitle/rules/decision_table.hpp>
#include <entitle/rules/derived.hpp>
#include <entitle/rules/parameter.hpp>
#include <entitle/rules/rule.hpp>
#include <entitle/rules/schema.hpp>

#include <optional>
#include <string>
#include <vector>

namespace entitle {

/// A policy: the facts it reads, its rules, and who pays for what: programs with their
/// contribution formulas, temporary adjustments, enrolments and subsidies, and what its benefits
/// pay on a claim. It is a plain value,
/// built in C++ or read from policy JSON (`entitle/io/policy_json.hpp`), where a regional policy
/// `extends` the national pack; `compiled_policy` binds it once for evaluation.
struct policy {
  std::string id;      ///< e.g. "oku-timur/pekerja-rentan-2024"
  std::string title;   ///< in any language
  std::string version; ///< e.g. "2024.1"
  std::optional<date> effective_from;
  std::optional<date> effective_until;
  std::vector<std::string> legal_basis;
  std::vector<std::string> extends; ///< the ids of the policies this one builds on, as written; already merged in
  schema facts;
  std::vector<rule> rules;
  std::vector<program> programs;
  std::vector<adjustment> adjustments;
  std::vector<enrolment> enrolments;
  std::vector<subsidy> subsidies;
  std::vector<benefit> benefits;
  /// Named figures the rules compare with, which a run can set (`parameter`, `--set`).
  std::vector<parameter> parameters;
  /// Named values worked out from the facts (`derived_value`), tested, ranked and output by name.
  std::vector<derived_value> derived;
  /// Decision tables (`decision_table`): their outputs are read by derived values (`table_value`).
  std::vector<decision_table> tables;

  friend bool operator==(const policy&, const policy&) = default;
};

} // namespace entitle
