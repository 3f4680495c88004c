#include <entitle/rules/schema.hpp>

#include <doctest/doctest.h>

using namespace entitle;

TEST_CASE("a schema numbers its facts in the order they are added") {
  schema s;
  s.add({"nik", fact_type::string, {}, true}).add(enum_field("kind", {"informal", "asn"}));
  CHECK(s.size() == 2);
  CHECK(s.find("kind") == 1u);
  CHECK_FALSE(s.find("Kind").has_value());
  CHECK(s.at(1).find_enumerator("asn")->value == 1);
  CHECK(s.at(1).enumerator_name(0) == "informal");
  CHECK(s.at(1).enumerator_name(7).empty());
}

TEST_CASE("schema errors") {
  schema s;
  s.add({"nik", fact_type::string, {}, false});
  CHECK(s.try_add({"nik", fact_type::date, {}, false})->message == "the fact \"nik\" is declared twice");
  CHECK(s.try_add({"", fact_type::date, {}, false})->message == "a fact needs a name");
  CHECK(s.try_add({"kind", fact_type::enumeration, {}, false})->message ==
        "the enum fact \"kind\" needs at least one value");
  CHECK(s.try_add({"flag", fact_type::boolean, {{"x", 0}}, false})->message ==
        "only enum facts have values; \"flag\" is bool");
  CHECK(s.try_add({"kind", fact_type::enumeration, {{"a", 0}, {"b", 0}}, false})->message ==
        "the enum fact \"kind\" repeats the value \"b\"");
  schema full;
  for (std::size_t i = 0; i < max_facts; ++i) {
    std::string name = "f"; // appended rather than "f" + ..., which trips GCC 12's -Wrestrict false positive
    name += std::to_string(i);
    full.add({name, fact_type::integer, {}, false});
  }
  CHECK(full.try_add({"one_more", fact_type::integer, {}, false})->code == errc::out_of_range);
}

TEST_CASE("type names") {
  CHECK(type_name(fact_type::enumeration) == "enum");
  CHECK(type_name(fact_type::boolean) == "bool");
  CHECK(is_ordered(fact_type::date));
  CHECK_FALSE(is_ordered(fact_type::string));
}
