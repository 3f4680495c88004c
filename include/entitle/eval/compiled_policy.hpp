#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/month.hpp>
#include <entitle/eval/bound_policy.hpp>
#include <entitle/eval/claim.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/explanation.hpp>
#include <entitle/eval/figures_in_force.hpp>
#include <entitle/eval/payment_engine.hpp>
#include <entitle/eval/reasons.hpp>
#include <entitle/eval/statement_tracer.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/described.hpp>
#include <entitle/rules/fact_bounds.hpp>
#include <entitle/rules/record.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace entitle {

/// A rule of a compiled policy, found once by id so that deciding never looks up a name.
struct rule_handle {
  std::uint32_t index = 0;
  friend bool operator==(rule_handle, rule_handle) = default;
};

/// A policy bound once and ready to decide: immutable, and safe to share between threads.
///
///     const compiled_policy oku(policy);                  // throws, naming the JSON pointer
///     const rule_handle rentan = oku.rule("pekerja_rentan");
///     const decision d = oku.decide(rentan, person, date(2024, 9, 1));
class compiled_policy {
public:
  /// Binds `p`'s rules to its facts and resolves its programs, enrolments and subsidies; throws
  /// `entitle::error` naming the JSON pointer of the first problem.
  explicit compiled_policy(policy p) : compiled_policy(bind_policy(std::move(p))) {}
  /// Compiles a policy already bound (`bind_policy`), without binding it again: what readers that
  /// bind give (`policy_library::compile`, `compile_policy`).
  explicit compiled_policy(bound_policy b)
      : policy_(std::move(b.source_)), rules_(std::move(b.rules_)), payments_(std::move(b.payments_)),
        benefits_(std::move(b.benefits_)), settings_(std::move(b.settings_)), bounds_(rules_.facts),
        engine_(policy_, rules_, payments_) {}
  // The engine refers to the policy and rules it was compiled from, so a copy compiles its own.
  compiled_policy(const compiled_policy& other)
      : policy_(other.policy_), rules_(other.rules_), payments_(other.payments_), benefits_(other.benefits_),
        settings_(other.settings_), bounds_(other.bounds_), engine_(policy_, rules_, payments_) {}
  compiled_policy(compiled_policy&& other) noexcept(false)
      : policy_(std::move(other.policy_)), rules_(std::move(other.rules_)), payments_(std::move(other.payments_)),
        benefits_(std::move(other.benefits_)), settings_(std::move(other.settings_)), bounds_(std::move(other.bounds_)),
        engine_(policy_, rules_, payments_) {}
  compiled_policy& operator=(const compiled_policy&) = delete;
  compiled_policy& operator=(compiled_policy&&) = delete;

  [[nodiscard]] const policy& source() const noexcept { return policy_; }
  /// The settings applied to the policy before it was bound (`bind_policy(p, settings)`), with
  /// what the policy had; `source()` holds the values set. Empty when none were.
  [[nodiscard]] const std::vector<applied_setting>& settings() const noexcept { return settings_; }
  [[nodiscard]] const bound_rules& rules() const noexcept { return rules_; }
  [[nodiscard]] const schema& facts() const noexcept { return rules_.facts; }
  /// The payment sections with every name resolved: what `batch` reads to work out quotas.
  [[nodiscard]] const detail::bound_payments& payments() const noexcept { return payments_; }
  /// Who pays, compiled: what `contributions` and `batch` evaluate. Its `evaluate` works out one
  /// person's amounts with no allocation.
  [[nodiscard]] const payment_engine& engine() const noexcept { return engine_; }

  /// The rule called `id`; throws `errc::invalid_syntax` listing the rules when there is none.
  [[nodiscard]] rule_handle rule(std::string_view id) const {
    const auto index = rules_.find(id);
    if (!index) {
      throw error(errc::invalid_syntax,
                  "no rule is called " + detail::quoted(id) + "; the rules are " +
                      detail::name_list(rules_.rules, [](const bound_rule& r) -> const std::string& { return r.id; }));
    }
    return {static_cast<std::uint32_t>(*index)};
  }

  /// Decides from compiled facts, one per slot of `facts()`. Never allocates.
  [[nodiscard]] decision decide(rule_handle r, std::span<const fact_value> facts, date as_of) const {
    check_size(facts.size());
    return entitle::decide(rules_, r.index, facts, as_of);
  }
  [[nodiscard]] decision decide(rule_handle r, const record& facts, date as_of) const {
    return decide(r, facts.facts(), as_of);
  }
  /// Decides for the application's own described struct; the policy's facts must be
  /// `schema_of<T>()`. Never allocates.
  template <described_facts T>
  [[nodiscard]] decision decide(rule_handle r, const T& record, date as_of) const {
    return with_facts(
        record, [&](std::span<const fact_value> facts) { return entitle::decide(rules_, r.index, facts, as_of); });
  }

  /// The decision with its trace, for one person.
  [[nodiscard]] explanation explain(rule_handle r, std::span<const fact_value> facts, date as_of) const {
    check_size(facts.size());
    return entitle::explain(rules_, r.index, facts, as_of);
  }
  [[nodiscard]] explanation explain(rule_handle r, const record& facts, date as_of) const {
    return explain(r, facts.facts(), as_of);
  }
  template <described_facts T>
  [[nodiscard]] explanation explain(rule_handle r, const T& record, date as_of) const {
    return with_facts(record, [&](std::span<const fact_value> facts) { return explain(r, facts, as_of); });
  }
  /// The decision with its trace, and the person's contributions over `period` attached as
  /// `explanation::contributions`. Throws as `contributions` does for months outside the policy's
  /// effective period.
  [[nodiscard]] explanation explain(rule_handle r, std::span<const fact_value> facts, date as_of,
                                    month_range period) const {
    check_size(facts.size());
    check_period(period);
    detail::check_figures_in_force(policy_, payments_, period);
    explanation out = entitle::explain(rules_, r.index, facts, as_of);
    out.contributions = statement(facts, period);
    return out;
  }
  [[nodiscard]] explanation explain(rule_handle r, const record& facts, date as_of, month_range period) const {
    return explain(r, facts.facts(), as_of, period);
  }
  template <described_facts T>
  [[nodiscard]] explanation explain(rule_handle r, const T& record, date as_of, month_range period) const {
    return with_facts(record, [&](std::span<const fact_value> facts) { return explain(r, facts, as_of, period); });
  }

  /// One person's contributions over `period`: for each contribution month, each enrolment whose
  /// rule is yes (or unknown) and each of its programs, the amount due and who pays it, after
  /// adjustments and subsidies; then the totals by payer. Throws `errc::not_in_force` for months
  /// outside the policy's effective period, and for a month in which an enrolled program's
  /// figures are not yet in force (`detail::check_figures_in_force`).
  [[nodiscard]] contribution_statement contributions(std::span<const fact_value> facts, month_range period) const {
    check_size(facts.size());
    check_period(period);
    detail::check_figures_in_force(policy_, payments_, period);
    return statement(facts, period);
  }
  [[nodiscard]] contribution_statement contributions(const record& facts, month_range period) const {
    return contributions(facts.facts(), period);
  }
  template <described_facts T>
  [[nodiscard]] contribution_statement contributions(const T& record, month_range period) const {
    return with_facts(record, [&](std::span<const fact_value> facts) { return contributions(facts, period); });
  }

  /// What a claim is owed: each benefit paid on `c.event` and in force on `c.on`, payable with
  /// its amount and how it is made, refused with the reason, or undetermined with the missing
  /// facts; rules are decided on the event date.
  ///
  /// When the policy declares enrolments, the claim is made under one: `c.enrolment`, or the
  /// first that covers the person on the event day (its rule yes, the day within its window, one
  /// of the event's programs among its own). No coverage is a refusal of every benefit with the
  /// reason (`claim_result::coverage`); a benefit of a program the enrolment lacks is refused; a
  /// wage-based benefit is worked on the base the enrolment's contributions to its program are
  /// computed on (the enrolment's registered `base`, or the formula's base), not on the person's
  /// declared income. A policy without enrolments leaves coverage to each benefit's rule.
  ///
  /// Throws `errc::not_in_force` when no benefit of the event is in force on its day, or, for a
  /// policy without enrolments, for an event outside its effective period; `errc::invalid_syntax`
  /// when no benefit is paid on the event (listing the events), the claim names an enrolment the
  /// policy does not declare (listing them) or a cost kind or school level none of them knows.
  [[nodiscard]] claim_result assess(const claim& c, std::span<const fact_value> facts) const {
    check_size(facts.size());
    // With enrolments, an event outside the policy is outside every enrolment's window: a refusal.
    if (policy_.enrolments.empty() && ((policy_.effective_from && c.on < *policy_.effective_from) ||
                                       (policy_.effective_until && *policy_.effective_until < c.on)))
      throw error(errc::not_in_force,
                  "the event on " + to_string(c.on) + " is outside the policy " + detail::quoted(policy_.id) +
                      ", in force " + (policy_.effective_from ? to_string(*policy_.effective_from) : "always") +
                      " to " + (policy_.effective_until ? to_string(*policy_.effective_until) : "no end"));
    return detail::claim_walk(policy_, rules_, payments_, benefits_, facts, c).run();
  }
  [[nodiscard]] claim_result assess(const claim& c, const record& facts) const { return assess(c, facts.facts()); }
  template <described_facts T>
  [[nodiscard]] claim_result assess(const claim& c, const T& record) const {
    return with_facts(record, [&](std::span<const fact_value> facts) { return assess(c, facts); });
  }

  /// The first of `reasons`, "" when there is none.
  [[nodiscard]] std::string_view first_reason(const decision& d) const noexcept {
    return first_decision_reason(rules_, d);
  }

  /// The decision's reason codes (`decision_reasons`): the failing requirements' `reason` codes in
  /// requirement order, or for an undetermined decision the `reason_unknown` codes.
  [[nodiscard]] std::vector<std::string_view> reasons(const decision& d) const { return decision_reasons(rules_, d); }

  /// The names of the missing facts that would settle an undetermined decision.
  [[nodiscard]] std::vector<std::string_view> missing_facts(const decision& d) const {
    std::vector<std::string_view> out;
    for (std::size_t slot = 0; slot < rules_.facts.size(); ++slot)
      if (d.missing.test(slot)) out.push_back(rules_.facts.fields()[slot].name);
    return out;
  }

private:
  void check_period(month_range period) const {
    if (policy_.effective_from && period.first() < month::of(*policy_.effective_from))
      throw error(errc::not_in_force, "the policy " + detail::quoted(policy_.id) + " takes effect on " +
                                          to_string(*policy_.effective_from) + "; asked from " +
                                          to_string(period.first()));
    if (policy_.effective_until && month::of(*policy_.effective_until) < period.last())
      throw error(errc::not_in_force, "the policy " + detail::quoted(policy_.id) + " ends on " +
                                          to_string(*policy_.effective_until) + "; asked until " +
                                          to_string(period.last()));
  }

  contribution_statement statement(std::span<const fact_value> facts, month_range period) const {
    payment_engine::workspace w(engine_);
    payment_amounts amounts;
    statement_tracer trace(engine_, period);
    engine_.evaluate(facts, engine_.schedule_for(period), {}, w, amounts, trace);
    return std::move(trace).statement();
  }

  void check_size(std::size_t size) const {
    if (size != rules_.facts.size())
      throw error(errc::out_of_range, "the record has " + std::to_string(size) + " facts; the policy reads " +
                                          std::to_string(rules_.facts.size()));
  }
  // Reads a described struct's facts onto the stack (no allocation) and hands them to `use`.
  template <described_facts T, class Use>
  decltype(auto) with_facts(const T& record, Use&& use) const {
    check_described<T>();
    std::array<fact_value, fact_count<T>> facts;
    read_facts(record, facts);
    check_ranges(facts);
    return std::forward<Use>(use)(std::span<const fact_value>(facts));
  }

  // A described struct's values meet the ranges its schema declares, as a record's do when set.
  void check_ranges(std::span<const fact_value> facts) const {
    const std::size_t slot = bounds_.first_outside(facts);
    if (slot == fact_bounds::npos) return;
    auto problem = outside_range(rules_.facts.at(slot), facts[slot]);
    problem->location = rules_.facts.at(slot).name;
    throw error(std::move(*problem));
  }

  template <class T>
  void check_described() const {
    if (!describes<T>(rules_.facts) || rules_.facts.size() != fact_count<T>)
      throw error(errc::invalid_syntax, "this policy's facts were not made by schema_of<T>() for the struct given; "
                                        "bind the policy to schema_of<T>() or pass a record");
  }

  policy policy_;
  bound_rules rules_;
  detail::bound_payments payments_;
  detail::bound_benefits benefits_;
  std::vector<applied_setting> settings_;
  fact_bounds bounds_; // the declared ranges of described structs' values, checked per decision
  payment_engine engine_;
};

} // namespace entitle
