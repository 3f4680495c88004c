#pragma once

#include <entitle/core/date.hpp>
#include <entitle/eval/compiled_policy.hpp>
#include <entitle/rules/condition.hpp>
#include <entitle/rules/literal.hpp>

#include <boost/describe/enum.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

// Static analysis of policies (`entitle analyze`, docs/analysis.md): rules that can never hold or
// never fail, subsidies that can select no one, two subsidies paying one program-month past what
// is due, and people who fall through every program. Each finding comes with an example person
// that shows it, found by searching the values the rules tell apart.
namespace entitle {

/// What a finding is about.
enum class finding_kind : unsigned char {
  never_holds,    ///< no facts make the rule yes
  never_fails,    ///< no facts make the rule no: it always holds where it can be decided
  selects_no_one, ///< a subsidy whose window, quota, budget or rule leaves no one to pay for
  double_subsidy, ///< two subsidies both pay one program-month for one person past 100%
  falls_through,  ///< a person of the population whom no program of the policies takes
};
BOOST_DESCRIBE_ENUM(finding_kind, never_holds, never_fails, selects_no_one, double_subsidy, falls_through)

/// One fact of an example person, as `render` writes it ("2009-01-02", "Rp2.000.001", informal,
/// "missing"), and as a value (none when missing), as a person's facts are given to `explain`.
struct example_fact {
  std::string name;
  std::string value;
  std::optional<literal> given;
  friend bool operator==(const example_fact&, const example_fact&) = default;
};

/// One problem found, with the policy, the rules or subsidies it is about, and a person who
/// shows it (empty where no person can: a rule that never holds has no person to show).
struct analysis_finding {
  finding_kind kind = finding_kind::never_holds;
  std::string policy;                 ///< the policy's id (the first, for a pair across policies)
  std::vector<std::string> rules;     ///< the rule ids it is about
  std::vector<std::string> subsidies; ///< "policy-id: subsidy-id" for the subsidies it is about
  /// The rule's JSON pointer in its policy file, for a policy that extends nothing (in one that
  /// does, rules are numbered after those it extends, so the id is what finds the rule).
  std::string location;
  std::string message;               ///< one sentence saying what is wrong
  std::vector<example_fact> example; ///< the facts that matter; facts not named can be anything
  std::vector<std::string> details;  ///< further lines: each policy's answer for the example
  friend bool operator==(const analysis_finding&, const analysis_finding&) = default;
};

/// A question the analysis could not settle, and why: a rule compares two facts, tests a
/// derived value, or the search stopped at its limit. Never counted as a finding.
struct analysis_gap {
  std::string policy;
  std::string subject; ///< "rule r", "subsidy s", "subsidies a and b", "population"
  std::string why;
  friend bool operator==(const analysis_gap&, const analysis_gap&) = default;
};

/// What `analyze` finds.
struct analysis_report {
  /// The day the population is checked on (every policy's rules on it), and the first policy's
  /// rules: `analysis_options::as_of`, or the first policy's default.
  date as_of;
  std::vector<std::string> policies; ///< the ids, in the order given
  /// The day each policy's own rules are checked on, by policy in the order given:
  /// `analysis_options::as_of`, or its own default (`as_of` where it has none).
  std::vector<date> days;
  std::vector<analysis_finding> findings;
  std::vector<analysis_gap> undecided;
  std::size_t rules_checked = 0;
  std::size_t subsidies_checked = 0;
  std::size_t pairs_checked = 0; ///< pairs of subsidies that share a program and a month
  friend bool operator==(const analysis_report&, const analysis_report&) = default;
};

/// The people the no-one-left-behind check is about: a rule of one of the policies, by id, or a
/// condition over the first policy's facts.
struct analysis_population {
  std::string rule;              ///< a rule id, or empty
  std::optional<condition> when; ///< in place of a rule
};

/// The default limit on the combinations of values one question looks at.
inline constexpr std::size_t analysis_search_limit = 2'000'000;

struct analysis_options {
  /// The day rules are decided on (ages, months since), within every policy's effective dates.
  /// Default: each policy's `default_analysis_date`, or for one without, the first policy's.
  /// Subsidies are checked on their window's first and last days.
  std::optional<date> as_of;
  /// With a population, the no-one-left-behind check runs.
  std::optional<analysis_population> population;
  std::size_t search_limit = analysis_search_limit;
};

/// The day `analyze` decides rules on when `analysis_options::as_of` is not given: the policy's
/// effective date, or the first day of its earliest subsidy window; none when it has neither.
[[nodiscard]] std::optional<date> default_analysis_date(const compiled_policy& p);

/// Analyses `policies` (at least one) together: each one's rules and subsidies, every pair of
/// subsidies, and with a population, who of it falls through. Throws `error`: errc::invalid_syntax
/// for a policy given twice, a population rule no policy has, a condition over facts the first
/// policy lacks, or no evaluation date (no `as_of`, and the first policy has no effective date and
/// no subsidy); errc::not_in_force for an `as_of` outside a policy's effective dates.
[[nodiscard]] analysis_report analyze(std::span<const compiled_policy* const> policies,
                                      const analysis_options& options = {});

/// "never_holds", ... as in the JSON output.
[[nodiscard]] inline std::string_view to_string(finding_kind k) noexcept {
  return boost::describe::enum_to_string(k, "?");
}

} // namespace entitle
