// Roster headers as spreadsheets leave them: columns matched to the facts the rules read, the
// closest column named when one is missing, separators, and limits that hold on endless input.
// Every expected message is worked out by hand from the input written next to it.
#include <entitle/io/roster.hpp>

#include "every_type_facts.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <istream>
#include <limits>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

using namespace entitle;

namespace {

const schema& facts() {
  static const schema s = entitle_test::every_type_facts(false);
  return s;
}

// The failure the constructor throws for a CSV header read with `options`.
std::string header_failure(const std::string& text, roster_options options) {
  std::istringstream in(text);
  try {
    roster_reader reader(in, facts(), roster_format::csv, std::move(options));
  } catch (const error& e) {
    return e.details().describe();
  }
  return "no failure";
}

roster_options needing(std::vector<std::string> names) {
  roster_options options;
  options.needed_facts = std::move(names);
  return options;
}

// An endless stream of one byte and no line end, as /dev/zero (NUL) or `yes | tr -d '\n'` give,
// after `first` (a header, say). With `most`, it ends after that many bytes, so that a reader
// that reads on to the end fails a test instead of hanging it.
class endless : public std::streambuf {
public:
  explicit endless(char byte, std::string first = {}, std::size_t most = std::numeric_limits<std::size_t>::max())
      : first_(std::move(first)), block_(4096, byte), left_(most) {}
  std::size_t served = 0; // bytes handed out after `first`

protected:
  int_type underflow() override {
    if (!first_served_ && !first_.empty()) {
      first_served_ = true;
      setg(first_.data(), first_.data(), first_.data() + first_.size());
      return traits_type::to_int_type(first_[0]);
    }
    if (left_ == 0) return traits_type::eof();
    const std::size_t n = std::min(left_, block_.size());
    left_ -= n;
    served += n;
    setg(block_.data(), block_.data(), block_.data() + n);
    return traits_type::to_int_type(block_[0]);
  }

private:
  std::string first_;
  bool first_served_ = false;
  std::string block_;
  std::size_t left_;
};

// The failure `f` throws, described; "no failure" when it throws none.
template <class F>
std::string failure_of(F f) {
  try {
    f();
  } catch (const error& e) {
    return e.details().describe();
  }
  return "no failure";
}

} // namespace

TEST_CASE("roster columns: a needed fact without a column is refused, naming the closest column") {
  const std::string header = "id,NIK, birth_date,employment\n";
  CHECK(header_failure(header, needing({"nik", "birth_date"})) ==
        "line 1: expected a column for each fact the rules read, found none for \"nik\" (there is \"NIK\": names must "
        "match exactly, letter case and spaces included), \"birth_date\" (there is \" birth_date\": names must match "
        "exactly, letter case and spaces included); the columns are \"id\", \"NIK\", \" birth_date\", \"employment\"");
  CHECK(header_failure("id,employment\n", needing({"children"})) ==
        "line 1: expected a column for each fact the rules read, found none for \"children\"; the columns are \"id\", "
        "\"employment\"");
  // A stray CR inside a quoted name is shown, not printed raw.
  CHECK(header_failure("id,\"nik\r\"\n", needing({"nik"})) ==
        "line 1: expected a column for each fact the rules read, found none for \"nik\" (there is \"nik\\r\": names "
        "must match exactly, letter case and spaces included); the columns are \"id\", \"nik\\r\"");
  // Facts nobody needs may be absent, as before.
  CHECK(header_failure(header, needing({"employment"})) == "no failure");
  CHECK(header_failure(header, {}) == "no failure");
}

TEST_CASE("roster columns: the id column, when missing, names the closest column too") {
  CHECK(header_failure("ID,nik\n", {}) == "line 1: expected a column named \"id\" for the person's id, found the "
                                          "columns \"ID\", \"nik\"; \"ID\" differs in letter case or spaces: names "
                                          "must match exactly");
  CHECK(header_failure(" id ,nik\n", {}) == "line 1: expected a column named \"id\" for the person's id, found the "
                                            "columns \" id \", \"nik\"; \" id \" differs in letter case or spaces: "
                                            "names must match exactly");
}

TEST_CASE("roster columns: 200,000 columns are matched, each once") {
  std::string header = "id";
  std::string row = "P1";
  for (int i = 0; i < 200'000; ++i) {
    header += ",c" + std::to_string(i);
    row += ",x";
  }
  header += ",nik,birth_date\n";
  row += ",1608011234567890,1990-01-01\n";
  roster_options wide; // the header is some 1.3 MB, past the default 1 MiB
  wide.max_row_bytes = 4 << 20;
  std::istringstream in(header + row);
  roster_reader reader(in, facts(), roster_format::csv, wide);
  CHECK(reader.ignored_columns().size() == 200'000);
  CHECK(reader.ignored_columns().back() == "c199999");
  CHECK(reader.absent_facts() == std::vector<std::string>{"employment", "monthly_income", "extreme_poor", "children"});
  roster_row r;
  REQUIRE(reader.next(r));
  CHECK(!r.problem);
  CHECK(r.facts.facts()[0].text == "1608011234567890");
  // A name repeated far apart is still found.
  CHECK(header_failure("id,c0" + header.substr(2), wide) == "line 1: expected each column once, found \"c0\" twice");
}

TEST_CASE("roster columns: semicolon and tab separators, and the hint when the header says so") {
  roster_options semicolon;
  semicolon.separator = ';';
  std::istringstream in("id;nik;birth_date\nP1;\"16;08\";1990-01-01\n");
  roster_reader reader(in, facts(), roster_format::csv, semicolon);
  roster_row row;
  REQUIRE(reader.next(row));
  CHECK(!row.problem);
  CHECK(row.facts.facts()[0].text == "16;08");

  roster_options tab;
  tab.separator = '\t';
  std::istringstream tabs("id\tbirth_date\nP1\t1990-01-01\n");
  roster_reader tab_reader(tabs, facts(), roster_format::csv, tab);
  REQUIRE(tab_reader.next(row));
  CHECK(!row.problem);

  CHECK(header_failure("id\tnik\n", {}) == "line 1: expected a column named \"id\" for the person's id, found the "
                                           "columns \"id\\tnik\"; the header has no comma but tabs: the file is "
                                           "separated by tabs, so read it with the separator tab");
  roster_options pipe;
  pipe.separator = '|';
  CHECK(header_failure("id|nik\n", pipe) == "expected a comma, a semicolon or a tab as the separator, found \"|\"");
}

TEST_CASE("roster columns: the header limit holds on an endless stream") {
  roster_options small;
  small.max_row_bytes = 1000;
  endless letters('a');
  std::istream in(&letters);
  try {
    roster_reader reader(in, facts(), roster_format::csv, small);
    FAIL("an endless header was accepted");
  } catch (const error& e) {
    CHECK(e.details().describe() == "line 1: expected at most 1000 bytes in the header row, found more");
  }
  CHECK(letters.served < 300'000); // the first read of 256 KiB, and no more

  endless zeros('\0');
  std::istream zero_in(&zeros);
  try {
    roster_reader reader(zero_in, facts(), roster_format::ndjson);
    roster_row row;
    (void)reader.next(row);
    FAIL("NUL bytes were read as a row");
  } catch (const error& e) {
    CHECK(e.details().describe() == "line 1: found a NUL byte (0x00) at column 1: a roster is text, and this one is "
                                    "not (a binary file, or UTF-16); save it as UTF-8");
  }
}

// Issue 14: every limit holds on any stream. A valid header, then a line that never ends, as
// `(printf 'id,nik\n'; tr '\0' a < /dev/zero)` gives, stops at the row limit as an endless header
// stops at the header limit (docs/reliability.md, "Limits"): an error at the row's line naming the
// limit, after the first read of 256 KiB and no more. The stream ends after 4 MiB, so that a reader
// that reads on to the end of the line fails here.
TEST_CASE("roster columns: the row limit holds on an endless line after the header") {
  roster_options small;
  small.max_row_bytes = 1000;
  constexpr std::size_t most = 4 << 20;
  SUBCASE("CSV") {
    endless letters('a', "id,nik\n", most);
    std::istream in(&letters);
    roster_reader reader(in, facts(), roster_format::csv, small);
    roster_row row;
    CHECK(failure_of([&] { (void)reader.next(row); }) == "line 2: expected at most 1000 bytes in a row, found more");
    CHECK(letters.served < 300'000);
  }
  SUBCASE("CSV, inside a quoted field") {
    endless letters('a', "id,nik,name\nP1,1,x\nP2,\"1\n2\",\"", most); // a quote opens on line 4, never closed
    std::istream in(&letters);
    roster_reader reader(in, facts(), roster_format::csv, small);
    roster_row row;
    REQUIRE(reader.next(row));
    CHECK(row.id == "P1");
    CHECK(failure_of([&] { (void)reader.next(row); }) ==
          "line 3: expected at most 1000 bytes in a row, found more inside the quoted field opened on line 4 (is "
          "its closing quote missing?)");
    CHECK(letters.served < 300'000);
  }
  SUBCASE("NDJSON") {
    endless letters('a', "{\"id\": \"P1\"}\n", most);
    std::istream in(&letters);
    roster_reader reader(in, facts(), roster_format::ndjson, small);
    roster_row row;
    REQUIRE(reader.next(row));
    CHECK(row.id == "P1");
    CHECK(failure_of([&] { (void)reader.next(row); }) == "line 2: expected at most 1000 bytes in a row, found more");
    CHECK(letters.served < 300'000);
  }
}
