// The payment engine's compilation and the parts of its evaluation that need no tracer.
#include <entitle/eval/payment_engine.hpp>

#include <entitle/rules/facts_read.hpp>

#include <entitle/core/detail/arithmetic.hpp>

namespace entitle {

namespace detail {

std::vector<std::pair<std::size_t, derivation>> date_inputs(const bound_rules& rules, std::uint32_t r) {
  std::vector<std::pair<std::size_t, derivation>> out;
  for_each_fact_tested(rules, std::span(&r, 1), [&](std::size_t slot, derivation how) {
    const bool dated = how == derivation::age_in_years || how == derivation::months_since;
    if (dated && std::find(out.begin(), out.end(), std::pair(slot, how)) == out.end()) out.emplace_back(slot, how);
  });
  return out;
}

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
  reads_ |= facts_read(rules_, std::span(&rule, 1));
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
        auto read = [&](std::size_t slot, derivation) { reads_.set(slot); };
        fp.base_slot = b.base_slot[prog][f];
        if (fp.base_slot) for_each_fact_of_value(rules_, *fp.base_slot, derivation::value, read);
        fp.first_part = static_cast<std::uint32_t>(parts_.size());
        for (std::size_t k = 0; k < form.parts.size(); ++k) {
          const contribution_part& part = form.parts[k];
          std::uint32_t payer = none;
          if (part.recomposed_from.empty()) {
            const auto role = enrol.roles.find(part.payer);
            payer = add_payer(role == enrol.roles.end() ? part.payer : role->second);
          }
          std::vector<std::uint32_t> derived;
          for (const std::size_t slot : b.derived_slot[prog][f][k]) {
            for_each_fact_of_value(rules_, slot, derivation::value, read);
            derived.push_back(static_cast<std::uint32_t>(slot));
          }
          parts_.push_back({&part, payer, static_cast<std::uint32_t>(k), std::move(derived)});
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

payment_engine::workspace::workspace(const payment_engine& engine)
    : decided_(engine.rule_slots_.size()), known_(engine.rule_slots_.size(), 0), inputs_(engine.max_inputs_),
      granted_(engine.subsidies_.size()), derived_(engine.parts_.size()) {
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
                             bool quoting, payment_amounts& out) {
  const std::size_t months = s.months();
  // Every month is in exactly one run, whose `begin_run` and `end_run` write each of its months.
  out.due.resize(months * programs);
  out.paid.resize(months * payers);
  out.due_total.assign(programs, money());
  out.paid_total.assign(payers, money());
  out.granted.assign(subsidies, money());
  out.granted_months.assign(subsidies, 0);
  if (quoting)
    out.quoted.resize(months * programs);
  else
    out.quoted.clear();
  out.quoted_total.assign(programs, money());
  out.quoted_sum = money();
  out.total = money();
  out.complete = true;
}

void payment_engine::parts_of(const formula_plan& f, std::optional<money> base, const run_at& at,
                              const std::vector<std::int64_t>& derived,
                              std::vector<workspace::part_amount>& out) const {
  out.clear();
  for (std::uint32_t k = f.first_part; k < f.first_part + f.part_count; ++k) {
    const schedule::part_figure& fig = at.parts[k];
    const contribution_part& part = *parts_[k].part;
    money amount;
    if (fig.derived != none && part.share_of) { // the person's own rate, read by `derived_of` for this run
      if (!base) continue;
      amount = base->times(rate::from_parts(derived[k]), f.form->mode, f.form->unit);
    } else if (fig.derived != none) { // the person's own amount
      amount = money::from_minor_units(derived[k]);
    } else if (fig.share) {
      if (!base) continue;
      amount = base->times(fig.share->value, f.form->mode, f.form->unit);
    } else if (fig.amount) {
      amount = fig.amount->value;
    } else {
      continue;
    }
    out.push_back({amount, k, parts_[k].payer});
  }
}

money payment_engine::payable_of(const std::vector<workspace::part_amount>& parts) {
  money sum;
  for (const auto& part : parts)
    if (part.payer != none) sum += part.amount;
  return sum;
}

// The payable contribution of `f` on the fixed base `base_amount` (a subsidy "on a base").
money payment_engine::on_base(const item_plan& it, const formula_plan& f, money base_amount, const run_at& at,
                              workspace& w) const {
  no_trace quiet;
  const money base = bounded(at.bases[&f - formulas_.data()], f.form->base.brackets, base_amount, quiet);
  parts_of(f, base, at, w.derived_, w.scratch_);
  adjust(it, at, w.scratch_, quiet);
  return payable_of(w.scratch_);
}

// Takes `amount` off the payer parts, in proportion to each, exactly: each part gives up its
// share rounded down, and the sen left over come off the parts in order.
void payment_engine::take_from(std::vector<workspace::part_amount>& parts, money amount) {
  const money payable = payable_of(parts);
  if (payable == money() || amount == money()) return;
  money taken;
  for (auto& part : parts) {
    if (part.payer == none) continue;
    const detail::int128 share = static_cast<detail::int128>(amount.minor_units()) * part.amount.minor_units() /
                                 payable.minor_units(); // at most part.amount, so it fits
    const money cut = money::from_minor_units(static_cast<std::int64_t>(share));
    part.amount -= cut;
    taken += cut;
  }
  money left = amount - taken;
  for (auto& part : parts) {
    if (part.payer == none || left == money()) continue;
    const money cut = std::min(left, part.amount);
    part.amount -= cut;
    left -= cut;
  }
}

// A run adds up one month, its first, in `out`: that month's row starts empty.
void payment_engine::begin_run(const run_at& at, workspace& w, payment_amounts& out) {
  const std::size_t programs = out.due_total.size(), payers = out.paid_total.size();
  std::fill_n(out.due.begin() + static_cast<std::ptrdiff_t>(at.first * programs), programs, money());
  std::fill_n(out.paid.begin() + static_cast<std::ptrdiff_t>(at.first * payers), payers, money());
  if (!out.quoted.empty())
    std::fill_n(out.quoted.begin() + static_cast<std::ptrdiff_t>(at.first * programs), programs, money());
  std::fill(w.granted_.begin(), w.granted_.end(), money());
}

namespace {

// `amount` for each of `months` months, added up: a sum of months, so it overflows as that sum
// would, with the same message.
money over_months(money amount, std::size_t months) {
  return money::from_minor_units(
      detail::checked_mul(amount.minor_units(), static_cast<std::int64_t>(months), "money sum"));
}

// Copies the row of `width` at `first` to each row up to `end`: one forward pass, each row
// read from the one before.
void repeat_row(std::vector<money>& rows, std::size_t width, std::size_t first, std::size_t end) {
  money* const base = rows.data() + first * width;
  const std::size_t count = (end - first - 1) * width;
  for (std::size_t i = 0; i < count; ++i)
    base[width + i] = base[i];
}

} // namespace

// The run's first month copied into each of its months, and added to the totals once,
// multiplied by the run's length.
void payment_engine::end_run(const run_at& at, workspace& w, payment_amounts& out) {
  const std::size_t programs = out.due_total.size(), payers = out.paid_total.size(), length = at.end - at.first;
  const money* const due = out.due.data() + at.first * programs;
  const money* const paid = out.paid.data() + at.first * payers;
  money month_total;
  for (std::size_t k = 0; k < programs; ++k)
    out.due_total[k] += over_months(due[k], length);
  if (!out.quoted.empty()) { // something was denied
    const money* const quoted = out.quoted.data() + at.first * programs;
    money month_quoted;
    for (std::size_t k = 0; k < programs; ++k) {
      out.quoted_total[k] += over_months(quoted[k], length);
      month_quoted += quoted[k];
    }
    out.quoted_sum += over_months(month_quoted, length);
    repeat_row(out.quoted, programs, at.first, at.end);
  }
  for (std::size_t k = 0; k < payers; ++k) {
    out.paid_total[k] += over_months(paid[k], length);
    month_total += paid[k];
  }
  out.total += over_months(month_total, length);
  for (std::size_t k = 0; k < w.granted_.size(); ++k) {
    out.granted[k] += over_months(w.granted_[k], length);
    if (w.granted_[k] != money()) out.granted_months[k] += static_cast<std::uint32_t>(length);
  }
  repeat_row(out.due, programs, at.first, at.end);
  repeat_row(out.paid, payers, at.first, at.end);
}

} // namespace entitle
