#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/month.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/payment_engine.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

// A status over a period: in which of its months a person meets a set of rules, each month decided
// on its first day as the payment engine decides enrolments and subsidies (docs/batch.md, "Status
// over the period"), so that a row's months and its funding agree.
namespace entitle {

/// The months of a period in which a person meets some rule of a set.
struct months_met {
  std::optional<month> first; ///< the first such month; none when there is none
  std::uint32_t count = 0;    ///< how many months of the period
  friend bool operator==(const months_met&, const months_met&) = default;
};

/// A set of rules decided on the first day of each month of a period, one person at a time. A rule
/// reaches the date only through an age or a count of months (`detail::date_inputs`), so the rules
/// are decided again only in a month where one of those numbers changes: two or three decisions
/// a person over a year, not twelve. Immutable and safe to share; `of` allocates nothing.
///
///     const monthly_status calendar(policy.rules(), {rule}, month_range::calendar_year(2024));
///     const months_met met = calendar.of(person.facts(), status.result == verdict::yes, as_of);
class monthly_status {
public:
  monthly_status(const bound_rules& rules, std::vector<std::uint32_t> status_rules, month_range period)
      : rules_(rules), status_rules_(std::move(status_rules)), period_(period) {
    for (const std::uint32_t r : status_rules_)
      for (const auto& input : detail::date_inputs(rules, r))
        if (std::find(inputs_.begin(), inputs_.end(), input) == inputs_.end()) inputs_.push_back(input);
    for (const month m : period) {
      first_days_.push_back(m.first_day());
      day_numbers_.push_back(date_number(m.first_day()));
    }
  }

  /// True when some rule reads an age or a count of months, so that its verdict can change
  /// within the period.
  [[nodiscard]] bool dated() const noexcept { return !inputs_.empty(); }

  /// The months `facts` meet some rule in. `met`: whether some rule is yes on `on`, a day already
  /// decided (the status date): the verdict of every month when no rule is `dated()`, and of the
  /// period's first month when `on` is its first day.
  [[nodiscard]] months_met of(std::span<const fact_value> facts, bool met, date on) const {
    months_met out;
    const std::size_t months = first_days_.size();
    if (!dated()) {
      if (met) out = {period_.first(), static_cast<std::uint32_t>(months)};
      return out;
    }
    for (std::size_t m = 0; m < months; ++m) {
      if (m == 0 ? first_days_[0] != on : changes(facts, m)) met = any_yes(facts, first_days_[m]);
      if (!met) continue;
      if (!out.first) out.first = period_.first().plus(std::chrono::months(static_cast<int>(m)));
      ++out.count;
    }
    return out;
  }

private:
  // Whether an age or count of months the rules read differs between month m - 1 and m.
  [[nodiscard]] bool changes(std::span<const fact_value> facts, std::size_t m) const noexcept {
    for (const auto& [slot, how] : inputs_) {
      const fact_value& f = facts[slot];
      if (f.present && detail::derived_number(day_numbers_[m], f.number, how) !=
                           detail::derived_number(day_numbers_[m - 1], f.number, how))
        return true;
    }
    return false;
  }
  [[nodiscard]] bool any_yes(std::span<const fact_value> facts, date day) const noexcept {
    const detail::evaluator walk(rules_, facts, day); // the verdict alone: no missing facts sought
    for (const std::uint32_t r : status_rules_)
      if (walk.test_rule(r) == verdict::yes) return true;
    return false;
  }

  const bound_rules& rules_;
  std::vector<std::uint32_t> status_rules_;
  month_range period_;
  std::vector<std::pair<std::size_t, derivation>> inputs_;
  std::vector<date> first_days_;
  std::vector<std::int64_t> day_numbers_;
};

} // namespace entitle
