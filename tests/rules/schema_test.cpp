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

TEST_CASE("a date fact is held as year x 512 + month x 32 + day, ordered as dates are") {
  using entitle::date;
  // Worked by hand: 2024 x 512 = 1,036,288; + 9 x 32 = 288; + 1.
  CHECK(entitle::date_number(date(2024, 9, 1)) == 1'036'577);
  CHECK(entitle::date_number(date(1, 1, 1)) == 512 + 32 + 1);
  CHECK(entitle::fact_value::of_date(date(2024, 9, 1)).number == 1'036'577);
  // Ordered as the dates: the last day of a month is below the first of the next, and of a
  // year below the first of the next year.
  CHECK(entitle::date_number(date(2024, 1, 31)) < entitle::date_number(date(2024, 2, 1)));
  CHECK(entitle::date_number(date(2023, 12, 31)) < entitle::date_number(date(2024, 1, 1)));
  // The inverse, checked.
  CHECK(entitle::number_date(1'036'577) == date(2024, 9, 1));
  CHECK(entitle::number_date(entitle::date_number(date(9999, 12, 31))) == date(9999, 12, 31));
  CHECK_THROWS_AS((void)entitle::number_date(2024 * 512 + 2 * 32 + 30), entitle::error); // 30 February
  CHECK_THROWS_AS((void)entitle::number_date(2024 * 512), entitle::error);               // month 0
  CHECK_THROWS_AS((void)entitle::number_date(-1), entitle::error);
  CHECK_THROWS_AS((void)entitle::number_date(10'000 * 512 + 32 + 1), entitle::error);
}

TEST_CASE("a fact's range suits its type") {
  schema s;
  // Bounds only on ordered facts, codes only on integers, the low end no higher than the high.
  CHECK(s.try_add(field("ok", fact_type::boolean, {}, false, {.min = 0, .max = {}, .allowed = {}, .citation = {}}))
            ->message ==
        "the bool fact \"ok\" has no order: only integer, money, rate, date and month facts take \"min\" and "
        "\"max\"");
  CHECK(s.try_add(field("wage", fact_type::money, {}, false, {.min = {}, .max = {}, .allowed = {1}, .citation = {}}))
            ->message == "the money fact \"wage\" cannot list allowed values: only integer facts take a list of codes "
                         "(enum facts list names)");
  const auto reversed =
      s.try_add(field("n", fact_type::integer, {}, false, {.min = 5, .max = 1, .allowed = {}, .citation = {}}));
  CHECK(reversed->code == errc::out_of_range);
  CHECK(reversed->message == "the integer fact \"n\" has a \"max\" below its \"min\"");
  CHECK(
      s.try_add(field("c", fact_type::integer, {}, false, {.min = {}, .max = {}, .allowed = {1, 2, 1}, .citation = {}}))
          ->message == "the integer fact \"c\" lists the value 1 twice");
  CHECK(s.size() == 0);
  // Money is at least Rp0 unless declared otherwise; other types have no default bound.
  CHECK(field("wage", fact_type::money).least() == 0);
  CHECK(field("wage", fact_type::money, {}, false, {.min = -500, .max = {}, .allowed = {}, .citation = {}}).least() ==
        -500);
  CHECK_FALSE(field("n", fact_type::integer).least().has_value());
}
