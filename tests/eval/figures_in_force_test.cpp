// No figure silently absent: a period in which an enrolled program has no figure in force stops
// the run, naming the program, the month and the policy's dates, unless the policy says the
// program starts later.
#include <entitle/eval/figures_in_force.hpp>

#include <entitle/eval/compiled_policy.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/policy_json.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace entitle;
using namespace entitle::literals;

namespace {

// A regency enrolling informal workers (BPU) in JKK and JKM from 2014, a year and a half before
// the national figures (PP 44/2015) take effect on 2015-07-01. `enrolment_from` is the enrolment's
// "from", if any.
compiled_policy early_policy(const std::string& enrolment_from) {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const std::string from = enrolment_from.empty() ? "" : R"(, "from": ")" + enrolment_from + "\"";
  library.add(R"({"format": "entitle-policy/1", "id": "test/early", "extends": "id/bpjs-ketenagakerjaan",
    "effective": {"from": "2014-01-01"},
    "rules": [{"id": "everyone", "label": "everyone", "reason": "R", "citation": "test",
               "when": {"fact": "declared_income", "is": "present"}}],
    "enrolments": [{"id": "bpu", "who": "everyone", "category": "BPU", "programs": ["JKK", "JKM"])" +
              from + "}]}");
  return compiled_policy(library.get("test/early"));
}

// JKK is the national pack's first program and its BPU formula the second (after the one PU
// formula, whose share is the JKK rate table).
const std::string absent_jkk_2014 =
    "the program \"JKK\" has no figure in force for 2014-01 (enrolment \"bpu\", category \"BPU\"): it is in force "
    "from 2015-07-01; the policy \"test/early\" is in force from 2014-01-01 to no end. If the program starts later, "
    "say so with \"from\" on the program or the enrolment";

} // namespace

TEST_CASE("figures in force: months before a program's figures stop the run, naming program, month and dates") {
  const compiled_policy p = early_policy("");
  const record person = read_record(p.facts(), R"({"declared_income": 2000000})");
  const month_range period(month(2014, 1), month(2015, 7));
  try {
    (void)p.contributions(person, period);
    FAIL("expected the period to be refused");
  } catch (const error& e) {
    CHECK(e.details().code == errc::not_in_force);
    CHECK(e.details().message == absent_jkk_2014);
    CHECK(e.details().location == "/programs/0/formulas/1/parts/0/share");
  }
  CHECK_THROWS_AS((void)p.explain(p.rule("everyone"), person, date(2014, 1, 1), period), error);
  // The batch stops at its start, before any row, with the same message.
  CHECK_THROWS_WITH_AS(
      batch(p, {.rules = {}, .as_of = date(2014, 1, 1), .period = period, .threads = 1, .strict = false}),
      ("/programs/0/formulas/1/parts/0/share: " + absent_jkk_2014).c_str(), error);
  // From 2015-07 on, every figure is in force.
  CHECK_NOTHROW((void)p.contributions(person, month_range(month(2015, 7), month(2015, 12))));
}

TEST_CASE("figures in force: an enrolment that says it starts later is not checked before it") {
  const compiled_policy p = early_policy("2015-07-01");
  const record person = read_record(p.facts(), R"({"declared_income": 2000000})");
  const contribution_statement s = p.contributions(person, month_range(month(2014, 1), month(2015, 7)));
  // 2015-07: JKK 1% of Rp2.000.000 = Rp20.000 and JKM a flat Rp6.800 (PP 44/2015), Rp26.800.
  CHECK(s.total == 26'800_rp);
}

TEST_CASE("figures in force: a start during a month counts from the next month") {
  // JKP's figures start on 2021-02-02 and the national pack says JKP starts then: 2021-02 is not a
  // month of JKP, 2021-03 is. An enrolment starting on 2021-02-02 behaves the same for JKK.
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const compiled_policy national(library.get("id/bpjs-ketenagakerjaan"));
  CHECK(national.source().programs[4].id == "JKP");
  CHECK(national.source().programs[4].from == date(2021, 2, 2));
  CHECK(detail::first_month_from(month_range(month(2021, 1), month(2021, 6)), date(2021, 2, 2)) == month(2021, 3));
  CHECK(detail::first_month_from(month_range(month(2021, 1), month(2021, 6)), date(2021, 2, 1)) == month(2021, 2));
  CHECK_FALSE(detail::first_month_from(month_range(month(2021, 1), month(2021, 6)), date(2021, 7, 1)).has_value());
}

TEST_CASE("figures in force: a rate from a decision table (share_of) is in force from its dated entry") {
  // The national pack's JKK for wage earners takes its rate from the table of PP 44/2015 Lampiran
  // I, named by a share_of in force from 2015-07-01. A regency enrolling staff (PU) from 2014 is
  // refused for 2014-01, not charged the 2015 rates.
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  library.add(R"({"format": "entitle-policy/1", "id": "test/early-pu", "extends": "id/bpjs-ketenagakerjaan",
    "effective": {"from": "2014-01-01"},
    "rules": [{"id": "staff", "label": "staff", "reason": "R", "citation": "test",
               "when": {"fact": "wage", "is": "present"}}],
    "enrolments": [{"id": "pu", "who": "staff", "category": "PU", "programs": ["JKK"]}]})");
  const compiled_policy p(library.get("test/early-pu"));
  const record person = read_record(p.facts(), R"({"wage": 4000000, "risk_class": 1})");
  try {
    (void)p.contributions(person, month_range(month(2014, 1), month(2015, 7)));
    FAIL("expected the period to be refused");
  } catch (const error& e) {
    CHECK(e.details().code == errc::not_in_force);
    CHECK(e.details().location == "/programs/0/formulas/0/parts/0/share_of");
    CHECK(e.details().message.starts_with("the program \"JKK\" has no figure in force for 2014-01 (enrolment \"pu\", "
                                          "category \"PU\"): it is in force from 2015-07-01"));
  }
  // From 2015-07: Rp4.000.000 x 0.24% (class I, PP 44/2015 Lampiran I) = Rp9.600 a month.
  CHECK(p.contributions(person, month_range(month(2015, 7), month(2015, 8))).total == 19'200_rp);
}
