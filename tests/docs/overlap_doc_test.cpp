// The snippet on docs/overlap.md, compiled and run over the fixtures of tests/data/overlap (their
// figures worked out by hand in tests/data/overlap/README.md).
#include <entitle/entitle.hpp>
#include <entitle/io/overlap.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>
#include <vector>

using namespace entitle;

TEST_CASE("docs: overlap.md finds a NIK funded under two rosters") {
  const std::filesystem::path folder = std::filesystem::path(ENTITLE_TEST_DATA) / "overlap";
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  // [overlap]
  const compiled_policy oku = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  const batch regency(oku, {.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)});
  roster_options by_nik;
  by_nik.id_column = "nik";
  roster_file dinsos(folder / "dinsos.csv", oku.facts(), roster_format::csv, by_nik);
  roster_file desa(folder / "desa.csv", oku.facts(), roster_format::csv, by_nik);
  const std::vector<overlap_roster> rosters{{"dinsos.csv", &dinsos}, {"desa.csv", &desa}};
  const overlap_report report = find_overlaps(regency, rosters);
  std::cout << to_text(report); // overlap_csv(report) gives the rows as CSV
  // [overlap]
  // Without the enrolled list: NIK ...800001 funded twice (Rp201.600), three NIKs in two rows.
  CHECK(report.double_funded_ids == 1);
  CHECK(report.paid_twice == money::from_rupiah(201'600));
  CHECK(report.repeated_ids == 3);
  CHECK(report.enrolled_ids == 0);
}
