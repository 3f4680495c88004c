#include <entitle/eval/table_eval.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

using namespace entitle;

namespace {

table_cell any_cell() { return {}; }
table_cell eq(literal v) { return {table_cell::kind::compare, comparison::eq, {std::move(v)}, std::nullopt}; }
table_cell cmp(comparison op, literal v) { return {table_cell::kind::compare, op, {std::move(v)}, std::nullopt}; }
table_cell between(literal lo, literal hi) {
  return {table_cell::kind::between, comparison::eq, {std::move(lo), std::move(hi)}, std::nullopt};
}

decision_table base(hit_policy policy, fact_type out = fact_type::integer) {
  decision_table t;
  t.id = "x";
  t.label = "X";
  t.citation = "test";
  t.policy = policy;
  t.inputs = {{"risk_class", ""}, {"age", ""}};
  t.outputs = {{"out", out, {}}};
  return t;
}

const std::vector<field> fields = {enum_field("risk_class", {"low", "high"}), field{"age", fact_type::integer}};

fact_value risk(std::int64_t v) { return fact_value::of_number(v); }
fact_value age(std::int64_t v) { return fact_value::of_number(v); }

} // namespace

// Worked by hand: rows 0 (low, <60 -> 1), 1 (high, -) -> 2, 2 (low, >=60) -> 3. An age missing
// leaves a high risk class settled (row 1 tests only the risk class) and a low one unknown.
TEST_CASE("decision table: unique, with a missing input unknown only for the rows testing it") {
  decision_table t = base(hit_policy::unique);
  t.rows = {{{eq("low"), cmp(comparison::lt, 60)}, {1}, "", ""},
            {{eq("high"), any_cell()}, {2}, "", ""},
            {{eq("low"), cmp(comparison::ge, 60)}, {3}, "", ""}};
  const bound_table b = bind_table(t, fields, "/tables/0");
  std::array<fact_value, 2> in{risk(0), age(61)};
  table_result r = evaluate_table(b, in);
  CHECK(r.what == table_result::state::value);
  CHECK(r.row == 2);
  CHECK(table_output_value(b, r, 0).number == 3);
  in = {risk(1), fact_value::missing()};
  r = evaluate_table(b, in);
  CHECK(r.what == table_result::state::value);
  CHECK(table_output_value(b, r, 0).number == 2);
  in = {risk(0), fact_value::missing()};
  CHECK(evaluate_table(b, in).what == table_result::state::unknown);
}

// Rows 1 and 3 overlap at risk_class = high, age = 18 (age 18..30 and >= 18).
TEST_CASE("decision table: unique overlap is an error naming both rows") {
  decision_table t = base(hit_policy::unique);
  t.rows = {{{eq("low"), any_cell()}, {1}, "", ""},
            {{eq("high"), between(18, 30)}, {2}, "", ""},
            {{eq("low"), cmp(comparison::ge, 100)}, {1}, "", ""},
            {{eq("high"), cmp(comparison::ge, 18)}, {3}, "", ""}};
  t.rows.erase(t.rows.begin() + 2); // rows 0, 1, 2: 0 and the removed row would overlap too
  try {
    (void)bind_table(t, fields, "/tables/0");
    FAIL("expected an error");
  } catch (const error& e) {
    CHECK(e.details().location == "/tables/0/rows/2");
    CHECK(e.details().message ==
          "rows 1 and 2 of the table \"x\" both match risk_class = high, age = 18 (hit policy unique)");
  }
}

// Under any, overlapping rows with equal outputs are fine; with different outputs an error.
TEST_CASE("decision table: any allows equal outputs only") {
  decision_table t = base(hit_policy::any);
  t.rows = {{{eq("low"), any_cell()}, {1}, "", ""}, {{any_cell(), cmp(comparison::lt, 10)}, {1}, "", ""}};
  CHECK_NOTHROW((void)bind_table(t, fields, "/t"));
  t.rows[1].then = {2};
  CHECK_THROWS_WITH_AS((void)bind_table(t, fields, "/t"),
                       "/t/rows/1: rows 0 and 1 of the table \"x\" both match risk_class = low, age = "
                       "-9223372036854775808 with different outputs (hit policy any)",
                       error);
}

// An order test on an enum, reported at the cell's pointer.
TEST_CASE("decision table: a cell whose type does not fit") {
  decision_table t = base(hit_policy::unique);
  t.rows = {{{cmp(comparison::lt, "high"), any_cell()}, {1}, "", ""}};
  try {
    (void)bind_table(t, fields, "/tables/0");
    FAIL("expected an error");
  } catch (const error& e) {
    CHECK(e.details().location == "/tables/0/rows/0/when/0");
  }
  t.rows = {{{any_cell(), eq("old")}, {1}, "", ""}};
  CHECK_THROWS_AS((void)bind_table(t, fields, "/tables/0"), error);
  t.rows = {{{any_cell()}, {1}, "", ""}};
  try {
    (void)bind_table(t, fields, "/tables/0");
    FAIL("expected an error");
  } catch (const error& e) {
    CHECK(e.details().location == "/tables/0/rows/0/when");
  }
}

// First: row 0 tests the age (missing: unknown) before row 1 (yes), so the result is unknown; with
// the age given as 70, row 0 is no and row 1 wins.
TEST_CASE("decision table: first with an unknown earlier row") {
  decision_table t = base(hit_policy::first);
  t.rows = {{{any_cell(), cmp(comparison::lt, 18)}, {1}, "", ""}, {{eq("high"), any_cell()}, {2}, "", ""}};
  const bound_table b = bind_table(t, fields, "/t");
  std::array<fact_value, 2> in{risk(1), fact_value::missing()};
  CHECK(evaluate_table(b, in).what == table_result::state::unknown);
  in[1] = age(70);
  const table_result r = evaluate_table(b, in);
  CHECK(r.row == 1);
  CHECK(table_output_value(b, r, 0).number == 2);
}

// Priority list 3 > 2 > 1. For high, 30: rows 0 (->1), 1 (->2) and 2 (->2) match; best rank is
// output 2, rows 1 and 2 tie, so row 1 (the first). With the age missing, row 3 (age < 40 -> 3) is
// unknown and outranks: unknown.
TEST_CASE("decision table: priority, ties and unknown higher rows") {
  decision_table t = base(hit_policy::priority);
  t.outputs[0].priority = {3, 2, 1};
  t.rows = {{{any_cell(), any_cell()}, {1}, "", ""},
            {{eq("high"), any_cell()}, {2}, "", ""},
            {{eq("high"), any_cell()}, {2}, "", ""},
            {{eq("low"), cmp(comparison::lt, 40)}, {3}, "", ""}};
  const bound_table b = bind_table(t, fields, "/t");
  std::array<fact_value, 2> in{risk(1), age(30)};
  table_result r = evaluate_table(b, in);
  CHECK(r.row == 1);
  in = {risk(0), fact_value::missing()};
  CHECK(evaluate_table(b, in).what == table_result::state::unknown);
  in = {risk(0), age(50)};
  CHECK(evaluate_table(b, in).row == 0);
  t.rows[0].then = {7};
  CHECK_THROWS_AS((void)bind_table(t, fields, "/t"), error);
}

// Output order: matches in priority order (rows 3, 1, 0 for low and 20: outputs 3, 2, 1).
TEST_CASE("decision table: rule order and output order lists") {
  decision_table t = base(hit_policy::output_order);
  t.outputs[0].priority = {3, 2, 1};
  t.rows = {{{any_cell(), any_cell()}, {1}, "", ""},
            {{any_cell(), cmp(comparison::lt, 30)}, {2}, "", ""},
            {{eq("high"), any_cell()}, {2}, "", ""},
            {{eq("low"), any_cell()}, {3}, "", ""}};
  bound_table b = bind_table(t, fields, "/t");
  const std::array<fact_value, 2> in{risk(0), age(20)};
  std::array<std::uint32_t, 4> rows{};
  REQUIRE(matching_rows(b, in, rows) == 3);
  CHECK(rows[0] == 3);
  CHECK(rows[1] == 1);
  CHECK(rows[2] == 0);
  t.policy = hit_policy::rule_order;
  b = bind_table(t, fields, "/t");
  REQUIRE(matching_rows(b, in, rows) == 3);
  CHECK(rows[0] == 0);
  CHECK(rows[2] == 3);
  const std::array<fact_value, 2> partly{fact_value::missing(), age(20)};
  CHECK(evaluate_table(b, partly).what == table_result::state::unknown);
}

// Money in sen: Rp1.000 (100000 sen), Rp2.500,50 (250050), Rp300 (30000). For high, 20 all three
// match: sum 380050, min 30000, max 250050, count 3.
TEST_CASE("decision table: collect sum, min, max and count over money") {
  decision_table t = base(hit_policy::collect, fact_type::money);
  t.rows = {{{any_cell(), any_cell()}, {"Rp1.000"}, "", ""},
            {{eq("high"), any_cell()}, {"Rp2.500,50"}, "", ""},
            {{any_cell(), cmp(comparison::lt, 65)}, {"Rp300"}, "", ""}};
  const std::array<fact_value, 2> in{risk(1), age(20)};
  const std::array<fact_value, 2> no_age{risk(1), fact_value::missing()};
  const std::array<std::pair<aggregation, std::int64_t>, 4> cases{
      {{aggregation::sum, 380050}, {aggregation::min, 30000}, {aggregation::max, 250050}, {aggregation::count, 3}}};
  for (const auto& [agg, expected] : cases) {
    t.aggregate = agg;
    const bound_table b = bind_table(t, fields, "/t");
    const table_result r = evaluate_table(b, in);
    CHECK(r.what == table_result::state::value);
    CHECK(table_output_value(b, r, 0).number == expected);
    // Age missing: row 2 (Rp300) unknown; it changes sum, min and count but not max.
    const table_result u = evaluate_table(b, no_age);
    CHECK((u.what == table_result::state::value) == (agg == aggregation::max));
  }
  t.aggregate = aggregation::sum;
  t.policy = hit_policy::unique;
  CHECK_THROWS_AS((void)bind_table(t, fields, "/t"), error);
}

// The index (tables of at most 64 rows) against the rows tested one by one, on random tables of
// every hit policy and random inputs, missing ones included: the same result, row and number.
TEST_CASE("decision table: the index gives what testing each row gives") {
  std::uint64_t seed = 20241203;
  const auto next = [&](std::uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((seed >> 33) % n);
  };
  const auto cell_for_age = [&]() -> table_cell {
    switch (next(6)) {
    case 0: return any_cell();
    case 1: return cmp(comparison::lt, next(80));
    case 2: return cmp(comparison::ge, next(80));
    case 3: {
      const std::int64_t lo = next(80);
      return between(lo, lo + next(30));
    }
    case 4: return {table_cell::kind::in, comparison::eq, {next(80), next(80), next(80)}, std::nullopt};
    default: return {table_cell::kind::not_in, comparison::eq, {next(80)}, std::nullopt};
    }
  };
  const auto cell_for_risk = [&]() -> table_cell {
    switch (next(3)) {
    case 0: return any_cell();
    case 1: return eq(next(2) ? "high" : "low");
    default: return cmp(comparison::ne, "low");
    }
  };
  const hit_policy policies[] = {hit_policy::first, hit_policy::priority, hit_policy::collect, hit_policy::rule_order};
  const aggregation aggregations[] = {aggregation::sum, aggregation::min, aggregation::max, aggregation::count,
                                      aggregation::none};
  std::size_t compared = 0;
  for (int n = 0; n < 300; ++n) {
    decision_table t = base(policies[n % 4]);
    if (t.policy == hit_policy::collect) t.aggregate = aggregations[next(5)];
    if (t.policy == hit_policy::priority) t.outputs[0].priority = {0, 1, 2, 3, 4};
    const std::size_t rows = 1 + static_cast<std::size_t>(next(n % 7 == 0 ? 64 : 12));
    for (std::size_t r = 0; r < rows; ++r)
      t.rows.push_back({{cell_for_risk(), cell_for_age()}, {next(5)}, "", ""});
    if (next(4) == 0) t.otherwise = std::vector<literal>{std::int64_t{9}};
    const bound_table b = bind_table(t, fields, "/t");
    REQUIRE(b.indexed);
    for (int k = 0; k < 40; ++k) {
      const std::array<fact_value, 2> in{next(5) == 0 ? fact_value::missing() : risk(next(2)),
                                         next(5) == 0 ? fact_value::missing() : age(next(90) - 5)};
      const table_result fast = evaluate_table(b, in), slow = evaluate_table_by_rows(b, in);
      CHECK(fast.what == slow.what);
      CHECK(fast.row == slow.row);
      CHECK(fast.number == slow.number);
      ++compared;
    }
  }
  CHECK(compared == 12000);
}

TEST_CASE("decision table: an index piece is counted as a binary search finds it, for few cuts and many") {
  // The piece of a value is the number of cuts at or below it: counted for up to 32 cuts, searched
  // for more. Both agree with std::upper_bound on every value around every cut.
  for (std::uint32_t count = 0; count <= 40; ++count) {
    std::vector<std::int64_t> cuts;
    for (std::uint32_t j = 0; j < count; ++j)
      cuts.push_back(static_cast<std::int64_t>(j) * 10 - 100);
    for (std::int64_t x = -120; x <= 320; ++x) {
      const auto expected = static_cast<std::uint32_t>(std::upper_bound(cuts.begin(), cuts.end(), x) - cuts.begin());
      REQUIRE(detail::cuts_at_or_below(cuts.data(), count, x) == expected);
    }
  }
  const std::int64_t extremes[] = {INT64_MIN, 0, INT64_MAX};
  CHECK(detail::cuts_at_or_below(extremes, 3, INT64_MIN) == 1);
  CHECK(detail::cuts_at_or_below(extremes, 3, INT64_MAX) == 3);
}
