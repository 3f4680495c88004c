// The emit stage of a batch run (batch_stages.hpp): rows handed out in roster order, from what the
// scan kept or from a second read, and the batch's sums.
#include "batch_stages.hpp"

#include "chunk_pipeline.hpp"

#include <algorithm>

namespace entitle::detail {

namespace {

std::string too_large_reason(std::string_view why) {
  return "the contributions of this row are too large to count: " + std::string(why);
}

template <class Map>
void count_in(Map& counts, std::string_view key) {
  auto at = counts.find(key);
  if (at == counts.end()) at = counts.emplace(key, 0).first;
  ++at->second;
}

} // namespace

row_emitter::row_emitter(const batch& b, const candidate_book& book, batch_summary& sum,
                         const batch::row_handler& on_row, const batch::reject_handler& on_reject)
    : batch_(b), book_(book), sum_(sum), on_row_(on_row), on_reject_(on_reject), no_places_(book.capped),
      shown_(b.columns().size()) {}

void row_emitter::reject(const rejected_row& rejected) {
  ++sum_.rows_read;
  if (batch_.options().strict) throw strict_error(rejected.line, failure(errc::overflow, rejected.reason));
  ++sum_.rejected;
  ++sum_.rejected_by_column[rejected.column];
  if (on_reject_) on_reject_(rejected);
}

unsigned row_emitter::waitlisted_bits(std::size_t candidate) const {
  unsigned bits = 0;
  if (candidate != npos)
    for (std::size_t q = 0; q < book_.capped; ++q)
      if (book_.place[candidate * book_.capped + q].status == quota_status::waitlisted) bits |= 1U << q;
  return bits;
}

void row_emitter::count_status(const decision& d) {
  const compiled_policy& policy = batch_.policy();
  switch (d.outcome) {
  case status::eligible: ++sum_.eligible; break;
  case status::ineligible:
    ++sum_.ineligible;
    count_in(sum_.ineligible_by_reason, policy.first_reason(d));
    break;
  case status::undetermined:
    ++sum_.undetermined;
    if (const std::string_view reason = policy.first_reason(d); !reason.empty())
      count_in(sum_.undetermined_by_reason, reason);
    for (const auto name : policy.missing_facts(d))
      count_in(sum_.undetermined_by_fact, name);
    break;
  }
}

void row_emitter::decided(std::size_t line, std::string_view id, const decision& d, std::size_t rule,
                          const months_met& met, const amounts& a, std::size_t candidate) {
  ++sum_.rows_read;
  ++sum_.decided;
  if (met.count != 0) {
    ++sum_.eligible_in_period;
    if (d.outcome != status::eligible) ++sum_.eligible_later;
  }
  count_status(d);
  const batch_options& options = batch_.options();
  const std::vector<output_column>& columns = batch_.columns();
  batch_row out;
  out.line = line;
  out.id = id;
  out.outcome = d;
  out.rule = options.rules[rule];
  out.eligible_from = met.first;
  out.eligible_months = met.count;
  out.due = a.due_total;
  out.paid = a.paid_total;
  out.total = a.total;
  out.quoted = a.quoted_sum;
  out.complete = a.complete;
  out.quotas = candidate == npos
                   ? std::span<const quota_place>(no_places_)
                   : std::span<const quota_place>(book_.place).subspan(candidate * book_.capped, book_.capped);
  out.funded_months = a.grant_months;
  for (std::size_t k = 0; k < columns.size(); ++k)
    if (columns[k].what == output_column::kind::period)
      shown_[k] = period_column_value(columns[k].over, a, options.period);
  out.values = shown_;
  for (std::size_t q = 0; q < book_.capped; ++q)
    if (out.quotas[q].status == quota_status::funded) sum_.quotas[q].funded_months += a.grant_months[q];
  if (on_row_) on_row_(out);
}

std::vector<costing> batch_stages::emit(scanned& found, row_emitter& out) {
  return found.kept ? emit_kept(found, out) : emit_read_again(found, out);
}

// From the rows kept by the scan: no second read.
std::vector<costing> batch_stages::emit_kept(scanned& found, row_emitter& out) const {
  kept_read& kept = *found.kept;
  const candidate_book& book = found.book;
  std::size_t candidate = 0;
  std::size_t next_aside = 0;
  for (std::size_t seq = 0; seq < kept.rows.size(); ++seq) {
    set_aside* whole =
        next_aside < kept.aside.size() && kept.aside[next_aside].seq == seq ? &kept.aside[next_aside++] : nullptr;
    const kept_row& k = kept.rows[seq];
    if (!k.decided) {
      out.reject(whole->row);
      continue;
    }
    while (candidate < book.size() && book.row[candidate] < seq)
      ++candidate;
    const std::size_t c = candidate < book.size() && book.row[candidate] == seq ? candidate : npos;
    const unsigned waitlisted = out.waitlisted_bits(c);
    costing::entry* paid = c == npos ? k.paid : book.amounts_by_outcome[c * outcomes_ + waitlisted];
    if (!paid) {
      whole->row.reason = too_large_reason(whole->too_large[waitlisted]);
      out.reject(whole->row);
      continue;
    }
    ++paid->people; // added to the sums by `costing`
    kept.shown.get(seq, out.shown());
    out.decided(found.ids.line(seq), found.ids.id(seq), k.decided->outcome, k.decided->rule, k.decided->met, paid->paid,
                c);
  }
  return std::move(kept.costs);
}

// A second read: decide, cost with the quota outcomes, hand out in roster order.
std::vector<costing> batch_stages::emit_read_again(scanned& found, row_emitter& out) {
  std::vector<costing> costs;
  for (unsigned t = 0; t < slots_; ++t)
    costs.emplace_back(plan_, options_.period, true, false);
  const candidate_book& book = found.book;
  const duplicate_ids& duplicates = found.duplicates;
  const std::string id_column = source_.id_column();
  source_.rewind();
  std::size_t seq = 0;
  std::size_t cursor = 0;
  auto read = [&](unsigned b) {
    const std::size_t n = read_chunk(b, seq);
    for (std::size_t i = 0; i < n; ++i) { // the candidates among the rows, by their place
      row_work& w = works_[b][i];
      while (cursor < book.size() && book.row[cursor] < w.seq)
        ++cursor;
      if (cursor < book.size() && book.row[cursor] == w.seq) w.candidate = cursor;
    }
    return n;
  };
  auto decide = [&](unsigned b, std::size_t begin, std::size_t end, unsigned t) {
    for (std::size_t i = begin; i < end; ++i) {
      parse_row(b, i, t);
      row_work& w = works_[b][i];
      if (!w.readable) continue;
      const roster_row& row = chunks_[b][i];
      w.duplicate = !duplicates.empty() && duplicates.find(row.id) != duplicates.end();
      if (w.duplicate) continue;
      const auto facts = row.facts.facts();
      w.rule = decide_row(facts, w.outcome, w.met);
      try {
        w.paid = &costs[t].of(facts, out.waitlisted_bits(w.candidate));
      } catch (const error& e) {
        if (e.code() != errc::overflow) throw;
        w.overflow = e.details().message;
      }
    }
  };
  auto emit_chunk = [&](unsigned b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const roster_row& row = chunks_[b][i];
      const row_work& w = works_[b][i];
      if (!w.readable) {
        out.reject(rejected_row{row.line, row.id, row.problem->location, row.problem->message, row.text});
      } else if (w.duplicate) {
        out.reject(rejected_row{row.line, row.id, id_column, duplicates.find(row.id)->second.reason, row.text});
      } else if (!w.overflow.empty()) {
        out.reject(rejected_row{row.line, row.id, {}, too_large_reason(w.overflow), row.text});
      } else {
        const std::vector<output_column>& columns = batch_.columns();
        for (std::size_t k = 0; k < columns.size(); ++k)
          out.shown()[k] = column_value(columns[k], policy_.rules(), row.facts.facts(), options_.as_of);
        out.decided(row.line, row.id, w.outcome, w.rule, w.met, *w.paid, w.candidate);
      }
    }
    summing([&] { // the amounts of this chunk are counted, and their memory reused
      for (unsigned t = b * threads_; t < (b + 1) * threads_; ++t)
        costs[t].trim();
    });
  };
  detail::pipeline(threads_, read, decide, emit_chunk, [] {});
  return costs;
}

batch_summary summary_head(const batch& b) {
  batch_summary sum;
  sum.policy = b.policy().source().id;
  sum.settings = b.policy().settings();
  sum.rules = b.options().rules;
  sum.as_of = b.options().as_of;
  sum.period = b.options().period;
  sum.programs = b.programs();
  sum.payers = b.payers();
  return sum;
}

void add_sums(batch_summary& sum, std::vector<costing>& costs) {
  const std::size_t months = static_cast<std::size_t>(sum.period.size());
  const std::size_t programs = sum.programs.size();
  const std::size_t payers = sum.payers.size();
  totals all(months, programs, payers);
  summing([&] {
    for (auto& c : costs)
      all.add(c.sums());
  });
  sum.due_by_month.assign(months, std::vector<money>(programs));
  sum.paid_by_month.assign(months, std::vector<money>(payers));
  sum.quoted_by_month.assign(months, std::vector<money>(programs));
  for (std::size_t m = 0; m < months; ++m) {
    for (std::size_t k = 0; k < programs; ++k)
      sum.due_by_month[m][k] = all.due[m * programs + k];
    for (std::size_t k = 0; k < payers; ++k)
      sum.paid_by_month[m][k] = all.paid[m * payers + k];
    for (std::size_t k = 0; k < programs; ++k)
      sum.quoted_by_month[m][k] = all.quoted[m * programs + k];
  }
  sum.due_by_program = all.due_total;
  sum.paid_by_payer = all.paid_total;
  sum.total = all.total;
  sum.quoted_by_program = all.quoted_total;
  sum.quoted = all.quoted_sum;
  sum.quoted_people = all.quoted_people;
  sum.incomplete = all.incomplete;
}

} // namespace entitle::detail
