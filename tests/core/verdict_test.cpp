#include <entitle/core/verdict.hpp>

#include <doctest/doctest.h>

#include <sstream>

using namespace entitle;

namespace {
constexpr verdict Y = verdict::yes, N = verdict::no, U = verdict::unknown;

// Kleene's strong three-valued logic, truth tables written out from the definition (Kleene 1952):
// and is false if either side is false, true if both are true, otherwise unknown.
static_assert((Y && Y) == Y && (Y && U) == U && (Y && N) == N);
static_assert((U && Y) == U && (U && U) == U && (U && N) == N);
static_assert((N && Y) == N && (N && U) == N && (N && N) == N);
// or is true if either side is true, false if both are false, otherwise unknown.
static_assert((Y || Y) == Y && (Y || U) == Y && (Y || N) == Y);
static_assert((U || Y) == Y && (U || U) == U && (U || N) == U);
static_assert((N || Y) == Y && (N || U) == U && (N || N) == N);
// not swaps true and false and keeps unknown.
static_assert((!Y) == N && (!N) == Y && (!U) == U);
static_assert(to_verdict(true) == Y && to_verdict(false) == N);
} // namespace

TEST_CASE("verdict truth tables hold at run time too") {
  struct row {
    verdict a, b, conjunction, disjunction;
  };
  const row table[] = {{Y, Y, Y, Y}, {Y, U, U, Y}, {Y, N, N, Y}, {U, Y, U, Y}, {U, U, U, U},
                       {U, N, N, U}, {N, Y, N, Y}, {N, U, N, U}, {N, N, N, N}};
  for (const row& r : table) {
    CAPTURE(r.a);
    CAPTURE(r.b);
    CHECK((r.a && r.b) == r.conjunction);
    CHECK((r.a || r.b) == r.disjunction);
    // De Morgan holds in Kleene logic.
    CHECK((!(r.a && r.b)) == (!r.a || !r.b));
  }
  CHECK((!Y) == N);
  CHECK((!N) == Y);
  CHECK((!U) == U);
}

TEST_CASE("verdicts print their names") {
  CHECK(to_string(Y) == "yes");
  CHECK(to_string(N) == "no");
  CHECK(to_string(U) == "unknown");
  std::ostringstream out;
  out << U << ' ' << Y;
  CHECK(out.str() == "unknown yes");
}
