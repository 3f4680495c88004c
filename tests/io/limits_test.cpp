// The documented limits (docs/reliability.md) are enforced: hostile input is refused early,
// with an error that names the limit, instead of taking unbounded time or memory.
#include <entitle/entitle.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace entitle;

TEST_CASE("limits: JSON text past 16 MiB is refused before it is parsed") {
  const std::string huge(max_json_bytes + 1, ' ');
  try {
    (void)read_policy(huge);
    FAIL("a 16 MiB + 1 byte policy must be refused");
  } catch (const error& e) {
    CHECK(e.code() == errc::out_of_range);
    CHECK(e.details().location == "1:1");
    CHECK(e.details().message == "the text is 16777217 bytes; at most 16777216 are read as a policy or record");
  }
}

TEST_CASE("limits: a policy section holds at most 10,000 entries") {
  std::string rules;
  for (std::size_t i = 0; i <= max_section_entries; ++i)
    rules += std::string(i ? "," : "") + R"({"id": "r)" + std::to_string(i) +
             R"(", "label": "r", "reason": "R", "citation": "c", "when": {"fact": "x", "=": 1}})";
  const std::string text =
      R"({"format": "entitle-policy/1", "id": "big", "facts": {"x": {"type": "integer"}}, "rules": [)" + rules + "]}";
  CHECK_THROWS_WITH_AS((void)read_policy(text), "/rules: a policy has at most 10000 rules; this one has 10001", error);
}

TEST_CASE("limits: JSON nesting past 100 levels is refused with its position") {
  const std::string deep = std::string(101, '[') + std::string(101, ']');
  CHECK_THROWS_WITH_AS((void)read_policy(deep), "1:101: JSON nests deeper than 100 levels", error);
}

TEST_CASE("limits: a policy saved with a UTF-8 byte-order mark reads as without it") {
  // Some Windows editors save UTF-8 with EF BB BF first; rosters skip it, and so do policies.
  const std::string policy = R"({"format": "entitle-policy/1", "id": "bom", "facts": {}, "rules": []})";
  CHECK(read_policy("\xEF\xBB\xBF" + policy) == read_policy(policy));
}
