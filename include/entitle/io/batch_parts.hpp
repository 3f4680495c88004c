#pragma once

#include <entitle/eval/allocation.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/row_source.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// A roster decided in parts, on several processes or machines (docs/distributed.md): the same
// decisions, rejections and summary as one `batch::run` over the whole roster, whose rows are the
// parts' rows in part order. Quotas and budgets are allocated over all the parts at once, by the
// one process that holds every part's survey:
//
//     part k:  survey_part(b, part_k)                      -> survey_k   (bytes)
//     driver:  plan_parts(b, {survey_0, ...})              -> part_plan  (placement_k, bytes)
//     part k:  run_part(b, part_k, placement_k, rows, ...) -> totals_k   (bytes)
//     driver:  merge_parts(b, plan, {totals_0, ...})       -> batch_summary
//
// Each part is read through a source whose `roster_options::lines_before` counts the roster's
// lines before it (the header not counted), so that every line named is the whole roster's. The
// bytes travel between processes as they are (pickled, sent, stored); they are made and read by
// the same version of entitle, under a batch made from the same policy and options: each part's
// survey, run and placement name the batch's shape and its rows, and a mismatch is an error, never
// a silent misplacement. A part must be read the same way in its survey and in its run.
namespace entitle {

/// What one part of a roster gives the allocation: every row's id and line, the first row that
/// could not be read, and each candidate of the capped subsidies with its ranking keys and what
/// each subsidy would grant. About (id length + 16) bytes a row, and 8 x (1 + 2 x rank keys +
/// capped x 2^(capped - 1)) bytes a candidate. Throws what `batch::run` throws for the source itself.
[[nodiscard]] std::string survey_part(const batch& b, row_source& part);

/// The allocation over every part: what each part's run needs (its candidates' places and the
/// duplicated ids among its rows), and how each capped subsidy's quota and budget fell.
struct part_plan {
  std::vector<std::string> placements; ///< by part, in the order of the surveys
  std::vector<quota_fill> quotas;      ///< as `batch_summary::quotas`, but `funded_months` (merged)
  std::uint64_t rows = 0;              ///< read in all the parts
  std::uint64_t id = 0;                ///< drawn at random: the placements' and their totals' plan
};

/// Finds the ids read more than once over all the parts and ranks and places the candidates of
/// each capped subsidy as one run over the whole roster does. With `batch_options::strict`,
/// throws the whole roster's first bad row (an unreadable row, or one of an id's several rows).
/// Refuses surveys whose lines do not follow one another (a wrong `lines_before`) or whose ids
/// are read from different columns.
/// Memory: about what the surveys take, and a sort of the candidates.
[[nodiscard]] part_plan plan_parts(const batch& b, std::span<const std::string_view> surveys);

/// Runs one part with its placement from `plan_parts`: `on_row` and `on_reject` as `batch::run`
/// calls them, for this part's rows. Returns the part's totals, for `merge_parts`. Throws
/// `errc::invalid_syntax` when the placement is not this part's (other rows, lines or candidates
/// than its survey found: another part, or this one read otherwise), and what `batch::run` throws.
[[nodiscard]] std::string run_part(const batch& b, row_source& part, std::string_view placement,
                                   const batch::row_handler& on_row, const batch::reject_handler& on_reject = {});

/// The summary of the whole roster: the parts' totals, given in part order, added up with the
/// plan's allocation. Throws `errc::overflow` for sums past 64 bits of sen, and
/// `errc::invalid_syntax` for totals that are not of these parts (a part missing or given twice).
[[nodiscard]] batch_summary merge_parts(const batch& b, const part_plan& plan,
                                        std::span<const std::string_view> totals);

} // namespace entitle
