#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/dated.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/rate.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What a covered person, or their heirs, receive: benefit types as values
// (docs/policy-format.md, "Benefits and claims").
namespace entitle {

/// One step of a share of the wage paid for a number of months: 100% for 12 months, then 50%
/// for as long as it lasts (no `months`).
struct wage_share_step {
  rate share;
  std::optional<std::int64_t> months; ///< empty: every month that is left
  friend bool operator==(const wage_share_step&, const wage_share_step&) = default;
};

/// A kind of cost refunded up to a cap: transport by land, sea or air; home care.
struct reimbursement_cap {
  std::string kind; ///< "land", "sea", "air", "home_care"
  dated<money> cap;
  friend bool operator==(const reimbursement_cap&, const reimbursement_cap&) = default;
};

/// A school level of a scholarship: so much a year, for at most so many years.
struct scholarship_level {
  std::string level; ///< "tk_sd", "smp", "sma", "perguruan_tinggi"
  dated<money> yearly;
  std::int64_t years = 0;
  friend bool operator==(const scholarship_level&, const scholarship_level&) = default;
};

/// How a benefit's amount is worked out: exactly one of the kinds, with its figures.
struct benefit_amount {
  enum class kind : unsigned char {
    lump_sum,      ///< `amount`
    wage_multiple, ///< `times` x the first of `base` the person has (48 x the monthly wage)
    periodic,      ///< `amount` x `count`, paid at once or in `tranches`
    reimbursement, ///< each cost claimed, up to its kind's cap
    wage_share,    ///< `steps` of a share of `base` for the months claimed
    scholarship,   ///< a yearly amount per child by school level, for at most `max_children`
  };
  kind how = kind::lump_sum;
  std::optional<dated<money>> amount;       ///< lump_sum, periodic
  std::optional<dated<std::int64_t>> times; ///< wage_multiple
  std::vector<std::string> base;            ///< wage_multiple, wage_share: money facts, the first present
  std::int64_t count = 0;                   ///< periodic
  std::int64_t tranches = 0;                ///< periodic: 0 or 1 is at once
  std::vector<wage_share_step> steps;       ///< wage_share
  std::vector<reimbursement_cap> caps;      ///< reimbursement
  std::vector<scholarship_level> levels;    ///< scholarship
  std::int64_t max_children = 0;            ///< scholarship

  friend bool operator==(const benefit_amount&, const benefit_amount&) = default;
};

/// A benefit of a program: what is paid on which events, to whom a rule allows, while it is in
/// force. "JKM death benefit: Rp20,000,000 at once on a participant's death not at work, when
/// membership is active (PP 82/2019)".
struct benefit {
  std::string id;
  std::string label;
  std::string program;             ///< "JKM", "JKK", "BSU"
  std::string citation;            ///< the regulation that sets it
  std::vector<std::string> events; ///< the claim events it pays on: "death", "work_accident_death", ...
  std::string when;                ///< a rule that must be yes on the event date; "" for none
  std::optional<date> from;        ///< in force for events from this day
  std::optional<date> until;       ///< ... to this day, both included
  benefit_amount amount;
  /// Never below these benefits' amounts for the same claim: death from a work accident pays at
  /// least the JKM death benefit.
  std::vector<std::string> at_least;

  friend bool operator==(const benefit&, const benefit&) = default;
};

} // namespace entitle
