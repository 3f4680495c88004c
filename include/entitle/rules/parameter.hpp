#pragma once

#include <entitle/rules/literal.hpp>
#include <entitle/rules/schema.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace entitle {

/// A named figure of a policy that its rules compare with, declared once with its citation: the
/// income limit of a vulnerable-worker program, the last birth date a school-age benefit takes.
/// A rule refers to it where it would write a constant (`{"fact": "monthly_income", "<=":
/// {"parameter": "income_limit"}}`, `fact("monthly_income").at_most(parameter_value("income_limit"))`),
/// and a run can set it without a new policy file (`entitle run --set income_limit=Rp2.500.000`).
/// The binder reads `value` as `type` and checks that each use compares it with a fact of that
/// type (an enum fact takes a `string` parameter naming one of its values).
struct parameter {
  std::string id;
  std::string label;
  fact_type type = fact_type::money;
  literal value;
  std::string citation; ///< the regulation or agreement that sets the figure

  friend bool operator==(const parameter&, const parameter&) = default;
};

/// The parameter called `id` in `parameters`, or null.
[[nodiscard]] inline const parameter* find_parameter(std::span<const parameter> parameters,
                                                     std::string_view id) noexcept {
  for (const parameter& p : parameters)
    if (p.id == id) return &p;
  return nullptr;
}

} // namespace entitle
