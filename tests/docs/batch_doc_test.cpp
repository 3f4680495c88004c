// The snippets on docs/batch.md, compiled and run: a regency's roster through the library, and
// the policy compiled with subsidy fields set for a run.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

using namespace entitle;

TEST_CASE("docs: batch.md evaluates a roster through the library") {
  const std::filesystem::path roster_path = std::filesystem::path(ENTITLE_TEST_DATA) / "batch" / "oku-small.csv";
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  std::string decisions;
  // [batch]
  const compiled_policy oku = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  const batch regency(oku, {.rules = {}, // the enrolment's rule: rentan_oku_timur_2024
                            .as_of = date(2024, 1, 1),
                            .period = month_range::calendar_year(2024),
                            .threads = 2,
                            .strict = false});
  roster_file roster(roster_path, oku.facts(), roster_format::csv);
  const batch_summary summary = regency.run(
      roster,
      [&](const batch_row& row) { // in roster order, on this thread
        if (row.quotas[0].status == quota_status::funded) decisions += std::string(row.id) + " ";
      },
      [&](const rejected_row& bad) { std::cerr << "line " << bad.line << ": " << bad.reason << "\n"; });
  std::cout << to_text(summary);
  // [batch]
  // Six of the nine people of tests/data/batch/oku-small.csv are eligible; the quota of 4,650 holds
  // them all, so the regency pays 6 x Rp201.600; A8's impossible birth date is rejected.
  CHECK(decisions == "A1 A2 A3 A4 A5 A9 ");
  CHECK(summary.rows_read == 9);
  CHECK(summary.rejected == 1);
  CHECK(summary.quotas.at(0).spent == money::from_rupiah(1'209'600));
}

TEST_CASE("docs: batch.md compiles a policy with run-time parameters") {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  // [settings]
  const std::vector<setting> settings{{"apbd_oku_timur_2024.quota", "1000"},
                                      {"apbd_oku_timur_2024.budget", "Rp5.000.000.000"},
                                      {"apbd_oku_timur_2024.window", "2024-01..2024-06"},
                                      {"apbd_oku_timur_2024.share", "50%"}}; // or "amount:Rp5.000", "base:Rp1.000.000"
  const compiled_policy oku = library.compile("oku-timur/pekerja-rentan-2024-iuran", settings);
  // [settings]
  // The shipped subsidy has a quota of 4650, a budget of Rp937.440.000, the window 2024-01 for 12
  // months and a share of 100% (policies/oku-timur/pekerja-rentan-2024-iuran.json).
  const subsidy& apbd = oku.source().subsidies.at(0);
  CHECK(apbd.quota == std::optional<std::int64_t>(1000));
  CHECK(apbd.budget == std::optional<money>(money::from_rupiah(5'000'000'000)));
  CHECK(apbd.window == month_range(month(2024, 1), month(2024, 6)));
  CHECK(apbd.share.percent == rate::parse("50%"));
  REQUIRE(oku.settings().size() == 4);
  CHECK(oku.settings()[0].was == "4650");
  CHECK(oku.settings()[1].was == "Rp937.440.000");
  CHECK(oku.settings()[2].was == "2024-01..2024-12");
  CHECK(oku.settings()[3].was == "100%");
}

TEST_CASE("docs: batch.md reads a roster with Indonesian headers") {
  // tests/data/batch/oku-small.csv with the id in "nomor", the birth date in "tgl_lahir" and the
  // income in "penghasilan": the same people, so the same six funded.
  const std::filesystem::path english = std::filesystem::path(ENTITLE_TEST_DATA) / "batch" / "oku-small.csv";
  std::ifstream in(english, std::ios::binary);
  std::string text(std::istreambuf_iterator<char>(in), {});
  text = "nomor,nik,domicile_code,tgl_lahir,employment,occupation,extreme_poor,penghasilan,enrolled_bpjs_tk" +
         text.substr(text.find('\n'));
  const std::filesystem::path roster_path = std::filesystem::temp_directory_path() / "entitle-doc-orang.csv";
  std::ofstream(roster_path, std::ios::binary) << text;
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const compiled_policy oku = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  // [roster_options]
  roster_options options;
  options.id_column = "nomor";
  options.columns = {{"birth_date", "tgl_lahir"}, {"monthly_income", "penghasilan"}};
  roster_file roster(roster_path, oku.facts(), roster_format::csv, options);
  // [roster_options]
  const batch regency(oku, {.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)});
  std::string decisions;
  const batch_summary summary = regency.run(roster, [&](const batch_row& row) {
    if (row.quotas[0].status == quota_status::funded) decisions += std::string(row.id) + " ";
  });
  std::filesystem::remove(roster_path);
  CHECK(decisions == "A1 A2 A3 A4 A5 A9 ");
  CHECK(summary.rejected == 1);
  CHECK(roster.reader().ignored_columns().empty());
}
