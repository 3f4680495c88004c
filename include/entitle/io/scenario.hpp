#pragma once
/// \file
/// Scenario tests of a policy (docs/scenarios.md): a file `entitle-test/1` kept next to the policy,
/// holding people with their facts and what the policy must make of them (status, reasons,
/// missing facts, amounts by program, payer and month), small rosters with the people a quota
/// must fund, and claims with what they must pay; each figure worked out by hand from the
/// regulation its case cites.

#include <entitle/core/date.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/io/policy_json.hpp>
#include <entitle/policy/setting.hpp>

#include <boost/json/value.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace entitle {

/// Amounts by name (a program, a payer, a benefit), in rupiah.
using scenario_amounts = std::map<std::string, money, std::less<>>;

/// One person: their facts, the day they are decided on and the months they are costed for, and
/// what is expected. Expectations left out are not checked.
struct scenario_case {
  std::string name;
  std::string citation;                            ///< where the expected figures come from
  std::string pointer;                             ///< the case in its file: "/cases/3"
  date as_of;                                      ///< "as_of", or the first day of "period"
  month_range period{month{}, month{}};            ///< "period", or the month of "as_of"
  std::vector<std::string> rules;                  ///< "rule": the rules deciding the status; default as `entitle run`
  boost::json::value facts;                        ///< read under the policy's facts when run
  std::string status;                              ///< eligible, ineligible or undetermined
  std::optional<std::vector<std::string>> reasons; ///< the reason codes, in order
  std::optional<std::vector<std::string>> missing; ///< the missing facts, in order
  scenario_amounts due;                            ///< over the period, by program
  scenario_amounts paid;                           ///< over the period, by payer
  std::optional<money> total;                      ///< everything paid over the period
  std::map<month, scenario_amounts> due_by_month;  ///< "months": {"2024-03": {"due": {...}}}
  std::map<month, scenario_amounts> paid_by_month; ///< "months": {"2024-03": {"paid": {...}}}
};

/// A small roster run as `entitle run` runs it, with the people each capped subsidy must fund.
struct scenario_batch {
  std::string name;
  std::string citation;
  std::string pointer;
  std::filesystem::path roster; ///< relative to the scenario file
  std::string id_column = "id";
  date as_of;
  month_range period{month{}, month{}};
  std::vector<setting> settings; ///< "set": {"apbd_oku_timur_2024.quota": "3"}
  std::optional<std::uint64_t> rows_read;
  std::optional<std::uint64_t> rejected;
  std::map<std::string, std::vector<std::string>, std::less<>> funded; ///< by subsidy: the ids, in any order
  scenario_amounts paid;
  std::optional<money> total;
};

/// A claim, with the amount each benefit must pay and the benefits that must refuse.
struct scenario_claim {
  std::string name;
  std::string citation;
  std::string pointer;
  std::string event;
  date on;
  std::int64_t months = 0;
  std::vector<std::string> children;
  std::string enrolment;
  boost::json::value facts;
  std::optional<money> total;
  scenario_amounts payable;         ///< by benefit id
  std::vector<std::string> refused; ///< benefit ids
};

/// A scenario file: the policy it tests (a path relative to the file, or an id) and its scenarios.
struct scenario_file {
  std::filesystem::path path;
  std::string policy;
  std::vector<scenario_case> cases;
  std::vector<scenario_batch> batches;
  std::vector<scenario_claim> claims;
};

/// Reads `path` (`entitle-test/1`). Throws `entitle::error` naming the file and the JSON pointer
/// of what is wrong ("x.test.json: /cases/2/expect/status: expected eligible, ineligible or
/// undetermined, found \"yes\"").
[[nodiscard]] scenario_file read_scenario_file(const std::filesystem::path& path);

/// What one scenario gave: passed when `failures` is empty; each failure says what was expected
/// and what the policy gave, and `explanation` is the decision's tree (or the claim's lines).
struct scenario_outcome {
  std::string file;
  std::string name;
  std::string pointer;
  std::vector<std::string> failures;
  std::string explanation;
  [[nodiscard]] bool passed() const noexcept { return failures.empty(); }
};

/// Runs every scenario of `file` against the policy `id` of `library`. A person is decided alone
/// (`batch::explain` without a roster): a capped subsidy that selects them funds them. A scenario
/// whose facts or settings cannot be read fails with the error, located.
[[nodiscard]] std::vector<scenario_outcome> run_scenarios(const scenario_file& file, const policy_library& library,
                                                          std::string_view id);

} // namespace entitle
