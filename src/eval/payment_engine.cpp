// The payment engine's compilation and the parts of its evaluation that need no tracer.
#include <entitle/eval/payment_engine.hpp>

#include <entitle/core/detail/arithmetic.hpp>

namespace entitle {

namespace detail {

std::vector<std::pair<std::size_t, derivation>> date_inputs(const bound_rules& rules, std::uint32_t r) {
  std::vector<std::pair<std::size_t, derivation>> out;
  auto add = [&](std::size_t slot, derivation how) {
    const bool dated = how == derivation::age_in_years || how == derivation::months_since;
    if (dated && std::find(out.begin(), out.end(), std::pair(slot, how)) == out.end()) out.emplace_back(slot, how);
  };
  std::vector<char> seen(rules.rules.size(), 0);
  std::vector<std::uint32_t> rule_stack{r};
  std::vector<std::uint32_t> node_stack;
  while (!rule_stack.empty()) {
    const std::uint32_t at = rule_stack.back();
    rule_stack.pop_back();
    if (seen[at]) continue;
    seen[at] = 1;
    const bound_rule& rule = rules.rules[at];
    rule_stack.insert(rule_stack.end(), rule.requirements.begin(), rule.requirements.end());
    if (rule.root) node_stack.push_back(*rule.root);
    while (!node_stack.empty()) {
      const bound_node& n = rules.nodes[node_stack.back()];
      node_stack.pop_back();
      switch (n.what) {
      case condition::kind::all:
      case condition::kind::any:
      case condition::kind::negation:
        for (std::uint32_t k = 0; k < n.count; ++k)
          node_stack.push_back(rules.child_index[n.first + k]);
        break;
      case condition::kind::rule: rule_stack.push_back(static_cast<std::uint32_t>(n.low)); break;
      default:
        add(n.slot, n.derive);
        if (n.against_fact) add(n.other_slot, n.other_derive);
      }
    }
  }
  return out;
}

namespace {

// The facts rule `r` reads, in it or in the rules it refers to.
void facts_of_rule(const bound_rules& rules, std::uint32_t r, fact_set& out) {
  std::vector<char> seen(rules.rules.size(), 0);
  std::vector<std::uint32_t> rule_stack{r};
  std::vector<std::uint32_t> node_stack;
  while (!rule_stack.empty()) {
    const std::uint32_t at = rule_stack.back();
    rule_stack.pop_back();
    if (seen[at]) continue;
    seen[at] = 1;
    const bound_rule& rule = rules.rules[at];
    rule_stack.insert(rule_stack.end(), rule.requirements.begin(), rule.requirements.end());
    if (rule.root) node_stack.push_back(*rule.root);
    while (!node_stack.empty()) {
      const bound_node& n = rules.nodes[node_stack.back()];
      node_stack.pop_back();
      switch (n.what) {
      case condition::kind::all:
      case condition::kind::any:
      case condition::kind::negation:
        for (std::uint32_t k = 0; k < n.count; ++k)
          node_stack.push_back(rules.child_index[n.first + k]);
        break;
      case condition::kind::rule: rule_stack.push_back(static_cast<std::uint32_t>(n.low)); break;
      default:
        out.set(n.slot);
        if (n.against_fact) out.set(n.other_slot);
      }
    }
  }
}

// The first month whose first day is on or after `day`: where a value taking effect on `day`
// first applies, since a contribution month uses what is in force on its first day.
month first_month_from(date day) {
  const month m = month::of(day);
  return day == m.first_day() ? m : m.next();
}

// Marks in `changes` the month of `range` where `m` starts, when it is inside and not the first.
void mark(std::vector<char>& changes, month_range range, month m) {
  if (range.first() < m && m <= range.last()) changes[static_cast<std::size_t>(months_between(range.first(), m))] = 1;
}

template <class T>
void mark_dated(std::vector<char>& changes, month_range range, const dated<T>& value) {
  for (const auto& entry : value.history())
    mark(changes, range, first_month_from(entry.from));
  if (const auto& until = value.until(); until && *until < date(9999, 12, 1))
    mark(changes, range, month::of(*until).next());
}

template <class T>
void mark_dated(std::vector<char>& changes, month_range range, const std::optional<dated<T>>& value) {
  if (value) mark_dated(changes, range, *value);
}

} // namespace

} // namespace detail

payment_engine::payment_engine(const policy& p, const bound_rules& rules, const detail::bound_payments& b)
    : policy_(p), rules_(rules), slot_of_rule_(rules.rules.size(), none) {
  compile(b);
}

std::uint32_t payment_engine::add_rule(std::uint32_t rule) {
  if (slot_of_rule_[rule] != none) return slot_of_rule_[rule];
  const auto slot = static_cast<std::uint32_t>(rule_slots_.size());
  rule_slots_.push_back({rule, detail::date_inputs(rules_, rule)});
  if (!rule_slots_.back().inputs.empty()) {
    dated_slots_.push_back(slot);
    max_inputs_ = std::max(max_inputs_, rule_slots_.back().inputs.size());
  }
  detail::facts_of_rule(rules_, rule, reads_);
  slot_of_rule_[rule] = slot;
  return slot;
}

std::uint32_t payment_engine::add_payer(const std::string& name) {
  const auto at = std::find(payer_names_.begin(), payer_names_.end(), name);
  if (at != payer_names_.end()) return static_cast<std::uint32_t>(at - payer_names_.begin());
  payer_names_.push_back(name);
  return static_cast<std::uint32_t>(payer_names_.size() - 1);
}

void payment_engine::compile(const detail::bound_payments& b) {
  const policy& p = policy_;
  std::vector<std::uint32_t> reported(p.programs.size(), none);
  for (std::size_t e = 0; e < p.enrolments.size(); ++e) {
    const enrolment& enrol = p.enrolments[e];
    enrolment_plan plan{&enrol, add_rule(b.enrolment_rule[e]), static_cast<std::uint32_t>(items_.size()), 0};
    for (const std::size_t prog : b.enrolment_programs[e]) {
      if (reported[prog] == none) {
        reported[prog] = static_cast<std::uint32_t>(program_names_.size());
        program_names_.push_back(p.programs[prog].id);
      }
      item_plan it;
      it.program = static_cast<std::uint32_t>(prog);
      it.reported = reported[prog];
      it.first_formula = static_cast<std::uint32_t>(formulas_.size());
      const program& def = p.programs[prog];
      for (std::size_t f = 0; f < def.formulas.size(); ++f) {
        const formula& form = def.formulas[f];
        if (form.category != enrol.category) continue;
        formula_plan fp;
        fp.form = &form;
        fp.index = static_cast<std::uint32_t>(f);
        fp.rule = b.when[prog][f] == detail::bound_payments::no_rule ? none : add_rule(b.when[prog][f]);
        fp.base_slot = b.base_slot[prog][f];
        if (fp.base_slot) reads_.set(*fp.base_slot);
        fp.first_part = static_cast<std::uint32_t>(parts_.size());
        for (std::size_t k = 0; k < form.parts.size(); ++k) {
          const contribution_part& part = form.parts[k];
          std::uint32_t payer = none;
          if (part.recomposed_from.empty()) {
            const auto role = enrol.roles.find(part.payer);
            payer = add_payer(role == enrol.roles.end() ? part.payer : role->second);
          }
          parts_.push_back({&part, payer, static_cast<std::uint32_t>(k)});
        }
        fp.part_count = static_cast<std::uint32_t>(form.parts.size());
        max_parts_ = std::max<std::size_t>(max_parts_, fp.part_count);
        formulas_.push_back(fp);
        ++it.formula_count;
      }
      it.first_adjustment = static_cast<std::uint32_t>(adjustment_list_.size());
      for (std::size_t a = 0; a < p.adjustments.size(); ++a) {
        const adjustment& adj = p.adjustments[a];
        const bool program_listed = std::find(adj.programs.begin(), adj.programs.end(), def.id) != adj.programs.end();
        const bool category_listed = adj.categories.empty() || std::find(adj.categories.begin(), adj.categories.end(),
                                                                         enrol.category) != adj.categories.end();
        if (program_listed && category_listed) adjustment_list_.push_back(static_cast<std::uint32_t>(a));
      }
      it.adjustment_count = static_cast<std::uint32_t>(adjustment_list_.size()) - it.first_adjustment;
      it.first_subsidy = static_cast<std::uint32_t>(subsidy_list_.size());
      for (const std::size_t s : b.subsidy_order) {
        const auto& covered = p.subsidies[s].programs;
        if (std::find(covered.begin(), covered.end(), def.id) != covered.end())
          subsidy_list_.push_back(static_cast<std::uint32_t>(s));
      }
      it.subsidy_count = static_cast<std::uint32_t>(subsidy_list_.size()) - it.first_subsidy;
      items_.push_back(it);
      ++plan.item_count;
    }
    enrolments_.push_back(plan);
  }
  for (std::size_t s = 0; s < p.subsidies.size(); ++s)
    subsidies_.push_back({&p.subsidies[s], add_rule(b.subsidy_rule[s]), add_payer(p.subsidies[s].payer)});
}

payment_engine::schedule payment_engine::schedule_for(month_range range) const {
  schedule out(range);
  for (const month m : range) {
    out.months_.push_back(m);
    out.first_days_.push_back(m.first_day());
    out.day_numbers_.push_back(date_number(m.first_day()));
  }
  std::vector<char>& changes = out.changes_;
  changes.assign(out.months_.size(), 0);
  for (const formula_plan& f : formulas_) {
    const contribution_base& base = f.form->base;
    detail::mark_dated(changes, range, base.fixed);
    detail::mark_dated(changes, range, base.floor);
    detail::mark_dated(changes, range, base.ceiling);
    for (const contribution_part& part : f.form->parts) {
      detail::mark_dated(changes, range, part.share);
      detail::mark_dated(changes, range, part.amount);
    }
  }
  for (const adjustment& adj : policy_.adjustments)
    detail::mark_dated(changes, range, adj.factor);
  for (const subsidy_plan& s : subsidies_) {
    detail::mark(changes, range, s.source->window.first());
    if (s.source->window.last() < range.last()) detail::mark(changes, range, s.source->window.last().next());
  }
  return out;
}

payment_engine::workspace::workspace(const payment_engine& engine)
    : decided_(engine.rule_slots_.size()), known_(engine.rule_slots_.size(), 0), inputs_(engine.max_inputs_) {
  parts_.reserve(engine.max_parts_);
  scratch_.reserve(engine.max_parts_);
}

void payment_engine::cut_runs(std::span<const fact_value> facts, const schedule& s, workspace& w) const {
  w.cuts_.assign(s.changes_.begin(), s.changes_.end());
  const std::size_t months = s.months();
  // A rule reading an age or a count of months may change its verdict only in a month where
  // one of those numbers changes.
  for (const std::uint32_t slot : dated_slots_) {
    const auto& inputs = rule_slots_[slot].inputs;
    for (std::size_t m = 0; m < months; ++m) {
      const std::int64_t day = s.day_numbers_[m];
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto& [fact, how] = inputs[i];
        const std::int64_t now = facts[fact].present ? detail::derived_number(day, facts[fact].number, how) : 0;
        if (m > 0 && w.inputs_[i] != now) w.cuts_[m] = 1;
        w.inputs_[i] = now;
      }
    }
  }
}

const decision& payment_engine::decide(std::uint32_t slot, std::span<const fact_value> facts, date day,
                                       workspace& w) const {
  if (!w.known_[slot]) {
    w.decided_[slot] = entitle::decide(rules_, rule_slots_[slot].rule, facts, day);
    w.known_[slot] = 1;
  }
  return w.decided_[slot];
}

void payment_engine::prepare(const schedule& s, std::size_t programs, std::size_t payers, std::size_t subsidies,
                             payment_amounts& out) {
  const std::size_t months = s.months();
  out.due.assign(months * programs, money());
  out.paid.assign(months * payers, money());
  out.due_total.assign(programs, money());
  out.paid_total.assign(payers, money());
  out.granted.assign(subsidies, money());
  out.total = money();
  out.complete = true;
}

void payment_engine::parts_of(const formula_plan& f, std::optional<money> base, date day,
                              std::vector<workspace::part_amount>& out) const {
  out.clear();
  for (std::uint32_t k = 0; k < f.part_count; ++k) {
    const contribution_part& part = *parts_[f.first_part + k].part;
    money amount;
    if (part.share) {
      const auto* share = part.share->find(day);
      if (!share || !base) continue;
      amount = base->times(share->value, f.form->mode, f.form->unit);
    } else {
      const auto* flat = part.amount->find(day);
      if (!flat) continue;
      amount = flat->value;
    }
    out.push_back({amount, f.first_part + k});
  }
}

money payment_engine::payable_of(const std::vector<workspace::part_amount>& parts) const {
  money sum;
  for (const auto& part : parts)
    if (parts_[part.part].payer != none) sum += part.amount;
  return sum;
}

// The payable contribution of `f` on the fixed base `base_amount` (a subsidy "on a base").
money payment_engine::on_base(const item_plan& it, const formula_plan& f, money base_amount, date day,
                              workspace& w) const {
  no_trace quiet;
  const money base = bounded(f.form->base, base_amount, day, quiet);
  parts_of(f, base, day, w.scratch_);
  adjust(it, day, w.scratch_, quiet);
  return payable_of(w.scratch_);
}

// Takes `amount` off the payer parts, in proportion to each, exactly: each part gives up its
// share rounded down, and the sen left over come off the parts in order.
void payment_engine::take_from(std::vector<workspace::part_amount>& parts, money amount) const {
  const money payable = payable_of(parts);
  if (payable == money() || amount == money()) return;
  money taken;
  for (auto& part : parts) {
    if (parts_[part.part].payer == none) continue;
    const detail::int128 share = static_cast<detail::int128>(amount.minor_units()) * part.amount.minor_units() /
                                 payable.minor_units(); // at most part.amount, so it fits
    const money cut = money::from_minor_units(static_cast<std::int64_t>(share));
    part.amount -= cut;
    taken += cut;
  }
  money left = amount - taken;
  for (auto& part : parts) {
    if (parts_[part.part].payer == none || left == money()) continue;
    const money cut = std::min(left, part.amount);
    part.amount -= cut;
    left -= cut;
  }
}

void payment_engine::add_due(payment_amounts& out, const run_at& at, std::size_t programs, std::uint32_t program,
                             money amount) {
  // Added month by month, as the sums are: an overflow is a sum's, whatever the run's length.
  for (std::size_t m = at.first; m < at.end; ++m) {
    out.due[m * programs + program] += amount;
    out.due_total[program] += amount;
  }
}

void payment_engine::add_paid(payment_amounts& out, const run_at& at, std::size_t payers, std::uint32_t payer,
                              money amount) {
  for (std::size_t m = at.first; m < at.end; ++m) {
    out.paid[m * payers + payer] += amount;
    out.paid_total[payer] += amount;
    out.total += amount;
  }
}

} // namespace entitle
