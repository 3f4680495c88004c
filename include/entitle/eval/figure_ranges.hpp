#pragma once

#include <entitle/core/dated.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/core/rate.hpp>
#include <entitle/policy/policy.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

// The ranges of a policy's figures, checked once by the binder (`bind_payments`) whether the
// policy was built in C++ or read from JSON, with the same message at the same JSON pointer:
// shares from 0% to 100%; flat amounts, fixed bases, floors, ceilings, bracket levels and
// adjustment factors not below zero; a floor no higher than the ceiling in force with it;
// rounding units above zero; enrolment bases, subsidy amounts, quotas and budgets not below zero;
// subsidy windows within the months the policy is in force.
namespace entitle::detail {

[[noreturn]] inline void figure_error(std::string message, std::string where) {
  throw error(failure(errc::invalid_syntax, std::move(message), std::move(where)));
}

// Each entry of `figure` meets `ok`, or the error says `rule`, the value found and the entry:
// "a share is between 0% and 100%, found 150%" at ".../share/history/0/value".
template <class T, class Ok>
void check_history(const dated<T>& figure, const std::string& where, std::string_view rule, Ok ok) {
  const auto& history = figure.history();
  for (std::size_t k = 0; k < history.size(); ++k) {
    if (ok(history[k].value)) continue;
    std::string found;
    if constexpr (std::is_same_v<T, money>)
      found = to_rupiah_string(history[k].value);
    else
      found = to_string(history[k].value);
    figure_error(std::string(rule) + ", found " + found, where + "/history/" + std::to_string(k) + "/value");
  }
}

inline bool not_negative(money m) noexcept { return money() <= m; }

inline void check_amount(const std::optional<dated<money>>& figure, const std::string& where, std::string_view what) {
  if (figure) check_history(*figure, where, std::string(what) + " cannot be negative", not_negative);
}

// The floor is no higher than the ceiling on each day both are in force; checking the days either
// changes suffices, since both hold between changes.
inline void check_floor_below_ceiling(const contribution_base& base, const std::string& where) {
  if (!base.floor || !base.ceiling) return;
  auto check_on = [&](date day) {
    const auto* floor = base.floor->find(day);
    const auto* ceiling = base.ceiling->find(day);
    if (floor && ceiling && ceiling->value < floor->value)
      figure_error("the floor " + to_rupiah_string(floor->value) + " is above the ceiling " +
                       to_rupiah_string(ceiling->value) + " in force on " + to_string(day),
                   where + "/floor");
  };
  for (const auto& e : base.floor->history())
    check_on(e.from);
  for (const auto& e : base.ceiling->history())
    check_on(e.from);
}

inline void check_base(const contribution_base& base, const std::string& where) {
  check_amount(base.fixed, where + "/fixed", "a fixed base");
  check_amount(base.floor, where + "/floor", "a floor");
  check_amount(base.ceiling, where + "/ceiling", "a ceiling");
  check_floor_below_ceiling(base, where);
  if (!base.brackets.empty() && base.brackets.front() < money())
    figure_error("a bracket level cannot be negative, found " + to_rupiah_string(base.brackets.front()),
                 where + "/brackets/0");
}

inline void check_unit(money unit, const std::string& where) {
  if (unit <= money()) figure_error("a rounding unit is a positive amount, such as 1 or 100", where + "/unit");
}

inline void check_formula_figures(const formula& form, const std::string& where) {
  check_base(form.base, where + "/base");
  for (std::size_t k = 0; k < form.parts.size(); ++k) {
    const contribution_part& part = form.parts[k];
    const std::string at = where + "/parts/" + std::to_string(k);
    if (part.share)
      check_history(*part.share, at + "/share", "a share is between 0% and 100%", [](rate r) { return r.is_share(); });
    check_amount(part.amount, at + "/amount", "a flat amount");
  }
  check_unit(form.unit, where);
}

// The policy's dates, for a message: "the policy "x" is in force from 2014-01-01 to no end".
inline std::string policy_dates(const policy& p) {
  return "the policy " + detail::quoted(p.id) + " is in force from " +
         (p.effective_from ? to_string(*p.effective_from) : std::string("always")) + " to " +
         (p.effective_until ? to_string(*p.effective_until) : std::string("no end"));
}

// A subsidy pays only while its policy is in force: a window reaching a month before the month
// the policy takes effect, or after the month it ends, would pay under a policy not in force.
inline void check_window_in_force(const policy& p, const subsidy& s, const std::string& where) {
  const bool early = p.effective_from && s.window.first() < month::of(*p.effective_from);
  const bool late = p.effective_until && month::of(*p.effective_until) < s.window.last();
  if (!early && !late) return;
  figure_error("the window " + to_string(s.window) + (early ? " starts before" : " ends after") +
                   " the policy is in force: " + policy_dates(p),
               where + "/window");
}

inline void check_subsidy_figures(const subsidy& s, const std::string& where) {
  const subsidy_share& share = s.share;
  if (share.how == subsidy_share::kind::percent && !share.percent.is_share())
    figure_error("a share is between 0% and 100%, found " + to_string(share.percent), where + "/share/percent");
  if (share.how != subsidy_share::kind::percent && share.amount < money())
    figure_error("a subsidy's amount cannot be negative",
                 where + (share.how == subsidy_share::kind::amount ? "/share/amount" : "/share/base"));
  if (s.quota && *s.quota < 0) figure_error("a quota cannot be negative", where + "/quota");
  if (s.budget && *s.budget < money()) figure_error("a budget cannot be negative", where + "/budget");
}

/// Checks the range of every figure of `p`'s programs, adjustments, enrolments and subsidies;
/// throws `errc::invalid_syntax` naming the JSON pointer of the first figure out of range.
inline void check_figure_ranges(const policy& p) {
  for (std::size_t i = 0; i < p.programs.size(); ++i)
    for (std::size_t f = 0; f < p.programs[i].formulas.size(); ++f)
      check_formula_figures(p.programs[i].formulas[f],
                            "/programs/" + std::to_string(i) + "/formulas/" + std::to_string(f));
  for (std::size_t i = 0; i < p.adjustments.size(); ++i) {
    const std::string here = "/adjustments/" + std::to_string(i);
    check_history(p.adjustments[i].factor, here + "/factor", "a factor cannot be negative",
                  [](rate r) { return rate() <= r; });
    check_unit(p.adjustments[i].unit, here);
  }
  for (std::size_t i = 0; i < p.enrolments.size(); ++i)
    if (p.enrolments[i].base && *p.enrolments[i].base < money())
      figure_error("a base cannot be negative", "/enrolments/" + std::to_string(i) + "/base");
  for (std::size_t i = 0; i < p.subsidies.size(); ++i) {
    check_subsidy_figures(p.subsidies[i], "/subsidies/" + std::to_string(i));
    check_window_in_force(p, p.subsidies[i], "/subsidies/" + std::to_string(i));
  }
}

} // namespace entitle::detail
