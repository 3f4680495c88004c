// What does a regency pay to cover its vulnerable workers for a year?
//
// OKU Timur (South Sumatra) covers 4,650 vulnerable workers (Quran teachers, mosque caretakers,
// people in extreme poverty) with BPJS Ketenagakerjaan work-accident (JKK) and death (JKM)
// insurance, paying their contributions as non-wage (BPU) participants at the lowest income
// bracket through 2024. Everything below comes from policy files: the national pack
// (policies/id/bpjs-ketenagakerjaan.json: rates with their citations) and the regency's program
// (policies/oku-timur/pekerja-rentan-2024-iuran.json: who is selected, enrolled and subsidised),
// which extends the national pack and the eligibility rule.

#include <entitle/entitle.hpp>

#include <iostream>
#include <string>

using namespace entitle;
using namespace entitle::literals;

int main(int argc, char** argv) {
  policy_library library;
  library.add_directory(argc > 1 ? argv[1] : ENTITLE_POLICIES_DIR);
  const compiled_policy program = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  const subsidy& apbd = program.source().subsidies.front();

  // One worker as the regency's registry holds them: a mosque caretaker in Belitang.
  const record worker = read_record(program.facts(), R"({
    "nik": "1608011234567890", "domicile_code": "16.08.03.2001", "birth_date": "1980-05-17",
    "employment": "informal", "occupation": "marbot", "extreme_poor": false,
    "monthly_income": 1500000, "enrolled_bpjs_tk": false})");
  const contribution_statement year = program.contributions(worker, month_range::calendar_year(2024));

  std::cout << program.source().title << "\n" << apbd.citation << "\n\nmonth    program  due        paid by\n";
  for (const program_month& item : year.items) {
    if (item.when != month(2024, 1) && item.when != month(2024, 12)) continue; // the first and last months
    std::cout << to_string(item.when) << "  " << item.program << "      " << to_rupiah_string(item.due) << "   ";
    for (const payment_line& line : item.lines)
      std::cout << line.payer << " " << to_rupiah_string(line.amount) << "  ";
    std::cout << "\n";
  }
  const money per_worker = year.paid_by(apbd.payer);
  const money everyone = per_worker * *apbd.quota;
  std::cout << "...\n\none worker, " << year.period.size() << " months: " << apbd.payer << " pays "
            << to_rupiah_string(per_worker) << ", the worker pays " << to_rupiah_string(year.paid_by("worker")) << "\n"
            << "the quota of " << *apbd.quota << " workers: " << to_rupiah_string(everyone) << " (budget "
            << to_rupiah_string(*apbd.budget) << ")\n"
            << "JKK: " << program.source().programs.front().legal_basis << "\n";

  // Worked by hand: (10,000 + 6,800) x 12 = 201,600 a worker; x 4,650 = 937,440,000.
  return per_worker == 201'600_rp && everyone == 937'440'000_rp ? 0 : 1;
}

// Output:
// Iuran JKK dan JKM pekerja rentan Kabupaten OKU Timur 2024, dibayar APBD
// PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Cabang Baturaja, September 2024 (4.650 peserta)
//
// month    program  due        paid by
// 2024-01  JKK      Rp10.000   PEMKAB_OKU_TIMUR Rp10.000
// 2024-01  JKM      Rp6.800   PEMKAB_OKU_TIMUR Rp6.800
// ...
// one worker, 12 months: PEMKAB_OKU_TIMUR pays Rp201.600, the worker pays Rp0
// the quota of 4650 workers: Rp937.440.000 (budget Rp937.440.000)
