// A part's totals and their merging into the whole roster's summary (batch_parts.hpp): the counts
// and sums of `batch_summary` that add up over the parts. The rest (the policy, its settings, the
// dates, the quotas' allocation) is the batch's and the plan's, the same for every part.
#include "batch_parts.hpp"
#include "part_wire.hpp"

namespace entitle::detail {

namespace {

constexpr std::string_view totals_kind = "entitle-part-totals/1";

// Each counter of a summary, in the order written.
template <class Summary, class F>
void each_count(Summary& s, F&& f) {
  for (auto* n : {&s.rows_read, &s.decided, &s.rejected, &s.blank_lines, &s.eligible, &s.ineligible, &s.undetermined,
                  &s.eligible_in_period, &s.eligible_later, &s.quoted_people, &s.incomplete})
    f(*n);
}
template <class Summary, class F>
void each_count_map(Summary& s, F&& f) {
  for (auto* m : {&s.ineligible_by_reason, &s.undetermined_by_fact, &s.undetermined_by_reason, &s.rejected_by_column})
    f(*m);
}
template <class Summary, class F>
void each_amounts(Summary& s, F&& f) {
  for (auto* v : {&s.due_by_program, &s.paid_by_payer, &s.quoted_by_program})
    f(*v);
  for (auto* by_month : {&s.due_by_month, &s.paid_by_month, &s.quoted_by_month})
    for (auto& v : *by_month)
      f(v);
}

void add_count(wire_reader& in, std::uint64_t& to) {
  const std::uint64_t n = in.number();
  if (to > UINT64_MAX - n) in.refuse("its counts are too large");
  to += n;
}

} // namespace

std::string batch_parts::write_totals(const batch& b, const batch_summary& sum, const part_run& run) {
  wire_writer w;
  w.text(totals_kind);
  w.text(shape(b));
  w.number(run.plan);
  w.number(run.index);
  w.number(run.parts);
  each_count(sum, [&](const std::uint64_t& n) { w.number(n); });
  each_count_map(sum, [&](const auto& m) {
    w.number(m.size());
    for (const auto& [key, n] : m) {
      w.text(key);
      w.number(n);
    }
  });
  each_amounts(sum, [&](const std::vector<money>& v) {
    for (const money m : v)
      w.amount(m);
  });
  w.amount(sum.total);
  w.amount(sum.quoted);
  for (const quota_fill& q : sum.quotas)
    w.number(q.funded_months);
  return std::move(w).take();
}

batch_summary batch_parts::merge(const batch& b, const part_plan& plan, std::span<const std::string_view> totals) {
  batch_summary sum = summary_head(b);
  sum.quotas = plan.quotas;
  const std::size_t months = static_cast<std::size_t>(sum.period.size());
  sum.due_by_program.assign(sum.programs.size(), money());
  sum.quoted_by_program.assign(sum.programs.size(), money());
  sum.paid_by_payer.assign(sum.payers.size(), money());
  sum.due_by_month.assign(months, std::vector<money>(sum.programs.size()));
  sum.quoted_by_month.assign(months, std::vector<money>(sum.programs.size()));
  sum.paid_by_month.assign(months, std::vector<money>(sum.payers.size()));
  if (totals.size() != plan.placements.size())
    throw error(errc::invalid_syntax, "the totals of " + std::to_string(totals.size()) + " parts were given for " +
                                          std::to_string(plan.placements.size()) + " planned");
  const std::string shape_text = shape(b);
  for (std::size_t k = 0; k < totals.size(); ++k) {
    wire_reader in(totals[k], "the totals of part " + std::to_string(k));
    in.expect(totals_kind, shape_text);
    if (in.number() != plan.id) in.refuse("they are of a run under another plan");
    const std::uint64_t index = in.number();
    if (index != k)
      in.refuse("they are part " + std::to_string(index) + "'s; give each part's totals in the parts' order");
    if (in.number() != totals.size()) in.refuse("they are of a run in another number of parts");
    each_count(sum, [&](std::uint64_t& n) { add_count(in, n); });
    each_count_map(sum, [&](auto& m) {
      for (std::uint64_t n = in.count(16); n > 0; --n) {
        auto at = m.emplace(std::string(in.text()), 0).first;
        add_count(in, at->second);
      }
    });
    summing([&] {
      each_amounts(sum, [&](std::vector<money>& v) {
        for (money& m : v)
          m += in.amount();
      });
      sum.total += in.amount();
      sum.quoted += in.amount();
    });
    for (quota_fill& q : sum.quotas)
      add_count(in, q.funded_months);
    in.finish();
  }
  return sum;
}

} // namespace entitle::detail
