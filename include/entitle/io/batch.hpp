#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/eval/allocation.hpp>
#include <entitle/eval/compiled_policy.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/io/atomic_file.hpp>
#include <entitle/io/roster.hpp>
#include <entitle/io/row_source.hpp>
#include <entitle/policy/setting.hpp>
#include <entitle/rules/record.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Batch evaluation (docs/batch.md): a roster of people decided, ranked for the quotas and budgets
// of capped subsidies, and costed month by month, with a summary. The first read decides and costs
// everyone, finds duplicate ids and the candidates of capped subsidies; after the ranking, rows
// are handed out in roster order from what that read kept, or from a second read when keeping it
// would take too much memory. Memory grows with the rows (about 40 bytes each) and candidates
// (about 120), never with the rows' text, and the result never depends on row order, thread
// count or the number of reads.
namespace entitle {

/// What a batch decides and over which months.
struct batch_options {
  /// The rules whose decision is a person's status: the first that is yes decides, else the first
  /// unknown, else the first. Empty: the rules of the policy's enrolments, or its one top-level
  /// rule when it has no enrolments.
  std::vector<std::string> rules;
  /// The day decisions are taken: within the policy's effective dates (`first_day_in_force`
  /// gives the first of a period's days that is).
  date as_of;
  /// The contribution months reported per person and in the summary.
  month_range period{month(2000, 1), month(2000, 1)};
  /// Threads parsing, deciding and costing rows (reading and writing stay in order on the caller's).
  unsigned threads = 1;
  /// Stop at the first rejected row instead of going on: `run` throws the row's error, located
  /// "line 9, column birth_date".
  bool strict = false;
  /// Memory a run may spend keeping each person's decision and amounts from the first read of the
  /// roster, so as not to read it again (docs/batch.md, "How it works"): the distinct
  /// decisions and amounts, and the rows set aside whole (unreadable, or amounts too large to
  /// count). Past it, or with 0, the roster is read a second time; the output is the same.
  std::size_t read_once_memory = std::size_t{32} << 20;
  /// Subsidy fields set for this run (docs/batch.md, "Run-time parameters"): the batch compiles
  /// its own copy of the policy with them applied (`bind_policy(policy.source(), settings)`),
  /// which binds it again. A policy compiled with its settings (`policy_library::compile(id,
  /// settings)`, as the tool does) is bound once; settings may be given there or here, not both.
  std::vector<setting> settings{};
  /// Values added to each row's output after its own columns, in this order (`entitle run
  /// --columns birth_date,monthly_income`): facts, by name, as the roster gives them, derived
  /// values, worked out on `as_of`, and the `period_value`s (`covered_months`). Kept from the
  /// first read with the rest (counted in `read_once_memory`). A name that is none of these, or
  /// one given twice, is refused when the batch is made.
  std::vector<std::string> columns{};
};

/// The values of a person over the batch's period that `batch_options::columns` may add: the
/// months of the period with a contribution due for them (more than Rp0 to some program, whoever
/// pays it), the first and the last of those months. Named `covered_months`, `covered_from` and
/// `covered_until` (docs/batch.md, "Status over the period").
enum class period_value : unsigned char { covered_months, covered_from, covered_until };

/// The name `period_value` `v` is asked for by.
[[nodiscard]] constexpr std::string_view name_of(period_value v) noexcept {
  switch (v) {
  case period_value::covered_months: return "covered_months";
  case period_value::covered_from: return "covered_from";
  case period_value::covered_until: return "covered_until";
  }
  return "";
}

/// A value `batch_options::columns` adds to each row's output: a fact, a derived value, or a
/// value of the person over the period.
struct output_column {
  enum class kind : unsigned char { fact, derived, period };
  kind what = kind::fact;
  std::string name;
  std::size_t slot = 0; ///< the slot of the fact, or of the derived value (`bound_rules::field_at`)
  period_value over = period_value::covered_months; ///< `kind::period` only
  field shown; ///< its name and type, as the value is written: the fact's or derived value's field
};

/// One person's outcome, handed to the caller in roster order. Views are valid during the call.
struct batch_row {
  std::size_t line = 0;
  std::string_view id;
  decision outcome;      ///< the status decision (`batch_options::rules`)
  std::string_view rule; ///< the rule that decided it
  /// The first month of the period on whose first day one of the batch's rules is yes, and how
  /// many such months (docs/batch.md, "Status over the period"); none and 0 when no month is.
  std::optional<month> eligible_from;
  std::uint32_t eligible_months = 0;
  std::span<const money> due;  ///< over the period, by program in `batch::programs()` order
  std::span<const money> paid; ///< over the period, by payer in `batch::payers()` order
  money total;                 ///< everything paid over the period
  /// The price of the program-months a capped subsidy selecting them could not fund (waitlisted):
  /// paid by nobody, and neither in `due` nor in `paid`.
  money quoted;
  bool complete = true;                ///< false when some contribution is undetermined
  std::span<const quota_place> quotas; ///< by capped subsidy in `batch::capped()` order
  /// By capped subsidy in `batch::capped()` order: the months of the period it pays them in.
  std::span<const std::uint32_t> funded_months;
  /// By column in `batch::columns()` order: the value (missing when the row has none).
  std::span<const fact_value> values;
};

/// A row that could not be read, or whose id appears more than once.
struct rejected_row {
  std::size_t line = 0;
  std::string id;
  std::string column; ///< the column or key at fault, "" for the whole row
  std::string reason;
  std::string text; ///< the row as written
};

/// The fill of one capped subsidy.
struct quota_fill {
  std::string subsidy;
  std::string payer;
  month_range window{month(2000, 1), month(2000, 1)};
  std::optional<std::int64_t> quota;
  std::optional<money> budget;
  std::uint64_t candidates = 0;
  std::uint64_t funded = 0;
  std::uint64_t waitlisted = 0;
  money spent;                     ///< the funded people's cost over the window
  std::uint64_t funded_months = 0; ///< the funded people's months of the period it pays them in, added up
  /// Why the first waitlisted candidate was not funded: "quota" or "budget"; "" when none was.
  std::string cut_by;
};

/// What a batch read, decided and paid.
struct batch_summary {
  std::string policy;
  /// The subsidy fields set for the run, with what the policy had (`batch_options::settings`, or
  /// those the policy was compiled with).
  std::vector<applied_setting> settings;
  std::vector<std::string> rules;
  date as_of;
  month_range period{month(2000, 1), month(2000, 1)};
  std::uint64_t rows_read = 0;
  std::uint64_t decided = 0;
  std::uint64_t rejected = 0;
  std::uint64_t blank_lines = 0;
  std::uint64_t eligible = 0;
  std::uint64_t ineligible = 0;
  std::uint64_t undetermined = 0;
  /// People eligible in some month of the period (`batch_row::eligible_months` > 0), and those of
  /// them whose status on `as_of` is not eligible.
  std::uint64_t eligible_in_period = 0;
  std::uint64_t eligible_later = 0;
  std::map<std::string, std::uint64_t, std::less<>> ineligible_by_reason; ///< first failing reason code
  std::map<std::string, std::uint64_t, std::less<>> undetermined_by_fact; ///< rows an unknown fact left undetermined
  /// Undetermined people by their first `reason_unknown` code; those without one are not counted.
  std::map<std::string, std::uint64_t, std::less<>> undetermined_by_reason;
  std::map<std::string, std::uint64_t, std::less<>> rejected_by_column; ///< "" for whole-row problems
  std::vector<std::string> programs;
  std::vector<std::string> payers;
  std::vector<money> due_by_program; ///< over the period
  std::vector<money> paid_by_payer;  ///< over the period
  /// Month by month: what is due by program and paid by payer, in `period` order.
  std::vector<std::vector<money>> due_by_month;
  std::vector<std::vector<money>> paid_by_month;
  money total;
  /// Prices paid by nobody (`batch_row::quoted`): by program, by month and program, in all, and
  /// the people who have one. `to_json` and `to_text` read `quoted_by_month` as empty (nothing
  /// quoted) where a summary made by hand leaves it out.
  std::vector<money> quoted_by_program;
  std::vector<std::vector<money>> quoted_by_month;
  money quoted;
  std::uint64_t quoted_people = 0;
  std::uint64_t incomplete = 0; ///< people with some contribution undetermined
  std::vector<quota_fill> quotas;
};

/// A policy ready to evaluate rosters: thread-safe and reusable; `run` may be called from several
/// threads at once on different sources.
///
///     const batch b(oku, {.as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)});
///     roster_file roster("roster.csv", oku.facts(), roster_format::csv);
///     const batch_summary s = b.run(roster, [](const batch_row& r) { ... }, [](const rejected_row& r) { ... });
namespace detail {
class batch_stages;
class batch_parts;
} // namespace detail

/// The first day of `period` on which `p` is in force: the period's first day, or the policy's
/// effective date when it takes effect within the period's first month (BSU 2020, from 14 August).
[[nodiscard]] inline date first_day_in_force(const policy& p, month_range period) {
  const date first = period.first().first_day();
  return p.effective_from && first < *p.effective_from ? *p.effective_from : first;
}

class batch {
public:
  /// Checks the options against the policy: the rules exist, the period and the evaluation date
  /// are within the policy's effective dates (`errc::not_in_force`), at most `max_capped` subsidies have a quota or
  /// budget, each of `columns` is a fact, once (`errc::invalid_syntax` naming the close facts); with settings, that
  /// they apply and bind (errors located at the setting) and that the policy was not compiled with settings of its own.
  batch(const compiled_policy& policy, batch_options options);

  /// The most subsidies with a quota or budget one policy may have in a batch.
  static constexpr std::size_t max_capped = 4;

  [[nodiscard]] const compiled_policy& policy() const noexcept { return policy_; }
  [[nodiscard]] const batch_options& options() const noexcept { return options_; }
  /// The programs and payers of the per-person amounts, in the policy's order.
  [[nodiscard]] const std::vector<std::string>& programs() const noexcept { return programs_; }
  [[nodiscard]] const std::vector<std::string>& payers() const noexcept { return payers_; }
  /// The ids of the subsidies with a quota or a budget, in the order they apply.
  [[nodiscard]] const std::vector<std::string>& capped() const noexcept { return capped_ids_; }
  /// The values added to each row (`batch_options::columns`), in order.
  [[nodiscard]] const std::vector<output_column>& columns() const noexcept { return columns_; }

  using row_handler = std::function<void(const batch_row&)>;
  using reject_handler = std::function<void(const rejected_row&)>;
  /// Evaluates every row of `source`: `on_row` for each decided person and `on_reject` for each
  /// rejected row, both in roster order on the calling thread. Rows read = decided + rejected.
  /// Throws `entitle::error` for a problem with the source itself, or, with `strict`, for the first
  /// rejected row.
  batch_summary run(row_source& source, const row_handler& on_row, const reject_handler& on_reject = {}) const;

  /// One person's decision on the first of `options().rules` that decided their status, with
  /// their contributions over the period attached; `quotas` (from their `batch_row`) and the
  /// run's `summary` say which capped subsidies did not fund them and why.
  [[nodiscard]] explanation explain(const record& person, std::span<const quota_place> quotas,
                                    const batch_summary& summary) const;

private:
  friend class detail::batch_stages;           // the stages of `run` read what the constructor checked
  friend class detail::batch_parts;            // so do those of a run in parts (batch_parts.hpp)
  std::shared_ptr<const compiled_policy> own_; // the policy compiled with `options.settings`, when given
  const compiled_policy& policy_;
  batch_options options_;
  std::vector<std::uint32_t> rules_;
  std::vector<std::string> programs_;
  std::vector<std::string> payers_;
  std::vector<std::size_t> capped_; // subsidy indexes in the order they apply
  std::vector<std::string> capped_ids_;
  std::vector<output_column> columns_;
};

/// The rules a batch decides by default (see `batch_options::rules`); throws naming the top-level
/// rules when there is no single one.
[[nodiscard]] std::vector<std::string> default_batch_rules(const compiled_policy& policy);

/// The facts the status rules `rules` read (empty: `default_batch_rules`), in schema order: those
/// a roster needs a column for (`roster_options::needed_facts`). Ids the policy lacks are skipped
/// (`batch` refuses them).
[[nodiscard]] std::vector<std::string> facts_the_rules_read(const compiled_policy& policy,
                                                            std::span<const std::string> rules = {});

/// Per-person output, the same bytes whatever the roster's order (sorted by id) or the thread
/// count, so it carries no line numbers. CSV: a header, then a line per person with id, status, rule, reason,
/// reasons (";"-separated), missing (";"), due_<program>..., paid_<payer>..., total, complete,
/// quota_<subsidy>, rank_<subsidy> per capped subsidy, then the batch's `columns()` by name.
/// NDJSON: one object per person with the same values ("due" and "paid" as objects, "quotas" by
/// subsidy id, then a key per column). Amounts are rupiah as in policy JSON: 16800, or "16800.50"
/// with sen; a column's value is written as policy JSON writes the fact's values (a missing one
/// as an empty field, or null). `output_header` (for either format) throws `errc::invalid_syntax`
/// for a column named as one of the output's own ("status", "due_JKK"; in NDJSON "due", "quotas").
enum class output_format : unsigned char { csv, ndjson };
[[nodiscard]] output_format output_format_of(const std::filesystem::path& file);
[[nodiscard]] std::string output_header(const batch& b, output_format format);
void append_row(std::string& out, const batch& b, const batch_row& row, output_format format);
/// Rejected rows: CSV line,id,column,reason,text or NDJSON objects with the same keys.
[[nodiscard]] std::string rejects_header(output_format format);
void append_reject(std::string& out, const rejected_row& row, output_format format);

/// The summary as JSON, in the shape "entitle-summary/1" (docs/batch.md).
inline constexpr std::string_view summary_format = "entitle-summary/1";
[[nodiscard]] boost::json::value to_json(const batch_summary& s);
/// The summary as a readable table.
[[nodiscard]] std::string to_text(const batch_summary& s);

} // namespace entitle
