#pragma once

#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/decision_table.hpp>

#include <cstddef>
#include <cstdint>

namespace entitle {

/// The most values `value_field` lists one by one; past it, a derived value's values are given
/// as their least and greatest.
inline constexpr std::size_t max_listed_values = 1024;

namespace detail {

// Every value expression node `index` of `rules` can take, or more (a superset, never fewer): a
// constant's, a fact's declared ones, the union of the choices of an `if`, of the results of a
// bracket or of a table's output, and of the values `min`, `max` and `clamp` choose among.
// Everything for an age or a count of months.
inline interval_set node_domain(const bound_rules& rules, std::uint32_t index);

// Every value the fact or derived value in `slot` can take, or more.
inline interval_set slot_domain(const bound_rules& rules, std::size_t slot) {
  if (!rules.is_derived(slot)) return domain_of(rules.field_at(slot));
  const field& declared = rules.field_at(slot);
  if (declared.type == fact_type::boolean || declared.type == fact_type::enumeration || !declared.range.empty())
    return domain_of(declared);
  return node_domain(rules, rules.derived[slot - rules.facts.size()].root);
}

inline interval_set points_domain(const std::int64_t* values, std::size_t count) {
  interval_set d;
  for (std::size_t k = 0; k < count; ++k)
    d.emplace_back(values[k], values[k]);
  return normalized(std::move(d));
}

inline interval_set node_domain(const bound_rules& rules, std::uint32_t index) {
  const bound_expr& e = rules.exprs[index];
  const std::uint32_t* child = rules.expr_children.data() + e.first;
  auto children = [&](std::uint32_t from) {
    interval_set d;
    for (std::uint32_t k = from; k < e.count; ++k) {
      const interval_set c = node_domain(rules, child[k]);
      d.insert(d.end(), c.begin(), c.end());
    }
    return normalized(std::move(d));
  };
  switch (e.op) {
  case expr_op::value:
    return e.derive == derivation::value ? slot_domain(rules, e.slot) : interval_set{{int_min, int_max}};
  case expr_op::constant: return {{e.value, e.value}};
  case expr_op::least:
  case expr_op::greatest:
  case expr_op::clamp: return children(0);
  case expr_op::choose: return children(0);
  case expr_op::test: return {{0, 1}};
  case expr_op::bracket: {
    const std::int64_t* steps = rules.numbers.data() + e.value;
    return points_domain(steps + e.count, e.count + (e.has_above ? 1U : 0U));
  }
  case expr_op::table: {
    const bound_table& t = rules.tables[static_cast<std::size_t>(e.value)];
    if (t.policy == hit_policy::collect && t.aggregate != aggregation::min && t.aggregate != aggregation::max)
      return {{int_min, int_max}}; // a sum or a count is none of the rows' outputs
    interval_set d;
    for (std::size_t r = 0; r < t.row_count; ++r) {
      const std::int64_t v = t.outputs[r * t.output_count + e.slot];
      d.emplace_back(v, v);
    }
    if (t.has_otherwise) d.emplace_back(t.otherwise[e.slot], t.otherwise[e.slot]);
    return normalized(std::move(d));
  }
  }
  return {{int_min, int_max}};
}

} // namespace detail

/// The field of the fact or derived value in `slot`, with the values it can take: a fact's is its
/// declaration. A derived integer, money or rate value declares no range, so its range is worked
/// out from its expression: `{"if": {"fact": "risk_class", "is": "missing"}, "then": 1, "else":
/// {"fact": "risk_class"}}` over a `risk_class` of values 1 to 5 takes the values 1 to 5. The
/// integer values are listed (`range.allowed`) when they are not one interval and at most
/// `max_listed_values` numbers, and given as the least and greatest otherwise; either way they may be more than the
/// value can really take (an `if` is taken to choose either side), never fewer. An age or a count of months is not
/// bounded. Used where the values matter, as the coverage of a decision table does
/// (`uncovered_input`); evaluation never reads it.
[[nodiscard]] inline field value_field(const bound_rules& rules, std::size_t slot) {
  field f = rules.field_at(slot);
  const bool numeric = f.type == fact_type::integer || f.type == fact_type::money || f.type == fact_type::rate;
  if (!rules.is_derived(slot) || !numeric || !f.range.empty()) return f;
  const detail::interval_set d = detail::slot_domain(rules, slot);
  if (d.empty()) return f;
  // Integers are listed when there are few enough of them, so that a gap ({1..5, 7}) stays one.
  std::uint64_t count = 0;
  for (const auto& [lo, hi] : d)
    count += count > max_listed_values ? 0 : static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  if (f.type == fact_type::integer && d.size() > 1 && count != 0 && count <= max_listed_values) {
    for (const auto& [lo, hi] : d)
      for (std::int64_t v = lo; v <= hi; ++v)
        f.range.allowed.push_back(v);
    return f;
  }
  if (d.front().first != detail::int_min) f.range.min = d.front().first;
  if (d.back().second != detail::int_max) f.range.max = d.back().second;
  return f;
}

} // namespace entitle
