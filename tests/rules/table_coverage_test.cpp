#include <entitle/eval/table_coverage.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

using namespace entitle;

namespace {

table_cell any_cell() { return {}; }
table_cell eq(literal v) { return {table_cell::kind::compare, comparison::eq, {std::move(v)}, std::nullopt}; }
table_cell cmp(comparison op, literal v) { return {table_cell::kind::compare, op, {std::move(v)}, std::nullopt}; }
table_cell cmp2(comparison op, literal v, comparison op2, literal w) {
  return {table_cell::kind::compare, op, {std::move(v), std::move(w)}, op2};
}
table_cell between(literal lo, literal hi) {
  return {table_cell::kind::between, comparison::eq, {std::move(lo), std::move(hi)}, std::nullopt};
}
table_cell one_of(std::vector<literal> values, bool negate = false) {
  return {negate ? table_cell::kind::not_in : table_cell::kind::in, comparison::eq, std::move(values), std::nullopt};
}

decision_table table(std::vector<std::string> inputs, fact_type out = fact_type::integer,
                     hit_policy policy = hit_policy::unique) {
  decision_table t;
  t.id = "x";
  t.label = "X";
  t.citation = "test";
  t.policy = policy;
  for (auto& name : inputs)
    t.inputs.push_back({std::move(name), ""});
  t.outputs = {{"out", out, {}}};
  return t;
}

table_row row(std::vector<table_cell> when, literal then) { return {std::move(when), {std::move(then)}, "", ""}; }

field ranged(std::string name, fact_type type, std::int64_t lo, std::int64_t hi) {
  fact_range r;
  r.min = lo;
  r.max = hi;
  return field{std::move(name), type, {}, false, r};
}

// The reported point read back as facts and evaluated: no row matches it.
table_result evaluate_point(const bound_table& b, const std::vector<field>& fields, const table_coverage& c) {
  REQUIRE(c.point.size() == fields.size());
  std::vector<fact_value> in;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto v = coerce(fields[i], c.point[i]);
    REQUIRE(v.has_value());
    in.push_back(*v);
  }
  return evaluate_table(b, in);
}

const field jkk_class = enum_field("risk_class", {"very_low", "low", "medium", "high", "very_high"}); // values 0 to 4

decision_table jkk_table() {
  decision_table t = table({"risk_class"}, fact_type::rate);
  t.rows = {row({eq("very_low")}, "0.24%"), row({eq("low")}, "0.54%"), row({eq("medium")}, "0.89%"),
            row({eq("high")}, "1.27%"), row({eq("very_high")}, "1.74%")};
  return t;
}

} // namespace

// JKK contribution rates, one row per risk class: the five classes are the whole domain of the
// enum and each has its row, so every input matches one.
TEST_CASE("table coverage: a row per enum value is covered") {
  const std::vector<field> fields{jkk_class};
  const bound_table b = bind_table(jkk_table(), fields, "/t");
  const table_coverage c = uncovered_input(b, fields);
  CHECK(c.exhaustive);
  CHECK(!c.uncovered);
  CHECK(c.point.empty());
}

// The same table without its very_high row: the cuts are 0..4 (each eq cell [k, k] cuts at k and
// k + 1), the pieces 0, 1, 2, 3, 4, and 4 (very_high) passes no cell.
TEST_CASE("table coverage: an enum value without a row is reported by name") {
  const std::vector<field> fields{jkk_class};
  decision_table t = jkk_table();
  t.rows.pop_back();
  const bound_table b = bind_table(t, fields, "/t");
  const table_coverage c = uncovered_input(b, fields);
  CHECK(c.exhaustive);
  CHECK(c.uncovered == "risk_class = very_high");
  CHECK(evaluate_point(b, fields, c).what == table_result::state::none);
  // Rows for very_low, low and high only: medium (2) is the first class left.
  t.rows.erase(t.rows.begin() + 2);
  CHECK(uncovered_input(bind_table(t, fields, "/t"), fields).uncovered == "risk_class = medium");
}

// Bands 0..17 and 18..59 over a declared range 0..120: cuts 0, 18, 60; the pieces start at 0
// (row 0), 18 (row 1) and 60 (no row), so 60. With a band >= 60 added it is covered.
TEST_CASE("table coverage: a gap above integer bands within the declared range") {
  const std::vector<field> fields{ranged("age", fact_type::integer, 0, 120)};
  decision_table t = table({"age"});
  t.rows = {row({between(0, 17)}, 1), row({between(18, 59)}, 2)};
  const bound_table b = bind_table(t, fields, "/t");
  const table_coverage c = uncovered_input(b, fields);
  CHECK(c.exhaustive);
  CHECK(c.uncovered == "age = 60");
  CHECK(evaluate_point(b, fields, c).what == table_result::state::none);
  t.rows.push_back(row({cmp(comparison::ge, 60)}, 3));
  CHECK(!uncovered_input(bind_table(t, fields, "/t"), fields).uncovered);
  // Without the declared range, the numbers below 0 are inputs too: the least number is the first.
  const std::vector<field> unranged{field{"age", fact_type::integer}};
  CHECK(uncovered_input(bind_table(t, unranged, "/t"), unranged).uncovered == "age = -9223372036854775808");
}

// Rows (low, < 60), (high, -): each input alone has rows for all its values, but low with an age
// of 60 or more has none. Risk low (0) keeps row 0; its age pieces start at int64 min (row 0
// passes) and 60 (it does not): risk_class = low, age = 60.
TEST_CASE("table coverage: each input covered alone, a combination not") {
  const std::vector<field> fields{enum_field("risk_class", {"low", "high"}), field{"age", fact_type::integer}};
  decision_table t = table({"risk_class", "age"});
  t.rows = {row({eq("low"), cmp(comparison::lt, 60)}, 1), row({eq("high"), any_cell()}, 2)};
  const bound_table b = bind_table(t, fields, "/t");
  const table_coverage c = uncovered_input(b, fields);
  CHECK(c.exhaustive);
  CHECK(c.uncovered == "risk_class = low, age = 60");
  CHECK(evaluate_point(b, fields, c).what == table_result::state::none);
  t.rows.push_back(row({eq("low"), cmp(comparison::ge, 60)}, 3));
  CHECK(!uncovered_input(bind_table(t, fields, "/t"), fields).uncovered);
}

// Rows "a" and "b": the texts named are a and b, and a third that no cell names; a and b each
// have a row, the other text none. A not_in cell covers everything but its texts.
TEST_CASE("table coverage: a string input is uncovered at a text no cell names") {
  const std::vector<field> fields{field{"sector", fact_type::string}};
  decision_table t = table({"sector"});
  t.rows = {row({eq("a")}, 1), row({eq("b")}, 2)};
  const bound_table b = bind_table(t, fields, "/t");
  const table_coverage c = uncovered_input(b, fields);
  CHECK(c.uncovered == "sector = \"some other string\"");
  CHECK(evaluate_point(b, fields, c).what == table_result::state::none);
  // A row named "some other string" moves the other text on to "some other string'".
  t.rows.push_back(row({eq("some other string")}, 3));
  CHECK(uncovered_input(bind_table(t, fields, "/t"), fields).uncovered == "sector = \"some other string'\"");
  // Every text but a and b: together with the rows for a and b, every text.
  t.rows.back() = row({one_of({"a", "b"}, true)}, 3);
  CHECK(!uncovered_input(bind_table(t, fields, "/t"), fields).uncovered);
  // Only not_in {a}: a is the text left.
  t.rows = {row({one_of({"a"}, true)}, 1)};
  CHECK(uncovered_input(bind_table(t, fields, "/t"), fields).uncovered == "sector = \"a\"");
}

// With otherwise every input has a result: covered, whatever the rows.
TEST_CASE("table coverage: a table with otherwise is covered") {
  const std::vector<field> fields{jkk_class};
  decision_table t = jkk_table();
  t.rows.resize(1);
  t.otherwise = std::vector<literal>{"0.24%"};
  const table_coverage c = uncovered_input(bind_table(t, fields, "/t"), fields);
  CHECK(c.exhaustive);
  CHECK(!c.uncovered);
}

// Money is in sen, at least Rp0. Brackets <= Rp1.000.000 (to 100000000 sen) and Rp1.000.001 to
// Rp2.000.000 (100000100 to 200000000 sen): cuts at 100000001, 100000100 and 200000001, so the
// pieces start at 0 (row 0), 100000001 (none), 100000100 (row 1), 200000001 (none). The first
// gap is the sen between the brackets, Rp1.000.000,01, and not only the amounts above Rp2.000.000.
// Written as > Rp1.000.000 and <= Rp2.000.000, the next gap is Rp2.000.000,01.
TEST_CASE("table coverage: money brackets, to the sen") {
  const std::vector<field> fields{field{"monthly_wage", fact_type::money}};
  decision_table t = table({"monthly_wage"});
  t.rows = {row({cmp(comparison::le, "Rp1.000.000")}, 1), row({between("Rp1.000.001", "Rp2.000.000")}, 2)};
  bound_table b = bind_table(t, fields, "/t");
  table_coverage c = uncovered_input(b, fields);
  CHECK(c.uncovered == "monthly_wage = Rp1.000.000,01");
  CHECK(evaluate_point(b, fields, c).what == table_result::state::none);
  t.rows[1] = row({cmp2(comparison::gt, "Rp1.000.000", comparison::le, "Rp2.000.000")}, 2);
  b = bind_table(t, fields, "/t");
  c = uncovered_input(b, fields);
  CHECK(c.uncovered == "monthly_wage = Rp2.000.000,01");
  CHECK(evaluate_point(b, fields, c).what == table_result::state::none);
  t.rows.push_back(row({cmp(comparison::gt, "Rp2.000.000")}, 3));
  CHECK(!uncovered_input(bind_table(t, fields, "/t"), fields).uncovered);
}

// Dates: the pieces start at numbers that are not always dates (after 2024-01-31 comes the number
// of "2024-01-32"); each piece is reported at its first date. Rows < 2024-01-01 and > 2024-01-31:
// the gap is January, reported as 2024-01-01. For months, rows < 2024-01 and > 2024-03: 2024-01.
TEST_CASE("table coverage: dates and months report calendar values") {
  const std::vector<field> days{field{"start", fact_type::date}};
  decision_table t = table({"start"});
  t.rows = {row({cmp(comparison::lt, date(2024, 1, 1))}, 1), row({cmp(comparison::gt, date(2024, 1, 31))}, 2)};
  bound_table b = bind_table(t, days, "/t");
  table_coverage c = uncovered_input(b, days);
  CHECK(c.uncovered == "start = 2024-01-01");
  CHECK(evaluate_point(b, days, c).what == table_result::state::none);
  // <= 2024-01-31 and >= 2024-02-01 leave only non-dates between them: covered.
  t.rows = {row({cmp(comparison::le, date(2024, 1, 31))}, 1), row({cmp(comparison::ge, date(2024, 2, 1))}, 2)};
  CHECK(!uncovered_input(bind_table(t, days, "/t"), days).uncovered);
  // Only before 2024: the first gap is 2024-01-01; only from 0001-01-01 on: covered.
  t.rows = {row({cmp(comparison::lt, date(2024, 1, 1))}, 1)};
  CHECK(uncovered_input(bind_table(t, days, "/t"), days).uncovered == "start = 2024-01-01");
  t.rows = {row({cmp(comparison::ge, date(1, 1, 1))}, 1)};
  CHECK(!uncovered_input(bind_table(t, days, "/t"), days).uncovered);

  const std::vector<field> months{field{"from", fact_type::month}};
  t = table({"from"});
  t.rows = {row({cmp(comparison::lt, "2024-01")}, 1), row({cmp(comparison::gt, "2024-03")}, 2)};
  b = bind_table(t, months, "/t");
  c = uncovered_input(b, months);
  CHECK(c.uncovered == "from = 2024-01");
  CHECK(evaluate_point(b, months, c).what == table_result::state::none);
  // > 2024-01 starts at the number after 2024-01-01, whose first month is 2024-02: covered.
  t.rows = {row({cmp(comparison::le, "2024-01")}, 1), row({cmp(comparison::gt, "2024-01")}, 2)};
  CHECK(!uncovered_input(bind_table(t, months, "/t"), months).uncovered);
}

// Integer codes 1, 2, 3, 5 (no 4): rows for 1..3 and for 5 cover them; without 5, 5 is left (4 is
// not a value of the fact).
TEST_CASE("table coverage: integer codes are the domain") {
  fact_range codes;
  codes.allowed = {1, 2, 3, 5};
  const std::vector<field> fields{field{"group", fact_type::integer, {}, false, codes}};
  decision_table t = table({"group"});
  t.rows = {row({between(1, 3)}, 1), row({eq(5)}, 2)};
  CHECK(!uncovered_input(bind_table(t, fields, "/t"), fields).uncovered);
  t.rows.pop_back();
  CHECK(uncovered_input(bind_table(t, fields, "/t"), fields).uncovered == "group = 5");
}

// Twelve bool inputs and one row per input "this one is true" (first hit, so the rows may
// overlap): the only uncovered input is all false, which the search (false before true) reaches at
// its twelfth partial input, so a limit of 5 stops it undecided while the default limit finds it.
TEST_CASE("table coverage: the limit makes an undecided answer") {
  std::vector<field> fields;
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i) {
    names.push_back("b" + std::to_string(i));
    fields.emplace_back(names.back(), fact_type::boolean);
  }
  decision_table t = table(names, fact_type::integer, hit_policy::first);
  for (std::size_t i = 0; i < 12; ++i) {
    std::vector<table_cell> when(12, any_cell());
    when[i] = eq(true);
    t.rows.push_back(row(std::move(when), static_cast<std::int64_t>(i)));
  }
  const bound_table b = bind_table(t, fields, "/t");
  const table_coverage stopped = uncovered_input(b, fields, 5);
  CHECK(!stopped.exhaustive);
  CHECK(!stopped.uncovered);
  const table_coverage c = uncovered_input(b, fields);
  CHECK(c.exhaustive);
  REQUIRE(c.uncovered);
  CHECK(c.uncovered->starts_with("b0 = false, b1 = false"));
  CHECK(evaluate_point(b, fields, c).what == table_result::state::none);
  CHECK_THROWS_AS((void)uncovered_input(b, std::span<const field>(fields).first(3)), error);
}

// Against brute force: small tables of random cells over an enum (4 values), an integer 0..30 and
// a bool, every input evaluated. An uncovered input is reported exactly when some input evaluates
// to none, and the one reported does.
TEST_CASE("table coverage: agrees with trying every input") {
  const std::vector<field> fields{enum_field("kind", {"a", "b", "c", "d"}), ranged("age", fact_type::integer, 0, 30),
                                  field{"flag", fact_type::boolean}};
  const std::array<const char*, 4> kinds{"a", "b", "c", "d"};
  std::uint64_t seed = 12345;
  const auto next = [&](std::uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((seed >> 33) % n);
  };
  int uncovered = 0;
  for (int trial = 0; trial < 300; ++trial) {
    decision_table t = table({"kind", "age", "flag"}, fact_type::integer, hit_policy::first);
    const std::int64_t rows = 1 + next(6);
    for (std::int64_t r = 0; r < rows; ++r) {
      std::vector<table_cell> when(3);
      switch (next(4)) {
      case 0: break;
      case 1: when[0] = eq(kinds[static_cast<std::size_t>(next(4))]); break;
      case 2:
        when[0] = one_of({kinds[static_cast<std::size_t>(next(4))], kinds[static_cast<std::size_t>(next(4))]});
        break;
      default: when[0] = one_of({kinds[static_cast<std::size_t>(next(4))]}, true); break;
      }
      const std::int64_t a = next(32), c = next(32);
      switch (next(5)) {
      case 0: break;
      case 1: when[1] = cmp(comparison::lt, a); break;
      case 2: when[1] = cmp(comparison::ge, a); break;
      case 3: when[1] = between(std::min(a, c), std::max(a, c)); break;
      default: when[1] = one_of({a, c}, next(2) == 0); break;
      }
      if (next(2) == 0) when[2] = eq(next(2) == 0);
      t.rows.push_back(row(std::move(when), r));
    }
    const bound_table b = bind_table(t, fields, "/t");
    bool some_none = false;
    for (std::int64_t k = 0; k < 4; ++k)
      for (std::int64_t age = 0; age <= 30; ++age)
        for (std::int64_t flag = 0; flag <= 1; ++flag) {
          const std::array<fact_value, 3> in{fact_value::of_number(k), fact_value::of_number(age),
                                             fact_value::of_number(flag)};
          some_none = some_none || evaluate_table(b, in).what == table_result::state::none;
        }
    const table_coverage c = uncovered_input(b, fields);
    CHECK(c.exhaustive);
    CHECK(c.uncovered.has_value() == some_none);
    if (c.uncovered) {
      ++uncovered;
      CHECK(evaluate_point(b, fields, c).what == table_result::state::none);
    }
  }
  // The random tables are of both kinds.
  CHECK(uncovered > 30);
  CHECK(uncovered < 270);
}
