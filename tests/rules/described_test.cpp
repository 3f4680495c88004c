#include <entitle/rules/described.hpp>

#include "oku_timur.hpp"

#include <doctest/doctest.h>

#include <array>

using namespace entitle;
using namespace entitle::literals;

namespace {
struct unsupported {
  double weight;
};
static_assert(!fact_member<double>);
static_assert(!fact_member<std::uint64_t>); // could exceed the 64-bit signed range
static_assert(fact_member<std::uint32_t> && fact_member<std::optional<money>>);
static_assert(fact_count<oku_timur::person> == 8);
} // namespace

TEST_CASE("a described struct gives a schema, one fact per member") {
  const schema s = schema_of<oku_timur::person>();
  REQUIRE(s.size() == 8);
  CHECK(s.at(0) == field{"nik", fact_type::string, {}, true});
  CHECK(s.at(2).type == fact_type::date);
  CHECK(s.at(3).type == fact_type::enumeration);
  CHECK(s.at(3).enumerators.size() == 6);
  CHECK(s.at(3).enumerators[0] == enumerator{"asn", 0});
  CHECK(s.at(6) == field{"monthly_income", fact_type::money, {}, false}); // std::optional: may be missing
  CHECK(describes<oku_timur::person>(s));
  CHECK_FALSE(describes<oku_timur::person>(schema()));
}

TEST_CASE("reading a described struct's facts") {
  const oku_timur::person p{"1608011234567890",
                            "16.08.03.2001",
                            date(1970, 1, 2),
                            oku_timur::employment_status::informal,
                            oku_timur::occupation_kind::marbot,
                            std::nullopt,
                            1'500'000_rp,
                            false};
  std::array<fact_value, 8> facts;
  read_facts(p, facts);
  CHECK(facts[0].text == "1608011234567890");
  CHECK(facts[2].number == 1'008'674);   // 1970-01-02: 1970 x 512 + 1 x 32 + 2
  CHECK(facts[3].number == 3);           // informal is the fourth enumerator
  CHECK(facts[4].number == 1);           // marbot is the second
  CHECK_FALSE(facts[5].present);         // extreme_poor unknown
  CHECK(facts[6].number == 150'000'000); // Rp1,500,000 in sen
  CHECK(facts[7].present);
  CHECK(facts[7].number == 0); // false
}
