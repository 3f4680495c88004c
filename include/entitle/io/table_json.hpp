#pragma once

#include <entitle/io/derived_json.hpp>
#include <entitle/rules/decision_table.hpp>
#include <entitle/rules/schema.hpp>

#include <boost/json/value.hpp>

#include <span>

// The JSON shape of decision tables (under "tables" in a policy). Used by the policy reader and
// writer, which lend their readers of constants and types (`derived_codec`); the readers throw
// `entitle::error` located at the JSON pointer of the problem, relative to the table.
namespace entitle::detail {

/// {"id": ..., "label": ..., "citation": ..., "hit_policy": ..., "aggregation": ...,
///  "inputs": [name or {"name", "label"}], "outputs": [{"id", "type", "priority"}],
///  "rows": [{"when": [cell per input], "then": [value per output] or a value, "id", "citation"}],
///  "otherwise": [value per output] or a value}.
/// `known`: the fields of the facts and derived values, so that a cell's constants are read for
/// the type of the input it tests, when the input is among them.
[[nodiscard]] decision_table table_from(const boost::json::value& jv, const derived_codec& codec,
                                        std::span<const field> known);

/// The shape above: an input without a label as its name, a single output's values as one value
/// rather than an array. Throws `entitle::error` for a cell that has no JSON form (two comparisons
/// that are not a lower and an upper bound).
[[nodiscard]] boost::json::value to_json(const decision_table& t, const derived_codec& codec);

} // namespace entitle::detail
