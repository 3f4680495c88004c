// How a capped subsidy's quota and budget fall on its ranked candidates (`allocate`), worked out
// by hand: whole people in rank order, and at the first who does not fit, everyone after waits.
#include <entitle/eval/allocation.hpp>

#include <doctest/doctest.h>

#include <map>
#include <vector>

using namespace entitle;
using namespace entitle::literals;

namespace {

struct fell {
  allocation_result result;
  std::map<std::uint32_t, quota_place> places;
};

// Candidates named by their costs' index; `ranked` in rank order.
fell run(const std::vector<std::uint32_t>& ranked, const std::vector<money>& costs, allocation_limits limits) {
  fell out;
  out.result = allocate(
      ranked, limits, [&](std::uint32_t c) { return costs.at(c); },
      [&](std::uint32_t c, quota_place p) { out.places[c] = p; });
  return out;
}

} // namespace

TEST_CASE("allocation: a quota funds the first people in rank order") {
  // Three candidates ranked 2, 0, 1; a quota of 2 funds 2 and 0; 1 waits at rank 3.
  const fell f = run({2, 0, 1}, {201'600_rp, 201'600_rp, 100'800_rp}, {2, std::nullopt});
  CHECK(f.result == allocation_result{2, 1, 302'400_rp, "quota"});
  CHECK(f.places.at(2) == quota_place{quota_status::funded, 1, 100'800_rp});
  CHECK(f.places.at(0) == quota_place{quota_status::funded, 2, 201'600_rp});
  CHECK(f.places.at(1) == quota_place{quota_status::waitlisted, 3, 201'600_rp});
}

TEST_CASE("allocation: a budget stops at the first who does not fit, even if someone after would") {
  // Budget Rp500.000: 201,600 fits, 201,600 more makes 403,200, fits; the next 201,600 would make
  // 604,800: waitlisted, and the Rp50.000 after it waits too although 453,200 would fit.
  const fell f = run({0, 1, 2, 3}, {201'600_rp, 201'600_rp, 201'600_rp, 50'000_rp}, {std::nullopt, 500'000_rp});
  CHECK(f.result == allocation_result{2, 2, 403'200_rp, "budget"});
  CHECK(f.places.at(2).status == quota_status::waitlisted);
  CHECK(f.places.at(3) == quota_place{quota_status::waitlisted, 4, 50'000_rp});
}

TEST_CASE("allocation: everyone funded leaves nothing cut, a quota of zero funds nobody") {
  CHECK(run({0, 1}, {1'000_rp, 2'000_rp}, {5, 10'000_rp}).result == allocation_result{2, 0, 3'000_rp, ""});
  CHECK(run({0, 1}, {1'000_rp, 2'000_rp}, {0, std::nullopt}).result == allocation_result{0, 2, money(), "quota"});
  // A budget spent exactly funds the last who fits it.
  CHECK(run({0, 1}, {1'000_rp, 2'000_rp}, {std::nullopt, 3'000_rp}).result == allocation_result{2, 0, 3'000_rp, ""});
  CHECK(run({}, {}, {1, 1'000_rp}).result == allocation_result{});
}
