#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/eval/claim_coverage.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/registered_base.hpp>
#include <entitle/eval/why_not.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <boost/describe/enum.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

// Claims: an event (a death, a work accident, months unable to work), its date, and the person's
// facts (wage, declared income, months of contributions, membership), assessed against the
// benefits in force on the event date and under the enrolment that covers the person then
// (docs/policy-format.md, "Benefits and claims", "Coverage of a claim").
namespace entitle {

/// What happened, and what the claim asks for.
struct claim {
  std::string event;                 ///< one of the policy's benefit events: "death", "work_accident_death", ...
  date on;                           ///< the day of the event: the benefits and rules in force then apply
  std::int64_t months = 0;           ///< wage_share: months unable to work
  std::vector<std::string> children; ///< scholarship: each child's school level
  std::vector<std::pair<std::string, money>> costs; ///< reimbursement: each kind of cost and its amount
  /// The enrolment the claim is made under; empty: the first of the policy's enrolments that
  /// covers the person on the event day (`claim_coverage`).
  std::string enrolment = {};
};

enum class claim_status : unsigned char {
  payable,      ///< the benefit pays `amount`
  refused,      ///< the benefit does not pay: `reason` says why
  undetermined, ///< facts it needs are missing: `missing` says which
};
BOOST_DESCRIBE_ENUM(claim_status, payable, refused, undetermined)
[[nodiscard]] inline std::string_view to_string(claim_status s) noexcept {
  return boost::describe::enum_to_string(s, "?");
}

/// One benefit's answer to a claim.
struct claim_line {
  std::string benefit;
  std::string label;
  std::string program;
  claim_status status = claim_status::payable;
  money amount;
  std::string basis;                ///< how the amount is made: "48 × Rp1.000.000 (declared_income)"
  std::string citation;             ///< the regulation behind the benefit
  std::string reason;               ///< refused: why, with the rule's reason code and the facts it read
  std::vector<std::string> missing; ///< undetermined: the facts that would settle it
  std::vector<std::string> details; ///< tranches, each child of a scholarship, raises to a floor

  friend bool operator==(const claim_line&, const claim_line&) = default;
};

/// What a claim is owed: a line per benefit paid on the event and in force on its date.
struct claim_result {
  std::string policy;
  std::string event;
  date on;
  claim_coverage coverage; ///< the enrolment assessed under, or why none covers the person
  std::vector<claim_line> lines;
  money total; ///< the payable lines

  friend bool operator==(const claim_result&, const claim_result&) = default;
};

namespace detail {

// A policy's benefits with every name resolved, checked once.
struct bound_benefits {
  static constexpr std::uint32_t no_rule = 0xFFFF'FFFF;
  std::vector<std::uint32_t> when;                  // [benefit]
  std::vector<std::vector<std::size_t>> base_slots; // [benefit]: money facts, the first present
  std::vector<std::vector<std::size_t>> at_least;   // [benefit]: benefit indexes
};

[[noreturn]] inline void benefit_error(std::string message, std::string where) {
  throw error(failure(errc::invalid_syntax, std::move(message), std::move(where)));
}

// Checks that every dated amount of `figure` is zero or more; `where` names it.
inline void check_not_negative(const dated<money>& figure, const std::string& where) {
  for (std::size_t k = 0; k < figure.history().size(); ++k)
    if (figure.history()[k].value < money())
      benefit_error("a benefit's amount cannot be negative", where + "/history/" + std::to_string(k) + "/value");
}

// Checks that an amount has the figures its kind needs, none of them negative (a benefit built in
// C++ is checked as one read from JSON is).
inline void check_figures(const benefit_amount& a, const std::string& where) {
  using kind = benefit_amount::kind;
  const char* name = a.how == kind::lump_sum        ? "/lump_sum"
                     : a.how == kind::wage_multiple ? "/wage_multiple"
                     : a.how == kind::periodic      ? "/periodic"
                     : a.how == kind::reimbursement ? "/reimbursement"
                     : a.how == kind::wage_share    ? "/wage_share"
                                                    : "/scholarship";
  const std::string at = where + name;
  if ((a.how == kind::lump_sum || a.how == kind::periodic) && !a.amount)
    benefit_error("this kind of benefit needs an amount", at);
  if (a.amount) check_not_negative(*a.amount, a.how == kind::lump_sum ? at : at + "/amount");
  if (a.how == kind::wage_multiple) {
    if (!a.times) benefit_error("a multiple of a wage needs \"times\"", at + "/times");
    for (std::size_t k = 0; k < a.times->history().size(); ++k)
      if (a.times->history()[k].value < 1)
        benefit_error("a wage multiple is 1 or more", at + "/times/history/" + std::to_string(k) + "/value");
  }
  if ((a.how == kind::wage_multiple || a.how == kind::wage_share) && a.base.empty())
    benefit_error("name the money facts the amount is worked on", at + "/of");
  if (a.how == kind::periodic && (a.count < 1 || a.tranches < 0 || a.tranches > a.count))
    benefit_error("a periodic payment is paid 1 or more times, in at most as many tranches", at);
  if (a.how == kind::reimbursement && a.caps.empty()) benefit_error("a reimbursement caps at least one kind", at);
  for (std::size_t k = 0; k < a.caps.size(); ++k)
    check_not_negative(a.caps[k].cap, at + "/caps/" + std::to_string(k) + "/cap");
  if (a.how == kind::wage_share && a.steps.empty()) benefit_error("a share of a wage needs steps", at + "/steps");
  for (std::size_t k = 0; k < a.steps.size(); ++k) {
    const auto& step = a.steps[k];
    if (!step.share.is_share())
      benefit_error("a step's share is between 0% and 100%, found " + to_string(step.share),
                    at + "/steps/" + std::to_string(k) + "/share");
    if ((step.months && *step.months < 1) || (!step.months && k + 1 != a.steps.size()))
      benefit_error("a step is a share from 0% to 100% for 1 or more months (only the last may be open)",
                    at + "/steps/" + std::to_string(k));
  }
  if (a.how == kind::scholarship && (a.max_children < 1 || a.levels.empty()))
    benefit_error("a scholarship covers 1 or more children at 1 or more school levels", at);
  for (std::size_t k = 0; k < a.levels.size(); ++k) {
    check_not_negative(a.levels[k].yearly, at + "/levels/" + std::to_string(k) + "/yearly");
    if (a.levels[k].years < 1)
      benefit_error("a school level lasts 1 or more years", at + "/levels/" + std::to_string(k) + "/years");
  }
}

// Checks the benefits of `p` against its facts and rules; errors name the JSON pointer.
inline bound_benefits bind_benefits(const policy& p, const bound_rules& rules) {
  bound_benefits out;
  auto find_benefit = [&](std::string_view id) {
    for (std::size_t i = 0; i < p.benefits.size(); ++i)
      if (p.benefits[i].id == id) return i;
    return p.benefits.size();
  };
  for (std::size_t i = 0; i < p.benefits.size(); ++i) {
    const benefit& b = p.benefits[i];
    const std::string here = "/benefits/" + std::to_string(i);
    if (b.id.empty()) benefit_error("a benefit needs an id", here + "/id");
    if (find_benefit(b.id) != i)
      benefit_error("the benefit " + detail::quoted(b.id) + " is defined twice", here + "/id");
    if (b.events.empty()) benefit_error("a benefit is paid on at least one event", here + "/events");
    if (b.when.empty()) {
      out.when.push_back(bound_benefits::no_rule);
    } else {
      const auto r = rules.find(b.when);
      if (!r)
        benefit_error(
            "no rule is called " + detail::quoted(b.when) +
                (rules.rules.empty()
                     ? std::string("; the policy has no rules")
                     : "; the rules are " +
                           name_list(rules.rules, [](const bound_rule& x) -> const std::string& { return x.id; })),
            here + "/when");
      out.when.push_back(static_cast<std::uint32_t>(*r));
    }
    check_figures(b.amount, here + "/amount");
    out.base_slots.emplace_back();
    for (std::size_t k = 0; k < b.amount.base.size(); ++k) {
      const std::string at = here + "/amount/" +
                             (b.amount.how == benefit_amount::kind::wage_multiple ? "wage_multiple" : "wage_share") +
                             "/of/" + std::to_string(k);
      const auto slot = rules.facts.find(b.amount.base[k]);
      if (!slot) benefit_error("no fact is called " + detail::quoted(b.amount.base[k]), at);
      if (rules.facts.at(*slot).type != fact_type::money)
        benefit_error("the fact " + detail::quoted(b.amount.base[k]) + " is " +
                          std::string(type_name(rules.facts.at(*slot).type)) + "; a benefit is worked on money",
                      at);
      out.base_slots.back().push_back(*slot);
    }
    out.at_least.emplace_back();
    for (std::size_t k = 0; k < b.at_least.size(); ++k) {
      const std::string at = here + "/at_least/" + std::to_string(k);
      const std::size_t other = find_benefit(b.at_least[k]);
      if (other == p.benefits.size()) benefit_error("no benefit is called " + detail::quoted(b.at_least[k]), at);
      if (other == i || !p.benefits[other].at_least.empty())
        benefit_error("a benefit is at least another that is not itself at least a third", at);
      out.at_least.back().push_back(other);
    }
  }
  return out;
}

// Assesses one claim; `b` must come from `bind_benefits(p, rules)`.
class claim_walk {
public:
  claim_walk(const policy& p, const bound_rules& rules, const bound_payments& pay, const bound_benefits& b,
             std::span<const fact_value> facts, const claim& c)
      : p_(p), rules_(rules), pay_(pay), b_(b), facts_(facts), c_(c) {}

  claim_result run() {
    claim_result out{p_.id, c_.event, c_.on, {}, {}, {}};
    bool known_event = false;
    std::vector<std::size_t> in_force;
    for (std::size_t i = 0; i < p_.benefits.size(); ++i) {
      const benefit& ben = p_.benefits[i];
      if (std::find(ben.events.begin(), ben.events.end(), c_.event) == ben.events.end()) continue;
      known_event = true;
      if (applies_on(i)) in_force.push_back(i);
    }
    if (known_event && in_force.empty())
      throw error(errc::not_in_force, "no benefit paid on " + detail::quoted(c_.event) + " is in force on " +
                                          to_string(c_.on) + " in " + detail::quoted(p_.id));
    if (known_event) check_claim(in_force);
    if (known_event) {
      std::vector<std::string> programs;
      for (const std::size_t i : in_force)
        if (std::find(programs.begin(), programs.end(), p_.benefits[i].program) == programs.end())
          programs.push_back(p_.benefits[i].program);
      coverage_ = find_coverage(p_, rules_, pay_, facts_, c_.on, c_.enrolment, programs);
      while (enrolment_ < p_.enrolments.size() && p_.enrolments[enrolment_].id != coverage_.enrolment)
        ++enrolment_;
      out.coverage = coverage_;
    }
    for (const std::size_t i : in_force)
      if (auto line = assess(i)) out.lines.push_back(std::move(*line));
    if (!known_event) {
      std::vector<std::string> events;
      for (const auto& ben : p_.benefits)
        for (const auto& e : ben.events)
          if (std::find(events.begin(), events.end(), e) == events.end()) events.push_back(e);
      throw error(errc::invalid_syntax,
                  "no benefit of " + detail::quoted(p_.id) + " is paid on the event " + detail::quoted(c_.event) +
                      "; the events are " +
                      name_list(events, [](const std::string& e) -> const std::string& { return e; }));
    }
    for (const auto& line : out.lines)
      if (line.status == claim_status::payable) out.total += line.amount;
    return out;
  }

private:
  bool applies_on(std::size_t i) const {
    const benefit& ben = p_.benefits[i];
    return !(ben.from && c_.on < *ben.from) && !(ben.until && *ben.until < c_.on);
  }

  // What the claim asks for must make sense for the benefits that can pay it: no negative cost
  // or month count, no cost kind and no school level that none of them knows (which would
  // otherwise pay nothing without a word).
  void check_claim(const std::vector<std::size_t>& in_force) const {
    if (c_.months < 0) throw error(errc::out_of_range, "months unable to work cannot be negative");
    std::vector<std::string> kinds, levels;
    for (const std::size_t i : in_force) {
      for (const auto& cap : p_.benefits[i].amount.caps)
        if (std::find(kinds.begin(), kinds.end(), cap.kind) == kinds.end()) kinds.push_back(cap.kind);
      for (const auto& level : p_.benefits[i].amount.levels)
        if (std::find(levels.begin(), levels.end(), level.level) == levels.end()) levels.push_back(level.level);
    }
    auto names = [](const std::vector<std::string>& list) {
      return list.empty() ? std::string("none")
                          : name_list(list, [](const std::string& x) -> const std::string& { return x; });
    };
    for (const auto& [kind, spent] : c_.costs) {
      if (spent < money())
        throw error(errc::out_of_range, "the cost " + detail::quoted(kind) + " is " + to_rupiah_string(spent) +
                                            "; a cost cannot be negative");
      if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
        throw error(errc::invalid_syntax, "no benefit paid on " + detail::quoted(c_.event) +
                                              " refunds a cost of kind " + detail::quoted(kind) + "; the kinds are " +
                                              names(kinds));
    }
    for (const auto& level : c_.children)
      if (std::find(levels.begin(), levels.end(), level) == levels.end())
        throw error(errc::invalid_syntax, "no scholarship paid on " + detail::quoted(c_.event) +
                                              " knows the school level " + detail::quoted(level) + "; the levels are " +
                                              names(levels));
  }

  // The line of benefit `i`; nothing when the claim does not ask for it (no cost of its kinds).
  // Coverage comes first: a benefit the enrolment does not cover is refused whatever its rule
  // says; while the enrolment's rule is not known, the line is undetermined (or refused, when the
  // benefit's own rule is no: Kleene's "and").
  std::optional<claim_line> assess(std::size_t i) const {
    const benefit& ben = p_.benefits[i];
    claim_line line{ben.id, ben.label, ben.program, claim_status::payable, {}, {}, ben.citation, {}, {}, {}};
    if (auto reason = uncovered(ben.program)) {
      line.status = claim_status::refused;
      line.reason = std::move(*reason);
      return line;
    }
    if (b_.when[i] != bound_benefits::no_rule) {
      const decision d = entitle::decide(rules_, b_.when[i], facts_, c_.on);
      if (d.result == verdict::unknown) {
        line.status = claim_status::undetermined;
        line.missing = coverage_.missing;
        for (auto& name : missing_names(rules_, d))
          if (std::find(line.missing.begin(), line.missing.end(), name) == line.missing.end())
            line.missing.push_back(std::move(name));
        return line;
      }
      if (d.result == verdict::no) {
        line.status = claim_status::refused;
        line.reason = why_not(rules_, b_.when[i], facts_, c_.on);
        return line;
      }
    }
    if (coverage_.status == coverage_status::undetermined) {
      line.status = claim_status::undetermined;
      line.missing = coverage_.missing;
      return line;
    }
    if (!amount_of(i, line)) return std::nullopt;
    for (const std::size_t other : b_.at_least[i]) {
      if (line.status != claim_status::payable) break;
      // The floor is the other benefit as if claimed: in force on the day, covered, its rule yes.
      if (!applies_on(other) || uncovered(p_.benefits[other].program)) continue;
      if (b_.when[other] != bound_benefits::no_rule &&
          entitle::decide(rules_, b_.when[other], facts_, c_.on).result != verdict::yes)
        continue;
      claim_line floor{};
      if (!amount_of(other, floor) || floor.status != claim_status::payable || !(line.amount < floor.amount)) continue;
      line.details.push_back("raised from " + to_rupiah_string(line.amount) + " to " + to_rupiah_string(floor.amount) +
                             ", the amount of " + p_.benefits[other].id + ", which it is never below");
      line.amount = floor.amount;
    }
    return line;
  }

  // Why the claim's coverage does not reach a benefit of `program`; nothing when it does.
  std::optional<std::string> uncovered(const std::string& program) const {
    // The reason itself is the claim's coverage, said once above the lines.
    if (coverage_.status == coverage_status::not_covered) return "not covered on " + to_string(c_.on);
    if (coverage_.status == coverage_status::not_declared) return std::nullopt;
    if (std::find(coverage_.programs.begin(), coverage_.programs.end(), program) != coverage_.programs.end())
      return std::nullopt;
    std::string programs;
    for (const auto& x : coverage_.programs)
      programs += (programs.empty() ? "" : ", ") + x;
    return program + " is not a program of the enrolment " + coverage_.enrolment + " (" + programs + ")";
  }

  // The first present base fact of benefit `i`, with its name; nothing when all are missing.
  std::optional<std::pair<money, std::string>> own_base(std::size_t i) const {
    for (std::size_t k = 0; k < b_.base_slots[i].size(); ++k) {
      const fact_value& f = facts_[b_.base_slots[i][k]];
      if (f.present) return std::pair(money::from_minor_units(f.number), p_.benefits[i].amount.base[k]);
    }
    return std::nullopt;
  }

  // What wage-based benefit `i` is worked on: under an enrolment, the base it registers for the
  // benefit's program, which is what the contributions were paid on; without enrolments, or for a
  // program whose contributions are flat amounts, the first of the benefit's own base facts the
  // person has. Nothing, with `line` undetermined or refused, when there is no base.
  std::optional<std::pair<money, std::string>> base_of(std::size_t i, claim_line& line) const {
    const benefit& ben = p_.benefits[i];
    const auto own = own_base(i);
    if (coverage_.status == coverage_status::covered) {
      registered_base r = registered_base_of(p_, rules_, pay_, enrolment_, ben.program, facts_, c_.on);
      if (r.amount) {
        line.details = std::move(r.notes);
        if (own && own->first != *r.amount)
          line.details.push_back("worked on " + r.source + ", " + to_rupiah_string(*r.amount) + ", not the " +
                                 own->second + " " + to_rupiah_string(own->first));
        return std::pair(*r.amount, std::move(r.source));
      }
      if (!r.missing.empty() || !r.refusal.empty()) {
        line.status = r.missing.empty() ? claim_status::refused : claim_status::undetermined;
        line.missing = std::move(r.missing);
        line.reason = std::move(r.refusal);
        return std::nullopt;
      }
      if (own)
        line.details.push_back("the " + ben.program + " contributions of " + coverage_.category +
                               " are flat amounts: worked on the " + own->second);
    }
    if (!own) {
      line.status = claim_status::undetermined;
      line.missing = ben.amount.base;
    }
    return own;
  }

  // Refuses a line worked on a base below zero: no benefit is a negative multiple of a wage.
  static bool negative_base(const std::pair<money, std::string>& base, claim_line& line) {
    if (!(base.first < money())) return false;
    line.status = claim_status::refused;
    line.reason = "the " + base.second + " is below zero: " + to_rupiah_string(base.first);
    return true;
  }

  // Works out benefit `i`'s amount into `line`; false when the claim does not ask for it.
  bool amount_of(std::size_t i, claim_line& line) const {
    const benefit_amount& a = p_.benefits[i].amount;
    auto refuse = [&](std::string reason) {
      line.status = claim_status::refused;
      line.reason = std::move(reason);
      return true;
    };
    auto in_force = [&](const auto& figure) -> decltype(figure.find(c_.on)) { return figure.find(c_.on); };
    switch (a.how) {
    case benefit_amount::kind::lump_sum: {
      const auto* amount = in_force(*a.amount);
      if (!amount) return refuse("no amount is in force on " + to_string(c_.on));
      line.amount = amount->value;
      line.basis = to_rupiah_string(amount->value);
      return true;
    }
    case benefit_amount::kind::periodic: {
      const auto* amount = in_force(*a.amount);
      if (!amount) return refuse("no amount is in force on " + to_string(c_.on));
      line.amount = amount->value * a.count;
      line.basis = to_rupiah_string(amount->value) + " × " + std::to_string(a.count);
      if (a.tranches > 1) {
        const money each = money::from_minor_units(line.amount.minor_units() / a.tranches);
        const money last = line.amount - each * (a.tranches - 1);
        line.details.push_back("paid in " + std::to_string(a.tranches) + " tranches of " + to_rupiah_string(each) +
                               (last == each ? std::string() : " (the last " + to_rupiah_string(last) + ")"));
      }
      return true;
    }
    case benefit_amount::kind::wage_multiple: {
      const auto base = base_of(i, line);
      if (!base) return true;
      if (negative_base(*base, line)) return true;
      const auto* times = in_force(*a.times);
      if (!times) return refuse("no multiple is in force on " + to_string(c_.on));
      line.amount = base->first * times->value;
      line.basis = std::to_string(times->value) + " × " + to_rupiah_string(base->first) + " (" + base->second + ")";
      return true;
    }
    case benefit_amount::kind::wage_share: {
      const auto base = base_of(i, line);
      if (!base) return true;
      if (negative_base(*base, line)) return true;
      if (c_.months < 1) return refuse("the claim gives no months of inability to work");
      std::int64_t left = c_.months;
      for (const auto& step : a.steps) {
        if (left == 0) break;
        const std::int64_t months = step.months ? std::min(left, *step.months) : left;
        const money monthly = base->first.times(step.share, rounding::half_up, units::whole_rupiah);
        line.amount += monthly * months;
        if (!line.basis.empty()) line.basis += " + ";
        line.basis += std::to_string(months) + " × " + to_string(step.share) + " × " + to_rupiah_string(base->first);
        left -= months;
      }
      line.basis += " (" + base->second + ")";
      return true;
    }
    case benefit_amount::kind::reimbursement: {
      // Each kind's cap covers all the costs of that kind together.
      bool asked = false;
      for (const auto& cap : a.caps) {
        money spent;
        bool claimed = false;
        for (const auto& [kind, amount] : c_.costs)
          if (kind == cap.kind) {
            spent += amount;
            claimed = true;
          }
        if (!claimed) continue;
        asked = true;
        const auto* limit = in_force(cap.cap);
        if (!limit) {
          line.details.push_back(cap.kind + ": " + to_rupiah_string(spent) +
                                 " spent, nothing refunded (no cap in force on " + to_string(c_.on) + ")");
          continue;
        }
        const money paid = std::min(spent, limit->value);
        line.amount += paid;
        line.details.push_back(cap.kind + ": " + to_rupiah_string(spent) + " spent, " + to_rupiah_string(paid) +
                               " refunded (at most " + to_rupiah_string(limit->value) + ")");
      }
      line.basis = "costs up to each kind's cap";
      return asked;
    }
    case benefit_amount::kind::scholarship: {
      if (c_.children.empty()) return refuse("the claim names no child in school");
      line.basis = "the first year, for at most " + std::to_string(a.max_children) + " children";
      std::int64_t covered = 0; // children this scholarship pays for, in the order named
      for (std::size_t k = 0; k < c_.children.size(); ++k) {
        const std::string& level = c_.children[k];
        const std::string child = "child " + std::to_string(k + 1) + " (" + level + "): ";
        const auto found =
            std::find_if(a.levels.begin(), a.levels.end(), [&](const auto& l) { return l.level == level; });
        if (found == a.levels.end()) {
          line.details.push_back(child + "not a school level of this scholarship");
          continue;
        }
        if (covered == a.max_children) {
          line.details.push_back(child + "not covered, at most " + std::to_string(a.max_children) + " children");
          continue;
        }
        const auto* yearly = in_force(found->yearly);
        if (!yearly) {
          line.details.push_back(child + "no yearly amount in force on " + to_string(c_.on));
          continue;
        }
        ++covered;
        line.amount += yearly->value;
        line.details.push_back(child + to_rupiah_string(yearly->value) + " a year, for at most " +
                               std::to_string(found->years) + " years");
      }
      return true;
    }
    }
    return true;
  }

  const policy& p_;
  const bound_rules& rules_;
  const bound_payments& pay_;
  const bound_benefits& b_;
  std::span<const fact_value> facts_;
  const claim& c_;
  claim_coverage coverage_;   // found by `run` before any line
  std::size_t enrolment_ = 0; // the index of `coverage_.enrolment`
};

} // namespace detail

/// The coverage as one line, as `to_text(claim_result)` prints it under its heading:
///
///     covered by the enrolment pekerja_rentan_bpu (BPU: JKK, JKM) from 2024-01-01 to 2024-12-31
///     covered by the enrolment pekerja_rentan_bpu (...) ...; only if funded by apbd_oku_timur_2024, which has a quota
///     or budget: ... not covered on 2024-05-10: the enrolment pekerja_rentan_bpu does not select the person: ...
///     coverage undetermined: whether the enrolment non_asn_pu selects the person; missing facts: agency
///     coverage not declared: the policy has no enrolments; each benefit's rule decides
[[nodiscard]] inline std::string to_text(const claim_coverage& c, date on) {
  std::string programs;
  for (const auto& p : c.programs)
    programs += (programs.empty() ? "" : ", ") + p;
  switch (c.status) {
  case coverage_status::covered: {
    std::string text = "covered by the enrolment " + c.enrolment + " (" + c.category + ": " + programs + ") " +
                       detail::window_text(c.from, c.until);
    if (!c.funded_by.empty()) {
      std::string funders;
      for (const auto& s : c.funded_by)
        funders += (funders.empty() ? "" : " or ") + s;
      text += "; only if funded by " + funders +
              ", which has a quota or budget: a person it left out (waitlisted in the run) is not enrolled, and "
              "nothing below is owed";
    }
    return text;
  }
  case coverage_status::not_covered: return "not covered on " + to_string(on) + ": " + c.reason;
  case coverage_status::undetermined: {
    std::string missing;
    for (const auto& m : c.missing)
      missing += (missing.empty() ? "" : ", ") + m;
    return "coverage undetermined: whether the enrolment " + c.enrolment +
           " selects the person; missing facts: " + missing;
  }
  case coverage_status::not_declared: break;
  }
  return "coverage not declared: the policy has no enrolments; each benefit's rule decides";
}

/// The claim's result as a readable list: a heading, the coverage, then a line per benefit:
///
///     claim death on 2024-03-01 under id/bpjs-ketenagakerjaan: Rp42.000.000
///     coverage not declared: the policy has no enrolments; each benefit's rule decides
///     ✓ JKM jkm_santunan_sekaligus (Santunan kematian sekaligus): Rp20.000.000 = Rp20.000.000 [PP 82/2019 ...]
///     ✗ JKM jkm_beasiswa (Beasiswa pendidikan anak): refused: Masa iur ... [PP 82/2019 ...]
[[nodiscard]] inline std::string to_text(const claim_result& r) {
  std::string text =
      "claim " + r.event + " on " + to_string(r.on) + " under " + r.policy + ": " + to_rupiah_string(r.total) + "\n";
  text += to_text(r.coverage, r.on) + "\n";
  for (const auto& line : r.lines) {
    text += line.status == claim_status::payable ? "✓ " : line.status == claim_status::refused ? "✗ " : "? ";
    text += line.program + " " + line.benefit;
    if (!line.label.empty()) text += " (" + line.label + ")";
    text += ": ";
    switch (line.status) {
    case claim_status::payable: text += to_rupiah_string(line.amount) + " = " + line.basis; break;
    case claim_status::refused: text += "refused: " + line.reason; break;
    case claim_status::undetermined:
      text += "undetermined; missing facts: ";
      for (std::size_t k = 0; k < line.missing.size(); ++k)
        text += (k ? ", " : "") + line.missing[k];
      break;
    }
    if (!line.citation.empty()) text += " [" + line.citation + "]";
    text += "\n";
    for (const auto& d : line.details)
      text += "    " + d + "\n";
  }
  return text;
}

} // namespace entitle
