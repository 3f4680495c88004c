#include <entitle/eval/table_eval.hpp>

#include <doctest/doctest.h>

#include <array>
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
