// Uses the installed headers and the compiled JSON conversions: exits 0 only when both work.
#include <entitle/entitle.hpp>

#include <boost/json/parse.hpp>

#include <iostream>

int main() {
  using namespace entitle::literals;
  // PP 44/2015 annex: the minimum BPU package is Rp10,000 JKK + Rp6,800 JKM = Rp16,800.
  const auto jkm = boost::json::value_to<entitle::money>(boost::json::parse("6800"));
  const entitle::money package =
      (1'000'000_rp).times(1_pct, entitle::rounding::half_up, entitle::units::whole_rupiah) + jkm;
  std::cout << "minimum BPU package: " << package << '\n';
  return package == 16'800_rp ? 0 : 1;
}
