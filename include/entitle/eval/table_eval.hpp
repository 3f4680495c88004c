#pragma once

#include <entitle/rules/decision_table.hpp>

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

[[nodiscard]] inline bool cell_passes(const bound_table& t, const bound_cell& c, const fact_value& v) noexcept {
  switch (c.test) {
  case cell_test::range: return v.number >= c.low && v.number <= c.high;
  case cell_test::mask: return static_cast<std::uint64_t>(v.number) < 64 && ((c.mask >> v.number) & 1U) != 0;
  case cell_test::intervals:
    for (std::uint32_t k = c.first; k < c.first + c.count; ++k)
      if (v.number >= t.intervals[k].first && v.number <= t.intervals[k].second) return true;
    return false;
  case cell_test::texts:
    for (std::uint32_t k = c.first; k < c.first + c.count; ++k)
      if (t.texts[k] == v.text) return !c.negate;
    return c.negate;
  case cell_test::never: return false;
  }
  return false;
}

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

inline void mark(table_result& out, std::size_t r, row_state s) noexcept {
  if (r >= 64) return;
  if (s == row_state::yes) out.rows_matched_low |= std::uint64_t{1} << r;
  if (s == row_state::unknown) out.rows_unknown_low |= std::uint64_t{1} << r;
}
} // namespace detail

/// Evaluates `table` on `inputs` (input i's value; `present == false` when missing), three-valued
/// as DMN: a row matches by the Kleene AND of its cells, a cell on a missing input being unknown
/// unless it is "-". Never allocates.
[[nodiscard]] inline table_result evaluate_table(const bound_table& t, std::span<const fact_value> inputs) noexcept {
  using detail::row_state;
  table_result out;
  const std::uint64_t missing = detail::missing_of(t, inputs);
  const auto finish_none = [&](bool unknown) {
    if (unknown)
      out.what = table_result::state::unknown;
    else
      out.what = t.has_otherwise ? table_result::state::value : table_result::state::none;
    out.row = bound_table::no_row;
    return out;
  };
  switch (t.policy) {
  case hit_policy::unique:
  case hit_policy::any: {
    bool unknown = false;
    for (std::size_t r = 0; r < t.row_count; ++r) {
      const row_state s = detail::row_match(t, r, inputs, missing);
      detail::mark(out, r, s);
      if (s == row_state::yes) {
        out.what = table_result::state::value;
        out.row = static_cast<std::uint32_t>(r);
        return out;
      }
      unknown = unknown || s == row_state::unknown;
    }
    return finish_none(unknown);
  }
  case hit_policy::first:
    for (std::size_t r = 0; r < t.row_count; ++r) {
      const row_state s = detail::row_match(t, r, inputs, missing);
      detail::mark(out, r, s);
      if (s == row_state::unknown) return finish_none(true);
      if (s == row_state::yes) {
        out.what = table_result::state::value;
        out.row = static_cast<std::uint32_t>(r);
        return out;
      }
    }
    return finish_none(false);
  case hit_policy::priority: {
    std::uint32_t best = bound_table::no_row;
    std::uint32_t best_unknown_rank = 0xFFFFFFFFu;
    for (std::size_t r = 0; r < t.row_count; ++r) {
      const row_state s = detail::row_match(t, r, inputs, missing);
      detail::mark(out, r, s);
      if (s == row_state::yes && (best == bound_table::no_row || t.rank[r] < t.rank[best]))
        best = static_cast<std::uint32_t>(r);
      if (s == row_state::unknown) best_unknown_rank = std::min(best_unknown_rank, t.rank[r]);
    }
    if (best == bound_table::no_row) return finish_none(best_unknown_rank != 0xFFFFFFFFu);
    if (best_unknown_rank < t.rank[best]) return finish_none(true);
    out.what = table_result::state::value;
    out.row = best;
    return out;
  }
  case hit_policy::rule_order:
  case hit_policy::output_order:
  case hit_policy::collect: {
    bool unknown = false;
    std::int64_t count = 0;
    std::int64_t acc = 0;
    bool any_yes = false;
    const bool minmax = t.aggregate == aggregation::min || t.aggregate == aggregation::max;
    std::int64_t unknown_min = detail::int_max, unknown_max = detail::int_min;
    bool unknown_nonzero = false;
    for (std::size_t r = 0; r < t.row_count; ++r) {
      const row_state s = detail::row_match(t, r, inputs, missing);
      detail::mark(out, r, s);
      const std::int64_t v =
          t.aggregate == aggregation::none || t.aggregate == aggregation::count ? 0 : t.outputs[r * t.output_count];
      if (s == row_state::unknown) {
        unknown = true;
        unknown_nonzero = unknown_nonzero || v != 0;
        unknown_min = std::min(unknown_min, v);
        unknown_max = std::max(unknown_max, v);
      } else if (s == row_state::yes) {
        ++count;
        if (t.aggregate == aggregation::sum) acc += v; // bound: cannot overflow
        if (t.aggregate == aggregation::min) acc = any_yes ? std::min(acc, v) : v;
        if (t.aggregate == aggregation::max) acc = any_yes ? std::max(acc, v) : v;
        any_yes = true;
      }
    }
    out.row = bound_table::no_row;
    switch (t.aggregate) {
    case aggregation::none:
    case aggregation::count:
      if (unknown) return finish_none(true);
      out.what = table_result::state::value;
      out.number = count;
      return out;
    case aggregation::sum:
      if (unknown_nonzero) return finish_none(true);
      out.what = table_result::state::value;
      out.number = acc;
      return out;
    case aggregation::min:
    case aggregation::max:
      (void)minmax;
      if (!any_yes) return finish_none(unknown);
      if (unknown && (t.aggregate == aggregation::min ? unknown_min < acc : unknown_max > acc))
        return finish_none(true);
      out.what = table_result::state::value;
      out.number = acc;
      return out;
    }
    return out;
  }
  }
  return out;
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
