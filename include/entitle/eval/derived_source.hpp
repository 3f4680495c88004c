#pragma once

#include <entitle/eval/evaluator.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

// Where a derived value came from, for explanations and contribution statements alike: the
// decision table and the row that gave it, with the most specific citation.
namespace entitle::detail {

/// A table's part in a value: `row` as ", row 2 "III"", or that no row matched, that missing
/// inputs left it open, or that the value is the aggregate of the matching rows or the table's
/// otherwise value; `citation` the row's, else the table's.
struct table_source {
  const bound_table* table = nullptr;
  std::string row;
  std::string citation;
};

/// The source of the value of the table expression `expr` for the facts `walk` reads.
inline table_source table_source_of(const bound_rules& rules, const evaluator& walk, std::uint32_t expr) {
  const bound_table& t = rules.tables[static_cast<std::size_t>(rules.exprs[expr].value)];
  const table_result result = walk.table(expr);
  table_source out{&t, {}, t.citation};
  if (result.what == table_result::state::unknown) {
    out.row = ": missing inputs leave it open";
  } else if (result.row == bound_table::no_row) {
    const bool aggregated = t.policy == hit_policy::collect && t.aggregate != aggregation::none;
    out.row = result.what == table_result::state::none ? ": no row matches"
              : aggregated                             ? ": the aggregate of the matching rows"
                                                       : ": no row matches; its otherwise value";
  } else {
    const std::size_t r = result.row;
    out.row = ", row " + std::to_string(r);
    if (!t.row_ids[r].empty()) out.row += " " + detail::quoted(t.row_ids[r]);
    if (!t.row_citations[r].empty()) out.citation = t.row_citations[r];
  }
  return out;
}

/// Where the derived value in `slot` comes from: `the derived value "jkk_rate"`, and when it is a
/// decision table's output, the table and the row that gave it. `citation` is set to the most
/// specific one: the row's, the table's, or the derived value's.
inline std::string derived_source(const bound_rules& rules, const evaluator& walk, std::size_t slot,
                                  std::string& citation) {
  const bound_derived& d = rules.derived[slot - rules.facts.size()];
  citation = d.citation;
  std::string out = "the derived value " + detail::quoted(d.declared.name);
  if (rules.exprs[d.root].op != expr_op::table) return out;
  table_source table = table_source_of(rules, walk, d.root);
  if (!table.citation.empty()) citation = std::move(table.citation);
  return out + ", table " + table.table->id + table.row;
}

} // namespace entitle::detail
