// A batch run with subsidy fields set for the run (docs/batch.md, "Run-time parameters"), on the
// nine people of tests/data/batch/oku-small.csv under the shipped OKU Timur policy, whose quota
// of 4650 funds all six candidates. The ranking is worked out by hand in tests/data/batch/README.md:
// A1, A5, A2, A3, A4, A9 (extreme_poor first, then the lowest income, then the oldest, then id),
// each costing the regency Rp201.600 over 2024 (12 x (JKK Rp10.000 + JKM Rp6.800)).
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include "batch_fixtures.hpp"
#include "failure_of.hpp"
#include "shipped_policies.hpp"

#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

using namespace entitle;

namespace {

const std::string oku = "oku-timur/pekerja-rentan-2024-iuran";
const std::string apbd = "apbd_oku_timur_2024";

batch_options year_2024(std::vector<setting> settings = {}) {
  return {.rules = {},
          .as_of = date(2024, 1, 1),
          .period = month_range::calendar_year(2024),
          .threads = 1,
          .strict = false,
          .read_once_memory = batch_options{}.read_once_memory,
          .settings = std::move(settings)};
}

// Each decided person's place in the regency's subsidy: "funded 1", "waitlisted 3", "" for none.
struct places {
  std::map<std::string, std::string> by_id;
  batch_summary summary;
};

places run_small(const batch& b) {
  places out;
  roster_file roster(test::batch_fixtures / "oku-small.csv", b.policy().facts(), roster_format::csv);
  out.summary = b.run(roster, [&](const batch_row& row) {
    const quota_place& q = row.quotas[0];
    out.by_id[std::string(row.id)] =
        q.status == quota_status::none ? "" : std::string(to_string(q.status)) + " " + std::to_string(q.rank);
  });
  return out;
}

// With a quota of 2, the first two of the ranking are funded and the other four waitlisted at
// their ranks; A6 (ineligible) and A7 (undetermined) are no candidates.
const std::map<std::string, std::string> quota_of_2{{"A1", "funded 1"},
                                                    {"A2", "waitlisted 3"},
                                                    {"A3", "waitlisted 4"},
                                                    {"A4", "waitlisted 5"},
                                                    {"A5", "funded 2"},
                                                    {"A6", ""},
                                                    {"A7", ""},
                                                    {"A9", "waitlisted 6"}};

void check_quota_of_2(const places& got) {
  CHECK(got.by_id == quota_of_2);
  REQUIRE(got.summary.quotas.size() == 1);
  const quota_fill& q = got.summary.quotas[0];
  CHECK(q.quota == std::optional<std::int64_t>(2));
  CHECK(q.candidates == 6);
  CHECK(q.funded == 2);
  CHECK(q.waitlisted == 4);
  CHECK(q.spent == money::from_rupiah(403'200)); // 2 x Rp201.600
  CHECK(q.cut_by == "quota");
  CHECK(got.summary.settings == std::vector<applied_setting>{{apbd + ".quota", "2", "4650"}});
}

} // namespace

TEST_CASE("without settings the shipped quota of 4650 funds all six candidates") {
  const compiled_policy policy = test::shipped().compile(oku);
  const places got = run_small(batch(policy, year_2024()));
  CHECK(got.summary.quotas.at(0).funded == 6);
  CHECK(got.by_id.at("A9") == "funded 6");
  CHECK(got.summary.settings.empty());
}

TEST_CASE("a quota of 2 set for the run funds the first two of the ranking: compiled with the setting") {
  const compiled_policy policy = test::shipped().compile(oku, std::vector<setting>{{apbd + ".quota", "2"}});
  check_quota_of_2(run_small(batch(policy, year_2024())));
}

TEST_CASE("a quota of 2 set for the run funds the first two of the ranking: through batch_options") {
  const compiled_policy policy = test::shipped().compile(oku);
  const batch b(policy, year_2024({{apbd + ".quota", "2"}}));
  // The batch runs its own copy of the policy with the setting; the one given is unchanged.
  CHECK(b.policy().source().subsidies[0].quota == std::optional<std::int64_t>(2));
  CHECK(policy.source().subsidies[0].quota == std::optional<std::int64_t>(4650));
  check_quota_of_2(run_small(b));
  // A copy of the batch runs the same copy of the policy.
  const batch copy = b;
  check_quota_of_2(run_small(copy));
}

TEST_CASE("a budget set for the run cuts the list where the money ends") {
  // Rp500.000 holds A1 and A5 (Rp403.200); A2 would bring it to Rp604.800.
  const compiled_policy policy = test::shipped().compile(oku);
  const places got = run_small(batch(policy, year_2024({{apbd + ".budget", "Rp500.000"}})));
  CHECK(got.by_id.at("A5") == "funded 2");
  CHECK(got.by_id.at("A2") == "waitlisted 3");
  CHECK(got.summary.quotas.at(0).cut_by == "budget");
}

TEST_CASE("settings through batch_options are checked as the binder checks them, naming the setting") {
  const compiled_policy policy = test::shipped().compile(oku);
  CHECK(test::failure_of([&] {
          (void)batch(policy, year_2024({{apbd + ".quota", "-1"}}));
        }) == failure(errc::invalid_syntax, "a quota cannot be negative", apbd + ".quota=-1"));
  CHECK(test::failure_of([&] { (void)batch(policy, year_2024({{"apbd.quota", "1"}})); })->location == "apbd.quota=1");
}

TEST_CASE("settings are given where the policy is compiled or in batch_options, not in both") {
  const compiled_policy policy = test::shipped().compile(oku, std::vector<setting>{{apbd + ".quota", "2"}});
  CHECK(test::failure_of([&] {
          (void)batch(policy, year_2024({{apbd + ".budget", "Rp1"}}));
        }) == failure(errc::invalid_syntax,
                      "the policy \"oku-timur/pekerja-rentan-2024-iuran\" was compiled with settings "
                      "(\"apbd_oku_timur_2024.quota\"); give the settings there or to the batch, not in both"));
}

TEST_CASE("the summary records what was set: a member of the JSON and a line of the table") {
  const compiled_policy policy = test::shipped().compile(oku);
  const places got = run_small(batch(policy, year_2024({{apbd + ".quota", "2"}, {apbd + ".share", "50%"}})));
  const boost::json::value jv = to_json(got.summary);
  CHECK(boost::json::serialize(jv.at("settings")) ==
        R"([{"name":"apbd_oku_timur_2024.quota","value":"2","was":"4650"},)"
        R"({"name":"apbd_oku_timur_2024.share","value":"50%","was":"100%"}])");
  CHECK(to_text(got.summary)
            .find("\nset for this run: apbd_oku_timur_2024.quota=2 (the policy has 4650), "
                  "apbd_oku_timur_2024.share=50% (the policy has 100%)\n") != std::string::npos);
  // Half of each funded person's Rp201.600 is paid: Rp100.800 each, for two people.
  CHECK(got.summary.quotas.at(0).spent == money::from_rupiah(201'600));
  // A field the policy left out is null; a run without settings has an empty list and no line.
  batch_summary none = got.summary;
  none.settings = {{apbd + ".quota", "2", std::nullopt}};
  CHECK(boost::json::serialize(to_json(none).at("settings")) ==
        R"([{"name":"apbd_oku_timur_2024.quota","value":"2","was":null}])");
  CHECK(to_text(none).find("apbd_oku_timur_2024.quota=2 (the policy has none)\n") != std::string::npos);
  none.settings.clear();
  CHECK(to_json(none).at("settings").as_array().empty());
  CHECK(to_text(none).find("set for this run") == std::string::npos);
}
