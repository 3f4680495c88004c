// Rosters in CSV and NDJSON: every expected line number, value and message below is worked out by
// hand from the input written next to it.
#include <entitle/io/roster.hpp>

#include "allocation_counter.hpp"
#include "every_type_facts.hpp"

#include <doctest/doctest.h>

#include <array>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace entitle;

namespace {

// The facts of the tests: every type, and one required fact.
const schema& roster_facts() {
  static const schema facts = entitle_test::every_type_facts(false);
  return facts;
}
constexpr std::size_t nik = 0, birth_date = 1, employment = 2, monthly_income = 3, extreme_poor = 4, children = 5;

// A roster read to its end, with the reader's counts.
struct read_roster {
  std::vector<roster_row> rows;
  std::size_t lines = 0, bytes = 0, blanks = 0;
  std::vector<std::string> ignored, absent;
};

read_roster read_all(const std::string& text, roster_format format, roster_options options = {}) {
  std::istringstream in(text);
  roster_reader reader(in, roster_facts(), format, options);
  read_roster out;
  roster_row row;
  while (reader.next(row))
    out.rows.push_back(row);
  out.lines = reader.lines_read();
  out.bytes = reader.bytes_read();
  out.blanks = reader.blank_lines();
  out.ignored = reader.ignored_columns();
  out.absent = reader.absent_facts();
  return out;
}

read_roster read_csv(const std::string& text, roster_options options = {}) {
  return read_all(text, roster_format::csv, std::move(options));
}
read_roster read_ndjson(const std::string& text) { return read_all(text, roster_format::ndjson); }

// The failure the constructor throws for a CSV header.
failure header_failure(const std::string& text) {
  std::istringstream in(text);
  try {
    roster_reader reader(in, roster_facts(), roster_format::csv);
  } catch (const error& e) {
    return e.details();
  }
  return {};
}

std::int64_t number(const roster_row& row, std::size_t slot) { return row.facts.facts()[slot].number; }
std::string_view string_fact(const roster_row& row, std::size_t slot) { return row.facts.facts()[slot].text; }
bool present(const roster_row& row, std::size_t slot) { return row.facts.facts()[slot].present; }
std::string problem(const roster_row& row) { return row.problem ? row.problem->describe() : "no problem"; }

// The failure the reader's next row throws, described; "no failure" when it throws none.
std::string next_failure(roster_reader& reader, roster_row& row) {
  try {
    (void)reader.next(row);
  } catch (const error& e) {
    return e.details().describe();
  }
  return "no failure";
}

// A byte-order mark, CRLF line ends, a comma, doubled quotes and a line end inside quoted fields,
// an ignored column, empty cells and an impossible date.
const std::string spreadsheet_export =
    "\xEF\xBB\xBF"
    "id,name,nik,birth_date,employment,monthly_income,extreme_poor,children\r\n"      // line 1
    "P1,\"Aminah, Siti\",3171012345678901,1980-05-01,informal,Rp1.500.000,true,2\r\n" // line 2
    "P2,\"Budi \"\"Bud\"\"\",,1975-12-31,asn,,false,\r\n"                             // line 3
    "P3,\"Jl. Mawar\r\nNo. 5\",\"16\"\"08\",1990-01-01,non_asn,2000000,,0\r\n"        // lines 4 and 5
    "P4,Ani,,2023-02-29,informal,,,\r\n";                                             // line 6

} // namespace

TEST_CASE("roster: cells are read by coerce_text, as coerce reads strings") {
  const schema& facts = roster_facts();
  for (const std::string_view cell :
       {"1980-05-01", "2023-02-29", "Rp1.500.000", "1.5", "informal", "pns", "true", "yes", "-42"}) {
    CAPTURE(cell);
    for (const field& f : facts.fields()) {
      const auto from_text = coerce_text(f, cell);
      const literal written = std::string(cell); // outlives the view a string fact takes of it
      const auto from_literal = coerce(f, written);
      REQUIRE(from_text.has_value() == from_literal.has_value());
      if (from_text) {
        CHECK(from_text->number == from_literal->number);
        CHECK(from_text->text == from_literal->text);
      } else {
        CHECK(from_text.error() == from_literal.error());
      }
    }
  }
  const std::string cell = "3171012345678901";
  CHECK(coerce_text(facts.at(nik), cell)->text.data() == cell.data()); // a view, not a copy
  record r(facts.size());
  REQUIRE_FALSE(r.try_set_text(nik, facts.at(nik), cell));
  CHECK(r.facts()[nik].text == cell);
  CHECK(r.facts()[nik].text.data() != cell.data()); // the record keeps its own copy
  CHECK(r.try_set_text(birth_date, facts.at(birth_date), "31-12-1975")->message ==
        "the date fact \"birth_date\": expected a date as YYYY-MM-DD, such as \"2024-01-31\", found \"31-12-1975\"");
  CHECK(r.try_set_text(9, facts.at(nik), "x")->code == errc::out_of_range);
}

TEST_CASE("roster: the format a file name says") {
  CHECK(roster_format_of("people.csv") == roster_format::csv);
  CHECK(roster_format_of("export/PEOPLE.CSV") == roster_format::csv);
  CHECK(roster_format_of("people.ndjson") == roster_format::ndjson);
  CHECK(roster_format_of("people.jsonl") == roster_format::ndjson);
  try {
    (void)roster_format_of("people.txt");
    FAIL("expected an error");
  } catch (const error& e) {
    CHECK(e.code() == errc::invalid_syntax);
    CHECK(e.details().describe() ==
          "people.txt: expected a roster file name ending in .csv, .ndjson or .jsonl, found \".txt\"");
  }
}

TEST_CASE("roster: a CSV spreadsheet export with a BOM, CRLF and quoted fields") {
  const auto roster = read_csv(spreadsheet_export);
  REQUIRE(roster.rows.size() == 4);
  const roster_row& p1 = roster.rows[0];
  CHECK(p1.line == 2);
  CHECK(p1.id == "P1");
  CHECK(problem(p1) == "no problem");
  CHECK(string_fact(p1, nik) == "3171012345678901");
  CHECK(number(p1, birth_date) == 1'013'921); // 1980 x 512 + 5 x 32 + 1
  CHECK(number(p1, employment) == 2);         // informal
  CHECK(number(p1, monthly_income) == 150'000'000);
  CHECK(number(p1, extreme_poor) == 1);
  CHECK(number(p1, children) == 2);
  CHECK(p1.text == "P1,\"Aminah, Siti\",3171012345678901,1980-05-01,informal,Rp1.500.000,true,2");

  const roster_row& p2 = roster.rows[1]; // empty cells are missing facts
  CHECK(p2.line == 3);
  CHECK(problem(p2) == "no problem");
  CHECK_FALSE(present(p2, nik));
  CHECK(number(p2, employment) == 0); // asn
  CHECK_FALSE(present(p2, monthly_income));
  CHECK(present(p2, extreme_poor));
  CHECK(number(p2, extreme_poor) == 0);
  CHECK_FALSE(present(p2, children));

  const roster_row& p3 = roster.rows[2]; // starts on line 4, its name spans lines 4 and 5
  CHECK(p3.line == 4);
  CHECK(problem(p3) == "no problem");
  CHECK(string_fact(p3, nik) == "16\"08");
  CHECK(number(p3, monthly_income) == 200'000'000);
  CHECK_FALSE(present(p3, extreme_poor));
  CHECK(number(p3, children) == 0);
  CHECK(p3.text == "P3,\"Jl. Mawar\r\nNo. 5\",\"16\"\"08\",1990-01-01,non_asn,2000000,,0");

  const roster_row& p4 = roster.rows[3];
  CHECK(p4.line == 6);
  CHECK(p4.id == "P4"); // a rejected row is still named
  REQUIRE(p4.problem);
  CHECK(p4.problem->code == errc::invalid_date);
  CHECK(problem(p4) ==
        "birth_date: the date fact \"birth_date\": \"2023-02-29\" is not a date: that month has 28 days");

  CHECK(roster.lines == 6);
  CHECK(roster.bytes == spreadsheet_export.size());
  CHECK(roster.blanks == 0);
  CHECK(roster.ignored == std::vector<std::string>{"name"});
  CHECK(roster.absent.empty());
}

TEST_CASE("roster: CSV rows split across reads of any size read the same") {
  const auto whole = read_csv(spreadsheet_export);
  for (std::size_t block = 1; block <= 19; ++block) {
    CAPTURE(block);
    roster_options options;
    options.block_bytes = block; // 1 to 3 are read as 4, so that the byte-order mark is seen whole
    const auto split = read_csv(spreadsheet_export, options);
    REQUIRE(split.rows.size() == whole.rows.size());
    for (std::size_t i = 0; i < whole.rows.size(); ++i) {
      CHECK(split.rows[i].line == whole.rows[i].line);
      CHECK(split.rows[i].id == whole.rows[i].id);
      CHECK(split.rows[i].text == whole.rows[i].text);
      CHECK(problem(split.rows[i]) == problem(whole.rows[i]));
      CHECK(std::equal(split.rows[i].facts.facts().begin(), split.rows[i].facts.facts().end(),
                       whole.rows[i].facts.facts().begin(), whole.rows[i].facts.facts().end(),
                       [](const fact_value& a, const fact_value& b) {
                         return a.present == b.present && a.number == b.number && a.text == b.text;
                       }));
    }
    CHECK(split.lines == whole.lines);
    CHECK(split.bytes == whole.bytes);
  }
}

TEST_CASE("roster: a long CSV roster crosses the default 256 KiB reads") {
  std::string text = "id,birth_date,monthly_income\n";
  const std::size_t people = 20'000; // about 640 KB
  for (std::size_t i = 0; i < people; ++i)
    text += "ID" + std::to_string(1'000'000 + i) + ",1990-01-01," + std::to_string(1'000 + i) + "000\n";
  const auto roster = read_csv(text);
  REQUIRE(roster.rows.size() == people);
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < people; ++i) {
    const roster_row& row = roster.rows[i];
    rejected += row.problem.has_value();
    CHECK(row.line == i + 2);
    CHECK(row.id == "ID" + std::to_string(1'000'000 + i));
    CHECK(number(row, monthly_income) == static_cast<std::int64_t>(1'000 + i) * 100'000);
  }
  CHECK(rejected == 0);
  CHECK(roster.lines == people + 1);
}

TEST_CASE("roster: CSV cell errors name the column and say what was expected") {
  const std::string text = "id,nik,birth_date,employment,monthly_income\n" // line 1
                           "P1,1,,asn,\n"                                  // line 2
                           "P2,1,1990-01-01,pns,\n"                        // line 3
                           "P3,1,1990-01-01,asn,99999999999999999999\n"    // line 4
                           "P4,1,1990-01-01\n"                             // line 5
                           ",1,1990-01-01,asn,\n"                          // line 6
                           "P7,1, 1990-01-01,asn,\n"                       // line 7: cells are not trimmed
                           "P8,1,1990-01-01,asn,1000\n";                   // line 8
  const auto roster = read_csv(text);
  REQUIRE(roster.rows.size() == 7);
  CHECK(roster.rows[0].line == 2);
  CHECK(problem(roster.rows[0]) ==
        "birth_date: expected a date such as \"2024-01-31\" for the required date fact \"birth_date\", found an "
        "empty field");
  CHECK(roster.rows[1].line == 3);
  CHECK(problem(roster.rows[1]) == "employment: \"pns\" is not a value of the enum fact \"employment\"; expected one "
                                   "of \"asn\", \"non_asn\", \"informal\"");
  CHECK(roster.rows[2].line == 4);
  REQUIRE(roster.rows[2].problem);
  CHECK(roster.rows[2].problem->code == errc::overflow);
  CHECK(problem(roster.rows[2]) ==
        "monthly_income: the money fact \"monthly_income\": \"99999999999999999999\" is too large; amounts go up to "
        "Rp92.233.720.368.547.758,07");
  CHECK(roster.rows[3].line == 5);
  CHECK(problem(roster.rows[3]) == "expected 5 fields, found 3");
  CHECK(roster.rows[3].problem->location.empty());
  CHECK(roster.rows[4].line == 6);
  CHECK(problem(roster.rows[4]) == "id: expected the person's id in the column \"id\", found an empty field");
  CHECK(roster.rows[5].line == 7);
  CHECK(problem(roster.rows[5]) == "birth_date: the date fact \"birth_date\": expected a date as YYYY-MM-DD, such as "
                                   "\"2024-01-31\", found \" 1990-01-01\"");
  CHECK(roster.rows[6].line == 8);
  CHECK(problem(roster.rows[6]) == "no problem");
  CHECK(number(roster.rows[6], monthly_income) == 100'000);
}

TEST_CASE("roster: CSV quoting errors spoil their row only") {
  const std::string text = "id,nik,birth_date\n"      // line 1
                           "P1,12\"3,1990-01-01\n"    // line 2: a quote inside an unquoted field
                           "P2,\"12\"3,1990-01-01\n"  // line 3: text after a closing quote
                           "P3,\"1\n2\",1990-01-01\n" // lines 4 and 5: a line end inside quotes
                           "P4,\"123,1990-01-01\n"    // line 6: a quote that never closes
                           "P5,5,1990-01-01\n";       // line 7: inside P4's quote
  const auto roster = read_csv(text);
  REQUIRE(roster.rows.size() == 4);
  CHECK(roster.rows[0].line == 2);
  CHECK(problem(roster.rows[0]) == "nik: expected a field with a quote in it to be quoted whole, with the quote "
                                   "doubled (\"12\"\"3\"), found 12\"3");
  CHECK(roster.rows[1].line == 3);
  CHECK(problem(roster.rows[1]) ==
        "nik: expected a comma or the end of the row after the closing quote of \"12\", found \"3\"");
  CHECK(roster.rows[2].line == 4);
  CHECK(problem(roster.rows[2]) == "no problem");
  CHECK(string_fact(roster.rows[2], nik) == "1\n2");
  CHECK(roster.rows[3].line == 6);
  CHECK(problem(roster.rows[3]) ==
        "nik: expected a closing quote for the field opened on line 6, found the end of the input");
  CHECK(roster.rows[3].text == "P4,\"123,1990-01-01\nP5,5,1990-01-01\n");
  CHECK(roster.lines == 7);
}

// An unterminated quote takes the rest of the input into its row; past max_row_bytes the reading
// stops there (issue 14: the rest may never end), naming the line the quote opened on.
TEST_CASE("roster: an unterminated quote longer than max_row_bytes names the line it opens on") {
  std::string text = "id,nik,birth_date,children\n" // line 1
                     "P1,1,1990-01-01,\n"           // line 2
                     "P2,\"1\n"                     // line 3: a quote opens in "nik"
                     "2\",1990-01-01,\"3\n";        // line 4: closes it; another opens in "children"
  for (int i = 0; i < 10; ++i)
    text += "P,1,1990-01-01,1\n"; // lines 5 to 14, 17 bytes each: line 7 passes 64 bytes
  roster_options options;
  options.max_row_bytes = 64;
  std::istringstream in(text);
  roster_reader reader(in, roster_facts(), roster_format::csv, options);
  roster_row row;
  REQUIRE(reader.next(row));
  CHECK(row.id == "P1");
  CHECK(next_failure(reader, row) == "line 3: expected at most 64 bytes in a row, found more inside the quoted "
                                     "field opened on line 4 (is its closing quote missing?)");
}

TEST_CASE("roster: CSV header errors are thrown at line 1") {
  CHECK(header_failure("").describe() == "line 1: expected a header row naming the columns, found an empty input");
  CHECK(header_failure("\nid\n").describe() == "line 1: expected a header row naming the columns, found an empty line");
  CHECK(header_failure("nik,birth_date\n1,1990-01-01\n").describe() ==
        "line 1: expected a column named \"id\" for the person's id, found the columns \"nik\", \"birth_date\"");
  CHECK(header_failure("id,nik,birth_date,nik\n").describe() ==
        "line 1: expected each column once, found \"nik\" twice");
  CHECK(header_failure("\xEF\xBB\xBFid,\"nik\nbirth_date\n").describe() ==
        "line 1: expected a closing quote for the field opened on line 1, found the end of the input");
  CHECK(header_failure("id,nik,birth_date,,\n").code == errc{}); // unnamed columns are not duplicates
}

TEST_CASE("roster: a CSV header without rows, and what the header leaves out") {
  const auto empty = read_csv("id,birth_date");
  CHECK(empty.rows.empty());
  CHECK(empty.lines == 1);

  const auto roster = read_csv("extra,birth_date,id,nik,\nx,1990-01-01,P1,1,\n");
  CHECK(roster.ignored == std::vector<std::string>{"extra", ""});
  CHECK(roster.absent == std::vector<std::string>{"employment", "monthly_income", "extreme_poor", "children"});
  REQUIRE(roster.rows.size() == 1);
  CHECK(problem(roster.rows[0]) == "no problem");
  CHECK(roster.rows[0].id == "P1");
  CHECK_FALSE(present(roster.rows[0], children));

  // A required fact no column provides rejects every row.
  const auto no_birth_date = read_csv("id,nik\nP1,1\n");
  CHECK(no_birth_date.absent.front() == "birth_date");
  REQUIRE(no_birth_date.rows.size() == 1);
  CHECK(no_birth_date.rows[0].id == "P1");
  CHECK(problem(no_birth_date.rows[0]) == "birth_date: expected a date such as \"2024-01-31\" for the required date "
                                          "fact \"birth_date\", found no column for it");
}

TEST_CASE("roster: blank lines are skipped and counted") {
  const auto roster = read_csv("id,birth_date\n"   // line 1
                               "\n"                // line 2
                               "P1,1990-01-01\r\n" // line 3
                               "\r\n"              // line 4
                               "P2,1990-01-01\n"   // line 5
                               "\n");              // line 6
  REQUIRE(roster.rows.size() == 2);
  CHECK(roster.rows[0].line == 3);
  CHECK(roster.rows[1].line == 5);
  CHECK(roster.blanks == 3);
  CHECK(roster.lines == 6);
}

// Issue 14: a row past the limit stops the reading at its line, as the header does, the rest of it
// unread: on a pipe it may never end (tests/io/roster_columns_test.cpp, row_source_test.cpp).
TEST_CASE("roster: a row longer than max_row_bytes stops the reading at its line") {
  const std::string long_nik(100, '7');
  const std::string row_3 = "P2," + long_nik + ",1990-01-01\n";               // 114 bytes
  const std::string quoted_row_3 = "P3,\"3\n" + long_nik + "\",1990-01-01\n"; // lines 3 and 4: 118 bytes
  for (const std::string& long_row : {row_3, quoted_row_3}) {
    CAPTURE(long_row);
    const std::string text = "id,nik,birth_date\n" // line 1
                             "P1,1,1990-01-01\n" + // line 2
                             long_row +
                             "P9,9,1990-01-01\n";
    roster_options options;
    options.max_row_bytes = 64;
    options.block_bytes = 16;
    std::istringstream in(text);
    roster_reader reader(in, roster_facts(), roster_format::csv, options);
    roster_row row;
    REQUIRE(reader.next(row));
    CHECK(problem(row) == "no problem");
    CHECK(next_failure(reader, row) ==
          (long_row == row_3 ? "line 3: expected at most 64 bytes in a row, found more"
                             : "line 3: expected at most 64 bytes in a row, found more inside the quoted field "
                               "opened on line 3 (is its closing quote missing?)"));
    CHECK(reader.bytes_read() <= 18 + 16 + 65 + 16); // the header, P1, the limit and a byte, a block more
  }

  // A NUL byte past the limit is never reached, whatever the reads: the row is too long.
  for (const std::size_t block : {16u, 4096u}) {
    CAPTURE(block);
    roster_options options;
    options.max_row_bytes = 64;
    options.block_bytes = block;
    std::istringstream in("id,nik\nP2," + std::string(80, '7') + std::string(1, '\0') + "\n");
    roster_reader reader(in, roster_facts(), roster_format::csv, options);
    roster_row row;
    CHECK(next_failure(reader, row) == "line 2: expected at most 64 bytes in a row, found more");
  }

  // Exactly max_row_bytes is not too long, with a CRLF line end too, even when the CR ends a block
  // and its LF starts the next (blocks of 18 bytes: the header and its CR are the first).
  roster_options options;
  options.max_row_bytes = 17;
  for (const std::size_t block : {16u, 18u}) {
    CAPTURE(block);
    options.block_bytes = block;
    const auto exact = read_csv("id,nik,birth_date\r\nP1,1,1990-01-01\r\n", options); // a header of 17 bytes
    REQUIRE(exact.rows.size() == 1);
    CHECK(problem(exact.rows[0]) == "no problem");
    CHECK(exact.rows[0].line == 2);
    CHECK(exact.blanks == 0);
    CHECK(exact.lines == 2);
  }
}

TEST_CASE("roster: NDJSON rows read as records do, with errors at the key") {
  const std::string text =
      "{\"id\":\"P1\",\"nik\":\"3171012345678901\",\"birth_date\":\"1980-05-01\",\"employment\":\"informal\","
      "\"monthly_income\":1500000,\"extreme_poor\":true,\"children\":2,\"name\":\"Siti\"}\n" // line 1
      "\n"                                                                                   // line 2: blank
      "{\"id\":42,\"birth_date\":\"1975-12-31\",\"nik\":null}\r\n"                           // line 3
      "{\"id\":\"P4\",\"birth_date\":1990-01-01}\n"                                          // line 4
      "[1,2]\n"                                                                              // line 5
      "{\"id\":\"P6\",\"birth_date\":\"1990-01-01\",\"children\":\"two\"}\n"                 // line 6
      "{\"id\":\"P7\",\"birth_date\":\"1990-01-01\",\"monthly_income\":1.5}\n"               // line 7
      "{\"id\":\"P8\",\"birth_date\":null}\n"                                                // line 8
      "{\"birth_date\":\"1990-01-01\"}\n"                                                    // line 9
      "{\"id\":\"P10\",\"birth_date\":\"1990-01-01\",\"extreme_poor\":\"yes\"}\n"            // line 10
      "{\"id\":\"P11\",\"birth_date\":\"1990-01-01\",\"nik\":3171012345678901}\n"            // line 11
      "{\"id\":\"P12\",\"birth_date\":\"1990-01-01\",\"children\":18446744073709551615}\n"   // line 12
      "{\"id\":\"P13\",\"name\":\"Budi \xFF\"}\n"                                            // line 13
      "{\"id\":\"P14\",\"name\":\xC3\xA9}";                                                  // line 14
  const auto roster = read_ndjson(text);
  REQUIRE(roster.rows.size() == 13);
  const roster_row& p1 = roster.rows[0];
  CHECK(p1.line == 1);
  CHECK(p1.id == "P1");
  CHECK(problem(p1) == "no problem");
  CHECK(string_fact(p1, nik) == "3171012345678901");
  CHECK(number(p1, birth_date) == 1'013'921);
  CHECK(number(p1, employment) == 2);
  CHECK(number(p1, monthly_income) == 150'000'000); // whole rupiah
  CHECK(number(p1, extreme_poor) == 1);
  CHECK(number(p1, children) == 2);

  const roster_row& p2 = roster.rows[1];
  CHECK(p2.line == 3);
  CHECK(p2.id == "42"); // an integer id, as its digits
  CHECK(problem(p2) == "no problem");
  CHECK_FALSE(present(p2, nik));        // null
  CHECK_FALSE(present(p2, employment)); // absent
  CHECK(p2.text == "{\"id\":42,\"birth_date\":\"1975-12-31\",\"nik\":null}");

  auto expect = [&](std::size_t i, std::size_t line, const std::string& message) {
    CAPTURE(i);
    CHECK(roster.rows[i].line == line);
    CHECK(problem(roster.rows[i]) == message);
  };
  // {"id":"P4","birth_date": is 24 bytes; the number 1990 ends at column 28, the '-' is column 29.
  expect(2, 4, "expected a JSON object on one line, found text that is not JSON at column 29 (syntax error)");
  expect(3, 5, "expected a JSON object of fact name to value, found an array");
  expect(4, 6, "children: the integer fact \"children\": expected a whole number, found \"two\"");
  expect(5, 7,
         "monthly_income: expected an amount such as 1000000 or \"Rp1.000.000\" for the money fact "
         "\"monthly_income\", found 1.5");
  expect(6, 8,
         "birth_date: expected a date such as \"2024-01-31\" for the required date fact \"birth_date\", found null");
  expect(7, 9,
         "id: expected the person's id (a non-empty string or a whole number) under the key \"id\", found no such key");
  expect(8, 10, "extreme_poor: expected true or false for the bool fact \"extreme_poor\", found \"yes\"");
  expect(9, 11, "nik: expected a string for the string fact \"nik\", found 3171012345678901");
  expect(10, 12, "children: the integer fact \"children\": the number 18446744073709551615 does not fit in 64 bits");
  CHECK(roster.rows[10].problem->code == errc::overflow);
  // A byte that does not start a UTF-8 sequence is named; a valid character out of place is bad syntax.
  expect(11, 13,
         "expected a JSON object on one line, found a byte that is not UTF-8 (0xFF) at column 26; save the file as "
         "UTF-8");
  expect(12, 14, "expected a JSON object on one line, found text that is not JSON at column 20 (syntax error)");
  CHECK(roster.blanks == 1);
  CHECK(roster.lines == 14);
  CHECK(roster.bytes == text.size());
  CHECK(roster.ignored.empty());
  CHECK(roster.absent.empty());
}

TEST_CASE("roster: NDJSON required keys, nesting and a byte-order mark") {
  const std::string deep =
      "{\"id\":\"P2\",\"birth_date\":\"1990-01-01\",\"x\":" + std::string(200, '[') + std::string(200, ']') + "}";
  const auto roster = read_ndjson("\xEF\xBB\xBF{\"id\":\"P1\",\"employment\":\"asn\"}\n" + deep + "\n");
  REQUIRE(roster.rows.size() == 2);
  CHECK(problem(roster.rows[0]) == "birth_date: expected a date such as \"2024-01-31\" for the required date fact "
                                   "\"birth_date\", found no key \"birth_date\"");
  CHECK(roster.rows[0].id == "P1");
  REQUIRE(roster.rows[1].problem);
  CHECK(roster.rows[1].problem->code == errc::out_of_range);
  CHECK(problem(roster.rows[1]) == "expected JSON nested at most 100 levels deep, found deeper nesting");
}

TEST_CASE("roster: reading allocates nothing per row once warmed up") {
  std::string csv = "id,nik,birth_date,employment,monthly_income,extreme_poor,children,name\n";
  std::string ndjson;
  for (int i = 0; i < 2'000; ++i) {
    const std::string id = std::to_string(100'000 + i);
    csv += id + ",31710123456" + id + ",1980-05-01,informal,Rp1.500.000,true,2,\"Aminah, Siti\"\n";
    ndjson += "{\"id\":\"" + id + "\",\"nik\":\"31710123456" + id +
              "\",\"birth_date\":\"1980-05-01\",\"employment\":\"informal\",\"monthly_income\":1500000}\n";
  }
  for (const auto& [text, format] : {std::pair{csv, roster_format::csv}, std::pair{ndjson, roster_format::ndjson}}) {
    CAPTURE(format);
    std::istringstream in(text);
    roster_reader reader(in, roster_facts(), format);
    roster_row row;
    for (int i = 0; i < 10; ++i)
      REQUIRE(reader.next(row));
    std::size_t rows = 0, rejected = 0;
    const std::size_t before = allocation_counter::count();
    while (reader.next(row)) {
      ++rows;
      rejected += row.problem.has_value();
    }
    CHECK(allocation_counter::count() - before == 0);
    CHECK(rows == 1'990);
    CHECK(rejected == 0);
  }
}

TEST_CASE("roster: rows read in order by next_text and parsed later, on two scratches, are the rows next reads") {
  // The spreadsheet export above (a quoted line end, doubled quotes, an impossible date in P4),
  // and NDJSON with a row that is not JSON and one with a wrong type.
  const std::string ndjson = "{\"id\": \"N1\", \"nik\": \"3171012345678901\", \"children\": 2}\n"
                             "{\"id\": \"N2\", \"children\": \n"
                             "\n"
                             "{\"id\": \"N3\", \"monthly_income\": true}\n";
  for (const auto& [text, format] :
       {std::pair{spreadsheet_export, roster_format::csv}, std::pair{ndjson, roster_format::ndjson}}) {
    const read_roster whole = read_all(text, format);
    std::istringstream in(text);
    roster_reader reader(in, roster_facts(), format);
    std::vector<roster_row> rows;
    roster_row row;
    while (reader.next_text(row)) { // every row's text first, as a batch's reading thread does
      CHECK_FALSE(row.problem);
      CHECK(row.id.empty());
      rows.push_back(row);
    }
    CHECK(reader.blank_lines() == whole.blanks);
    REQUIRE(rows.size() == whole.rows.size());
    std::array<roster_scratch, 2> scratch;
    for (std::size_t i = rows.size(); i-- > 0;) // in reverse, alternating scratches: no order needed
      reader.parse(rows[i], scratch[i % 2]);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      CAPTURE(i);
      const roster_row& got = rows[i];
      const roster_row& want = whole.rows[i];
      CHECK(got.line == want.line);
      CHECK(got.id == want.id);
      CHECK(got.text == want.text);
      CHECK(problem(got) == problem(want));
      if (want.problem) continue;
      for (std::size_t slot = 0; slot < roster_facts().size(); ++slot) {
        CAPTURE(slot);
        CHECK(present(got, slot) == present(want, slot));
        CHECK(number(got, slot) == number(want, slot));
        CHECK(string_fact(got, slot) == string_fact(want, slot));
      }
    }
    CHECK(whole.rows.size() == (format == roster_format::csv ? 4U : 3U));
    CHECK(problem(whole.rows.back()) != "no problem"); // P4's 29 February 2023; N3's income
  }
}
