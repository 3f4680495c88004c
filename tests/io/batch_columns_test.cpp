// A batch over a roster whose headers are not the facts' names (a spreadsheet with Indonesian
// headers), and the facts' values added to the output (`batch_options::columns`). The fixtures and
// how their expected outputs were worked out: tests/data/batch/README.md.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include "batch_fixtures.hpp"
#include "failure_of.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

using namespace entitle;
using entitle::test::failure_of;

namespace {

const std::filesystem::path& fixtures = test::batch_fixtures;

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

batch_options year_2024() {
  return {.rules = {},
          .as_of = date(2024, 1, 1),
          .period = month_range::calendar_year(2024),
          .threads = 1,
          .strict = false};
}

struct rendered {
  std::string decisions;
  std::string rejects;
  batch_summary summary;
};

rendered render(const batch& b, row_source& source, output_format format = output_format::csv) {
  rendered out;
  out.decisions = output_header(b, format);
  out.rejects = rejects_header(output_format::csv);
  out.summary = b.run(
      source, [&](const batch_row& row) { append_row(out.decisions, b, row, format); },
      [&](const rejected_row& row) { append_reject(out.rejects, row, output_format::csv); });
  return out;
}

// tests/data/batch/oku-quota-3.json, extended by a regency's own names for two of its facts'
// columns: "tgl_lahir" and "penghasilan" (declared again as the national pack declares them).
compiled_policy indonesian_policy() {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  library.add_file(fixtures / "oku-quota-3.json");
  library.add(R"({"format": "entitle-policy/1", "id": "test/oku-quota-3-id", "extends": "test/oku-quota-3",
    "effective": {"from": "2024-01-01", "until": "2024-12-31"},
    "facts": {"birth_date": {"type": "date", "columns": ["tgl_lahir"]},
              "monthly_income": {"type": "money", "columns": ["penghasilan", "pendapatan"]}}})");
  return library.compile("test/oku-quota-3-id");
}

// tests/data/batch/oku-small.csv with every header in Indonesian: the id in "nomor", two facts by
// the policy's columns and the rest mapped (`roster_options::columns`).
const std::string indonesian_header = "nomor,nik,kode_domisili,tgl_lahir,status_pekerjaan,pekerjaan,miskin_ekstrem,"
                                      "penghasilan,terdaftar_bpjs_tk\n";
roster_options indonesian_options() {
  roster_options options;
  options.id_column = "nomor";
  options.columns = {{"domicile_code", "kode_domisili"},
                     {"employment", "status_pekerjaan"},
                     {"occupation", "pekerjaan"},
                     {"extreme_poor", "miskin_ekstrem"},
                     {"enrolled_bpjs_tk", "terdaftar_bpjs_tk"}};
  return options;
}

std::string with_header(const std::string& header, const std::string& csv) {
  return header + csv.substr(csv.find('\n') + 1);
}

} // namespace

TEST_CASE("batch columns: a roster with Indonesian headers gives the decisions of the English one") {
  const compiled_policy p = indonesian_policy();
  const batch b(p, year_2024());
  roster_text roster(with_header(indonesian_header, file_text(fixtures / "oku-small.csv")), p.facts(),
                     roster_format::csv, indonesian_options());
  CHECK(roster.reader().ignored_columns().empty());
  roster_file english(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  CHECK(roster.reader().absent_facts() == english.reader().absent_facts()); // the national pack's wage, ...
  const rendered r = render(b, roster);
  CHECK(r.decisions == file_text(fixtures / "oku-quota-3.expected.csv"));
  // The rejected row (A8, 29 February 2023) names the column as the roster writes it.
  CHECK(r.rejects == "line,id,column,reason,text\n"
                     "9,A8,tgl_lahir,\"the date fact \"\"birth_date\"\": \"\"2023-02-29\"\" is not a date: that month "
                     "has 28 days\",\"A8,1608010101800008,16.08.01.2005,2023-02-29,informal,petani,false,1000000,"
                     "false\"\n");
}

TEST_CASE("batch columns: facts' values are added to each row, after its own columns, in the order asked") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  batch_options options = year_2024();
  options.columns = {"monthly_income", "birth_date", "occupation", "extreme_poor", "nik"};
  const std::string expected = file_text(fixtures / "oku-quota-3.expected.csv");
  for (const std::size_t memory : {std::size_t{32} << 20, std::size_t{0}}) { // kept from the first read, or read twice
    CAPTURE(memory);
    options.read_once_memory = memory;
    const batch b(p, options);
    REQUIRE(b.columns().size() == 5);
    CHECK(b.columns()[1].name == "birth_date");
    roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
    const rendered r = render(b, roster);
    std::istringstream lines(r.decisions), plain(expected);
    std::string line, without;
    std::getline(lines, line);
    std::getline(plain, without);
    CHECK(line == without + ",monthly_income,birth_date,occupation,extreme_poor,nik");
    // The rows as tests/data/batch/oku-quota-3.expected.csv has them, each followed by the values
    // oku-small.csv gives: A7 has no monthly income, A9 no extreme_poor; A8 is rejected.
    const std::vector<std::string> values = {
        ",1000000,1980-01-01,petani,true,1608010101800001", ",500000,1970-01-01,pedagang,false,1608010101700002",
        ",500000,1970-01-01,ojek,false,1608010101700003",   ",1500000,1960-05-05,nelayan,false,1608010505600004",
        ",2000000,1990-01-01,petani,true,1608010101900005", ",1000000,1980-01-01,petani,false,1607010101800006",
        ",,1980-01-01,petani,false,1608010101800007",       ",3000000,1985-01-01,guru_mengaji,,1608010101850009"};
    for (const auto& v : values) {
      REQUIRE(std::getline(lines, line));
      REQUIRE(std::getline(plain, without));
      CHECK(line == without + v);
    }
    CHECK(!std::getline(lines, line));
  }
  // NDJSON: a key per column after the row's own, as policy JSON writes values; missing is null.
  const batch b(p, options);
  roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  const std::string ndjson = render(b, roster, output_format::ndjson).decisions;
  CHECK(ndjson.find(R"("months":12}},"monthly_income":1000000,"birth_date":"1980-01-01","occupation":"petani",)"
                    R"("extreme_poor":true,"nik":"1608010101800001"})") != std::string::npos);     // A1
  CHECK(ndjson.find(R"(,"monthly_income":null,"birth_date":"1980-01-01",)") != std::string::npos); // A7
}

TEST_CASE("batch columns: a column that is not a fact, or asked for twice, is refused with the close facts") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  batch_options options = year_2024();
  options.columns = {"birth_dat"};
  CHECK(failure_of([&] { const batch b(p, options); })->message ==
        "the column \"birth_dat\" asked for in the output is not one of the policy's facts, derived values or "
        "values over the period; the close ones are \"birth_date\"");
  options.columns = {"umur"}; // close to no name: all are listed, the national pack's facts first, then derived values
                              // and the values over the period
  CHECK(failure_of([&] { const batch b(p, options); })->message ==
        "the column \"umur\" asked for in the output is not one of the policy's facts, derived values or values "
        "over the period; they are "
        "\"wage\", \"declared_income\", \"risk_class\", \"contribution_months\", \"membership_active\", \"nik\", "
        "\"domicile_code\", \"birth_date\", \"employment\", \"occupation\", \"extreme_poor\", \"monthly_income\", "
        "\"enrolled_bpjs_tk\", \"kelas_risiko\", \"iuran_jkk_pu\", \"covered_months\", \"covered_from\", "
        "\"covered_until\"");
  options.columns = {"nik", "nik"};
  CHECK(failure_of([&] { const batch b(p, options); })->message ==
        "the column \"nik\" is asked for twice in the output");
}

TEST_CASE("batch columns: a fact named as one of the output's own columns cannot be added") {
  const compiled_policy p = compile_policy(R"({"format": "entitle-policy/1", "id": "test/total",
    "facts": {"total": {"type": "money"}, "due": {"type": "money"}},
    "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "test",
               "when": {"all": [{"fact": "total", ">=": 0}, {"fact": "due", ">=": 0}]}}]})");
  batch_options options = year_2024();
  options.columns = {"total"};
  const batch b(p, options);
  CHECK(failure_of([&] { (void)output_header(b, output_format::csv); })->message ==
        "the column \"total\" is one of the output's own (CSV); a fact called so cannot be added to it");
  options.columns = {"due"}; // "due" is a CSV column only as due_<program>, an NDJSON key as it is
  const batch due(p, options);
  CHECK(output_header(due, output_format::csv) ==
        "id,status,rule,reason,reasons,missing,eligible_from,eligible_months,total,quoted,complete,due\n");
  CHECK(failure_of([&] { (void)output_header(due, output_format::ndjson); })->message ==
        "the column \"due\" is one of the output's own (NDJSON); a fact called so cannot be added to it");
}
