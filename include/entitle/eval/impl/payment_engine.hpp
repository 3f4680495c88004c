#pragma once

// The evaluation of `payment_engine`: templates over the tracer, so that evaluation without one
// compiles to the amounts alone. Every text a tracer receives is built inside
// `if constexpr (Tracer::enabled)`.

namespace entitle {

template <class Tracer>
void payment_engine::evaluate(std::span<const fact_value> facts, const schedule& s,
                              std::span<const std::uint32_t> denied, workspace& w, payment_amounts& out,
                              Tracer& trace) const {
  prepare(s, program_names_.size(), payer_names_.size(), subsidies_.size(), !denied.empty(), out);
  std::fill(w.known_.begin(), w.known_.end(), 0);
  cut_runs(facts, s, w);
  const std::size_t months = s.months();
  for (std::size_t first = 0; first < months;) {
    std::size_t end = first + 1;
    while (end < months && !w.cuts_[end])
      ++end;
    for (const std::uint32_t slot : dated_slots_)
      w.known_[slot] = 0;
    const run_at at = run_of(s, first, end);
    begin_run(at, w, out);
    run(facts, at, denied, w, out, trace);
    end_run(at, w, out);
    if constexpr (Tracer::enabled) trace.end_run(first, end);
    first = end;
  }
}

template <class Tracer>
void payment_engine::run(std::span<const fact_value> facts, const run_at& at, std::span<const std::uint32_t> denied,
                         workspace& w, payment_amounts& out, Tracer& trace) const {
  for (const enrolment_plan& e : enrolments_) {
    const decision who = decide(e.rule, facts, at.day, w);
    if (who.result == verdict::no) continue;
    for (std::uint32_t i = 0; i < e.item_count; ++i)
      item(facts, e, items_[e.first_item + i], who, at, denied, w, out, trace);
  }
}

template <class Tracer>
void payment_engine::item(std::span<const fact_value> facts, const enrolment_plan& e, const item_plan& it,
                          const decision& who, const run_at& at, std::span<const std::uint32_t> denied, workspace& w,
                          payment_amounts& out, Tracer& trace) const {
  if constexpr (Tracer::enabled) trace.begin_item(*e.source, policy_.programs[it.program]);
  if (who.result == verdict::unknown) {
    out.complete = false;
    if constexpr (Tracer::enabled) {
      trace.missing(who);
      trace.note("whether the enrolment rule " + detail::quoted(e.source->who) + " holds is not known");
    }
    return;
  }
  bool unknown = false;
  const formula_plan* chosen = choose(facts, it, at, w, trace, unknown);
  if (unknown) {
    out.complete = false;
    return;
  }
  if (!chosen) {
    if constexpr (Tracer::enabled) trace.drop_item();
    return;
  }
  std::optional<money> base;
  const bool base_known = base_of(facts, e, *chosen, at, base, trace);
  if (!derived_of(facts, *chosen, at, w, trace) || !base_known) { // every missing fact named
    out.complete = false;
    return;
  }
  parts_of(*chosen, base, at, w.derived_, w.parts_);
  if (w.parts_.empty()) { // nothing of this program is in force this month
    if constexpr (Tracer::enabled) trace.drop_item();
    return;
  }
  adjust(it, at, w.parts_, trace);
  money due;
  for (const auto& part : w.parts_)
    due += part.amount;
  if constexpr (Tracer::enabled) trace.due(due);
  const std::size_t at_item = at.first * program_names_.size() + it.reported;
  bool turned_away = false;
  const money granted = subsidize(facts, it, *chosen, at, denied, w, out, trace, turned_away);
  if (turned_away && granted != due) {
    // A subsidy that would have paid was denied, and what the others left is nobody's to pay.
    out.due[at_item] += granted;
    out.quoted[at_item] += due - granted;
    if constexpr (Tracer::enabled) trace.quoted(due - granted);
    return;
  }
  out.due[at_item] += due;
  pay_parts(facts, e, it, *chosen, at, w, out, trace);
}

// The base of `f` for this run: the enrolment's own, the person's fact or the fixed base, bounded;
// none when the formula has none in force. False when the person's base fact is missing.
template <class Tracer>
bool payment_engine::base_of(std::span<const fact_value> facts, const enrolment_plan& e, const formula_plan& f,
                             const run_at& at, std::optional<money>& base, Tracer& trace) const {
  const schedule::base_figures& fig = at.bases[&f - formulas_.data()];
  const std::vector<money>& brackets = f.form->base.brackets;
  if (e.source->base) {
    base = bounded(fig, brackets, *e.source->base, trace);
  } else if (f.base_slot) {
    const fact_value fact = detail::value_in(rules_, facts, *f.base_slot);
    if (!fact.present) {
      if constexpr (Tracer::enabled) {
        fact_set missing;
        detail::evaluator(rules_, facts, at.day).missing_in_value(*f.base_slot, missing);
        for (std::size_t slot = 0; slot < rules_.facts.size(); ++slot)
          if (missing.test(slot)) trace.missing_fact(slot);
      }
      return false;
    }
    base = bounded(fig, brackets, money::from_minor_units(fact.number), trace);
  } else if (fig.fixed) {
    base = bounded(fig, brackets, fig.fixed->value, trace);
  }
  return true;
}

// The figures of the `share_of` and `amount_of` parts of `f` in force in this run, into
// `w.derived_`: the person's derived values, which do not read the date. False when one has no
// value (a fact it reads is missing, or a table has no row for the person), or is a share outside
// 0% to 100% or an amount below Rp0: then the amount is not known, as when the base fact is
// missing.
template <class Tracer>
bool payment_engine::derived_of(std::span<const fact_value> facts, const formula_plan& f,
                                [[maybe_unused]] const run_at& at, workspace& w, Tracer& trace) const {
  bool known = true;
  for (std::uint32_t k = f.first_part; k < f.first_part + f.part_count; ++k) {
    const std::uint32_t slot = at.parts[k].derived;
    if (slot == none) continue;
    const bool is_share = parts_[k].part->share_of.has_value();
    const fact_value value = detail::value_in(rules_, facts, slot);
    const bool in_range = is_share ? rate::from_parts(value.number).is_share() : value.number >= 0;
    if (value.present && in_range) {
      w.derived_[k] = value.number;
      continue;
    }
    known = false;
    if constexpr (Tracer::enabled) {
      fact_set missing;
      detail::evaluator(rules_, facts, at.day).missing_in_value(slot, missing);
      for (std::size_t fact = 0; fact < rules_.facts.size(); ++fact)
        if (missing.test(fact)) trace.missing_fact(fact);
      std::string citation;
      const std::string source =
          detail::derived_source(rules_, detail::evaluator(rules_, facts, at.day), slot, citation);
      const std::string figure = is_share ? to_string(rate::from_parts(value.number))
                                          : to_rupiah_string(money::from_minor_units(value.number));
      trace.undetermined(std::string(is_share ? "the share of part " : "the amount of part ") +
                         std::to_string(parts_[k].index) +
                         (!value.present ? std::string(" has no value")
                          : is_share     ? " is " + figure + ", not a share between 0% and 100%"
                                         : " is " + figure + ", below Rp0") +
                         ": " + source);
    }
  }
  return known;
}

// What each payer part costs its payer this month, after the subsidies.
template <class Tracer>
void payment_engine::pay_parts([[maybe_unused]] std::span<const fact_value> facts, const enrolment_plan& e,
                               const item_plan& it, const formula_plan& f, const run_at& at, workspace& w,
                               payment_amounts& out, Tracer& trace) const {
  money* const paid = out.paid.data() + at.first * payer_names_.size(); // the run's first month
  for (const auto& part : w.parts_) {
    if (part.amount == money()) continue;
    if (part.payer != none) paid[part.payer] += part.amount;
    if constexpr (Tracer::enabled) {
      const part_plan& plan = parts_[part.part];
      const bool recomposed = part.payer == none;
      const std::string source = policy_.programs[it.program].id + "/" + e.source->category + " formula " +
                                 std::to_string(f.index) + ", part " + std::to_string(plan.index);
      const schedule::part_figure& fig = at.parts[part.part];
      std::string citation, note;
      if (fig.derived != none) { // the figure used, and the derived value (and table row) it came from
        note = (plan.part->share_of ? "share " + to_string(rate::from_parts(w.derived_[part.part]))
                                    : "amount " + to_rupiah_string(money::from_minor_units(w.derived_[part.part]))) +
               " from " +
               detail::derived_source(rules_, detail::evaluator(rules_, facts, at.day), fig.derived, citation);
        if (citation.empty()) citation = fig.derived_entry->citation;
      } else {
        citation = fig.share ? fig.share->citation : fig.amount->citation;
      }
      trace.line(payment_line{recomposed ? payment_line::kind::recomposed : payment_line::kind::payer,
                              recomposed ? plan.part->recomposed_from : payer_names_[part.payer], part.amount, source,
                              std::move(citation), std::move(note)});
    }
  }
}

// The first formula of the category whose rule is yes; null when none is, with `unknown` set when
// a rule before the one chosen is not known.
template <class Tracer>
const payment_engine::formula_plan* payment_engine::choose(std::span<const fact_value> facts, const item_plan& it,
                                                           const run_at& at, workspace& w, Tracer& trace,
                                                           bool& unknown) const {
  for (std::uint32_t f = 0; f < it.formula_count; ++f) {
    const formula_plan& plan = formulas_[it.first_formula + f];
    if (plan.rule != none) {
      const decision& d = decide(plan.rule, facts, at.day, w);
      if (d.result == verdict::unknown) {
        unknown = true;
        if constexpr (Tracer::enabled) {
          trace.missing(d);
          trace.note("whether the formula rule " + detail::quoted(plan.form->when) + " holds is not known");
        }
        return nullptr;
      }
      if (d.result == verdict::no) continue;
    }
    return &plan;
  }
  return nullptr;
}

// `value` within the base's floor, ceiling and brackets in force in the run.
template <class Tracer>
money payment_engine::bounded(const schedule::base_figures& fig, const std::vector<money>& brackets, money value,
                              Tracer& trace) {
  if (fig.floor && value < fig.floor->value) {
    if constexpr (Tracer::enabled)
      trace.note("base raised to the floor " + to_rupiah_string(fig.floor->value) + " (" + fig.floor->citation + ")");
    value = fig.floor->value;
  }
  if (fig.ceiling && fig.ceiling->value < value) {
    if constexpr (Tracer::enabled)
      trace.note("base capped at " + to_rupiah_string(fig.ceiling->value) + " (" + fig.ceiling->citation + ")");
    value = fig.ceiling->value;
  }
  if (!brackets.empty()) {
    money level = brackets.front();
    for (const money b : brackets)
      if (b <= value) level = b;
    if constexpr (Tracer::enabled)
      if (level != value) trace.note("base taken at the bracket " + to_rupiah_string(level));
    value = level;
  }
  return value;
}

template <class Tracer>
void payment_engine::adjust(const item_plan& it, const run_at& at, std::vector<workspace::part_amount>& parts,
                            Tracer& trace) const {
  for (std::uint32_t k = 0; k < it.adjustment_count; ++k) {
    const std::uint32_t a = adjustment_list_[it.first_adjustment + k];
    const auto* factor = at.factors[a];
    if (!factor) continue;
    const adjustment& adj = policy_.adjustments[a];
    for (auto& part : parts)
      part.amount = part.amount.times(factor->value, adj.mode, adj.unit);
    if constexpr (Tracer::enabled)
      trace.note("adjustment " + adj.id + ": " + to_string(factor->value) + " of the normal amount (" +
                 factor->citation + ")");
  }
}

// The subsidies of the item in the order they apply, each paying its share of what remains;
// returns what they pay. `turned_away`: one of `denied` would have paid.
template <class Tracer>
money payment_engine::subsidize(std::span<const fact_value> facts, const item_plan& it, const formula_plan& f,
                                const run_at& at, std::span<const std::uint32_t> denied, workspace& w,
                                payment_amounts& out, Tracer& trace, bool& turned_away) const {
  const money payable = payable_of(w.parts_); // before subsidies
  money remaining = payable;
  [[maybe_unused]] std::string earlier; // the subsidies that paid before, for a tracer's notes
  for (std::uint32_t k = 0; k < it.subsidy_count; ++k) {
    const std::uint32_t s = subsidy_list_[it.first_subsidy + k];
    const subsidy_plan& plan = subsidies_[s];
    const subsidy& sub = *plan.source;
    if (!at.windows[s]) continue;
    const decision& d = decide(plan.rule, facts, at.day, w);
    if (d.result == verdict::no) continue;
    if (!denied.empty() && std::find(denied.begin(), denied.end(), s) != denied.end()) {
      turned_away = true;
      if constexpr (Tracer::enabled) trace.denied(s);
      continue;
    }
    if (d.result == verdict::unknown) {
      out.complete = false;
      if constexpr (Tracer::enabled) {
        trace.missing(d);
        trace.note("whether the subsidy " + sub.id + " applies is not known");
      }
      continue;
    }
    money claim;
    switch (sub.share.how) {
    case subsidy_share::kind::percent: claim = payable.times(sub.share.percent, f.form->mode, f.form->unit); break;
    case subsidy_share::kind::amount: claim = sub.share.amount; break;
    case subsidy_share::kind::on_base: claim = on_base(it, f, sub.share.amount, at, w); break;
    }
    const money granted = std::min(claim, remaining);
    take_from(w.parts_, granted);
    remaining -= granted;
    out.paid[at.first * payer_names_.size() + plan.payer] += granted;
    w.granted_[s] += granted;
    if constexpr (Tracer::enabled) {
      payment_line line{payment_line::kind::subsidy, sub.payer, granted, "subsidy " + sub.id, sub.citation, {}};
      if (granted < claim)
        line.note = "claims " + to_rupiah_string(claim) + "; only " + to_rupiah_string(granted) + " remained" +
                    (earlier.empty() ? std::string() : " after " + earlier);
      if (granted != money() || !line.note.empty()) trace.line(std::move(line));
      earlier += (earlier.empty() ? "" : ", ") + sub.id;
    }
  }
  return payable - remaining;
}

} // namespace entitle
