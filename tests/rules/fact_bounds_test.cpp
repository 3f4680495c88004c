// fact_bounds finds the values outside their declared ranges that outside_range refuses, slot
// for slot, on every kind of range: a minimum, a maximum, both, integer codes, money's implicit
// Rp0 floor, and facts with no range or of a type without order.
#include <entitle/rules/fact_bounds.hpp>

#include <entitle/rules/literal.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

using namespace entitle;

namespace {

schema facts() {
  schema s;
  s.add(field("income", fact_type::money));       // at least Rp0
  s.add(field("age", fact_type::integer));        // any
  s.add(field("risk_class", fact_type::integer)); // codes 1..5
  s.add(field("share", fact_type::rate));         // 0 .. 10^9
  s.add(field("debt", fact_type::money));         // at most Rp0 and above -Rp100
  s.add(field("name", fact_type::string));        // no order
  s.set_range(2, {.min = {}, .max = {}, .allowed = {1, 2, 3, 4, 5}, .citation = {}});
  s.set_range(3, {.min = 0, .max = 1'000'000'000, .allowed = {}, .citation = {}});
  s.set_range(4, {.min = -10'000, .max = 0, .allowed = {}, .citation = {}});
  return s;
}

} // namespace

TEST_CASE("fact_bounds: the first value outside its range, as outside_range finds it") {
  const schema s = facts();
  const fact_bounds bounds(s);
  const std::vector<fact_value> fine = {fact_value::of_number(0),       fact_value::of_number(-5),
                                        fact_value::of_number(3),       fact_value::of_number(1'000'000'000),
                                        fact_value::of_number(-10'000), fact_value::of_text("x")};
  CHECK(bounds.first_outside(fine) == fact_bounds::npos);
  std::vector<fact_value> bad = fine;
  bad[2] = fact_value::of_number(6); // not a code
  CHECK(bounds.first_outside(bad) == 2);
  bad[0] = fact_value::of_number(-1); // below money's Rp0
  CHECK(bounds.first_outside(bad) == 0);
  bad[0] = fact_value::missing(); // a missing value is not out of range
  CHECK(bounds.first_outside(bad) == 2);

  // Random values around every edge: found exactly where outside_range refuses.
  std::mt19937_64 random(20'261'204);
  const std::int64_t edges[] = {-10'001, -10'000, -1, 0, 1, 5, 6, 999'999'999, 1'000'000'000, 1'000'000'001};
  std::size_t refused = 0, checked = 0;
  for (int round = 0; round < 5'000; ++round) {
    std::vector<fact_value> values;
    std::size_t expected = fact_bounds::npos;
    for (std::size_t slot = 0; slot < s.size(); ++slot) {
      const std::uint64_t pick = random() % 12;
      const fact_value v = pick == 11   ? fact_value::missing()
                           : pick == 10 ? fact_value::of_number(static_cast<std::int64_t>(random()))
                                        : fact_value::of_number(edges[pick]);
      values.push_back(s.at(slot).type == fact_type::string && v.present ? fact_value::of_text("x") : v);
      if (expected == fact_bounds::npos && outside_range(s.at(slot), values.back())) expected = slot;
    }
    CHECK(bounds.first_outside(values) == expected);
    refused += expected != fact_bounds::npos;
    ++checked;
  }
  CHECK(refused > 0);
  CHECK(refused < checked); // both outcomes were tried
}
