// Double subsidy across rosters (docs/overlap.md): the fixtures of tests/data/overlap and how their
// expected figures were worked out are in tests/data/overlap/README.md.
#include <entitle/entitle.hpp>
#include <entitle/io/overlap.hpp>

#include "batch_fixtures.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace entitle;

namespace {

const std::filesystem::path fixtures = std::filesystem::path(ENTITLE_TEST_DATA) / "overlap";

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

compiled_policy oku_timur_2024() {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  return compiled_policy(library.get("oku-timur/pekerja-rentan-2024-iuran"));
}

batch_options year_2024() {
  return {.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024), .threads = 1};
}

roster_options by_nik() {
  roster_options options;
  options.id_column = "nik";
  return options;
}

const money one_year = money::from_rupiah(201'600); // 12 x (JKK Rp10.000 + JKM Rp6.800)

// The report's rows as "id roster line status funded_months funded double_funded_months paid_twice
// enrolled", one string each, to compare whole.
std::vector<std::string> row_lines(const overlap_report& report) {
  std::vector<std::string> out;
  for (const overlap_row& o : report.rows)
    out.push_back(o.id + " " + report.rosters[o.roster] + ":" + std::to_string(o.line) + " " + o.status + " " +
                  std::to_string(o.funded_months) + " " + to_string(o.funded) + " " +
                  std::to_string(o.double_funded_months) + " " + to_string(o.paid_twice) +
                  (o.enrolled ? " enrolled" : ""));
  return out;
}

std::string oku_row(const std::string& nik, const std::string& occupation, const std::string& income,
                    const std::string& birth_date = "1980-01-01") {
  return nik + ",16.08.01.2001," + birth_date + ",informal," + occupation + ",false," + income + ",false\n";
}

const std::string header =
    "nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk\n";

} // namespace

TEST_CASE("overlap: the same NIK funded under two rosters is paid twice, one enrolled already is flagged") {
  const compiled_policy policy = oku_timur_2024();
  const batch b(policy, year_2024());
  roster_file dinsos(fixtures / "dinsos.csv", policy.facts(), roster_format::csv, by_nik());
  roster_file desa(fixtures / "desa.csv", policy.facts(), roster_format::csv, by_nik());
  static const schema no_facts;
  roster_file peserta(fixtures / "peserta.csv", no_facts, roster_format::csv, by_nik());
  const std::vector<overlap_roster> rosters{{"dinsos.csv", &dinsos}, {"desa.csv", &desa}};

  const overlap_roster enrolled{"peserta.csv", &peserta};
  const overlap_report report = find_overlaps(b, rosters, &enrolled);

  CHECK(report.rows_read == 9);
  CHECK(report.rows_rejected == 2);
  CHECK(report.ids == 6);
  CHECK(report.repeated_ids == 3);
  CHECK(report.enrolled_ids == 2);
  CHECK(report.enrolled_funded_ids == 2);
  CHECK(report.double_funded_ids == 1);
  CHECK(report.paid_twice == one_year);
  const std::vector<std::string> expected{
      "1607010101800006 dinsos.csv:5 ineligible 0 0 0 0",
      "1607010101800006 desa.csv:4 ineligible 0 0 0 0",
      "1608010101700002 dinsos.csv:3 eligible 24 201600 0 0 enrolled",
      "1608010101800001 dinsos.csv:2 eligible 24 201600 0 0",
      "1608010101800001 desa.csv:3 eligible 24 201600 24 201600",
      "1608010101850009 desa.csv:5 eligible 24 201600 0 0 enrolled",
      "1608010101900005 desa.csv:2 rejected 0 0 0 0",
      "1608010101900005 desa.csv:6 rejected 0 0 0 0",
  };
  CHECK(row_lines(report) == expected);
  CHECK(report.rows[0].reason == "BUKAN_PENDUDUK_OKU_TIMUR");
  CHECK(report.rows[2].funded_by == std::vector<std::string>{"apbd_oku_timur_2024"});
  CHECK(report.rows[6].reason.find("appears on lines 2 and 6") != std::string::npos);
  CHECK(overlap_csv(report) == file_text(fixtures / "overlap.expected.csv"));
}

TEST_CASE("overlap: a person waitlisted in one roster and funded in the other is funded once") {
  // Quota 3, ranked by lower income first: in roster A the shared person earns the most of four
  // eligible people and is waitlisted; in roster B, alone, funded. One id in two rows, nothing twice.
  const compiled_policy policy = test::batch_fixture_policy("oku-quota-3");
  const batch b(policy, year_2024());
  roster_text a(header + oku_row("1608010101800001", "petani", "400000") +
                    oku_row("1608010101800002", "petani", "500000") + oku_row("1608010101800003", "petani", "600000") +
                    oku_row("1608010101800009", "petani", "900000"),
                policy.facts(), roster_format::csv, by_nik());
  roster_text c(header + oku_row("1608010101800009", "petani", "900000"), policy.facts(), roster_format::csv, by_nik());
  const std::vector<overlap_roster> rosters{{"a.csv", &a}, {"b.csv", &c}};

  const overlap_report report = find_overlaps(b, rosters);

  CHECK(report.ids == 4);
  CHECK(report.repeated_ids == 1);
  CHECK(report.double_funded_ids == 0);
  CHECK(report.paid_twice == money());
  const std::vector<std::string> expected{
      "1608010101800009 a.csv:5 eligible 0 0 0 0",
      "1608010101800009 b.csv:2 eligible 24 201600 0 0",
  };
  CHECK(row_lines(report) == expected);
}

TEST_CASE("overlap: ids are counted exactly past the counter's merges, nothing found is an empty report") {
  // 10,000 people in one roster (more than the 4,096 hashes the counter gathers before it merges),
  // the first 100 of them again in a second: 10,000 distinct ids, 100 of them in two rows. All rank
  // alike but for their ids, so the quota of 4,650 funds the first 4,650 ids of the first roster,
  // those 100 among them, and the second roster funds them again: each funded twice for all 24
  // program-months. (Had the last 100 been repeated, the first roster would have waitlisted them.)
  const compiled_policy policy = oku_timur_2024();
  const batch b(policy, year_2024());
  std::string first = header;
  std::string second = header;
  for (int i = 0; i < 10'000; ++i) {
    std::string nik = std::to_string(1608010000000000LL + i);
    first += oku_row(nik, "petani", "500000");
    if (i < 100) second += oku_row(nik, "petani", "500000");
  }
  roster_text one(first, policy.facts(), roster_format::csv, by_nik());
  roster_text two(second, policy.facts(), roster_format::csv, by_nik());
  {
    const std::vector<overlap_roster> rosters{{"one.csv", &one}};
    const overlap_report report = find_overlaps(b, rosters);
    CHECK(report.ids == 10'000);
    CHECK(report.repeated_ids == 0);
    CHECK(report.rows.empty());
  }
  const std::vector<overlap_roster> rosters{{"one.csv", &one}, {"two.csv", &two}};
  const overlap_report report = find_overlaps(b, rosters);
  CHECK(report.rows_read == 10'100);
  CHECK(report.ids == 10'000);
  CHECK(report.repeated_ids == 100);
  CHECK(report.double_funded_ids == 100);
  CHECK(report.rows.size() == 200);
  CHECK(report.paid_twice == money::from_rupiah(100 * 201'600));
}

TEST_CASE("overlap: errors name the roster or the enrolled list, and the line") {
  const compiled_policy policy = oku_timur_2024();
  const batch b(policy, year_2024());
  roster_text good(header + oku_row("1608010101800001", "petani", "500000"), policy.facts(), roster_format::csv,
                   by_nik());
  SUBCASE("a row of the enrolled list without an id") {
    static const schema no_facts;
    roster_text list("nik,nama\n1608010101800001,Siti\n,Budi\n", no_facts, roster_format::csv, by_nik());
    const overlap_roster enrolled{"peserta.csv", &list};
    const std::vector<overlap_roster> rosters{{"a.csv", &good}};
    CHECK_THROWS_WITH_AS(static_cast<void>(find_overlaps(b, rosters, &enrolled)),
                         doctest::Contains("peserta.csv: line 3, column nik"), error);
  }
  SUBCASE("a roster that stops the reading, named by the caller's name for it") {
    roster_options options = by_nik();
    options.max_row_bytes = 200;
    roster_text bad(header + oku_row("1608010101800002", "petani", std::string(300, '9')), policy.facts(),
                    roster_format::csv, options);
    const std::vector<overlap_roster> rosters{{"a.csv", &good}, {"b.csv", &bad}};
    CHECK_THROWS_WITH_AS(static_cast<void>(find_overlaps(b, rosters)), doctest::Contains("b.csv: line 2"), error);
  }
}
