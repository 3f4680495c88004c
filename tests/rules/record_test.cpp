#include <entitle/rules/record.hpp>

#include <doctest/doctest.h>

#include <utility>
#include <vector>

using namespace entitle;

namespace {
schema names() {
  schema s;
  s.add({"short", fact_type::string, {}, false});
  s.add({"long", fact_type::string, {}, false});
  s.add({"count", fact_type::integer, {}, false});
  return s;
}
} // namespace

TEST_CASE("a record keeps its strings through copies and moves") {
  const schema s = names();
  record original(s.size());
  original.set(s, "short", std::string("16.08"));
  original.set(s, "long", std::string(100, 'x')); // forces the storage to grow
  original.set(s, "count", std::int64_t{3});
  record copy = original;
  record moved = std::move(original);
  std::vector<record> many;
  for (int i = 0; i < 50; ++i)
    many.push_back(copy); // reallocations move records
  for (const record* r : {&copy, &moved, &many.front(), &many.back()}) {
    CHECK(r->facts()[0].text == "16.08");
    CHECK(r->facts()[1].text == std::string(100, 'x'));
    CHECK(r->facts()[2].number == 3);
  }
}

TEST_CASE("a record is cleared for reuse and reports bad values") {
  const schema s = names();
  record r(s.size());
  r.set(s, "short", std::string("a"));
  r.clear();
  CHECK_FALSE(r.facts()[0].present);
  CHECK_THROWS_WITH_AS(r.set(s, "unknown", std::int64_t{1}), "no fact is called \"unknown\"", error);
  CHECK_THROWS_WITH_AS(r.set(s, "count", std::string("x")),
                       "the integer fact \"count\": expected a whole number, found \"x\"", error);
}
