// Batch evaluation (docs/batch.md): the batch's options checked against the policy, and a run as
// its stages (batch_stages.hpp): scan, allocate, emit.
#include <entitle/io/batch.hpp>

#include "batch_stages.hpp"

#include <entitle/rules/facts_read.hpp>

#include <algorithm>
#include <memory>

namespace entitle {

// ---------------------------------------------------------------------------------------------
// The batch

std::vector<std::string> facts_the_rules_read(const compiled_policy& policy, std::span<const std::string> rules) {
  const std::vector<std::string> ids =
      rules.empty() ? default_batch_rules(policy) : std::vector<std::string>(rules.begin(), rules.end());
  std::vector<std::uint32_t> indexes;
  for (const auto& id : ids)
    if (const auto index = policy.rules().find(id)) indexes.push_back(static_cast<std::uint32_t>(*index));
  const fact_set read = facts_read(policy.rules(), indexes);
  std::vector<std::string> names;
  for (std::size_t slot = 0; slot < policy.facts().size(); ++slot)
    if (read.test(slot)) names.push_back(policy.facts().at(slot).name);
  return names;
}

std::vector<std::string> default_batch_rules(const compiled_policy& policy) {
  const entitle::policy& p = policy.source();
  std::vector<std::string> out;
  for (const auto& e : p.enrolments)
    if (std::find(out.begin(), out.end(), e.who) == out.end()) out.push_back(e.who);
  if (!out.empty()) return out;
  const bound_rules& rules = policy.rules();
  std::vector<char> referenced(rules.rules.size(), 0);
  for (const auto& r : rules.rules)
    for (const auto q : r.requirements)
      referenced[q] = 1;
  for (const auto& n : rules.nodes)
    if (n.what == condition::kind::rule) referenced[static_cast<std::size_t>(n.low)] = 1;
  for (const auto& forms : policy.payments().when)
    for (const auto r : forms)
      if (r != detail::bound_payments::no_rule) referenced[r] = 1;
  for (const auto& b : p.benefits)
    if (const auto r = rules.find(b.when)) referenced[*r] = 1;
  std::vector<std::string> top;
  for (std::size_t i = 0; i < rules.rules.size(); ++i)
    if (!referenced[i]) top.push_back(rules.rules[i].id);
  if (top.size() == 1) return top;
  if (top.empty())
    throw error(errc::invalid_syntax, "the policy " + detail::quoted(p.id) +
                                          " has no enrolments, and each of its rules is used by another rule, a "
                                          "formula or a benefit; name the rules that decide a person's status");
  throw error(errc::invalid_syntax,
              "the policy " + detail::quoted(p.id) + " has several top-level rules (" +
                  detail::name_list(top, [](const std::string& s) -> const std::string& { return s; }) +
                  "); choose the rules that decide a person's status");
}

namespace {

// The policy compiled with `settings` (batch_options::settings); none when there are none.
std::shared_ptr<const compiled_policy> compiled_with(const compiled_policy& given,
                                                     const std::vector<setting>& settings) {
  if (settings.empty()) return nullptr;
  if (!given.settings().empty())
    throw error(errc::invalid_syntax,
                "the policy " + detail::quoted(given.source().id) + " was compiled with settings (" +
                    detail::name_list(given.settings(), [](const applied_setting& a) { return a.name; }) +
                    "); give the settings there or to the batch, not in both");
  return std::make_shared<const compiled_policy>(bind_policy(given.source(), settings));
}

} // namespace

batch::batch(const compiled_policy& policy, batch_options options)
    : own_(compiled_with(policy, options.settings)), policy_(own_ ? *own_ : policy), options_(std::move(options)) {
  if (options_.rules.empty()) options_.rules = default_batch_rules(policy_);
  for (const auto& id : options_.rules)
    rules_.push_back(policy_.rule(id).index);
  options_.threads = std::clamp(options_.threads, 1U, 256U);
  const entitle::policy& p = policy_.source();
  if (p.effective_from && options_.period.first() < month::of(*p.effective_from))
    throw error(errc::not_in_force, "the policy " + detail::quoted(p.id) + " takes effect on " +
                                        to_string(*p.effective_from) + "; the period starts " +
                                        to_string(options_.period.first()));
  if (p.effective_until && month::of(*p.effective_until) < options_.period.last())
    throw error(errc::not_in_force, "the policy " + detail::quoted(p.id) + " ends on " + to_string(*p.effective_until) +
                                        "; the period ends " + to_string(options_.period.last()));
  if ((p.effective_from && options_.as_of < *p.effective_from) ||
      (p.effective_until && *p.effective_until < options_.as_of))
    throw error(errc::not_in_force, "the policy " + detail::quoted(p.id) + " is in force " +
                                        (p.effective_from ? "from " + to_string(*p.effective_from) : "") +
                                        (p.effective_until ? " until " + to_string(*p.effective_until) : "") +
                                        "; the evaluation date is " + to_string(options_.as_of));
  detail::check_figures_in_force(p, policy_.payments(), options_.period);
  programs_ = policy_.engine().programs();
  payers_ = policy_.engine().payers();
  for (const std::size_t s : policy_.payments().subsidy_order)
    if (p.subsidies[s].quota || p.subsidies[s].budget) {
      capped_.push_back(s);
      capped_ids_.push_back(p.subsidies[s].id);
    }
  if (capped_.size() > max_capped)
    throw error(failure(errc::out_of_range,
                        "a batch ranks at most " + std::to_string(max_capped) +
                            " subsidies with a quota or budget; this policy has " + std::to_string(capped_.size()),
                        "/subsidies"));
  columns_ = detail::output_columns(policy.rules(), options_.columns);
}

batch_summary batch::run(row_source& source, const row_handler& on_row, const reject_handler& on_reject) const {
  detail::batch_stages stages(*this, source);
  detail::scanned found;
  stages.scan(found);
  stages.refuse_bad_rows(found);
  batch_summary sum = detail::summary_head(*this);
  sum.quotas = stages.allocate(found);
  detail::row_emitter out(*this, found.book, sum, on_row, on_reject);
  std::vector<detail::costing> costs = stages.emit(found, out);
  detail::add_sums(sum, costs);
  sum.blank_lines = source.blank_lines();
  return sum;
}

explanation batch::explain(const record& person, std::span<const quota_place> quotas,
                           const batch_summary& summary) const {
  const auto facts = person.facts();
  decision status;
  const std::size_t chosen = detail::decide_status(policy_.rules(), rules_, facts, options_.as_of, status);
  explanation out = policy_.explain(rule_handle{rules_[chosen]}, person, options_.as_of);
  std::vector<std::pair<std::size_t, std::string>> denied_notes;
  std::vector<std::uint32_t> denied;
  for (std::size_t q = 0; q < capped_.size() && q < quotas.size(); ++q) {
    if (quotas[q].status != quota_status::waitlisted) continue;
    const quota_fill& fill = summary.quotas.at(q);
    std::string why = "waitlisted at rank " + std::to_string(quotas[q].rank) + " of " +
                      std::to_string(fill.candidates) + " candidates";
    if (fill.cut_by == "quota") why += "; the quota of " + std::to_string(*fill.quota) + " people is filled";
    if (fill.cut_by == "budget")
      why += "; the budget of " + to_rupiah_string(*fill.budget) + " is spent (" + to_rupiah_string(fill.spent) +
             " to the people ranked before)";
    denied_notes.emplace_back(capped_[q], std::move(why));
    denied.push_back(static_cast<std::uint32_t>(capped_[q]));
  }
  const payment_engine& engine = policy_.engine();
  payment_engine::workspace w(engine);
  payment_amounts amounts;
  statement_tracer trace(engine, options_.period, std::move(denied_notes));
  engine.evaluate(facts, engine.schedule_for(options_.period), denied, w, amounts, trace);
  out.contributions = std::move(trace).statement();
  return out;
}

} // namespace entitle
