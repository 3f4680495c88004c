#pragma once

#include <entitle/rules/decision_table.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace entitle {

/// What a table evaluation gives.
struct table_result {
  enum class state : unsigned char {
    value,   ///< a row, the otherwise value, a list of rows or an aggregate
    unknown, ///< missing inputs could change the result
    none,    ///< no row matched and there is no `otherwise`
  };
  state what = state::none;
  std::uint32_t row = bound_table::no_row; ///< single-hit policies: the row whose outputs are the result
  std::int64_t number = 0;                 ///< collect with aggregation: the aggregate (money in sen, count)
  std::uint64_t rows_matched_low = 0;      ///< bit r: row r (r < 64) matched
  std::uint64_t rows_unknown_low = 0;      ///< bit r: row r (r < 64) is unknown
};

namespace detail {
enum class row_state : unsigned char { no, yes, unknown };

// Kleene AND of the row's cells; `missing` has bit i for each missing input.
[[nodiscard]] inline row_state row_match(const bound_table& t, std::size_t r, std::span<const fact_value> inputs,
                                         std::uint64_t missing) noexcept {
  const bound_cell* cells = t.cells.data() + r * t.input_count;
  for (std::size_t i = 0; i < t.input_count; ++i)
    if (inputs[i].present && !cell_passes(t, cells[i], inputs[i])) return row_state::no;
  return (t.tests[r] & missing) != 0 ? row_state::unknown : row_state::yes;
}

[[nodiscard]] inline std::uint64_t missing_of(const bound_table& t, std::span<const fact_value> inputs) noexcept {
  std::uint64_t missing = 0;
  for (std::size_t i = 0; i < t.input_count; ++i)
    missing |= std::uint64_t{!inputs[i].present} << i;
  return missing;
}

// The rows that are not "no", in row order, found by testing each row's cells (any table).
class scanned_rows {
public:
  scanned_rows(const bound_table& t, std::span<const fact_value> inputs) noexcept
      : t_(t), inputs_(inputs), missing_(missing_of(t, inputs)) {}
  bool next(std::uint32_t& row, row_state& state) noexcept {
    while (r_ < t_.row_count) {
      state = row_match(t_, r_, inputs_, missing_);
      row = static_cast<std::uint32_t>(r_++);
      if (state != row_state::no) return true;
    }
    return false;
  }

private:
  const bound_table& t_;
  std::span<const fact_value> inputs_;
  std::uint64_t missing_;
  std::size_t r_ = 0;
};

// How many of the increasing `cuts` are at most `x`: the piece `x` falls in. Counted without
// branches for the few cuts most inputs have, since people's values (ages, incomes) differ and a
// binary search would mispredict at every step.
[[nodiscard]] inline std::uint32_t cuts_at_or_below(const std::int64_t* cuts, std::uint32_t count,
                                                    std::int64_t x) noexcept {
  if (count > 32) return static_cast<std::uint32_t>(std::upper_bound(cuts, cuts + count, x) - cuts);
  std::uint32_t n = 0;
  for (std::uint32_t j = 0; j < count; ++j)
    n += static_cast<std::uint32_t>(cuts[j] <= x);
  return n;
}

// The rows of the matching set of input `i`'s value (`input_index`).
[[nodiscard]] inline std::uint64_t indexed_mask(const bound_table& t, std::size_t i, const fact_value& v) noexcept {
  const input_index& ix = t.index[i];
  std::uint32_t piece = 0;
  if (t.input_types[i] == fact_type::string) {
    const std::string* texts = t.texts.data() + ix.first_cut;
    while (piece < ix.count && texts[piece] != v.text)
      ++piece;
  } else {
    piece = cuts_at_or_below(t.index_cuts.data() + ix.first_cut, ix.count, v.number);
  }
  return t.index_masks[ix.first + piece];
}

// The same rows for an indexed table (at most 64 rows), from each input's row set.
class indexed_rows {
public:
  indexed_rows(const bound_table& t, std::span<const fact_value> inputs) noexcept {
    const std::uint64_t all = t.row_count == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << t.row_count) - 1;
    std::uint64_t yes = all, possible = all;
    for (std::size_t i = 0; i < t.input_count; ++i) {
      if (!inputs[i].present) {
        yes &= t.index[i].any;
        continue;
      }
      const std::uint64_t mask = indexed_mask(t, i, inputs[i]);
      yes &= mask;
      possible &= mask;
    }
    yes_ = yes;
    left_ = possible;
  }
  bool next(std::uint32_t& row, row_state& state) noexcept {
    if (left_ == 0) return false;
    row = static_cast<std::uint32_t>(std::countr_zero(left_));
    left_ &= left_ - 1;
    state = ((yes_ >> row) & 1U) != 0 ? row_state::yes : row_state::unknown;
    return true;
  }

private:
  std::uint64_t yes_ = 0, left_ = 0;
};

inline void mark(table_result& out, std::size_t r, row_state s) noexcept {
  if (r >= 64) return;
  if (s == row_state::yes) out.rows_matched_low |= std::uint64_t{1} << r;
  if (s == row_state::unknown) out.rows_unknown_low |= std::uint64_t{1} << r;
}

inline table_result none_or_unknown(const bound_table& t, table_result out, bool unknown) noexcept {
  out.what = unknown ? table_result::state::unknown
                     : (t.has_otherwise ? table_result::state::value : table_result::state::none);
  out.row = bound_table::no_row;
  return out;
}

// A single row: unique, any, first and priority.
template <class Rows>
[[nodiscard]] table_result single_hit(const bound_table& t, Rows rows) noexcept {
  table_result out;
  std::uint32_t r = 0, best = bound_table::no_row;
  std::uint32_t best_unknown_rank = 0xFFFF'FFFFu;
  row_state s = row_state::no;
  bool unknown = false;
  while (rows.next(r, s)) {
    mark(out, r, s);
    if (t.policy == hit_policy::priority) {
      if (s == row_state::yes && (best == bound_table::no_row || t.rank[r] < t.rank[best])) best = r;
      if (s == row_state::unknown) best_unknown_rank = std::min(best_unknown_rank, t.rank[r]);
      continue;
    }
    // unique and any: a matching row settles it (no other can match with other outputs); first:
    // so does an unknown row before any matching one.
    if (s == row_state::yes) {
      out.what = table_result::state::value;
      out.row = r;
      return out;
    }
    if (t.policy == hit_policy::first) return none_or_unknown(t, out, true);
    unknown = true;
  }
  if (t.policy != hit_policy::priority) return none_or_unknown(t, out, unknown);
  if (best == bound_table::no_row) return none_or_unknown(t, out, best_unknown_rank != 0xFFFF'FFFFu);
  if (best_unknown_rank < t.rank[best]) return none_or_unknown(t, out, true);
  out.what = table_result::state::value;
  out.row = best;
  return out;
}

// Every row: rule order, output order and collect, or collect's aggregate.
template <class Rows>
[[nodiscard]] table_result multi_hit(const bound_table& t, Rows rows) noexcept {
  table_result out;
  const bool valued = t.aggregate != aggregation::none && t.aggregate != aggregation::count;
  std::int64_t count = 0, acc = 0;
  bool unknown = false, unknown_nonzero = false;
  std::int64_t unknown_min = int_max, unknown_max = int_min;
  std::uint32_t r = 0;
  row_state s = row_state::no;
  while (rows.next(r, s)) {
    mark(out, r, s);
    const std::int64_t v = valued ? t.outputs[r * t.output_count] : 0;
    if (s == row_state::unknown) {
      unknown = true;
      unknown_nonzero = unknown_nonzero || v != 0;
      unknown_min = std::min(unknown_min, v);
      unknown_max = std::max(unknown_max, v);
      continue;
    }
    if (t.aggregate == aggregation::sum) acc += v; // bound: cannot overflow
    if (t.aggregate == aggregation::min) acc = count > 0 ? std::min(acc, v) : v;
    if (t.aggregate == aggregation::max) acc = count > 0 ? std::max(acc, v) : v;
    ++count;
  }
  out.row = bound_table::no_row;
  switch (t.aggregate) {
  case aggregation::none:
  case aggregation::count:
    if (unknown) return none_or_unknown(t, out, true);
    out.number = count;
    break;
  case aggregation::sum:
    if (unknown_nonzero) return none_or_unknown(t, out, true);
    out.number = acc;
    break;
  case aggregation::min:
  case aggregation::max:
    if (count == 0) return none_or_unknown(t, out, unknown);
    if (unknown && (t.aggregate == aggregation::min ? unknown_min < acc : unknown_max > acc))
      return none_or_unknown(t, out, true);
    out.number = acc;
    break;
  }
  out.what = table_result::state::value;
  return out;
}

template <class Rows>
[[nodiscard]] table_result evaluate_rows(const bound_table& t, Rows rows) noexcept {
  switch (t.policy) {
  case hit_policy::unique:
  case hit_policy::any:
  case hit_policy::first:
  case hit_policy::priority: return single_hit(t, rows);
  case hit_policy::rule_order:
  case hit_policy::output_order:
  case hit_policy::collect: return multi_hit(t, rows);
  }
  return {};
}
} // namespace detail

/// Evaluates `table` on `inputs` (input i's value; `present == false` when missing), three-valued
/// as DMN: a row matches by the Kleene AND of its cells, a cell on a missing input being unknown
/// unless it is "-". A table of at most 64 rows finds its rows from each input's row set
/// (`input_index`); a larger one tests the rows in turn. Never allocates.
[[nodiscard]] inline table_result evaluate_table(const bound_table& t, std::span<const fact_value> inputs) noexcept {
  if (t.indexed) return detail::evaluate_rows(t, detail::indexed_rows(t, inputs));
  return detail::evaluate_rows(t, detail::scanned_rows(t, inputs));
}

/// As `evaluate_table`, testing the rows in turn even where the table is indexed: the reference
/// the index is tested against.
[[nodiscard]] inline table_result evaluate_table_by_rows(const bound_table& t,
                                                         std::span<const fact_value> inputs) noexcept {
  return detail::evaluate_rows(t, detail::scanned_rows(t, inputs));
}

/// The value of output `k` for `result`: the row's output, the otherwise value or the aggregate,
/// as a fact_value (a string's text views into `table`); missing for unknown or none.
[[nodiscard]] inline fact_value table_output_value(const bound_table& t, const table_result& result,
                                                   std::size_t k) noexcept {
  if (result.what != table_result::state::value || k >= t.output_count) return fact_value::missing();
  const bool aggregated = t.policy == hit_policy::collect && t.aggregate != aggregation::none;
  std::int64_t v = 0;
  if (aggregated)
    return fact_value::of_number(result.number);
  else if (result.row != bound_table::no_row)
    v = t.outputs[result.row * t.output_count + k];
  else if (t.has_otherwise)
    v = t.otherwise[k];
  else
    return fact_value::missing();
  if (t.output_types[k] == fact_type::string) return fact_value::of_text(t.texts[static_cast<std::size_t>(v)]);
  return fact_value::of_number(v);
}

/// The value of output `k` of row `row`.
[[nodiscard]] inline fact_value row_output_value(const bound_table& t, std::uint32_t row, std::size_t k) noexcept {
  const std::int64_t v = t.outputs[row * t.output_count + k];
  if (t.output_types[k] == fact_type::string) return fact_value::of_text(t.texts[static_cast<std::size_t>(v)]);
  return fact_value::of_number(v);
}

/// The rows that match `inputs` (yes, not unknown), in the policy's order (output priority for
/// output_order, else row order), written into `out` as far as it goes; returns how many match.
[[nodiscard]] inline std::size_t matching_rows(const bound_table& t, std::span<const fact_value> inputs,
                                               std::span<std::uint32_t> out) noexcept {
  const std::uint64_t missing = detail::missing_of(t, inputs);
  std::size_t n = 0;
  for (std::size_t i = 0; i < t.row_count; ++i) {
    const std::uint32_t r = t.policy == hit_policy::output_order ? t.order[i] : static_cast<std::uint32_t>(i);
    if (detail::row_match(t, r, inputs, missing) == detail::row_state::yes) {
      if (n < out.size()) out[n] = r;
      ++n;
    }
  }
  return n;
}

} // namespace entitle
