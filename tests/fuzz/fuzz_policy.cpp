// Fuzz target: policy JSON read and bound.
//
// The input is a policy file's text. It is read with `read_policy` and bound with
// `compiled_policy`; a policy that "extends" is added to a `policy_library` holding the real
// policies of policies/ and got merged. Invariants:
//  - a policy that reads binds (docs/design.md: "a policy that reads is a policy that binds");
//  - a policy that reads writes with `write_policy`, and that text reads back to an equal policy
//    and writes again to the same text;
//  - a policy that binds evaluates (`decide`, `explain`, `contributions`, `assess`) for a person
//    with no facts and one with every fact, without a finding;
//  - a policy `policy_library::get` returns binds (get checks it as `compiled_policy` does).
#include "fuzz_support.hpp"

#include <entitle/entitle.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace entitle;
using entitle_fuzz::broken;

namespace {

// The real policies, for a fuzzed policy to extend.
const std::vector<std::pair<std::string, std::string>>* library_files = nullptr;

// A person with every fact set to a plausible value: a bool true, 30, Rp1.000.000, 1%, born
// 1980-01-01, the month 2024-03, a NIK, an enum's first value.
std::vector<fact_value> somebody(const schema& facts) {
  std::vector<fact_value> out;
  for (const field& f : facts.fields()) {
    switch (f.type) {
    case fact_type::boolean: out.push_back(fact_value::of_number(1)); break;
    case fact_type::integer: out.push_back(fact_value::of_number(30)); break;
    case fact_type::money: out.push_back(fact_value::of_number(money::from_rupiah(1'000'000).minor_units())); break;
    case fact_type::rate: out.push_back(fact_value::of_number(rate::parse("1%").parts())); break;
    case fact_type::date: out.push_back(fact_value::of_date(date(1980, 1, 1))); break;
    case fact_type::month: out.push_back(fact_value::of_month(month(2024, 3))); break;
    case fact_type::string: out.push_back(fact_value::of_text("1608010101800001")); break;
    case fact_type::enumeration:
      out.push_back(f.enumerators.empty() ? fact_value::missing() : fact_value::of_number(f.enumerators.front().value));
      break;
    }
  }
  return out;
}

// Evaluates a bound policy for a person with no facts and one with every fact: each rule decided
// and explained on the first day the policy is in force, the contributions over (at most) its
// first 12 months, and a claim for each benefit event on that day.
void evaluate(const compiled_policy& c) {
  const policy& p = c.source();
  const date as_of = p.effective_from.value_or(date(2024, 1, 1));
  std::optional<month_range> period;
  entitle_fuzz::refused([&] {
    month last = month::of(as_of).plus(std::chrono::months(11));
    if (p.effective_until && month::of(*p.effective_until) < last) last = month::of(*p.effective_until);
    period.emplace(month::of(as_of), last);
  });
  std::vector<std::string> events;
  for (const benefit& b : p.benefits)
    for (const std::string& e : b.events)
      if (std::find(events.begin(), events.end(), e) == events.end()) events.push_back(e);

  const std::vector<fact_value> nobody(c.facts().size(), fact_value::missing());
  const std::vector<fact_value> person = somebody(c.facts());
  for (const auto* facts : {&nobody, &person}) {
    for (std::size_t i = 0; i < c.rules().rules.size(); ++i) {
      const rule_handle r{static_cast<std::uint32_t>(i)};
      entitle_fuzz::refused([&] {
        const decision d = c.decide(r, *facts, as_of);
        (void)c.reasons(d);
        (void)c.missing_facts(d);
        (void)to_text(c.explain(r, *facts, as_of));
      });
    }
    if (period) entitle_fuzz::refused([&] { (void)to_json(c.contributions(*facts, *period)); });
    for (const std::string& e : events) {
      const claim cl{.event = e, .on = as_of, .months = 6, .children = {"sd"}, .costs = {}};
      entitle_fuzz::refused([&] { (void)to_text(c.assess(cl, *facts)); });
    }
  }
}

void read_and_bind(std::string_view text) {
  std::optional<policy> p;
  if (entitle_fuzz::refused([&] { p = read_policy(text); })) return;

  // Write, read back, write again.
  const std::string written = write_policy(*p);
  std::optional<policy> again;
  try {
    again = read_policy(written);
  } catch (const error& e) {
    broken("a policy that reads must read back from what write_policy writes",
           std::string("read_policy(write_policy(p)) threw: ") + e.what() + "\nwritten:\n" + written);
  }
  if (!(*again == *p)) broken("read_policy(write_policy(p)) == p", "written:\n" + written);
  const std::string rewritten = write_policy(*again);
  if (rewritten != written)
    broken("write_policy(read_policy(write_policy(p))) == write_policy(p)",
           "first:\n" + written + "\nsecond:\n" + rewritten);

  // docs/design.md: "The JSON reader binds once while reading, so a policy that reads is a policy
  // that binds."
  std::optional<compiled_policy> c;
  try {
    c.emplace(std::move(*p));
  } catch (const error& e) {
    broken("a policy that reads binds (docs/design.md)", std::string("compiled_policy threw: ") + e.what());
  }
  evaluate(*c);
}

void add_and_get(std::string_view text) {
  policy_library library;
  std::string id;
  if (entitle_fuzz::refused([&] { id = library.add(text, "fuzz-input.json"); })) return;
  // The real policies after the input: one with the input's id is refused as a duplicate.
  for (const auto& entry : *library_files)
    entitle_fuzz::refused([&] { library.add(entry.second, entry.first); });
  std::optional<policy> merged;
  if (entitle_fuzz::refused([&] { merged = library.get(id); })) return;
  (void)write_policy(*merged);
  std::optional<compiled_policy> c;
  try {
    c.emplace(std::move(*merged));
  } catch (const error& e) {
    broken("a policy that policy_library::get returns binds", std::string("compiled_policy threw: ") + e.what());
  }
  evaluate(*c);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static const auto files = entitle_fuzz::json_files(ENTITLE_POLICIES_DIR);
  library_files = &files;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  read_and_bind(text);
  // Only a policy that extends needs the library (adding the real policies costs ~60 KB of JSON).
  if (text.find("extends") != std::string_view::npos) add_and_get(text);
  return 0;
}
