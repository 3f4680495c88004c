// Roster columns under other names than the facts': a fact's declared `columns` (a spreadsheet's
// Indonesian headers) and `roster_options::columns` mappings, in CSV and NDJSON, and each way they
// can conflict. Every expected value and message is worked out by hand from the input next to it.
#include <entitle/io/policy_json.hpp>
#include <entitle/io/roster.hpp>

#include "failure_of.hpp"

#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace entitle;
using entitle::test::failure_of;

namespace {

// nik; birth_date, also "tgl_lahir"; monthly_income, also "penghasilan" and "pendapatan".
const schema& facts() {
  static const schema s = [] {
    schema out;
    out.add({"nik", fact_type::string});
    out.add({"birth_date", fact_type::date, {}, false, {}, {"tgl_lahir"}});
    out.add({"monthly_income", fact_type::money, {}, false, {}, {"penghasilan", "pendapatan"}});
    return out;
  }();
  return s;
}

constexpr std::size_t nik = 0, birth_date = 1, monthly_income = 2;

struct read_roster {
  std::vector<roster_row> rows;
  std::vector<std::string> ignored;
  std::vector<std::string> absent;
};

read_roster read(const std::string& text, roster_format format, roster_options options = {}) {
  std::istringstream in(text);
  roster_reader reader(in, facts(), format, std::move(options));
  read_roster out;
  roster_row row;
  while (reader.next(row))
    out.rows.push_back(row);
  out.ignored = reader.ignored_columns();
  out.absent = reader.absent_facts();
  return out;
}

// The failure making a reader of `text` throws, described ("line 1: ..."); "" when none.
std::string header_failure(const std::string& text, roster_options options, roster_format format = roster_format::csv) {
  std::istringstream in(text);
  const auto f = failure_of([&] { roster_reader reader(in, facts(), format, options); });
  return f ? f->describe() : "";
}

roster_options mapped(std::vector<column_mapping> columns) {
  roster_options options;
  options.columns = std::move(columns);
  return options;
}

// 1980-05-01 as a fact number: 1980 x 512 + 5 x 32 + 1 (docs/design.md, "One compiled form").
constexpr std::int64_t may_1980 = 1980 * 512 + 5 * 32 + 1;
// Rp1.500.000 in sen.
constexpr std::int64_t income = 150'000'000;

} // namespace

TEST_CASE("roster aliases: a CSV column named as one of a fact's columns gives the fact") {
  const auto r = read("id,tgl_lahir,pendapatan,nama\nP1,1980-05-01,Rp1.500.000,Siti\n", roster_format::csv);
  REQUIRE(r.rows.size() == 1);
  CHECK(!r.rows[0].problem);
  CHECK(r.rows[0].facts.facts()[birth_date].number == may_1980);
  CHECK(r.rows[0].facts.facts()[monthly_income].number == income);
  CHECK(r.ignored == std::vector<std::string>{"nama"}); // the aliased columns are read, not ignored
  CHECK(r.absent == std::vector<std::string>{"nik"});
}

TEST_CASE("roster aliases: a mapping reads a fact from a column of any name, and only from it") {
  const auto r = read("id,Tanggal Lahir,gaji\nP1,1980-05-01,1500000\n", roster_format::csv,
                      mapped({{"birth_date", "Tanggal Lahir"}, {"monthly_income", "gaji"}}));
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].facts.facts()[birth_date].number == may_1980);
  CHECK(r.rows[0].facts.facts()[monthly_income].number == income);
  CHECK(r.ignored.empty()); // mapped columns are not ignored
  // The fact's own name is not read once a mapping gives it from elsewhere: it is ignored.
  const auto moved =
      read("id,monthly_income,gaji\nP1,7,1500000\n", roster_format::csv, mapped({{"monthly_income", "gaji"}}));
  CHECK(moved.rows[0].facts.facts()[monthly_income].number == income);
  CHECK(moved.ignored == std::vector<std::string>{"monthly_income"});
  // Two facts' columns swapped in the file: each mapped to the other's name.
  const auto swapped = read("id,nik,birth_date\nP1,1980-05-01,1608011234567890\n", roster_format::csv,
                            mapped({{"nik", "birth_date"}, {"birth_date", "nik"}}));
  CHECK(swapped.rows[0].facts.facts()[nik].text == "1608011234567890");
  CHECK(swapped.rows[0].facts.facts()[birth_date].number == may_1980);
}

TEST_CASE("roster aliases: a fact given by two columns is refused at line 1, naming both") {
  CHECK(header_failure("id,monthly_income,penghasilan\n", {}) ==
        "line 1: expected one column for the fact \"monthly_income\", found two: \"monthly_income\" and "
        "\"penghasilan\"; keep one, or map the fact to one of them");
  CHECK(header_failure("id,pendapatan,nik,penghasilan\n", {}) ==
        "line 1: expected one column for the fact \"monthly_income\", found two: \"pendapatan\" and \"penghasilan\"; "
        "keep one, or map the fact to one of them");
  // Mapping the fact to one of them settles it; the other is ignored.
  CHECK(read("id,monthly_income,penghasilan\nP1,1,1500000\n", roster_format::csv,
             mapped({{"monthly_income", "penghasilan"}}))
            .ignored == std::vector<std::string>{"monthly_income"});
}

TEST_CASE("roster aliases: a mapped column the header lacks is refused at line 1, naming the closest") {
  CHECK(header_failure("id,gaji\n", mapped({{"monthly_income", "Gaji"}})) ==
        "line 1: expected the column \"Gaji\", which is mapped to the fact \"monthly_income\", found none (there is "
        "\"gaji\": names must match exactly, letter case and spaces included); the columns are \"id\", \"gaji\"");
  CHECK(header_failure("id,nik\n", mapped({{"monthly_income", "gaji"}})) ==
        "line 1: expected the column \"gaji\", which is mapped to the fact \"monthly_income\", found none; the "
        "columns are \"id\", \"nik\"");
}

TEST_CASE("roster aliases: mappings are checked against the facts before anything is read") {
  // For either format, and whatever the roster holds.
  for (const roster_format format : {roster_format::csv, roster_format::ndjson}) {
    // "monthly_incme" is one edit from "monthly_income"; "gaji" is close to no fact.
    CHECK(header_failure("id\n", mapped({{"monthly_incme", "penghasilan"}}), format) ==
          "monthly_incme=penghasilan: \"monthly_incme\" is not a fact of the policy; the close ones are "
          "\"monthly_income\"");
    CHECK(header_failure("id\n", mapped({{"gaji", "x"}}), format) ==
          "gaji=x: \"gaji\" is not a fact of the policy; the facts are \"nik\", \"birth_date\", \"monthly_income\"");
    CHECK(header_failure("id\n", mapped({{"id", "nomor"}}), format) ==
          "id=nomor: \"id\" is the person's id, which is not mapped as a fact: name its column as the id column");
    CHECK(header_failure("id\n", mapped({{"nik", ""}}), format) ==
          "nik=: expected a column's name after the \"=\", found none");
    CHECK(header_failure("id\n", mapped({{"nik", "a"}, {"nik", "b"}}), format) ==
          "nik=b: the fact \"nik\" is mapped twice, to the columns \"a\" and \"b\"; keep one");
    // One column for two facts: a header that would match both.
    CHECK(header_failure("id\n", mapped({{"nik", "a"}, {"birth_date", "a"}}), format) ==
          "birth_date=a: the column \"a\" is mapped to two facts, \"nik\" and \"birth_date\"; a column gives one fact");
    CHECK(header_failure("id\n", mapped({{"monthly_income", "nik"}}), format) ==
          "monthly_income=nik: the column \"nik\" is mapped to the fact \"monthly_income\", but it is the fact "
          "\"nik\"; a column gives one fact: map \"nik\" to another column too");
    CHECK(header_failure("id\n", mapped({{"nik", "penghasilan"}}), format) ==
          "nik=penghasilan: the column \"penghasilan\" is mapped to the fact \"nik\", but it is a column of the fact "
          "\"monthly_income\"; a column gives one fact: map \"monthly_income\" to another column too");
  }
  CHECK(check_column_mappings(facts(), mapped({{"nik", "NIK"}})) == std::nullopt);
}

TEST_CASE("roster aliases: the closest column of a missing needed fact is looked for under its other names") {
  roster_options options;
  options.needed_facts = {"monthly_income"};
  CHECK(header_failure("id,Penghasilan\n", options) ==
        "line 1: expected a column for each fact the rules read, found none for \"monthly_income\" (or "
        "\"penghasilan\", \"pendapatan\"; there is \"Penghasilan\": names must match exactly, letter case and "
        "spaces included); the columns are \"id\", \"Penghasilan\"");
  // An alias satisfies the need.
  CHECK(header_failure("id,penghasilan\n", options).empty());
}

TEST_CASE("roster aliases: NDJSON keys under other names, mapped keys, and a fact given twice") {
  const auto r = read("{\"id\":\"P1\",\"tgl_lahir\":\"1980-05-01\",\"penghasilan\":1500000}\n"
                      "{\"id\":\"P2\",\"monthly_income\":1,\"pendapatan\":1500000}\n"
                      "{\"id\":\"P3\",\"monthly_income\":null,\"pendapatan\":1500000}\n"
                      "{\"id\":\"P4\",\"penghasilan\":1.5}\n",
                      roster_format::ndjson);
  REQUIRE(r.rows.size() == 4);
  CHECK(!r.rows[0].problem);
  CHECK(r.rows[0].facts.facts()[birth_date].number == may_1980);
  CHECK(r.rows[0].facts.facts()[monthly_income].number == income);
  REQUIRE(r.rows[1].problem);
  CHECK(r.rows[1].problem->describe() == "pendapatan: expected one key for the fact \"monthly_income\", found two: "
                                         "\"monthly_income\" and \"pendapatan\"; keep one");
  // A null is a missing value, so the other key gives the fact.
  CHECK(!r.rows[2].problem);
  CHECK(r.rows[2].facts.facts()[monthly_income].number == income);
  // An error in a value is located at the key the row wrote, and shows the number as written.
  REQUIRE(r.rows[3].problem);
  CHECK(r.rows[3].problem->location == "penghasilan");
  CHECK(r.rows[3].problem->message.find("1.5") != std::string::npos);

  const auto m = read("{\"id\":\"P1\",\"gaji\":1500000,\"monthly_income\":7}\n", roster_format::ndjson,
                      mapped({{"monthly_income", "gaji"}}));
  REQUIRE(m.rows.size() == 1);
  CHECK(!m.rows[0].problem);
  CHECK(m.rows[0].facts.facts()[monthly_income].number == income); // the mapped key only
}

TEST_CASE("roster aliases: a schema lets no column give two facts") {
  schema s;
  s.add({"monthly_income", fact_type::money, {}, false, {}, {"penghasilan"}});
  CHECK(failure_of([&] {
          s.add({"wage", fact_type::money, {}, false, {}, {"penghasilan"}});
        })->message ==
        "the fact \"wage\" has the column \"penghasilan\", which is a column of the fact \"monthly_income\"; a "
        "roster column gives one fact");
  CHECK(failure_of([&] {
          s.add({"wage", fact_type::money, {}, false, {}, {"monthly_income"}});
        })->message ==
        "the fact \"wage\" has the column \"monthly_income\", which is the fact \"monthly_income\"; a roster column "
        "gives one fact");
  CHECK(failure_of([&] {
          s.add({"penghasilan", fact_type::money});
        })->message ==
        "the fact \"penghasilan\" has the name of a column of the fact \"monthly_income\"; a roster column gives one "
        "fact");
  CHECK(failure_of([&] {
          s.add({"wage", fact_type::money, {}, false, {}, {"gaji", "gaji"}});
        })->message == "the fact \"wage\" lists the column \"gaji\" twice (its name included)");
  CHECK(failure_of([&] {
          s.add({"wage", fact_type::money, {}, false, {}, {""}});
        })->message == "the fact \"wage\" has an empty column name");
  CHECK(s.size() == 1);
  CHECK(s.find_column("penghasilan") == std::size_t{0});
  CHECK(s.find_column("gaji") == std::nullopt);
}

TEST_CASE("roster aliases: policy JSON declares a fact's columns, writes them back, and locates a conflict") {
  const std::string head = R"({"format": "entitle-policy/1", "id": "t", "facts": {)";
  const std::string rules =
      R"(}, "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "test",
                       "when": {"fact": "monthly_income", ">=": 0}}]})";
  const policy p =
      read_policy(head + R"("monthly_income": {"type": "money", "columns": ["penghasilan", "pendapatan"]})" + rules);
  CHECK(p.facts.at(0).columns == std::vector<std::string>{"penghasilan", "pendapatan"});
  CHECK(read_policy(boost::json::serialize(to_json(p))).facts == p.facts); // written back as read
  const auto bad = failure_of([&] {
    (void)read_policy(head +
                      R"("monthly_income": {"type": "money", "columns": ["penghasilan"]},
                         "wage": {"type": "money", "columns": ["penghasilan"]})" +
                      rules);
  });
  REQUIRE(bad);
  CHECK(bad->describe() == "/facts/wage: the fact \"wage\" has the column \"penghasilan\", which is a column of the "
                           "fact \"monthly_income\"; a roster column gives one fact");
  const auto not_text =
      failure_of([&] { (void)read_policy(head + R"("monthly_income": {"type": "money", "columns": [7]})" + rules); });
  REQUIRE(not_text);
  CHECK(not_text->describe() ==
        "/facts/monthly_income/columns/0: expected a roster column's name as a non-empty string, found the number 7");
}

TEST_CASE("roster aliases: a regional policy adds columns to a fact it extends") {
  policy_library library;
  library.add(R"({"format": "entitle-policy/1", "id": "base",
                  "facts": {"monthly_income": {"type": "money", "columns": ["penghasilan"]}},
                  "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "test",
                             "when": {"fact": "monthly_income", ">=": 0}}]})",
              "base.json");
  library.add(R"({"format": "entitle-policy/1", "id": "region", "extends": "base",
                  "facts": {"monthly_income": {"type": "money", "columns": ["pendapatan", "penghasilan"]}}})",
              "region.json");
  const compiled_policy region = library.compile("region");
  CHECK(region.facts().at(0).columns == std::vector<std::string>{"penghasilan", "pendapatan"});
}
