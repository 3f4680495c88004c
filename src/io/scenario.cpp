// Running scenario tests (scenario.hpp): each scenario evaluated as the tool would, and each
// expectation compared with what the policy gives, in words.
#include <entitle/io/batch.hpp>
#include <entitle/io/core_json.hpp>
#include <entitle/io/scenario.hpp>

#include <algorithm>
#include <set>

namespace entitle {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + items[i];
  return out + "]";
}

// Compares amounts by name: every name expected, with what was got (a name not got is Rp0).
void check_amounts(std::vector<std::string>& failures, std::string_view what, const scenario_amounts& expected,
                   const scenario_amounts& got) {
  for (const auto& [name, amount] : expected) {
    const auto it = got.find(name);
    const money actual = it == got.end() ? money() : it->second;
    if (actual != amount)
      failures.push_back(std::string(what) + " " + name + ": expected " + to_rupiah_string(amount) + ", got " +
                         to_rupiah_string(actual));
  }
}

void check_total(std::vector<std::string>& failures, std::string_view what, const std::optional<money>& expected,
                 money got) {
  if (expected && *expected != got)
    failures.push_back(std::string(what) + ": expected " + to_rupiah_string(*expected) + ", got " +
                       to_rupiah_string(got));
}

// What a person's statement says is due by program and paid by payer, over the period and by month.
struct statement_sums {
  scenario_amounts due, paid;
  std::map<month, scenario_amounts> due_by_month, paid_by_month;
};

statement_sums sums_of(const contribution_statement& s) {
  statement_sums out;
  for (const program_month& item : s.items) {
    out.due[item.program] += item.due;
    out.due_by_month[item.when][item.program] += item.due;
    for (const payment_line& line : item.lines) {
      if (line.what == payment_line::kind::recomposed) continue;
      out.paid[line.payer] += line.amount;
      out.paid_by_month[item.when][line.payer] += line.amount;
    }
  }
  return out;
}

// Names expected that the policy does not have: a typo would otherwise compare with Rp0 and pass.
void check_names(std::vector<std::string>& failures, std::string_view what, const scenario_amounts& expected,
                 const std::vector<std::string>& known) {
  for (const auto& [name, amount] : expected)
    if (std::find(known.begin(), known.end(), name) == known.end())
      failures.push_back(std::string(what) + " " + name + ": the policy has no such name; it has " + joined(known));
}

batch_options options_for(const date& as_of, const month_range& period, std::vector<std::string> rules) {
  return {.rules = std::move(rules), .as_of = as_of, .period = period, .threads = 1};
}

scenario_outcome run_case(const scenario_case& c, const compiled_policy& policy) {
  scenario_outcome out{.file = {}, .name = c.name, .pointer = c.pointer, .failures = {}, .explanation = {}};
  const batch b(policy, options_for(c.as_of, c.period, c.rules));
  const record facts = detail::read_at(c.pointer + "/facts", [&] { return record_from_json(policy.facts(), c.facts); });
  const explanation e = b.explain(facts, {}, batch_summary{});
  out.explanation = to_text(e);
  auto& f = out.failures;
  const std::string status(to_string(e.outcome.outcome));
  if (status != c.status) f.push_back("status: expected " + c.status + ", got " + status);
  if (c.reasons && *c.reasons != e.reasons)
    f.push_back("reasons: expected " + joined(*c.reasons) + ", got " + joined(e.reasons));
  if (c.missing && *c.missing != e.missing)
    f.push_back("missing: expected " + joined(*c.missing) + ", got " + joined(e.missing));
  const statement_sums sums = e.contributions ? sums_of(*e.contributions) : statement_sums{};
  check_names(f, "due", c.due, b.programs());
  check_names(f, "paid by", c.paid, b.payers());
  for (const auto& [when, amounts] : c.due_by_month)
    check_names(f, to_string(when) + " due", amounts, b.programs());
  for (const auto& [when, amounts] : c.paid_by_month)
    check_names(f, to_string(when) + " paid by", amounts, b.payers());
  check_amounts(f, "due", c.due, sums.due);
  check_amounts(f, "paid by", c.paid, sums.paid);
  check_total(f, "total", c.total, e.contributions ? e.contributions->total : money());
  for (const auto& [when, amounts] : c.due_by_month) {
    const auto it = sums.due_by_month.find(when);
    check_amounts(f, to_string(when) + " due", amounts,
                  it == sums.due_by_month.end() ? scenario_amounts{} : it->second);
  }
  for (const auto& [when, amounts] : c.paid_by_month) {
    const auto it = sums.paid_by_month.find(when);
    check_amounts(f, to_string(when) + " paid by", amounts,
                  it == sums.paid_by_month.end() ? scenario_amounts{} : it->second);
  }
  return out;
}

scenario_outcome run_batch(const scenario_batch& s, const scenario_file& file, const policy_library& library,
                           std::string_view id) {
  scenario_outcome out{.file = {}, .name = s.name, .pointer = s.pointer, .failures = {}, .explanation = {}};
  const compiled_policy policy = detail::read_at(s.pointer + "/set", [&] { return library.compile(id, s.settings); });
  const batch b(policy, options_for(s.as_of, s.period, {}));
  roster_options options;
  options.id_column = s.id_column;
  options.needed_facts = facts_the_rules_read(policy); // as `entitle run`: a column the rules read is needed
  const auto path = file.path.parent_path() / s.roster;
  roster_file roster(path, policy.facts(), roster_format_of(path), options);
  std::map<std::string, std::set<std::string>, std::less<>> funded;
  const batch_summary summary = b.run(roster, [&](const batch_row& row) {
    for (std::size_t q = 0; q < row.quotas.size(); ++q)
      if (row.quotas[q].status == quota_status::funded) funded[b.capped()[q]].emplace(row.id);
  });
  out.explanation = to_text(summary);
  auto& f = out.failures;
  if (s.rows_read && *s.rows_read != summary.rows_read)
    f.push_back("rows read: expected " + std::to_string(*s.rows_read) + ", got " + std::to_string(summary.rows_read));
  if (s.rejected && *s.rejected != summary.rejected)
    f.push_back("rejected: expected " + std::to_string(*s.rejected) + ", got " + std::to_string(summary.rejected));
  for (const auto& [subsidy, ids] : s.funded) {
    if (std::find(b.capped().begin(), b.capped().end(), subsidy) == b.capped().end()) {
      f.push_back("funded by " + subsidy + ": no subsidy with a quota or budget has that id; they are " +
                  joined(b.capped()));
      continue;
    }
    const std::set<std::string> expected(ids.begin(), ids.end());
    const auto it = funded.find(subsidy);
    const std::set<std::string> got = it == funded.end() ? std::set<std::string>{} : it->second;
    if (expected != got)
      f.push_back("funded by " + subsidy + ": expected " + joined({expected.begin(), expected.end()}) + ", got " +
                  joined({got.begin(), got.end()}));
  }
  scenario_amounts paid;
  for (std::size_t p = 0; p < summary.payers.size(); ++p)
    paid[summary.payers[p]] = summary.paid_by_payer[p];
  check_names(f, "paid by", s.paid, summary.payers);
  check_amounts(f, "paid by", s.paid, paid);
  check_total(f, "total", s.total, summary.total);
  return out;
}

scenario_outcome run_claim(const scenario_claim& s, const compiled_policy& policy) {
  scenario_outcome out{.file = {}, .name = s.name, .pointer = s.pointer, .failures = {}, .explanation = {}};
  const record facts = detail::read_at(s.pointer + "/facts", [&] { return record_from_json(policy.facts(), s.facts); });
  const claim_result r = policy.assess(claim{.event = s.event,
                                             .on = s.on,
                                             .months = s.months,
                                             .children = s.children,
                                             .costs = {},
                                             .enrolment = s.enrolment},
                                       facts);
  out.explanation = to_text(r);
  auto& f = out.failures;
  check_total(f, "total", s.total, r.total);
  scenario_amounts payable;
  std::set<std::string> refused;
  for (const claim_line& line : r.lines) {
    if (line.status == claim_status::payable) payable[line.benefit] += line.amount;
    if (line.status == claim_status::refused) refused.insert(line.benefit);
  }
  std::vector<std::string> assessed;
  for (const claim_line& line : r.lines)
    assessed.push_back(line.benefit);
  check_names(f, "benefit", s.payable, assessed);
  check_amounts(f, "benefit", s.payable, payable);
  for (const auto& benefit : s.refused)
    if (!refused.contains(benefit))
      f.push_back("benefit " + benefit +
                  (std::find(assessed.begin(), assessed.end(), benefit) == assessed.end()
                       ? ": expected refused, but the claim does not assess it"
                       : ": expected refused, but it is not"));
  return out;
}

// Runs `run`, a failure to run at all (facts that cannot be read, a setting that does not bind)
// being the scenario's one failure.
template <class Run>
scenario_outcome guarded(const std::string& name, const std::string& pointer, Run&& run) {
  try {
    return run();
  } catch (const error& e) {
    return {.file = {}, .name = name, .pointer = pointer, .failures = {e.details().describe()}, .explanation = {}};
  }
}

} // namespace

std::vector<scenario_outcome> run_scenarios(const scenario_file& file, const policy_library& library,
                                            std::string_view id) {
  std::vector<scenario_outcome> out;
  const compiled_policy policy = library.compile(id);
  for (const auto& c : file.cases)
    out.push_back(guarded(c.name, c.pointer, [&] { return run_case(c, policy); }));
  for (const auto& s : file.batches)
    out.push_back(guarded(s.name, s.pointer, [&] { return run_batch(s, file, library, id); }));
  for (const auto& s : file.claims)
    out.push_back(guarded(s.name, s.pointer, [&] { return run_claim(s, policy); }));
  for (auto& o : out)
    o.file = file.path.string();
  return out;
}

} // namespace entitle
