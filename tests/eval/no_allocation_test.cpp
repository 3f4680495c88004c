// Deciding never allocates: the whole test binary counts heap allocations, and this test looks
// at the count around decisions.
#include <entitle/eval/compiled_policy.hpp>

#include "oku_roster.hpp"
#include "oku_timur.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> allocations{0};
}

// noinline keeps GCC from pairing the inlined malloc/free with new/delete expressions and
// warning (-Wmismatched-new-delete) about a mismatch that is not there.
[[gnu::noinline]] void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

TEST_CASE("deciding does no heap allocation, for described structs and for records") {
  using namespace entitle;
  const compiled_policy oku(oku_timur::rentan_policy());
  const compiled_policy dynamic(read_policy(write_policy(oku.source()))); // the same rules, facts from records
  const rule_handle rule = oku.rule("rentan_oku_timur_2024");
  const rule_handle dynamic_rule = dynamic.rule("rentan_oku_timur_2024");
  oku_timur::roster_generator roster(7);
  const auto people = roster.take(2'000);
  std::vector<record> records;
  for (const auto& p : people)
    records.push_back(record_from_json(dynamic.facts(), oku_timur::to_json(p)));
  std::size_t undetermined = 0;

  const std::size_t before = allocations.load();
  for (const auto& p : people)
    undetermined += oku.decide(rule, p, date(2024, 9, 1)).outcome == status::undetermined;
  for (const auto& r : records)
    undetermined += dynamic.decide(dynamic_rule, r, date(2024, 9, 1)).outcome == status::undetermined;
  const std::size_t after = allocations.load();

  CHECK(after - before == 0);
  CHECK(undetermined > 0); // the missing-facts path ran too
  // The counter works: an explanation allocates.
  (void)oku.explain(rule, people.front(), date(2024, 9, 1));
  CHECK(allocations.load() > after);
}
