#pragma once
/// \file
/// Double subsidy across rosters (docs/overlap.md): every id (NIK) that appears in more than one
/// row of the rosters given, or in a list of people already enrolled, with each row's decision and
/// what the subsidies pay for it, and the program-months a subsidy pays more than once.

#include <entitle/core/money.hpp>
#include <entitle/eval/allocation.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/row_source.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace entitle {

/// One roster of an overlap check: its name as shown (the path given) and its rows, which are read
/// several times (`row_source::rewind`).
struct overlap_roster {
  std::string name;
  row_source* rows = nullptr;
};

/// One row of an id found more than once (or enrolled already), with what the batch decided for it.
struct overlap_row {
  std::string id;
  std::size_t roster = 0; ///< index into the rosters given
  std::size_t line = 0;
  std::string status;                 ///< eligible, ineligible, undetermined, or rejected
  std::string reason;                 ///< the first reason code, or why the row was rejected
  std::vector<std::string> funded_by; ///< the subsidies that pay something for the row, in policy order
  std::uint32_t funded_months = 0;    ///< program-months a subsidy pays something of
  money funded;                       ///< what the subsidies pay for the row over the period
  /// Of `funded_months`, those a subsidy also pays for an earlier row of the same id (in the order
  /// of the rosters given, then by line), and what the subsidies pay for this row in them.
  std::uint32_t double_funded_months = 0;
  money paid_twice;
  bool enrolled = false; ///< the id is in the list of people already enrolled
};

/// What an overlap check found. `rows` holds the rows of every id found, grouped by id (in byte
/// order), each group in the order of the rosters given, then by line.
struct overlap_report {
  std::vector<std::string> rosters;
  std::uint64_t rows_read = 0;         ///< of all the rosters, rejected rows included
  std::uint64_t rows_rejected = 0;     ///< of those, rows the batch rejects (`entitle run --rejects` says why)
  std::uint64_t ids = 0;               ///< distinct ids in the rosters
  std::uint64_t repeated_ids = 0;      ///< ids in more than one row
  std::uint64_t enrolled_ids = 0;      ///< ids of the rosters that are in the enrolled list
  std::uint64_t double_funded_ids = 0; ///< ids with a program-month a subsidy pays more than once
  /// Ids in the enrolled list with a row that a subsidy pays something for.
  std::uint64_t enrolled_funded_ids = 0;
  money paid_twice; ///< the sum of the rows' `paid_twice`
  std::vector<overlap_row> rows;
};

/// Runs `b` over each roster and finds the ids (NIKs) that appear in more than one row, across the
/// rosters or twice in one (the batch rejects every row of an id repeated within a roster), and the
/// ids of the rosters that are in `enrolled` (a list of ids, named as the rosters are; its rows' facts
/// are not read, a row whose id cannot be read is an error, and its repeated ids are no finding). Each row found
/// carries its decision and what the subsidies pay for it (`batch::explain`), and a program-month a subsidy pays for
/// two rows of one id is counted as funded twice. Memory: at most 32 bytes per distinct id of the rosters and of
/// `enrolled` while the ids are counted, then about 300 bytes per row found; the batch's own memory on top
/// (docs/batch.md). Throws what the batch and the rosters throw, each roster's errors named by the roster.
[[nodiscard]] overlap_report find_overlaps(const batch& b, std::span<const overlap_roster> rosters,
                                           const overlap_roster* enrolled = nullptr);

/// The rows of a report as CSV: a header, then a line per row with id, roster, line, status, reason,
/// funded_by (subsidy ids joined by ';'), funded_months, funded, double_funded_months, paid_twice and
/// enrolled (yes or no). Amounts are rupiah as in policy JSON ("16800", "16800.50").
[[nodiscard]] std::string overlap_csv(const overlap_report& report);

/// The report as a readable summary: the counts, and a line for each of the first `listed` ids
/// (in byte order) funded twice or funded while enrolled, then how many more there are.
[[nodiscard]] std::string to_text(const overlap_report& report, std::size_t listed = 20);

} // namespace entitle
