#include <entitle/io/policy_json.hpp>

#include <entitle/eval/compiled_policy.hpp>

#include "oku_timur.hpp"
#include "rule_check.hpp"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include <fstream>
#include <sstream>

using namespace entitle;
using namespace entitle::literals;
namespace json = boost::json;

namespace {
std::string fixture() {
  std::ifstream in(std::string(ENTITLE_POLICIES_DIR) + "/oku-timur/pekerja-rentan-2024.json", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string failure_of(std::string_view text) {
  const auto read = try_read_policy(text);
  return read ? "no error" : read.error().describe();
}
} // namespace

TEST_CASE("a policy written to JSON and read back is the same policy") {
  SUBCASE("from the JSON fixture") {
    const policy read = read_policy(fixture());
    const std::string written = write_policy(read);
    const policy again = read_policy(written);
    CHECK(again == read);
    CHECK(write_policy(again) == written);
  }
  SUBCASE("from C++, with typed constants") {
    // The C++ policy writes money as whole rupiah; read back, the constants are numbers rather
    // than money values, so the policies bind to the same rules and print the same JSON.
    const policy cpp = oku_timur::rentan_policy();
    const policy again = read_policy(write_policy(cpp));
    CHECK(bind_rules(again.facts, again.rules) == bind_rules(cpp.facts, cpp.rules));
    CHECK(write_policy(again) == write_policy(cpp));
  }
  SUBCASE("the C++ and the JSON policies are the same rules") {
    // Read against the struct's schema, whose non-optional members are required facts.
    const policy cpp = oku_timur::rentan_policy();
    const policy from_file = read_policy(fixture(), schema_of<oku_timur::person>());
    CHECK(bind_rules(from_file.facts, from_file.rules) == bind_rules(cpp.facts, cpp.rules));
  }
}

TEST_CASE("every condition survives the round trip") {
  const policy p = [] {
    policy out;
    out.id = "all-constructs";
    out.title = "Every construct of the policy format";
    out.facts = rule_check::sample_facts();
    out.rules = {
        define("leaf_tests")
            .label("every test")
            .reason("LEAF")
            .citation("test")
            .when(all({fact("count").is(1), fact("count").is_not(2), fact("income").less_than(3_rp),
                       fact("income").at_most(fact("limit")), fact("share").greater_than(0.24_pct),
                       fact("born").at_least(date(1959, 9, 1)), fact("kind").in({"informal", "asn"}),
                       age_of("born").between(15, 65), months_since("registered").at_least(6), fact("nik").present(),
                       fact("code").missing(), fact("nik").digits(16), fact("code").length(5),
                       fact("code").starts_with({"16.08.", "16.10."})})),
        define("composite")
            .label("composites")
            .reason("COMPOSITE")
            .reason_unknown("COMPOSITE_UNKNOWN")
            .citation("test")
            .when(any({not_(fact("flag").is(true)), satisfies("leaf_tests"),
                       if_missing(fact("income").at_most(3_rp), false), if_missing(satisfies("leaf_tests"), true)})),
        define("list").label("list").reason("LIST").citation("test").requires_all(
            {rule::ref("composite"),
             define("inline").label("inline").reason("INLINE").citation("test").when(fact("flag").is(false))})};
    return out;
  }();
  const policy again = read_policy(write_policy(p));
  CHECK(bind_rules(again.facts, again.rules) == bind_rules(p.facts, p.rules));
  CHECK(write_policy(again) == write_policy(p));
  // tests/data/all-constructs.json is this policy as a file (the JSON Schema check in CI
  // validates it too): it reads back to the same rules.
  std::ifstream in(std::string(ENTITLE_TEST_DATA) + "/all-constructs.json", std::ios::binary);
  std::ostringstream file;
  file << in.rdbuf();
  const policy from_file = read_policy(file.str());
  CHECK(bind_rules(from_file.facts, from_file.rules) == bind_rules(p.facts, p.rules));
  CHECK(from_file.title == p.title);
}

TEST_CASE("policy structure errors name their location") {
  CHECK(failure_of(R"j({"format": "entitle-policy/1", "id": "x", "facts": {}, "rules": [], "rulez": []})j") ==
        "/rulez: unknown key \"rulez\" in a policy; expected \"format\", \"id\", \"title\", \"version\", "
        "\"effective\", \"legal_basis\", \"extends\", \"facts\", \"parameters\", \"derived\", \"tables\", \"rules\", "
        "\"programs\", \"adjustments\", \"enrolments\", \"subsidies\", \"benefits\", \"overrides\"");
  CHECK(failure_of(R"j({"format": "entitle-policy/2", "id": "x", "facts": {}, "rules": []})j") ==
        "/format: expected \"entitle-policy/1\", found \"entitle-policy/2\"");
  CHECK(failure_of(R"j({"format": "entitle-policy/1", "id": "x", "rules": []})j") ==
        "a policy needs \"facts\" (the facts its rules read)");
  CHECK(failure_of(R"j({"format": "entitle-policy/1", "id": "x", "facts": {"a": {"type": "money!"}}, "rules": []})j") ==
        "/facts/a/type: expected a fact type: \"bool\", \"integer\", \"money\", \"rate\", \"date\", \"month\", "
        "\"string\" or \"enum\", found \"money!\"");
  CHECK(failure_of(R"j({"format": "entitle-policy/1", "id": "x", "facts": {"a": {"type": "enum"}}, "rules": []})j") ==
        "/facts/a: the enum fact \"a\" needs at least one value");
  CHECK(failure_of(R"j({"format": "entitle-policy/1", "id": "x", "facts": {"a": {"type": "enum", "values": ["p", "p"]}},
                       "rules": []})j") == "/facts/a: the enum fact \"a\" repeats the value \"p\"");
  CHECK(failure_of(R"j({"format": "entitle-policy/1", "id": "x", "facts": {"a": {"type": "bool", "colour": 1}},
                       "rules": []})j") ==
        "/facts/a/colour: unknown key \"colour\" in a fact declaration; expected \"type\", \"values\", \"required\", "
        "\"label\", \"min\", \"max\", \"citation\", \"columns\"");
  CHECK(failure_of(R"j({"format": "entitle-policy/1", "id": "x", "facts": {}, "rules": [{"id": "r", "label": "r",
                       "reason": "R", "citation": "c", "requirements": []}]})j") ==
        "/rules/0/requirements: \"requirements\" needs at least one requirement");
}

TEST_CASE("text that is not JSON is located by line and column") {
  const auto read = try_read_policy("{\n  \"format\": \"entitle-policy/1\",\n  \"id\": \"x\"\n  \"rules\": []\n}");
  REQUIRE(read.has_error());
  CHECK(read.error().location == "4:3");
  CHECK(read.error().message.starts_with("not valid JSON: "));
  CHECK(try_read_policy("").error().location == "1:1");
  const std::string deep = std::string(120, '[') + std::string(120, ']');
  CHECK(try_read_policy(deep).error().code == errc::out_of_range);
  CHECK(try_read_policy(deep).error().message == "JSON nests deeper than 100 levels");
  // A byte that does not start a UTF-8 sequence is named; a valid character out of place is bad syntax.
  const auto cut = try_read_policy("{\"format\": \"entitle-policy/1\", \"id\": \"a\xC3(\"}");
  CHECK(cut.error().describe() == "1:40: not valid JSON: the byte 0xC3 is not UTF-8; save the file as UTF-8");
  const auto bare = try_read_policy("{\"format\": \"entitle-policy/1\", \"id\": \xC3\xA9}");
  CHECK(bare.error().describe() == "1:38: not valid JSON: syntax error");
}

TEST_CASE("the facts of a file must match the application's") {
  std::string text = fixture();
  const auto at = text.find("\"monthly_income\": {\"type\": \"money\"}");
  REQUIRE(at != std::string::npos);
  text.replace(at, 35, "\"monthly_income\": {\"type\": \"integer\"}");
  try {
    (void)read_policy(text, schema_of<oku_timur::person>());
    FAIL("expected a mismatch");
  } catch (const error& e) {
    CHECK(std::string(e.what()) ==
          "/facts/monthly_income/type: the fact \"monthly_income\" is integer here but money in the application");
  }
}

TEST_CASE("records read from JSON") {
  const schema facts = rule_check::sample_facts();
  const record r = read_record(facts, R"j({"flag": true, "count": 3, "income": "Rp1.500.000", "share": "0.24%",
      "born": "1990-01-31", "nik": "1608011234567890", "kind": "asn", "code": null, "note": "ignored"})j");
  CHECK(r.facts()[0].number == 1);
  CHECK(r.facts()[1].number == 3);
  CHECK(r.facts()[2].number == 150'000'000); // Rp1,500,000 in sen
  CHECK(r.facts()[4].number == 2'400'000);   // 0.24% in billionths
  CHECK(r.facts()[5].number == 1'018'943);   // 1990-01-31: 1990 x 512 + 1 x 32 + 31
  CHECK(r.facts()[7].text == "1608011234567890");
  CHECK_FALSE(r.facts()[8].present); // null is missing
  CHECK(r.facts()[9].number == 2);   // "asn" is the third value
  CHECK_FALSE(r.facts()[3].present); // absent is missing

  auto failure = [&](std::string_view text) {
    try {
      (void)read_record(facts, text);
    } catch (const error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(failure(R"j({"born": "1990-02-30"})j") ==
        "/born: the date fact \"born\": \"1990-02-30\" is not a date: that month has 28 days");
  CHECK(failure(R"j({"kind": "pns"})j") ==
        "/kind: \"pns\" is not a value of the enum fact \"kind\"; expected one of \"informal\", \"formal\", \"asn\"");
  // Numbers that are not 64-bit integers are quoted as written, as a roster's NDJSON row quotes them.
  CHECK(failure(R"j({"income": 1.5})j") ==
        "/income: expected an amount such as 1000000 or \"Rp1.000.000\" for the money fact \"income\", found 1.5");
  CHECK(failure(R"j({"count": 2.50})j") ==
        "/count: expected a whole number for the integer fact \"count\", found 2.50");
  CHECK(failure(R"j({"income": 1e20})j") ==
        "/income: the money fact \"income\": 1e20 rupiah is too large; amounts go up to Rp92.233.720.368.547.758,07");
  CHECK(failure(R"j({"count": 18446744073709551616})j") ==
        "/count: the integer fact \"count\": the number 18446744073709551616 does not fit in 64 bits");
  CHECK(failure(R"j({"born": 1.5})j") ==
        "/born: expected a date such as \"2024-01-31\" for the date fact \"born\", found 1.5");
  // A key written twice is refused, not settled by which comes last.
  CHECK(failure(R"j({"nik": "1", "nik": "2"})j") == "/nik: the key \"nik\" appears twice in the record; keep one");
  // parse_json names the text as its caller says; a long key is named by its first 60 bytes.
  const std::string long_key(70, 'k');
  try {
    (void)parse_json("{\"a\": {\"" + long_key + "\": 1, \"" + long_key + "\": 2}}", "the policy");
    FAIL("the key is written twice");
  } catch (const error& e) {
    CHECK(e.details().location == "/a/" + long_key);
    CHECK(e.details().message ==
          "the key \"" + long_key.substr(0, 60) + "...\" appears twice in the same object; keep one");
  }
  CHECK_THROWS_WITH_AS((void)parse_json(R"({"id": "a", "id": "b"})", "the policy"),
                       "/id: the key \"id\" appears twice in the policy; keep one", error);
  CHECK(failure(R"j({"nik": 1608})j") == "/nik: expected a string for the string fact \"nik\", found 1608");
  CHECK(failure("[1]") == "expected a record (an object of fact name to value), found [1]");
  schema strict;
  strict.add({"nik", fact_type::string, {}, true});
  CHECK_THROWS_WITH_AS((void)read_record(strict, "{}"), "/nik: the fact \"nik\" is required", error);
}

TEST_CASE("explanations as text and JSON") {
  const compiled_policy oku(oku_timur::rentan_policy());
  oku_timur::person p{"1608011234567890",
                      "16.08.03.2001",
                      date(1954, 1, 1),
                      oku_timur::employment_status::informal,
                      oku_timur::occupation_kind::petani,
                      std::nullopt,
                      1'500'000_rp,
                      false};
  const explanation e = oku.explain(oku.rule("rentan_oku_timur_2024"), p, date(2024, 9, 1));
  CHECK(e.outcome.outcome == status::ineligible);
  CHECK(e.reasons == std::vector<std::string>{"USIA_DI_LUAR_BATAS"});
  const std::string text = to_text(e);
  CHECK(text.starts_with("rentan_oku_timur_2024 on 2024-09-01: ineligible (USIA_DI_LUAR_BATAS)\n"
                         "✗ rentan_oku_timur_2024: Peserta pekerja rentan OKU Timur 2024 [PKS Pemkab OKU Timur - BPJS "
                         "Ketenagakerjaan Baturaja, 2024] -> TIDAK_MEMENUHI_SYARAT\n"
                         "  ✓ nik_valid: NIK 16 digit [Inpres 2/2021 (NIK-based membership data)]\n"
                         "    ✓ nik has 16 digits (actual \"1608011234567890\")\n"));
  CHECK(text.find("  ✗ usia_15_65: Usia 15 sampai 65 tahun [Kebijakan program (batas usia 15-65)] -> "
                  "USIA_DI_LUAR_BATAS\n"
                  "    ✗ age of birth_date between 15 and 65 (actual 70, from birth_date 1954-01-01)\n") !=
        std::string::npos);
  // any(occupation no, extreme_poor unknown, all(informal yes, income yes)) is yes.
  CHECK(text.find("      ? extreme_poor = true (actual missing)\n") != std::string::npos);
  CHECK(text.find("        ✓ monthly_income <= Rp2.000.000 (actual Rp1.500.000)\n") != std::string::npos);

  const json::value j = to_json(e);
  CHECK(j.at("format") == "entitle-explanation/1");
  CHECK(j.at("status") == "ineligible");
  CHECK(j.at("reasons") == json::array{"USIA_DI_LUAR_BATAS"});
  const auto& root = j.at("trace");
  CHECK(root.at("id") == "rentan_oku_timur_2024");
  CHECK(root.at("children").as_array().size() == 6); // the six requirements
  const auto& age = root.at("children").at(2);
  CHECK(age.at("verdict") == "no");
  CHECK(age.at("reason") == "USIA_DI_LUAR_BATAS");
  CHECK(age.at("children").at(0).at("expected") == "15..65");
  CHECK(age.at("children").at(0).at("actual") == "70, from birth_date 1954-01-01");
}
