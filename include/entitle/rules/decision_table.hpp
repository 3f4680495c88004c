#pragma once

#include <entitle/core/error.hpp>
#include <entitle/rules/condition.hpp>
#include <entitle/rules/literal.hpp>
#include <entitle/rules/parameter.hpp>
#include <entitle/rules/schema.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace entitle {

/// How a decision table's matching rows make its result (DMN hit policies).
enum class hit_policy : unsigned char {
  unique,       ///< at most one row matches (checked when the table is bound)
  any,          ///< rows that can match together give the same outputs (checked when bound)
  priority,     ///< the matching row whose outputs come first in the outputs' priority lists
  first,        ///< the first matching row in row order
  rule_order,   ///< every matching row, in row order
  output_order, ///< every matching row, in the outputs' priority order
  collect,      ///< every matching row, in row order, or their aggregate (`aggregation`)
};

/// What `collect` makes of the matching rows' single output.
enum class aggregation : unsigned char { none, sum, min, max, count };

/// One input cell's unary test.
struct table_cell {
  enum class kind : unsigned char {
    any,     ///< "-": any value, and a missing input too
    compare, ///< input op values[0], and when `second` is set also input *second values[1]
    between, ///< values[0] <= input <= values[1]
    in,      ///< input is one of values
    not_in,  ///< input is none of values
  };
  kind what = kind::any;
  comparison op = comparison::eq;   ///< compare: =, !=, <, <=, >, >=
  std::vector<literal> values;      ///< compare: 1 (2 with `second`); between: 2 (both ends included); in/not_in: n
  std::optional<comparison> second; ///< compare only: a second comparison that must hold too, with values[1]
  friend bool operator==(const table_cell&, const table_cell&) = default;
};

/// One input column of a table.
struct table_input {
  std::string name;  ///< the fact or derived value read, by name
  std::string label; ///< optional: how the column reads in explanations
  friend bool operator==(const table_input&, const table_input&) = default;
};

/// One output column of a table.
struct table_output {
  std::string id;
  fact_type type = fact_type::integer;
  /// Priority and output order: the output's values, first listed is highest; required for those
  /// hit policies.
  std::vector<literal> priority;
  friend bool operator==(const table_output&, const table_output&) = default;
};

/// One row (DMN rule) of a table: a cell per input, a value per output.
struct table_row {
  std::vector<table_cell> when;
  std::vector<literal> then;
  std::string id;       ///< optional
  std::string citation; ///< optional per row
  friend bool operator==(const table_row&, const table_row&) = default;
};

/// A DMN decision table before it is bound to the fields its inputs read.
struct decision_table {
  std::string id, label, citation;
  hit_policy policy = hit_policy::unique;
  aggregation aggregate = aggregation::none; ///< collect only
  std::vector<table_input> inputs;
  std::vector<table_output> outputs;
  std::vector<table_row> rows;
  std::optional<std::vector<literal>> otherwise; ///< DMN default output, used when no row matches
  friend bool operator==(const decision_table&, const decision_table&) = default;
};

/// The most inputs a table may have: the missing inputs are a 64-bit set during evaluation.
inline constexpr std::size_t max_table_inputs = 64;
/// The most outputs a table may have.
inline constexpr std::size_t max_table_outputs = 64;

/// How a bound cell tests its input, decided once at binding.
enum class cell_test : unsigned char {
  range,     ///< low <= x <= high (any: the whole int64 range, which also passes a missing input)
  mask,      ///< 0 <= x < 64 and bit x of `mask` (small enums and bools)
  intervals, ///< x in one of `count` inclusive intervals from `first` in `bound_table::intervals`
  texts,     ///< the text is (or with `negate`, is not) one of `count` strings from `first` in `bound_table::texts`
  never,     ///< no value passes
};

/// One cell in the compiled form.
struct bound_cell {
  std::int64_t low = std::numeric_limits<std::int64_t>::min();
  std::int64_t high = std::numeric_limits<std::int64_t>::max();
  std::uint64_t mask = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  cell_test test = cell_test::range;
  bool negate = false; ///< texts only
  friend bool operator==(const bound_cell&, const bound_cell&) = default;
};

/// For tables of at most 64 rows: how evaluation finds the rows a value of one input passes, as a
/// bit set of rows, without testing the rows one by one. Numbers: the input's cut points
/// (`bound_table::index_cuts` from `first_cut`, `count` of them, increasing) split its values into
/// `count` + 1 pieces on each of which every cell of the input gives one answer; a value's piece is
/// the number of cut points at or below it, and its rows `index_masks[first + piece]`. Strings:
/// `count` texts (`bound_table::texts` from `first_cut`) with their masks, then the mask of any
/// other text.
struct input_index {
  std::uint32_t first = 0;
  std::uint32_t first_cut = 0;
  std::uint32_t count = 0;
  std::uint64_t any = 0; ///< the rows whose cell on this input is "-", which a missing value passes
  friend bool operator==(const input_index&, const input_index&) = default;
};

/// A table in the compiled form evaluation reads: cells as ranges, masks or interval lists, outputs
/// as numbers (texts by index), priorities as one rank per row; no names on the evaluation path.
struct bound_table {
  static constexpr std::uint32_t no_row = 0xFFFFFFFFu;

  std::string id;                         ///< for messages only
  hit_policy policy = hit_policy::unique; ///< the hit policy
  aggregation aggregate = aggregation::none;
  std::size_t input_count = 0;
  std::size_t output_count = 0;
  std::size_t row_count = 0;
  std::vector<fact_type> input_types;
  std::vector<fact_type> output_types;
  std::vector<bound_cell> cells;    ///< row-major: row r's cell for input i is cells[r * input_count + i]
  std::vector<std::uint64_t> tests; ///< per row: the inputs whose cell is not "-" (bit i for input i)
  std::vector<std::pair<std::int64_t, std::int64_t>> intervals;
  std::vector<std::string> texts;    ///< string constants of cells and outputs
  std::vector<std::int64_t> outputs; ///< row-major per row then output: the number, or for strings an index in `texts`
  bool has_otherwise = false;
  std::vector<std::int64_t> otherwise; ///< as `outputs`, one per output
  /// priority and output_order: per row its place among the rows by its outputs' priority (0 is
  /// highest; equal for rows with equal priority outputs).
  std::vector<std::uint32_t> rank;
  std::vector<std::uint32_t> order; ///< output_order: the rows by (rank, row)

  /// Tables of at most 64 rows are indexed (`input_index`, one per input); larger ones are
  /// evaluated row by row.
  bool indexed = false;
  std::vector<input_index> index;
  std::vector<std::uint64_t> index_masks;
  std::vector<std::int64_t> index_cuts;

  // For explanations and `entitle check`, off the evaluation path.
  std::string label, citation;
  std::vector<std::string> input_names, output_ids, row_ids, row_citations;

  friend bool operator==(const bound_table&, const bound_table&) = default;
};

namespace detail {

/// True when `v` (present) passes cell `c` of table `t`.
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

using interval_set = std::vector<std::pair<std::int64_t, std::int64_t>>;
inline constexpr std::int64_t int_min = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t int_max = std::numeric_limits<std::int64_t>::max();

// Sorted, disjoint, merged.
inline interval_set normalized(interval_set s) {
  std::sort(s.begin(), s.end());
  interval_set out;
  for (const auto& [lo, hi] : s) {
    if (lo > hi) continue;
    if (!out.empty() && (out.back().second == int_max || lo <= out.back().second + 1))
      out.back().second = std::max(out.back().second, hi);
    else
      out.emplace_back(lo, hi);
  }
  return out;
}

inline interval_set complement(const interval_set& s) {
  interval_set out;
  std::int64_t next = int_min;
  bool done = false;
  for (const auto& [lo, hi] : s) {
    if (lo > next) out.emplace_back(next, lo - 1);
    if (hi == int_max) {
      done = true;
      break;
    }
    next = hi + 1;
  }
  if (!done) out.emplace_back(next, int_max);
  return out;
}

inline interval_set intersect(const interval_set& a, const interval_set& b) {
  interval_set out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const std::int64_t lo = std::max(a[i].first, b[j].first);
    const std::int64_t hi = std::min(a[i].second, b[j].second);
    if (lo <= hi) out.emplace_back(lo, hi);
    if (a[i].second < b[j].second)
      ++i;
    else
      ++j;
  }
  return out;
}

// The values a field can take, as intervals: enumerators and bools one by one, integer codes,
// or the declared range.
inline interval_set domain_of(const field& f) {
  interval_set d;
  if (f.type == fact_type::boolean) return {{0, 1}};
  if (f.type == fact_type::enumeration) {
    for (const auto& e : f.enumerators)
      d.emplace_back(e.value, e.value);
    return normalized(std::move(d));
  }
  if (!f.range.allowed.empty()) {
    for (std::int64_t code : f.range.allowed)
      d.emplace_back(code, code);
    return normalized(std::move(d));
  }
  return {{f.least().value_or(int_min), f.range.max.value_or(int_max)}};
}

// A cell's accepted values at bind time: intervals for numbers; for strings a finite set
// (`cofinite` false) or everything but a finite set.
struct cell_set {
  bool any = false;
  interval_set numbers;
  bool cofinite = false;
  std::vector<std::string> strings;
};

// A string that none of `taken` is: "some other string", with a mark added until it is new.
inline std::string other_string(const std::vector<std::string>& taken) {
  std::string s = "some other string";
  while (std::find(taken.begin(), taken.end(), s) != taken.end())
    s += "'";
  return s;
}

class table_binder {
public:
  table_binder(const decision_table& t, std::span<const field> inputs, const std::string& where,
               std::span<const parameter> parameters)
      : t_(t), fields_(inputs), where_(where), parameters_(parameters) {}

  bound_table bind() {
    check_header();
    out_.id = t_.id;
    out_.label = t_.label;
    out_.citation = t_.citation;
    for (const auto& input : t_.inputs)
      out_.input_names.push_back(input.name);
    for (const auto& output : t_.outputs)
      out_.output_ids.push_back(output.id);
    for (const auto& row : t_.rows) {
      out_.row_ids.push_back(row.id);
      out_.row_citations.push_back(row.citation);
    }
    out_.policy = t_.policy;
    out_.aggregate = t_.aggregate;
    out_.input_count = t_.inputs.size();
    out_.output_count = t_.outputs.size();
    out_.row_count = t_.rows.size();
    for (const auto& f : fields_)
      out_.input_types.push_back(f.type);
    for (const auto& o : t_.outputs)
      out_.output_types.push_back(o.type);
    sets_.resize(t_.rows.size());
    for (std::size_t r = 0; r < t_.rows.size(); ++r)
      bind_row(r);
    if (t_.otherwise) {
      const std::string here = where_ + "/otherwise";
      if (t_.otherwise->size() != t_.outputs.size())
        fail(errc::invalid_syntax,
             "\"otherwise\" gives " + std::to_string(t_.otherwise->size()) + " values for " +
                 std::to_string(t_.outputs.size()) + " outputs",
             here);
      out_.has_otherwise = true;
      for (std::size_t k = 0; k < t_.outputs.size(); ++k)
        out_.otherwise.push_back(output_constant(k, (*t_.otherwise)[k], here + "/" + std::to_string(k)));
    }
    bind_priorities();
    check_aggregate();
    build_index();
    if (t_.policy == hit_policy::unique || t_.policy == hit_policy::any) check_overlaps();
    return std::move(out_);
  }

private:
  [[noreturn]] static void fail(errc code, std::string message, std::string where) {
    throw error(failure(code, std::move(message), std::move(where)));
  }

  std::string table_name() const { return "table " + detail::quoted(t_.id); }

  void check_header() {
    if (t_.id.empty()) fail(errc::invalid_syntax, "a decision table needs an \"id\"", where_ + "/id");
    if (t_.label.empty()) fail(errc::invalid_syntax, "the " + table_name() + " needs a \"label\"", where_ + "/label");
    if (t_.citation.empty())
      fail(errc::invalid_syntax, "the " + table_name() + " needs a \"citation\"", where_ + "/citation");
    if (t_.inputs.size() > max_table_inputs)
      fail(errc::out_of_range, "a decision table has at most " + std::to_string(max_table_inputs) + " inputs",
           where_ + "/inputs");
    if (fields_.size() != t_.inputs.size())
      fail(errc::invalid_syntax,
           "the " + table_name() + " has " + std::to_string(t_.inputs.size()) + " inputs but " +
               std::to_string(fields_.size()) + " fields were given for them",
           where_ + "/inputs");
    if (t_.outputs.empty()) fail(errc::invalid_syntax, "the " + table_name() + " needs an output", where_ + "/outputs");
    if (t_.outputs.size() > max_table_outputs)
      fail(errc::out_of_range, "a decision table has at most " + std::to_string(max_table_outputs) + " outputs",
           where_ + "/outputs");
    if (t_.rows.empty()) fail(errc::invalid_syntax, "the " + table_name() + " needs a row", where_ + "/rows");
    if (t_.rows.size() > 0xFFFF'FFFEu)
      fail(errc::out_of_range, "the " + table_name() + " has too many rows", where_ + "/rows");
    for (std::size_t k = 0; k < t_.outputs.size(); ++k) {
      if (t_.outputs[k].id.empty())
        fail(errc::invalid_syntax, "an output needs an \"id\"", where_ + "/outputs/" + std::to_string(k) + "/id");
      output_fields_.emplace_back(t_.outputs[k].id, t_.outputs[k].type);
    }
    for (std::size_t k = 0; k < t_.outputs.size(); ++k)
      if (t_.outputs[k].type == fact_type::enumeration)
        fail(errc::invalid_syntax, "an output is not an enum; give it the type \"string\"",
             where_ + "/outputs/" + std::to_string(k) + "/type");
    if (t_.aggregate != aggregation::none && t_.policy != hit_policy::collect)
      fail(errc::invalid_syntax, "an aggregation is for the hit policy \"collect\" only", where_ + "/aggregation");
  }

  const literal& resolved(const field& f, const literal& value, const std::string& where) const {
    const auto* ref = std::get_if<parameter_ref>(&value);
    if (!ref) return value;
    const parameter* p = find_parameter(parameters_, ref->id);
    if (!p) fail(errc::invalid_syntax, "no parameter is called " + detail::quoted(ref->id), where + "/parameter");
    const fact_type expected = f.type == fact_type::enumeration ? fact_type::string : f.type;
    if (p->type != expected)
      fail(errc::invalid_syntax,
           "the parameter " + detail::quoted(ref->id) + " is " + std::string(type_name(p->type)) + " but " +
               detail::quoted(f.name) + " is " + std::string(type_name(f.type)),
           where + "/parameter");
    if (std::holds_alternative<parameter_ref>(p->value))
      fail(errc::invalid_syntax, "a parameter's value is a constant, not another parameter", where + "/parameter");
    return p->value;
  }

  std::int64_t number(const field& f, const literal& value, const std::string& where) const {
    auto compiled = coerce(f, resolved(f, value, where));
    if (!compiled) fail(compiled.error().code, compiled.error().message, where);
    return compiled->number;
  }

  std::string text(const field& f, const literal& value, const std::string& where) const {
    auto compiled = coerce(f, resolved(f, value, where));
    if (!compiled) fail(compiled.error().code, compiled.error().message, where);
    return std::string(compiled->text);
  }

  std::int64_t output_constant(std::size_t k, const literal& value, const std::string& where) {
    const field& f = output_fields_[k];
    if (f.type != fact_type::string) return number(f, value, where);
    out_.texts.push_back(text(f, value, where));
    return static_cast<std::int64_t>(out_.texts.size() - 1);
  }

  static interval_set compare_set(comparison op, std::int64_t v) {
    switch (op) {
    case comparison::eq: return {{v, v}};
    case comparison::ne: return complement({{v, v}});
    case comparison::lt: return v == int_min ? interval_set{} : interval_set{{int_min, v - 1}};
    case comparison::le: return {{int_min, v}};
    case comparison::gt: return v == int_max ? interval_set{} : interval_set{{v + 1, int_max}};
    case comparison::ge: return {{v, int_max}};
    }
    return {};
  }

  // Where a comparison's value is written: the cell itself for `{"<=": v}` or a bare constant; the
  // operator's key when the cell holds two comparisons.
  static std::string compare_place(const table_cell& c, std::size_t n, const std::string& where) {
    if (!c.second) return where;
    return where + "/" + std::string(symbol(n == 0 ? c.op : *c.second));
  }

  cell_set cell_values(const table_cell& c, const field& f, const std::string& where) const {
    cell_set s;
    const auto need = [&](std::size_t n, const char* what) {
      if (n == 0 ? c.values.empty() : c.values.size() != n)
        fail(errc::invalid_syntax, std::string("a cell ") + what, where);
    };
    const bool text = f.type == fact_type::string;
    switch (c.what) {
    case table_cell::kind::any: s.any = true; return s;
    case table_cell::kind::compare: {
      need(c.second ? 2 : 1, "compares with one value per comparison");
      const comparison ops[2] = {c.op, c.second.value_or(comparison::eq)};
      for (std::size_t n = 0; n < c.values.size(); ++n)
        if (ops[n] != comparison::eq && ops[n] != comparison::ne && !is_ordered(f.type))
          fail(errc::invalid_syntax,
               "the " + std::string(type_name(f.type)) + " fact \"" + f.name +
                   "\" has no order: a cell tests it with "
                   "= or != only, not " +
                   std::string(symbol(ops[n])),
               where);
      if (text) {
        if (c.second) fail(errc::invalid_syntax, "a cell on a string tests one comparison", where);
        s.strings.push_back(this->text(f, c.values[0], where));
        s.cofinite = c.op == comparison::ne;
        return s;
      }
      s.numbers = {{int_min, int_max}};
      for (std::size_t n = 0; n < c.values.size(); ++n)
        s.numbers = intersect(s.numbers, compare_set(ops[n], number(f, c.values[n], compare_place(c, n, where))));
      return s;
    }
    case table_cell::kind::between: {
      need(2, "\"between\" takes two values");
      if (!is_ordered(f.type))
        fail(errc::invalid_syntax,
             "the " + std::string(type_name(f.type)) + " fact \"" + f.name +
                 "\" has no order: a cell cannot test it with \"between\"",
             where);
      const std::int64_t lo = number(f, c.values[0], where + "/between/0");
      const std::int64_t hi = number(f, c.values[1], where + "/between/1");
      if (hi < lo) fail(errc::out_of_range, "\"between\" takes the lower end first", where + "/between");
      s.numbers = {{lo, hi}};
      return s;
    }
    case table_cell::kind::in:
    case table_cell::kind::not_in: {
      const char* key = c.what == table_cell::kind::in ? "in" : "not_in";
      need(0,
           c.what == table_cell::kind::in ? "\"in\" needs at least one value" : "\"not_in\" needs at least one value");
      for (std::size_t n = 0; n < c.values.size(); ++n) {
        const std::string here = where + "/" + key + "/" + std::to_string(n);
        if (text)
          s.strings.push_back(this->text(f, c.values[n], here));
        else {
          const std::int64_t v = number(f, c.values[n], here);
          s.numbers.emplace_back(v, v);
        }
      }
      s.numbers = normalized(std::move(s.numbers));
      if (c.what == table_cell::kind::not_in) {
        if (text)
          s.cofinite = true;
        else
          s.numbers = complement(s.numbers);
      }
      return s;
    }
    }
    return s;
  }

  bound_cell compile(const cell_set& s, const field& f) {
    bound_cell b;
    if (s.any) return b;
    if (f.type == fact_type::string) {
      b.test = cell_test::texts;
      b.negate = s.cofinite;
      b.first = static_cast<std::uint32_t>(out_.texts.size());
      b.count = static_cast<std::uint32_t>(s.strings.size());
      out_.texts.insert(out_.texts.end(), s.strings.begin(), s.strings.end());
      return b;
    }
    if (s.numbers.empty()) {
      b.test = cell_test::never;
      return b;
    }
    if (s.numbers.size() == 1) {
      b.low = s.numbers[0].first;
      b.high = s.numbers[0].second;
      return b;
    }
    const interval_set d = domain_of(f);
    if ((f.type == fact_type::enumeration || f.type == fact_type::boolean) && d.front().first >= 0 &&
        d.back().second < 64) {
      b.test = cell_test::mask;
      for (const auto& [lo, hi] : intersect(s.numbers, d))
        for (std::int64_t v = lo; v <= hi; ++v)
          b.mask |= std::uint64_t{1} << v;
      return b;
    }
    b.test = cell_test::intervals;
    b.first = static_cast<std::uint32_t>(out_.intervals.size());
    b.count = static_cast<std::uint32_t>(s.numbers.size());
    out_.intervals.insert(out_.intervals.end(), s.numbers.begin(), s.numbers.end());
    return b;
  }

  void bind_row(std::size_t r) {
    const table_row& row = t_.rows[r];
    const std::string here = where_ + "/rows/" + std::to_string(r);
    if (row.when.size() != t_.inputs.size())
      fail(errc::invalid_syntax,
           "row " + std::to_string(r) + " of the " + table_name() + " has " + std::to_string(row.when.size()) +
               " cells for " + std::to_string(t_.inputs.size()) + " inputs",
           here + "/when");
    if (row.then.size() != t_.outputs.size())
      fail(errc::invalid_syntax,
           "row " + std::to_string(r) + " of the " + table_name() + " has " + std::to_string(row.then.size()) +
               " outputs for " + std::to_string(t_.outputs.size()),
           here + "/then");
    std::uint64_t tests = 0;
    for (std::size_t i = 0; i < row.when.size(); ++i) {
      cell_set s = cell_values(row.when[i], fields_[i], here + "/when/" + std::to_string(i));
      if (!s.any) tests |= std::uint64_t{1} << i;
      out_.cells.push_back(compile(s, fields_[i]));
      sets_[r].push_back(std::move(s));
    }
    out_.tests.push_back(tests);
    for (std::size_t k = 0; k < row.then.size(); ++k)
      out_.outputs.push_back(output_constant(k, row.then[k], here + "/then/" + std::to_string(k)));
  }

  // The place of each row's (and `otherwise`'s) outputs in the priority lists.
  void bind_priorities() {
    if (t_.policy != hit_policy::priority && t_.policy != hit_policy::output_order) return;
    const std::size_t n = t_.outputs.size();
    std::vector<std::vector<std::int64_t>> lists(n);
    for (std::size_t k = 0; k < n; ++k) {
      const std::string here = where_ + "/outputs/" + std::to_string(k) + "/priority";
      if (t_.outputs[k].priority.empty())
        fail(errc::invalid_syntax,
             "the hit policy needs a \"priority\" list for the output " + detail::quoted(t_.outputs[k].id), here);
      for (std::size_t p = 0; p < t_.outputs[k].priority.size(); ++p) {
        const std::int64_t v = output_constant(k, t_.outputs[k].priority[p], here + "/" + std::to_string(p));
        lists[k].push_back(v);
      }
    }
    const auto same = [&](std::size_t k, std::int64_t a, std::int64_t b) {
      return output_fields_[k].type == fact_type::string
                 ? out_.texts[static_cast<std::size_t>(a)] == out_.texts[static_cast<std::size_t>(b)]
                 : a == b;
    };
    std::vector<std::vector<std::size_t>> places(t_.rows.size(), std::vector<std::size_t>(n));
    for (std::size_t r = 0; r < t_.rows.size(); ++r)
      for (std::size_t k = 0; k < n; ++k) {
        const std::int64_t v = out_.outputs[r * n + k];
        std::size_t p = 0;
        while (p < lists[k].size() && !same(k, lists[k][p], v))
          ++p;
        if (p == lists[k].size())
          fail(errc::invalid_syntax,
               "the output " + describe(t_.rows[r].then[k]) + " is not in the priority list of " +
                   detail::quoted(t_.outputs[k].id),
               where_ + "/rows/" + std::to_string(r) + "/then/" + std::to_string(k));
        places[r][k] = p;
      }
    std::vector<std::uint32_t> order(t_.rows.size());
    for (std::uint32_t r = 0; r < order.size(); ++r)
      order[r] = r;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return places[a] < places[b]; });
    out_.rank.assign(t_.rows.size(), 0);
    std::uint32_t rank = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (i > 0 && places[order[i]] != places[order[i - 1]]) ++rank;
      out_.rank[order[i]] = rank;
    }
    out_.order = std::move(order);
  }

  void check_aggregate() {
    const std::string here = where_ + "/aggregation";
    if (t_.aggregate == aggregation::none || t_.aggregate == aggregation::count) return;
    const fact_type type = t_.outputs[0].type;
    if (t_.outputs.size() != 1) fail(errc::invalid_syntax, "sum, min and max aggregate a table with one output", here);
    if (type != fact_type::integer && type != fact_type::money && type != fact_type::rate)
      fail(errc::invalid_syntax,
           "sum, min and max aggregate integer, money or rate outputs, not " + std::string(type_name(type)), here);
    if (t_.aggregate != aggregation::sum) return;
    std::int64_t positive = 0, negative = 0;
    for (std::int64_t v : out_.outputs)
      if (__builtin_add_overflow(v > 0 ? positive : negative, v, v > 0 ? &positive : &negative))
        fail(errc::overflow, "the outputs of the " + table_name() + " could sum past 64 bits", here);
  }

  // An example value in both sets, as text; nullopt when they share none.
  std::optional<std::string> common(const cell_set& a, const cell_set& b, const field& f) const {
    if (f.type == fact_type::string) {
      if (a.any && b.any) return render(f, fact_value::of_text("some other string"));
      const cell_set& x = a.any ? b : a;
      const cell_set& y = a.any ? a : b;
      if (y.any) {
        if (!x.cofinite) return render(f, fact_value::of_text(x.strings[0]));
        return render(f, fact_value::of_text(other_string(x.strings)));
      }
      if (!x.cofinite || !y.cofinite) {
        const cell_set& fin = x.cofinite ? y : x;
        const cell_set& other = x.cofinite ? x : y;
        for (const auto& s : fin.strings) {
          const bool in_other = std::find(other.strings.begin(), other.strings.end(), s) != other.strings.end();
          if (in_other != other.cofinite) return render(f, fact_value::of_text(s));
        }
        return std::nullopt;
      }
      std::vector<std::string> taken = x.strings;
      taken.insert(taken.end(), y.strings.begin(), y.strings.end());
      return render(f, fact_value::of_text(other_string(taken)));
    }
    interval_set s = domain_of(f);
    if (!a.any) s = intersect(s, a.numbers);
    if (!b.any) s = intersect(s, b.numbers);
    if (s.empty()) return std::nullopt;
    return render(f, fact_value::of_number(s.front().first));
  }

  std::optional<std::string> overlap(std::size_t r, std::size_t q) const {
    std::string example;
    for (std::size_t i = 0; i < t_.inputs.size(); ++i) {
      auto value = common(sets_[r][i], sets_[q][i], fields_[i]);
      if (!value) return std::nullopt;
      example += (example.empty() ? "" : ", ") + fields_[i].name + " = " + *value;
    }
    return example;
  }

  bool same_outputs(std::size_t r, std::size_t q) const {
    const std::size_t n = t_.outputs.size();
    for (std::size_t k = 0; k < n; ++k) {
      const std::int64_t a = out_.outputs[r * n + k], b = out_.outputs[q * n + k];
      if (t_.outputs[k].type == fact_type::string
              ? out_.texts[static_cast<std::size_t>(a)] != out_.texts[static_cast<std::size_t>(b)]
              : a != b)
        return false;
    }
    return true;
  }

  void check_overlaps() const {
    for (std::size_t q = 1; q < t_.rows.size(); ++q)
      for (std::size_t r = 0; r < q; ++r) {
        if (t_.policy == hit_policy::any && same_outputs(r, q)) continue;
        if (auto example = overlap(r, q))
          fail(errc::invalid_syntax,
               "rows " + std::to_string(r) + " and " + std::to_string(q) + " of the " + table_name() + " both match " +
                   (example->empty() ? std::string("every input") : *example) +
                   (t_.policy == hit_policy::unique ? " (hit policy unique)"
                                                    : " with different outputs (hit policy any)"),
               where_ + "/rows/" + std::to_string(q));
      }
  }

  // The rows of input `i` whose cell `v` passes.
  std::uint64_t rows_passing(std::size_t i, const fact_value& v) const {
    std::uint64_t mask = 0;
    for (std::size_t r = 0; r < out_.row_count; ++r)
      if (cell_passes(out_, out_.cells[r * out_.input_count + i], v)) mask |= std::uint64_t{1} << r;
    return mask;
  }

  // Every value at which a cell of input `i` starts or stops passing.
  std::vector<std::int64_t> cuts_of(std::size_t i) const {
    std::vector<std::int64_t> cuts;
    const auto add = [&](std::int64_t low, std::int64_t high) {
      if (low != int_min) cuts.push_back(low);
      if (high != int_max) cuts.push_back(high + 1);
    };
    for (std::size_t r = 0; r < out_.row_count; ++r) {
      const bound_cell& c = out_.cells[r * out_.input_count + i];
      if (c.test == cell_test::range) add(c.low, c.high);
      if (c.test == cell_test::intervals)
        for (std::uint32_t k = c.first; k < c.first + c.count; ++k)
          add(out_.intervals[k].first, out_.intervals[k].second);
      if (c.test == cell_test::mask) {
        add(0, 63);
        for (std::int64_t v = 0; v < 64; ++v)
          if ((c.mask >> v) & 1U) add(v, v);
      }
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
  }

  void index_texts(std::size_t i, input_index& ix) {
    std::vector<std::string> seen;
    for (std::size_t r = 0; r < out_.row_count; ++r) {
      const bound_cell& c = out_.cells[r * out_.input_count + i];
      if (c.test == cell_test::texts)
        for (std::uint32_t k = c.first; k < c.first + c.count; ++k)
          if (std::find(seen.begin(), seen.end(), out_.texts[k]) == seen.end()) seen.push_back(out_.texts[k]);
    }
    ix.first_cut = static_cast<std::uint32_t>(out_.texts.size());
    ix.count = static_cast<std::uint32_t>(seen.size());
    for (const std::string& text : seen)
      out_.index_masks.push_back(rows_passing(i, fact_value::of_text(text)));
    const std::string other = other_string(seen);
    out_.index_masks.push_back(rows_passing(i, fact_value::of_text(other)));
    out_.texts.insert(out_.texts.end(), seen.begin(), seen.end());
  }

  // Tables of at most 64 rows: per input, the rows each piece of its values passes.
  void build_index() {
    if (out_.row_count > 64) return;
    out_.indexed = true;
    for (std::size_t i = 0; i < out_.input_count; ++i) {
      input_index ix;
      ix.first = static_cast<std::uint32_t>(out_.index_masks.size());
      for (std::size_t r = 0; r < out_.row_count; ++r)
        if (((out_.tests[r] >> i) & 1U) == 0) ix.any |= std::uint64_t{1} << r;
      if (out_.input_types[i] == fact_type::string) {
        index_texts(i, ix);
      } else {
        const std::vector<std::int64_t> cuts = cuts_of(i);
        ix.first_cut = static_cast<std::uint32_t>(out_.index_cuts.size());
        ix.count = static_cast<std::uint32_t>(cuts.size());
        out_.index_masks.push_back(rows_passing(i, fact_value::of_number(int_min)));
        for (const std::int64_t cut : cuts)
          out_.index_masks.push_back(rows_passing(i, fact_value::of_number(cut)));
        out_.index_cuts.insert(out_.index_cuts.end(), cuts.begin(), cuts.end());
      }
      out_.index.push_back(ix);
    }
  }

  const decision_table& t_;
  std::span<const field> fields_;
  const std::string& where_;
  std::span<const parameter> parameters_;
  std::vector<field> output_fields_;
  std::vector<std::vector<cell_set>> sets_;
  bound_table out_;
};

} // namespace detail

/// Binds `table`: `inputs` gives the field (name, type, enumerators) each input reads, in input
/// order; every cell's constants are read with `coerce` against it, outputs against a field of the
/// output's type, and a `parameter_ref` stands for the declared parameter's value. Throws
/// `entitle::error` whose location is a JSON pointer under `where` ("/tables/0/rows/3/when/1") for a
/// cell whose type does not fit (an order test on a bool, string or enum), a row with the wrong
/// number of cells or outputs, a missing id, label or citation, an aggregation other than with
/// collect (sum, min and max need one integer, money or rate output whose sum cannot overflow),
/// priority or output_order without priority lists or with an output not in its list; under
/// `unique` two rows that can both match one input, under `any` two that can with different
/// outputs, naming both rows and an example input.
[[nodiscard]] inline bound_table bind_table(const decision_table& table, std::span<const field> inputs,
                                            const std::string& where, std::span<const parameter> parameters = {}) {
  return detail::table_binder(table, inputs, where, parameters).bind();
}

} // namespace entitle
