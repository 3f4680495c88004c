#pragma once

#include <entitle/core/error.hpp>
#include <entitle/eval/table_eval.hpp>
#include <entitle/rules/decision_table.hpp>
#include <entitle/rules/literal.hpp>
#include <entitle/rules/schema.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

// Coverage of a decision table: an input that no row matches, found exactly (not by sampling).
namespace entitle {

/// What `uncovered_input` finds.
struct table_coverage {
  /// An input no row matches, every input present, as "risk_class = very_high, age = 60" (fields
  /// by name, values as `render` writes them: enums by name, money as Rp1.000.000,01, strings
  /// quoted); "" for a table without inputs and without rows. nullopt when every input some row
  /// matches, or when the search stopped at its limit (`exhaustive` false).
  std::optional<std::string> uncovered;
  /// The same input, input by input, as literals that `coerce` reads back against the field.
  std::vector<literal> point;
  /// True when the answer is settled: a point was found, or every point was looked at. False when
  /// the search stopped at its limit first, so that nullopt then says "not known", not "covered".
  bool exhaustive = true;
};

/// The search's default limit on partial inputs looked at.
inline constexpr std::size_t table_coverage_limit = 1'000'000;

namespace detail {

// The least valid date number (or, for months, first-of-month number) at or after n, if any.
[[nodiscard]] inline std::optional<std::int64_t> next_calendar_number(std::int64_t n, bool months) {
  constexpr std::int64_t first = 1 * 512 + 1 * 32 + 1, last = 9999 * 512 + 12 * 32 + 31;
  if (n > last) return std::nullopt;
  n = std::max(n, first);
  std::int64_t y = n / 512, m = n / 32 % 16, d = n % 32;
  const auto next_month = [&] {
    d = 1;
    if (++m > 12) {
      m = 1;
      ++y;
    }
  };
  if (m == 0) {
    m = 1;
    d = 1;
  } else if (m > 12) {
    m = 12;
    next_month();
  }
  if (d == 0) d = 1;
  if (months && d > 1) next_month();
  if (y <= 9999) {
    const std::chrono::year_month_day_last end{
        std::chrono::year(static_cast<int>(y)),
        std::chrono::month_day_last(std::chrono::month(static_cast<unsigned>(m)))};
    if (d > static_cast<std::int64_t>(static_cast<unsigned>(end.day()))) next_month();
  }
  if (y > 9999) return std::nullopt;
  return y * 512 + m * 32 + d;
}

// The numbers that split input i's domain into pieces on each of which every cell of the input
// answers alike: each piece's least value (for dates and months its first calendar value).
[[nodiscard]] inline std::vector<std::int64_t> numeric_representatives(const bound_table& t, std::size_t i,
                                                                       const field& f) {
  std::vector<std::int64_t> cuts;
  const auto edges = [&](std::int64_t lo, std::int64_t hi) {
    cuts.push_back(lo);
    if (hi != int_max) cuts.push_back(hi + 1);
  };
  for (std::size_t r = 0; r < t.row_count; ++r) {
    const bound_cell& c = t.cells[r * t.input_count + i];
    switch (c.test) {
    case cell_test::range: edges(c.low, c.high); break;
    case cell_test::intervals:
      for (std::uint32_t k = c.first; k < c.first + c.count; ++k)
        edges(t.intervals[k].first, t.intervals[k].second);
      break;
    case cell_test::mask:
      for (std::int64_t b = 0; b < 64; ++b)
        if ((c.mask >> b) & 1U) edges(b, b);
      break;
    case cell_test::texts:
    case cell_test::never: break;
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const bool calendar = f.type == fact_type::date || f.type == fact_type::month;
  std::vector<std::int64_t> out;
  for (const auto& [lo, hi] : domain_of(f)) {
    // Pieces [start, end] of [lo, hi] between consecutive cuts.
    std::vector<std::int64_t> starts{lo};
    for (auto it = std::upper_bound(cuts.begin(), cuts.end(), lo); it != cuts.end() && *it <= hi; ++it)
      starts.push_back(*it);
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const std::int64_t end = k + 1 < starts.size() ? starts[k + 1] - 1 : hi;
      if (!calendar) {
        out.push_back(starts[k]);
        continue;
      }
      const auto v = next_calendar_number(starts[k], f.type == fact_type::month);
      if (v && *v <= end) out.push_back(*v);
    }
  }
  return out;
}

// Every text input i's cells name, then one none names.
[[nodiscard]] inline std::vector<std::string> text_representatives(const bound_table& t, std::size_t i) {
  std::vector<std::string> out;
  for (std::size_t r = 0; r < t.row_count; ++r) {
    const bound_cell& c = t.cells[r * t.input_count + i];
    if (c.test != cell_test::texts) continue;
    for (std::uint32_t k = c.first; k < c.first + c.count; ++k)
      if (std::find(out.begin(), out.end(), t.texts[k]) == out.end()) out.push_back(t.texts[k]);
  }
  out.push_back(other_string(out));
  return out;
}

class coverage_search {
public:
  coverage_search(const bound_table& t, std::span<const field> fields, std::size_t limit)
      : t_(t), fields_(fields), limit_(limit), words_((t.row_count + 63) / 64) {}

  table_coverage run() {
    table_coverage out;
    if (t_.has_otherwise) return out;
    const std::size_t n = t_.input_count;
    inputs_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      build(i);
      if (inputs_[i].values.empty()) return out; // a domain without values: no input at all
    }
    memo_.resize(n);
    free_.assign(n, std::vector<std::uint64_t>(words_, 0));
    for (std::size_t r = 0; r < t_.row_count; ++r)
      for (std::size_t i = 0; i < n; ++i)
        if ((t_.tests[r] >> i) == 0) free_[i][r / 64] |= std::uint64_t{1} << (r % 64);
    std::vector<std::uint64_t> all(words_, 0);
    for (std::size_t r = 0; r < t_.row_count; ++r)
      all[r / 64] |= std::uint64_t{1} << (r % 64);
    chosen_.assign(n, 0);
    const auto found = search(0, all);
    if (!found) {
      out.exhaustive = !stopped_;
      return out;
    }
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
      const fact_value v = inputs_[i].values[chosen_[i]].get();
      text += (i == 0 ? "" : ", ") + fields_[i].name + " = " + render(fields_[i], v);
      out.point.push_back(to_literal(fields_[i], v));
    }
    out.uncovered = std::move(text);
    return out;
  }

private:
  // One representative value: a number, or a text kept by the input.
  struct value {
    std::int64_t number = 0;
    const std::string* text = nullptr;
    [[nodiscard]] fact_value get() const { return text ? fact_value::of_text(*text) : fact_value::of_number(number); }
  };
  struct input {
    std::vector<std::string> texts;
    std::vector<value> values;
    std::vector<std::vector<std::uint64_t>> passes; ///< per value: the rows whose cell passes it
  };

  // Input i's representatives, keeping one per distinct set of rows passing.
  void build(std::size_t i) {
    input& in = inputs_[i];
    std::vector<value> candidates;
    if (fields_[i].type == fact_type::string) {
      in.texts = text_representatives(t_, i);
      for (const auto& s : in.texts)
        candidates.push_back({0, &s});
    } else {
      for (std::int64_t v : numeric_representatives(t_, i, fields_[i]))
        candidates.push_back({v, nullptr});
    }
    for (const value& v : candidates) {
      std::vector<std::uint64_t> pass(words_, 0);
      const fact_value fv = v.get();
      for (std::size_t r = 0; r < t_.row_count; ++r)
        if (cell_passes(t_, t_.cells[r * t_.input_count + i], fv)) pass[r / 64] |= std::uint64_t{1} << (r % 64);
      if (std::find(in.passes.begin(), in.passes.end(), pass) != in.passes.end()) continue;
      in.values.push_back(v);
      in.passes.push_back(std::move(pass));
    }
  }

  // True when some choice of inputs i.. leaves no row of `rows` matching (written to chosen_).
  bool search(std::size_t i, const std::vector<std::uint64_t>& rows) {
    if (std::all_of(rows.begin(), rows.end(), [](std::uint64_t w) { return w == 0; })) {
      for (std::size_t k = i; k < chosen_.size(); ++k)
        chosen_[k] = 0;
      return true;
    }
    if (i == inputs_.size()) return false;
    for (std::size_t w = 0; w < words_; ++w)
      if ((rows[w] & free_[i][w]) != 0) return false; // a row that tests none of inputs i.. matches every completion
    if (memo_[i].count(rows) != 0) return false;      // already seen: some row matches every completion
    const input& in = inputs_[i];
    std::vector<std::uint64_t> next(words_);
    for (std::size_t k = 0; k < in.values.size(); ++k) {
      if (++visited_ > limit_) {
        stopped_ = true;
        return false;
      }
      for (std::size_t w = 0; w < words_; ++w)
        next[w] = rows[w] & in.passes[k][w];
      chosen_[i] = k;
      if (search(i + 1, next)) return true;
      if (stopped_) return false;
    }
    if (memo_words_ + words_ <= max_memo_words) {
      memo_[i].insert(rows);
      memo_words_ += words_;
    }
    return false;
  }

  const bound_table& t_;
  std::span<const field> fields_;
  std::size_t limit_;
  std::size_t words_;
  std::vector<input> inputs_;
  std::vector<std::set<std::vector<std::uint64_t>>> memo_;
  std::vector<std::vector<std::uint64_t>> free_; ///< per input i: the rows whose cells on inputs i.. are all "-"
  std::vector<std::size_t> chosen_;
  std::size_t visited_ = 0;
  std::size_t memo_words_ = 0;
  static constexpr std::size_t max_memo_words = std::size_t{1} << 22; ///< 32 MiB of remembered row sets
  bool stopped_ = false;
};

} // namespace detail

/// An input that no row of `table` matches, every input present, or nullopt when each input some
/// row matches. `inputs` are the fields the table was bound with, in input order; their values
/// are taken from the fields (`detail::domain_of`: bools, enumerators, integer codes, the declared
/// range or every number; dates and months the calendar's; strings any text). A table with
/// `otherwise` is covered by definition. A row matches when every cell passes, as in evaluation,
/// whatever the hit policy: at the point found, `evaluate_table` gives `none` (rule_order,
/// output_order and collect without aggregation an empty list, count and sum 0, min and max none).
///
/// Exact: each input's values are split at the ends of its cells' intervals, bits and texts into
/// pieces on which each of its cells answers alike, and the search walks the pieces input by
/// input, keeping the rows still possibly matching, so that a partial input matching no row ends
/// it, one of those rows testing none of the inputs left settles its subtree, and a set of rows
/// already found to cover every completion is not searched again. At most `limit` partial inputs are looked at; past
/// that the search stops with `exhaustive` false. Throws `entitle::error` when `inputs` does not have one field per
/// input.
[[nodiscard]] inline table_coverage uncovered_input(const bound_table& table, std::span<const field> inputs,
                                                    std::size_t limit = table_coverage_limit) {
  if (inputs.size() != table.input_count)
    throw error(errc::invalid_syntax, "the table " + detail::quoted(table.id) + " has " +
                                          std::to_string(table.input_count) + " inputs but " +
                                          std::to_string(inputs.size()) + " fields were given for them");
  return detail::coverage_search(table, inputs, limit).run();
}

} // namespace entitle
