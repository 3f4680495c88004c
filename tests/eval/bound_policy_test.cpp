// A policy is bound once: `bind_policy` binds it, and `compiled_policy` is built from that binding
// without binding again; the readers that bind hand their binding over (`policy_library::compile`,
// `compile_policy`). `detail::rule_bindings` counts every run of `bind_rules`.
#include <entitle/eval/bound_policy.hpp>

#include <entitle/eval/compiled_policy.hpp>
#include <entitle/io/policy_json.hpp>

#include "oku_timur.hpp"

#include "failure_of.hpp"
#include "shipped_policies.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>

using namespace entitle;

namespace {

// How many times `bind_rules` runs while `f` does.
std::uint64_t bindings_during(const std::function<void()>& f) {
  const std::uint64_t before = detail::rule_bindings.load();
  f();
  return detail::rule_bindings.load() - before;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

using test::failure_of;
using test::shipped_library;

// Only `bind_policy` makes a binding, so a binding that was not checked cannot be compiled.
static_assert(!std::is_default_constructible_v<bound_policy>);
static_assert(!std::is_constructible_v<bound_policy, policy>);
static_assert(std::is_constructible_v<compiled_policy, bound_policy>);

} // namespace

TEST_CASE("bind_policy binds the rules once, and compiled_policy built from it does not bind again") {
  std::optional<bound_policy> bound;
  CHECK(bindings_during([&] { bound.emplace(bind_policy(oku_timur::rentan_policy())); }) == 1);
  const bound_rules rules = bound->rules();
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

TEST_CASE("a policy compiled from a library is bound once") {
  const policy_library library = shipped_library();
  for (const char* id : {"oku-timur/pekerja-rentan-2024", "oku-timur/pekerja-rentan-2024-iuran", "id/bsu-2022"}) {
    CAPTURE(id);
    std::optional<compiled_policy> compiled;
    CHECK(bindings_during([&] { compiled.emplace(library.compile(id)); }) == 1);
    // The same policy, and the same binding, as the value `get` gives compiled.
    const compiled_policy from_value(library.get(id));
    CHECK(compiled->source() == from_value.source());
    CHECK(compiled->rules() == from_value.rules());
  }
  // `get` binds to check, once.
  CHECK(bindings_during([&] { (void)library.get("oku-timur/pekerja-rentan-2024-iuran"); }) == 1);
}

TEST_CASE("a policy compiled from JSON text is bound once") {
  const std::string text = file_text(std::string(ENTITLE_POLICIES_DIR) + "/oku-timur/pekerja-rentan-2024.json");
  std::optional<compiled_policy> compiled;
  CHECK(bindings_during([&] { compiled.emplace(compile_policy(text)); }) == 1);
  CHECK(compiled->source() == read_policy(text));
  CHECK(bindings_during([&] { compiled.emplace(compile_policy(text, schema_of<oku_timur::person>())); }) == 1);
  CHECK(compiled->facts() == schema_of<oku_timur::person>());
  // `read_policy` binds to check, once.
  CHECK(bindings_during([&] { (void)read_policy(text); }) == 1);
}

TEST_CASE("compile gives the errors get gives, prefixed with the file") {
  policy_library library = shipped_library();
  const std::string id = library.add(R"({"format": "entitle-policy/1", "id": "test/unknown-rule",
    "extends": "id/bpjs-ketenagakerjaan",
    "enrolments": [{"id": "bpu", "who": "rentan", "category": "BPU", "programs": ["JKK"]}]})",
                                     "unknown-rule.json");
  const auto got = failure_of([&] { (void)library.get(id); });
  const auto compiled = failure_of([&] { (void)library.compile(id); });
  REQUIRE(got);
  REQUIRE(compiled);
  CHECK(*compiled == *got);
  CHECK(compiled->location == "/enrolments/0/who");
  CHECK(
      compiled->message.starts_with("unknown-rule.json: in \"test/unknown-rule\" merged with what it extends: no rule "
                                    "is called \"rentan\""));
}
