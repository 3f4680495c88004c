#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/error.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/why_not.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <boost/describe/enum.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Coverage of a claim: the enrolment a claim is made under, and whether it covers the person on
// the event day (docs/policy-format.md, "Coverage of a claim").
namespace entitle {

enum class coverage_status : unsigned char {
  covered,      ///< `enrolment` covers the person on the event day
  not_covered,  ///< no enrolment does: `reason` says why, and every benefit is refused
  undetermined, ///< whether `enrolment` selects the person is not known: `missing` says which facts would settle it
  not_declared, ///< the policy declares no enrolments (the national pack, a wage subsidy): each benefit's rule decides
};
BOOST_DESCRIBE_ENUM(coverage_status, covered, not_covered, undetermined, not_declared)
[[nodiscard]] inline std::string_view to_string(coverage_status s) noexcept {
  return boost::describe::enum_to_string(s, "?");
}

/// Under which enrolment a claim is assessed, or why none covers the person on the event day.
struct claim_coverage {
  coverage_status status = coverage_status::not_declared;
  std::string enrolment;             ///< covered, undetermined: the enrolment's id
  std::string category;              ///< its participant category: "PU", "BPU"
  std::vector<std::string> programs; ///< its programs: a benefit of another program is refused
  std::optional<date> from;          ///< the first day it covers: its own `from` or the policy's, the later
  std::optional<date> until;         ///< the last: the policy's `effective` until
  std::string reason;                ///< not_covered: why, with the enrolment rule's reason and the facts it read
  std::vector<std::string> missing;  ///< undetermined: the facts that would settle the enrolment's rule
  /// covered, undetermined: the subsidies with a quota or budget that pay the enrolment's
  /// contributions for the person in the event's month. Whether the quota or budget reached the
  /// person is a batch's result, not a claim's: the coverage holds only if one of them funded
  /// them (a waitlisted person is not enrolled), and the result says so.
  std::vector<std::string> funded_by;

  friend bool operator==(const claim_coverage&, const claim_coverage&) = default;
};

namespace detail {

// The days enrolment `e` of `p` covers: from its own start or the policy's, the later, to the
// policy's end.
inline std::pair<std::optional<date>, std::optional<date>> coverage_window(const policy& p, const enrolment& e) {
  std::optional<date> from = p.effective_from;
  if (e.from && (!from || *from < *e.from)) from = e.from;
  return {from, p.effective_until};
}

inline std::string window_text(const std::optional<date>& from, const std::optional<date>& until) {
  return (from ? "from " + to_string(*from) : std::string("from the start")) +
         (until ? " to " + to_string(*until) : std::string(", with no end"));
}

// What one enrolment says about a claim on `day` whose benefits are of `programs`.
struct enrolment_look {
  std::size_t index = 0;
  decision who;
  bool in_window = false;
  bool has_program = false;
};

inline enrolment_look look_at(const policy& p, const bound_rules& rules, const bound_payments& pay, std::size_t e,
                              std::span<const fact_value> facts, date day, const std::vector<std::string>& programs) {
  enrolment_look out{e, entitle::decide(rules, pay.enrolment_rule[e], facts, day), false, false};
  const auto [from, until] = coverage_window(p, p.enrolments[e]);
  out.in_window = !(from && day < *from) && !(until && *until < day);
  for (const auto& prog : p.enrolments[e].programs)
    if (std::find(programs.begin(), programs.end(), prog) != programs.end()) out.has_program = true;
  return out;
}

// Why enrolment `l` does not cover the claim on `day`.
inline std::string not_covering(const policy& p, const bound_rules& rules, const bound_payments& pay,
                                const enrolment_look& l, std::span<const fact_value> facts, date day,
                                const std::vector<std::string>& programs) {
  const enrolment& e = p.enrolments[l.index];
  auto names = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& x : list)
      out += (out.empty() ? "" : ", ") + x;
    return out;
  };
  if (l.who.result == verdict::no)
    return "the enrolment " + e.id +
           " does not select the person: " + why_not(rules, pay.enrolment_rule[l.index], facts, day);
  if (!l.in_window) {
    const auto [from, until] = coverage_window(p, e);
    return "the enrolment " + e.id + " covers " + window_text(from, until) + "; the event on " + to_string(day) +
           ((from && day < *from) ? " is before it starts" : " is after it ends");
  }
  return "the enrolment " + e.id + " covers " + names(e.programs) + ", none of the programs of the event (" +
         names(programs) + ")";
}

// The capped subsidies that would pay part of enrolment `e`'s contributions for the person in the
// month of `day`: their window holds it, they cover one of its programs, their rule is not no.
inline std::vector<std::string> capped_payers(const policy& p, const bound_rules& rules, const bound_payments& pay,
                                              const enrolment& e, std::span<const fact_value> facts, date day) {
  std::vector<std::string> out;
  const month when = month::of(day);
  for (std::size_t s = 0; s < p.subsidies.size(); ++s) {
    const subsidy& sub = p.subsidies[s];
    if (!sub.quota && !sub.budget) continue;
    if (when < sub.window.first() || sub.window.last() < when) continue;
    const bool shared = std::any_of(sub.programs.begin(), sub.programs.end(), [&](const std::string& prog) {
      return std::find(e.programs.begin(), e.programs.end(), prog) != e.programs.end();
    });
    if (!shared || entitle::decide(rules, pay.subsidy_rule[s], facts, day).result == verdict::no) continue;
    out.push_back(sub.id);
  }
  return out;
}

inline claim_coverage coverage_of(const policy& p, const bound_rules& rules, const bound_payments& pay,
                                  const enrolment_look& l, coverage_status status, std::span<const fact_value> facts,
                                  date day) {
  const enrolment& e = p.enrolments[l.index];
  const auto [from, until] = coverage_window(p, e);
  return {status, e.id, e.category, e.programs, from, until, {}, {}, capped_payers(p, rules, pay, e, facts, day)};
}

// The enrolment whose rule selects the person on `day`, that covers the day and one of the
// event's `programs`: the one named (`named`), or the first such in the order written. When none
// does, the first whose rule is not known is undetermined; otherwise the claim is not covered,
// with the reasons of the enrolments closest to covering (those whose rule is not no), or of all.
// Throws `errc::invalid_syntax` for a named enrolment the policy does not declare.
inline claim_coverage find_coverage(const policy& p, const bound_rules& rules, const bound_payments& pay,
                                    std::span<const fact_value> facts, date day, std::string_view named,
                                    const std::vector<std::string>& programs) {
  auto enrolment_ids = [&] {
    return p.enrolments.empty()
               ? std::string("; it declares none")
               : "; its enrolments are " +
                     name_list(p.enrolments, [](const enrolment& e) -> const std::string& { return e.id; });
  };
  std::vector<enrolment_look> looks;
  for (std::size_t e = 0; e < p.enrolments.size(); ++e)
    if (named.empty() || p.enrolments[e].id == named) looks.push_back(look_at(p, rules, pay, e, facts, day, programs));
  if (!named.empty() && looks.empty())
    throw error(errc::invalid_syntax,
                "the policy " + detail::quoted(p.id) + " has no enrolment " + detail::quoted(named) + enrolment_ids());
  if (looks.empty()) return {};
  for (const verdict wanted : {verdict::yes, verdict::unknown})
    for (const auto& l : looks)
      if (l.who.result == wanted && l.in_window && l.has_program) {
        claim_coverage out =
            coverage_of(p, rules, pay, l,
                        wanted == verdict::yes ? coverage_status::covered : coverage_status::undetermined, facts, day);
        if (wanted == verdict::unknown) out.missing = missing_names(rules, l.who);
        return out;
      }
  const bool any_selecting =
      std::any_of(looks.begin(), looks.end(), [](const auto& l) { return l.who.result != verdict::no; });
  claim_coverage out;
  out.status = coverage_status::not_covered;
  for (const auto& l : looks)
    if (!any_selecting || l.who.result != verdict::no)
      out.reason += (out.reason.empty() ? "" : "; ") + not_covering(p, rules, pay, l, facts, day, programs);
  return out;
}

} // namespace detail

} // namespace entitle
