// Claims against coverage: a claim is made under the enrolment that covers the person on the
// event day, and a wage-based benefit is worked on the base that enrolment registers. Every
// figure is worked out by hand: JKM Rp42,000,000 = Rp20,000,000 at once + 24 x Rp500,000
// periodic + Rp10,000,000 funeral (PP 44/2015 Pasal 34 as amended by PP 82/2019); JKK death from
// a work accident 60% x 80 = 48 x the monthly wage (PP 44/2015 Lampiran III, kept by PP 82/2019),
// with Rp12,000,000 periodic and Rp10,000,000 funeral; JKK for a non-wage worker 1% of the
// income registered, at least Rp1,000,000 (PP 44/2015 Lampiran II).
#include <entitle/eval/claim_coverage.hpp>

#include <entitle/entitle.hpp>

#include "shipped_policies.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace entitle;
using namespace entitle::literals;

namespace {

using test::shipped;

// OKU Timur 2024: vulnerable workers enrolled as BPU in JKK and JKM at Rp1,000,000, paid by the
// regency for 2024.
const compiled_policy& oku_timur() {
  static const compiled_policy p(shipped().get("oku-timur/pekerja-rentan-2024-iuran"));
  return p;
}

// A Quran teacher of OKU Timur who declares Rp3,000,000 a month to BPJS; `employment` varies.
std::string teacher(std::string_view employment) {
  return R"({"nik": "1608021503750004", "domicile_code": "16.08.02.2011", "birth_date": "1975-03-15",
    "employment": ")" +
         std::string(employment) + R"(", "occupation": "guru_mengaji", "extreme_poor": false,
    "monthly_income": 900000, "enrolled_bpjs_tk": false,
    "declared_income": 3000000, "contribution_months": 4, "membership_active": true})";
}

claim_result assess(const compiled_policy& p, const claim& c, std::string_view facts) {
  return p.assess(c, read_record(p.facts(), facts));
}

const claim_line& line(const claim_result& r, std::string_view benefit) {
  for (const auto& l : r.lines)
    if (l.benefit == benefit) return l;
  FAIL("no line for " << benefit);
  throw;
}

} // namespace

TEST_CASE("coverage: a covered vulnerable worker's death is paid Rp42.000.000 under the regency's enrolment") {
  const claim_result r = assess(oku_timur(), {"death", date(2024, 5, 10), 0, {}, {}}, teacher("informal"));
  CHECK(r.coverage.status == coverage_status::covered);
  CHECK(r.coverage.enrolment == "pekerja_rentan_bpu");
  CHECK(r.coverage.category == "BPU");
  CHECK(r.coverage.from == date(2024, 1, 1));
  CHECK(r.coverage.until == date(2024, 12, 31));
  CHECK(r.total == 42'000'000_rp); // 20,000,000 + 12,000,000 + 10,000,000
  // The regency pays her contributions under a quota of 4,650 people: whether she was among them
  // is the batch's result, so the coverage says it holds only if she was.
  CHECK(r.coverage.funded_by == std::vector<std::string>{"apbd_oku_timur_2024"});
  CHECK(to_text(r).find("\ncovered by the enrolment pekerja_rentan_bpu (BPU: JKK, JKM) from 2024-01-01 to "
                        "2024-12-31; only if funded by apbd_oku_timur_2024, which has a quota or budget: a person it "
                        "left out (waitlisted in the run) is not enrolled, and nothing below is owed\n") !=
        std::string::npos);
}

TEST_CASE("coverage: a subsidy without a quota or budget adds no condition to the coverage") {
  // Kotabaru 2024 pays all of JKK and JKM for its vulnerable workers, with no quota or budget.
  const compiled_policy p(shipped().get("kotabaru/pekerja-rentan-2024"));
  claim c{"death", date(2024, 5, 10), 0, {}, {}};
  const claim_result r = p.assess(c, read_record(p.facts(), R"({"nik": "6302011503750004",
    "domicile_code": "63.02.01.2011", "employment": "informal", "occupation": "nelayan",
    "enrolled_bpjs_tk": false, "declared_income": 3000000, "contribution_months": 4, "membership_active": true})"));
  CAPTURE(to_text(r));
  REQUIRE(r.coverage.status == coverage_status::covered);
  CHECK(r.coverage.funded_by.empty());
  CHECK(to_text(r).find("only if funded") == std::string::npos);
}

TEST_CASE("coverage: an ASN the policy never covered is refused, with the enrolment rule's reason") {
  const claim_result r = assess(oku_timur(), {"death", date(2024, 5, 10), 0, {}, {}}, teacher("asn"));
  CHECK(r.coverage.status == coverage_status::not_covered);
  const std::string reason =
      "the enrolment pekerja_rentan_bpu does not select the person: Bukan ASN (ASN): employment != asn, actual asn";
  CHECK(r.coverage.reason == reason);
  CHECK(r.total == money());
  REQUIRE(r.lines.size() == 4); // JKM at once, periodic, funeral, scholarship
  for (const auto& l : r.lines) {
    CAPTURE(l.benefit);
    CHECK(l.status == claim_status::refused);
    CHECK(l.amount == money());
    CHECK(l.reason == "not covered on 2024-05-10"); // the coverage says why, once
  }
  CHECK(to_text(r).find("\nnot covered on 2024-05-10: " + reason + "\n") != std::string::npos);
  const auto j = to_json(r);
  CHECK(j.at("coverage").at("status") == "not_covered");
  CHECK(j.at("coverage").at("reason").as_string() == reason);
  // The same person under OKU Timur's non-ASN program of 2022: not non-ASN either.
  static const compiled_policy non_asn(shipped().get("oku-timur/non-asn-2022"));
  const claim_result staff = assess(non_asn, {"death", date(2022, 6, 1), 0, {}, {}},
                                    R"({"nik": "1608021503750004", "employment": "asn", "agency": "Dinas Pendidikan",
                                        "wage": 3000000, "contribution_months": 40, "membership_active": true})");
  CHECK(staff.coverage.status == coverage_status::not_covered);
  CHECK(staff.coverage.reason == "the enrolment non_asn_pu does not select the person: Pegawai non-ASN "
                                 "(BUKAN_NON_ASN): employment = non_asn, actual asn");
  CHECK(staff.total == money());
}

TEST_CASE("coverage: an event before the enrolment covers the person is refused") {
  // The regency's program covers 2024; a death on 2023-12-15 was not covered by it.
  const claim_result before = assess(oku_timur(), {"death", date(2023, 12, 15), 0, {}, {}}, teacher("informal"));
  CHECK(before.coverage.status == coverage_status::not_covered);
  CHECK(before.coverage.reason == "the enrolment pekerja_rentan_bpu covers from 2024-01-01 to 2024-12-31; the event "
                                  "on 2023-12-15 is before it starts");
  CHECK(before.total == money());
  CHECK(line(before, "jkm_santunan_sekaligus").status == claim_status::refused);
  const claim_result after = assess(oku_timur(), {"death", date(2025, 1, 1), 0, {}, {}}, teacher("informal"));
  CHECK(after.coverage.reason.ends_with("the event on 2025-01-01 is after it ends"));
  // An enrolment that starts later than its policy covers from its own start.
  policy p = shipped().get("oku-timur/pekerja-rentan-2024-iuran");
  p.enrolments.at(0).from = date(2024, 7, 1);
  const compiled_policy later(p);
  const claim_result june = assess(later, {"death", date(2024, 6, 30), 0, {}, {}}, teacher("informal"));
  CHECK(june.coverage.reason == "the enrolment pekerja_rentan_bpu covers from 2024-07-01 to 2024-12-31; the event on "
                                "2024-06-30 is before it starts");
  CHECK(june.total == money());
  CHECK(assess(later, {"death", date(2024, 7, 1), 0, {}, {}}, teacher("informal")).total == 42'000'000_rp);
}

TEST_CASE("coverage: a work-accident death is 48 x the registered Rp1.000.000, not 48 x the declared Rp3.000.000") {
  // 48 x 1,000,000 = 48,000,000 (above the JKM floor of 20,000,000) + 12,000,000 + 10,000,000.
  const claim_result r =
      assess(oku_timur(), {"work_accident_death", date(2024, 5, 10), 0, {}, {}}, teacher("informal"));
  const claim_line& death = line(r, "jkk_santunan_kematian");
  CHECK(death.amount == 48'000'000_rp);
  CHECK(death.amount != 144'000'000_rp); // 48 x 3,000,000: what the declared income would give
  CHECK(death.basis == "48 × Rp1.000.000 (the base pekerja_rentan_bpu registers for JKK)");
  CHECK(death.details == std::vector<std::string>{"worked on the base pekerja_rentan_bpu registers for JKK, "
                                                  "Rp1.000.000, not the declared_income Rp3.000.000"});
  CHECK(r.total == 70'000'000_rp);
  // Months unable to work, on the same base: 12 x 100% x 1,000,000 + 3 x 50% x 1,000,000.
  const claim_result off =
      assess(oku_timur(), {"temporary_inability", date(2024, 5, 10), 15, {}, {}}, teacher("informal"));
  CHECK(off.total == 13'500'000_rp);
}

TEST_CASE("coverage: the registered base is the base the contributions are worked on") {
  // Kotabaru's enrolment without its fixed base: the BPU JKK formula's base is the declared
  // income, raised to the lowest bracket Rp1,000,000 (PP 44/2015 Lampiran II). A fisherman
  // declaring Rp600,000 pays 1% x 1,000,000 = Rp10,000 a month, and his work-accident death is
  // 48 x 1,000,000 = Rp48,000,000.
  policy p = shipped().get("kotabaru/pekerja-rentan-2024");
  p.enrolments.at(0).base.reset();
  const compiled_policy kotabaru(p);
  const std::string fisherman = R"({"nik": "6302011204800002", "domicile_code": "63.02.01.2001",
    "occupation": "nelayan", "employment": "informal", "enrolled_bpjs_tk": false,
    "declared_income": 600000, "contribution_months": 8, "membership_active": true})";
  const record person = read_record(kotabaru.facts(), fisherman);
  const contribution_statement s = kotabaru.contributions(person, month_range(month(2024, 5), month(2024, 5)));
  REQUIRE(s.items.size() == 2);
  CHECK(s.items[0].program == "JKK");
  CHECK(s.items[0].due == 10'000_rp);
  const claim_result r = kotabaru.assess({"work_accident_death", date(2024, 5, 10), 0, {}, {}}, person);
  const claim_line& death = line(r, "jkk_santunan_kematian");
  CHECK(death.amount == 48'000'000_rp);
  CHECK(death.basis == "48 × Rp1.000.000 (declared_income, the JKK base of rentan_bpu)");
  REQUIRE(!death.details.empty());
  CHECK(death.details[0].starts_with("base Rp600.000 raised to the floor Rp1.000.000 (PP 44/2015 Lampiran II"));
  // A wage earner's registered base is the wage the formula reads: 48 x 4,000,000 (OKU Timur's
  // non-ASN staff of 2022, whose risk class the claim does not need: every class has that base).
  static const compiled_policy non_asn(shipped().get("oku-timur/non-asn-2022"));
  const claim_result staff = assess(non_asn, {"work_accident_death", date(2022, 6, 1), 0, {}, {}},
                                    R"({"nik": "1608021503750004", "employment": "non_asn", "agency": "Dinas PU",
                                        "wage": 4000000, "contribution_months": 6, "membership_active": true})");
  CHECK(staff.coverage.enrolment == "non_asn_pu");
  CHECK(line(staff, "jkk_santunan_kematian").amount == 192'000'000_rp);
  CHECK(line(staff, "jkk_santunan_kematian").basis == "48 × Rp4.000.000 (wage, the JKK base of non_asn_pu)");
}

TEST_CASE("coverage: a program the enrolment lacks is refused, and a named enrolment is the one assessed") {
  // Kotabaru enrolling JKK only: a death not at work (JKM) is not covered.
  policy p = shipped().get("kotabaru/pekerja-rentan-2024");
  p.enrolments.at(0).programs = {"JKK"};
  p.subsidies.at(0).programs = {"JKK"};
  const compiled_policy jkk_only(p);
  const std::string fisherman = R"({"nik": "6302011204800002", "domicile_code": "63.02.01.2001",
    "occupation": "nelayan", "employment": "informal", "enrolled_bpjs_tk": false,
    "declared_income": 1000000, "contribution_months": 8, "membership_active": true})";
  const claim_result death = assess(jkk_only, {"death", date(2024, 5, 10), 0, {}, {}}, fisherman);
  CHECK(death.coverage.reason == "the enrolment rentan_bpu covers JKK, none of the programs of the event (JKM)");
  CHECK(death.total == money());
  // A work-accident death is JKK's: paid, but never raised to a JKM floor JKM does not cover.
  const claim_result accident = assess(jkk_only, {"work_accident_death", date(2024, 5, 10), 0, {}, {}}, fisherman);
  CHECK(accident.coverage.status == coverage_status::covered);
  CHECK(accident.total == 70'000'000_rp);
  // Naming the enrolment: the one the policy declares is assessed; another is an error.
  const claim named{"death", date(2024, 5, 10), 0, {}, {}, "pekerja_rentan_bpu"};
  CHECK(assess(oku_timur(), named, teacher("informal")).total == 42'000'000_rp);
  const claim unknown{"death", date(2024, 5, 10), 0, {}, {}, "rentan"};
  CHECK_THROWS_WITH_AS(assess(oku_timur(), unknown, teacher("informal")),
                       "the policy \"oku-timur/pekerja-rentan-2024-iuran\" has no enrolment \"rentan\"; its "
                       "enrolments are \"pekerja_rentan_bpu\"",
                       error);
  static const compiled_policy national(shipped().get("id/bpjs-ketenagakerjaan"));
  CHECK_THROWS_WITH_AS((void)national.assess(named, record(national.facts().size())),
                       "the policy \"id/bpjs-ketenagakerjaan\" has no enrolment \"pekerja_rentan_bpu\"; it declares "
                       "none",
                       error);
}

TEST_CASE("coverage: an enrolment rule that is not known leaves the claim undetermined, never paid") {
  // Without the occupation, income and poverty facts, whether the teacher is a vulnerable worker
  // is not known: every line is undetermined with the facts that would settle it.
  const std::string unsure = R"({"nik": "1608021503750004", "domicile_code": "16.08.02.2011",
    "birth_date": "1975-03-15", "employment": "informal", "enrolled_bpjs_tk": false,
    "declared_income": 1000000, "contribution_months": 4, "membership_active": true})";
  const claim_result r = assess(oku_timur(), {"death", date(2024, 5, 10), 0, {}, {}}, unsure);
  CHECK(r.coverage.status == coverage_status::undetermined);
  CHECK(r.coverage.enrolment == "pekerja_rentan_bpu");
  CHECK(r.coverage.missing == std::vector<std::string>{"occupation", "extreme_poor", "monthly_income"});
  CHECK(r.total == money());
  CHECK(line(r, "jkm_santunan_sekaligus").status == claim_status::undetermined);
  CHECK(line(r, "jkm_santunan_sekaligus").missing == r.coverage.missing);
  // A benefit whose own rule is no is refused whatever the coverage: 4 months fall short of 36.
  CHECK(line(r, "jkm_beasiswa").status == claim_status::refused);
}

TEST_CASE("coverage: a policy without enrolments leaves coverage to the benefits' rules") {
  static const compiled_policy national(shipped().get("id/bpjs-ketenagakerjaan"));
  const claim_result r = assess(national, {"work_accident_death", date(2024, 5, 10), 0, {}, {}},
                                R"({"declared_income": 3000000, "contribution_months": 3, "membership_active": true})");
  CHECK(r.coverage.status == coverage_status::not_declared);
  CHECK(line(r, "jkk_santunan_kematian").amount == 144'000'000_rp); // 48 x the declared 3,000,000
  CHECK(to_text(r).find("\ncoverage not declared: the policy has no enrolments; each benefit's rule decides\n") !=
        std::string::npos);
}
