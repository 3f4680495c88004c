// The code shown in README.md, compiled and checked.
#include <entitle/entitle.hpp>

#include <doctest/doctest.h>

using namespace entitle;
using namespace entitle::literals;

TEST_CASE("docs: the README's taste") {
  // [readme]
  // PP 44/2015 annex: BPU JKK is 1% of the declared income bracket (lowest Rp1,000,000),
  // JKM a flat Rp6,800 a month.
  const dated<rate> jkk({{date(2015, 7, 1), 1_pct, "PP 44/2015 annex"}});
  const money jkk_due = (1'000'000_rp).times(jkk.at(date(2024, 1, 1)), rounding::half_up, units::whole_rupiah);
  const money per_person = jkk_due + 6'800_rp;   // Rp16.800
  const money regency = per_person * 12 * 4'650; // Rp937.440.000
  // [readme]
  CHECK(per_person == 16'800_rp);
  CHECK(regency == 937'440'000_rp);
}
