#pragma once

#include <entitle/rules/condition.hpp>
#include <entitle/rules/derived.hpp>
#include <entitle/rules/literal.hpp>
#include <entitle/rules/schema.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

// The JSON shape of derived values (docs/policy-format.md, "Derived values"). Used by the policy
// reader and writer, which lend it their readers of conditions, constants and declarations; the
// readers throw `entitle::error` located at the JSON pointer of the problem, relative to the value.
namespace entitle::detail {

/// The keys that name what a condition tests or an expression reads, and what each derives from
/// the fact: `{"fact": "income"}`, `{"age_of": "birth_date"}`, `{"months_since": "start"}`.
inline constexpr std::array<std::pair<std::string_view, derivation>, 3> subject_keys = {
    {{"fact", derivation::value}, {"age_of", derivation::age_in_years}, {"months_since", derivation::months_since}}};

/// How the policy reader reads and writes the parts a derived value shares with rules and facts.
struct derived_codec {
  std::function<condition(const boost::json::value&)> read_condition;
  std::function<boost::json::value(const condition&)> write_condition;
  std::function<literal(const boost::json::value&, const field*)> read_literal; ///< field: the type wanted, if known
  std::function<boost::json::value(const literal&)> write_literal;
  std::function<field(const boost::json::object&, std::string)> read_declaration; ///< "type", "values"
};

/// {"id": ..., "label": ..., "type": ..., "citation": ..., "value": EXPRESSION}
[[nodiscard]] derived_value derived_from(const boost::json::value& jv, const derived_codec& codec);
[[nodiscard]] boost::json::value to_json(const derived_value& d, const derived_codec& codec);

} // namespace entitle::detail
