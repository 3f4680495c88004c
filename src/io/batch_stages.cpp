// The scan and allocate stages of a batch run (batch_stages.hpp).
#include "batch_stages.hpp"

#include "chunk_pipeline.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <new>

namespace entitle::detail {

std::size_t decide_status(const bound_rules& rules, const std::vector<std::uint32_t>& status_rules,
                          std::span<const fact_value> facts, date as_of, decision& outcome) {
  std::optional<std::size_t> unknown;
  for (std::size_t r = 0; r < status_rules.size(); ++r) {
    const decision d = entitle::decide(rules, status_rules[r], facts, as_of);
    if (d.result == verdict::yes) {
      outcome = d;
      return r;
    }
    if (r == 0 || (!unknown && d.result == verdict::unknown)) outcome = d;
    if (!unknown && d.result == verdict::unknown) unknown = r;
  }
  return unknown.value_or(0);
}

error strict_error(std::size_t line, const failure& why) {
  failure f = why;
  f.location =
      "line " + std::to_string(line) + (why.location.empty() ? "" : ", column " + detail::escaped(why.location));
  return error(std::move(f));
}

kept_read::kept_read(const batch_plan& plan, const batch& b, unsigned slots)
    : decisions(slots), shown(b.columns(), b.policy().rules(), b.options().as_of) {
  for (unsigned t = 0; t < slots; ++t)
    costs.emplace_back(plan, b.options().period, true, true);
}

void kept_read::add_unreadable(std::size_t seq, const roster_row& row) {
  rows.push_back({});
  shown.add({});
  aside_bytes += row.text.size() + row.id.size() + row.problem->message.size() + sizeof(set_aside);
  aside.push_back(
      {seq, true, rejected_row{row.line, row.id, row.problem->location, row.problem->message, row.text}, {}});
}

void kept_read::add(const roster_row& row, const row_work& w) {
  rows.push_back({w.kept, w.by_outcome[0]});
  shown.add(row.facts.facts());
  if (std::none_of(w.too_large.begin(), w.too_large.end(), [](const std::string& s) { return !s.empty(); })) return;
  aside_bytes += row.text.size() + row.id.size() + sizeof(set_aside);
  for (const auto& why : w.too_large)
    aside_bytes += why.size();
  aside.push_back({w.seq, false, rejected_row{row.line, row.id, {}, {}, row.text}, w.too_large});
}

std::size_t kept_read::bytes() const {
  std::size_t out = aside_bytes + shown.bytes();
  for (const auto& c : costs)
    out += c.bytes();
  for (const auto& d : decisions)
    out += d.size() * (sizeof(kept_decision) + 32);
  return out;
}

batch_stages::batch_stages(const batch& b, row_source& source)
    : batch_(b), policy_(b.policy_), options_(b.options_), source_(source),
      plan_(b.policy_, b.programs_, b.payers_, b.capped_), calendar_(b.policy_.rules(), b.rules_, b.options_.period),
      threads_(b.options_.threads), slots_(2 * threads_), outcomes_(std::size_t{1} << b.capped_.size()),
      same_range_(plan_.hull && *plan_.hull == b.options_.period),
      // On one thread a row is parsed as it is read, while its text is at hand (about 5% of the run
      // faster than reading a chunk, then parsing it).
      parse_while_reading_(threads_ == 1), chunk_rows_(threads_ == 1 ? chunk_rows_one_thread : chunk_rows_threads),
      chunks_{std::vector<roster_row>(chunk_rows_), std::vector<roster_row>(chunk_rows_)},
      works_{std::vector<row_work>(chunk_rows_), std::vector<row_work>(chunk_rows_)}, scratch_(slots_) {}

// Reads up to `chunk_rows_` rows, or `chunk_bytes` of row text, into chunk `b`, so that memory
// stays bounded however long the rows.
std::size_t batch_stages::read_chunk(unsigned b, std::size_t& seq) {
  std::vector<roster_row>& chunk = chunks_[b];
  std::vector<row_work>& work = works_[b];
  std::size_t n = 0;
  std::size_t bytes = 0;
  for (auto& row : chunk)
    if (row.text.capacity() > large_row) row = roster_row{}; // give back what a long row took
  while (n < chunk_rows_ && bytes < chunk_bytes &&
         (parse_while_reading_ ? source_.next(chunk[n]) : source_.next_text(chunk[n]))) {
    row_work& w = work[n];
    w.seq = seq++;
    w.candidate = npos;
    w.duplicate = false;
    w.overflow.clear();
    bytes += chunk[n].text.size();
    ++n;
  }
  return n;
}

// Parses row `i` of chunk `b` in `slot`: rows are read in order on one thread and parsed on all.
void batch_stages::parse_row(unsigned b, std::size_t i, unsigned slot) {
  roster_row& row = chunks_[b][i];
  if (!parse_while_reading_) source_.parse(row, scratch_[slot]);
  if (!row.problem && !valid_utf8(row.id))
    row.problem = failure(errc::invalid_syntax, "the id is not valid UTF-8", source_.id_column());
  works_[b][i].readable = !row.problem;
}

// The status decision (`decide_status`), and the months of the period in which one of the rules
// is yes. Returns the rule's index.
std::size_t batch_stages::decide_row(std::span<const fact_value> facts, decision& outcome, months_met& met) const {
  const std::size_t rule = decide_status(policy_.rules(), batch_.rules_, facts, options_.as_of, outcome);
  met = calendar_.of(facts, outcome.result == verdict::yes, options_.as_of);
  return rule;
}

void batch_stages::scan(scanned& found, bool keep_rows) {
  candidate_book& book = found.book;
  book.capped = plan_.capped.size();
  book.width = plan_.key_count + 1;
  book.grant_rows = plan_.grant_rows;
  if (keep_rows && outcomes_ <= max_kept_outcomes && options_.read_once_memory > 0)
    found.kept.emplace(plan_, batch_, slots_);
  auto stop_keeping = [&] {
    found.kept.reset();
    book.amounts_by_outcome = {};
  };
  std::vector<costing> grant_costs; // over the capped subsidies' windows, when not kept
  if (plan_.hull)
    for (unsigned t = 0; t < slots_; ++t)
      grant_costs.emplace_back(plan_, *plan_.hull, false, false);
  source_.rewind();
  std::size_t seq = 0;
  bool reserved = false;
  auto read = [&](unsigned b) { return read_chunk(b, seq); };
  auto work = [&](unsigned b, std::size_t begin, std::size_t end, unsigned t) {
    for (std::size_t i = begin; i < end; ++i) {
      parse_row(b, i, t);
      scan_row(found, chunks_[b][i], works_[b][i], t, grant_costs.empty() ? nullptr : &grant_costs[t]);
    }
  };
  auto record = [&](unsigned b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      record_row(found, chunks_[b][i], works_[b][i]);
    if (!std::exchange(reserved, true)) reserve(found, n);
  };
  // Between chunks, with no other thread running: the grant amounts' memory is reused, and rows
  // stop being kept once what they take passes the limit.
  auto between = [&] {
    for (auto& c : grant_costs)
      c.trim();
    if (found.kept && found.kept->bytes() > options_.read_once_memory) stop_keeping();
  };
  detail::pipeline(threads_, read, work, record, between);
  found.ids.find_duplicates(found.duplicates);
  // The rows of a duplicated id are rejected with their text, which is not kept: read again.
  if (!found.duplicates.empty()) stop_keeping();
}

// Decides and costs a row on a worker thread: under every outcome of the capped subsidies when
// rows are kept, and what each capped subsidy would grant it.
void batch_stages::scan_row(scanned& found, const roster_row& row, row_work& w, unsigned slot, costing* grant_costs) {
  w.grants.clear();
  w.kept = nullptr;
  w.by_outcome.fill(nullptr);
  for (auto& why : w.too_large)
    why.clear();
  if (!w.readable) return;
  const auto facts = row.facts.facts();
  kept_read* kept = found.kept ? &*found.kept : nullptr;
  auto cost = [&](unsigned waitlisted) { // kept rows: the amounts under one outcome
    if (w.by_outcome[waitlisted] || !w.too_large[waitlisted].empty()) return;
    try {
      w.by_outcome[waitlisted] = &kept->costs[slot].find(facts, waitlisted);
    } catch (const error& e) {
      if (e.code() != errc::overflow) throw;
      w.too_large[waitlisted] = e.details().message;
    }
  };
  if (kept) {
    kept_decision k;
    k.rule = decide_row(facts, k.outcome, k.met);
    w.kept = &*kept->decisions[slot].insert(k).first;
    cost(0);
  }
  if (!plan_.hull) return;
  if (kept && same_range_) {
    // Grant row r: the subsidies of the bits of r, all before the last, waitlisted.
    for (std::size_t r = 0; r < plan_.grant_rows; ++r) {
      cost(static_cast<unsigned>(r));
      if (!w.by_outcome[r]) { // too large: rejected when handed out
        w.grants.clear();
        break;
      }
      const auto& g = w.by_outcome[r]->paid.grants;
      w.grants.insert(w.grants.end(), g.begin(), g.end());
    }
  } else {
    try {
      for (std::size_t r = 0; r < plan_.grant_rows; ++r) {
        const amounts& a = grant_costs->of(facts, static_cast<unsigned>(r));
        w.grants.insert(w.grants.end(), a.grants.begin(), a.grants.end());
      }
    } catch (const error& e) {
      if (e.code() != errc::overflow) throw;
      w.grants.clear(); // rejected when handed out, where the overflow is found again
    }
  }
  const bool candidate = std::any_of(w.grants.begin(), w.grants.end(), [](money m) { return m != money(); });
  if (kept && candidate)
    for (unsigned waitlisted = 1; waitlisted < outcomes_; ++waitlisted)
      cost(waitlisted);
}

// Records a scanned row, in roster order: its id, the row when kept, and the candidate it makes.
void batch_stages::record_row(scanned& found, const roster_row& row, const row_work& w) const {
  // Every id that could be read counts, so that a malformed copy still marks the others.
  found.ids.add(row.id, row.line, !row.id.empty() && valid_utf8(row.id));
  if (!w.readable) {
    if (!found.first_problem) found.first_problem.emplace(row.line, *row.problem);
    if (found.kept) found.kept->add_unreadable(w.seq, row);
    return;
  }
  if (found.kept) found.kept->add(row, w);
  if (std::any_of(w.grants.begin(), w.grants.end(), [](money m) { return m != money(); })) add_candidate(found, row, w);
}

// A candidate: its row, its ranking words and its grants (and amounts by outcome, when kept).
void batch_stages::add_candidate(scanned& found, const roster_row& row, const row_work& w) const {
  candidate_book& book = found.book;
  book.row.push_back(static_cast<std::uint32_t>(w.seq));
  for (const std::size_t s : plan_.capped)
    for (const bound_rank_key& key : policy_.payments().rank_keys[s]) {
      const auto word = rank_word(key, policy_.rules(), row.facts.facts(), options_.as_of);
      book.words.push_back(word ? 0 : 1); // a present key ranks before a missing one
      book.words.push_back(word.value_or(0));
    }
  book.words.push_back(0); // the id word: `set_id_words`, once every id is known
  book.grant.insert(book.grant.end(), w.grants.begin(), w.grants.end());
  if (found.kept)
    book.amounts_by_outcome.insert(book.amounts_by_outcome.end(), w.by_outcome.begin(),
                                   w.by_outcome.begin() + static_cast<std::ptrdiff_t>(outcomes_));
}

// After the first chunk: room for the rows to come, by the source's estimate and an eighth more
// (growing past a reservation copies everything once: a peak of one and a half times), and for the
// candidates in the first chunk's proportion. Reserved memory that is never used is never touched.
void batch_stages::reserve(scanned& found, std::size_t first_chunk) const {
  std::size_t rows = std::min<std::size_t>(source_.size_hint(), std::size_t{1} << 28);
  rows += rows / 8;
  if (rows <= first_chunk) return;
  try {
    found.ids.reserve(rows);
    if (found.kept) found.kept->rows.reserve(rows);
    if (plan_.hull) found.book.reserve(found.book.size() * (rows / first_chunk + 1) + 64, found.kept ? outcomes_ : 0);
  } catch (const std::bad_alloc&) { // more than can be had at once: grow as rows come
  }
}

void batch_stages::refuse_bad_rows(const scanned& found) const {
  if (options_.strict) refuse_first_bad_row(found, source_.id_column());
}

void refuse_first_bad_row(const scanned& found, const std::string& id_column) {
  const auto dup = std::min_element(found.duplicates.begin(), found.duplicates.end(), [](const auto& a, const auto& b) {
    return a.second.lines.front() < b.second.lines.front();
  });
  if (dup != found.duplicates.end() && (!found.first_problem || dup->second.lines.front() < found.first_problem->first))
    throw strict_error(dup->second.lines.front(), failure(errc::invalid_syntax, dup->second.reason, id_column));
  if (found.first_problem) throw strict_error(found.first_problem->first, found.first_problem->second);
}

std::vector<quota_fill> allocate_candidates(const batch_plan& plan, scanned& found) {
  const entitle::policy& p = plan.policy.source();
  const std::size_t capped = plan.capped.size();
  std::vector<quota_fill> fills;
  for (std::size_t c = 0; c < capped; ++c) {
    const subsidy& s = p.subsidies[plan.capped[c]];
    fills.push_back({s.id, s.payer, plan.windows[c], s.quota, s.budget, 0, 0, 0, money(), 0, {}});
  }
  candidate_book& book = found.book;
  book.duplicate.assign(book.size(), 0);
  for (std::size_t c = 0; c < book.size(); ++c)
    book.duplicate[c] = found.duplicates.contains(book.id(c)) ? 1 : 0;
  book.set_id_words();
  for (std::size_t q = 0; q < capped; ++q) {
    const subsidy& s = p.subsidies[plan.capped[q]];
    auto cost_of = [&](std::size_t c) {
      std::size_t row = 0;
      for (std::size_t before = 0; before < q; ++before)
        if (book.place[c * capped + before].status == quota_status::waitlisted) row |= std::size_t{1} << before;
      return book.grant[c * book.grant_rows * capped + row * capped + q];
    };
    const std::size_t first = plan.key_offset[q];
    const std::vector<std::uint32_t> ranked = // the candidates this subsidy would pay
        book.rank(first, first + 2 * s.rank_by.size(),
                  [&](std::size_t c) { return book.duplicate[c] || cost_of(c) == money(); });
    // The first subsidy's cost reads no place: made after its ranking, whose memory is freed.
    if (q == 0) book.place.assign(book.size() * capped, quota_place{});
    const allocation_result fell = entitle::allocate(
        ranked, {s.quota, s.budget}, cost_of, [&](std::size_t c, quota_place at) { book.place[c * capped + q] = at; });
    quota_fill& fill = fills[q];
    fill.candidates = ranked.size();
    fill.funded = fell.funded;
    fill.waitlisted = fell.waitlisted;
    fill.spent = fell.spent;
    fill.cut_by = fell.cut_by;
  }
  book.words = {};
  book.grant = {};
  return fills;
}

} // namespace entitle::detail
