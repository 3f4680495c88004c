#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/dated.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/month.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/policy/policy.hpp>

#include <algorithm>
#include <optional>
#include <string>

// No figure silently absent: a month whose contribution would be worked out without the figures
// it needs would come out as Rp0, so a period is checked once, before any person is costed.
namespace entitle::detail {

// The first contribution month of `period` on whose first day `start` has come (every month when
// there is no start), or none when it comes after the period.
inline std::optional<month> first_month_from(month_range period, const std::optional<date>& start) {
  if (!start) return period.first();
  month m = month::of(*start);
  if (m.first_day() < *start) m = m.next(); // a start during a month counts from the next one
  m = std::max(m, period.first());
  if (period.last() < m) return std::nullopt;
  return m;
}

// A figure whose history starts after `first` (the first month checked) is absent in that month.
template <class T>
void check_started(const std::optional<dated<T>>& figure, month first, const std::string& where, const policy& p,
                   const program& prog, const enrolment& e) {
  if (!figure || !(first.first_day() < figure->history().front().from)) return;
  throw error(failure(errc::not_in_force,
                      "the program " + detail::quoted(prog.id) + " has no figure in force for " + to_string(first) +
                          " (enrolment " + detail::quoted(e.id) + ", category " + detail::quoted(e.category) +
                          "): it is in force from " + to_string(figure->history().front().from) + "; " +
                          policy_dates(p) +
                          ". If the program starts later, say so with \"from\" on the program or the enrolment",
                      where));
}

/// Throws `errc::not_in_force` when a program an enrolment enrols people in has, for a month of
/// `period`, a figure of its category's formulas (a share, a flat amount, a fixed base, the
/// derived value a `share_of` or `amount_of` names) that is not yet in force: the message names
/// the program, the month and the policy's dates, and the location the figure. Months before the
/// program's or the enrolment's `from` are not checked: the policy says the program starts then.
/// `b` must come from `bind_payments(p, ...)`.
inline void check_figures_in_force(const policy& p, const bound_payments& b, month_range period) {
  for (std::size_t i = 0; i < p.enrolments.size(); ++i) {
    const enrolment& e = p.enrolments[i];
    for (const std::size_t index : b.enrolment_programs[i]) {
      const program& prog = p.programs[index];
      std::optional<date> start = e.from;
      if (prog.from && (!start || *start < *prog.from)) start = prog.from;
      const std::optional<month> first = first_month_from(period, start);
      if (!first) continue;
      for (std::size_t f = 0; f < prog.formulas.size(); ++f) {
        const formula& form = prog.formulas[f];
        if (form.category != e.category) continue;
        const std::string at = "/programs/" + std::to_string(index) + "/formulas/" + std::to_string(f);
        if (!e.base) check_started(form.base.fixed, *first, at + "/base/fixed", p, prog, e);
        for (std::size_t k = 0; k < form.parts.size(); ++k) {
          const std::string part_at = at + "/parts/" + std::to_string(k);
          check_started(form.parts[k].share, *first, part_at + "/share", p, prog, e);
          check_started(form.parts[k].amount, *first, part_at + "/amount", p, prog, e);
          check_started(form.parts[k].share_of, *first, part_at + "/share_of", p, prog, e);
          check_started(form.parts[k].amount_of, *first, part_at + "/amount_of", p, prog, e);
        }
      }
    }
  }
}

} // namespace entitle::detail
