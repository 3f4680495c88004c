// What does a regency pay to cover its vulnerable workers for a year?
//
// OKU Timur (South Sumatra) covers 4,650 vulnerable workers (Quran teachers, mosque caretakers,
// people in extreme poverty) with BPJS Ketenagakerjaan work-accident (JKK) and death (JKM)
// insurance, paying the minimum non-wage (BPU) contribution for each of them through 2024.
// The contribution rules are dated values with their citations; amounts are exact rupiah.

#include <entitle/entitle.hpp>

#include <iostream>
#include <string>

using namespace entitle;
using namespace entitle::literals;

int main() {
  // PP 44/2015 annex: BPU JKK is 1% of the declared income bracket; the lowest bracket is
  // Rp1,000,000. JKM is a flat Rp6,800 a month. Both in force since 1 July 2015.
  const dated<rate> jkk_rate({{date(2015, 7, 1), 1_pct, "PP 44/2015 annex; Permenaker 5/2021"}});
  const dated<money> jkm_flat({{date(2015, 7, 1), 6'800_rp, "PP 44/2015 annex"}});
  const money lowest_bracket = 1'000'000_rp;

  const int people = 4'650; // PKS with BPJS Ketenagakerjaan Baturaja, September 2024
  const month_range coverage = month_range::calendar_year(2024);

  money total;
  std::cout << "OKU Timur vulnerable workers, " << to_string(coverage) << ", " << people << " people\n\n"
            << "month      JKK        JKM        per person  all people\n";
  for (month m : coverage) {
    const date on = m.first_day();
    const money jkk = lowest_bracket.times(jkk_rate.at(on), rounding::half_up, units::whole_rupiah);
    const money jkm = jkm_flat.at(on);
    const money per_person = jkk + jkm;
    const money everyone = per_person * people;
    total += everyone;
    std::cout << to_string(m) << "    " << to_rupiah_string(jkk) << "   " << to_rupiah_string(jkm) << "    "
              << to_rupiah_string(per_person) << "    " << to_rupiah_string(everyone) << '\n';
  }
  std::cout << "\nthe regency pays " << to_rupiah_string(total) << " over " << coverage.size() << " months\n"
            << "JKK: " << jkk_rate.history().front().citation << "\n"
            << "JKM: " << jkm_flat.history().front().citation << "\n";

  // Worked by hand: (10,000 + 6,800) x 12 x 4,650 = 937,440,000.
  return total == 937'440'000_rp ? 0 : 1;
}

// Output:
// OKU Timur vulnerable workers, 2024-01..2024-12, 4650 people
//
// month      JKK        JKM        per person  all people
// 2024-01    Rp10.000   Rp6.800    Rp16.800    Rp78.120.000
// ...
// 2024-12    Rp10.000   Rp6.800    Rp16.800    Rp78.120.000
//
// the regency pays Rp937.440.000 over 12 months
// JKK: PP 44/2015 annex; Permenaker 5/2021
// JKM: PP 44/2015 annex
