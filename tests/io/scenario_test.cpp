// Scenario tests (docs/scenarios.md): the reader locates what is wrong, and the runner reports
// each expectation that does not hold, so that a scenario can fail. The figures of the passing
// ones: 12 x (JKK Rp10.000 + JKM Rp6.800) = Rp201.600 for a BPU participant at Rp1.000.000
// (PP 44/2015 Lampiran II and Pasal 46), paid by the regency.
#include <entitle/entitle.hpp>
#include <entitle/io/scenario.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace entitle;

namespace {

// A scenario file of its own for this process (ctest runs the cases in parallel processes).
std::filesystem::path scratch_path() {
  return std::filesystem::temp_directory_path() /
         ("entitle-scenario-test-" + std::to_string(::getpid()) + ".test.json");
}

struct scratch_file {
  std::filesystem::path path = scratch_path();
  explicit scratch_file(const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
  ~scratch_file() { std::filesystem::remove(path); }
};

std::string file_with(const std::string& cases) {
  return R"({"format": "entitle-test/1", "policy": "oku-timur/pekerja-rentan-2024-iuran", "cases": [)" + cases + "]}";
}

const std::string farmer_facts =
    R"({"nik": "1608010101800001", "domicile_code": "16.08.01.2001", "birth_date": "1980-01-01",
        "employment": "informal", "occupation": "petani", "extreme_poor": false,
        "monthly_income": 2000000, "enrolled_bpjs_tk": false})";

std::vector<scenario_outcome> run(const std::string& text) {
  const scratch_file f(text);
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const scenario_file file = read_scenario_file(f.path);
  return run_scenarios(file, library, file.policy);
}

} // namespace

TEST_CASE("scenarios: a case whose figures hold passes") {
  const auto outcomes = run(file_with(R"({"name": "farmer", "citation": "PP 44/2015", "period": "2024-01..2024-12",
    "facts": )" + farmer_facts + R"(, "expect": {"status": "eligible", "due": {"JKK": 120000, "JKM": 81600},
    "paid": {"PEMKAB_OKU_TIMUR": 201600}, "total": 201600, "months": {"2024-12": {"paid": {"PEMKAB_OKU_TIMUR": 16800}}}}})"));
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].passed());
  CHECK(outcomes[0].pointer == "/cases/0");
}

TEST_CASE("scenarios: each expectation that does not hold is a failure saying what was expected and got") {
  const auto outcomes = run(file_with(R"({"name": "wrong on purpose", "citation": "c", "period": "2024-01..2024-12",
    "facts": )" + farmer_facts + R"(, "expect": {"status": "ineligible", "reasons": ["ASN"], "due": {"JKK": 100000},
    "paid": {"PEMKAB_OKU_TIMUR": 1}, "total": 2, "months": {"2024-02": {"due": {"JKM": 1}}}}})"));
  REQUIRE(outcomes.size() == 1);
  CHECK_FALSE(outcomes[0].passed());
  const std::vector<std::string> expected{
      "status: expected ineligible, got eligible",  "reasons: expected [ASN], got []",
      "due JKK: expected Rp100.000, got Rp120.000", "paid by PEMKAB_OKU_TIMUR: expected Rp1, got Rp201.600",
      "total: expected Rp2, got Rp201.600",         "2024-02 due JKM: expected Rp1, got Rp6.800",
  };
  CHECK(outcomes[0].failures == expected);
  CHECK(outcomes[0].explanation.find("eligible") != std::string::npos);
}

TEST_CASE("scenarios: facts that do not fit the policy fail the case, located") {
  const auto outcomes = run(file_with(R"({"name": "bad date", "citation": "c", "as_of": "2024-01-01",
    "facts": {"birth_date": "1980-02-30"}, "expect": {"status": "eligible"}})"));
  REQUIRE(outcomes.size() == 1);
  REQUIRE(outcomes[0].failures.size() == 1);
  CHECK(outcomes[0].failures[0].starts_with("/cases/0/facts/birth_date: "));
}

TEST_CASE("scenarios: a claim's refused benefit is checked") {
  const std::string text = R"({"format": "entitle-test/1", "policy": "id/bpjs-ketenagakerjaan", "claims": [
    {"name": "death", "citation": "PP 82/2019 Pasal 34", "event": "death", "on": "2024-05-10", "children": ["tk_sd"],
     "facts": {"declared_income": 1000000, "contribution_months": 40, "membership_active": true},
     "expect": {"total": 42000000, "refused": ["jkm_beasiswa"]}}]})";
  const auto outcomes = run(text);
  REQUIRE(outcomes.size() == 1);
  // 40 months is more than the 3 years the JKM scholarship needs: it pays Rp1.500.000 for the first
  // year of TK/SD (PP 82/2019), so the total is Rp43.500.000 and nothing is refused.
  const std::vector<std::string> expected{"total: expected Rp42.000.000, got Rp43.500.000",
                                          "benefit jkm_beasiswa: expected refused, but it is not"};
  CHECK(outcomes[0].failures == expected);
}

TEST_CASE("scenarios: the reader names the file and the JSON pointer of what is wrong") {
  auto error_of = [](const std::string& text) {
    const scratch_file f(text);
    try {
      (void)read_scenario_file(f.path);
    } catch (const error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string at = scratch_path().string() + ": ";
  CHECK(error_of(file_with(R"({"name": "n", "citation": "c", "as_of": "2024-01-01", "facts": {},
    "expect": {"status": "yes"}})")) ==
        at + "/cases/0/expect/status: expected eligible, ineligible or undetermined, found \"yes\"");
  CHECK(error_of(R"({"format": "entitle-test/2", "policy": "p", "cases": []})") ==
        at + "/format: expected the format \"entitle-test/1\", found \"entitle-test/2\"");
  CHECK(error_of(R"({"format": "entitle-test/1", "policy": "p"})") ==
        at + "a scenario file needs at least one of \"cases\", \"batches\" and \"claims\"");
  CHECK(error_of(file_with(R"({"name": "n", "citation": "c", "facts": {}, "expect": {"status": "eligible"}})")) ==
        at + "/cases/0: a scenario needs \"as_of\" or \"period\"");
  CHECK(error_of(file_with(R"({"name": "n", "citation": "c", "as_of": "2024-01-01", "facts": {},
    "expect": {"status": "eligible", "paid": {"worker": 1.5}}})"))
            .starts_with(at + "/cases/0/expect/paid/worker: "));
}

TEST_CASE("scenarios: a batch's funded ids and totals are checked, and names the policy lacks fail") {
  // tests/data/batch/README.md: with a quota of 3, A1, A5 and A2 are funded, 3 x Rp201.600.
  const std::string roster = std::string(ENTITLE_TEST_DATA) + "/batch/oku-small.csv";
  const std::string text = R"({"format": "entitle-test/1", "policy": "oku-timur/pekerja-rentan-2024-iuran", "batches": [
    {"name": "quota 3", "citation": "tests/data/batch/README.md", "roster": ")" +
                           roster + R"(",
     "period": "2024-01..2024-12", "set": {"apbd_oku_timur_2024.quota": 3},
     "expect": {"rows_read": 8, "funded": {"apbd_oku_timur_2024": ["A1", "A2"], "apbd_typo": []},
                "paid": {"PEMKAB_OKU_TIMUR": 604800, "PEMKAB_TYPO": 0}, "total": 1}}],
    "cases": [{"name": "a program that is not", "citation": "c", "period": "2024-01..2024-12",
     "facts": )" + farmer_facts +
                           R"(, "expect": {"status": "eligible", "due": {"JMK": 0}}}]})";
  const auto outcomes = run(text);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].failures == std::vector<std::string>{"due JMK: the policy has no such name; it has [JKK, JKM]"});
  const std::vector<std::string> expected{
      "rows read: expected 8, got 9",
      "funded by apbd_oku_timur_2024: expected [A1, A2], got [A1, A2, A5]",
      "funded by apbd_typo: no subsidy with a quota or budget has that id; they are [apbd_oku_timur_2024]",
      "paid by PEMKAB_TYPO: the policy has no such name; it has [worker, PEMKAB_OKU_TIMUR]",
      "total: expected Rp1, got Rp604.800",
  };
  CHECK(outcomes[1].failures == expected);
}

TEST_CASE("scenarios: a case takes as_of or period, not both") {
  const scratch_file f(file_with(R"({"name": "n", "citation": "c", "as_of": "2024-01-01", "period": "2024-01..2024-12",
    "facts": {}, "expect": {"status": "eligible"}})"));
  CHECK_THROWS_WITH_AS((void)read_scenario_file(f.path),
                       doctest::Contains("/cases/0: a scenario takes \"as_of\" or \"period\", not both"), error);
}
