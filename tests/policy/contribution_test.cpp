// Who pays: the national BPJS Ketenagakerjaan pack and the regional policies, with the figures of
// the domain reference worked out by hand.
#include <entitle/entitle.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include <string>

using namespace entitle;
using namespace entitle::literals;

namespace {

policy_library shipped() {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  return library;
}

// A policy on top of the national pack that enrols people by a "category" fact, so that each
// national formula can be checked on its own.
constexpr const char* national_check = R"j({
  "format": "entitle-policy/1", "id": "test/national", "extends": "id/bpjs-ketenagakerjaan",
  "facts": {"category": {"type": "enum", "values": ["PU", "BPU", "BPU_JHT"]}},
  "rules": [
    {"id": "pu", "label": "pu", "reason": "R", "citation": "test", "when": {"fact": "category", "=": "PU"}},
    {"id": "bpu", "label": "bpu", "reason": "R", "citation": "test", "when": {"fact": "category", "=": "BPU"}},
    {"id": "bpu_jht", "label": "bpu_jht", "reason": "R", "citation": "test", "when": {"fact": "category", "=": "BPU_JHT"}}
  ],
  "enrolments": [
    {"id": "pu", "who": "pu", "category": "PU", "programs": ["JKK", "JKM", "JHT", "JP", "JKP"]},
    {"id": "bpu", "who": "bpu", "category": "BPU", "programs": ["JKK", "JKM"]},
    {"id": "bpu_jht", "who": "bpu_jht", "category": "BPU", "programs": ["JKK", "JKM", "JHT"]}
  ]
})j";

compiled_policy national() {
  policy_library library = shipped();
  library.add(national_check);
  return compiled_policy(library.get("test/national"));
}

record person(const compiled_policy& p, const std::string& json) { return read_record(p.facts(), json); }

const program_month& item(const contribution_statement& s, std::string_view program) {
  for (const auto& i : s.items)
    if (i.program == program) return i;
  FAIL("no item for " << program);
  return s.items.front();
}

money line(const program_month& i, std::string_view payer, payment_line::kind what = payment_line::kind::payer) {
  money sum;
  for (const auto& l : i.lines)
    if (l.payer == payer && l.what == what) sum += l.amount;
  return sum;
}

} // namespace

TEST_CASE("BPU at the minimum base: JKK Rp10,000 + JKM Rp6,800, with JHT Rp36,800") {
  const compiled_policy p = national();
  // PP 44/2015: JKK 1% of the Rp1,000,000 bracket = 10,000; JKM flat 6,800; JHT 2% = 20,000.
  const auto s = p.contributions(person(p, R"({"category": "BPU", "declared_income": 1000000})"),
                                 month_range(month(2024, 4), month(2024, 4)));
  CHECK(item(s, "JKK").due == 10'000_rp);
  CHECK(item(s, "JKM").due == 6'800_rp);
  CHECK(s.total == 16'800_rp);
  CHECK(s.paid_by("worker") == 16'800_rp); // a BPU participant pays their own contribution
  const auto with_jht = p.contributions(person(p, R"({"category": "BPU_JHT", "declared_income": 1000000})"),
                                        month_range(month(2024, 4), month(2024, 4)));
  CHECK(item(with_jht, "JHT").due == 20'000_rp);
  CHECK(with_jht.total == 36'800_rp);
  // A declared income below the lowest level is raised to it (Rp500,000 -> Rp1,000,000).
  const auto low = p.contributions(person(p, R"({"category": "BPU", "declared_income": 500000})"),
                                   month_range(month(2024, 4), month(2024, 4)));
  CHECK(low.total == 16'800_rp);
}

TEST_CASE("PU wage Rp4,000,000, risk class I, April 2024: every program and payer") {
  const compiled_policy p = national();
  const auto s = p.contributions(person(p, R"({"category": "PU", "wage": 4000000, "risk_class": 1})"),
                                 month_range(month(2024, 4), month(2024, 4)));
  // 0.24% x 4,000,000 = 9,600 and 0.30% = 12,000, both the employer's (PP 44/2015).
  CHECK(item(s, "JKK").due == 9'600_rp);
  CHECK(line(item(s, "JKK"), "employer") == 9'600_rp);
  CHECK(item(s, "JKM").due == 12'000_rp);
  // JHT 5.7% = 228,000: employer 3.7% = 148,000, worker 2% = 80,000 (PP 46/2015).
  CHECK(item(s, "JHT").due == 228'000_rp);
  CHECK(line(item(s, "JHT"), "employer") == 148'000_rp);
  CHECK(line(item(s, "JHT"), "worker") == 80'000_rp);
  // JP 3% = 120,000: employer 2% = 80,000, worker 1% = 40,000 (PP 45/2015).
  CHECK(item(s, "JP").due == 120'000_rp);
  CHECK(line(item(s, "JP"), "employer") == 80'000_rp);
  CHECK(line(item(s, "JP"), "worker") == 40'000_rp);
  // JKP 0.46% = 18,400: central government 0.22% = 8,800; recomposed 0.14% from JKK = 5,600 and
  // 0.10% from JKM = 4,000, which the employer already paid (PP 37/2021 Art. 11).
  const program_month& jkp = item(s, "JKP");
  CHECK(jkp.due == 18'400_rp);
  CHECK(line(jkp, "central_government") == 8'800_rp);
  CHECK(line(jkp, "JKK", payment_line::kind::recomposed) == 5'600_rp);
  CHECK(line(jkp, "JKM", payment_line::kind::recomposed) == 4'000_rp);
  // Not charged twice: the employer pays 9,600 + 12,000 + 148,000 + 80,000 = 249,600.
  CHECK(s.paid_by("employer") == 249'600_rp);
  CHECK(s.paid_by("worker") == 120'000_rp);
  CHECK(s.paid_by("central_government") == 8'800_rp);
  CHECK(s.total == 378'400_rp);
  CHECK(s.complete());
}

TEST_CASE("JP is worked out on the wage up to the ceiling in force that month") {
  const compiled_policy p = national();
  const record r = person(p, R"({"category": "PU", "wage": 12000000, "risk_class": 1})");
  // April 2024: ceiling 10,042,300 (from 1 March 2024): 2% = 200,846, 1% = 100,423, 3% = 301,269.
  const auto april = p.contributions(r, month_range(month(2024, 4), month(2024, 4)));
  CHECK(item(april, "JP").due == 301'269_rp);
  CHECK(line(item(april, "JP"), "employer") == 200'846_rp);
  CHECK(line(item(april, "JP"), "worker") == 100'423_rp);
  // February 2024: ceiling 9,559,600: 191,192 + 95,596 = 286,788.
  const auto february = p.contributions(r, month_range(month(2024, 2), month(2024, 2)));
  CHECK(item(february, "JP").due == 286'788_rp);
  CHECK(line(item(february, "JP"), "employer") == 191'192_rp);
  CHECK(line(item(february, "JP"), "worker") == 95'596_rp);
}

TEST_CASE("a change that takes effect mid-month applies from the next contribution month") {
  const compiled_policy p = national();
  const record r = person(p, R"({"category": "PU", "wage": 4000000, "risk_class": 1})");
  // PP 6/2025 takes effect on 7 February 2025: February is still 0.46% (18,400); March is 0.36%
  // = 14,400: 8,800 from the central government and 5,600 recomposed from JKK, none from JKM.
  const auto s = p.contributions(r, month_range(month(2025, 2), month(2025, 3)));
  CHECK(s.items[4].program == "JKP");
  CHECK(s.items[4].due == 18'400_rp);
  CHECK(s.items[9].program == "JKP");
  CHECK(s.items[9].due == 14'400_rp);
  CHECK(line(s.items[9], "JKM", payment_line::kind::recomposed) == money());
  CHECK(line(s.items[9], "JKK", payment_line::kind::recomposed) == 5'600_rp);
}

TEST_CASE("PP 49/2020: JKK and JKM at 1% of normal for August 2020 to January 2021") {
  const compiled_policy p = national();
  // PU wage 4,000,000 class I: 9,600 x 1% = 96 and 12,000 x 1% = 120; JHT is not relieved.
  const auto pu = p.contributions(person(p, R"({"category": "PU", "wage": 4000000, "risk_class": 1})"),
                                  month_range(month(2020, 9), month(2020, 9)));
  CHECK(item(pu, "JKK").due == 96_rp);
  CHECK(item(pu, "JKM").due == 120_rp);
  CHECK(item(pu, "JHT").due == 228'000_rp);
  CHECK(item(pu, "JKK").notes.size() == 1);
  // In February 2021 the relief has ended.
  const auto after = p.contributions(person(p, R"({"category": "PU", "wage": 4000000, "risk_class": 1})"),
                                     month_range(month(2021, 2), month(2021, 2)));
  CHECK(item(after, "JKK").due == 9'600_rp);
}

namespace {
enum class participant { PU, BPU, BPU_JHT };
struct national_person {
  participant category;
  std::optional<money> wage;
  std::optional<money> declared_income;
  std::optional<std::int64_t> risk_class;
  std::optional<std::int64_t> contribution_months; // read by the national pack's benefits
  std::optional<bool> membership_active;
};
BOOST_DESCRIBE_ENUM(participant, PU, BPU, BPU_JHT)
BOOST_DESCRIBE_STRUCT(national_person, (),
                      (category, wage, declared_income, risk_class, contribution_months, membership_active))
} // namespace

TEST_CASE("contributions for the application's own described struct") {
  // The national pack's programs over the application's struct: the policy's facts are the
  // struct's, and the rules and enrolments bind to them by name.
  policy p = national().source();
  p.facts = schema_of<national_person>();
  const compiled_policy compiled(std::move(p));
  const national_person worker{participant::PU, 4'000'000_rp, std::nullopt, 1, std::nullopt, std::nullopt};
  const auto s = compiled.contributions(worker, month_range(month(2024, 4), month(2024, 4)));
  // The same figures as the record above: 9,600 + 12,000 + 228,000 + 120,000 + 8,800 paid.
  CHECK(s.total == 378'400_rp);
  CHECK(s.paid_by("employer") == 249'600_rp);
  const national_person informal{participant::BPU, std::nullopt, 1'000'000_rp,
                                 std::nullopt,     std::nullopt, std::nullopt};
  CHECK(compiled.contributions(informal, month_range(month(2024, 4), month(2024, 6))).total == 50'400_rp); // 16,800 x 3
}

TEST_CASE("a missing base leaves the program undetermined and names the fact") {
  const compiled_policy p = national();
  const auto s =
      p.contributions(person(p, R"({"category": "PU", "risk_class": 1})"), month_range(month(2024, 4), month(2024, 4)));
  CHECK_FALSE(s.complete());
  CHECK(item(s, "JHT").outcome == status::undetermined);
  CHECK(item(s, "JHT").missing == std::vector<std::string>{"wage"});
  CHECK(s.total == money());
  // No risk class: JKK cannot choose its formula.
  const auto no_class =
      p.contributions(person(p, R"({"category": "PU", "wage": 4000000})"), month_range(month(2024, 4), month(2024, 4)));
  CHECK(item(no_class, "JKK").outcome == status::undetermined);
  CHECK(item(no_class, "JKK").missing == std::vector<std::string>{"risk_class"});
}

TEST_CASE("OKU Timur: the regency pays Rp16,800 a month for a selected worker") {
  const compiled_policy p(shipped().get("oku-timur/pekerja-rentan-2024-iuran"));
  const record worker = read_record(p.facts(), R"({"nik": "1608011234567890", "domicile_code": "16.08.03.2001",
      "birth_date": "1980-05-17", "employment": "informal", "occupation": "marbot", "extreme_poor": false,
      "monthly_income": 1500000, "enrolled_bpjs_tk": false})");
  const auto one = p.contributions(worker, month_range(month(2024, 9), month(2024, 9)));
  CHECK(one.paid_by("PEMKAB_OKU_TIMUR") == 16'800_rp);
  CHECK(one.paid_by("worker") == money());
  CHECK(one.total == 16'800_rp);
  // A year: 16,800 x 12 = 201,600; the full quota of 4,650: 201,600 x 4,650 = 937,440,000.
  const auto year = p.contributions(worker, month_range::calendar_year(2024));
  CHECK(year.paid_by("PEMKAB_OKU_TIMUR") == 201'600_rp);
  REQUIRE(p.source().subsidies.size() == 1);
  CHECK(*p.source().subsidies[0].quota == 4'650);
  CHECK(year.paid_by("PEMKAB_OKU_TIMUR") * *p.source().subsidies[0].quota == 937'440'000_rp);
  CHECK(*p.source().subsidies[0].budget == 937'440'000_rp);
  // Someone the rule does not select has no contributions under this policy.
  const record civil_servant = read_record(p.facts(), R"({"nik": "1608011234567890", "domicile_code": "16.08.03.2001",
      "birth_date": "1980-05-17", "employment": "asn", "occupation": "lainnya", "extreme_poor": false,
      "monthly_income": 5000000, "enrolled_bpjs_tk": false})");
  CHECK(p.contributions(civil_servant, month_range(month(2024, 9), month(2024, 9))).items.empty());
  // The merged policy cites its own basis first, then the national pack's.
  CHECK(p.source().legal_basis.front() ==
        "PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Cabang Baturaja, September 2024");
  CHECK(std::count(p.source().legal_basis.begin(), p.source().legal_basis.end(), "UU 24/2011 (BPJS)") == 1);
  // Outside the policy's effective period.
  CHECK_THROWS_AS((void)p.contributions(worker, month_range(month(2025, 1), month(2025, 1))), error);
}

TEST_CASE("Muara Enim 2020: relief months cost the regency Rp168, afterwards the worker pays Rp16,800") {
  const compiled_policy p(shipped().get("muara-enim/pekerja-informal-2020"));
  const record worker = read_record(p.facts(), R"({"nik": "1603011234567890", "employment": "informal"})");
  // November 2020 to January 2021: JKK 10,000 x 1% = 100, JKM 6,800 x 1% = 68 (PP 49/2020).
  const auto window = p.contributions(worker, month_range(month(2020, 11), month(2021, 1)));
  REQUIRE(window.items.size() == 6);
  for (const auto& i : window.items)
    CHECK(line(i, "PEMKAB_MUARA_ENIM", payment_line::kind::subsidy) == (i.program == "JKK" ? 100_rp : 68_rp));
  CHECK(window.paid_by("PEMKAB_MUARA_ENIM") == 504_rp); // 168 x 3
  CHECK(window.paid_by("PEMKAB_MUARA_ENIM") * 100 == 50'400_rp);
  CHECK(window.paid_by("worker") == money());
  // February 2021: the relief and the window have ended.
  const auto february = p.contributions(worker, month_range(month(2021, 2), month(2021, 2)));
  CHECK(february.paid_by("worker") == 16'800_rp);
  CHECK(february.paid_by("PEMKAB_MUARA_ENIM") == money());
}

TEST_CASE("two subsidies that each claim 60%: the second gets the remaining 40%, and says so") {
  policy_library library = shipped();
  library.add(R"j({
    "format": "entitle-policy/1", "id": "test/two-subsidies", "extends": "id/bpjs-ketenagakerjaan",
    "rules": [{"id": "everyone", "label": "everyone", "reason": "R", "citation": "test", "when": {"fact": "declared_income", "is": "present"}}],
    "enrolments": [{"id": "bpu", "who": "everyone", "category": "BPU", "programs": ["JKK", "JKM"]}],
    "subsidies": [
      {"id": "second", "payer": "CSR_DONOR", "who": "everyone", "programs": ["JKK", "JKM"],
       "share": {"percent": "60%"}, "window": {"from": "2024-01", "months": 12}, "priority": 2},
      {"id": "first", "payer": "PEMKAB", "who": "everyone", "programs": ["JKK", "JKM"],
       "share": {"percent": "60%"}, "window": {"from": "2024-01", "months": 12}, "priority": 1}
    ]})j");
  const compiled_policy p(library.get("test/two-subsidies"));
  const auto s = p.contributions(read_record(p.facts(), R"({"declared_income": 1000000})"),
                                 month_range(month(2024, 1), month(2024, 1)));
  // JKK 10,000: the first (priority 1) pays 6,000; the second claims 6,000 and gets 4,000; the
  // worker pays nothing. JKM 6,800: 4,080, then 2,720 of a 4,080 claim.
  const program_month& jkk = item(s, "JKK");
  CHECK(line(jkk, "PEMKAB", payment_line::kind::subsidy) == 6'000_rp);
  CHECK(line(jkk, "CSR_DONOR", payment_line::kind::subsidy) == 4'000_rp);
  CHECK(line(jkk, "worker") == money());
  CHECK(jkk.lines[1].note == "claims Rp6.000; only Rp4.000 remained after first");
  CHECK(line(item(s, "JKM"), "CSR_DONOR", payment_line::kind::subsidy) == 2'720_rp);
  CHECK(s.paid_by("PEMKAB") == 10'080_rp);
  CHECK(s.paid_by("CSR_DONOR") == 6'720_rp);
  CHECK(s.total == 16'800_rp);
}

TEST_CASE("a subsidy on a fixed base or of a fixed amount, and the rest falls to the payer roles") {
  policy_library library = shipped();
  library.add(R"j({
    "format": "entitle-policy/1", "id": "test/shares", "extends": "id/bpjs-ketenagakerjaan",
    "rules": [{"id": "everyone", "label": "everyone", "reason": "R", "citation": "test", "when": {"fact": "declared_income", "is": "present"}}],
    "enrolments": [{"id": "bpu", "who": "everyone", "category": "BPU", "programs": ["JKK", "JKM"]}],
    "subsidies": [
      {"id": "on_base", "payer": "DESA", "who": "everyone", "programs": ["JKK"],
       "share": {"base": 1000000}, "window": {"from": "2024-01", "to": "2024-03"}},
      {"id": "flat", "payer": "BAZNAS", "who": "everyone", "programs": ["JKM"],
       "share": {"amount": 5000}, "window": {"from": "2024-02", "months": 1}}
    ]})j");
  const compiled_policy p(library.get("test/shares"));
  // Declared income Rp3,000,000: JKK 1% = 30,000; the village pays JKK on Rp1,000,000 = 10,000
  // and the worker the other 20,000. JKM 6,800: BAZNAS pays 5,000 in February only.
  const auto s = p.contributions(read_record(p.facts(), R"({"declared_income": 3000000})"),
                                 month_range(month(2024, 1), month(2024, 4)));
  CHECK(s.paid_by("DESA") == 30'000_rp);    // 10,000 x 3 months
  CHECK(s.paid_by("BAZNAS") == 5'000_rp);   // February
  CHECK(s.paid_by("worker") == 112'200_rp); // 20,000 x 3 + 30,000 + 6,800 x 4 - 5,000
  CHECK(s.total == (30'000_rp + 6'800_rp) * 4);
}

TEST_CASE("extending: conflicts and overrides are checked when the policy is got") {
  policy_library library = shipped();
  library.add(R"j({"format": "entitle-policy/1", "id": "test/conflict", "extends": "id/bpjs-ketenagakerjaan",
    "rules": [{"id": "peserta_aktif", "label": "peserta_aktif", "reason": "R", "citation": "test", "when": {"fact": "risk_class", "=": 2}}]})j");
  CHECK_THROWS_WITH(
      (void)library.get("test/conflict"),
      "/rules/0/id: \"test/conflict\": rules \"peserta_aktif\" is already defined by \"id/bpjs-ketenagakerjaan\"; to "
      "replace it, put it under \"overrides\"");
  library.add(R"j({"format": "entitle-policy/1", "id": "test/nothing", "extends": "id/bpjs-ketenagakerjaan",
    "overrides": {"programs": [{"id": "JKX", "formulas": []}]}})j");
  CHECK_THROWS_WITH((void)library.get("test/nothing"),
                    "/overrides/programs/0/id: \"test/nothing\": programs \"JKX\" overrides nothing: "
                    "\"id/bpjs-ketenagakerjaan\" does not define it");
  library.add(R"j({"format": "entitle-policy/1", "id": "test/fact", "extends": "id/bpjs-ketenagakerjaan",
    "facts": {"wage": {"type": "integer"}}})j");
  CHECK_THROWS_WITH((void)library.get("test/fact"),
                    "/facts/wage: \"test/fact\": the fact \"wage\" is declared here as integer, but "
                    "\"id/bpjs-ketenagakerjaan\" declares it as money; declare it the same way or leave it out");
  library.add(R"j({"format": "entitle-policy/1", "id": "test/loop-a", "extends": "test/loop-b", "facts": {}})j");
  library.add(R"j({"format": "entitle-policy/1", "id": "test/loop-b", "extends": "test/loop-a", "facts": {}})j");
  // The error is the file whose "extends" closes the loop, at its "extends".
  CHECK_THROWS_WITH((void)library.get("test/loop-a"),
                    "/extends: \"test/loop-b\": the policies extend each other in a loop: \"test/loop-a\" -> "
                    "\"test/loop-b\" -> \"test/loop-a\"");
  library.add(
      R"j({"format": "entitle-policy/1", "id": "test/self", "extends": ["id/bpjs-ketenagakerjaan", "test/self"]})j");
  CHECK_THROWS_WITH((void)library.get("test/self"),
                    "/extends/1: \"test/self\": the policy \"test/self\" extends itself");
  library.add(R"j({"format": "entitle-policy/1", "id": "test/typo", "extends": "id/bpjs-ketenagakerja"})j");
  CHECK_THROWS_WITH((void)library.get("test/typo"),
                    "/extends: \"test/typo\": no policy called \"id/bpjs-ketenagakerja\" is in the library; the "
                    "policies are \"id/bpjs-ketenagakerjaan\", \"id/bsu-2020\", \"id/bsu-2022\", "
                    "\"kotabaru/pekerja-rentan-2024\", \"muara-enim/pekerja-informal-2020\", "
                    "\"ogan-ilir/non-asn-perangkat-desa-2024\", \"oku-timur/non-asn-2022\", "
                    "\"oku-timur/pekerja-rentan-2024\", \"oku-timur/pekerja-rentan-2024-iuran\", \"test/conflict\", "
                    "\"test/fact\", \"test/loop-a\", \"test/loop-b\", \"test/nothing\", \"test/self\"");
  CHECK_THROWS_WITH((void)policy_library().get("test/none"), "no policy called \"test/none\" is in the library");
  CHECK_THROWS_WITH((void)library.get("test/none"),
                    "no policy called \"test/none\" is in the library; the policies are \"id/bpjs-ketenagakerjaan\", "
                    "\"id/bsu-2020\", \"id/bsu-2022\", \"kotabaru/pekerja-rentan-2024\", "
                    "\"muara-enim/pekerja-informal-2020\", \"ogan-ilir/non-asn-perangkat-desa-2024\", "
                    "\"oku-timur/non-asn-2022\", \"oku-timur/pekerja-rentan-2024\", "
                    "\"oku-timur/pekerja-rentan-2024-iuran\", \"test/conflict\", \"test/fact\", \"test/loop-a\", "
                    "\"test/loop-b\", \"test/nothing\", \"test/self\", \"test/typo\"");
  // A policy that extends another cannot be read on its own.
  CHECK_THROWS_WITH((void)read_policy(R"j({"format": "entitle-policy/1", "id": "x", "extends": "y", "facts": {}})j"),
                    "/extends: this policy extends \"y\"; read it through a policy_library that holds that policy too");
}

TEST_CASE("payment errors name their JSON location") {
  policy_library library = shipped();
  library.add(R"j({"format": "entitle-policy/1", "id": "test/bad", "extends": "id/bpjs-ketenagakerjaan",
    "rules": [{"id": "everyone", "label": "everyone", "reason": "R", "citation": "test", "when": {"fact": "wage", "is": "present"}}],
    "enrolments": [{"id": "e", "who": "everyone", "category": "PU", "programs": ["JKK", "JKX"]}]})j");
  CHECK_THROWS_WITH((void)library.get("test/bad"),
                    "/enrolments/0/programs/1: in \"test/bad\" merged with what it extends: no program is called "
                    "\"JKX\"; the programs are \"JKK\", \"JKM\", \"JHT\", \"JP\", \"JKP\"");
  library.add(R"j({"format": "entitle-policy/1", "id": "test/bpu-jp", "extends": "id/bpjs-ketenagakerjaan",
    "rules": [{"id": "everyone", "label": "everyone", "reason": "R", "citation": "test", "when": {"fact": "wage", "is": "present"}}],
    "enrolments": [{"id": "e", "who": "everyone", "category": "BPU", "programs": ["JP"]}]})j");
  CHECK_THROWS_WITH((void)library.get("test/bpu-jp"),
                    "/enrolments/0/programs/0: in \"test/bpu-jp\" merged with what it extends: the program \"JP\" "
                    "has no formula for the category \"BPU\"");
  // A share over 100% is the binder's to refuse: tests/policy/figure_ranges_test.cpp and the
  // malformed corpus (policy-subsidy-over-100.json).
  CHECK_THROWS_WITH((void)library.add(R"j({"format": "entitle-policy/1", "id": "test/w2", "facts": {},
    "subsidies": [{"id": "s", "payer": "P", "who": "r", "programs": ["JKK"], "share": {"percent": "50%"},
                   "window": {"from": "2024-01", "to": "2023-12"}}]})j"),
                    "/subsidies/0/window/to: the window ends before it starts");
}

TEST_CASE("the shipped policies all load, and write and read back to the same policy") {
  const policy_library library = shipped();
  CHECK(library.ids().size() == 9); // the national pack, two BSU policies, six regional policies
  for (const auto& id : library.ids()) {
    CAPTURE(id);
    const policy p = library.get(id);
    const compiled_policy compiled(p);
    CHECK(read_policy(write_policy(p)) == [&] {
      policy q = p;
      q.extends.clear(); // a merged policy is written whole
      return q;
    }());
  }
}

// ---- the statement as text and JSON, and as part of the explanation ---------------------------

namespace {

compiled_policy oku_timur_iuran() { return compiled_policy(shipped().get("oku-timur/pekerja-rentan-2024-iuran")); }

// A marbot of OKU Timur earning Rp1,500,000, not yet enrolled: rentan_oku_timur_2024 holds.
record oku_worker(const compiled_policy& p) {
  return read_record(p.facts(), R"({"nik": "1608011234567890", "domicile_code": "16.08.03.2001",
      "birth_date": "1980-05-17", "employment": "informal", "occupation": "marbot", "extreme_poor": false,
      "monthly_income": 1500000, "enrolled_bpjs_tk": false})");
}

money money_at(const boost::json::value& jv) { return boost::json::value_to<money>(jv); }

} // namespace

TEST_CASE("statement text: OKU Timur pays Rp16,800 a month for a vulnerable worker") {
  const compiled_policy p = oku_timur_iuran();
  const auto s = p.contributions(oku_worker(p), month_range(month(2024, 1), month(2024, 2)));
  // Registered at Rp1,000,000 (the enrolment's base): JKK 1% = Rp10,000, JKM flat Rp6,800
  // (PP 44/2015, BPU); apbd_oku_timur_2024 pays 100% of both, so the worker's own parts are Rp0
  // and leave no line. Two months: 16,800 x 2 = 33,600, all the regency's.
  CHECK(to_text(s) ==
        R"(oku-timur/pekerja-rentan-2024-iuran, 2024-01..2024-02: Rp33.600 (PEMKAB_OKU_TIMUR Rp33.600)
2024-01 JKK (pekerja_rentan_bpu, BPU): due Rp10.000
  PEMKAB_OKU_TIMUR Rp10.000  subsidy apbd_oku_timur_2024 [PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Cabang Baturaja, September 2024 (4.650 peserta)]
2024-01 JKM (pekerja_rentan_bpu, BPU): due Rp6.800
  PEMKAB_OKU_TIMUR Rp6.800  subsidy apbd_oku_timur_2024 [PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Cabang Baturaja, September 2024 (4.650 peserta)]
2024-02 JKK (pekerja_rentan_bpu, BPU): due Rp10.000
  PEMKAB_OKU_TIMUR Rp10.000  subsidy apbd_oku_timur_2024 [PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Cabang Baturaja, September 2024 (4.650 peserta)]
2024-02 JKM (pekerja_rentan_bpu, BPU): due Rp6.800
  PEMKAB_OKU_TIMUR Rp6.800  subsidy apbd_oku_timur_2024 [PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Cabang Baturaja, September 2024 (4.650 peserta)]
)");
  CHECK(s.paid_by("worker") == money());

  const boost::json::value j = to_json(s);
  CHECK(j.at("format") == "entitle-statement/1");
  CHECK(j.at("policy") == "oku-timur/pekerja-rentan-2024-iuran");
  CHECK(j.at("period") == "2024-01..2024-02");
  CHECK(j.at("complete") == true);
  CHECK(money_at(j.at("total")) == 33'600_rp); // 16,800 x 2
  REQUIRE(j.at("totals").as_array().size() == 1);
  CHECK(j.at("totals").at(0).at("payer") == "PEMKAB_OKU_TIMUR");
  CHECK(money_at(j.at("totals").at(0).at("amount")) == 33'600_rp);
  const auto& items = j.at("items").as_array();
  REQUIRE(items.size() == 4); // JKK and JKM, two months
  const auto& jkk = items.at(0);
  CHECK(jkk.at("month") == "2024-01");
  CHECK(jkk.at("enrolment") == "pekerja_rentan_bpu");
  CHECK(jkk.at("program") == "JKK");
  CHECK(jkk.at("category") == "BPU");
  CHECK(jkk.at("status") == "eligible");
  CHECK(money_at(jkk.at("due")) == 10'000_rp); // 1% of Rp1,000,000
  REQUIRE(jkk.at("lines").as_array().size() == 1);
  const auto& subsidy = jkk.at("lines").at(0);
  CHECK(subsidy.at("kind") == "subsidy");
  CHECK(subsidy.at("payer") == "PEMKAB_OKU_TIMUR");
  CHECK(money_at(subsidy.at("amount")) == 10'000_rp);
  CHECK(subsidy.at("source") == "subsidy apbd_oku_timur_2024");
  CHECK(subsidy.at("citation") ==
        "PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Cabang Baturaja, September 2024 (4.650 peserta)");
  CHECK_FALSE(subsidy.as_object().contains("note"));  // only a line with a note has one
  CHECK(money_at(items.at(1).at("due")) == 6'800_rp); // JKM flat
  CHECK(jkk.at("missing").as_array().empty());
  CHECK(jkk.at("notes").as_array().empty());

  // Nobody enrolled: the heading says so.
  const record civil_servant = read_record(p.facts(), R"({"nik": "1608011234567890", "domicile_code": "16.08.03.2001",
      "birth_date": "1980-05-17", "employment": "asn", "occupation": "lainnya", "extreme_poor": false,
      "monthly_income": 5000000, "enrolled_bpjs_tk": false})");
  CHECK(to_text(p.contributions(civil_servant, month_range(month(2024, 9), month(2024, 9)))) ==
        "oku-timur/pekerja-rentan-2024-iuran, 2024-09..2024-09: Rp0 (no contributions)\n");
}

TEST_CASE("statement text: JKP's recomposed parts are shown and not charged again") {
  const compiled_policy p = national();
  const auto s = p.contributions(person(p, R"({"category": "PU", "wage": 4000000, "risk_class": 1})"),
                                 month_range(month(2024, 4), month(2024, 4)));
  // Wage Rp4,000,000, risk class I, April 2024 (the figures of the PU test above):
  // JKK 0.24% = 9,600 and JKM 0.30% = 12,000, the employer's (PP 44/2015); JHT 5.7% = 228,000 as
  // 148,000 + 80,000 (PP 46/2015); JP 3% = 120,000 as 80,000 + 40,000 (PP 45/2015); JKP 0.46% =
  // 18,400 as 8,800 from the central government and 5,600 + 4,000 recomposed from JKK and JKM,
  // which the employer already paid (PP 37/2021 Art. 11). Paid: employer 9,600 + 12,000 + 148,000
  // + 80,000 = 249,600; worker 80,000 + 40,000 = 120,000; central government 8,800; 378,400.
  CHECK(to_text(s) ==
        R"(test/national, 2024-04..2024-04: Rp378.400 (employer Rp249.600, worker Rp120.000, central_government Rp8.800)
2024-04 JKK (pu, PU): due Rp9.600
  employer Rp9.600  JKK/PU formula 0, part 0 [PP 44/2015 Lampiran I, kelompok 1 (tingkat risiko sangat rendah): 0,24% dari upah sebulan]
    note: share 0.24% from the derived value "iuran_jkk_pu", table iuran_jkk_pu, row 0 "I"
2024-04 JKM (pu, PU): due Rp12.000
  employer Rp12.000  JKM/PU formula 0, part 0 [PP 44/2015 Pasal 46 ayat (1): 0,30% dari upah]
2024-04 JHT (pu, PU): due Rp228.000
  employer Rp148.000  JHT/PU formula 0, part 0 [PP 46/2015 Pasal 16 ayat (1): 3,7% pemberi kerja]
  worker Rp80.000  JHT/PU formula 0, part 1 [PP 46/2015 Pasal 16 ayat (1): 2% pekerja]
2024-04 JP (pu, PU): due Rp120.000
  employer Rp80.000  JP/PU formula 0, part 0 [PP 45/2015 Pasal 28 ayat (1): 2% pemberi kerja]
  worker Rp40.000  JP/PU formula 0, part 1 [PP 45/2015 Pasal 28 ayat (1): 1% pekerja]
2024-04 JKP (pu, PU): due Rp18.400
  central_government Rp8.800  JKP/PU formula 0, part 0 [PP 37/2021 Pasal 11 ayat (2): 0,22% dari Pemerintah Pusat (APBN)]
  recomposed from JKK Rp5.600, not charged again  JKP/PU formula 0, part 1 [PP 37/2021 Pasal 11 ayat (3): rekomposisi 0,14% dari iuran JKK]
  recomposed from JKM Rp4.000, not charged again  JKP/PU formula 0, part 2 [PP 37/2021 Pasal 11 ayat (3): rekomposisi 0,10% dari iuran JKM]
)");
  const boost::json::value j = to_json(s);
  const auto& jkp = j.at("items").at(4);
  CHECK(jkp.at("program") == "JKP");
  CHECK(money_at(jkp.at("due")) == 18'400_rp); // 0.46% of 4,000,000
  const auto& lines = jkp.at("lines").as_array();
  REQUIRE(lines.size() == 3);
  CHECK(lines.at(0).at("kind") == "payer");
  CHECK(lines.at(0).at("payer") == "central_government");
  CHECK(money_at(lines.at(0).at("amount")) == 8'800_rp); // 0.22%
  CHECK(lines.at(1).at("kind") == "recomposed");
  CHECK(lines.at(1).at("payer") == "JKK");               // for a recomposition, the program it comes from
  CHECK(money_at(lines.at(1).at("amount")) == 5'600_rp); // 0.14%
  CHECK(lines.at(1).at("citation") == "PP 37/2021 Pasal 11 ayat (3): rekomposisi 0,14% dari iuran JKK");
  CHECK(lines.at(2).at("kind") == "recomposed");
  CHECK(money_at(lines.at(2).at("amount")) == 4'000_rp); // 0.10% from JKM
  // The totals leave the recomposed 9,600 out: 378,400, not 388,000.
  CHECK(money_at(j.at("total")) == 378'400_rp);
  CHECK(j.at("totals").as_array().size() == 3);
  CHECK(money_at(j.at("totals").at(0).at("amount")) == 249'600_rp); // employer
}

TEST_CASE("statement text and JSON: an undetermined item names the missing facts") {
  const compiled_policy p = national();
  // No risk class: the JKK rate table (PP 44/2015 Lampiran I) lacks its input, so JKK is
  // undetermined and its amount is not counted; the other programs are as above: employer
  // 12,000 + 148,000 + 80,000 = 240,000, worker 120,000, central government 8,800; 368,800.
  const auto s =
      p.contributions(person(p, R"({"category": "PU", "wage": 4000000})"), month_range(month(2024, 4), month(2024, 4)));
  CHECK(
      to_text(s) ==
      R"(test/national, 2024-04..2024-04: Rp368.800 (employer Rp240.000, worker Rp120.000, central_government Rp8.800); 1 of 5 items undetermined
2024-04 JKK (pu, PU): undetermined; missing facts: risk_class
  note: the share of part 0 has no value: the derived value "iuran_jkk_pu", table iuran_jkk_pu: missing inputs leave it open
2024-04 JKM (pu, PU): due Rp12.000
  employer Rp12.000  JKM/PU formula 0, part 0 [PP 44/2015 Pasal 46 ayat (1): 0,30% dari upah]
2024-04 JHT (pu, PU): due Rp228.000
  employer Rp148.000  JHT/PU formula 0, part 0 [PP 46/2015 Pasal 16 ayat (1): 3,7% pemberi kerja]
  worker Rp80.000  JHT/PU formula 0, part 1 [PP 46/2015 Pasal 16 ayat (1): 2% pekerja]
2024-04 JP (pu, PU): due Rp120.000
  employer Rp80.000  JP/PU formula 0, part 0 [PP 45/2015 Pasal 28 ayat (1): 2% pemberi kerja]
  worker Rp40.000  JP/PU formula 0, part 1 [PP 45/2015 Pasal 28 ayat (1): 1% pekerja]
2024-04 JKP (pu, PU): due Rp18.400
  central_government Rp8.800  JKP/PU formula 0, part 0 [PP 37/2021 Pasal 11 ayat (2): 0,22% dari Pemerintah Pusat (APBN)]
  recomposed from JKK Rp5.600, not charged again  JKP/PU formula 0, part 1 [PP 37/2021 Pasal 11 ayat (3): rekomposisi 0,14% dari iuran JKK]
  recomposed from JKM Rp4.000, not charged again  JKP/PU formula 0, part 2 [PP 37/2021 Pasal 11 ayat (3): rekomposisi 0,10% dari iuran JKM]
)");
  const boost::json::value j = to_json(s);
  CHECK(j.at("complete") == false);
  CHECK(money_at(j.at("total")) == 368'800_rp);
  const auto& jkk = j.at("items").at(0);
  CHECK(jkk.at("status") == "undetermined");
  CHECK(jkk.at("missing") == boost::json::array{"risk_class"});
  CHECK(jkk.at("lines").as_array().empty());
  CHECK(jkk.at("notes") == boost::json::array{"the share of part 0 has no value: the derived value \"iuran_jkk_pu\", "
                                              "table iuran_jkk_pu: missing inputs leave it open"});

  // No wage: every program's base is missing, so nothing is worked out and nothing is paid.
  const auto no_wage =
      p.contributions(person(p, R"({"category": "PU", "risk_class": 1})"), month_range(month(2024, 4), month(2024, 4)));
  CHECK(to_text(no_wage) == R"(test/national, 2024-04..2024-04: Rp0; 5 of 5 items undetermined
2024-04 JKK (pu, PU): undetermined; missing facts: wage
2024-04 JKM (pu, PU): undetermined; missing facts: wage
2024-04 JHT (pu, PU): undetermined; missing facts: wage
2024-04 JP (pu, PU): undetermined; missing facts: wage
2024-04 JKP (pu, PU): undetermined; missing facts: wage
)");
  CHECK(to_json(no_wage).at("totals").as_array().empty());
}

TEST_CASE("statement text: adjustments and cut subsidies are noted") {
  // PP 49/2020: JKK and JKM at 1% of normal in September 2020: 9,600 x 1% = 96, 12,000 x 1% = 120.
  const compiled_policy p = national();
  const auto relief = p.contributions(person(p, R"({"category": "PU", "wage": 4000000, "risk_class": 1})"),
                                      month_range(month(2020, 9), month(2020, 9)));
  const std::string text = to_text(relief);
  CHECK(text.find("2020-09 JKK (pu, PU): due Rp96\n"
                  "  employer Rp96  JKK/PU formula 0, part 0 [PP 44/2015 Lampiran I, kelompok 1 (tingkat risiko "
                  "sangat rendah): 0,24% dari upah sebulan]\n"
                  "    note: share 0.24% from the derived value \"iuran_jkk_pu\", table iuran_jkk_pu, row 0 \"I\"\n"
                  "  note: adjustment pp49_2020: 1% of the normal amount (PP 49/2020 Pasal 11: iuran JKK dan JKM "
                  "bulan Agustus 2020 s.d. Januari 2021 sebesar 1% (keringanan 99%))\n") != std::string::npos);
  // A line's own note follows it, indented further: the second of two 60% subsidies on JKK
  // 10,000 claims 6,000 and gets the 4,000 that remain (the two-subsidies test above).
  contribution_statement s;
  s.policy = "test/two-subsidies";
  s.period = month_range(month(2024, 1), month(2024, 1));
  s.items.push_back({month(2024, 1),
                     "bpu",
                     "JKK",
                     "BPU",
                     status::eligible,
                     10'000_rp,
                     money(),
                     {{payment_line::kind::subsidy, "PEMKAB", 6'000_rp, "subsidy first", "", ""},
                      {payment_line::kind::subsidy, "CSR_DONOR", 4'000_rp, "subsidy second", "",
                       "claims Rp6.000; only Rp4.000 remained after first"}},
                     {},
                     {}});
  s.totals = {{"PEMKAB", 6'000_rp}, {"CSR_DONOR", 4'000_rp}};
  s.total = 10'000_rp;
  CHECK(to_text(s) == R"(test/two-subsidies, 2024-01..2024-01: Rp10.000 (PEMKAB Rp6.000, CSR_DONOR Rp4.000)
2024-01 JKK (bpu, BPU): due Rp10.000
  PEMKAB Rp6.000  subsidy first
  CSR_DONOR Rp4.000  subsidy second
    note: claims Rp6.000; only Rp4.000 remained after first
)");
  CHECK(to_json(s).at("items").at(0).at("lines").at(1).at("note") ==
        "claims Rp6.000; only Rp4.000 remained after first");
}

TEST_CASE("explanation with the person's contributions attached, as text and JSON") {
  const compiled_policy p = oku_timur_iuran();
  const rule_handle rentan = p.rule("rentan_oku_timur_2024");
  const record worker = oku_worker(p);
  const month_range months(month(2024, 1), month(2024, 2));
  const explanation plain = p.explain(rentan, worker, date(2024, 1, 1));
  const explanation e = p.explain(rentan, worker, date(2024, 1, 1), months);
  REQUIRE(e.contributions.has_value());
  CHECK(*e.contributions == p.contributions(worker, months));
  CHECK_FALSE(plain.contributions.has_value());
  CHECK(e.outcome.outcome == status::eligible);

  // The tree, unchanged, then "contributions:" and the statement's text.
  const std::string text = to_text(e);
  CHECK(text == to_text(plain) + "contributions:\n" + to_text(*e.contributions));
  CHECK(text.starts_with("rentan_oku_timur_2024 on 2024-01-01: eligible\n"));
  CHECK(text.find("\ncontributions:\noku-timur/pekerja-rentan-2024-iuran, 2024-01..2024-02: Rp33.600 "
                  "(PEMKAB_OKU_TIMUR Rp33.600)\n2024-01 JKK (pekerja_rentan_bpu, BPU): due Rp10.000\n") !=
        std::string::npos);
  CHECK(to_text(plain).find("contributions:") == std::string::npos);

  // JSON: the explanation's keys, then "contributions": the statement without its "format".
  const boost::json::value j = to_json(e);
  CHECK(j.at("format") == "entitle-explanation/1");
  CHECK(j.at("status") == "eligible");
  boost::json::object statement = to_json(*e.contributions).as_object();
  statement.erase("format");
  CHECK(j.at("contributions") == statement);
  CHECK_FALSE(j.at("contributions").as_object().contains("format"));
  CHECK(money_at(j.at("contributions").at("total")) == 33'600_rp); // 16,800 x 2, all the regency's
  CHECK(j.at("contributions").at("items").as_array().size() == 4);
  // Without a statement the JSON is as before: no "contributions" key.
  boost::json::object without = j.as_object();
  without.erase("contributions");
  CHECK(to_json(plain) == without);
  CHECK_FALSE(to_json(plain).as_object().contains("contributions"));

  // Months outside the policy's effective period (2024) are refused, as `contributions` refuses them.
  CHECK_THROWS_AS((void)p.explain(rentan, worker, date(2024, 1, 1), month_range(month(2025, 1), month(2025, 1))),
                  error);
}

TEST_CASE("explanation with contributions for the application's own described struct") {
  policy source = national().source();
  source.facts = schema_of<national_person>();
  const compiled_policy compiled(std::move(source));
  const national_person worker{participant::PU, 4'000'000_rp, std::nullopt, 1, std::nullopt, std::nullopt};
  const explanation e =
      compiled.explain(compiled.rule("pu"), worker, date(2024, 4, 1), month_range(month(2024, 4), month(2024, 4)));
  CHECK(e.outcome.outcome == status::eligible);
  REQUIRE(e.contributions.has_value());
  CHECK(e.contributions->total == 378'400_rp); // as the PU record: 249,600 + 120,000 + 8,800
  CHECK(to_text(e).find("\ncontributions:\ntest/national, 2024-04..2024-04: Rp378.400 (employer Rp249.600, "
                        "worker Rp120.000, central_government Rp8.800)\n") != std::string::npos);
}

TEST_CASE("statement JSON through serialize and parse keeps every figure") {
  const compiled_policy p = national();
  const auto s = p.contributions(person(p, R"({"category": "PU", "wage": 12000000, "risk_class": 1})"),
                                 month_range(month(2024, 2), month(2024, 4)));
  const boost::json::value j = to_json(s);
  const boost::json::value back = boost::json::parse(boost::json::serialize(j));
  CHECK(back == j);
  CHECK(money_at(back.at("total")) == s.total);
  money sum;
  for (std::size_t k = 0; k < s.totals.size(); ++k) {
    CHECK(back.at("totals").at(k).at("payer") == s.totals[k].first.c_str());
    CHECK(money_at(back.at("totals").at(k).at("amount")) == s.totals[k].second);
    sum += money_at(back.at("totals").at(k).at("amount"));
  }
  CHECK(sum == s.total);
  const auto& items = back.at("items").as_array();
  REQUIRE(items.size() == s.items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    CHECK(money_at(items.at(i).at("due")) == s.items[i].due);
    const auto& lines = items.at(i).at("lines").as_array();
    REQUIRE(lines.size() == s.items[i].lines.size());
    for (std::size_t k = 0; k < lines.size(); ++k)
      CHECK(money_at(lines.at(k).at("amount")) == s.items[i].lines[k].amount);
  }
  // JP on the ceiling in force each month: February 9,559,600 x 3% = 286,788; April 10,042,300
  // x 3% = 301,269 (PP 45/2015 Art. 29(3), as in the ceiling test above).
  CHECK(money_at(items.at(3).at("due")) == 286'788_rp);
  CHECK(money_at(items.at(13).at("due")) == 301'269_rp);

  // Amounts with sen are written as plain strings and read back exactly.
  contribution_statement sen;
  sen.policy = "test/sen";
  sen.period = month_range(month(2024, 1), month(2024, 1));
  sen.items.push_back({month(2024, 1),
                       "e",
                       "JKK",
                       "BPU",
                       status::eligible,
                       money::from_minor_units(1'680'050),
                       money(),
                       {{payment_line::kind::payer, "worker", money::from_minor_units(1'680'050), "JKK", "c", ""}},
                       {},
                       {}});
  sen.totals = {{"worker", money::from_minor_units(1'680'050)}};
  sen.total = money::from_minor_units(1'680'050);
  const boost::json::value sen_back = boost::json::parse(boost::json::serialize(to_json(sen)));
  CHECK(sen_back.at("total") == "16800.50");
  CHECK(money_at(sen_back.at("total")) == money::from_minor_units(1'680'050));
  CHECK(money_at(sen_back.at("items").at(0).at("lines").at(0).at("amount")) == money::from_minor_units(1'680'050));
}
