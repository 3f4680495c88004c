// A batch over a period in which people's status changes, and people no capped subsidy can fund:
// rows and summary say from which month a person is eligible and funded, and what is quoted to
// whom nobody pays (docs/batch.md, "Status over the period" and "Quotas and budgets").
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include "batch_fixtures.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>

using namespace entitle;
using namespace entitle::literals;

namespace {

// Four vulnerable workers of OKU Timur under test/oku-quota-3 (the regency pays JKK Rp10.000 and
// JKM Rp6.800 a month for at most 3 people, ranked extreme poor first, then lower income, then
// older; PP 44/2015 Lampiran II and Pasal 46 on a registered income of Rp1.000.000), decided on
// 2024-01-01 for 2024, with the policy's age limit of 15 to 65 (both included) applied on each
// month's first day:
// - B1, born 2009-03-10: 14 on 2024-01-01, so ineligible (USIA_DI_LUAR_BATAS); 15 from
//   2024-03-10, so eligible on the first days of April to December: 9 months.
// - B2, born 1958-06-20: 65 on 2024-01-01, 66 from 2024-06-20: eligible January to June, 6 months.
// - B3, born 1980-01-01: eligible all year, 12 months.
// - B4, born 1990-01-01, not extreme poor and with a higher income: ranked last.
// Ranking (all three poor with Rp500.000, oldest first): B2, B3, B1, then B4. The quota funds
// B2, B3 and B1; B4 is waitlisted and quoted 12 x Rp16.800 = Rp201.600, which nobody pays.
const std::string roster = test::oku_roster_header +
                           "B1,1608010101800011,16.08.01.2001,2009-03-10,informal,petani,true,500000,false\n"
                           "B2,1608010101800012,16.08.01.2001,1958-06-20,informal,petani,true,500000,false\n"
                           "B3,1608010101800013,16.08.01.2001,1980-01-01,informal,petani,true,500000,false\n"
                           "B4,1608010101800014,16.08.01.2001,1990-01-01,informal,petani,false,1000000,false\n";

struct row_seen {
  status outcome;
  std::optional<month> eligible_from;
  std::uint32_t eligible_months;
  money total;
  money quoted;
  quota_place place;
  std::uint32_t funded_months;
  friend bool operator==(const row_seen&, const row_seen&) = default;
};

batch_options year_2024(unsigned threads) {
  return {.rules = {},
          .as_of = date(2024, 1, 1),
          .period = month_range::calendar_year(2024),
          .threads = threads,
          .strict = false};
}

} // namespace

TEST_CASE("batch over a period: eligible from a later month and funded for those months, counted so") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  for (const unsigned threads : {1U, 2U}) {
    CAPTURE(threads);
    const batch b(p, year_2024(threads));
    roster_text source(roster, p.facts(), roster_format::csv);
    std::map<std::string, row_seen> rows;
    std::string csv = output_header(b, output_format::csv);
    const batch_summary s = b.run(source, [&](const batch_row& r) {
      rows[std::string(r.id)] = {r.outcome.outcome, r.eligible_from, r.eligible_months, r.total,
                                 r.quoted,          r.quotas[0],     r.funded_months[0]};
      append_row(csv, b, r, output_format::csv);
    });
    // Status, eligible from and for, paid, quoted, place (cost over the window) and funded months.
    const auto funded = quota_status::funded;
    CHECK(rows.at("B1") == row_seen{status::ineligible, month(2024, 4), 9, 151'200_rp, money(), // 9 x 16,800
                                    quota_place{funded, 3, 151'200_rp}, 9});
    CHECK(rows.at("B2") == row_seen{status::eligible, month(2024, 1), 6, 100'800_rp, money(), // 6 x 16,800
                                    quota_place{funded, 1, 100'800_rp}, 6});
    CHECK(rows.at("B3") ==
          row_seen{status::eligible, month(2024, 1), 12, 201'600_rp, money(), quota_place{funded, 2, 201'600_rp}, 12});
    CHECK(rows.at("B4") == row_seen{status::eligible, month(2024, 1), 12, money(), 201'600_rp,
                                    quota_place{quota_status::waitlisted, 4, 201'600_rp}, 0});

    // The summary counts what the rows say: 3 eligible on 2024-01-01, 4 in some month of 2024,
    // 1 of them (B1) only later; 3 funded for 9 + 6 + 12 = 27 months.
    CHECK(s.eligible == 3);
    CHECK(s.ineligible == 1);
    CHECK(s.ineligible_by_reason.at("USIA_DI_LUAR_BATAS") == 1);
    CHECK(s.eligible_in_period == 4);
    CHECK(s.eligible_later == 1);
    CHECK(s.quotas.at(0).funded == 3);
    CHECK(s.quotas.at(0).funded_months == 27);
    CHECK(s.quotas.at(0).spent == 453'600_rp); // 151,200 + 100,800 + 201,600
    CHECK(s.total == 453'600_rp);
    CHECK(s.quoted == 201'600_rp);
    CHECK(s.quoted_people == 1);
    // April: B1, B2 and B3 funded: 3 x 16,800. July: B2 has turned 66: B1 and B3.
    const std::size_t regency = 1; // payers: worker, PEMKAB_OKU_TIMUR
    REQUIRE(s.payers.at(regency) == "PEMKAB_OKU_TIMUR");
    CHECK(s.paid_by_month.at(3).at(regency) == 50'400_rp);
    CHECK(s.paid_by_month.at(6).at(regency) == 33'600_rp);
    CHECK(s.paid_by_month.at(0).at(regency) == 33'600_rp); // January: B2 and B3

    CHECK(
        csv.find("\nB1,ineligible,rentan_oku_timur_2024,USIA_DI_LUAR_BATAS,USIA_DI_LUAR_BATAS,,2024-04,9,90000,61200,0,"
                 "151200,151200,0,true,funded,3,9\n") != std::string::npos);
    CHECK(csv.find("\nB4,eligible,rentan_oku_timur_2024,,,,2024-01,12,0,0,0,0,0,201600,true,waitlisted,4,0\n") !=
          std::string::npos);
    CHECK(to_text(s).find("\neligible in some month of 2024-01..2024-12: 4 (1 of them not eligible on 2024-01-01)\n") !=
          std::string::npos);
  }
}

TEST_CASE("batch over a period: the months a person is covered, and the first and last, as columns") {
  // Covered: a month with a contribution due for the person. From the roster above (worked by
  // hand from the ages): B1 April to December (9), B2 January to June (6), B3 all year (12); B4,
  // waitlisted, has nothing due, so no month (its JKK and JKM are quoted, paid by nobody). Over
  // 2024-03..2024-08, B1 is covered April to August (5) and B2 March to June (4).
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  for (const bool year : {true, false}) {
    CAPTURE(year);
    batch_options options = year_2024(1);
    if (!year) options.period = month_range(month(2024, 3), month(2024, 8));
    options.columns = {"covered_months", "covered_from", "covered_until", "birth_date"};
    const batch b(p, options);
    CHECK(b.columns()[0].what == output_column::kind::period);
    CHECK(b.columns()[3].what == output_column::kind::fact);
    roster_text source(roster, p.facts(), roster_format::csv);
    std::map<std::string, std::string> csv;
    std::string ndjson;
    (void)b.run(source, [&](const batch_row& r) {
      std::string line;
      append_row(line, b, r, output_format::csv);
      csv[std::string(r.id)] = line.substr(line.find(",true,") + 6);
      append_row(ndjson, b, r, output_format::ndjson);
    });
    CHECK(output_header(b, output_format::csv)
              .ends_with(",months_apbd_oku_timur_2024,covered_months,covered_from,covered_until,birth_date\n"));
    if (year) {
      CHECK(csv.at("B1") == "funded,3,9,9,2024-04,2024-12,2009-03-10\n");
      CHECK(csv.at("B2") == "funded,1,6,6,2024-01,2024-06,1958-06-20\n");
      CHECK(csv.at("B3") == "funded,2,12,12,2024-01,2024-12,1980-01-01\n");
      CHECK(csv.at("B4") == "waitlisted,4,0,0,,,1990-01-01\n");
      CHECK(ndjson.find(R"("covered_months":0,"covered_from":null,"covered_until":null,"birth_date":"1990-01-01")") !=
            std::string::npos);
    } else {
      CHECK(csv.at("B1").substr(csv.at("B1").find(',', csv.at("B1").find(',') + 1)) ==
            ",5,5,2024-04,2024-08,2009-03-10\n");
      CHECK(csv.at("B2").substr(csv.at("B2").find(',', csv.at("B2").find(',') + 1)) ==
            ",4,4,2024-03,2024-06,1958-06-20\n");
    }
  }
}

TEST_CASE("batch over a period: a period value misspelt is refused with the close names") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  batch_options options = year_2024(1);
  options.columns = {"covered_month"};
  try {
    const batch b(p, options);
    FAIL("expected covered_month to be refused");
  } catch (const error& e) {
    CHECK(e.details().message ==
          "the column \"covered_month\" asked for in the output is not one of the "
          "policy's facts, derived values or values over the period; the close ones are \"covered_months\"");
  }
}

TEST_CASE("monthly status: a rule without ages is decided once, a rule with one again only where it changes") {
  const compiled_policy p = test::batch_fixture_policy("oku-quota-3");
  const auto rule = static_cast<std::uint32_t>(*p.rules().find("rentan_oku_timur_2024"));
  const monthly_status calendar(p.rules(), {rule}, month_range::calendar_year(2024));
  CHECK(calendar.dated()); // the age limit
  roster_text source(roster, p.facts(), roster_format::csv);
  source.rewind();
  roster_row row;
  std::map<std::string, months_met> met;
  std::optional<record> b3;
  while (source.next(row)) {
    met[row.id] = calendar.of(row.facts.facts(), false, date(2023, 12, 31)); // a day outside the period
    if (row.id == "B3") b3 = row.facts;
  }
  CHECK(met.at("B1") == months_met{month(2024, 4), 9});
  CHECK(met.at("B2") == months_met{month(2024, 1), 6});
  CHECK(met.at("B3") == months_met{month(2024, 1), 12});

  const auto nik_rule = static_cast<std::uint32_t>(*p.rules().find("nik_valid"));
  const monthly_status undated(p.rules(), {nik_rule}, month_range::calendar_year(2024));
  CHECK_FALSE(undated.dated());
  REQUIRE(b3.has_value());
  CHECK(undated.of(b3->facts(), true, date(2024, 1, 1)) == months_met{month(2024, 1), 12});
  CHECK(undated.of(b3->facts(), false, date(2024, 1, 1)) == months_met{});
  // The verdict given for the period's first day is taken as it is, not decided again: B3's age
  // does not change in 2024 (born 1 January), so no month is decided and none is met.
  CHECK(calendar.of(b3->facts(), false, date(2024, 1, 1)) == months_met{});
  CHECK(calendar.of(b3->facts(), true, date(2024, 1, 1)) == months_met{month(2024, 1), 12});
}
