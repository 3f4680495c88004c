// What are a covered worker's heirs owed?
//
// Pak Darman teaches the Quran in a village of OKU Timur. The regency has paid his work-accident
// (JKK) and death (JKM) contributions since January 2024 as a non-wage (BPU) participant
// registered at Rp1,000,000 a month (policies/oku-timur/pekerja-rentan-2024-iuran.json). On
// 10 May 2024 he dies in a road accident on his way to teach: a work accident. A field officer
// helps his widow claim. Their two children are in primary and junior high school.
//
// The benefits, their amounts and their conditions come from the national pack the regency's
// program extends (policies/id/bpjs-ketenagakerjaan.json, PP 82/2019). The example also shows
// what the family would have been owed had he died of an illness (JKM), when his four months of
// contributions fall short of the three years the JKM scholarship asks.

#include <entitle/entitle.hpp>

#include <iostream>
#include <string>

using namespace entitle;
using namespace entitle::literals;

int main(int argc, char** argv) {
  policy_library library;
  library.add_directory(argc > 1 ? argv[1] : ENTITLE_POLICIES_DIR);
  const compiled_policy program = library.compile("oku-timur/pekerja-rentan-2024-iuran");

  // The regency's record of him, with what BPJS Ketenagakerjaan knows: registered at the lowest
  // BPU bracket, four months of contributions paid, membership active on the day.
  const record darman = read_record(program.facts(), R"({
    "nik": "1608021503750004", "domicile_code": "16.08.02.2011", "birth_date": "1975-03-15",
    "employment": "informal", "occupation": "guru_mengaji", "extreme_poor": false,
    "monthly_income": 900000, "enrolled_bpjs_tk": false,
    "declared_income": 1000000, "contribution_months": 4, "membership_active": true})");

  const claim accident{"work_accident_death", date(2024, 5, 10), 0, {"tk_sd", "smp"}, {}};
  const claim_result owed = program.assess(accident, darman);
  std::cout << to_text(owed) << "\n";

  const claim illness{"death", date(2024, 5, 10), 0, {"tk_sd", "smp"}, {}};
  const claim_result otherwise = program.assess(illness, darman);
  std::cout << "Had he died of an illness:\n" << to_text(otherwise);

  // PP 82/2019: 48 x Rp1,000,000 + Rp12,000,000 periodic + Rp10,000,000 funeral + the first
  // scholarship year (Rp1,500,000 primary + Rp2,000,000 junior high) = Rp73,500,000; from an
  // illness, Rp20,000,000 + Rp12,000,000 + Rp10,000,000 = Rp42,000,000 and no scholarship yet.
  const bool right = owed.total == 73'500'000_rp && otherwise.total == 42'000'000_rp;
  if (!right) std::cerr << "\nunexpected totals: the figures above disagree with PP 82/2019\n";
  return right ? 0 : 1;
}
