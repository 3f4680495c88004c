// Reforms on a roster (docs/diff.md): a baseline and a reform over the same people. Expected figures
// are worked out from the fixtures (tests/data/batch/README.md) and from a baseline run read on its
// own, not from the comparison.
#include <entitle/entitle.hpp>
#include <entitle/io/diff.hpp>

#include "batch_fixtures.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace entitle;

namespace {

const std::filesystem::path demo_roster =
    std::filesystem::path(ENTITLE_POLICIES_DIR).parent_path() / "examples" / "data" / "oku-timur-2024-roster.csv";

batch_options year_2024() {
  return {.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024), .threads = 1};
}

policy_library shipped() {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  return library;
}

struct compared {
  diff_summary totals;
  std::vector<diff_row> changes;
};

compared compare(const compiled_policy& base, const compiled_policy& reform, const std::filesystem::path& roster) {
  const batch before(base, year_2024());
  const batch after(reform, year_2024());
  const reform_diff d(before, after);
  roster_file rows(roster, base.facts(), roster_format::csv);
  const auto reform_rows = rows.under(reform.facts(), roster_format::csv);
  compared out;
  out.totals = d.run(rows, *reform_rows, [&](const diff_row& row) { out.changes.push_back(row); });
  return out;
}

std::set<std::string> ids_of(const std::vector<diff_row>& rows) {
  std::set<std::string> out;
  for (const auto& r : rows)
    out.insert(r.id);
  return out;
}

std::size_t payer_index(const diff_summary& s, const std::string& payer) {
  for (std::size_t p = 0; p < s.payers.size(); ++p)
    if (s.payers[p] == payer) return p;
  FAIL("no payer " << payer);
  return 0;
}

} // namespace

TEST_CASE("diff: a quota of 5,000 and a budget of Rp1.008.000.000 fund the next 350 people in rank order") {
  policy_library library = shipped();
  const compiled_policy base = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  const compiled_policy reform = library.compile(
      "oku-timur/pekerja-rentan-2024-iuran",
      std::vector<setting>{{"apbd_oku_timur_2024.quota", "5000"}, {"apbd_oku_timur_2024.budget", "1008000000"}});

  // The baseline read on its own: the people it ranks 4,651 to 5,000, just past its quota of 4,650.
  std::set<std::string> next_350;
  {
    const batch alone(base, year_2024());
    roster_file rows(demo_roster, base.facts(), roster_format::csv);
    (void)alone.run(rows, [&](const batch_row& row) {
      if (!row.quotas.empty() && row.quotas[0].rank > 4650 && row.quotas[0].rank <= 5000)
        next_350.insert(std::string(row.id));
    });
  }
  REQUIRE(next_350.size() == 350);

  const compared c = compare(base, reform, demo_roster);
  CHECK(c.totals.rows_read == 6000);
  CHECK(c.totals.changed == 350);
  CHECK(c.totals.gained_funding == 350);
  CHECK(c.totals.lost_funding == 0);
  CHECK(c.totals.gained_eligibility == 0);
  CHECK(ids_of(c.changes) == next_350);
  // Each of them a BPU participant at Rp1.000.000: 12 x (JKK Rp10.000 + JKM Rp6.800) = Rp201.600
  // (PP 44/2015), paid by the regency: 350 x Rp201.600 = Rp70.560.000 more, which is the budget's
  // Rp1.008.000.000 less the baseline's Rp937.440.000.
  const std::size_t regency = payer_index(c.totals, "PEMKAB_OKU_TIMUR");
  CHECK(c.totals.paid_before[regency] == money::from_rupiah(937'440'000));
  CHECK(c.totals.paid_after[regency] == money::from_rupiah(1'008'000'000));
  for (const diff_row& row : c.changes) {
    CHECK(row.before.funding == "waitlisted");
    CHECK(row.after.funding == "funded");
    CHECK(row.after.paid[regency] - row.before.paid[regency] == money::from_rupiah(201'600));
    CHECK(row.why.find("quota 4650, budget Rp937.440.000 -> quota 5000, budget Rp1.008.000.000") != std::string::npos);
  }
  REQUIRE(c.totals.paid_by_month_after.size() == 12);
  // Each month: 350 x Rp16.800 = Rp5.880.000 more.
  CHECK(c.totals.paid_by_month_after[5][regency] - c.totals.paid_by_month_before[5][regency] ==
        money::from_rupiah(5'880'000));
}

TEST_CASE("diff: another policy file as the reform, a quota of 3, loses three people their funding") {
  policy_library library = shipped();
  library.add_file(test::batch_fixtures / "oku-quota-3.json");
  const compared c = compare(library.compile("oku-timur/pekerja-rentan-2024-iuran"),
                             library.compile("test/oku-quota-3"), test::batch_fixtures / "oku-small.csv");
  // tests/data/batch/README.md: six eligible, all funded under 4,650; with 3, A3, A4 and A9 are
  // waitlisted at ranks 4, 5 and 6: 3 x Rp201.600 = Rp604.800 less.
  CHECK(c.totals.changed == 3);
  CHECK(c.totals.lost_funding == 3);
  CHECK(ids_of(c.changes) == std::set<std::string>{"A3", "A4", "A9"});
  const std::size_t regency = payer_index(c.totals, "PEMKAB_OKU_TIMUR");
  CHECK(c.totals.paid_after[regency] - c.totals.paid_before[regency] == money::from_rupiah(-604'800));
  CHECK(c.changes[0].line == 4);
  CHECK(c.changes[0].after.rank == 4);
  CHECK(c.changes[0].after.quoted == money::from_rupiah(201'600));
}

TEST_CASE("diff: a parameter set for the reform makes one person eligible, and says which status changed") {
  policy_library library = shipped();
  library.add_file(test::batch_fixtures / "income-limit.json");
  const compiled_policy base = library.compile("test/income-limit");
  const compiled_policy reform =
      library.compile("test/income-limit", std::vector<setting>{{"income_limit", "Rp2.500.000"}});
  const compared c = compare(base, reform, test::batch_fixtures / "income-limit.csv");
  // tests/data/batch/README.md: P1 earns Rp2.200.000, eligible only under the higher limit; P2 is
  // too old either way; P3's income is missing either way.
  CHECK(c.totals.changed == 1);
  CHECK(c.totals.gained_eligibility == 1);
  REQUIRE(c.changes.size() == 1);
  CHECK(c.changes[0].id == "P1");
  CHECK(c.changes[0].before.status == "ineligible");
  CHECK(c.changes[0].after.status == "eligible");
  CHECK(c.changes[0].why.starts_with("status ineligible ("));
  CHECK(c.totals.after.settings.at(0).name == "income_limit");
}

TEST_CASE("diff: the same policy twice changes nobody") {
  policy_library library = shipped();
  const compiled_policy p = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  const compared c = compare(p, p, test::batch_fixtures / "oku-small.csv");
  CHECK(c.totals.changed == 0);
  CHECK(c.changes.empty());
  CHECK(c.totals.paid_before == c.totals.paid_after);
}

TEST_CASE("diff: a roster that changes between the baseline's read and the reform's stops the comparison") {
  policy_library library = shipped();
  const compiled_policy p = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  const auto path = std::filesystem::temp_directory_path() / "entitle-diff-test-roster.csv";
  std::filesystem::copy_file(test::batch_fixtures / "oku-small.csv", path,
                             std::filesystem::copy_options::overwrite_existing);
  roster_file rows(path, p.facts(), roster_format::csv);
  roster_row row;
  while (rows.next(row)) {
  }
  { // another income for A1, the same size
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(test::oku_roster_header.size() + 66)); // A1's 1000000
    f << '2';
  }
  const auto again = rows.under(p.facts(), roster_format::csv);
  CHECK_THROWS_WITH_AS(again->rewind(), doctest::Contains("changed after it was first read"), error);
  std::filesystem::remove(path);
}

TEST_CASE("diff: a baseline and a reform over different periods are refused") {
  policy_library library = shipped();
  const compiled_policy p = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  const batch year(p, year_2024());
  const batch march(p, {.rules = {}, .as_of = date(2024, 3, 1), .period = {month(2024, 3), month(2024, 3)}});
  CHECK_THROWS_WITH_AS(reform_diff(year, march), doctest::Contains("same period"), error);
}

TEST_CASE("diff: a roster read under the reform's facts may outlive the baseline's reader") {
  policy_library library = shipped();
  const compiled_policy p = library.compile("oku-timur/pekerja-rentan-2024-iuran");
  // The baseline's reader read only the header before it went: its bytes are taken in whole then,
  // and the reform's reader reads the same nine rows again.
  const auto again = [&] {
    roster_file first(test::batch_fixtures / "oku-small.csv", p.facts(), roster_format::csv);
    return first.under(p.facts(), roster_format::csv);
  }();
  again->rewind();
  roster_row row;
  std::size_t rows = 0;
  while (again->next(row))
    ++rows;
  CHECK(rows == 9);
}
