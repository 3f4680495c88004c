#include <entitle/eval/compiled_policy.hpp>

#include <entitle/io/policy_json.hpp>

#include "oku_roster.hpp"
#include "oku_timur.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace entitle;
using namespace entitle::literals;
using oku_timur::employment_status;
using oku_timur::occupation_kind;
using oku_timur::person;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string fixture() { return read_file(std::string(ENTITLE_POLICIES_DIR) + "/oku-timur/pekerja-rentan-2024.json"); }

const date september_2024(2024, 9, 1);

// A Quran teacher in Sukaraja (OKU Timur) who meets every requirement.
person guru_mengaji() {
  return {"1608011234567890",
          "16.08.03.2001",
          date(1980, 5, 1),
          employment_status::informal,
          occupation_kind::guru_mengaji,
          false,
          1'200'000_rp,
          false};
}

} // namespace

TEST_CASE("the OKU Timur rule decides hand-worked cases") {
  const compiled_policy oku(oku_timur::rentan_policy());
  const rule_handle rentan = oku.rule("rentan_oku_timur_2024");

  SUBCASE("a Quran teacher who meets every requirement is eligible") {
    const decision d = oku.decide(rentan, guru_mengaji(), september_2024);
    CHECK(d.outcome == status::eligible);
    CHECK(oku.first_reason(d).empty());
    CHECK(oku.reasons(d).empty());
  }
  SUBCASE("a 70-year-old civil servant fails two requirements, reported in checklist order") {
    person p = guru_mengaji();
    p.birth_date = date(1954, 1, 1); // 70 on 2024-09-01: outside 15..65
    p.employment = employment_status::asn;
    const decision d = oku.decide(rentan, p, september_2024);
    CHECK(d.outcome == status::ineligible);
    CHECK(oku.first_reason(d) == "USIA_DI_LUAR_BATAS");
    CHECK(oku.reasons(d) == std::vector<std::string_view>{"USIA_DI_LUAR_BATAS", "ASN"});
    CHECK(d.failing == 0b1100); // requirements 2 (age) and 3 (not ASN)
  }
  SUBCASE("a farmer with no declared income and an unknown poverty status is undetermined") {
    person p = guru_mengaji();
    p.occupation = occupation_kind::petani;
    p.extreme_poor.reset();
    p.monthly_income.reset();
    const decision d = oku.decide(rentan, p, september_2024);
    CHECK(d.outcome == status::undetermined);
    CHECK(oku.missing_facts(d) == std::vector<std::string_view>{"extreme_poor", "monthly_income"});
    CHECK(oku.reasons(d).empty());
  }
  SUBCASE("a missing fact does not matter once another requirement fails") {
    person p = guru_mengaji();
    p.enrolled_bpjs_tk.reset();
    p.domicile_code = "16.09.01.2002"; // outside the regency
    const decision d = oku.decide(rentan, p, september_2024);
    CHECK(d.outcome == status::ineligible);
    CHECK(oku.first_reason(d) == "BUKAN_PENDUDUK_OKU_TIMUR");
    CHECK(d.missing.none());
  }
  SUBCASE("an extreme-poor farmer qualifies whatever the income") {
    person p = guru_mengaji();
    p.occupation = occupation_kind::petani;
    p.extreme_poor = true;
    p.monthly_income = 4'000'000_rp;
    CHECK(oku.decide(rentan, p, september_2024).outcome == status::eligible);
  }
  SUBCASE("a single requirement can be decided on its own") {
    person p = guru_mengaji();
    p.nik = "160801123456789"; // 15 digits
    const decision d = oku.decide(oku.rule("nik_valid"), p, september_2024);
    CHECK(d.outcome == status::ineligible);
    CHECK(oku.first_reason(d) == "NIK_TIDAK_VALID");
  }
}

TEST_CASE("the rule written in C++ and in JSON decides a generated roster identically") {
  const compiled_policy from_cpp(oku_timur::rentan_policy());
  const compiled_policy from_json(read_policy(fixture()));
  const rule_handle cpp_rule = from_cpp.rule("rentan_oku_timur_2024");
  const rule_handle json_rule = from_json.rule("rentan_oku_timur_2024");
  oku_timur::roster_generator roster(20'240'901);
  std::size_t counts[3] = {};
  for (int i = 0; i < 5'000; ++i) {
    const person p = roster.next();
    const decision by_struct = from_cpp.decide(cpp_rule, p, september_2024);
    const decision by_record =
        from_json.decide(json_rule, record_from_json(from_json.facts(), oku_timur::to_json(p)), september_2024);
    CAPTURE(i);
    REQUIRE(by_struct == by_record);
    ++counts[static_cast<int>(by_struct.outcome)];
  }
  // The roster exercises every outcome (not a figure to check, a guard that the comparison is
  // not vacuous).
  CHECK(counts[0] > 100);
  CHECK(counts[1] > 100);
  CHECK(counts[2] > 100);
}

TEST_CASE("decide and explain agree on every person of a generated roster") {
  const compiled_policy oku(oku_timur::rentan_policy());
  oku_timur::roster_generator roster(11);
  for (const rule_handle r : {oku.rule("rentan_oku_timur_2024"), oku.rule("pekerja_rentan")}) {
    for (int i = 0; i < 500; ++i) {
      const person p = roster.next();
      const decision d = oku.decide(r, p, september_2024);
      const explanation e = oku.explain(r, p, september_2024);
      CAPTURE(i);
      REQUIRE(e.outcome == d);
      // The trace's top line is the rule itself, with the same verdict.
      REQUIRE(e.lines.front().result == d.result);
      // Every missing fact listed is really missing.
      for (std::string_view name : oku.missing_facts(d)) {
        if (name == "extreme_poor") CHECK_FALSE(p.extreme_poor.has_value());
        if (name == "monthly_income") CHECK_FALSE(p.monthly_income.has_value());
        if (name == "enrolled_bpjs_tk") CHECK_FALSE(p.enrolled_bpjs_tk.has_value());
      }
    }
  }
}

TEST_CASE("the JSON policy can be bound to the application's struct") {
  const compiled_policy bound(read_policy(fixture(), schema_of<person>()));
  CHECK(bound.decide(bound.rule("rentan_oku_timur_2024"), guru_mengaji(), september_2024).outcome == status::eligible);
  // Without its facts section, the same file reads against the struct's schema.
  auto text = to_json(read_policy(fixture()));
  text.as_object().erase("facts");
  CHECK_NOTHROW((void)policy_from_json(text, schema_of<person>()));
}

TEST_CASE("a described struct's values meet the ranges of its schema") {
  // A negative income is refused: money is at least Rp0 unless the schema says otherwise.
  const compiled_policy bound(read_policy(fixture(), schema_of<person>()));
  const rule_handle r = bound.rule("rentan_oku_timur_2024");
  person poor = guru_mengaji();
  poor.monthly_income = -1'000'000_rp;
  CHECK_THROWS_WITH_AS((void)bound.decide(r, poor, september_2024),
                       "monthly_income: the money fact \"monthly_income\" is at least Rp0; found -Rp1.000.000", error);
  // A range given in C++ keeps the schema the struct's, and is checked the same way: at most Rp1.000.000,
  // so Rp1.200.000 is refused and Rp1.000.000 (the edge) is decided.
  schema facts = schema_of<person>();
  facts.set_range(*facts.find("monthly_income"), {.min = {}, .max = 100'000'000, .allowed = {}, .citation = {}});
  const compiled_policy capped(read_policy(fixture(), facts));
  CHECK_THROWS_WITH_AS((void)capped.decide(capped.rule("rentan_oku_timur_2024"), guru_mengaji(), september_2024),
                       "monthly_income: the money fact \"monthly_income\" is from Rp0 to Rp1.000.000; found "
                       "Rp1.200.000",
                       error);
  person edge = guru_mengaji();
  edge.monthly_income = 1'000'000_rp;
  CHECK(capped.decide(capped.rule("rentan_oku_timur_2024"), edge, september_2024).outcome == status::eligible);
  // A copy and a moved-to policy check the same ranges.
  const compiled_policy copy(capped);
  compiled_policy source(capped);
  const compiled_policy moved(std::move(source));
  for (const compiled_policy* c : {&copy, &moved})
    CHECK_THROWS_WITH_AS((void)c->decide(c->rule("rentan_oku_timur_2024"), guru_mengaji(), september_2024),
                         "monthly_income: the money fact \"monthly_income\" is from Rp0 to Rp1.000.000; found "
                         "Rp1.200.000",
                         error);
}

TEST_CASE("a range the policy file declares holds for the application's struct too") {
  // The file declares the income at most Rp1.000.000: bound to the struct, the struct's values
  // are checked against it.
  auto text = to_json(read_policy(fixture()));
  text.as_object()["facts"].as_object()["monthly_income"].as_object()["max"] = 1'000'000;
  const compiled_policy bound(policy_from_json(text, schema_of<person>()));
  CHECK(bound.facts().at(*bound.facts().find("monthly_income")).range.max == 100'000'000);
  CHECK_THROWS_AS((void)bound.decide(bound.rule("rentan_oku_timur_2024"), guru_mengaji(), september_2024), error);
}

TEST_CASE("deciding a struct against a policy bound to other facts is refused") {
  const compiled_policy dynamic(read_policy(fixture()));
  CHECK_THROWS_AS((void)dynamic.decide(dynamic.rule("rentan_oku_timur_2024"), guru_mengaji(), september_2024), error);
  CHECK_THROWS_WITH_AS(
      (void)dynamic.rule("rentan"),
      "no rule is called \"rentan\"; the rules are \"nik_valid\", \"penduduk_oku_timur\", "
      "\"usia_15_65\", \"bukan_asn\", \"belum_terdaftar\", \"pekerja_rentan\", \"rentan_oku_timur_2024\"",
      error);
}
