#include <entitle/eval/evaluator.hpp>

#include "rule_check.hpp"

#include <doctest/doctest.h>

using namespace entitle;
using namespace entitle::literals;
using rule_check::check;

namespace {
constexpr verdict yes = verdict::yes, no = verdict::no, unknown = verdict::unknown;
} // namespace

TEST_CASE("comparisons against a constant") {
  SUBCASE("integers") {
    CHECK(check(fact("count").is(3), {{"count", 3}}) == yes);
    CHECK(check(fact("count").is(3), {{"count", 4}}) == no);
    CHECK(check(fact("count").is_not(3), {{"count", 4}}) == yes);
    CHECK(check(fact("count").less_than(3), {{"count", 2}}) == yes);
    CHECK(check(fact("count").less_than(3), {{"count", 3}}) == no);
    CHECK(check(fact("count").at_most(3), {{"count", 3}}) == yes);
    CHECK(check(fact("count").greater_than(3), {{"count", 3}}) == no);
    CHECK(check(fact("count").at_least(3), {{"count", 3}}) == yes);
    CHECK(check(fact("count").at_least(-1), {{"count", -2}}) == no);
  }
  SUBCASE("money, written as money, as whole rupiah and as Indonesian text") {
    CHECK(check(fact("income").at_most(2'000'000_rp), {{"income", 2'000'000_rp}}) == yes);
    CHECK(check(fact("income").at_most(2'000'000), {{"income", "Rp2.000.001"}}) == no);
    CHECK(check(fact("income").at_most("Rp2.000.000"), {{"income", 1'999'999}}) == yes);
    // One sen above the limit is above it: amounts are exact.
    CHECK(check(fact("income").at_most(2'000'000_rp), {{"income", money::parse("2000000.01")}}) == no);
  }
  SUBCASE("rates") {
    CHECK(check(fact("share").greater_than(0.24_pct), {{"share", "0.3%"}}) == yes);
    CHECK(check(fact("share").is("0.0024"), {{"share", 0.24_pct}}) == yes);
  }
  SUBCASE("dates") {
    CHECK(check(fact("born").less_than(date(2000, 1, 1)), {{"born", date(1999, 12, 31)}}) == yes);
    CHECK(check(fact("born").less_than("2000-01-01"), {{"born", "2000-01-01"}}) == no);
  }
  SUBCASE("bools, strings and enums compare for equality") {
    CHECK(check(fact("flag").is(true), {{"flag", true}}) == yes);
    CHECK(check(fact("flag").is(false), {{"flag", true}}) == no);
    CHECK(check(fact("code").is("16.08"), {{"code", "16.08"}}) == yes);
    CHECK(check(fact("code").is_not("16.08"), {{"code", "16.09"}}) == yes);
    CHECK(check(fact("kind").is("asn"), {{"kind", "asn"}}) == yes);
    CHECK(check(fact("kind").is_not("asn"), {{"kind", "informal"}}) == yes);
  }
  SUBCASE("a missing fact makes the comparison unknown") {
    CHECK(check(fact("count").is(3), {}) == unknown);
    CHECK(check(fact("income").at_most(1_rp), {}) == unknown);
    CHECK(check(fact("kind").is_not("asn"), {}) == unknown);
    CHECK(check(fact("code").is("x"), {}) == unknown);
  }
}

TEST_CASE("comparisons against another fact") {
  CHECK(check(fact("income").at_most(fact("limit")), {{"income", 5_rp}, {"limit", 5_rp}}) == yes);
  CHECK(check(fact("income").less_than(fact("limit")), {{"income", 5_rp}, {"limit", 5_rp}}) == no);
  CHECK(check(fact("born").less_than(fact("registered")), {{"born", "1990-01-01"}, {"registered", "2020-01-01"}}) ==
        yes);
  CHECK(check(fact("kind").is(fact("other_kind")), {{"kind", "formal"}, {"other_kind", "formal"}}) == yes);
  CHECK(check(fact("nik").is_not(fact("code")), {{"nik", "a"}, {"code", "a"}}) == no);
  // Either side missing: unknown, and the decision names the missing side.
  CHECK(check(fact("income").at_most(fact("limit")), {{"income", 5_rp}}) == unknown);
  CHECK(check(fact("income").at_most(fact("limit")), {{"limit", 5_rp}}) == unknown);
  const decision d = rule_check::decide(fact("income").at_most(fact("limit")), {{"income", 5_rp}});
  CHECK(d.missing.count() == 1);
  CHECK(d.missing.test(3)); // "limit" is slot 3 of the sample facts
}

TEST_CASE("in a set") {
  CHECK(check(fact("kind").in({"informal", "formal"}), {{"kind", "formal"}}) == yes);
  CHECK(check(fact("kind").in({"informal", "formal"}), {{"kind", "asn"}}) == no);
  CHECK(check(fact("code").in({"16.08", "16.10"}), {{"code", "16.10"}}) == yes);
  CHECK(check(fact("code").in({"16.08", "16.10"}), {{"code", "16.1"}}) == no);
  CHECK(check(fact("count").in({1, 2, 3}), {{"count", 2}}) == yes);
  CHECK(check(fact("count").in({1, 2, 3}), {{"count", 4}}) == no);
  CHECK(check(fact("kind").in({"informal"}), {}) == unknown);
}

TEST_CASE("in a set of small numbers and of any numbers give the same answers") {
  // Sets whose values are all 0..63 (enum values, booleans) are tested as a bit mask; others
  // one by one. Values just outside the mask's range must not alias into it.
  CHECK(check(fact("count").in({0, 63}), {{"count", 63}}) == yes);
  CHECK(check(fact("count").in({0, 63}), {{"count", 64}}) == no);  // 64 is not 0
  CHECK(check(fact("count").in({0, 63}), {{"count", -1}}) == no);  // nor is -1 63
  CHECK(check(fact("count").in({0, 63}), {{"count", 128}}) == no); // nor 128 0
  CHECK(check(fact("count").in({-1, 64}), {{"count", -1}}) == yes);
  CHECK(check(fact("count").in({-1, 64}), {{"count", 64}}) == yes);
  CHECK(check(fact("count").in({-1, 64}), {{"count", 0}}) == no);
  CHECK(check(fact("flag").in({true}), {{"flag", true}}) == yes);
  CHECK(check(fact("flag").in({true}), {{"flag", false}}) == no);
  CHECK(check(fact("count").in({0, 63}), {}) == unknown);
}

TEST_CASE("between, both ends included") {
  CHECK(check(fact("count").between(15, 65), {{"count", 15}}) == yes);
  CHECK(check(fact("count").between(15, 65), {{"count", 65}}) == yes);
  CHECK(check(fact("count").between(15, 65), {{"count", 14}}) == no);
  CHECK(check(fact("count").between(15, 65), {{"count", 66}}) == no);
  CHECK(check(fact("income").between(0_rp, 1'000_rp), {{"income", 1'000_rp}}) == yes);
  CHECK(check(fact("count").between(15, 65), {}) == unknown);
}

TEST_CASE("present and missing are never unknown") {
  CHECK(check(fact("nik").present(), {{"nik", "1"}}) == yes);
  CHECK(check(fact("nik").present(), {}) == no);
  CHECK(check(fact("nik").missing(), {}) == yes);
  CHECK(check(fact("nik").missing(), {{"nik", "1"}}) == no);
}

TEST_CASE("string tests for registries") {
  SUBCASE("a 16-digit NIK") {
    CHECK(check(fact("nik").digits(16), {{"nik", "1608011234567890"}}) == yes);
    CHECK(check(fact("nik").digits(16), {{"nik", "160801123456789"}}) == no);   // 15 digits
    CHECK(check(fact("nik").digits(16), {{"nik", "16080112345678901"}}) == no); // 17 digits
    CHECK(check(fact("nik").digits(16), {{"nik", "16080112345678X0"}}) == no);
    CHECK(check(fact("nik").digits(16), {{"nik", "1608 0112345678 "}}) == no);
    // The characters either side of 0-9 ('/' and ':'), in the first and second group of eight.
    CHECK(check(fact("nik").digits(16), {{"nik", "/608011234567890"}}) == no);
    CHECK(check(fact("nik").digits(16), {{"nik", "160801123456789:"}}) == no);
    CHECK(check(fact("nik").digits(3), {{"nik", "9:0"}}) == no);
    CHECK(check(fact("nik").digits(3), {{"nik", "909"}}) == yes);
    CHECK(check(fact("nik").digits(16), {}) == unknown);
  }
  SUBCASE("length") {
    CHECK(check(fact("code").length(5), {{"code", "16.08"}}) == yes);
    CHECK(check(fact("code").length(5), {{"code", "16.8"}}) == no);
  }
  SUBCASE("starts with one of several prefixes") {
    CHECK(check(fact("code").starts_with({"16.08."}), {{"code", "16.08.03.2001"}}) == yes);
    CHECK(check(fact("code").starts_with({"16.08."}), {{"code", "16.09.03.2001"}}) == no);
    CHECK(check(fact("code").starts_with({"16.08.", "16.10."}), {{"code", "16.10.01"}}) == yes);
    CHECK(check(fact("code").starts_with({"16.08."}), {{"code", "16.08"}}) == no);
    CHECK(check(fact("code").starts_with({"16.08."}), {}) == unknown);
  }
  SUBCASE("prefixes of up to 8 characters are compared a word at a time, longer ones by character") {
    CHECK(check(fact("code").starts_with({"16.08.03"}), {{"code", "16.08.03"}}) == yes);     // 8 of 8
    CHECK(check(fact("code").starts_with({"16.08.03"}), {{"code", "16.08.04.2001"}}) == no); // 8th differs
    CHECK(check(fact("code").starts_with({"16.08.03"}), {{"code", "16.08.0"}}) == no);       // shorter
    CHECK(check(fact("code").starts_with({"1"}), {{"code", "1"}}) == yes);
    CHECK(check(fact("code").starts_with({"1"}), {{"code", ""}}) == no);
    CHECK(check(fact("code").starts_with({"16.08.03.2"}), {{"code", "16.08.03.2001"}}) == yes); // 10 characters
    CHECK(check(fact("code").starts_with({"16.08.03.2"}), {{"code", "16.08.03.3001"}}) == no);
    CHECK(check(fact("code").starts_with({"16.08.03.2", "16.09."}), {{"code", "16.09.01.2001"}}) == yes);
    CHECK(check(fact("code").starts_with({"16.10.", "16.08."}), {{"code", "16.08.01.2001"}}) == yes); // second
  }
}

TEST_CASE("age in full years at the evaluation date") {
  // The figures: born 2008-01-01 is 16 on 2024-01-01; born 2008-01-02 is 15.
  CHECK(check(age_of("born").at_least(16), {{"born", "2008-01-01"}}, date(2024, 1, 1)) == yes);
  CHECK(check(age_of("born").at_least(16), {{"born", "2008-01-02"}}, date(2024, 1, 1)) == no);
  // 15..65 on 2024-09-01: born 1959-09-01 turns 65 that day (yes); born 1958-09-01 turns 66
  // (no); born 2009-09-02 is still 14 (no); born 2009-09-01 turns 15 (yes).
  CHECK(check(age_of("born").between(15, 65), {{"born", "1959-09-01"}}) == yes);
  CHECK(check(age_of("born").between(15, 65), {{"born", "1958-09-01"}}) == no);
  CHECK(check(age_of("born").between(15, 65), {{"born", "2009-09-02"}}) == no);
  CHECK(check(age_of("born").between(15, 65), {{"born", "2009-09-01"}}) == yes);
  // Born 29 February 2008: still 14 on 2023-02-28 (a common year); 15 from 2023-03-01.
  CHECK(check(age_of("born").at_least(15), {{"born", "2008-02-29"}}, date(2023, 2, 28)) == no);
  CHECK(check(age_of("born").at_least(15), {{"born", "2008-02-29"}}, date(2023, 3, 1)) == yes);
  // A birth date after the evaluation date gives a negative age, never an error.
  CHECK(check(age_of("born").at_least(0), {{"born", "2024-09-02"}}) == no);
  CHECK(check(age_of("born").at_least(0), {}) == unknown);
}

TEST_CASE("months since a date") {
  // Registered 2024-03-15: on 2024-09-01 that is 5 full months (the 6th is reached on 09-15).
  CHECK(check(months_since("registered").is(5), {{"registered", "2024-03-15"}}) == yes);
  CHECK(check(months_since("registered").at_least(6), {{"registered", "2024-03-15"}}) == no);
  CHECK(check(months_since("registered").at_least(6), {{"registered", "2024-03-01"}}) == yes);
  CHECK(check(months_since("registered").at_least(6), {}) == unknown);
  // Across a year end: 2023-11-30 to 2024-02-29 is 3 calendar months, but the 30th has not
  // come round in February, so 2 full months.
  CHECK(check(months_since("registered").is(2), {{"registered", "2023-11-30"}}, date(2024, 2, 29)) == yes);
  CHECK(check(months_since("registered").is(3), {{"registered", "2023-11-30"}}, date(2024, 3, 1)) == yes);
  // Derived numbers in a set and against another fact.
  CHECK(check(months_since("registered").in({5, 6}), {{"registered", "2024-03-15"}}) == yes);
  CHECK(check(age_of("born").in({15, 16}), {{"born", "2010-01-01"}}) == no); // 14
  CHECK(check(age_of("born").is(fact("count")), {{"born", "2000-09-01"}, {"count", 24}}) == yes);
  CHECK(check(age_of("born").is(fact("count")), {{"born", "2000-09-02"}, {"count", 24}}) == no); // 23
}

TEST_CASE("all, any and not follow Kleene's logic") {
  const condition yes_test = fact("count").is(1);     // yes with count = 1
  const condition no_test = fact("flag").is(true);    // no with flag = false
  const condition unknown_test = fact("nik").is("x"); // unknown: nik is missing
  const rule_check::facts_list facts = {{"count", 1}, {"flag", false}};
  // The cases: any(unknown, yes) is yes; all(unknown, no) is no.
  CHECK(check(any({unknown_test, yes_test}), facts) == yes);
  CHECK(check(all({unknown_test, no_test}), facts) == no);
  CHECK(check(all({unknown_test, yes_test}), facts) == unknown);
  CHECK(check(any({unknown_test, no_test}), facts) == unknown);
  CHECK(check(all({yes_test, yes_test}), facts) == yes);
  CHECK(check(any({no_test, no_test}), facts) == no);
  CHECK(check(not_(yes_test), facts) == no);
  CHECK(check(not_(no_test), facts) == yes);
  CHECK(check(not_(unknown_test), facts) == unknown);
  CHECK(check(not_(all({unknown_test, no_test})), facts) == yes);
}

TEST_CASE("an undetermined decision lists only the missing facts that would settle it") {
  // any(nik = "x" [nik missing], count = 2 [no], income <= 5 [income missing]) is unknown:
  // nik and income would settle it; count is known.
  const decision d =
      rule_check::decide(any({fact("nik").is("x"), fact("count").is(2), fact("income").at_most(5_rp)}), {{"count", 1}});
  CHECK(d.outcome == status::undetermined);
  CHECK(d.missing.count() == 2);
  CHECK(d.missing.test(7)); // nik
  CHECK(d.missing.test(2)); // income
  // all(nik present-test [no], income [missing]) is no: settled, so nothing is listed.
  const decision settled = rule_check::decide(all({fact("nik").present(), fact("income").at_most(5_rp)}), {});
  CHECK(settled.outcome == status::ineligible);
  CHECK(settled.missing.none());
  // any(yes, unknown) is yes: the missing fact does not matter.
  const decision decided = rule_check::decide(any({fact("count").is(1), fact("income").at_most(5_rp)}), {{"count", 1}});
  CHECK(decided.outcome == status::eligible);
  CHECK(decided.missing.none());
}
