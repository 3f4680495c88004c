#include <entitle/io/policy_json.hpp>

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <sstream>
#include <string>

using namespace entitle;
namespace json = boost::json;

namespace {

std::string fixture() {
  std::ifstream in(std::string(ENTITLE_TEST_DATA) + "/tables.json", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A policy with the facts of the fixture and `tables` as its "tables" section.
std::string with_tables(std::string_view tables) {
  return R"j({"format": "entitle-policy/1", "id": "t", "facts": {
    "risk_class": {"type": "enum", "values": ["low", "high"]}, "age": {"type": "integer"},
    "income": {"type": "money"}, "sector": {"type": "string"}}, "rules": [], "tables": )j" +
         std::string(tables) + "}";
}

// One table over "age" with the cell `cell`, the output `out` and the rest `more`.
std::string one_cell(std::string_view cell, std::string_view more = "") {
  return with_tables(R"j([{"id": "x", "label": "X", "citation": "test", "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": [)j" +
                     std::string(cell) + R"j(], "then": 1}])j" + std::string(more) + "}]");
}

std::string failure_of(std::string_view text) {
  const auto read = try_read_policy(text);
  return read ? "no error" : read.error().describe();
}

// The table `id` of the written policy, as JSON.
json::value written_table(const policy& p, std::string_view id) {
  const json::value written = json::parse(write_policy(p));
  for (const auto& t : written.at("tables").as_array())
    if (t.at("id").as_string() == id) return t;
  FAIL("no table " << id);
  return {};
}

table_cell cell(table_cell::kind what, comparison op, std::vector<literal> values,
                std::optional<comparison> second = std::nullopt) {
  return {what, op, std::move(values), second};
}

} // namespace

TEST_CASE("table JSON: a policy's tables written and read back are the same tables") {
  const policy read = read_policy(fixture());
  REQUIRE(read.tables.size() == 4);
  const std::string written = write_policy(read);
  const policy again = read_policy(written);
  CHECK(again == read);
  CHECK(again.tables == read.tables);
  CHECK(write_policy(again) == written);
}

TEST_CASE("table JSON: every cell form reads as its cell") {
  const policy p = read_policy(fixture());
  const decision_table& jkk = p.tables[0];
  CHECK(jkk.id == "jkk_rate");
  CHECK(jkk.label == "JKK rate by the employer's risk class");
  CHECK(jkk.citation == "PP 44/2015 Lampiran I");
  CHECK(jkk.policy == hit_policy::unique);
  CHECK(jkk.aggregate == aggregation::none);
  CHECK(jkk.inputs == std::vector<table_input>{{"risk_class", ""}, {"age", "age in years"}});
  CHECK(jkk.outputs == std::vector<table_output>{{"rate", fact_type::rate, {}}});
  REQUIRE(jkk.rows.size() == 6);
  using k = table_cell::kind;
  using c = comparison;
  CHECK(jkk.rows[0].when == std::vector<table_cell>{cell(k::compare, c::eq, {"very_low"}), table_cell{}});
  CHECK(jkk.rows[0].then == std::vector<literal>{"0.24%"});
  CHECK(jkk.rows[0].id == "I");
  CHECK(jkk.rows[0].citation == "PP 44/2015 Lampiran I angka 1");
  CHECK(jkk.rows[1].when ==
        std::vector<table_cell>{cell(k::in, c::eq, {"low", "medium"}), cell(k::compare, c::ge, {18, 60}, c::lt)});
  CHECK(jkk.rows[1].then == std::vector<literal>{"0.54%"});
  CHECK(jkk.rows[2].when[1] == cell(k::compare, c::lt, {18}));
  CHECK(jkk.rows[3].when[1] == cell(k::compare, c::gt, {59}));
  CHECK(jkk.rows[4].when ==
        std::vector<table_cell>{cell(k::compare, c::eq, {"high"}), cell(k::between, c::eq, {0, 120})});
  CHECK(jkk.rows[5].when == std::vector<table_cell>{cell(k::not_in, c::eq, {"very_low", "low", "medium", "high"}),
                                                    cell(k::compare, c::gt, {-1, 200}, c::le)});
  CHECK(jkk.otherwise == std::vector<literal>{"0%"});

  const decision_table& bonus = p.tables[1];
  CHECK(bonus.policy == hit_policy::collect);
  CHECK(bonus.aggregate == aggregation::sum);
  CHECK(bonus.rows[0].when == std::vector<table_cell>{cell(k::compare, c::eq, {true}), table_cell{}});
  CHECK(bonus.rows[1].when[1] == cell(k::compare, c::eq, {"-"})); // {"=": "-"}: the string, not any
  CHECK(bonus.rows[2].when[1] == cell(k::compare, c::ne, {"farm"}));
  CHECK(bonus.rows[1].then == std::vector<literal>{50000});
  CHECK(!bonus.otherwise);

  const decision_table& category = p.tables[2];
  CHECK(category.policy == hit_policy::priority);
  CHECK(category.inputs[0].name == "yearly_income"); // a derived value
  CHECK(category.outputs[0].priority == std::vector<literal>{"poor", "near_poor", "other"});
  CHECK(category.rows[1].when[0] == cell(k::compare, c::le, {parameter_value("limit")}));

  const decision_table& adult = p.tables[3];
  CHECK(adult.policy == hit_policy::first);
  CHECK(adult.rows[0].then == std::vector<literal>{1, true});
  CHECK(adult.rows[1].when[0] == cell(k::compare, c::eq, {parameter_value("adult_age")}));
  CHECK(adult.otherwise == std::vector<literal>{2, false});
}

TEST_CASE("table JSON: cells are written in the forms they are read in") {
  const policy p = read_policy(fixture());
  const json::value jkk = written_table(p, "jkk_rate");
  CHECK(json::serialize(jkk.at("inputs")) == R"(["risk_class",{"name":"age","label":"age in years"}])");
  CHECK(jkk.at("hit_policy") == "unique");
  CHECK(!jkk.as_object().contains("aggregation"));
  const auto& rows = jkk.at("rows").as_array();
  // One output: "then" and "otherwise" are a single value, though the file gave an array.
  CHECK(json::serialize(rows[0]) ==
        R"({"when":["very_low","-"],"then":"0.24%","id":"I","citation":"PP 44/2015 Lampiran I angka 1"})");
  CHECK(json::serialize(rows[1].at("when")) == R"([{"in":["low","medium"]},{">=":18,"<":60}])");
  CHECK(json::serialize(rows[4].at("when")) == R"(["high",{"between":[0,120]}])");
  CHECK(json::serialize(rows[5].at("when")) == R"([{"not_in":["very_low","low","medium","high"]},{">":-1,"<=":200}])");
  CHECK(json::serialize(jkk.at("otherwise")) == R"("0%")");

  const json::value bonus = written_table(p, "bonus");
  CHECK(bonus.at("aggregation") == "sum");
  CHECK(json::serialize(bonus.at("rows").at(1).at("when")) == R"(["-",{"=":"-"}])");
  CHECK(json::serialize(bonus.at("rows").at(2).at("when")) == R"([false,{"!=":"farm"}])");

  const json::value category = written_table(p, "category");
  CHECK(json::serialize(category.at("outputs")) ==
        R"([{"id":"category","type":"string","priority":["poor","near_poor","other"]}])");
  CHECK(json::serialize(category.at("rows").at(1).at("when")) == R"([{"<=":{"parameter":"limit"}}])");

  const json::value adult = written_table(p, "adult");
  CHECK(json::serialize(adult.at("rows").at(0).at("then")) == R"([1,true])");
  CHECK(json::serialize(adult.at("otherwise")) == R"([2,false])");
}

TEST_CASE("table JSON: every hit policy and aggregation round trips") {
  for (const char* name : {"unique", "any", "priority", "first", "rule_order", "output_order", "collect"}) {
    CAPTURE(name);
    const std::string text = with_tables(R"j([{"id": "x", "label": "X", "citation": "test", "hit_policy": ")j" +
                                         std::string(name) + R"j(", "inputs": ["age"],
      "outputs": [{"id": "out", "type": "integer", "priority": [2, 1]}],
      "rows": [{"when": [{"<": 18}], "then": 1}, {"when": [{">=": 18}], "then": 2}]}])j");
    const policy p = read_policy(text);
    CHECK(written_table(p, "x").at("hit_policy") == name);
    CHECK(read_policy(write_policy(p)) == p);
  }
  CHECK(read_policy(with_tables(R"j([{"id": "x", "label": "X", "citation": "test", "inputs": ["age"],
      "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": ["-"], "then": 1}]}])j"))
            .tables[0]
            .policy == hit_policy::unique);
  for (const char* name : {"sum", "min", "max", "count"}) {
    CAPTURE(name);
    const policy p = read_policy(with_tables(R"j([{"id": "x", "label": "X", "citation": "test",
      "hit_policy": "collect", "aggregation": ")j" +
                                             std::string(name) + R"j(", "inputs": ["age"],
      "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": ["-"], "then": 1}]}])j"));
    CHECK(written_table(p, "x").at("aggregation") == name);
    CHECK(read_policy(write_policy(p)) == p);
  }
}

TEST_CASE("table JSON: a table made in C++ is written so that it reads back the same") {
  policy p = read_policy(with_tables("[]"));
  CHECK(!json::parse(write_policy(p)).as_object().contains("tables")); // no tables, no section
  decision_table t;
  t.id = "made";
  t.label = "Made in C++";
  t.citation = "test";
  t.policy = hit_policy::rule_order;
  t.inputs = {{"age", ""}, {"sector", "the sector"}};
  t.outputs = {{"a", fact_type::integer, {}}, {"b", fact_type::string, {}}};
  using k = table_cell::kind;
  using c = comparison;
  t.rows = {{{cell(k::compare, c::le, {17}), cell(k::in, c::eq, {"farm"})}, {1, "-"}, "r1", "test row"},
            {{cell(k::compare, c::ge, {18, 65}, c::le), cell(k::compare, c::eq, {"-"})}, {2, "y"}, "", ""},
            {{cell(k::between, c::eq, {65, 200}), cell(k::not_in, c::eq, {"farm"})}, {3, "z"}, "", ""}};
  t.otherwise = std::vector<literal>{0, "none"};
  p.tables.push_back(t);
  const policy again = read_policy(write_policy(p));
  CHECK(again == p);
  const json::value written = written_table(p, "made");
  CHECK(json::serialize(written.at("rows").at(0).at("then")) == R"([1,"-"])"); // "-" as an output is a string
  CHECK(json::serialize(written.at("rows").at(1).at("when")) == R"([{">=":18,"<=":65},{"=":"-"}])");

  // An upper bound stored first is written as the lower bound then the upper one: the same test.
  p.tables[0].rows[1].when[0] = cell(k::compare, c::le, {65, 18}, c::ge);
  CHECK(json::serialize(written_table(p, "made").at("rows").at(1).at("when").at(0)) == R"({">=":18,"<=":65})");
  // Two lower bounds have no JSON form.
  p.tables[0].rows[1].when[0] = cell(k::compare, c::gt, {18, 20}, c::ge);
  CHECK_THROWS_WITH((void)write_policy(p), "a cell's two comparisons (> and >=) have no JSON form: they are a lower "
                                           "bound (> or >=) and an upper bound (< or <=)");
}

TEST_CASE("table JSON: errors name their JSON pointer") {
  const std::string header = R"j({"id": "x", "label": "X", "citation": "test", )j";
  CHECK(failure_of(with_tables(R"j([{"label": "X", "citation": "test", "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": ["-"], "then": 1}]}])j")) ==
        "/tables/0: a decision table needs the key \"id\"");
  CHECK(failure_of(with_tables(R"j({"id": "x"})j")) == "/tables: expected an array of tables, found an object");
  CHECK(failure_of(with_tables("[" + header + R"j("hit_policy": "uniq", "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": ["-"], "then": 1}]}])j")) ==
        "/tables/0/hit_policy: expected a hit policy: \"unique\", \"any\", \"priority\", \"first\", \"rule_order\", "
        "\"output_order\" or \"collect\", found the string \"uniq\"");
  CHECK(failure_of(with_tables("[" + header + R"j("aggregation": "total", "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": ["-"], "then": 1}]}])j")) ==
        "/tables/0/aggregation: expected an aggregation: \"sum\", \"min\", \"max\" or \"count\", found the string "
        "\"total\"");
  CHECK(failure_of(with_tables("[" + header + R"j("input": ["age"], "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": ["-"], "then": 1}]}])j")) ==
        "/tables/0/input: unknown key \"input\" in a decision table; expected \"id\", \"label\", \"citation\", "
        "\"hit_policy\", \"aggregation\", \"inputs\", \"outputs\", \"rows\", \"otherwise\"");

  SUBCASE("cells") {
    const std::string forms =
        "expected a cell: \"-\" (any value), a constant, {\"=\": value} (or \"!=\", \"<\", \"<=\", \">\", \">=\"), a "
        "lower and an upper bound such as {\">=\": low, \"<\": high}, {\"between\": [low, high]}, {\"in\": [values]} "
        "or {\"not_in\": [values]}; found ";
    CHECK(failure_of(one_cell(R"j({"<": 1, "<=": 2})j")) == "/tables/0/rows/0/when/0: " + forms + R"({"<":1,"<=":2})");
    CHECK(failure_of(one_cell(R"j({"like": 1})j")) == "/tables/0/rows/0/when/0: " + forms + R"({"like":1})");
    CHECK(failure_of(one_cell(R"j({"in": [1], "<": 2})j")) ==
          "/tables/0/rows/0/when/0: " + forms + R"({"in":[1],"<":2})");
    CHECK(failure_of(one_cell("[1, 2]")) ==
          "/tables/0/rows/0/when/0: expected a value (true, false, a whole number, a string or {\"parameter\": id}), "
          "found [1,2]");
    CHECK(failure_of(one_cell(R"j({"between": [1]})j")) ==
          "/tables/0/rows/0/when/0/between: expected [low, high], found 1 value");
    CHECK(failure_of(one_cell(R"j({"between": 1})j")) ==
          "/tables/0/rows/0/when/0/between: expected [low, high], found the number 1");
    CHECK(failure_of(one_cell(R"j({"in": []})j")) == "/tables/0/rows/0/when/0/in: expected at least one value");
    CHECK(failure_of(one_cell(R"j({"not_in": [1, null]})j")) ==
          "/tables/0/rows/0/when/0/not_in/1: expected a value (true, false, a whole number, a string or "
          "{\"parameter\": id}), found null");
    CHECK(failure_of(one_cell(R"j({">=": 1, "<": {"parameter": ""}})j")) ==
          "/tables/0/rows/0/when/0/</parameter: expected the id of a parameter as a non-empty string, found the "
          "string \"\"");
  }

  SUBCASE("a money input's constant is read as money") {
    CHECK(failure_of(with_tables("[" + header + R"j("inputs": ["income"],
      "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": [{"<": 2000000.5}], "then": 1}]}])j"))
              .starts_with("/tables/0/rows/0/when/0/<: "));
  }

  SUBCASE("rows") {
    const std::string two_outputs = "[" + header + R"j("inputs": ["age", "risk_class"],
      "outputs": [{"id": "a", "type": "integer"}, {"id": "b", "type": "integer"}], )j";
    CHECK(failure_of(with_tables(two_outputs + R"j("rows": [{"when": ["-", "-"], "then": 1}]}])j")) ==
          "/tables/0/rows/0/then: expected an array of 2 values, one per output (\"a\", \"b\"), found the number 1");
    CHECK(failure_of(with_tables(two_outputs + R"j("rows": [{"when": ["-", "-"], "then": [1, 2]},
      {"when": ["-", "-"], "then": [1]}]}])j")) ==
          "/tables/0/rows/1/then: a row gives 1 value for 2 outputs (\"a\", \"b\")");
    CHECK(failure_of(with_tables(two_outputs + R"j("rows": [{"when": ["-"], "then": [1, 2]}]}])j")) ==
          "/tables/0/rows/0/when: expected 2 cells, one per input (\"age\", \"risk_class\"), found 1");
    CHECK(failure_of(with_tables(two_outputs + R"j("rows": [{"when": ["-", "-"], "then": [1, 2]}],
      "otherwise": [1, 2, 3]}])j")) ==
          "/tables/0/otherwise: \"otherwise\" gives 3 values for 2 outputs (\"a\", \"b\")");
    CHECK(failure_of(with_tables(two_outputs + R"j("rows": [{"when": ["-", "-"], "then": [1, 2], "if": 1}]}])j")) ==
          "/tables/0/rows/0/if: unknown key \"if\" in a row; expected \"when\", \"then\", \"id\", \"citation\"");
    CHECK(failure_of(with_tables(two_outputs + R"j("rows": [{"when": ["-", "-"]}]}])j")) ==
          "/tables/0/rows/0: a row needs the key \"then\"");
    CHECK(failure_of(with_tables(two_outputs + R"j("rows": []}])j")) ==
          "/tables/0/rows: a decision table needs at least one row");
  }

  SUBCASE("inputs and outputs") {
    const std::string rows = R"j("rows": [{"when": ["-"], "then": 1}]}])j";
    CHECK(failure_of(with_tables("[" + header + R"j("inputs": [], "outputs": [{"id": "a", "type": "integer"}], )j" +
                                 rows)) == "/tables/0/inputs: a decision table needs at least one input");
    CHECK(failure_of(with_tables("[" + header + R"j("inputs": [{"label": "age"}],
      "outputs": [{"id": "a", "type": "integer"}], )j" +
                                 rows)) ==
          "/tables/0/inputs/0: an input (a name, or {\"name\": ..., \"label\": ...}) needs the key \"name\"");
    CHECK(failure_of(with_tables("[" + header + R"j("inputs": [""], "outputs": [{"id": "a", "type": "integer"}], )j" +
                                 rows)) ==
          "/tables/0/inputs/0: expected the name of a fact or derived value as a non-empty string, found the string "
          "\"\"");
    CHECK(failure_of(with_tables("[" + header + R"j("inputs": ["age"], "outputs": [], )j" + rows)) ==
          "/tables/0/outputs: a decision table needs at least one output");
    CHECK(failure_of(with_tables("[" + header + R"j("inputs": ["age"], "outputs": [{"id": "a", "type": "float"}], )j" +
                                 rows)) ==
          "/tables/0/outputs/0/type: expected a fact type: \"bool\", \"integer\", \"money\", \"rate\", \"date\", "
          "\"month\", \"string\" or \"enum\", found \"float\"");
    CHECK(failure_of(with_tables("[" + header + R"j("inputs": ["age"], "outputs": [{"type": "integer"}], )j" + rows)) ==
          "/tables/0/outputs/0: an output needs the key \"id\"");
    CHECK(failure_of(with_tables("[" + header + R"j("inputs": ["age"],
      "outputs": [{"id": "a", "type": "integer", "priority": [1, null]}], )j" +
                                 rows)) ==
          "/tables/0/outputs/0/priority/1: expected a value (true, false, a whole number, a string or "
          "{\"parameter\": id}), found null");
  }
}

TEST_CASE("table JSON: a table under \"overrides\" replaces the extended policy's table of the same id") {
  const std::string table_a = R"j({"id": "a", "label": "A", "citation": "test", "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": [{"<": 18}], "then": 1}]})j";
  const std::string table_b = R"j({"id": "b", "label": "B", "citation": "test", "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": ["-"], "then": 2}]})j";
  const std::string new_a = R"j({"id": "a", "label": "A, amended", "citation": "test 2", "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": [{"<": 21}], "then": 5}]})j";
  policy_library library;
  library.add(R"j({"format": "entitle-policy/1", "id": "test/base", "facts": {"age": {"type": "integer"}},
    "rules": [], "tables": [)j" +
              table_a + ", " + table_b + "]}");
  library.add(R"j({"format": "entitle-policy/1", "id": "test/child", "extends": "test/base",
    "overrides": {"tables": [)j" +
              new_a + "]}}");
  const policy child = library.get("test/child");
  REQUIRE(child.tables.size() == 2);
  CHECK(child.tables[0].id == "a");
  CHECK(child.tables[0].label == "A, amended");
  CHECK(child.tables[0].rows[0].then == std::vector<literal>{5});
  CHECK(child.tables[1] == library.get("test/base").tables[1]);
  CHECK(read_policy(write_policy(child)).tables == child.tables); // written whole, it reads on its own

  library.add(R"j({"format": "entitle-policy/1", "id": "test/again", "extends": "test/base", "tables": [)j" + new_a +
              "]}");
  CHECK_THROWS_WITH((void)library.get("test/again"),
                    "/tables/0/id: \"test/again\": tables \"a\" is already defined by \"test/base\"; to replace it, "
                    "put it under \"overrides\"");
  library.add(R"j({"format": "entitle-policy/1", "id": "test/nothing", "extends": "test/base",
    "overrides": {"tables": [{"id": "c", "label": "C", "citation": "test", "inputs": ["age"],
    "outputs": [{"id": "out", "type": "integer"}], "rows": [{"when": ["-"], "then": 2}]}]}})j");
  CHECK_THROWS_WITH((void)library.get("test/nothing"),
                    "/overrides/tables/0/id: \"test/nothing\": tables \"c\" overrides nothing: \"test/base\" does "
                    "not define it");
  CHECK_THROWS_WITH((void)library.add(R"j({"format": "entitle-policy/1", "id": "test/bad", "extends": "test/base",
    "overrides": {"tables": [{"id": "a"}]}})j"),
                    "/overrides/tables/0: a decision table needs the key \"label\"");
}
