// Benefits and claims: what a covered person or their heirs receive. Every figure is worked out
// by hand from PP 82/2019 (JKM and JKK benefits), PP 44/2015 for the earlier amounts, and
// Permenaker 14/2020 and 10/2022 for the wage subsidies (BSU).
#include <entitle/entitle.hpp>

#include "shipped_policies.hpp"
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace entitle;
using namespace entitle::literals;

namespace {

using test::shipped;

const compiled_policy& national() {
  static const compiled_policy p(shipped().get("id/bpjs-ketenagakerjaan"));
  return p;
}

const claim_line& line(const claim_result& r, std::string_view benefit) {
  for (const auto& l : r.lines)
    if (l.benefit == benefit) return l;
  FAIL("no line for " << benefit);
  throw;
}

claim_result assess(const compiled_policy& p, const claim& c, std::string_view facts) {
  return p.assess(c, read_record(p.facts(), facts));
}

} // namespace

TEST_CASE("claims: death not at work after 12 months of contributions: Rp42.000.000, no scholarship") {
  // PP 82/2019: Rp20,000,000 at once + Rp12,000,000 periodic (24 x Rp500,000, paid at once) +
  // Rp10,000,000 funeral = Rp42,000,000; the scholarship needs 3 years (36 months) of contributions.
  const claim c{"death", date(2024, 3, 1), 0, {"tk_sd", "smp"}, {}};
  const claim_result r =
      assess(national(), c, R"({"wage": 4000000, "contribution_months": 12, "membership_active": true})");
  CHECK(r.total == 42'000'000_rp);
  CHECK(line(r, "jkm_santunan_sekaligus").amount == 20'000'000_rp);
  CHECK(line(r, "jkm_santunan_berkala").amount == 12'000'000_rp);
  CHECK(line(r, "jkm_santunan_berkala").basis == "Rp500.000 × 24");
  CHECK(line(r, "jkm_biaya_pemakaman").amount == 10'000'000_rp);
  const claim_line& scholarship = line(r, "jkm_beasiswa");
  CHECK(scholarship.status == claim_status::refused);
  // The reason is the requirement that failed, closest to the facts.
  CHECK(scholarship.reason ==
        "Masa iur paling sedikit 3 tahun (MASA_IUR_KURANG): contribution_months >= 36, actual 12");
  // The PP 44/2015 scholarship is not in force in 2024.
  for (const auto& l : r.lines)
    CHECK(l.benefit != "jkm_beasiswa_2015");
}

TEST_CASE("claims: the same death after 40 months grants the scholarship for up to 2 children") {
  // First year: Rp1,500,000 for a child in primary school and Rp2,000,000 in junior high
  // (PP 82/2019, Permenaker 5/2021); a third child is not covered.
  const claim c{"death", date(2024, 3, 1), 0, {"tk_sd", "smp", "sma"}, {}};
  const claim_result r =
      assess(national(), c, R"({"wage": 4000000, "contribution_months": 40, "membership_active": true})");
  const claim_line& scholarship = line(r, "jkm_beasiswa");
  CHECK(scholarship.status == claim_status::payable);
  CHECK(scholarship.amount == 3'500'000_rp);
  CHECK(scholarship.details == std::vector<std::string>{"child 1 (tk_sd): Rp1.500.000 a year, for at most 8 years",
                                                        "child 2 (smp): Rp2.000.000 a year, for at most 3 years",
                                                        "child 3 (sma): not covered, at most 2 children"});
  CHECK(r.total == 45'500'000_rp); // 42,000,000 + 3,500,000
}

TEST_CASE("claims: before PP 82/2019 the same death paid Rp24.000.000") {
  // PP 44/2015: Rp16,200,000 + 24 x Rp200,000 + Rp3,000,000 = Rp24,000,000; the Rp12,000,000
  // scholarship for one child needed 5 years of contributions (an assumption, marked so).
  const claim c{"death", date(2019, 6, 1), 0, {"smp"}, {}};
  const claim_result r =
      assess(national(), c, R"({"wage": 4000000, "contribution_months": 70, "membership_active": true})");
  CHECK(line(r, "jkm_santunan_sekaligus").amount == 16'200'000_rp);
  CHECK(line(r, "jkm_santunan_berkala").amount == 4'800'000_rp);
  CHECK(line(r, "jkm_biaya_pemakaman").amount == 3'000'000_rp);
  CHECK(line(r, "jkm_beasiswa_2015").amount == 12'000'000_rp);
  CHECK(r.total == 36'000'000_rp); // 24,000,000 + 12,000,000
}

TEST_CASE("claims: death from a work accident pays 48 times the wage or declared income") {
  // A non-wage worker declared at Rp1,000,000: 48 x 1,000,000 = 48,000,000 + 12,000,000 periodic +
  // 10,000,000 funeral = Rp70,000,000 (no child named: the scholarship line says so).
  const claim c{"work_accident_death", date(2024, 5, 10), 0, {}, {}};
  const claim_result bpu =
      assess(national(), c, R"({"declared_income": 1000000, "contribution_months": 3, "membership_active": true})");
  CHECK(line(bpu, "jkk_santunan_kematian").amount == 48'000'000_rp);
  CHECK(line(bpu, "jkk_santunan_kematian").basis == "48 × Rp1.000.000 (declared_income)");
  CHECK(line(bpu, "jkk_santunan_berkala").amount == 12'000'000_rp);
  CHECK(line(bpu, "jkk_biaya_pemakaman").amount == 10'000'000_rp);
  CHECK(line(bpu, "jkk_beasiswa").status == claim_status::refused);
  CHECK(line(bpu, "jkk_beasiswa").reason == "the claim names no child in school");
  CHECK(bpu.total == 70'000'000_rp);
  // A wage earner on Rp4,000,000: 192,000,000 + 12,000,000 + 10,000,000.
  const claim_result pu =
      assess(national(), c, R"({"wage": 4000000, "contribution_months": 3, "membership_active": true})");
  CHECK(line(pu, "jkk_santunan_kematian").amount == 192'000'000_rp);
  CHECK(pu.total == 214'000'000_rp);
  // Never below the JKM death benefit: 48 x Rp300,000 = 14,400,000 is raised to 20,000,000.
  const claim_result low =
      assess(national(), c, R"({"declared_income": 300000, "contribution_months": 3, "membership_active": true})");
  CHECK(line(low, "jkk_santunan_kematian").amount == 20'000'000_rp);
  CHECK(line(low, "jkk_santunan_kematian").details ==
        std::vector<std::string>{"raised from Rp14.400.000 to Rp20.000.000, the amount of jkm_santunan_sekaligus, "
                                 "which it is never below"});
}

TEST_CASE("claims: temporary inability to work for 15 months on Rp3.000.000") {
  // 12 months at 100% and 3 at 50%: 12 x 3,000,000 + 3 x 1,500,000 = Rp40,500,000.
  const claim c{"temporary_inability", date(2024, 2, 1), 15, {}, {}};
  const claim_result r =
      assess(national(), c, R"({"wage": 3000000, "contribution_months": 20, "membership_active": true})");
  CHECK(line(r, "jkk_stmb").amount == 40'500'000_rp);
  CHECK(line(r, "jkk_stmb").basis == "12 × 100% × Rp3.000.000 + 3 × 50% × Rp3.000.000 (wage)");
  CHECK(r.total == 40'500'000_rp);
}

TEST_CASE("claims: transport is refunded up to each mode's cap, home care up to its own") {
  // PP 82/2019: land Rp5,000,000 (3,000,000 spent: all of it), air Rp10,000,000 (12,500,000 spent:
  // 10,000,000); home care up to Rp20,000,000 (8,000,000 spent).
  const claim c{"work_accident",
                date(2024, 7, 1),
                0,
                {},
                {{"land", 3'000'000_rp}, {"air", 12'500'000_rp}, {"home_care", 8'000'000_rp}}};
  const claim_result r =
      assess(national(), c, R"({"wage": 3000000, "contribution_months": 20, "membership_active": true})");
  CHECK(line(r, "jkk_transportasi").amount == 13'000'000_rp);
  CHECK(line(r, "jkk_homecare").amount == 8'000'000_rp);
  CHECK(r.total == 21'000'000_rp);
  // Before PP 82/2019 the land cap was Rp1,000,000, and there was no home care to claim.
  const std::string facts = R"({"wage": 3000000, "contribution_months": 20, "membership_active": true})";
  const claim earlier{"work_accident", date(2018, 7, 1), 0, {}, {{"land", 3'000'000_rp}}};
  const claim_result old = assess(national(), earlier, facts);
  CHECK(old.total == 1'000'000_rp);
  CHECK(old.lines.size() == 1);
  const claim care{"work_accident", date(2018, 7, 1), 0, {}, {{"home_care", 8'000'000_rp}}};
  CHECK_THROWS_WITH_AS(assess(national(), care, facts),
                       "no benefit paid on \"work_accident\" refunds a cost of kind \"home_care\"; the kinds are "
                       "\"land\", \"sea\", \"air\"",
                       error);
  // Two bills by land share one cap: 4,000,000 + 3,000,000 spent, Rp5,000,000 refunded.
  const claim two{"work_accident", date(2024, 7, 1), 0, {}, {{"land", 4'000'000_rp}, {"land", 3'000'000_rp}}};
  CHECK(assess(national(), two, facts).total == 5'000'000_rp);
}

TEST_CASE("claims: an inactive membership is refused, a missing fact is undetermined, an unknown event an error") {
  const claim c{"death", date(2024, 3, 1), 0, {}, {}};
  const claim_result inactive =
      assess(national(), c, R"({"wage": 4000000, "contribution_months": 50, "membership_active": false})");
  CHECK(inactive.total == money());
  CHECK(line(inactive, "jkm_santunan_sekaligus").reason ==
        "Kepesertaan aktif pada tanggal kejadian (KEPESERTAAN_TIDAK_AKTIF): membership_active = true, actual false");
  const claim_result unknown = assess(national(), c, R"({"wage": 4000000, "contribution_months": 50})");
  CHECK(line(unknown, "jkm_santunan_sekaligus").status == claim_status::undetermined);
  CHECK(line(unknown, "jkm_santunan_sekaligus").missing == std::vector<std::string>{"membership_active"});
  const claim typo{"deaht", date(2024, 3, 1), 0, {}, {}};
  CHECK_THROWS_WITH_AS(assess(national(), typo, R"({})"),
                       doctest::Contains("no benefit of \"id/bpjs-ketenagakerjaan\" is paid on the event \"deaht\""),
                       error);
}

TEST_CASE("claims: BSU 2020 pays Rp2.400.000 in two tranches below a wage of Rp5.000.000") {
  // Permenaker 14/2020: wage below Rp5,000,000; Rp600,000 a month for 4 months, in 2 tranches.
  static const compiled_policy bsu(shipped().get("id/bsu-2020"));
  const claim c{"bsu_2020", date(2020, 8, 27), 0, {}, {}};
  const std::string person = R"({"citizen": true, "participant_type": "pu", "active_june_2020": true,
                                 "kartu_prakerja": false, "wage": )";
  const claim_result below = assess(bsu, c, person + "4999999}");
  CHECK(below.total == 2'400'000_rp);
  CHECK(line(below, "bsu_2020").details == std::vector<std::string>{"paid in 2 tranches of Rp1.200.000"});
  const claim_result at = assess(bsu, c, person + "5000000}");
  CHECK(at.total == money());
  CHECK(line(at, "bsu_2020").reason == "Upah di bawah Rp5.000.000 (UPAH_TERLALU_TINGGI): wage < Rp5.000.000, actual "
                                       "Rp5.000.000");
}

TEST_CASE("claims: BSU 2022's wage ceiling is the regional minimum wage rounded up to Rp100.000") {
  // Permenaker 10/2022: at most Rp3,500,000, or the UMP/UMK rounded up to the full Rp100,000 where
  // higher: Karawang's Rp4,789,312 gives Rp4,800,000.
  static const compiled_policy bsu(shipped().get("id/bsu-2022"));
  const claim c{"bsu_2022", date(2022, 9, 1), 0, {}, {}};
  const std::string person = R"({"citizen": true, "participant_type": "pu", "employment": "other",
    "active_july_2022": true, "receives_pkh": false, "receives_bpum": false, "kartu_prakerja": false,
    "regional_min_wage": 4789312, "wage": )";
  CHECK(assess(bsu, c, person + "4800000}").total == 600'000_rp);
  CHECK(assess(bsu, c, person + "4795000}").total == 600'000_rp); // above the UMK, within its rounding
  const claim_result over = assess(bsu, c, person + "4800001}");
  CHECK(over.total == money());
  CHECK(line(over, "bsu_2022").reason ==
        "Upah paling banyak Rp3.500.000, atau UMP/UMK dibulatkan ke atas ke ratusan ribu penuh bila lebih tinggi "
        "(UPAH_TERLALU_TINGGI): wage <= Rp3.500.000, actual Rp4.800.001; wage <= regional_min_wage rounded up to "
        "Rp100.000, actual Rp4.800.001");
  // The explanation shows the ceiling itself.
  const explanation e =
      bsu.explain(bsu.rule("batas_upah"), read_record(bsu.facts(), person + "4800001}"), date(2022, 9, 1));
  CHECK(to_text(e).find("wage <= regional_min_wage rounded up to Rp100.000 (actual Rp4.800.001)") != std::string::npos);
  CHECK(e.lines.back().expected == "Rp4.800.000, from regional_min_wage Rp4.789.312");
  // A civil servant is excluded whatever the wage.
  const std::string asn = R"({"citizen": true, "participant_type": "pu", "employment": "asn",
    "active_july_2022": true, "receives_pkh": false, "receives_bpum": false, "kartu_prakerja": false,
    "regional_min_wage": 4789312, "wage": 3000000})";
  CHECK(assess(bsu, c, asn).total == money());
}

TEST_CASE("claims: results as text and JSON, and benefits written and read back") {
  const claim c{"death", date(2024, 3, 1), 0, {}, {}};
  const claim_result r =
      assess(national(), c, R"({"wage": 4000000, "contribution_months": 12, "membership_active": true})");
  const std::string text = to_text(r);
  CHECK(text.starts_with("claim death on 2024-03-01 under id/bpjs-ketenagakerjaan: Rp42.000.000\n"));
  CHECK(text.find("✓ JKM jkm_santunan_sekaligus (Santunan kematian sekaligus): Rp20.000.000 = Rp20.000.000 [") !=
        std::string::npos);
  CHECK(text.find("✗ JKM jkm_beasiswa (Beasiswa pendidikan anak): refused: ") != std::string::npos);
  const auto j = to_json(r);
  CHECK(j.at("format") == "entitle-claim/1");
  CHECK(j.at("total").as_int64() == 42'000'000);
  CHECK(j.at("lines").at(3).at("status") == "refused");
  // The benefits survive a round trip through policy JSON.
  const policy p = shipped().get("id/bpjs-ketenagakerjaan");
  CHECK(read_policy(write_policy(p)).benefits == p.benefits);
}

// Regressions from the review of claims (each found by running it).

TEST_CASE("claims: PP 44/2015 pays a work-accident death and months off work as it said") {
  // 1 October 2019, wage Rp4,000,000, one child: 48 x 4,000,000 = 192,000,000 + 24 x 200,000 =
  // 4,800,000 + 3,000,000 funeral + 12,000,000 scholarship for one child = Rp211,800,000.
  const std::string facts = R"({"wage": 4000000, "contribution_months": 30, "membership_active": true})";
  const claim_result death = assess(national(), {"work_accident_death", date(2019, 10, 1), 0, {"sma"}, {}}, facts);
  CHECK(line(death, "jkk_beasiswa_2015").amount == 12'000'000_rp);
  CHECK(death.total == 211'800'000_rp);
  // Months off work in 2018 (an assumption on PP 44/2015, marked in the policy): 6 at 100% and
  // 9 at 50% of Rp4,000,000 = 24,000,000 + 18,000,000 = Rp42,000,000.
  const claim_result off = assess(national(), {"temporary_inability", date(2018, 3, 1), 15, {}, {}}, facts);
  CHECK(off.total == 42'000'000_rp);
}

TEST_CASE("claims: what a claim asks for is checked, and a negative base is refused") {
  const std::string facts = R"({"wage": 3000000, "contribution_months": 20, "membership_active": true})";
  CHECK_THROWS_WITH_AS(assess(national(), {"work_accident", date(2024, 7, 1), 0, {}, {{"land", -5'000'000_rp}}}, facts),
                       "the cost \"land\" is -Rp5.000.000; a cost cannot be negative", error);
  CHECK_THROWS_WITH_AS(assess(national(), {"work_accident", date(2024, 7, 1), 0, {}, {{"lnad", 5'000'000_rp}}}, facts),
                       doctest::Contains("refunds a cost of kind \"lnad\""), error);
  CHECK_THROWS_WITH_AS(assess(national(), {"death", date(2024, 7, 1), 0, {"SMA"}, {}}, facts),
                       doctest::Contains("knows the school level \"SMA\"; the levels are \"tk_sd\""), error);
  CHECK_THROWS_WITH_AS(assess(national(), {"temporary_inability", date(2024, 7, 1), -3, {}, {}}, facts),
                       "months unable to work cannot be negative", error);
  // The BSU 2022 subsidy did not exist in 2021.
  static const compiled_policy bsu(shipped().get("id/bsu-2022"));
  CHECK_THROWS_AS((void)bsu.assess({"bsu_2022", date(2021, 1, 1), 0, {}, {}}, record(bsu.facts().size())), error);
  // A negative wage no longer reaches a claim: the record refuses it (money is at least Rp0).
  CHECK_THROWS_WITH_AS(assess(national(), {"temporary_inability", date(2024, 7, 1), 3, {}, {}},
                              R"({"wage": -1000000, "contribution_months": 20, "membership_active": true})"),
                       "/wage: the money fact \"wage\" is at least Rp0; found -Rp1.000.000", error);
}

TEST_CASE("claims: a floor counts only when its own benefit would pay") {
  // "small" is at least "floor"; "floor" needs a rule that is no here, or is not yet in force.
  policy_library library;
  library.add(R"({"format": "entitle-policy/1", "id": "test/floors", "facts": {"ok": {"type": "bool"}},
    "rules": [{"id": "ok", "label": "ok", "reason": "NOT_OK", "citation": "test", "when": {"fact": "ok", "=": true}}],
    "benefits": [
      {"id": "floor", "program": "X", "events": ["e"], "when": "ok",
       "amount": {"lump_sum": {"history": [{"from": "2020-01-01", "value": 1000, "citation": "test"}]}}},
      {"id": "later", "program": "X", "events": ["f"], "effective": {"from": "2030-01-01"},
       "amount": {"lump_sum": {"history": [{"from": "2020-01-01", "value": 1000, "citation": "test"}]}}},
      {"id": "small", "program": "X", "events": ["e", "f"], "at_least": ["floor", "later"],
       "amount": {"lump_sum": {"history": [{"from": "2020-01-01", "value": 100, "citation": "test"}]}}}]})");
  const compiled_policy p(library.get("test/floors"));
  CHECK(line(assess(p, {"e", date(2024, 1, 1), 0, {}, {}}, R"({"ok": true})"), "small").amount == 1'000_rp);
  CHECK(line(assess(p, {"e", date(2024, 1, 1), 0, {}, {}}, R"({"ok": false})"), "small").amount == 100_rp);
  CHECK(line(assess(p, {"f", date(2024, 1, 1), 0, {}, {}}, R"({"ok": false})"), "small").amount == 100_rp);
}

TEST_CASE("claims: benefits built in C++ are checked as those read from JSON are") {
  policy p = shipped().get("id/bpjs-ketenagakerjaan");
  benefit incomplete;
  incomplete.id = "no_amount";
  incomplete.program = "X";
  incomplete.events = {"e"};
  p.benefits.push_back(incomplete); // a lump sum without its amount
  CHECK_THROWS_WITH_AS(compiled_policy{p}, doctest::Contains("this kind of benefit needs an amount"), error);
  p.benefits.back().amount.amount = dated<money>({{date(2020, 1, 1), -100_rp, "test"}});
  CHECK_THROWS_WITH_AS(compiled_policy{p}, doctest::Contains("a benefit's amount cannot be negative"), error);
}

TEST_CASE("claims: a step's share over 100% is refused alike, built in C++ or read from JSON") {
  // The national pack's temporary-inability benefit with its first step at 120% of the wage.
  policy p = shipped().get("id/bpjs-ketenagakerjaan");
  std::size_t index = 0;
  while (p.benefits.at(index).amount.how != benefit_amount::kind::wage_share)
    ++index;
  p.benefits[index].amount.steps[0].share = 120_pct;
  const std::string where = "/benefits/" + std::to_string(index) + "/amount/wage_share/steps/0/share: ";
  const std::string message = where + "a step's share is between 0% and 100%, found 120%";
  CHECK_THROWS_WITH_AS(compiled_policy{p}, message.c_str(), error);
  CHECK_THROWS_WITH_AS(compiled_policy{read_policy(write_policy(p))}, message.c_str(), error);
  // In JSON a step's share is written with "%": "0.5" would be read as half, but is refused.
  std::string text = write_policy(shipped().get("id/bpjs-ketenagakerjaan"));
  const auto at = text.find("\"share\":\"50%\"");
  REQUIRE(at != std::string::npos);
  text.replace(at, std::string_view("\"share\":\"50%\"").size(), "\"share\":\"0.5\"");
  CHECK_THROWS_WITH_AS((void)read_policy(text),
                       doctest::Contains("a share is written with \"%\": write \"0.5%\", not \"0.5\""), error);
}

TEST_CASE("claims: a rounded-up ceiling past 64 bits compares as more than any amount") {
  // A minimum wage of Rp92.233.720.368.547.758,07 rounded up to Rp100 does not fit in 64 bits of
  // sen: every wage is below it, exactly.
  static const compiled_policy bsu(shipped().get("id/bsu-2022"));
  const record person =
      read_record(bsu.facts(), R"({"wage": "92233720368547758.07", "regional_min_wage": "92233720368547758.07"})");
  const explanation e = bsu.explain(bsu.rule("batas_upah"), person, date(2022, 9, 1));
  CHECK(e.outcome.result == verdict::yes);
  CHECK(e.lines.back().expected ==
        "more than Rp92.233.720.368.547.758,07, from regional_min_wage Rp92.233.720.368.547.758,07");
}

TEST_CASE("claims: a benefit naming an unknown rule is refused when the policy is read (found by fuzzing)") {
  // The fuzzer changed a benefit's "when" to a rule that does not exist: read_policy accepted it
  // and only compiled_policy refused it; a policy that reads must be a policy that binds.
  CHECK_THROWS_WITH_AS((void)read_policy(R"({"format": "entitle-policy/1", "id": "x", "facts": {},
    "rules": [], "benefits": [{"id": "b", "program": "X", "events": ["e"], "when": "pesepta_aktif",
      "amount": {"lump_sum": {"history": [{"from": "2020-01-01", "value": 1, "citation": "t"}]}}}]})"),
                       "/benefits/0/when: no rule is called \"pesepta_aktif\"; the policy has no rules", error);
}
