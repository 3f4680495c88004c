#include <entitle/eval/analysis.hpp>

#include "analysis_search.hpp"
#include "analysis_space.hpp"

#include <entitle/eval/reasons.hpp>
#include <entitle/rules/literal.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace entitle {
namespace {

using detail::goal;
using detail::goal_search;
using detail::search_outcome;
using detail::search_result;
using detail::search_space;
using detail::space_fact;
using detail::wanted;

// A subsidy with the policy it belongs to.
struct placed_subsidy {
  std::size_t policy;
  const subsidy* s;
};

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + items[i];
  return out;
}

std::vector<std::string> shared_programs(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& p : a)
    if (std::find(b.begin(), b.end(), p) != b.end()) out.push_back(p);
  return out;
}

// "100% of the contribution", "Rp10.000 a month", "the contribution on a base of Rp1.000.000".
std::string share_text(const subsidy_share& share) {
  switch (share.how) {
  case subsidy_share::kind::percent: return to_string(share.percent) + " of the contribution";
  case subsidy_share::kind::amount: return to_rupiah_string(share.amount) + " a month";
  case subsidy_share::kind::on_base: return "the contribution on a base of " + to_rupiah_string(share.amount);
  }
  return "?";
}

// True unless both shares are percentages that add up to at most 100%: an amount, or the
// contribution on a fixed base, can reach the whole of a small contribution.
// A quota of 0 people or a budget of Rp0: the subsidy funds no one, whoever its rule selects.
bool funds_no_one(const subsidy& s) { return (s.quota && *s.quota == 0) || (s.budget && s.budget->minor_units() == 0); }

bool pays_nothing(const subsidy_share& share) {
  return share.how == subsidy_share::kind::percent ? share.percent.parts() == 0 : share.amount.minor_units() == 0;
}

bool may_exceed_what_is_due(const subsidy_share& a, const subsidy_share& b) {
  using kind = subsidy_share::kind;
  if (pays_nothing(a) || pays_nothing(b)) return false;
  if (a.how != kind::percent || b.how != kind::percent) return true;
  return a.percent.parts() + b.percent.parts() > rate::whole().parts();
}

// What a rule tests, written out: two rules of one signature (the national pack's, merged into
// each regional policy given) are one rule to check. The signature holds the day the rule is
// decided on and the declaration of every fact it reads (type, range, enumerators, required), since
// the same test on a fact declared otherwise, or on another day, may hold for other people; a rule
// reading a derived value is its policy's own. A rule
// it refers to stands as its own signature's hash, worked out once, so that a rule referring to
// another many times stays short.
class signatures {
public:
  signatures(const bound_rules& rules, date day, std::string owner)
      : rules_(rules), day_(to_string(day)), owner_(std::move(owner)), done_(rules.rules.size()) {}

  const std::string& of(std::uint32_t r) {
    if (done_[r]) return *done_[r];
    const bound_rule& rule = rules_.rules[r];
    std::string out = "rule " + rule.id + '\n' + rule.label + '\n' + rule.reason + '\n' + rule.citation + '\n';
    out += day_;
    out += '\n';
    if (rule.root) node(*rule.root, out);
    for (const std::uint32_t req : rule.requirements)
      out += reference(req);
    return *(done_[r] = std::move(out));
  }

private:
  std::string reference(std::uint32_t r) { return "ref " + std::to_string(std::hash<std::string>{}(of(r))) + '\n'; }
  void node(std::uint32_t i, std::string& out);
  void declared(std::size_t slot, std::string& out) const;

  const bound_rules& rules_;
  std::string day_;
  std::string owner_; // the policy's id: a derived value is its own, however it is declared
  std::vector<std::optional<std::string>> done_;
};

// The fact at `slot` as declared: its name, type, whether it is required, its range and its
// enumerators. A derived value (an expression, a decision table) is the policy's own: the same
// name may be worked out otherwise, from facts declared otherwise, in another policy.
void signatures::declared(std::size_t slot, std::string& out) const {
  const field& f = rules_.field_at(slot);
  if (rules_.is_derived(slot)) {
    out += "derived in ";
    out += owner_;
    out += ' ';
  }
  const auto number = [&](std::int64_t v) {
    out += std::to_string(v);
    out += ' ';
  };
  out += f.name;
  out += ' ';
  number(static_cast<std::int64_t>(f.type));
  number(f.required ? 1 : 0);
  out += f.range.min ? std::to_string(*f.range.min) : "-";
  out += ' ';
  out += f.range.max ? std::to_string(*f.range.max) : "-";
  out += " [";
  for (const std::int64_t v : f.range.allowed)
    number(v);
  out += "] {";
  for (const enumerator& e : f.enumerators) {
    out += e.name;
    out += '=';
    number(e.value);
  }
  out += "} ";
}

void signatures::node(std::uint32_t i, std::string& out) {
  const bound_rules& rules = rules_;
  const bound_node& n = rules.nodes[i];
  const auto number = [&](auto v) { out += std::to_string(static_cast<long long>(v)) + ' '; };
  number(n.what);
  number(n.code);
  number(n.op);
  number(n.derive);
  number(n.other_derive);
  number(n.against_fact);
  number(n.low);
  number(n.high);
  number(n.count);
  if (n.code == leaf_op::local) {
    declared(static_cast<std::size_t>(n.low), out);
    declared(static_cast<std::size_t>(n.high), out);
    node(n.first, out);
  } else if (n.code != leaf_op::composite) {
    declared(n.slot, out);
    if (n.against_fact) declared(n.other_slot, out);
  }
  switch (n.code) {
  case leaf_op::eq_text:
  case leaf_op::ne_text: out += rules.texts[static_cast<std::size_t>(n.low)] + '\n'; break;
  case leaf_op::in_texts:
  case leaf_op::starts_with:
  case leaf_op::starts_short:
    for (std::uint32_t k = 0; k < n.count; ++k)
      out += rules.texts[n.first + k] + '\n';
    break;
  case leaf_op::in_numbers:
  case leaf_op::derived:
    for (std::uint32_t k = 0; k < n.count && n.what == condition::kind::in_set; ++k)
      number(rules.numbers[n.first + k]);
    break;
  case leaf_op::composite:
    if (n.what == condition::kind::rule) {
      out += reference(static_cast<std::uint32_t>(n.low));
    } else {
      for (std::uint32_t k = 0; k < n.count; ++k)
        node(rules.child_index[n.first + k], out);
    }
    break;
  default: break;
  }
  out += ";\n";
}

class analysis {
public:
  analysis(std::span<const compiled_policy* const> policies, const analysis_options& options)
      : policies_(policies), options_(options) {
    if (policies.empty()) throw error(errc::invalid_syntax, "analyze needs at least one policy");
    const auto as_of = options.as_of ? options.as_of : default_analysis_date(*policies.front());
    if (!as_of)
      throw error(errc::invalid_syntax,
                  "the policy " + policies.front()->source().id +
                      " has no effective date and no subsidy; give the day to decide on (--as-of)");
    report_.as_of = *as_of;
    for (const compiled_policy* p : policies) {
      const policy& source = p->source();
      if (std::find(report_.policies.begin(), report_.policies.end(), source.id) != report_.policies.end())
        throw error(errc::invalid_syntax, "the policy " + source.id + " is given twice");
      if (options.as_of && ((source.effective_from && *options.as_of < *source.effective_from) ||
                            (source.effective_until && *source.effective_until < *options.as_of)))
        throw error(errc::not_in_force,
                    "the policy " + source.id + " is in force " +
                        (source.effective_from ? "from " + to_string(*source.effective_from) : "") +
                        (source.effective_until ? " until " + to_string(*source.effective_until) : "") +
                        "; the day to decide on is " + to_string(*options.as_of));
      report_.policies.push_back(source.id);
    }
    for (std::size_t k = 0; k < policies.size(); ++k)
      report_.days.push_back(day_of(k));
  }

  analysis_report run() {
    for (std::size_t k = 0; k < policies_.size(); ++k) {
      check_rules(k);
      check_subsidies(k);
    }
    check_pairs();
    if (options_.population) check_population(*options_.population);
    return std::move(report_);
  }

private:
  const std::string& id(std::size_t k) const { return policies_[k]->source().id; }

  // The day policy k's rules are decided on: the day given, or its own default, or the first's.
  date day_of(std::size_t k) const {
    if (options_.as_of) return *options_.as_of;
    return default_analysis_date(*policies_[k]).value_or(report_.as_of);
  }

  std::vector<const bound_rules*> rules_of(std::initializer_list<std::size_t> ks) const {
    std::vector<const bound_rules*> out;
    for (const std::size_t k : ks)
      out.push_back(&policies_[k]->rules());
    return out;
  }

  std::uint32_t rule_index(std::size_t k, const std::string& rule) const {
    const auto r = policies_[k]->rules().find(rule);
    if (!r) throw error(errc::invalid_syntax, "the policy " + id(k) + " has no rule \"" + rule + "\"");
    return static_cast<std::uint32_t>(*r);
  }

  void gap(std::string policy, std::string subject, const search_result& r) {
    std::string why = r.outcome == search_outcome::stopped
                          ? "the search stopped after " + std::to_string(options_.search_limit) +
                                " steps (--limit) before it could tell"
                          : "no example was found, but there may be one the analysis does not model: " + r.inexact_why;
    report_.undecided.push_back({std::move(policy), std::move(subject), std::move(why)});
  }

  // The facts of a person found, as `render` writes them, in the order the policies declare them.
  static std::vector<example_fact> example_of(const search_space& space, const search_result& r) {
    std::vector<example_fact> out;
    for (std::size_t u = 0; u < space.facts().size(); ++u)
      if (r.values[u]) {
        const space_fact& f = space.facts()[u];
        const fact_value& v = f.values[*r.values[u]];
        out.push_back(
            {f.name, render(f.declared, v), v.present ? std::optional(to_literal(f.declared, v)) : std::nullopt});
      }
    return out;
  }

  // One policy's facts for a person found: the facts given, the others missing.
  static std::vector<fact_value> facts_of(const search_space& space, const search_result& r, std::size_t policy,
                                          std::size_t count) {
    std::vector<fact_value> out(count, fact_value::missing());
    for (std::size_t slot = 0; slot < count; ++slot)
      if (const auto& v = r.values[space.fact_of(policy, slot)]) {
        const std::size_t u = space.fact_of(policy, slot);
        out[slot] = space.facts()[u].held[space.binding_of(u, policy)][*v];
      }
    return out;
  }

  void check_rules(std::size_t k);
  void check_subsidies(std::size_t k);
  bool selects_someone(std::size_t k, const subsidy& s, std::vector<std::string>& missing_programs);
  void check_pairs();
  void check_pair(const placed_subsidy& a, const placed_subsidy& b);
  void check_population(const analysis_population& who);

  std::span<const compiled_policy* const> policies_;
  const analysis_options& options_;
  analysis_report report_;
  std::set<std::string> rules_seen_; // the signatures of the rules checked
};

// Every rule twice: is there a person for whom it is yes, and one for whom it is no? All rules
// are searched first, so that a rule that never holds because a requirement never holds says so.
void analysis::check_rules(std::size_t k) {
  const bound_rules& rules = policies_[k]->rules();
  const auto policies = rules_of({k});
  const search_space space(policies, day_of(k));
  goal_search search(space, policies, day_of(k), options_.search_limit);
  std::vector<std::uint32_t> checked;
  std::vector<std::array<std::optional<search_result>, 2>> none(rules.rules.size());
  signatures signed_by(rules, day_of(k), id(k));
  for (std::uint32_t r = 0; r < rules.rules.size(); ++r) {
    if (!rules_seen_.insert(signed_by.of(r)).second) continue;
    checked.push_back(r);
    for (const verdict v : {verdict::yes, verdict::no}) {
      const goal g{0, r, wanted(v)};
      search_result found = search.run(std::span(&g, 1));
      if (found.outcome != search_outcome::found) none[r][v == verdict::yes ? 0 : 1] = std::move(found);
    }
  }
  report_.rules_checked += checked.size();
  const auto never_holds = [&](std::uint32_t r) {
    return none[r][0] && none[r][0]->outcome == search_outcome::none && none[r][0]->exact;
  };
  for (const std::uint32_t r : checked) {
    const bound_rule& rule = rules.rules[r];
    for (std::size_t side = 0; side < 2; ++side) {
      if (!none[r][side]) continue;
      const search_result& result = *none[r][side];
      if (result.outcome == search_outcome::stopped || !result.exact) {
        gap(id(k), "rule " + rule.id + (side == 0 ? " (can it hold?)" : " (can it fail?)"), result);
        continue;
      }
      analysis_finding f;
      f.kind = side == 0 ? finding_kind::never_holds : finding_kind::never_fails;
      f.policy = id(k);
      f.rules = {rule.id};
      if (policies_[k]->source().extends.empty()) f.location = rule.location;
      if (side == 0) {
        f.message = "the rule " + rule.id + " (" + rule.label + ") can never hold: no facts make it yes";
        for (const std::uint32_t req : rule.requirements)
          if (never_holds(req)) {
            f.message += ", because its requirement " + rules.rules[req].id + " never holds";
            f.rules.push_back(rules.rules[req].id);
            break;
          }
      } else {
        f.message = "the rule " + rule.id + " (" + rule.label +
                    ") always holds where its facts are known: no facts make it no, so it decides nothing";
      }
      report_.findings.push_back(std::move(f));
    }
  }
}

// A subsidy selects someone when, on its window's first or last day, its rule and the rule of an
// enrolment in one of its programs both hold for one person: a subsidy pays only contributions,
// and only enrolments make them due.
bool analysis::selects_someone(std::size_t k, const subsidy& s, std::vector<std::string>& missing_programs) {
  const policy& p = policies_[k]->source();
  std::vector<const enrolment*> enrolments;
  for (const enrolment& e : p.enrolments)
    if (!shared_programs(e.programs, s.programs).empty()) enrolments.push_back(&e);
  if (enrolments.empty()) {
    missing_programs = s.programs;
    return false;
  }
  const auto policies = rules_of({k});
  std::optional<search_result> unsettled;
  for (const date day : {s.window.first().first_day(), s.window.last().last_day()}) {
    const search_space space(policies, day);
    goal_search search(space, policies, day, options_.search_limit);
    for (const enrolment* e : enrolments) {
      const std::array<goal, 2> goals{goal{0, rule_index(k, s.who), wanted(verdict::yes)},
                                      goal{0, rule_index(k, e->who), wanted(verdict::yes)}};
      search_result found = search.run(goals);
      if (found.outcome == search_outcome::found) return true;
      if (found.outcome == search_outcome::stopped || !found.exact) unsettled = std::move(found);
    }
  }
  if (unsettled) {
    gap(id(k), "subsidy " + s.id, *unsettled);
    return true; // not a finding: undecided
  }
  return false;
}

void analysis::check_subsidies(std::size_t k) {
  const policy& p = policies_[k]->source();
  for (const subsidy& s : p.subsidies) {
    ++report_.subsidies_checked;
    analysis_finding f;
    f.kind = finding_kind::selects_no_one;
    f.policy = p.id;
    f.subsidies = {p.id + ": " + s.id};
    f.rules = {s.who};
    const std::string name = "the subsidy " + s.id + " (" + s.payer + ")";
    const auto window_text = to_string(s.window);
    std::vector<std::string> programs;
    if (s.quota && *s.quota == 0) {
      f.message = name + " has a quota of 0 people, so it funds no one";
    } else if (s.budget && s.budget->minor_units() == 0) {
      f.message = name + " has a budget of Rp0, so it funds no one";
    } else if (p.effective_until && month::of(*p.effective_until) < s.window.first()) {
      f.message = name + " covers " + window_text + ", after the policy ends on " + to_string(*p.effective_until);
    } else if (p.effective_from && s.window.last() < month::of(*p.effective_from)) {
      f.message =
          name + " covers " + window_text + ", before the policy takes effect on " + to_string(*p.effective_from);
    } else if (!selects_someone(k, s, programs)) {
      f.message =
          programs.empty()
              ? name + " selects no one: on the first and the last day of " + window_text + " no person both meets " +
                    s.who + " and is enrolled in " + quoted_list(s.programs)
              : name + " pays for " + quoted_list(programs) + ", which no enrolment of the policy enrols anyone in";
    } else {
      continue;
    }
    report_.findings.push_back(std::move(f));
  }
}

void analysis::check_pairs() {
  std::vector<placed_subsidy> all;
  for (std::size_t k = 0; k < policies_.size(); ++k)
    for (const subsidy& s : policies_[k]->source().subsidies)
      all.push_back({k, &s});
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j)
      check_pair(all[i], all[j]);
}

// Two subsidies that share a program and a month, whose shares together can pass what is due,
// and one person both select (each also enrolled in that program by its own policy).
void analysis::check_pair(const placed_subsidy& a, const placed_subsidy& b) {
  const std::vector<std::string> programs = shared_programs(a.s->programs, b.s->programs);
  const auto months = intersection(a.s->window, b.s->window);
  if (programs.empty() || !months) return;
  ++report_.pairs_checked;
  if (funds_no_one(*a.s) || funds_no_one(*b.s) || !may_exceed_what_is_due(a.s->share, b.s->share)) return;
  const bool one_policy = a.policy == b.policy;
  const auto policies = one_policy ? rules_of({a.policy}) : rules_of({a.policy, b.policy});
  const std::size_t second = one_policy ? 0 : 1;
  const date day = months->first().first_day();
  const search_space space(policies, day);
  goal_search search(space, policies, day, options_.search_limit);
  const auto enrolments_of = [&](const placed_subsidy& x) {
    std::vector<const enrolment*> out;
    for (const enrolment& e : policies_[x.policy]->source().enrolments)
      if (!shared_programs(e.programs, programs).empty()) out.push_back(&e);
    return out;
  };
  std::optional<search_result> unsettled;
  for (const enrolment* ea : enrolments_of(a))
    for (const enrolment* eb : enrolments_of(b)) {
      if (shared_programs(shared_programs(programs, ea->programs), eb->programs).empty()) continue;
      const std::array<goal, 4> goals{goal{0, rule_index(a.policy, a.s->who), wanted(verdict::yes)},
                                      goal{0, rule_index(a.policy, ea->who), wanted(verdict::yes)},
                                      goal{second, rule_index(b.policy, b.s->who), wanted(verdict::yes)},
                                      goal{second, rule_index(b.policy, eb->who), wanted(verdict::yes)}};
      search_result found = search.run(goals);
      if (found.outcome == search_outcome::found) {
        analysis_finding f;
        f.kind = finding_kind::double_subsidy;
        f.policy = id(a.policy);
        f.subsidies = {id(a.policy) + ": " + a.s->id, id(b.policy) + ": " + b.s->id};
        f.rules = {a.s->who, b.s->who};
        f.message = "the subsidies " + a.s->id + " (" + a.s->payer + ", " + share_text(a.s->share) + ") and " +
                    (one_policy ? "" : id(b.policy) + " ") + b.s->id + " (" + b.s->payer + ", " +
                    share_text(b.s->share) + ") both pay " + quoted_list(programs) + " for " + to_string(*months) +
                    " for the same person" +
                    (one_policy ? ", their shares adding up to more than is due: the later is paid only what remains, "
                                  "less than it says"
                                : ", together more than is due");
        f.example = example_of(space, found);
        report_.findings.push_back(std::move(f));
        return;
      }
      if (found.outcome == search_outcome::stopped || !found.exact) unsettled = std::move(found);
    }
  if (unsettled) gap(id(a.policy), "subsidies " + a.s->id + " and " + b.s->id, *unsettled);
}

namespace {

bool in_force_on(const policy& p, date day) {
  return !(p.effective_from && day < *p.effective_from) && !(p.effective_until && *p.effective_until < day);
}

// The rules that take a person into a policy's programs: its enrolments' and subsidies', or, in
// a policy with neither, its rules that no other rule requires.
std::vector<std::uint32_t> programs_rules(const compiled_policy& p) {
  const bound_rules& rules = p.rules();
  std::vector<std::uint32_t> out;
  const auto add = [&](const std::string& id) {
    const auto r = rules.find(id);
    if (r && std::find(out.begin(), out.end(), *r) == out.end()) out.push_back(static_cast<std::uint32_t>(*r));
  };
  for (const enrolment& e : p.source().enrolments)
    add(e.who);
  for (const subsidy& s : p.source().subsidies)
    add(s.who);
  if (!out.empty()) return out;
  std::vector<bool> required(rules.rules.size(), false);
  for (const bound_rule& r : rules.rules)
    for (const std::uint32_t req : r.requirements)
      required[req] = true;
  for (const bound_node& n : rules.nodes)
    if (n.code == leaf_op::composite && n.what == condition::kind::rule)
      required[static_cast<std::size_t>(n.low)] = true;
  for (std::uint32_t r = 0; r < rules.rules.size(); ++r)
    if (!required[r]) out.push_back(r);
  return out;
}

// The first policy with the population's condition as one more rule, last, so that it reads
// the same facts; errors are placed within the condition, as `--population` gives it.
compiled_policy population_policy(const compiled_policy& first, const condition& when) {
  policy p = first.source();
  std::string id = "population";
  while (first.rules().find(id))
    id += "'";
  const std::string where = "/rules/" + std::to_string(p.rules.size()) + "/when";
  p.rules.push_back({id, "the population", "POPULATION", "--population", "", when, {}});
  try {
    return compiled_policy(std::move(p));
  } catch (const error& e) {
    failure f = e.details();
    if (f.location.starts_with(where)) f.location = f.location.substr(where.size());
    if (f.message.find("no fact is called") != std::string::npos)
      f.message +=
          " (the population is a condition over the facts of the first policy given, " + first.source().id + ")";
    throw error(std::move(f));
  }
}

} // namespace

// A person of the population for whom every policy's program rules are no, on one day: the
// report's, on which a policy not in force takes no one.
void analysis::check_population(const analysis_population& who) {
  // The policy whose rule names the population (the first's facts, for a condition).
  std::optional<std::size_t> owner;
  for (std::size_t k = 0; k < policies_.size() && !owner && !who.when; ++k)
    if (policies_[k]->rules().find(who.rule)) owner = k;
  if (!who.when && !owner)
    throw error(errc::invalid_syntax, "no policy given has a rule \"" + who.rule + "\" for the population");
  // A policy not in force on the day takes no one, and its facts do not narrow who the person is.
  std::vector<std::size_t> kept; // the policies searched, by index in `policies_`
  std::vector<std::string> not_in_force;
  for (std::size_t k = 0; k < policies_.size(); ++k) {
    const bool in_force = in_force_on(policies_[k]->source(), report_.as_of);
    if (!in_force) not_in_force.push_back(id(k) + " is not in force on " + to_string(report_.as_of));
    if (in_force || k == owner) kept.push_back(k);
  }
  std::vector<const bound_rules*> policies;
  for (const std::size_t k : kept)
    policies.push_back(&policies_[k]->rules());
  std::optional<compiled_policy> extra;
  std::vector<goal> goals;
  if (who.when) {
    extra.emplace(population_policy(*policies_.front(), *who.when));
    policies.push_back(&extra->rules());
    goals.push_back(
        {policies.size() - 1, static_cast<std::uint32_t>(extra->rules().rules.size() - 1), wanted(verdict::yes)});
  } else {
    const std::size_t at = static_cast<std::size_t>(std::find(kept.begin(), kept.end(), *owner) - kept.begin());
    goals.push_back({at, static_cast<std::uint32_t>(*policies_[*owner]->rules().find(who.rule)), wanted(verdict::yes)});
  }
  for (std::size_t at = 0; at < kept.size(); ++at)
    if (in_force_on(policies_[kept[at]]->source(), report_.as_of))
      for (const std::uint32_t r : programs_rules(*policies_[kept[at]]))
        goals.push_back({at, r, wanted(verdict::no)});
  const search_space space(policies, report_.as_of);
  goal_search search(space, policies, report_.as_of, options_.search_limit);
  const search_result found = search.run(goals);
  if (found.outcome != search_outcome::found) {
    if (found.outcome == search_outcome::stopped || !found.exact) gap(id(0), "population", found);
    return;
  }
  analysis_finding f;
  f.kind = finding_kind::falls_through;
  f.policy = id(0);
  f.message = "a person of the population falls through every program of the policies given";
  f.example = example_of(space, found);
  f.details = std::move(not_in_force);
  for (std::size_t g = 1; g < goals.size(); ++g) {
    const bound_rules& rules = *policies[goals[g].policy];
    const auto facts = facts_of(space, found, goals[g].policy, rules.facts.size());
    const decision d = decide(rules, goals[g].rule, facts, report_.as_of);
    std::string why;
    for (const std::string_view reason : decision_reasons(rules, d))
      why += (why.empty() ? "" : ", ") + std::string(reason);
    f.rules.push_back(rules.rules[goals[g].rule].id);
    f.details.push_back(id(kept[goals[g].policy]) + ": " + rules.rules[goals[g].rule].id + " is no (" + why + ")");
  }
  report_.findings.push_back(std::move(f));
}

} // namespace

std::optional<date> default_analysis_date(const compiled_policy& p) {
  if (p.source().effective_from) return *p.source().effective_from;
  std::optional<month> first;
  for (const subsidy& s : p.source().subsidies)
    if (!first || s.window.first() < *first) first = s.window.first();
  if (first) return first->first_day();
  return std::nullopt;
}

analysis_report analyze(std::span<const compiled_policy* const> policies, const analysis_options& options) {
  return analysis(policies, options).run();
}

} // namespace entitle
