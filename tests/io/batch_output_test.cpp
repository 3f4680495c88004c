// The batch's writers keep their output valid whatever bytes the roster held.
#include <entitle/io/batch.hpp>

#include <entitle/entitle.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace entitle;
using namespace entitle::literals;

namespace {

// The first record of `text` read strictly as RFC 4180 says (section 2): fields separated by
// commas, ending at a line end outside quotes; a field holding a comma, a quote or a line end is
// quoted whole, with "" for a quote, and nothing but a comma or the line end follows its closing
// quote. Nothing when the text breaks those rules. `rest` is what follows the record.
std::optional<std::vector<std::string>> rfc4180_record(std::string_view text, std::string_view& rest) {
  std::vector<std::string> fields(1);
  std::size_t at = 0;
  for (;;) {
    std::string& field = fields.back();
    if (at < text.size() && text[at] == '"') {
      for (++at;; ++at) {
        if (at == text.size()) return std::nullopt; // never closed
        if (text[at] != '"') {
          field += text[at];
        } else if (at + 1 < text.size() && text[at + 1] == '"') {
          field += '"';
          ++at;
        } else {
          break;
        }
      }
      ++at; // the closing quote
      if (at == text.size() || (text[at] != ',' && text[at] != '\n')) return std::nullopt;
    } else {
      while (at < text.size() && text[at] != ',' && text[at] != '\n') {
        if (text[at] == '"' || text[at] == '\r') return std::nullopt; // would have had to be quoted
        field += text[at++];
      }
      if (at == text.size()) return std::nullopt; // the writers end every record with a line end
    }
    if (text[at] == '\n') {
      rest = text.substr(at + 1);
      return fields;
    }
    ++at;
    fields.emplace_back();
  }
}

// One program "P,Q" whose worker part is paid by a payer "A\nB", and a quota whose id and payer
// hold quotes: names a policy may give, none of them a valid bare CSV field.
const char* const odd_names_policy = R"({"format": "entitle-policy/1", "id": "test/odd-names",
  "effective": {"from": "2024-01-01", "until": "2024-12-31"},
  "facts": {"wage": {"type": "money"}},
  "rules": [{"id": "earns", "label": "Earns a wage", "reason": "NO_WAGE", "citation": "test",
             "when": {"fact": "wage", ">": 0}}],
  "programs": [{"id": "P,Q", "formulas": [{"category": "C", "base": {"fact": "wage"},
    "parts": [{"payer": "A\nB", "share": {"history": [{"from": "2020-01-01", "value": "1%", "citation": "test"}]}}]}]}],
  "enrolments": [{"id": "e", "who": "earns", "category": "C", "programs": ["P,Q"]}],
  "subsidies": [{"id": "q\"1", "label": "A quota", "payer": "\"R\"", "citation": "test", "who": "earns",
    "programs": ["P,Q"], "share": {"percent": "100%"}, "window": {"from": "2024-01", "months": 12},
    "quota": 1, "priority": 1, "rank_by": [{"fact": "wage", "order": "ascending", "citation": "test"}]}]})";

} // namespace

TEST_CASE("batch output: a column name that is not UTF-8 is a valid JSON key, with U+FFFD") {
  batch_summary s;
  s.due_by_month = {{}}; // the one month of the default period, no programs
  s.paid_by_month = {{}};
  s.quoted_by_month = {{}};
  s.rejected_by_column["nik\xFF"] = 2;
  s.rejected_by_column["nik\xFE"] = 3; // another byte that is not UTF-8: the same key once written
  s.rejected_by_column["birth_date"] = 1;
  const std::string text = boost::json::serialize(to_json(s));
  boost::system::error_code ec;
  const boost::json::value back = boost::json::parse(text, ec);
  REQUIRE_FALSE(ec);
  const auto& by_column = back.at("rejected_by_column").as_object();
  CHECK(by_column.size() == 2);
  CHECK(by_column.at("nik\xEF\xBF\xBD").to_number<int>() == 5);
  CHECK(by_column.at("birth_date").to_number<int>() == 1);
}

TEST_CASE("batch output: a summary made by hand without the quoted months is written as nothing quoted") {
  batch_summary s;
  s.programs = {"JKK"};
  s.payers = {"PEMKAB"};
  s.due_by_month = {{16'800_rp}};
  s.paid_by_month = {{16'800_rp}};
  s.due_by_program = {16'800_rp};
  s.paid_by_payer = {16'800_rp};
  s.total = 16'800_rp;
  s.quoted_by_program = {10'000_rp};
  s.quoted = 10'000_rp; // but no quoted_by_month
  const boost::json::value j = to_json(s);
  CHECK(j.at("months").at(0).at("quoted_by_program").as_object().empty());
  const std::string text = to_text(s);
  CHECK(text.find("\n 2024-01") == std::string::npos); // the default period is 2000-01
  CAPTURE(text);
  CHECK(text.find("\n 2000-01          Rp16.800          Rp16.800               Rp0\n") != std::string::npos);
}

TEST_CASE("batch output: a rejected row's bytes that are not UTF-8 stay valid JSON") {
  rejected_row row{.line = 3, .id = "P\xC3", .column = "nik", .reason = "bad", .text = "P\xC3,1"};
  std::string out;
  append_reject(out, row, output_format::ndjson);
  boost::system::error_code ec;
  const boost::json::value back = boost::json::parse(out, ec);
  REQUIRE_FALSE(ec);
  CHECK(back.at("id").as_string() == "P\xEF\xBF\xBD");
}

// Issue 14: a payer named "A\nB" or a program "P,Q" must still give a valid CSV header, quoted as
// RFC 4180 says, with as many fields as every row under it: the header read back strictly gives
// the names as the policy writes them.
TEST_CASE("batch output: names with a comma, a quote or a line end are quoted in the CSV header") {
  const compiled_policy p(read_policy(odd_names_policy));
  const batch b(p, {.rules = {},
                    .as_of = date(2024, 1, 1),
                    .period = month_range::calendar_year(2024),
                    .threads = 1,
                    .strict = false});
  REQUIRE(b.programs() == std::vector<std::string>{"P,Q"});
  REQUIRE(b.payers().size() == 2);
  std::string out = output_header(b, output_format::csv);
  roster_text roster("id,wage\nW1,1000000\nW2,2000000\n", p.facts(), roster_format::csv);
  b.run(roster, [&](const batch_row& row) { append_row(out, b, row, output_format::csv); });

  std::string_view rest = out;
  const auto header = rfc4180_record(rest, rest);
  REQUIRE(header.has_value());
  std::vector<std::string> expected{
      "id", "status", "rule", "reason", "reasons", "missing", "eligible_from", "eligible_months", "due_P,Q"};
  for (const std::string& payer : b.payers())
    expected.push_back("paid_" + payer);
  for (const char* column : {"total", "quoted", "complete", "quota_q\"1", "rank_q\"1", "months_q\"1"})
    expected.emplace_back(column);
  CHECK(*header == expected);
  CHECK(std::count(b.payers().begin(), b.payers().end(), "A\nB") == 1);
  CHECK(std::count(b.payers().begin(), b.payers().end(), "\"R\"") == 1);
  // Every row under it has as many fields.
  for (const char* id : {"W1", "W2"}) {
    CAPTURE(id);
    const auto row = rfc4180_record(rest, rest);
    REQUIRE(row.has_value());
    CHECK(row->size() == header->size());
    CHECK(row->front() == id);
  }
  CHECK(rest.empty());
}
