// A payment engine's schedule: the months of a range cut into segments where a figure, an
// adjustment or a subsidy window changes, with every figure resolved once per segment.
#include <entitle/eval/payment_engine.hpp>

namespace entitle {

namespace {

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

template <class T>
const typename dated<T>::entry* in_force(const std::optional<dated<T>>& value, date day) {
  return value ? value->find(day) : nullptr;
}

} // namespace

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
    mark_dated(changes, range, base.fixed);
    mark_dated(changes, range, base.floor);
    mark_dated(changes, range, base.ceiling);
    for (const contribution_part& part : f.form->parts) {
      mark_dated(changes, range, part.share);
      mark_dated(changes, range, part.amount);
      mark_dated(changes, range, part.derived());
    }
  }
  for (const adjustment& adj : policy_.adjustments)
    mark_dated(changes, range, adj.factor);
  for (const subsidy_plan& s : subsidies_) {
    mark(changes, range, s.source->window.first());
    if (s.source->window.last() < range.last()) mark(changes, range, s.source->window.last().next());
  }
  resolve(out);
  return out;
}

// Each segment's figures, read on its first day: the same all through it, since a segment ends
// wherever one of them changes.
void payment_engine::resolve(schedule& s) const {
  for (std::size_t m = 0; m < s.months(); ++m) {
    if (m == 0 || s.changes_[m]) s.segment_first_.push_back(static_cast<std::uint32_t>(m));
    s.segment_.push_back(static_cast<std::uint32_t>(s.segment_first_.size() - 1));
  }
  for (const std::uint32_t first : s.segment_first_) {
    const date day = s.first_days_[first];
    for (const formula_plan& f : formulas_) {
      const contribution_base& base = f.form->base;
      s.bases_.push_back({in_force(base.fixed, day), in_force(base.floor, day), in_force(base.ceiling, day)});
    }
    for (const part_plan& p : parts_) {
      const auto* derived = in_force(p.part->derived(), day);
      const auto entry = derived ? static_cast<std::size_t>(derived - p.part->derived()->history().data()) : 0;
      s.parts_.push_back(
          {in_force(p.part->share, day), in_force(p.part->amount, day), derived, derived ? p.derived[entry] : none});
    }
    for (const adjustment& adj : policy_.adjustments)
      s.factors_.push_back(adj.factor.find(day));
    for (const subsidy_plan& sub : subsidies_)
      s.windows_.push_back(sub.source->window.contains(s.months_[first]) ? 1 : 0);
  }
}

payment_engine::run_at payment_engine::run_of(const schedule& s, std::size_t first, std::size_t end) const {
  const std::size_t segment = s.segment_[first];
  return {first,
          end,
          s.months_[first],
          s.first_days_[first],
          s.bases_.data() + segment * formulas_.size(),
          s.parts_.data() + segment * parts_.size(),
          s.factors_.data() + segment * policy_.adjustments.size(),
          s.windows_.data() + segment * subsidies_.size()};
}

} // namespace entitle
