// The stages of a batch run (docs/design.md, "The batch in stages"): `scan` reads the roster once,
// parsing, deciding and costing the rows in chunks on every thread; `allocate` ranks the candidates
// of each capped subsidy and places them; `emit` hands the rows out in roster order, from what the
// scan kept or from a second read of the roster.
#pragma once

#include "batch_candidates.hpp"
#include "batch_columns.hpp"
#include "batch_costing.hpp"

#include <entitle/eval/monthly_status.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/roster.hpp>
#include <entitle/io/row_source.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace entitle::detail {

// Rows read at a time. On one thread, few enough that a chunk's rows stay in the processor's cache
// between parsing, deciding and recording them (the recording took 0.13 s a million rows with
// 8192, 0.09 s with 128); more when threads share a chunk, so that starting them is paid rarely.
constexpr std::size_t chunk_rows_one_thread = 128;
constexpr std::size_t chunk_rows_threads = 8192;
constexpr std::size_t chunk_bytes = std::size_t{8} << 20; // of row text read at a time
constexpr std::size_t large_row = std::size_t{64} << 10;  // a row slot holding more gives it back
constexpr std::size_t npos = static_cast<std::size_t>(-1);

// Keeping the rows between the reads (docs/design.md): at most this many outcomes of the capped
// subsidies (two capped subsidies), else the roster is read a second time.
constexpr std::size_t max_kept_outcomes = 4;

// A person's decision as kept between reading and handing out: one copy for all people decided
// alike.
struct kept_decision {
  decision outcome;
  std::size_t rule = 0; // index into the batch's rules
  months_met met;       // of the batch's rules over the period
  friend bool operator==(const kept_decision&, const kept_decision&) = default;
};
struct kept_decision_hash {
  std::size_t operator()(const kept_decision& k) const noexcept {
    std::size_t h = std::hash<fact_set>{}(k.outcome.missing);
    auto mix = [&h](std::uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(k.outcome.rule);
    mix(static_cast<std::uint64_t>(k.outcome.result));
    mix(static_cast<std::uint64_t>(k.outcome.outcome));
    mix(k.outcome.failing);
    mix(k.rule);
    mix(k.met.count);
    mix(k.met.first ? static_cast<std::uint64_t>(k.met.first->year() * 12 + static_cast<int>(k.met.first->number()))
                    : 0);
    return h;
  }
};
using kept_decisions = std::unordered_set<kept_decision, kept_decision_hash>;

// A kept row: its decision and its amounts when no capped subsidy waitlists it (null when they are
// too large to count, or for a row that could not be read).
struct kept_row {
  const kept_decision* decided = nullptr;
  costing::entry* paid = nullptr;
};

// A row kept whole until it is handed out: one that could not be read (`row` is its rejection), or
// one whose amounts are too large to count under some outcome of the capped subsidies.
struct set_aside {
  std::size_t seq = 0;
  bool unreadable = false;
  rejected_row row;
  std::array<std::string, max_kept_outcomes> too_large; // by waitlisted bits: why not countable
};

// One row of a chunk while it is worked on.
struct row_work {
  std::size_t seq = 0; // the row's place in the roster, counting every row read
  bool readable = false;
  std::size_t candidate = npos;
  bool duplicate = false;
  decision outcome;
  std::size_t rule = 0; // index into the batch's rules
  months_met met;
  const amounts* paid = nullptr;
  std::vector<money> grants; // first read: the grant table
  std::string overflow;      // second read: why the row's amounts could not be counted
  // First read, when rows are kept: the decision and the amounts by waitlisted bits.
  const kept_decision* kept = nullptr;
  std::array<costing::entry*, max_kept_outcomes> by_outcome{};
  std::array<std::string, max_kept_outcomes> too_large;
};

// What the scan keeps of the rows while it takes less than `batch_options::read_once_memory`: each
// row's decision, amounts and output values, so that the rows are handed out without a second read.
struct kept_read {
  std::vector<costing> costs;            // per slot, over the period, with equal amounts shared
  std::vector<kept_decisions> decisions; // per slot
  std::vector<kept_row> rows;            // in roster order
  std::vector<set_aside> aside;          // in roster order
  kept_values shown;                     // the output columns' values
  std::size_t aside_bytes = 0;

  kept_read(const batch_plan& plan, const batch& b, unsigned slots);
  // Keeps a row that could not be read, whole, for its rejection.
  void add_unreadable(std::size_t seq, const roster_row& row);
  // Keeps a decided row, whole too where its amounts are too large to count under some outcome.
  void add(const roster_row& row, const row_work& w);
  // About how much memory what is kept takes.
  [[nodiscard]] std::size_t bytes() const;
};

// What the scan finds: every row's id and line, the ids read more than once, the first row that
// could not be read, the candidates of the capped subsidies and, while memory allows, the rows.
struct scanned {
  roster_ids ids;
  duplicate_ids duplicates;
  std::optional<std::pair<std::size_t, failure>> first_problem; // line and why
  candidate_book book;
  std::optional<kept_read> kept;

  scanned() { book.ids = &ids; }
  scanned(const scanned&) = delete; // the book points at the ids
  scanned& operator=(const scanned&) = delete;
};

// The status decision on `as_of`: the first of `status_rules` that says yes, else the first
// undetermined, else the first rule's. Returns the rule's index in `status_rules`.
std::size_t decide_status(const bound_rules& rules, const std::vector<std::uint32_t>& status_rules,
                          std::span<const fact_value> facts, date as_of, decision& outcome);

// The error `strict` gives for a bad row: `why` at the row's line (and column, when it names one).
error strict_error(std::size_t line, const failure& why);

// Hands out rows in roster order: counts each into the summary and passes it to the caller.
class row_emitter {
public:
  row_emitter(const batch& b, const candidate_book& book, batch_summary& sum, const batch::row_handler& on_row,
              const batch::reject_handler& on_reject);
  // A row rejected (with `strict`, the batch's error).
  void reject(const rejected_row& rejected);
  // A row decided: `candidate` is its place in the book, or `npos`; the output columns' values are
  // those in `shown()`, but for the values over the period, worked out here.
  void decided(std::size_t line, std::string_view id, const decision& d, std::size_t rule, const months_met& met,
               const amounts& a, std::size_t candidate);
  // The capped subsidies that waitlisted `candidate` (`npos`: none), as bits.
  [[nodiscard]] unsigned waitlisted_bits(std::size_t candidate) const;
  [[nodiscard]] std::vector<fact_value>& shown() noexcept { return shown_; }

private:
  void count_status(const decision& d);

  const batch& batch_;
  const candidate_book& book_;
  batch_summary& sum_;
  const batch::row_handler& on_row_;
  const batch::reject_handler& on_reject_;
  std::vector<quota_place> no_places_;
  std::vector<fact_value> shown_; // the row's output columns
};

// The first bad row of `found` in roster order (unreadable, or one of an id's several rows) as the
// batch's error, when there is one (`batch_options::strict`).
void refuse_first_bad_row(const scanned& found, const std::string& id_column);

// Ranks each capped subsidy's candidates in `found` among the people it would pay, given what the
// ones before it did, and places whole people in rank order while the quota and budget last
// (`candidate_book::place`). The ids' duplicates must have been found: their rows are no candidates.
[[nodiscard]] std::vector<quota_fill> allocate_candidates(const batch_plan& plan, scanned& found);

// The stages of one run over `source`, with the buffers they share.
class batch_stages {
public:
  batch_stages(const batch& b, row_source& source);

  // Reads the roster once: parses, decides and costs each row, finds the duplicated ids and the
  // candidates, and keeps the rows while memory allows (never when `keep_rows` is false: a part's
  // survey, which hands nothing out).
  void scan(scanned& found, bool keep_rows = true);
  // With `batch_options::strict`: the first bad row in roster order (unreadable, or one of an id's
  // several rows) as the batch's error.
  void refuse_bad_rows(const scanned& found) const;
  // Ranks each capped subsidy's candidates among the people it would pay, given what the ones
  // before it did, and places whole people in rank order while the quota and budget last.
  [[nodiscard]] std::vector<quota_fill> allocate(scanned& found) const { return allocate_candidates(plan_, found); }
  // Hands the rows out in roster order; returns the costings whose sums are the batch's.
  [[nodiscard]] std::vector<costing> emit(scanned& found, row_emitter& out);

private:
  std::size_t read_chunk(unsigned b, std::size_t& seq);
  void parse_row(unsigned b, std::size_t i, unsigned slot);
  std::size_t decide_row(std::span<const fact_value> facts, decision& outcome, months_met& met) const;
  void scan_row(scanned& found, const roster_row& row, row_work& w, unsigned slot, costing* grant_costs);
  void record_row(scanned& found, const roster_row& row, const row_work& w) const;
  void add_candidate(scanned& found, const roster_row& row, const row_work& w) const;
  void reserve(scanned& found, std::size_t first_chunk) const;
  std::vector<costing> emit_kept(scanned& found, row_emitter& out) const;
  std::vector<costing> emit_read_again(scanned& found, row_emitter& out);

  const batch& batch_;
  const compiled_policy& policy_;
  const batch_options& options_;
  row_source& source_;
  batch_plan plan_;
  monthly_status calendar_;
  unsigned threads_;
  unsigned slots_;       // what each thread owns, per chunk buffer
  std::size_t outcomes_; // of the capped subsidies: waitlisted bits
  bool same_range_;      // the capped subsidies' windows cover the period exactly
  bool parse_while_reading_;
  std::size_t chunk_rows_;
  // Two chunks in the pipeline (chunk_pipeline.hpp): one worked on, the other read or recorded.
  std::array<std::vector<roster_row>, 2> chunks_;
  std::array<std::vector<row_work>, 2> works_;
  std::vector<roster_scratch> scratch_;
};

// Adds up the people's amounts: a sum past 64 bits of sen is the batch's failure, not a row's.
template <class Add>
void summing(Add&& add) {
  try {
    add();
  } catch (const error& e) {
    if (e.code() != errc::overflow) throw;
    throw error(errc::overflow, "the batch's totals are too large to count in sen (64 bits, about "
                                "Rp92 quadrillion); check the roster's amounts: " +
                                    e.details().message);
  }
}

// A summary of `b` with nothing counted yet: its policy, settings, rules, dates, programs and payers.
batch_summary summary_head(const batch& b);

// Adds the sums of `costs` to `sum`'s totals by month, program and payer.
void add_sums(batch_summary& sum, std::vector<costing>& costs);

} // namespace entitle::detail
