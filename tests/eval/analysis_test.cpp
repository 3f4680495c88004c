// entitle analyze's library side: policies built to hold exactly one problem each, and what the
// analysis finds in them. Every policy here extends the national pack (for its JKK and JKM
// programs) and shares one header; each adds the rules, enrolments and subsidies under test.
#include <entitle/entitle.hpp>

#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

using namespace entitle;

namespace {

// A policy "test/<name>" in force in 2024, with a NIK, a domicile, a birth date, an employment
// and an income, and the `rest` of its body (rules, enrolments, subsidies).
std::string policy_text(const std::string& name, const std::string& rest) {
  return R"json({"format": "entitle-policy/1", "id": "test/)json" + name + R"json(", "title": "t",
    "effective": {"from": "2024-01-01", "until": "2024-12-31"},
    "extends": ["id/bpjs-ketenagakerjaan"],
    "facts": {"nik": {"type": "string"}, "domicile_code": {"type": "string"}, "birth_date": {"type": "date"},
              "employment": {"type": "enum", "values": ["asn", "informal", "other"]},
              "monthly_income": {"type": "money"}},
    )json" +
         rest + "}";
}

// Rules every policy below shares: a valid NIK, a resident of `prefix`, a poor informal worker
// (informal, at most Rp2.000.000 a month), and `covered` requiring all three.
std::string common_rules(const std::string& prefix, const std::string& extra = "") {
  return R"json("rules": [
    {"id": "nik_valid", "label": "NIK", "reason": "NIK", "citation": "c", "when": {"fact": "nik", "digits": 16}},
    {"id": "resident", "label": "resident", "reason": "NOT_RESIDENT", "citation": "c",
     "when": {"fact": "domicile_code", "starts_with": [")json" +
         prefix + R"json("]}},
    {"id": "poor_informal", "label": "poor", "reason": "NOT_POOR", "citation": "c",
     "when": {"all": [{"fact": "employment", "=": "informal"}, {"fact": "monthly_income", "<=": "Rp2.000.000"}]}},
    {"id": "covered", "label": "covered", "reason": "NOT_COVERED", "citation": "c",
     "requirements": ["nik_valid", "resident", "poor_informal"]})json" +
         extra + "]";
}

std::string enrolment_text(const std::string& who) {
  return R"json("enrolments": [{"id": "bpu", "label": "b", "who": ")json" + who +
         R"json(", "category": "BPU", "programs": ["JKK", "JKM"]}])json";
}

std::string subsidy_text(const std::string& id, const std::string& who, const std::string& window,
                         const std::string& percent, const std::string& extra = "") {
  return R"json({"id": ")json" + id + R"json(", "label": "s", "payer": "PAYER_)json" + id +
         R"json(", "citation": "c", "who": ")json" + who + R"json(", "programs": ["JKK", "JKM"], "window": )json" +
         window + R"json(, "share": {"percent": ")json" + percent + "\"}" + extra + "}";
}

const std::string year_2024 = R"json({"from": "2024-01", "to": "2024-12"})json";

// Compiles the policy texts (with the shipped policies they extend) and analyses them in order;
// a text given twice is the same compiled policy given twice.
struct fixture {
  std::deque<compiled_policy> compiled;
  analysis_report analyze_texts(const std::vector<std::string>& texts, const analysis_options& options = {}) {
    policy_library library;
    library.add_directory(ENTITLE_POLICIES_DIR);
    compiled.clear();
    std::map<std::string, const compiled_policy*> by_text;
    std::vector<const compiled_policy*> given;
    for (const auto& text : texts) {
      if (!by_text.contains(text)) by_text[text] = &compiled.emplace_back(library.compile(library.add(text)));
      given.push_back(by_text[text]);
    }
    return analyze(given, options);
  }
};

std::string value_of(const analysis_finding& f, const std::string& fact) {
  for (const auto& e : f.example)
    if (e.name == fact) return e.value;
  return "(not in the example)";
}

} // namespace

TEST_CASE("analysis: a policy without a problem has no finding") {
  fixture fx;
  const auto report = fx.analyze_texts(
      {policy_text("clean", common_rules("16.09.") + "," + enrolment_text("covered") + R"json(, "subsidies": [)json" +
                                subsidy_text("apbd", "covered", year_2024, "100%") + "]")});
  CHECK(report.findings.empty());
  CHECK(report.undecided.empty());
  CHECK(report.subsidies_checked == 1);
  CHECK(report.as_of == date(2024, 1, 1)); // the policy's effective date
}

TEST_CASE("analysis: a rule whose ages contradict each other never holds, and neither does a list requiring it") {
  fixture fx;
  const std::string impossible = R"json(,
    {"id": "adult_child", "label": "age", "reason": "AGE", "citation": "c",
     "when": {"all": [{"age_of": "birth_date", ">=": 20}, {"age_of": "birth_date", "<": 10}]}},
    {"id": "top", "label": "top", "reason": "TOP", "citation": "c", "requirements": ["nik_valid", "adult_child"]})json";
  const auto report = fx.analyze_texts({policy_text("ages", common_rules("16.09.", impossible))});
  REQUIRE(report.findings.size() == 2);
  CHECK(report.findings[0].kind == finding_kind::never_holds);
  CHECK(report.findings[0].rules == std::vector<std::string>{"adult_child"});
  CHECK(report.findings[0].example.empty());
  CHECK(report.findings[1].kind == finding_kind::never_holds);
  CHECK(report.findings[1].rules == std::vector<std::string>{"top", "adult_child"});
  CHECK(report.findings[1].message.find("because its requirement adult_child never holds") != std::string::npos);
}

TEST_CASE("analysis: a rule that no facts make no decides nothing") {
  fixture fx;
  const std::string useless = R"json(,
    {"id": "anyone", "label": "anyone", "reason": "X", "citation": "c",
     "when": {"any": [{"fact": "monthly_income", "<": "Rp1.000.000"}, {"fact": "monthly_income", ">=": "Rp1.000.000"}]}})json";
  const auto report = fx.analyze_texts({policy_text("useless", common_rules("16.09.", useless))});
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == finding_kind::never_fails);
  CHECK(report.findings[0].rules == std::vector<std::string>{"anyone"});
}

TEST_CASE("analysis: a subsidy with a quota of 0 people selects no one") {
  fixture fx;
  const auto report = fx.analyze_texts(
      {policy_text("zero", common_rules("16.09.") + "," + enrolment_text("covered") + R"json(, "subsidies": [)json" +
                               subsidy_text("apbd", "covered", year_2024, "100%", R"json(, "quota": 0)json") + "]")});
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == finding_kind::selects_no_one);
  CHECK(report.findings[0].message.find("a quota of 0 people") != std::string::npos);
}

TEST_CASE("analysis: a subsidy for people no enrolment takes selects no one") {
  fixture fx;
  // Enrolled: poor informal residents of 16.09; subsidised: residents of 16.09 who are civil
  // servants, whom `covered` never enrols.
  const std::string asn = R"json(,
    {"id": "asn_resident", "label": "asn", "reason": "ASN", "citation": "c",
     "requirements": ["resident", {"id": "is_asn", "label": "asn", "reason": "NOT_ASN", "citation": "c",
                                   "when": {"fact": "employment", "=": "asn"}}]})json";
  const auto report = fx.analyze_texts({policy_text(
      "nobody", common_rules("16.09.", asn) + "," + enrolment_text("covered") + R"json(, "subsidies": [)json" +
                    subsidy_text("apbd", "asn_resident", year_2024, "100%") + "]")});
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == finding_kind::selects_no_one);
  CHECK(report.findings[0].subsidies == std::vector<std::string>{"test/nobody: apbd"});
}

TEST_CASE("analysis: two subsidies of one policy paying 100% and 50% of one month are caught with a person") {
  fixture fx;
  const auto report = fx.analyze_texts(
      {policy_text("twice", common_rules("16.09.") + "," + enrolment_text("covered") + R"json(, "subsidies": [)json" +
                                subsidy_text("apbd", "covered", year_2024, "100%") + "," +
                                subsidy_text("desa", "poor_informal", R"json({"from": "2024-06", "to": "2024-12"})json",
                                             "50%", R"json(, "priority": 2)json") +
                                "]")});
  REQUIRE(report.findings.size() == 1);
  const analysis_finding& f = report.findings[0];
  CHECK(f.kind == finding_kind::double_subsidy);
  CHECK(f.subsidies == std::vector<std::string>{"test/twice: apbd", "test/twice: desa"});
  CHECK(f.message.find("2024-06..2024-12") != std::string::npos);
  // The person both select: a resident of 16.09 with a 16-digit NIK, informal, at most Rp2.000.000.
  CHECK(value_of(f, "employment") == "informal");
  CHECK(value_of(f, "domicile_code").starts_with("\"16.09."));
  CHECK(value_of(f, "nik").size() == 18); // 16 digits, quoted
}

TEST_CASE("analysis: shares that add up to 100% are not a double subsidy") {
  fixture fx;
  const auto report = fx.analyze_texts(
      {policy_text("split", common_rules("16.09.") + "," + enrolment_text("covered") + R"json(, "subsidies": [)json" +
                                subsidy_text("apbd", "covered", year_2024, "60%") + "," +
                                subsidy_text("desa", "covered", year_2024, "40%") + "]")});
  CHECK(report.findings.empty());
  CHECK(report.pairs_checked == 1);
}

TEST_CASE("analysis: two regencies' subsidies pay twice only where one person can be in both") {
  fixture fx;
  const auto regency = [](const std::string& name, const std::string& prefix) {
    return policy_text(name, common_rules(prefix) + "," + enrolment_text("covered") + R"json(, "subsidies": [)json" +
                                 subsidy_text("apbd", "covered", year_2024, "100%") + "]");
  };
  // 16.08. and 16.09. share no domicile: nobody is in both.
  CHECK(fx.analyze_texts({regency("a", "16.08."), regency("b", "16.09.")}).findings.empty());
  // A province-wide "16." includes the regency's "16.09.": its residents are paid for twice.
  const auto report = fx.analyze_texts({regency("province", "16."), regency("regency", "16.09.")});
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == finding_kind::double_subsidy);
  CHECK(report.findings[0].subsidies == std::vector<std::string>{"test/province: apbd", "test/regency: apbd"});
  CHECK(value_of(report.findings[0], "domicile_code").starts_with("\"16.09."));
}

TEST_CASE("analysis: an informal resident earning Rp2.000.000,01 falls through") {
  fixture fx;
  analysis_options options;
  options.population = analysis_population{"", condition_from_json(parse_json(
                                                   R"json({"all": [{"fact": "domicile_code", "starts_with": ["16.09."]},
                                                          {"fact": "nik", "digits": 16},
                                                          {"fact": "employment", "=": "informal"},
                                                          {"fact": "monthly_income", "is": "present"}]})json"))};
  const auto report = fx.analyze_texts(
      {policy_text("gap", common_rules("16.09.") + "," + enrolment_text("covered") + R"json(, "subsidies": [)json" +
                              subsidy_text("apbd", "covered", year_2024, "100%") + "]")},
      options);
  REQUIRE(report.findings.size() == 1);
  const analysis_finding& f = report.findings[0];
  CHECK(f.kind == finding_kind::falls_through);
  // The one income the poor-informal rule refuses next to its limit: one sen above Rp2.000.000.
  CHECK(value_of(f, "monthly_income") == "Rp2.000.000,01");
  CHECK(f.details == std::vector<std::string>{"test/gap: covered is no (NOT_POOR)"});
}

TEST_CASE("analysis: a population every program takes has no one falling through") {
  fixture fx;
  analysis_options options;
  options.population = analysis_population{"covered", std::nullopt};
  const auto report =
      fx.analyze_texts({policy_text("full", common_rules("16.09.") + "," + enrolment_text("covered"))}, options);
  CHECK(report.findings.empty());
  CHECK(report.undecided.empty());
}

TEST_CASE("analysis: a rule comparing two facts that it cannot settle is undecided, not a finding") {
  fixture fx;
  // wage < min_wage and wage > min_wage: never yes, but the analysis does not model comparing two
  // facts, so it says so rather than claiming it.
  const std::string compared = R"json(,
    {"id": "both", "label": "both", "reason": "B", "citation": "c",
     "when": {"all": [{"fact": "monthly_income", "<": {"fact": "min_wage"}},
                      {"fact": "monthly_income", ">": {"fact": "min_wage"}}]}})json";
  std::string text = policy_text("compare", common_rules("16.09.", compared));
  text.replace(text.find("\"monthly_income\": {\"type\": \"money\"}"), 35,
               "\"monthly_income\": {\"type\": \"money\"}, \"min_wage\": {\"type\": \"money\"}");
  const auto report = fx.analyze_texts({text});
  CHECK(report.findings.empty());
  REQUIRE(report.undecided.size() == 1);
  CHECK(report.undecided[0].subject == "rule both (can it hold?)");
  CHECK(report.undecided[0].why.find("compared with the fact") != std::string::npos);
}

TEST_CASE("analysis: a population rule no policy has is an error") {
  fixture fx;
  analysis_options options;
  options.population = analysis_population{"no_such_rule", std::nullopt};
  CHECK_THROWS_WITH_AS(fx.analyze_texts({policy_text("p", common_rules("16.09."))}, options),
                       doctest::Contains("no policy given has a rule \"no_such_rule\""), error);
}

namespace {

// A self-contained policy "t/<name>" in force in 2024 (or as `effective` says), with `facts` and
// `rules` as JSON.
std::string bare_policy(const std::string& name, const std::string& facts, const std::string& rules,
                        const std::string& effective = R"json({"from": "2024-01-01", "until": "2024-12-31"})json") {
  return R"json({"format": "entitle-policy/1", "id": "t/)json" + name + R"json(", "title": "t", "effective": )json" +
         effective + R"json(, "facts": )json" + facts + R"json(, "rules": )json" + rules + "}";
}

std::string one_rule(const std::string& when) {
  return R"json([{"id": "r", "label": "l", "reason": "R", "citation": "c", "when": )json" + when + "}]";
}

} // namespace

// Each case below once gave a false finding; the person who disproves it is named.
TEST_CASE("analysis: a one-digit string other than \"0\" exists (\"5\")") {
  fixture fx;
  const auto report = fx.analyze_texts({bare_policy("digit", R"json({"s": {"type": "string", "required": true}})json",
                                                    one_rule(R"json({"all": [{"fact": "s", "digits": 1},
                                                                        {"fact": "s", "!=": "0"}]})json"))});
  CHECK(report.findings.empty());
}

TEST_CASE("analysis: a one-character string starting with none of x, y, z, w, # and no digit exists (\"a\")") {
  fixture fx;
  const auto report = fx.analyze_texts(
      {bare_policy("letter", R"json({"s": {"type": "string", "required": true}})json",
                   one_rule(R"json({"all": [{"not": {"fact": "s", "starts_with": ["x", "y", "z", "w", "#"]}},
                       {"fact": "s", "length": 1}, {"not": {"fact": "s", "digits": 1}}]})json"))});
  CHECK(report.findings.empty());
}

TEST_CASE("analysis: 24,000 months since a date fails for 2000-01-01 (288 months on 2024-01-01)") {
  fixture fx;
  const auto report = fx.analyze_texts({bare_policy("months", R"json({"d": {"type": "date", "required": true}})json",
                                                    one_rule(R"json({"months_since": "d", ">=": 24000})json"))});
  CHECK(report.findings.empty());
}

TEST_CASE("analysis: a length past what the analysis builds leaves the rule undecided") {
  fixture fx;
  const auto report = fx.analyze_texts(
      {bare_policy("long", R"json({"s": {"type": "string"}})json",
                   one_rule(R"json({"all": [{"fact": "s", "length": 200000000}, {"fact": "s", "length": 3}]})json"))});
  CHECK(report.findings.empty());
  REQUIRE(report.undecided.size() == 1);
  CHECK(report.undecided[0].why.find("length of 200000000 characters") != std::string::npos);
}

TEST_CASE("analysis: an enum declared with other values in two policies is one fact, matched by name") {
  fixture fx;
  // informal is taken by eB, formal by eA: nobody of the two falls through (asn is not a value of
  // eA's, so no person of both rosters has it).
  analysis_options options;
  options.population = analysis_population{
      "", condition_from_json(parse_json(R"json({"fact": "employment", "in": ["informal", "formal"]})json"))};
  const auto report = fx.analyze_texts(
      {bare_policy("eA",
                   R"json({"employment": {"type": "enum", "values": ["informal", "formal"], "required": true}})json",
                   one_rule(R"json({"fact": "employment", "=": "formal"})json")),
       bare_policy(
           "eB",
           R"json({"employment": {"type": "enum", "values": ["asn", "informal", "formal"], "required": true}})json",
           one_rule(R"json({"fact": "employment", "=": "informal"})json"))},
      options);
  CHECK(report.findings.empty());
}

TEST_CASE("analysis: a fact of one name but two types in two policies is undecided, not one person") {
  fixture fx;
  analysis_options options;
  options.population = analysis_population{"r", std::nullopt};
  const auto report = fx.analyze_texts(
      {bare_policy("text", R"json({"employment": {"type": "string", "required": true}})json",
                   one_rule(R"json({"fact": "employment", "=": "formal"})json")),
       bare_policy(
           "code", R"json({"employment": {"type": "integer", "required": true}})json",
           R"json([{"id": "q", "label": "l", "reason": "Q", "citation": "c", "when": {"fact": "employment", "=": 2}}])json")},
      options);
  CHECK(report.findings.empty());
  REQUIRE(report.undecided.size() == 1);
  CHECK(report.undecided[0].why.find("declared as string in one policy and as integer in another") !=
        std::string::npos);
}

TEST_CASE("analysis: two policies' rules of one id but different conditions are each checked, in either order") {
  fixture fx;
  const std::string facts = R"json({"b": {"type": "date"}})json";
  const std::string adult = bare_policy("adult", facts, one_rule(R"json({"age_of": "b", ">=": 18})json"));
  const std::string impossible = bare_policy(
      "impossible", facts, one_rule(R"json({"all": [{"age_of": "b", ">=": 20}, {"age_of": "b", "<": 10}]})json"));
  CHECK(fx.analyze_texts({adult, impossible}).findings.size() == 1);
  CHECK(fx.analyze_texts({impossible, adult}).findings.size() == 1);
  CHECK(fx.analyze_texts({impossible, adult}).rules_checked == 2);
}

TEST_CASE("analysis: a subsidy of Rp0 a month, or with a quota of 0, pays nothing twice") {
  fixture fx;
  const auto policy = [&](const std::string& name, const std::string& second) {
    return policy_text(name, common_rules("16.09.") + "," + enrolment_text("covered") + R"json(, "subsidies": [)json" +
                                 subsidy_text("apbd", "covered", year_2024, "100%") + "," + second + "]");
  };
  const std::string nothing = R"json({"id": "desa", "label": "s", "payer": "DESA", "citation": "c", "who": "covered",
    "programs": ["JKK"], "window": {"from": "2024-01", "to": "2024-12"}, "share": {"amount": "Rp0"}, "priority": 2})json";
  CHECK(fx.analyze_texts({policy("rp0", nothing)}).findings.empty());
  const auto report = fx.analyze_texts(
      {policy("quota0", subsidy_text("desa", "covered", year_2024, "50%", R"json(, "quota": 0, "priority": 2)json"))});
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == finding_kind::selects_no_one);
}

TEST_CASE("analysis: a policy given twice, or a day outside a policy's dates, is an error") {
  fixture fx;
  const std::string p =
      bare_policy("twice", R"json({"b": {"type": "date"}})json", one_rule(R"json({"age_of": "b", ">=": 18})json"));
  CHECK_THROWS_WITH_AS(fx.analyze_texts({p, p}), doctest::Contains("the policy t/twice is given twice"), error);
  analysis_options options;
  options.as_of = date(2023, 12, 31);
  CHECK_THROWS_WITH_AS(fx.analyze_texts({p}, options), doctest::Contains("the day to decide on is 2023-12-31"), error);
}

// The same rule in two policies is checked once only where it tests the same facts, declared alike,
// on the same day: otherwise it may hold for other people.
TEST_CASE("analysis: one rule over a fact declared 0 to 10 in one policy and 0 to 3 in another never holds in the "
          "second (x > 5)") {
  fixture fx;
  const std::string rule = one_rule(R"json({"fact": "x", ">": 5})json");
  const std::string wide =
      bare_policy("wide", R"json({"x": {"type": "integer", "required": true, "min": 0, "max": 10}})json", rule);
  const std::string narrow =
      bare_policy("narrow", R"json({"x": {"type": "integer", "required": true, "min": 0, "max": 3}})json", rule);
  for (const auto& order : {std::vector{wide, narrow}, std::vector{narrow, wide}}) {
    const auto report = fx.analyze_texts(order);
    CHECK(report.rules_checked == 2);
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].policy == "t/narrow");
    CHECK(report.findings[0].kind == finding_kind::never_holds);
  }
}

TEST_CASE("analysis: one rule \"not a or b\" over an enum of a, b, c and an enum of a, b never holds in the second") {
  fixture fx;
  const std::string rule = one_rule(R"json({"not": {"fact": "e", "in": ["a", "b"]}})json");
  const auto report = fx.analyze_texts(
      {bare_policy("abc", R"json({"e": {"type": "enum", "values": ["a", "b", "c"], "required": true}})json", rule),
       bare_policy("ab", R"json({"e": {"type": "enum", "values": ["a", "b"], "required": true}})json", rule)});
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].policy == "t/ab");
  CHECK(report.findings[0].kind == finding_kind::never_holds);
}

// Under 1 year old and born before 2024-06-01: on 2024-01-01 someone born 2023-06-01 (7 months);
// on 2026-01-01 under 1 means born after 2025-01-01, which no one born before 2024-06-01 is.
TEST_CASE("analysis: one age rule in policies in force from 2024 and from 2026 is checked on each one's day") {
  fixture fx;
  const std::string facts = R"json({"b": {"type": "date", "required": true}})json";
  const std::string rule = one_rule(R"json({"all": [{"age_of": "b", "<": 1}, {"fact": "b", "<": "2024-06-01"}]})json");
  const auto report = fx.analyze_texts({bare_policy("y2024", facts, rule, R"json({"from": "2024-01-01"})json"),
                                        bare_policy("y2026", facts, rule, R"json({"from": "2026-01-01"})json")});
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].policy == "t/y2026");
  CHECK(report.findings[0].kind == finding_kind::never_holds);
  CHECK(report.days == std::vector{date(2024, 1, 1), date(2026, 1, 1)});
  CHECK(analysis_text(report).starts_with("analysed t/y2024 on 2024-01-01, t/y2026 on 2026-01-01: 2 rules"));
  CHECK(to_json(report).as_object().at("days") ==
        parse_json(R"json({"t/y2024": "2024-01-01", "t/y2026": "2026-01-01"})json"));
}

// On 2024-01-01 the policy in force from 2026 takes no one, so whoever the first does not take
// (anyone with a birth date, here) falls through, although the second's rule takes everyone.
TEST_CASE("analysis: the population is checked on one day, on which a policy not yet in force takes no one") {
  fixture fx;
  analysis_options options;
  options.population =
      analysis_population{"", condition_from_json(parse_json(R"json({"fact": "b", "is": "present"})json"))};
  const std::string facts = R"json({"b": {"type": "date"}})json";
  const auto report =
      fx.analyze_texts({bare_policy("now", facts, one_rule(R"json({"fact": "b", "is": "missing"})json"),
                                    R"json({"from": "2024-01-01"})json"),
                        bare_policy("later", facts, one_rule(R"json({"fact": "b", "is": "present"})json"),
                                    R"json({"from": "2026-01-01"})json")},
                       options);
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == finding_kind::falls_through);
  CHECK(report.findings[0].details.front() == "t/later is not in force on 2024-01-01");
}

// 100 prefixes filled to 300 lengths of about 3,800 characters, digits or not, would be 60,000
// strings and 228 MB: the analysis builds some, and a rule that cannot hold (a string starting
// with one of the prefixes and with none of them) is then undecided rather than a finding.
TEST_CASE("analysis: a string fact tested for many prefixes and many long lengths is undecided, within bounds") {
  std::string prefixes, lengths;
  for (int k = 0; k < 100; ++k)
    prefixes += (k ? ", \"p" : "\"p") + std::to_string(k / 10) + std::to_string(k % 10) + "\"";
  for (int n = 3797; n < 4097; ++n)
    lengths += (n > 3797 ? ", " : "") + std::string(R"json({"fact": "s", "length": )json") + std::to_string(n) + "}";
  const std::string starts = R"json({"fact": "s", "starts_with": [)json" + prefixes + "]}";
  fixture fx;
  const auto report =
      fx.analyze_texts({bare_policy("many", R"json({"s": {"type": "string", "required": true}})json",
                                    one_rule(R"json({"all": [)json" + starts + R"json(, {"any": [)json" + lengths +
                                             R"json(]}, {"not": )json" + starts + "}]}"))});
  CHECK(report.findings.empty());
  REQUIRE(report.undecided.size() == 1);
  CHECK(report.undecided[0].why.find("so many prefixes and lengths") != std::string::npos);
}

// d = max(x, 0) in one policy and min(x, 3) in the other: "d > 5" holds for x = 6 in the first and
// for no one in the second, whose d is at most 3; the second's rule is checked, not taken for the
// first's (both are undecided: the analysis does not model a derived value).
TEST_CASE("analysis: one rule over a derived value worked out otherwise in two policies is checked in each") {
  fixture fx;
  const std::string facts = R"json({"x": {"type": "integer", "required": true, "min": 0, "max": 10}})json";
  const auto policy = [&](const std::string& name, const std::string& d) {
    return R"json({"format": "entitle-policy/1", "id": "t/)json" + name +
           R"json(", "title": "t", "effective": {"from": "2024-01-01", "until": "2024-12-31"}, "facts": )json" + facts +
           R"json(, "derived": [{"id": "d", "type": "integer", "label": "d", "citation": "c", "value": )json" + d +
           R"json(}], "rules": [{"id": "big", "label": "d big", "reason": "SMALL", "citation": "c",
                                  "when": {"fact": "d", ">": 5}}]})json";
  };
  const auto report = fx.analyze_texts({policy("dmax", R"json({"max": [{"fact": "x"}, 0]})json"),
                                        policy("dmin", R"json({"min": [{"fact": "x"}, 3]})json")});
  CHECK(report.rules_checked == 2);
  CHECK(report.findings.empty());
  // Neither can be settled (no test on x itself gives the analysis x = 6), but each is asked.
  REQUIRE(report.undecided.size() == 2);
  CHECK(report.undecided[1].policy == "t/dmin");
}

// On 2024-01-01 only t/now is in force; x = 6 is no to its rule x <= 5. t/later's x of 0 to 3
// must not hide that person: its declarations do not apply on a day it is not in force.
TEST_CASE("analysis: a policy not in force on the population's day does not narrow its facts") {
  fixture fx;
  analysis_options options;
  options.population =
      analysis_population{"", condition_from_json(parse_json(R"json({"fact": "x", "is": "present"})json"))};
  const auto report = fx.analyze_texts(
      {bare_policy("now", R"json({"x": {"type": "integer", "required": true, "min": 0, "max": 10}})json",
                   one_rule(R"json({"fact": "x", "<=": 5})json"), R"json({"from": "2024-01-01"})json"),
       bare_policy("later", R"json({"x": {"type": "integer", "required": true, "min": 0, "max": 3}})json",
                   one_rule(R"json({"fact": "x", ">=": 1})json"), R"json({"from": "2026-01-01"})json")},
      options);
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == finding_kind::falls_through);
  CHECK(value_of(report.findings[0], "x") == "6");
}
