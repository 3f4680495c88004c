// A roster decided in parts (entitle/io/batch_parts.hpp): the same decisions, rejections and
// summary as one run over the whole roster, however it is cut, and nothing mismatched accepted.
// The expected files are the hand-worked ones of tests/data/batch (README.md there).
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/batch_parts.hpp>

#include "batch_fixtures.hpp"
#include "failure_of.hpp"

#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace entitle;

namespace {

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The roster's header, and its rows each with its line end (a row may hold line breaks).
struct split_roster {
  std::string header;
  std::vector<std::string> rows;
};

split_roster split(const std::string& text) {
  split_roster out;
  const std::size_t end = text.find('\n') + 1;
  out.header = text.substr(0, end);
  bool quoted = false;
  std::string row;
  for (std::size_t i = end; i < text.size(); ++i) {
    row += text[i];
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == '\n' && !quoted) out.rows.push_back(std::exchange(row, {}));
  }
  return out;
}

// What `f` throws; a test that expects a failure fails when there is none.
failure thrown(const std::function<void()>& f) {
  const std::optional<failure> out = test::failure_of(f);
  REQUIRE(out.has_value());
  return *out;
}

// The bytes as the parts API takes them.
std::vector<std::string_view> views(const std::vector<std::string>& bytes) { return {bytes.begin(), bytes.end()}; }

std::size_t line_ends(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

struct rendered {
  std::string decisions;
  std::string rejects;
  std::string summary;
};

rendered whole_run(const batch& b, const std::string& roster) {
  rendered out{output_header(b, output_format::csv), rejects_header(output_format::csv), {}};
  roster_text source(roster, b.policy().facts(), roster_format::csv);
  const batch_summary s = b.run(
      source, [&](const batch_row& r) { append_row(out.decisions, b, r, output_format::csv); },
      [&](const rejected_row& r) { append_reject(out.rejects, r, output_format::csv); });
  out.summary = boost::json::serialize(to_json(s));
  return out;
}

// The roster's parts: each the header and the rows [cuts[k], cuts[k + 1]), with the lines before it.
struct part_text {
  std::string text;
  std::size_t lines_before = 0;
};

std::vector<part_text> parts_of(const split_roster& r, const std::vector<std::size_t>& cuts) {
  std::vector<part_text> parts;
  std::size_t lines = 0;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    part_text p{r.header, lines};
    for (std::size_t i = cuts[k]; i < cuts[k + 1]; ++i)
      p.text += r.rows[i];
    lines += line_ends(p.text) - line_ends(r.header);
    parts.push_back(std::move(p));
  }
  return parts;
}

roster_text source_of(const batch& b, const part_text& p) {
  roster_options options;
  options.lines_before = p.lines_before;
  return roster_text(p.text, b.policy().facts(), roster_format::csv, options);
}

// Each part's survey, each in a source of its own as on another machine.
std::vector<std::string> surveys_of(const batch& b, const std::vector<part_text>& parts) {
  std::vector<std::string> surveys;
  for (const auto& p : parts) {
    roster_text source = source_of(b, p);
    surveys.push_back(survey_part(b, source));
  }
  return surveys;
}

// Surveys, plans, runs and merges `parts`.
rendered parts_run(const batch& b, const std::vector<part_text>& parts) {
  const std::vector<std::string> surveys = surveys_of(b, parts);
  const part_plan plan = plan_parts(b, views(surveys));
  rendered out{output_header(b, output_format::csv), rejects_header(output_format::csv), {}};
  std::vector<std::string> totals;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    roster_text source = source_of(b, parts[k]);
    totals.push_back(run_part(
        b, source, plan.placements[k], [&](const batch_row& r) { append_row(out.decisions, b, r, output_format::csv); },
        [&](const rejected_row& r) { append_reject(out.rejects, r, output_format::csv); }));
  }
  out.summary = boost::json::serialize(to_json(merge_parts(b, plan, views(totals))));
  return out;
}

batch_options year_2024() {
  batch_options options;
  options.as_of = date(2024, 1, 1);
  options.period = month_range::calendar_year(2024);
  return options;
}

// Distinct people (every wage, birth date and NIK its own), ids repeated across the parts, an id
// holding a line break, and unreadable rows.
std::string generated_roster(std::size_t count) {
  std::mt19937 random(11);
  std::string out = test::oku_roster_header;
  const char* occupations[] = {"guru_mengaji", "marbot", "petani", "nelayan", "pedagang", "ojek"};
  for (std::size_t i = 0; i < count; ++i) {
    const std::string id = i == 40       ? std::string("\"P40\nbis\"")
                           : i % 97 == 5 ? "D" + std::to_string(i % 3)
                                         : "P" + std::to_string(900000 - i * 7);
    const std::string birth = std::to_string(1960 + random() % 45) + "-0" + std::to_string(1 + random() % 9) + "-" +
                              std::to_string(10 + random() % 18);
    const std::string occupation = occupations[random() % 6];
    out += id + ",16080101" + std::to_string(10000000 + i) + ",16.08.0" + std::to_string(1 + random() % 9) + ".2001," +
           (i % 53 == 0 ? "1980-02-30" : birth) + ",informal," + occupation + "," +
           (random() % 4 == 0 ? "true" : "false") + "," + std::to_string(400000 + 1000 * i) + ",false\n";
  }
  return out;
}

} // namespace

TEST_CASE("a roster in parts gives the hand-worked decisions of the whole, wherever it is cut") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  const batch b(p, year_2024());
  const std::string roster = file_text(test::batch_fixtures / "oku-small.csv");
  const split_roster r = split(roster);
  const rendered whole = whole_run(b, roster);
  REQUIRE(whole.decisions == file_text(test::batch_fixtures / "oku-quota-3.expected.csv"));
  REQUIRE(whole.rejects == file_text(test::batch_fixtures / "oku-quota-3.rejects.csv"));
  for (std::size_t first = 0; first <= r.rows.size(); ++first)
    for (std::size_t second = first; second <= r.rows.size(); ++second) {
      CAPTURE(first);
      CAPTURE(second);
      const rendered parts = parts_run(b, parts_of(r, {0, first, second, r.rows.size()}));
      CHECK(parts.decisions == whole.decisions);
      CHECK(parts.rejects == whole.rejects); // line 9: A8, in whichever part it falls
      CHECK(parts.summary == whole.summary);
    }
}

TEST_CASE("two capped subsidies over distinct people in parts, ids repeated across parts, read once or twice") {
  const compiled_policy p = test::batch_fixture_two_quotas();
  const std::string roster = generated_roster(600);
  const split_roster r = split(roster);
  for (const std::size_t memory : {std::size_t{32} << 20, std::size_t{0}})
    for (const unsigned threads : {1U, 2U}) {
      batch_options options = year_2024();
      options.read_once_memory = memory;
      options.threads = threads;
      const batch b(p, options);
      const rendered whole = whole_run(b, roster);
      REQUIRE(whole.rejects.find("appears on lines") != std::string::npos);
      REQUIRE(whole.decisions.find(",waitlisted,") != std::string::npos);
      REQUIRE(whole.decisions.find("\"P40\nbis\",") != std::string::npos); // that row is decided
      for (const std::vector<std::size_t>& cuts :
           {std::vector<std::size_t>{0, 600}, {0, 41, 300, 301, 600}, {0, 1, 2, 200, 200, 599, 600}}) {
        CAPTURE(cuts.size());
        const rendered parts = parts_run(b, parts_of(r, cuts));
        CHECK(parts.decisions == whole.decisions);
        CHECK(parts.rejects == whole.rejects);
        CHECK(parts.summary == whole.summary);
      }
    }
}

TEST_CASE("strict: the whole roster's first bad row, at its line, whatever part holds it") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  batch_options options = year_2024();
  options.strict = true;
  const batch b(p, options);
  const split_roster r = split(file_text(test::batch_fixtures / "oku-small.csv"));
  const auto parts = parts_of(r, {0, 5, r.rows.size()});
  const std::vector<std::string> surveys = surveys_of(b, parts);
  const failure f = thrown([&] { (void)plan_parts(b, views(surveys)); });
  CHECK(f.location == "line 9, column birth_date");
}

TEST_CASE("a placement, survey or totals that is not the part's is refused") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  const batch b(p, year_2024());
  const split_roster r = split(file_text(test::batch_fixtures / "oku-small.csv"));
  const auto parts = parts_of(r, {0, 4, r.rows.size()});
  const std::vector<std::string> surveys = surveys_of(b, parts);
  const part_plan plan = plan_parts(b, views(surveys));
  auto run = [&](std::size_t k, const std::string& placement) {
    roster_text source = source_of(b, parts[k]);
    return run_part(b, source, placement, [](const batch_row&) {});
  };
  SUBCASE("another part's placement") {
    const failure f = thrown([&] { (void)run(0, plan.placements[1]); });
    CHECK(f.code == errc::invalid_syntax);
    CHECK(f.message.find("it is for part 1, of 5 rows; this part has 4") != std::string::npos);
  }
  SUBCASE("another part's placement with as many rows") {
    const auto even = parts_of(r, {0, 4, 8, r.rows.size()});
    const part_plan other = plan_parts(b, views(surveys_of(b, even)));
    roster_text source = source_of(b, even[0]);
    const failure f = thrown([&] { (void)run_part(b, source, other.placements[1], [](const batch_row&) {}); });
    CHECK(f.message == "the placement cannot be used: it is for part 1, whose rows are not this part's (another "
                       "part, or this one read otherwise than in its survey)");
  }
  SUBCASE("parts whose lines do not follow one another") {
    part_text second = parts[1];
    second.lines_before = 0; // as if it were the roster's first part
    roster_text source = source_of(b, second);
    const std::vector<std::string> wrong{surveys[0], survey_part(b, source)};
    CHECK(thrown([&] { (void)plan_parts(b, views(wrong)); }).message ==
          "the survey of part 1 cannot be used: its lines do not come after those of the parts before it (give "
          "each part the lines before it)");
  }
  SUBCASE("a survey made strict, planned lenient") {
    batch_options strict = year_2024();
    strict.strict = true;
    const batch other(p, strict);
    roster_text source = source_of(other, parts[0]);
    const std::vector<std::string> made{survey_part(other, source), surveys[1]};
    CHECK(thrown([&] { (void)plan_parts(b, views(made)); }).message ==
          "the survey of part 0 cannot be used: it was made for another policy or other batch options");
  }
  SUBCASE("totals of another plan") {
    const part_plan again = plan_parts(b, views(surveys));
    const std::vector<std::string> totals{run(0, again.placements[0]), run(1, again.placements[1])};
    CHECK(thrown([&] { (void)merge_parts(b, plan, views(totals)); }).message ==
          "the totals of part 0 cannot be used: they are of a run under another plan");
  }
  SUBCASE("a survey made under other options") {
    batch_options later = year_2024();
    later.as_of = date(2024, 6, 1);
    const batch other(p, later);
    const failure f = thrown([&] { (void)plan_parts(other, views(surveys)); });
    CHECK(f.message == "the survey of part 0 cannot be used: it was made for another policy or other batch options");
  }
  SUBCASE("bytes cut short, or not a survey at all") {
    const std::string cut = surveys[1].substr(0, surveys[1].size() - 3);
    CHECK(thrown([&] {
            (void)plan_parts(b, views({surveys[0], cut}));
          }).message == "the survey of part 1 cannot be used: it is cut short");
    CHECK(thrown([&] { (void)plan_parts(b, views({"id,nik\n"})); }).message ==
          "the survey of part 0 cannot be used: it is not one (made by another version of entitle?)");
  }
  SUBCASE("totals in another order, or missing") {
    const std::vector<std::string> totals{run(0, plan.placements[0]), run(1, plan.placements[1])};
    CHECK(merge_parts(b, plan, views(totals)).decided == 8);
    const failure swapped = thrown([&] { (void)merge_parts(b, plan, views({totals[1], totals[0]})); });
    CHECK(swapped.message == "the totals of part 0 cannot be used: they are part 1's; give each part's totals in "
                             "the parts' order");
    const failure missing = thrown([&] { (void)merge_parts(b, plan, views({totals[0]})); });
    CHECK(missing.message == "the totals of 1 parts were given for 2 planned");
  }
}

TEST_CASE("lines_before: a part's rows and problems are named at the whole roster's lines") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  roster_options options;
  options.lines_before = 100;
  roster_text part(test::oku_roster_header +
                       "Z1,1608010101800001,16.08.01.2001,1980-02-30,informal,petani,true,1,false\n",
                   p.facts(), roster_format::csv, options);
  roster_row row;
  REQUIRE(part.next(row));
  CHECK(row.line == 102); // the header is line 1, then 100 lines of the parts before
}
