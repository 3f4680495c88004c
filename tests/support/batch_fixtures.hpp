#pragma once
// The batch fixtures of tests/data/batch (how their expected outputs were worked out:
// tests/data/batch/README.md), loaded with the shipped policies they extend.
#include <entitle/entitle.hpp>

#include <filesystem>
#include <string>

namespace entitle::test {

inline const std::filesystem::path batch_fixtures = std::filesystem::path(ENTITLE_TEST_DATA) / "batch";

/// The fixture policy `name` (as `tests/data/batch/<name>.json`), compiled.
inline compiled_policy batch_fixture_policy(const std::string& name) {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const std::string id = library.add_file(batch_fixtures / (name + ".json"));
  return compiled_policy(library.get(id));
}

/// oku-quota-3 with a second capped subsidy after the regency's: a donor pays all of JKK and JKM
/// for 2 people, ranked oldest first, so the second ranking reads the first's places.
inline compiled_policy batch_fixture_two_quotas() {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  library.add_file(batch_fixtures / "oku-quota-3.json");
  library.add(R"({"format": "entitle-policy/1", "id": "test/two-quotas", "extends": "test/oku-quota-3",
    "effective": {"from": "2024-01-01", "until": "2024-12-31"},
    "subsidies": [{"id": "csr_2024", "payer": "CSR_DONOR", "who": "rentan_oku_timur_2024",
      "programs": ["JKK", "JKM"], "share": {"percent": "100%"}, "window": {"from": "2024-01", "months": 12},
      "quota": 2, "priority": 2, "rank_by": [{"fact": "birth_date"}]}]})");
  return compiled_policy(library.get("test/two-quotas"));
}

/// The columns of the OKU Timur fixture rosters.
inline const std::string oku_roster_header =
    "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk\n";

} // namespace entitle::test
