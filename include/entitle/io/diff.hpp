#pragma once
/// \file
/// Reforms on a roster (docs/diff.md): a baseline and a reform run over the same people, and for
/// each person who changes, what they were and are (status, funding, rank, amounts by payer) and
/// why; with the totals that change: eligibility and funding gained and lost, cost by payer,
/// program and month, and where each quota or budget now cuts.

#include <entitle/core/money.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/row_source.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace entitle {

/// One side of a person's comparison: what the baseline or the reform made of them.
struct diff_side {
  std::string status;      ///< eligible, ineligible, undetermined, or rejected
  std::string reason;      ///< the first reason code, or why the row was rejected
  std::string funding;     ///< "funded" (by some capped subsidy), "waitlisted" (by every one that ranks them), or ""
  std::uint64_t rank = 0;  ///< in the first capped subsidy that ranks them; 0 when none does
  std::vector<money> paid; ///< over the period, by payer in `reform_diff::payers()` order
  money total;
  money quoted; ///< the price nobody pays (`batch_row::quoted`)
  friend bool operator==(const diff_side&, const diff_side&) = default;
};

/// A person who changes: their row, the two sides, and what made the change, in words.
struct diff_row {
  std::string id;
  std::size_t line = 0;
  diff_side before;
  diff_side after;
  /// "funding: waitlisted at rank 4701 -> funded at rank 4701 (apbd_oku_timur_2024: quota 4650,
  /// budget Rp937.440.000 -> quota 5000, budget Rp1.008.000.000); PEMKAB_OKU_TIMUR pays Rp0 ->
  /// Rp201.600", or "status ineligible (BATAS_PENGHASILAN) -> eligible; ...".
  std::string why;
};

/// The totals of a comparison. The by-payer and by-program lists follow `payers` and `programs`.
struct diff_summary {
  batch_summary before;
  batch_summary after;
  std::vector<std::string> payers;   ///< the baseline's payers, then the reform's new ones
  std::vector<std::string> programs; ///< likewise
  std::uint64_t rows_read = 0;
  std::uint64_t changed = 0;            ///< people in `on_change`
  std::uint64_t gained_eligibility = 0; ///< not eligible before, eligible after
  std::uint64_t lost_eligibility = 0;
  std::uint64_t gained_funding = 0; ///< not funded before, funded after
  std::uint64_t lost_funding = 0;
  std::vector<money> paid_before, paid_after; ///< over the period, by payer
  std::vector<money> due_before, due_after;   ///< over the period, by program
  /// Month by month in the period's order, by payer.
  std::vector<std::vector<money>> paid_by_month_before, paid_by_month_after;
};

/// A baseline and a reform compared over rosters: two batches with the same period and as-of date
/// (`errc::out_of_range` otherwise), reusable and thread-safe as batches are.
class reform_diff {
public:
  reform_diff(const batch& before, const batch& after);

  [[nodiscard]] const std::vector<std::string>& payers() const noexcept { return payers_; }
  [[nodiscard]] const std::vector<std::string>& programs() const noexcept { return programs_; }

  using change_handler = std::function<void(const diff_row&)>;
  /// Runs the baseline over `before_rows`, keeping about 200 bytes per row, then the reform over
  /// `after_rows` (the same roster, read under the reform's facts: `roster_file::under`), calling
  /// `on_change` in roster order for each person whose side differs. Rows must be the same lines in
  /// both (`errc::invalid_syntax` otherwise).
  [[nodiscard]] diff_summary run(row_source& before_rows, row_source& after_rows,
                                 const change_handler& on_change) const;

private:
  const batch& before_;
  const batch& after_;
  std::vector<std::string> payers_;
  std::vector<std::string> programs_;
  std::vector<std::size_t> before_payer_, after_payer_; // each batch's payers in `payers_`
  std::vector<std::size_t> before_program_, after_program_;
  std::string limits_; // the capped subsidies' quotas and budgets that differ, in words
};

/// The changes as CSV: a header, then a line per person: id, line, status_before, status_after,
/// reason_before, reason_after, funding_before, funding_after, rank_before, rank_after, then
/// paid_<payer>_before, paid_<payer>_after, paid_<payer>_change for each payer, total_before,
/// total_after, total_change, why. Amounts are rupiah as in policy JSON. NDJSON: an object per
/// person with the same values ("before", "after", "change" objects by payer).
[[nodiscard]] std::string diff_header(const reform_diff& d, output_format format);
void append_diff_row(std::string& out, const reform_diff& d, const diff_row& row, output_format format);

/// The totals as `entitle-diff/1` JSON (docs/diff.md), and as a readable table.
[[nodiscard]] boost::json::value to_json(const diff_summary& s);
[[nodiscard]] std::string to_text(const diff_summary& s);

} // namespace entitle
