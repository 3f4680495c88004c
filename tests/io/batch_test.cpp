// Batch evaluation: rosters decided, ranked for quotas and budgets, costed, summarised.
// The fixtures and how their expected outputs were worked out: tests/data/batch/README.md.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include "batch_fixtures.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace entitle;

namespace {

const std::filesystem::path& fixtures = test::batch_fixtures;

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

compiled_policy fixture_policy(const std::string& name) { return test::batch_fixture_policy(name); }

compiled_policy two_quotas_policy() { return test::batch_fixture_two_quotas(); }

batch_options year_2024(unsigned threads = 1) {
  return {.rules = {},
          .as_of = date(2024, 1, 1),
          .period = month_range::calendar_year(2024),
          .threads = threads,
          .strict = false};
}

// Runs `source` and renders every decided row as CSV and every rejected row as the rejects CSV.
struct rendered {
  std::string decisions;
  std::string rejects;
  batch_summary summary;
  std::vector<batch_row> rows; // views valid only during the run: ids copied below
  std::vector<std::string> ids;
};

rendered render(const batch& b, row_source& source) {
  rendered out;
  out.decisions = output_header(b, output_format::csv);
  out.rejects = rejects_header(output_format::csv);
  out.summary = b.run(
      source,
      [&](const batch_row& row) {
        append_row(out.decisions, b, row, output_format::csv);
        out.ids.emplace_back(row.id);
      },
      [&](const rejected_row& row) { append_reject(out.rejects, row, output_format::csv); });
  return out;
}

money rupiah(std::int64_t n) { return money::from_rupiah(n); }

std::size_t payer(const batch_summary& s, std::string_view name) {
  return static_cast<std::size_t>(std::find(s.payers.begin(), s.payers.end(), name) - s.payers.begin());
}

// The header line, then the other lines sorted: a roster's order must not change the output.
std::string sorted_lines(const std::string& text) {
  std::istringstream in(text);
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> lines;
  while (std::getline(in, line))
    lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  std::string out = header + "\n";
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

// A generated roster of `count` OKU Timur people with a fixed seed: mostly eligible, with ties.
std::vector<std::string> generated_rows(std::size_t count) {
  std::mt19937 random(7);
  std::vector<std::string> rows;
  const char* occupations[] = {"guru_mengaji", "marbot", "petani", "nelayan", "pedagang", "ojek"};
  for (std::size_t i = 0; i < count; ++i) {
    const auto pick = [&](std::uint32_t n) { return random() % n; };
    std::string id = "G" + std::to_string(100000 + i);
    rows.push_back(id + ",16080101018" + std::to_string(10000 + i % 90000) + ",16.08.0" + std::to_string(1 + pick(9)) +
                   ".2001," + std::to_string(1960 + pick(45)) + "-0" + std::to_string(1 + pick(9)) + "-1" +
                   std::to_string(pick(9)) + ",informal," + occupations[pick(6)] + "," +
                   (pick(4) == 0 ? "true" : "false") + "," + std::to_string(500000 * (1 + pick(5))) + ",false");
  }
  return rows;
}

const std::string& header = test::oku_roster_header;

// A source that counts how often a batch reads it from its first row.
struct counted_reads : row_source {
  explicit counted_reads(row_source& source) : inner(source) {}
  void rewind() override {
    ++reads;
    inner.rewind();
  }
  bool next(roster_row& row) override { return inner.next(row); }
  [[nodiscard]] std::size_t blank_lines() const noexcept override { return inner.blank_lines(); }
  [[nodiscard]] std::string id_column() const override { return inner.id_column(); }
  [[nodiscard]] std::size_t size_hint() const override { return inner.size_hint(); }
  row_source& inner;
  int reads = 0;
};

// Runs `source` keeping the rows from the first read (the default), with no memory to keep them
// (read twice), and with too little for more than the first chunk (kept, then read again): checks
// the reads each took and that the three give the same bytes. Returns the default run.
rendered same_whether_read_once_or_twice(const compiled_policy& p, batch_options options, row_source& source,
                                         int default_reads = 1) {
  counted_reads counted(source);
  const rendered kept = render(batch(p, options), counted);
  CHECK(counted.reads == default_reads);
  for (const std::size_t memory : {std::size_t{0}, std::size_t{1}}) {
    CAPTURE(memory);
    counted.reads = 0;
    options.read_once_memory = memory;
    const rendered twice = render(batch(p, options), counted);
    CHECK(counted.reads == 2);
    CHECK(twice.decisions == kept.decisions);
    CHECK(twice.rejects == kept.rejects);
    CHECK(boost::json::serialize(to_json(twice.summary)) == boost::json::serialize(to_json(kept.summary)));
  }
  return kept;
}

// A policy whose one program charges the worker 100% of their wage each month, so that a wage of
// Rp50.000.000.000.000.000 (5e18 sen) is more than 64 bits of sen over two months.
const char* const full_wage_policy = R"({"format": "entitle-policy/1", "id": "test/full-wage",
  "facts": {"wage": {"type": "money"}},
  "rules": [{"id": "earns", "label": "Earns a wage", "reason": "NO_WAGE", "citation": "test",
             "when": {"fact": "wage", ">": 0}}],
  "programs": [{"id": "X", "formulas": [{"category": "C", "base": {"fact": "wage"},
    "parts": [{"payer": "worker", "share": {"history": [{"from": "2020-01-01", "value": "100%", "citation": "test"}]}}]}]}],
  "enrolments": [{"id": "e", "who": "earns", "category": "C", "programs": ["X"]}]})";

} // namespace

TEST_CASE("batch: a quota of 3 funds the first three by the policy's ranking, ties broken by id") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  const batch b(p, year_2024());
  roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  const rendered r = render(b, roster);

  // Every figure below: tests/data/batch/README.md.
  CHECK(r.decisions == file_text(fixtures / "oku-quota-3.expected.csv"));
  CHECK(r.rejects == file_text(fixtures / "oku-quota-3.rejects.csv"));
  const batch_summary& s = r.summary;
  CHECK(s.rows_read == 9);
  CHECK(s.decided == 8);
  CHECK(s.rejected == 1);
  CHECK(s.rows_read == s.decided + s.rejected);
  CHECK(s.eligible == 6);
  CHECK(s.ineligible == 1);
  CHECK(s.undetermined == 1);
  CHECK(s.ineligible_by_reason.at("BUKAN_PENDUDUK_OKU_TIMUR") == 1);
  CHECK(s.undetermined_by_fact.at("monthly_income") == 1);
  CHECK(s.rejected_by_column.at("birth_date") == 1);
  REQUIRE(s.quotas.size() == 1);
  CHECK(s.quotas[0].candidates == 6);
  CHECK(s.quotas[0].funded == 3);
  CHECK(s.quotas[0].waitlisted == 3);
  CHECK(s.quotas[0].spent == rupiah(604'800)); // 3 x Rp201.600
  CHECK(s.quotas[0].cut_by == "quota");
  // The regency pays for the three funded, 3 x 201,600; the three waitlisted are quoted their
  // price, 3 x 201,600, which nobody pays: not the worker, and not in what is due.
  CHECK(s.paid_by_payer[payer(s, "PEMKAB_OKU_TIMUR")] == rupiah(604'800));
  CHECK(s.paid_by_payer[payer(s, "worker")] == money());
  CHECK(s.total == rupiah(604'800));
  CHECK(s.quoted == rupiah(604'800));
  CHECK(s.quoted_people == 3);
  CHECK(s.quoted_by_program == std::vector<money>{rupiah(360'000), rupiah(244'800)}); // 3 x 120,000; 3 x 81,600
  // A month: 3 x 16,800 by the regency; JKK due 3 x 10,000, and 3 x 10,000 quoted.
  CHECK(s.paid_by_month[0][payer(s, "PEMKAB_OKU_TIMUR")] == rupiah(50'400));
  CHECK(s.due_by_month[0][0] == rupiah(30'000));
  CHECK(s.quoted_by_month[0][0] == rupiah(30'000));
  CHECK(s.due_by_program == std::vector<money>{rupiah(360'000), rupiah(244'800)});
  CHECK(s.quotas[0].funded_months == 36); // 3 people x 12 months
  CHECK(s.eligible_in_period == 6);       // everyone eligible on 2024-01-01 stays eligible all year
  CHECK(s.eligible_later == 0);
  CHECK(s.incomplete == 1); // A7
}

TEST_CASE("batch: a budget funds whole people in rank order and stops at the first who does not fit") {
  const compiled_policy p = fixture_policy("oku-budget-500k");
  const batch b(p, year_2024());
  roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  const rendered r = render(b, roster);
  CHECK(r.decisions == file_text(fixtures / "oku-budget-500k.expected.csv"));
  const quota_fill& fill = r.summary.quotas.at(0);
  CHECK(fill.funded == 2);
  CHECK(fill.waitlisted == 4);
  CHECK(fill.spent == rupiah(403'200)); // A1 and A5; A2 would make Rp604.800 > Rp500.000
  CHECK(fill.cut_by == "budget");
  CHECK_FALSE(fill.quota.has_value());
}

TEST_CASE("batch: the same people as NDJSON give the same decisions") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  const batch b(p, year_2024());
  roster_file roster(fixtures / "oku-small.ndjson", p.facts(), roster_format::ndjson);
  const rendered r = render(b, roster);
  CHECK(r.decisions == file_text(fixtures / "oku-quota-3.expected.csv"));
  CHECK(r.summary.rejected == 1);
  CHECK(r.rejects.find("8,A8,birth_date,") != std::string::npos); // no header: A8 is on line 8
}

TEST_CASE("batch: NDJSON output carries the same values") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  const batch b(p, year_2024());
  roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  std::vector<std::string> lines;
  (void)b.run(roster, [&](const batch_row& row) {
    std::string line;
    append_row(line, b, row, output_format::ndjson);
    lines.push_back(line);
  });
  REQUIRE(lines.size() == 8);
  CHECK(lines[2] == R"({"id":"A3","status":"eligible","rule":"rentan_oku_timur_2024","reason":"","reasons":[],)"
                    R"("missing":[],"eligible_from":"2024-01","eligible_months":12,"due":{"JKK":0,"JKM":0},)"
                    R"("paid":{"worker":0,"PEMKAB_OKU_TIMUR":0},"total":0,"quoted":201600,"complete":true,)"
                    R"("quotas":{"apbd_oku_timur_2024":{"status":"waitlisted","rank":4,"months":0}}})"
                    "\n");
  CHECK(lines[5].find(R"("eligible_from":null,"eligible_months":0,)") != std::string::npos); // A6
}

TEST_CASE("batch: the output is the same for any thread count and any row order") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  std::vector<std::string> rows = generated_rows(3000);
  auto roster_of = [&](const std::vector<std::string>& r) {
    std::string text = header;
    for (const auto& row : r)
      text += row + "\n";
    return text;
  };
  roster_text ordered(roster_of(rows), p.facts(), roster_format::csv);
  const rendered one = render(batch(p, year_2024(1)), ordered);
  const rendered two = render(batch(p, year_2024(2)), ordered);
  std::shuffle(rows.begin(), rows.end(), std::mt19937(11));
  roster_text shuffled(roster_of(rows), p.facts(), roster_format::csv);
  const rendered three = render(batch(p, year_2024(3)), shuffled);

  CHECK(one.summary.rows_read == 3000);
  CHECK(one.summary.quotas[0].funded == 3);
  CHECK(one.summary.quotas[0].candidates > 1000); // the ranking has work to do
  CHECK(one.decisions == two.decisions);
  CHECK(sorted_lines(one.decisions) == sorted_lines(three.decisions));
  CHECK(boost::json::serialize(to_json(one.summary)) == boost::json::serialize(to_json(three.summary)));
}

TEST_CASE("batch: every row is decided or rejected, and every row of a duplicate id is rejected") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  const std::string text = header + "B1,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false\n"
                                    "B2,1608010101800002,16.08.01.2001,1980-01-01,informal,petani,true\n"
                                    "B1,1608010101800003,16.08.01.2001,1981-01-01,informal,petani,true,1000000,false\n"
                                    "B3,1608010101800004,16.08.01.2001,1982-01-01,informal,tukang,true,1000000,false\n"
                                    "\n"
                                    "B4,1608010101800005,16.08.01.2001,1983-01-01,informal,petani,maybe,1000000,false\n"
                                    "B5,1608010101800006,16.08.01.2001,1984-01-01,informal,marbot,,,false\n";
  roster_text roster(text, p.facts(), roster_format::csv);
  const batch b(p, year_2024());
  const rendered r = render(b, roster);
  CHECK(r.summary.rows_read == 6);
  CHECK(r.summary.decided == 1); // B5 only
  CHECK(r.summary.rejected == 5);
  CHECK(r.summary.blank_lines == 1);
  CHECK(r.rejects == "line,id,column,reason,text\n"
                     "2,B1,id,\"the id \"\"B1\"\" appears on lines 2 and 4; none of them is decided\","
                     "\"B1,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false\"\n"
                     "3,,,\"expected 9 fields, found 7\",\"B2,1608010101800002,16.08.01.2001,1980-01-01,informal,"
                     "petani,true\"\n"
                     "4,B1,id,\"the id \"\"B1\"\" appears on lines 2 and 4; none of them is decided\","
                     "\"B1,1608010101800003,16.08.01.2001,1981-01-01,informal,petani,true,1000000,false\"\n"
                     "5,B3,occupation,\"\"\"tukang\"\" is not a value of the enum fact \"\"occupation\"\"; expected "
                     "one of \"\"guru_mengaji\"\", \"\"marbot\"\", \"\"petani\"\", \"\"nelayan\"\", \"\"pedagang\"\", "
                     "\"\"buruh_harian\"\", \"\"ojek\"\", \"\"lainnya\"\"\",\"B3,1608010101800004,16.08.01.2001,"
                     "1982-01-01,informal,tukang,true,1000000,false\"\n"
                     "7,B4,extreme_poor,\"expected true or false for the bool fact \"\"extreme_poor\"\", found "
                     "\"\"maybe\"\"\",\"B4,1608010101800005,16.08.01.2001,1983-01-01,informal,petani,maybe,1000000,"
                     "false\"\n");
  // B5 is a marbot: eligible with its income and poverty flag unknown; the only candidate, funded.
  CHECK(r.decisions.find("B5,eligible,") != std::string::npos);
  CHECK(r.summary.quotas[0].funded == 1);
}

TEST_CASE("batch: strict stops at the first bad row, naming its line and column") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  batch_options options = year_2024();
  options.strict = true;
  const batch b(p, options);
  roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  bool called = false;
  try {
    (void)b.run(roster, [&](const batch_row&) { called = true; });
    FAIL("a strict batch must stop at line 9");
  } catch (const error& e) {
    CHECK(e.details().location == "line 9, column birth_date");
    CHECK(std::string(e.what()) ==
          "line 9, column birth_date: the date fact \"birth_date\": \"2023-02-29\" is not a date: that month has "
          "28 days");
  }
  CHECK_FALSE(called); // the first read stops before anything is handed out
}

TEST_CASE("batch: strict stops at an id used twice when it comes before any other bad row") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  batch_options options = year_2024();
  options.strict = true;
  const batch b(p, options);
  const std::string row = "1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false\n";
  // B1 on lines 2 and 4; the unknown occupation on line 5 comes after: line 2 is the first bad row.
  roster_text roster(header + "B1," + row + "B2," + row + "B1," + row +
                         "B3,1608010101800004,16.08.01.2001,1982-01-01,informal,tukang,true,1000000,false\n",
                     p.facts(), roster_format::csv);
  CHECK_THROWS_WITH_AS((void)b.run(roster, {}),
                       "line 2, column id: the id \"B1\" appears on lines 2 and 4; none of them is decided", error);
}

TEST_CASE("batch: a waitlisted person's explanation says so, with the rank and what ran out") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  const batch b(p, year_2024());
  roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  std::vector<quota_place> a3;
  const batch_summary s = b.run(roster, [&](const batch_row& row) {
    if (row.id == "A3") a3.assign(row.quotas.begin(), row.quotas.end());
  });
  REQUIRE(a3.size() == 1);
  CHECK(a3[0] == quota_place{quota_status::waitlisted, 4, rupiah(201'600)});
  roster.rewind();
  roster_row row;
  while (roster.next(row) && row.id != "A3") {
  }
  const explanation e = b.explain(row.facts, a3, s);
  REQUIRE(e.contributions.has_value());
  // Waitlisted: nobody pays A3's Rp201.600 (tests/data/batch/README.md); it is quoted to them.
  CHECK(e.contributions->paid_by("worker") == money());
  CHECK(e.contributions->paid_by("PEMKAB_OKU_TIMUR") == money());
  CHECK(e.contributions->total == money());
  CHECK(e.contributions->quoted == rupiah(201'600));
  REQUIRE_FALSE(e.contributions->items.empty());
  CHECK(e.contributions->items[0].quoted == rupiah(10'000)); // JKK 1% of Rp1.000.000
  CHECK(e.contributions->items[0].due == money());
  CHECK(e.contributions->items[0].lines.empty());
  CHECK(to_text(e).find("2024-01 JKK (pekerja_rentan_bpu, BPU): quoted Rp10.000, paid by nobody\n") !=
        std::string::npos);
  CHECK(to_text(e).find("subsidy apbd_oku_timur_2024 does not pay: waitlisted at rank 4 of 6 candidates; the "
                        "quota of 3 people is filled") != std::string::npos);
}

TEST_CASE("batch: records the application holds are evaluated the same way") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  const schema& s = p.facts();
  std::vector<record_rows::entry> people;
  for (int i = 1; i <= 4; ++i) {
    record r(s.size());
    r.set(s, "nik", std::string("160801010180000") + std::to_string(i))
        .set(s, "domicile_code", std::string("16.08.01.2001"))
        .set(s, "birth_date", date(1980 + i, 1, 1))
        .set(s, "employment", std::string("informal"))
        .set(s, "occupation", std::string("marbot"))
        .set(s, "extreme_poor", false)
        .set(s, "monthly_income", rupiah(1'000'000))
        .set(s, "enrolled_bpjs_tk", false);
    people.push_back({"R" + std::to_string(i), std::move(r)});
  }
  record_rows rows(people);
  const batch b(p, year_2024());
  std::vector<std::string> funded;
  const batch_summary summary = b.run(rows, [&](const batch_row& row) {
    if (row.quotas[0].status == quota_status::funded) funded.emplace_back(row.id);
  });
  // Same poverty flag and income: the oldest first (R1 born 1981, R2 1982, R3 1983); R4 waits.
  CHECK(funded == std::vector<std::string>{"R1", "R2", "R3"});
  CHECK(summary.eligible == 4);
  CHECK(summary.paid_by_payer[payer(summary, "PEMKAB_OKU_TIMUR")] == rupiah(604'800));
}

TEST_CASE("batch: options are checked against the policy") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  batch_options late = year_2024();
  late.period = month_range(month(2024, 6), month(2025, 1));
  CHECK_THROWS_WITH_AS(batch(p, late), "the policy \"test/oku-quota-3\" ends on 2024-12-31; the period ends 2025-01",
                       error);
  batch_options unknown = year_2024();
  unknown.rules = {"pekerja_rentan_x"};
  CHECK_THROWS_AS(batch(p, unknown), error);

  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const compiled_policy national(library.get("id/bpjs-ketenagakerjaan"));
  CHECK_THROWS_WITH_AS(default_batch_rules(national),
                       "the policy \"id/bpjs-ketenagakerjaan\" has no enrolments, and each of its rules is "
                       "used by another rule, a formula or a benefit; name the rules that decide a person's status",
                       error);
  const compiled_policy rules_only(library.get("oku-timur/pekerja-rentan-2024"));
  CHECK(default_batch_rules(rules_only) == std::vector<std::string>{"rentan_oku_timur_2024"});
}

TEST_CASE("batch: the summary as JSON") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  const batch b(p, year_2024());
  roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  const auto jv = to_json(b.run(roster, {}));
  const auto& o = jv.as_object();
  CHECK(o.at("format").as_string() == "entitle-summary/1");
  CHECK(o.at("rows").at("read").as_uint64() == 9);
  CHECK(o.at("rows").at("decided").as_uint64() == 8);
  CHECK(o.at("rows").at("rejected").as_uint64() == 1);
  CHECK(o.at("paid_by_payer").at("PEMKAB_OKU_TIMUR").as_int64() == 604'800);
  CHECK(o.at("months").as_array().size() == 12);
  CHECK(o.at("months").at(11).at("month").as_string() == "2024-12");
  CHECK(o.at("months").at(11).at("due").as_int64() == 50'400);                         // 3 funded x 16,800
  CHECK(o.at("months").at(11).at("quoted_by_program").at("JKM").as_int64() == 20'400); // 3 waitlisted x 6,800
  CHECK(o.at("quoted").as_int64() == 604'800);
  CHECK(o.at("quoted_people").as_uint64() == 3);
  CHECK(o.at("status").at("eligible_in_period").as_uint64() == 6);
  CHECK(o.at("status").at("eligible_later").as_uint64() == 0);
  CHECK(o.at("quotas").at(0).at("funded_months").as_uint64() == 36);
  CHECK(o.at("quotas").at(0).at("funded").as_uint64() == 3);
  CHECK(o.at("quotas").at(0).at("cut_by").as_string() == "quota");
}

TEST_CASE("batch: an atomic file appears whole on commit, and not at all without it") {
  const auto dir = std::filesystem::temp_directory_path() / "entitle-atomic-test";
  std::filesystem::create_directories(dir);
  const auto target = dir / "out.csv";
  std::filesystem::remove(target);
  {
    atomic_file file(target);
    file.write("half");
  } // destroyed before commit: as a failed run
  CHECK_FALSE(std::filesystem::exists(target));
  CHECK(std::filesystem::is_empty(dir));
  {
    atomic_file file(target);
    file.write("whole\n");
    CHECK_FALSE(std::filesystem::exists(target));
    file.commit();
  }
  CHECK(file_text(target) == "whole\n");
  std::filesystem::remove_all(dir);
}

// Regressions from the review of the batch (each found by running it).

TEST_CASE("batch: an id whose other copy is malformed is still a duplicate") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  const std::string good = "1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false\n";
  roster_text roster(header + "A1," + good + "A2," + good +
                         "A1,1608010101800001,16.08.01.2001,1980-02-30,informal,petani,true,1000000,false\n",
                     p.facts(), roster_format::csv);
  const rendered r = render(batch(p, year_2024()), roster);
  CHECK(r.summary.decided == 1); // A2
  CHECK(r.summary.rejected == 2);
  CHECK(r.rejects.find("2,A1,id,\"the id \"\"A1\"\" appears on lines 2 and 4; none of them is decided\"") !=
        std::string::npos);
  CHECK(r.rejects.find("4,A1,birth_date,") != std::string::npos); // its own problem
}

TEST_CASE("batch: strict reports the first bad row in roster order, a duplicate id included") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  batch_options options = year_2024();
  options.strict = true;
  const std::string good = "1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false\n";
  // A1 on lines 2 and 5; a bad income on line 3, between them: line 2 is the first bad row.
  roster_text roster(header + "A1," + good +
                         "A2,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,lots,"
                         "false\n" +
                         "A3," + good + "A1," + good,
                     p.facts(), roster_format::csv);
  CHECK_THROWS_WITH_AS((void)batch(p, options).run(roster, {}),
                       "line 2, column id: the id \"A1\" appears on lines 2 and 5; none of them is decided", error);
}

TEST_CASE("batch: many copies of one id are reported in one reason of bounded length") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  std::string text = header;
  for (int i = 0; i < 2000; ++i)
    text += "X,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false\n";
  roster_text roster(text, p.facts(), roster_format::csv);
  std::vector<std::string> reasons;
  const batch_summary s =
      batch(p, year_2024()).run(roster, {}, [&](const rejected_row& row) { reasons.push_back(row.reason); });
  CHECK(s.rejected == 2000);
  CHECK(s.decided == 0);
  CHECK(reasons.at(1999) == "the id \"X\" appears on lines 2, 3, 4, 5, 6 and 1995 more; none of them is decided");
}

TEST_CASE("batch: an id that is not UTF-8 is rejected, and NDJSON rejects stay valid UTF-8") {
  const compiled_policy p = fixture_policy("oku-quota-3");
  roster_text roster(header + "A\xff" +
                         "1,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false\n",
                     p.facts(), roster_format::csv);
  std::string out;
  const batch_summary s = batch(p, year_2024()).run(roster, {}, [&](const rejected_row& row) {
    append_reject(out, row, output_format::ndjson);
  });
  CHECK(s.rejected == 1);
  // U+FFFD in place of the byte 0xFF.
  CHECK(out == "{\"line\":2,\"id\":\"A\xEF\xBF\xBD"
               "1\",\"column\":\"id\",\"reason\":\"the id is not valid UTF-8\","
               "\"text\":\"A\xEF\xBF\xBD"
               "1,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,"
               "false\"}\n");
  CHECK(boost::json::parse(out).at("reason") == "the id is not valid UTF-8");
}

TEST_CASE("batch: a rule reading many ages is costed without a fixed limit") {
  // 40 date facts, each read as an age and as a count of months by the one enrolment rule: 80
  // date inputs (the costing once held at most 64).
  std::string facts, tests, row = "P1", columns = "id";
  for (int i = 0; i < 40; ++i) {
    const std::string d = std::string("d").append(std::to_string(i));
    if (i > 0) {
      facts += ", ";
      tests += ", ";
    }
    facts.append("\"").append(d).append("\": {\"type\": \"date\"}");
    tests.append("{\"age_of\": \"")
        .append(d)
        .append("\", \">=\": 0}, {\"months_since\": \"")
        .append(d)
        .append("\", \">=\": 0}");
    columns.append(",").append(d);
    row.append(",1990-0").append(std::to_string(1 + i % 9)).append("-15");
  }
  const std::string policy_text = R"({"format": "entitle-policy/1", "id": "test/ages", "facts": {)" + facts +
                                  R"(}, "rules": [{"id": "all_adults", "label": "All dates in the past",
    "reason": "FUTURE", "citation": "test", "when": {"all": [)" +
                                  tests + R"(]}}],
    "programs": [{"id": "X", "formulas": [{"category": "C", "parts": [{"payer": "worker",
      "amount": {"history": [{"from": "2020-01-01", "value": 1000, "citation": "test"}]}}]}]}],
    "enrolments": [{"id": "e", "who": "all_adults", "category": "C", "programs": ["X"]}]})";
  const compiled_policy p(read_policy(policy_text));
  roster_text roster(columns + "\n" + row + "\n", p.facts(), roster_format::csv);
  const batch_summary s = batch(p, year_2024()).run(roster, {});
  CHECK(s.eligible == 1);
  CHECK(s.total == rupiah(12'000)); // Rp1.000 a month for 12 months
}

TEST_CASE("batch: totals past 64 bits of sen stop the batch with a clear message") {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const compiled_policy p(library.get("oku-timur/non-asn-2022"));
  // A wage of Rp90,000,000,000,000,000 is 9e18 sen, just within 64 bits; JHT alone (5.7%) over 12
  // months is 6.2e18 sen a person, so two people's total no longer fits.
  std::string text = "id,nik,employment,agency,wage,risk_class\n";
  for (const char* id : {"W1", "W2"})
    text += std::string(id) + ",1608010101800001,non_asn,DINAS,90000000000000000,1\n";
  roster_text roster(text, p.facts(), roster_format::csv);
  batch_options options{.rules = {},
                        .as_of = date(2022, 1, 1),
                        .period = month_range::calendar_year(2022),
                        .threads = 1,
                        .strict = false};
  try {
    (void)batch(p, options).run(roster, {});
    FAIL("the totals cannot be counted");
  } catch (const error& e) {
    CHECK(e.code() == errc::overflow);
    CHECK(std::string(e.what()).starts_with("the batch's totals are too large to count in sen"));
  }
}

TEST_CASE("batch: a second capped subsidy ranks those the first left out, by its own keys") {
  // oku-quota-3 funds A1, A5 and A2 and waitlists A3, A4 and A9 (tests/data/batch/README.md). A
  // donor then pays all of JKK and JKM, after the regency, for 2 people ranked oldest first: the
  // regency's funded people leave it nothing to pay, so its candidates are A3 (born 1970), A4
  // (1960) and A9 (1985): A4 and A3 are funded, A9 waits at rank 3: Rp201.600 quoted, paid by
  // nobody.
  const compiled_policy p = two_quotas_policy();
  const batch b(p, year_2024(2));
  CHECK(b.capped() == std::vector<std::string>{"apbd_oku_timur_2024", "csr_2024"});
  roster_file roster(fixtures / "oku-small.csv", p.facts(), roster_format::csv);
  std::map<std::string, std::pair<quota_place, quota_place>> places;
  const batch_summary s = b.run(roster, [&](const batch_row& row) {
    places[std::string(row.id)] = {row.quotas[0], row.quotas[1]};
  });
  const money year = rupiah(201'600);
  CHECK(places.at("A1") == std::pair(quota_place{quota_status::funded, 1, year}, quota_place{}));
  CHECK(places.at("A3") ==
        std::pair(quota_place{quota_status::waitlisted, 4, year}, quota_place{quota_status::funded, 2, year}));
  CHECK(places.at("A4") ==
        std::pair(quota_place{quota_status::waitlisted, 5, year}, quota_place{quota_status::funded, 1, year}));
  CHECK(places.at("A9") ==
        std::pair(quota_place{quota_status::waitlisted, 6, year}, quota_place{quota_status::waitlisted, 3, year}));
  CHECK(s.quotas.at(1).candidates == 3);
  CHECK(s.quotas.at(1).spent == rupiah(403'200));
  CHECK(s.paid_by_payer[payer(s, "PEMKAB_OKU_TIMUR")] == rupiah(604'800));
  CHECK(s.paid_by_payer[payer(s, "CSR_DONOR")] == rupiah(403'200));
  CHECK(s.paid_by_payer[payer(s, "worker")] == money());
  CHECK(s.quoted == rupiah(201'600));
  CHECK(s.quoted_people == 1);
}

TEST_CASE("batch: rows kept from the first read come out as a second read gives them") {
  const compiled_policy quota = fixture_policy("oku-quota-3");
  SUBCASE("a generated roster of many chunks, on one thread and two") {
    std::string text = header;
    for (const auto& row : generated_rows(3000))
      text += row + "\n";
    for (const unsigned threads : {1U, 2U}) {
      CAPTURE(threads);
      roster_text roster(text, quota.facts(), roster_format::csv);
      const rendered r = same_whether_read_once_or_twice(quota, year_2024(threads), roster);
      CHECK(r.summary.quotas[0].funded == 3);
    }
  }
  SUBCASE("a roster of several chunks on two and three threads, parsed on all of them, gives one "
          "thread's bytes") {
    // 20,000 rows are three chunks of threads (8,192 rows each), so chunks are read, worked and
    // recorded at once; every 97th row is malformed, so that rejects come from every thread.
    std::string text = header;
    const std::vector<std::string> rows = generated_rows(20'000);
    for (std::size_t i = 0; i < rows.size(); ++i)
      text += (i % 97 == 5 ? rows[i] + ",extra" : rows[i]) + "\n";
    roster_text one_thread(text, quota.facts(), roster_format::csv);
    const rendered one = same_whether_read_once_or_twice(quota, year_2024(1), one_thread);
    CHECK(one.summary.rejected == 207); // rows 5, 102, ..., 19,987: (19,987 - 5) / 97 + 1
    CHECK(one.summary.decided == 20'000 - 207);
    for (const unsigned threads : {2U, 3U}) {
      CAPTURE(threads);
      roster_text roster(text, quota.facts(), roster_format::csv);
      const rendered r = same_whether_read_once_or_twice(quota, year_2024(threads), roster);
      CHECK(r.decisions == one.decisions);
      CHECK(r.rejects == one.rejects);
      CHECK(boost::json::serialize(to_json(r.summary)) == boost::json::serialize(to_json(one.summary)));
    }
  }
  SUBCASE("the hand-worked fixtures: a quota, a budget, NDJSON") {
    roster_file csv(fixtures / "oku-small.csv", quota.facts(), roster_format::csv);
    CHECK(same_whether_read_once_or_twice(quota, year_2024(), csv).decisions ==
          file_text(fixtures / "oku-quota-3.expected.csv"));
    roster_file ndjson(fixtures / "oku-small.ndjson", quota.facts(), roster_format::ndjson);
    CHECK(same_whether_read_once_or_twice(quota, year_2024(), ndjson).decisions ==
          file_text(fixtures / "oku-quota-3.expected.csv"));
    const compiled_policy budget = fixture_policy("oku-budget-500k");
    roster_file again(fixtures / "oku-small.csv", budget.facts(), roster_format::csv);
    CHECK(same_whether_read_once_or_twice(budget, year_2024(), again).decisions ==
          file_text(fixtures / "oku-budget-500k.expected.csv"));
  }
  SUBCASE("two capped subsidies: four outcomes kept for each candidate") {
    const compiled_policy two = two_quotas_policy();
    roster_file roster(fixtures / "oku-small.csv", two.facts(), roster_format::csv);
    const rendered r = same_whether_read_once_or_twice(two, year_2024(2), roster);
    CHECK(r.summary.quotas.at(1).funded == 2); // A4 and A3, as in the test of two capped subsidies
  }
  SUBCASE("a duplicate id is rejected with its rows' text, which only a second read has") {
    roster_text roster(header + "B1,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false\n"
                                "B1,1608010101800003,16.08.01.2001,1981-01-01,informal,petani,true,1000000,false\n"
                                "B3,1608010101800004,16.08.01.2001,1982-01-01,informal,marbot,true,1000000,false\n",
                       quota.facts(), roster_format::csv);
    const rendered r = same_whether_read_once_or_twice(quota, year_2024(), roster, 2);
    CHECK(r.summary.rejected == 2);
    CHECK(r.summary.decided == 1);
  }
}

TEST_CASE("batch: a row whose amounts are too large to count is rejected, and the rest go on") {
  // W2 pays 100% of Rp50.000.000.000.000.000 a month: two months are 1e19 sen, past 64 bits
  // (9.2e18). W1 and W3 pay their wage 12 times: Rp1.000.000 x 12 + Rp2.500.000 x 12 = Rp42.000.000.
  const compiled_policy p(read_policy(full_wage_policy));
  roster_text roster("id,wage\nW1,1000000\nW2,50000000000000000\nW3,2500000\n", p.facts(), roster_format::csv);
  const rendered r = same_whether_read_once_or_twice(p, year_2024(), roster);
  CHECK(r.summary.rows_read == 3);
  CHECK(r.summary.decided == 2);
  CHECK(r.summary.rejected == 1);
  CHECK(r.summary.total == rupiah(42'000'000));
  CHECK(r.rejects == "line,id,column,reason,text\n"
                     "3,W2,,the contributions of this row are too large to count: money sum does not fit in 64 "
                     "bits,\"W2,50000000000000000\"\n");
  CHECK(r.ids == std::vector<std::string>{"W1", "W3"});
  batch_options strict = year_2024();
  strict.strict = true;
  roster.rewind();
  try {
    (void)batch(p, strict).run(roster, {});
    FAIL("strict stops at W2");
  } catch (const error& e) {
    CHECK(e.code() == errc::overflow);
    CHECK(e.details().location == "line 3");
  }
}

namespace {

// A quota of 3 ranked by `keys` of the integer facts a to g (each -1 or 1 below, both in every
// column, so that every key's word differs in its top bit), ascending, then by id.
std::string ranked_by_policy(const std::vector<std::string>& keys) {
  std::string rank_by;
  for (const auto& k : keys)
    rank_by += (rank_by.empty() ? "" : ", ") + std::string(R"({"fact": ")") + k + R"(", "order": "ascending"})";
  std::string facts = R"("wage": {"type": "money"})";
  for (const char* f : {"a", "b", "c", "d", "e", "f", "g"})
    facts += std::string(R"(, ")") + f + R"(": {"type": "integer"})";
  return std::string(R"({"format": "entitle-policy/1", "id": "test/many-keys",
    "effective": {"from": "2024-01-01", "until": "2024-12-31"}, "facts": {)") +
         facts + R"(},
    "rules": [{"id": "earns", "label": "Earns a wage", "reason": "NO_WAGE", "citation": "test",
               "when": {"fact": "wage", ">": 0}}],
    "programs": [{"id": "P", "formulas": [{"category": "C", "base": {"fact": "wage"},
      "parts": [{"payer": "worker", "share": {"history": [{"from": "2020-01-01", "value": "1%", "citation": "test"}]}}]}]}],
    "enrolments": [{"id": "e", "who": "earns", "category": "C", "programs": ["P"]}],
    "subsidies": [{"id": "q", "label": "A quota", "payer": "R", "citation": "test", "who": "earns",
      "programs": ["P"], "share": {"percent": "100%"}, "window": {"from": "2024-01", "months": 12},
      "quota": 3, "priority": 1, "rank_by": [)" +
         rank_by + "]}]}";
}

// Each person's place in the quota, by id.
std::map<std::string, quota_place> places_by_id(const std::vector<std::string>& keys) {
  const compiled_policy p(read_policy(ranked_by_policy(keys)));
  roster_text roster("id,wage,a,b,c,d,e,f,g\n"
                     "X1,1000000,1,1,1,1,1,1,1\n"
                     "X2,1000000,-1,1,1,1,1,1,1\n"
                     "X3,1000000,1,1,1,1,1,1,-1\n"
                     "X4,1000000,1,-1,1,1,1,1,1\n"
                     "X5,1000000,1,1,1,1,1,1,1\n"
                     "X6,1000000,,1,1,1,1,1,1\n"
                     "X7,1000000,1,1,-1,-1,-1,-1,1\n",
                     p.facts(), roster_format::csv);
  std::map<std::string, quota_place> places;
  (void)batch(p, year_2024()).run(roster, [&](const batch_row& row) { places[std::string(row.id)] = row.quotas[0]; });
  return places;
}

} // namespace

TEST_CASE("batch: a quota ranks by every key in order, then by id, however many keys differ") {
  // Each person's 12 months of 1% of Rp1.000.000: Rp10.000 a month, Rp120.000 funded.
  const money year = rupiah(120'000);
  auto place = [&](quota_status status, std::uint32_t rank) { return quota_place{status, rank, year}; };
  SUBCASE("two keys: the ranking words packed into a few bits") {
    // a ascending: X2 (-1); then b ascending among a = 1: X4 (-1); then X1, X3, X5, X7 by id;
    // X6's missing a ranks after every present one.
    const auto places = places_by_id({"a", "b"});
    CHECK(places.at("X2") == place(quota_status::funded, 1));
    CHECK(places.at("X4") == place(quota_status::funded, 2));
    CHECK(places.at("X1") == place(quota_status::funded, 3));
    CHECK(places.at("X3") == place(quota_status::waitlisted, 4));
    CHECK(places.at("X5") == place(quota_status::waitlisted, 5));
    CHECK(places.at("X7") == place(quota_status::waitlisted, 6));
    CHECK(places.at("X6") == place(quota_status::waitlisted, 7));
  }
  SUBCASE("seven keys, each differing in its top bit: more bits than packed rows hold") {
    // X2 (a = -1), X4 (b = -1), X7 (c = -1), X3 (g = -1), then X1 and X5 alike on every key, by
    // id; X6 last.
    const auto places = places_by_id({"a", "b", "c", "d", "e", "f", "g"});
    CHECK(places.at("X2") == place(quota_status::funded, 1));
    CHECK(places.at("X4") == place(quota_status::funded, 2));
    CHECK(places.at("X7") == place(quota_status::funded, 3));
    CHECK(places.at("X3") == place(quota_status::waitlisted, 4));
    CHECK(places.at("X1") == place(quota_status::waitlisted, 5));
    CHECK(places.at("X5") == place(quota_status::waitlisted, 6));
    CHECK(places.at("X6") == place(quota_status::waitlisted, 7));
  }
}
