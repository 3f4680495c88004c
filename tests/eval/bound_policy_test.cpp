// A policy is bound once: `bind_policy` binds it, and `compiled_policy` is built from that binding
// without binding again. `detail::rule_bindings` counts every run of `bind_rules`.
#include <entitle/eval/bound_policy.hpp>

#include <entitle/eval/compiled_policy.hpp>

#include "oku_timur.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <optional>

using namespace entitle;

namespace {

// How many times `bind_rules` runs while `f` does.
std::uint64_t bindings_during(const std::function<void()>& f) {
  const std::uint64_t before = detail::rule_bindings.load();
  f();
  return detail::rule_bindings.load() - before;
}

std::optional<failure> failure_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const error& e) {
    return e.details();
  }
  return std::nullopt;
}

} // namespace

TEST_CASE("bind_policy binds the rules once, and compiled_policy built from it does not bind again") {
  std::optional<bound_policy> bound;
  CHECK(bindings_during([&] { bound.emplace(bind_policy(oku_timur::rentan_policy())); }) == 1);
  const bound_rules rules = bound->rules;
  std::optional<compiled_policy> compiled;
  CHECK(bindings_during([&] { compiled.emplace(std::move(*bound)); }) == 0);
  // The compiled policy holds the very binding it was given.
  CHECK(compiled->rules() == rules);
  CHECK(compiled->source() == oku_timur::rentan_policy());
  // A copy compiles its own engine from the copied binding: no binding either.
  CHECK(bindings_during([&] { const compiled_policy copy(*compiled); }) == 0);
}

TEST_CASE("compiled_policy from a policy value binds it once") {
  CHECK(bindings_during([] { const compiled_policy p(oku_timur::rentan_policy()); }) == 1);
}

TEST_CASE("bind_policy reports the first problem at its JSON pointer, as compiled_policy does") {
  policy p = oku_timur::rentan_policy();
  p.rules.front().citation.clear();
  const auto bound = failure_of([&] { (void)bind_policy(p); });
  const auto compiled = failure_of([&] { const compiled_policy c(p); });
  REQUIRE(bound);
  REQUIRE(compiled);
  CHECK(bound->location == "/rules/0");
  CHECK(bound->message.ends_with("needs a \"citation\": the regulation and article"));
  CHECK(*bound == *compiled);
}
