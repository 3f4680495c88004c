// The malformed-input corpus (tests/data/malformed/README.md): every input file, read the way its
// kind says, must fail with exactly the code, location and message its manifest entry gives, each
// of which was checked by hand against the input.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/roster.hpp>

#include "failure_of.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace entitle;
namespace json = boost::json;

namespace {

const std::filesystem::path corpus = std::filesystem::path(ENTITLE_TEST_DATA) / "malformed";

// The files of the directory that are not cases.
const std::set<std::string> not_cases = {"cases.json", "README.md", "roster-policy.json"};

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string_view code_name(errc code) {
  switch (code) {
  case errc::invalid_syntax: return "invalid_syntax";
  case errc::invalid_date: return "invalid_date";
  case errc::out_of_range: return "out_of_range";
  case errc::overflow: return "overflow";
  case errc::not_in_force: return "not_in_force";
  case errc::unordered_dates: return "unordered_dates";
  case errc::duplicate_date: return "duplicate_date";
  case errc::empty_history: return "empty_history";
  }
  return "none";
}

std::string text_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The facts rosters and records are read against.
const compiled_policy& roster_policy() {
  static const compiled_policy p(read_policy(file_text(corpus / "roster-policy.json")));
  return p;
}

using test::failure_of;

template <class T>
std::optional<failure> failure_of(const result<T>& r) {
  if (r) return std::nullopt;
  return r.error();
}

// A thrown or returned failure against {"code", "location", "message"}.
void check_failure(const std::optional<failure>& actual, const json::object& expect) {
  if (!actual) {
    FAIL_CHECK("expected an error, but the input was accepted");
    return;
  }
  CHECK(code_name(actual->code) == text_at(expect, "code"));
  CHECK(actual->location == text_at(expect, "location"));
  // "{policies}" stands for the policies directory, whose path depends on the checkout.
  std::string message(text_at(expect, "message"));
  if (const auto at = message.find("{policies}"); at != std::string::npos)
    message.replace(at, std::string_view("{policies}").size(), ENTITLE_POLICIES_DIR);
  CHECK(actual->message == message);
}

// One rejected row as seen, in the manifest's terms.
struct rejection {
  std::uint64_t line = 0;
  std::string id, column, message;
  std::optional<errc> code; // a batch's rejected rows carry no code
};

// Rejected rows against the manifest's list: the same rows in the same order, each with its line,
// column and message, and its code and id where the manifest gives them.
void check_rejections(const std::vector<rejection>& actual, const json::array& expect) {
  CHECK(actual.size() == expect.size());
  for (std::size_t i = 0; i < actual.size() && i < expect.size(); ++i) {
    CAPTURE(i);
    const json::object& e = expect[i].as_object();
    CHECK(actual[i].line == e.at("line").to_number<std::uint64_t>());
    CHECK(actual[i].column == text_at(e, "column"));
    CHECK(actual[i].message == text_at(e, "message"));
    if (e.contains("code")) CHECK((actual[i].code ? code_name(*actual[i].code) : "none") == text_at(e, "code"));
    if (e.contains("id")) CHECK(actual[i].id == text_at(e, "id"));
  }
}

// Values are one line; an editor's final line end is not part of the value.
std::string value_text(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Read and then compiled, and compiled from the reading's binding (bound once): the same failure.
void check_policy(const std::string& text, const json::object& expect) {
  check_failure(failure_of([&] { const compiled_policy p(read_policy(text)); }), expect);
  check_failure(failure_of([&] { (void)compile_policy(text); }), expect);
}

// Added to a library holding the shipped policies under the case's file name, then got and bound,
// and, in a second library, compiled from the library's binding (bound once): the same failure.
void check_policy_bundle(const std::string& file, const std::string& text, const json::object& c) {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const json::object& expect = c.at("expect").as_object();
  if (!c.contains("contributions")) {
    check_failure(failure_of([&] { const compiled_policy p(library.get(library.add(text, file))); }), expect);
    policy_library again;
    again.add_directory(ENTITLE_POLICIES_DIR);
    check_failure(failure_of([&] { (void)again.compile(again.add(text, file)); }), expect);
    return;
  }
  // Not an error: one person's statement, and the note on the line the case names.
  const compiled_policy p(library.get(library.add(text, file)));
  const json::object& asked = c.at("contributions").as_object();
  const contribution_statement s = p.contributions(read_record(p.facts(), json::serialize(asked.at("record"))),
                                                   month_range::parse(text_at(asked, "months")));
  const payment_line* found = nullptr;
  for (const auto& item : s.items)
    if (to_string(item.when) == text_at(expect, "month") && item.program == text_at(expect, "program"))
      for (const auto& l : item.lines)
        if (l.payer == text_at(expect, "payer")) found = &l;
  if (found == nullptr) {
    FAIL_CHECK("no line for the payer in that month and program");
    return;
  }
  CHECK(to_rupiah_string(found->amount) == text_at(expect, "amount"));
  CHECK(found->note == text_at(expect, "note"));
}

void check_roster(const std::string& text, roster_format format, const json::object& c) {
  const json::value& expect = c.at("expect");
  std::istringstream in(text);
  std::optional<roster_reader> reader;
  const auto header = failure_of([&] { reader.emplace(in, roster_policy().facts(), format); });
  if (expect.is_object()) {
    check_failure(header, expect.as_object());
    return;
  }
  if (header) {
    FAIL_CHECK("the header was refused: " << header->describe());
    return;
  }
  std::vector<rejection> rejected;
  std::uint64_t rows = 0;
  roster_row row;
  while (reader->next(row)) {
    ++rows;
    if (row.problem)
      rejected.push_back({row.line, row.id, row.problem->location, row.problem->message, row.problem->code});
  }
  CHECK(rows == c.at("rows").to_number<std::uint64_t>());
  check_rejections(rejected, expect.as_array());
}

void check_batch(const std::string& text, const json::object& c) {
  const json::value& expect = c.at("expect");
  const batch b(roster_policy(), {.rules = {},
                                  .as_of = date(2024, 1, 1),
                                  .period = month_range(month(2024, 1), month(2024, 1)),
                                  .threads = 1,
                                  .strict = false});
  std::vector<rejection> rejected;
  batch_summary summary;
  const auto thrown = failure_of([&] {
    roster_text roster(text, roster_policy().facts(), roster_format::csv);
    summary = b.run(
        roster, [](const batch_row&) {},
        [&](const rejected_row& r) {
          rejected.push_back({r.line, r.id, r.column, r.reason, std::nullopt});
        });
  });
  if (expect.is_object()) {
    check_failure(thrown, expect.as_object());
    return;
  }
  if (thrown) {
    FAIL_CHECK("the batch failed: " << thrown->describe());
    return;
  }
  CHECK(summary.rows_read == c.at("rows").to_number<std::uint64_t>());
  check_rejections(rejected, expect.as_array());
}

void check_value(std::string_view kind, const std::string& text, const json::object& c) {
  const json::object& expect = c.at("expect").as_object();
  if (kind == "money") {
    check_failure(failure_of(money::try_parse(text)), expect);
  } else if (kind == "rate") {
    const json::value* share = c.if_contains("share");
    const bool as_share = share && share->as_bool();
    check_failure(failure_of(as_share ? rate::try_parse_share(text) : rate::try_parse(text)), expect);
  } else if (kind == "date") {
    check_failure(failure_of(date::try_parse(text)), expect);
  } else if (kind == "month") {
    check_failure(failure_of(month::try_parse(text)), expect);
  } else {
    check_failure(failure_of(month_range::try_parse(text)), expect);
  }
}

void check_case(const json::object& c) {
  const std::string file = text_at(c, "file");
  const std::string kind = text_at(c, "kind");
  const std::string text = file_text(corpus / file);
  if (kind == "policy") {
    check_policy(text, c.at("expect").as_object());
  } else if (kind == "policy_bundle") {
    check_policy_bundle(file, text, c);
  } else if (kind == "record") {
    check_failure(failure_of([&] { (void)read_record(roster_policy().facts(), text); }), c.at("expect").as_object());
  } else if (kind == "roster_csv") {
    check_roster(text, roster_format::csv, c);
  } else if (kind == "roster_ndjson") {
    check_roster(text, roster_format::ndjson, c);
  } else if (kind == "batch_csv") {
    check_batch(text, c);
  } else if (kind == "money" || kind == "rate" || kind == "date" || kind == "month" || kind == "month_range") {
    check_value(kind, value_text(text), c);
  } else {
    FAIL_CHECK("unknown kind " << kind);
  }
}

json::object manifest() { return json::parse(file_text(corpus / "cases.json")).as_object(); }

} // namespace

TEST_CASE("malformed corpus: the manifest lists every file once, with a kind, an expectation and why") {
  const json::object m = manifest();
  const json::array& cases = m.at("cases").as_array();
  CHECK(cases.size() >= 60);
  std::set<std::string> listed;
  const auto check_entry = [&](const json::object& c, std::initializer_list<std::string_view> keys) {
    const std::string file = text_at(c, "file");
    CAPTURE(file);
    CHECK(listed.insert(file).second);
    CHECK(std::filesystem::is_regular_file(corpus / file));
    CHECK(!text_at(c, "kind").empty());
    CHECK(!text_at(c, "why").empty());
    for (const auto key : keys)
      CHECK_MESSAGE(c.contains(key), key);
  };
  for (const auto& c : cases)
    check_entry(c.as_object(), {"expect"});
  // Inputs whose message is not yet right: what it says and what it should say; not checked.
  for (const auto& c : m.at("pending").as_array())
    check_entry(c.as_object(), {"found", "wanted"});
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    const std::string name = entry.path().filename().string();
    CAPTURE(name);
    CHECK((not_cases.contains(name) || listed.contains(name)));
  }
}

TEST_CASE("malformed corpus: every case fails with its exact code, location and message") {
  const json::object m = manifest();
  for (const auto& v : m.at("cases").as_array()) {
    const json::object& c = v.as_object();
    const std::string file = text_at(c, "file");
    SUBCASE(file.c_str()) {
      CAPTURE(file);
      try {
        check_case(c);
      } catch (const std::exception& e) {
        FAIL_CHECK("unexpected exception: " << e.what());
      }
    }
  }
}
