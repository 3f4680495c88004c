// The snippet on docs/diff.md, compiled and run: a quota of 3 instead of 4,650 over the nine people
// of tests/data/batch/oku-small.csv (tests/data/batch/README.md: A3, A4 and A9 lose their funding).
#include <entitle/entitle.hpp>
#include <entitle/io/diff.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

using namespace entitle;

TEST_CASE("docs: diff.md compares a baseline and a reform through the library") {
  const std::filesystem::path roster_path = std::filesystem::path(ENTITLE_TEST_DATA) / "batch" / "oku-small.csv";
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const compiled_policy base = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  const compiled_policy reform =
      library.compile("oku-timur/pekerja-rentan-2024-iuran", std::vector<setting>{{"apbd_oku_timur_2024.quota", "3"}});
  const batch_options options{.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)};
  std::set<std::string> lost;
  // [diff]
  const batch before(base, options);
  const batch after(reform, options); // the same period and as-of date
  const reform_diff d(before, after);
  roster_file rows(roster_path, base.facts(), roster_format::csv);
  const auto reform_rows = rows.under(reform.facts(), roster_format::csv);
  const diff_summary totals = d.run(rows, *reform_rows, [&](const diff_row& change) { lost.insert(change.id); });
  // [diff]
  CHECK(lost == std::set<std::string>{"A3", "A4", "A9"});
  CHECK(totals.lost_funding == 3);
  CHECK(totals.after.settings.at(0).value == "3");
}
