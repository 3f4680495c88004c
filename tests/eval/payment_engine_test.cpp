// The payment engine: one person's contributions compiled, evaluated per run of months, with no
// allocation; statements (a tracer) and batch amounts (no tracer) from the same evaluation.
#include <entitle/eval/payment_engine.hpp>

#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include "allocation_counter.hpp"
#include "oku_roster.hpp"

#include <boost/json/object.hpp>
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace entitle;

namespace {

policy shipped_policy(const std::string& id) {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  return library.get(id);
}

compiled_policy shipped(const std::string& id) { return compiled_policy(shipped_policy(id)); }

// OKU Timur's 2024 scheme with a quota of 40, so that a roster of hundreds has people waitlisted.
compiled_policy oku_quota_40() {
  policy p = shipped_policy("oku-timur/pekerja-rentan-2024-iuran");
  for (auto& s : p.subsidies)
    if (s.quota) s.quota = 40;
  return compiled_policy(std::move(p));
}

// OKU Timur's non-ASN staff, every wage different (Rp2,000,000 plus i x Rp1,237), risk classes 1
// to 5, and every 17th person without a wage, every 23rd not non-ASN.
std::vector<record> staff(const compiled_policy& p, std::size_t count) {
  std::vector<record> out;
  for (std::size_t i = 0; i < count; ++i) {
    boost::json::object o;
    char nik[32];
    std::snprintf(nik, sizeof nik, "1608%012zu", i);
    o["nik"] = nik;
    o["employment"] = i % 23 == 0 ? "asn" : "non_asn";
    o["agency"] = std::to_string(i % 7);
    o["enrolled_bpjs_tk"] = false;
    if (i % 17 != 0) o["wage"] = static_cast<std::int64_t>(2'000'000 + i * 1'237);
    o["risk_class"] = static_cast<std::int64_t>(i % 5 + 1);
    out.push_back(record_from_json(p.facts(), o));
  }
  return out;
}

std::vector<record> oku_people(const compiled_policy& p, std::size_t count) {
  oku_timur::roster_generator roster(11);
  std::vector<record> out;
  for (const auto& person : roster.take(count))
    out.push_back(record_from_json(p.facts(), oku_timur::to_json(person)));
  return out;
}

// The statement's due by program and paid by payer, in the engine's order.
void check_against(const payment_engine& engine, const payment_amounts& a, const contribution_statement& st) {
  for (std::size_t k = 0; k < engine.programs().size(); ++k) {
    money due;
    for (const auto& item : st.items)
      if (item.program == engine.programs()[k]) due += item.due;
    CHECK(a.due_total[k] == due);
  }
  for (std::size_t k = 0; k < engine.payers().size(); ++k)
    CHECK(a.paid_total[k] == st.paid_by(engine.payers()[k]));
  CHECK(a.total == st.total);
  CHECK(a.complete == st.complete());
}

} // namespace

TEST_CASE("payment engine: over a run of months, the same amounts as one month at a time") {
  // Each month evaluated alone is a run of one month: the reference for runs that merge months.
  // The OKU roster has people turning 15 or 60 within 2024 (an age the rules read) and the
  // non-ASN policy has the JP ceiling changing in March (PP 45/2015 Art. 29).
  for (const auto& [p, people] : {std::pair{shipped("oku-timur/pekerja-rentan-2024-iuran"), 0},
                                  std::pair{shipped("oku-timur/non-asn-2022"), 1}}) {
    const payment_engine& engine = p.engine();
    const month_range year = people == 0 ? month_range::calendar_year(2024) : month_range::calendar_year(2022);
    const auto records = people == 0 ? oku_people(p, 400) : staff(p, 400);
    const auto whole = engine.schedule_for(year);
    std::vector<payment_engine::schedule> single;
    for (const month m : year)
      single.push_back(engine.schedule_for(month_range(m, m)));
    payment_engine::workspace w(engine);
    payment_amounts over_year, one_month;
    std::size_t paying = 0;
    for (const record& r : records) {
      CAPTURE(r.facts().size());
      engine.evaluate(r.facts(), whole, {}, w, over_year);
      paying += over_year.total != money();
      for (std::size_t m = 0; m < single.size(); ++m) {
        engine.evaluate(r.facts(), single[m], {}, w, one_month);
        for (std::size_t k = 0; k < engine.programs().size(); ++k)
          CHECK(over_year.due[m * engine.programs().size() + k] == one_month.due[k]);
        for (std::size_t k = 0; k < engine.payers().size(); ++k)
          CHECK(over_year.paid[m * engine.payers().size() + k] == one_month.paid[k]);
      }
    }
    CHECK(paying > 50); // a hundred and more pay something: the comparison is not of zeros
  }
}

TEST_CASE("payment engine: statements and amounts come from one evaluation") {
  const compiled_policy p = shipped("oku-timur/non-asn-2022");
  const payment_engine& engine = p.engine();
  const month_range year = month_range::calendar_year(2022);
  const auto schedule = engine.schedule_for(year);
  payment_engine::workspace w(engine);
  payment_amounts a;
  for (const record& r : staff(p, 300)) {
    engine.evaluate(r.facts(), schedule, {}, w, a);
    check_against(engine, a, p.contributions(r, year));
  }
}

TEST_CASE("payment engine: a staff member's 2022 worked out by hand") {
  // Wage Rp4,000,000, risk class 2 (PP 44/2015 annex: JKK 0.54%), enrolled as PU with the regency as
  // employer. A month: JKK 0.54% = Rp21,600; JKM 0.30% = Rp12,000 (PP 44/2015 Art. 18); JHT 5.7% =
  // Rp228,000, of which the worker's 2% = Rp80,000 (PP 46/2015 Art. 16); JP 3% = Rp120,000, of
  // which the worker's 1% = Rp40,000 (PP 45/2015 Art. 28); JKP 0.46% = Rp18,400 (PP 37/2021
  // Art. 11): 0.22% from the central government (Rp8,800) and 0.24% recomposed from JKK and JKM,
  // paid by nobody again. The regency pays 21,600 + 12,000 + 148,000 + 80,000 = Rp261,600 a month.
  const compiled_policy p = shipped("oku-timur/non-asn-2022");
  boost::json::object o{{"nik", "1608010101900001"}, {"employment", "non_asn"}, {"agency", "DINKES"},
                        {"enrolled_bpjs_tk", false}, {"wage", 4'000'000},       {"risk_class", 2}};
  const record person = record_from_json(p.facts(), o);
  const payment_engine& engine = p.engine();
  payment_engine::workspace w(engine);
  payment_amounts a;
  engine.evaluate(person.facts(), engine.schedule_for(month_range::calendar_year(2022)), {}, w, a);
  auto paid = [&](std::string_view payer) {
    for (std::size_t k = 0; k < engine.payers().size(); ++k)
      if (engine.payers()[k] == payer) return a.paid_total[k];
    FAIL("no payer " << payer);
    return money();
  };
  using namespace entitle::literals;
  CHECK(paid("PEMKAB_OKU_TIMUR") == 261'600_rp * 12);
  CHECK(paid("worker") == 120'000_rp * 12);
  CHECK(paid("central_government") == 8'800_rp * 12);
  CHECK(a.total == (261'600_rp + 120'000_rp + 8'800_rp) * 12);
  CHECK(a.complete);
}

TEST_CASE("payment engine: a person's twelve months of five programs allocate nothing") {
  const compiled_policy p = shipped("oku-timur/non-asn-2022");
  const payment_engine& engine = p.engine();
  const auto schedule = engine.schedule_for(month_range::calendar_year(2022));
  const auto people = staff(p, 1'000);
  payment_engine::workspace w(engine);
  payment_amounts a;
  engine.evaluate(people.front().facts(), schedule, {}, w, a); // sizes the amounts once
  money total;
  const std::size_t before = allocation_counter::count();
  for (const record& r : people) {
    engine.evaluate(r.facts(), schedule, {}, w, a);
    total += a.total;
  }
  const std::size_t after = allocation_counter::count();
  CHECK(after - before == 0);
  CHECK(total > money());
  // The counter works: a statement allocates.
  (void)p.contributions(people.front(), month_range::calendar_year(2022));
  CHECK(allocation_counter::count() > after);
}

TEST_CASE("batch amounts equal each person's contributions, on one thread and two") {
  struct story {
    compiled_policy policy;
    std::vector<record> people;
    month_range period;
  };
  const compiled_policy non_asn = shipped("oku-timur/non-asn-2022");
  const compiled_policy oku = oku_quota_40();
  std::vector<story> stories;
  stories.push_back({non_asn, staff(non_asn, 600), month_range::calendar_year(2022)});
  stories.push_back({oku, oku_people(oku, 600), month_range::calendar_year(2024)});
  for (const story& s : stories)
    for (const unsigned threads : {1U, 2U}) {
      CAPTURE(s.policy.source().id);
      CAPTURE(threads);
      std::vector<record_rows::entry> entries;
      for (std::size_t i = 0; i < s.people.size(); ++i)
        entries.push_back({"P" + std::to_string(100'000 + i), s.people[i]});
      record_rows rows(entries);
      const batch b(s.policy, {.rules = {},
                               .as_of = s.period.first().first_day(),
                               .period = s.period,
                               .threads = threads,
                               .strict = false});
      struct kept {
        std::size_t line;
        std::vector<money> due, paid;
        money total;
        bool complete;
        std::vector<quota_place> quotas;
      };
      std::vector<kept> out;
      const batch_summary summary = b.run(rows, [&](const batch_row& r) {
        out.push_back({r.line,
                       {r.due.begin(), r.due.end()},
                       {r.paid.begin(), r.paid.end()},
                       r.total,
                       r.complete,
                       {r.quotas.begin(), r.quotas.end()}});
      });
      REQUIRE(out.size() == s.people.size());
      std::size_t waitlisted = 0;
      for (const kept& k : out) {
        const record& person = s.people[k.line - 1];
        const contribution_statement st = b.explain(person, k.quotas, summary).contributions.value();
        for (const auto& q : k.quotas)
          waitlisted += q.status == quota_status::waitlisted;
        for (std::size_t i = 0; i < b.programs().size(); ++i) {
          money due;
          for (const auto& item : st.items)
            if (item.program == b.programs()[i]) due += item.due;
          CHECK(k.due[i] == due);
        }
        for (std::size_t i = 0; i < b.payers().size(); ++i)
          CHECK(k.paid[i] == st.paid_by(b.payers()[i]));
        CHECK(k.total == st.total);
        CHECK(k.complete == st.complete());
      }
      if (&s == &stories.back()) CHECK(waitlisted > 0); // denials are compared too
    }
}

namespace {

// A wage ceiling raised in March, a worker's share raised from 15 July (so from August: a month
// uses what is in force on its first day), a relief halving everything in May and June, and a
// donor paying half from October for two months: seven segments in 2020.
const char* const changing_figures = R"({"format": "entitle-policy/1", "id": "test/changing-figures",
  "facts": {"wage": {"type": "money"}},
  "rules": [{"id": "earns", "label": "Earns a wage", "reason": "NO_WAGE", "citation": "test",
             "when": {"fact": "wage", ">": 0}}],
  "programs": [{"id": "X", "formulas": [{"category": "C",
    "base": {"fact": "wage", "ceiling": {"history": [{"from": "2020-01-01", "value": 5000000, "citation": "c1"},
                                                     {"from": "2020-03-01", "value": 6000000, "citation": "c2"}]}},
    "parts": [{"payer": "worker", "share": {"history": [{"from": "2020-01-01", "value": "2%", "citation": "s1"},
                                                        {"from": "2020-07-15", "value": "3%", "citation": "s2"}]}},
              {"payer": "employer", "amount": {"history": [{"from": "2020-01-01", "value": 10000, "citation": "f"}]}}]}]}],
  "adjustments": [{"id": "relief", "label": "Half", "programs": ["X"],
    "factor": {"history": [{"from": "2020-05-01", "value": "50%", "citation": "r"}], "until": "2020-06-30"}}],
  "enrolments": [{"id": "e", "who": "earns", "category": "C", "programs": ["X"]}],
  "subsidies": [{"id": "donor", "label": "Half from a donor", "payer": "DONOR", "citation": "d", "who": "earns",
    "programs": ["X"], "share": {"percent": "50%"}, "window": {"from": "2020-10", "months": 2}}]})";

money paid_by(const payment_engine& engine, const payment_amounts& a, std::size_t month, std::string_view payer) {
  for (std::size_t k = 0; k < engine.payers().size(); ++k)
    if (engine.payers()[k] == payer) return a.paid[month * engine.payers().size() + k];
  FAIL("no payer " << payer);
  return money();
}

} // namespace

TEST_CASE("payment engine: figures, an adjustment and a subsidy window changing within the period") {
  // Wage Rp8,000,000, each month by hand (rounded to whole rupiah; 50% of Rp190,000 is Rp95,000,
  // taken from the worker and employer in proportion, 18:1):
  //   Jan-Feb base 5,000,000: worker 2% = 100,000, employer 10,000
  //   Mar-Apr base 6,000,000: worker 120,000, employer 10,000
  //   May-Jun the relief halves both: worker 60,000, employer 5,000
  //   Jul     worker 120,000 (the 3% of 15 July applies from August), employer 10,000
  //   Aug-Sep worker 3% = 180,000, employer 10,000
  //   Oct-Nov the donor pays 95,000: worker 90,000, employer 5,000
  //   Dec     worker 180,000, employer 10,000
  using namespace entitle::literals;
  const compiled_policy p(read_policy(changing_figures));
  const payment_engine& engine = p.engine();
  const month_range year = month_range::calendar_year(2020);
  const auto schedule = engine.schedule_for(year);
  CHECK(schedule.segments() == 7);
  const record person = record_from_json(p.facts(), boost::json::object{{"wage", 8'000'000}});
  payment_engine::workspace w(engine);
  payment_amounts a;
  engine.evaluate(person.facts(), schedule, {}, w, a);
  const money worker[] = {100'000_rp, 100'000_rp, 120'000_rp, 120'000_rp, 60'000_rp, 60'000_rp,
                          120'000_rp, 180'000_rp, 180'000_rp, 90'000_rp,  90'000_rp, 180'000_rp};
  const money employer[] = {10'000_rp, 10'000_rp, 10'000_rp, 10'000_rp, 5'000_rp, 5'000_rp,
                            10'000_rp, 10'000_rp, 10'000_rp, 5'000_rp,  5'000_rp, 10'000_rp};
  for (std::size_t m = 0; m < 12; ++m) {
    CAPTURE(m);
    CHECK(paid_by(engine, a, m, "worker") == worker[m]);
    CHECK(paid_by(engine, a, m, "employer") == employer[m]);
    CHECK(paid_by(engine, a, m, "DONOR") == (m == 9 || m == 10 ? 95'000_rp : money()));
    CHECK(a.due[m] == worker[m] + employer[m] + paid_by(engine, a, m, "DONOR"));
  }
  CHECK(a.due_total[0] == 1'690'000_rp);
  CHECK(a.total == 1'690'000_rp);
  CHECK(a.granted[0] == 190'000_rp);
  check_against(engine, a, p.contributions(person, year));
}

TEST_CASE("payment engine: a sum over months past 64 bits of sen is an overflow, not a wrap") {
  // 100% of Rp10,000,000,000,000,000 is 1e18 sen a month: nine months (9e18) fit in 64 bits
  // (9.22e18), twelve do not, though the year is one run multiplied by its length.
  const compiled_policy p(read_policy(R"({"format": "entitle-policy/1", "id": "test/full-wage",
    "facts": {"wage": {"type": "money"}},
    "rules": [{"id": "earns", "label": "Earns a wage", "reason": "NO_WAGE", "citation": "test",
               "when": {"fact": "wage", ">": 0}}],
    "programs": [{"id": "X", "formulas": [{"category": "C", "base": {"fact": "wage"},
      "parts": [{"payer": "worker", "share": {"history": [{"from": "2020-01-01", "value": "100%", "citation": "t"}]}}]}]}],
    "enrolments": [{"id": "e", "who": "earns", "category": "C", "programs": ["X"]}]})"));
  const payment_engine& engine = p.engine();
  const record person =
      record_from_json(p.facts(), boost::json::object{{"wage", std::int64_t{10'000'000'000'000'000}}});
  payment_engine::workspace w(engine);
  payment_amounts a;
  engine.evaluate(person.facts(), engine.schedule_for(month_range(month(2024, 1), month(2024, 9))), {}, w, a);
  CHECK(a.total == money::from_minor_units(9'000'000'000'000'000'000));
  try {
    engine.evaluate(person.facts(), engine.schedule_for(month_range::calendar_year(2024)), {}, w, a);
    FAIL("twelve months do not fit");
  } catch (const error& e) {
    CHECK(e.code() == errc::overflow);
    CHECK(std::string(e.what()).find("money sum does not fit in 64 bits") != std::string::npos);
  }
}
