// The examples of docs/policy-format.md, read from the document and run.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/policy_json.hpp>

#include "doc_example.hpp"
#include "rule_check.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

using namespace entitle;

namespace {
const std::string doc = std::string(ENTITLE_DOCS_DIR) + "/policy-format.md";

std::vector<std::string> names(const std::vector<std::string_view>& views) { return {views.begin(), views.end()}; }

// One line per row the batch hands out, in roster order, as `line` writes it.
std::vector<std::string> lines_of(const batch& b, row_source& roster,
                                  const std::function<std::string(const batch_row&)>& line) {
  std::vector<std::string> out;
  (void)b.run(roster, [&](const batch_row& row) { out.push_back(line(row)); });
  return out;
}

// The CSV lines of the rows the batch hands out, in roster order.
std::vector<std::string> csv_lines(const batch& b, row_source& roster) {
  return lines_of(b, roster, [&](const batch_row& row) {
    std::string line;
    append_row(line, b, row, output_format::csv);
    return line;
  });
}
} // namespace

TEST_CASE("docs: policy-format.md, missing facts said once") {
  const compiled_policy p = compile_policy(test::doc_example(doc, "missing-facts"));
  const date on(2024, 1, 1);
  auto decided = [&](std::string_view rule, rule_check::facts_list facts) {
    record r(p.facts().size());
    for (const auto& [name, value] : facts)
      r.set(p.facts(), name, value);
    return p.decide(p.rule(rule), r, on);
  };
  // The case the section tells: an informal worker with no income on record.
  const decision status = decided("rentan", {{"employment", "informal"}});
  CHECK(status.outcome == status::undetermined);
  CHECK(names(p.reasons(status)) == std::vector<std::string>{"PENGHASILAN_BELUM_DIISI"});
  CHECK(names(p.missing_facts(status)) == std::vector<std::string>{"monthly_income"});
  const decision selected = decided("subsidy_selects", {{"employment", "informal"}});
  CHECK(selected.outcome == status::ineligible);
  CHECK(p.first_reason(selected) == "TIDAK_DIBIAYAI");
  CHECK(selected.missing.none());
  // With the income given, both rules agree (Rp1.500.000 is within the Rp2.000.000 limit).
  CHECK(decided("rentan", {{"employment", "informal"}, {"monthly_income", "Rp1.500.000"}}).outcome == status::eligible);
  CHECK(decided("subsidy_selects", {{"employment", "informal"}, {"monthly_income", "Rp1.500.000"}}).outcome ==
        status::eligible);
  // Nothing known at all: both requirements unknown, only income_low has a code.
  CHECK(names(p.reasons(decided("rentan", {}))) == std::vector<std::string>{"PENGHASILAN_BELUM_DIISI"});

  SUBCASE("in a batch: the reason column and the summary's undetermined_by_reason") {
    const batch b(p, {.rules = {"rentan"}, .as_of = on, .period = month_range(month(2024, 1), month(2024, 1))});
    roster_text roster("id,employment,monthly_income\n"
                       "P1,informal,\n"
                       "P2,informal,Rp1.500.000\n"
                       "P3,asn,\n",
                       p.facts(), roster_format::csv);
    std::string out = output_header(b, output_format::csv);
    const batch_summary s = b.run(roster, [&](const batch_row& row) { append_row(out, b, row, output_format::csv); });
    CHECK(out.find("\nP1,undetermined,rentan,PENGHASILAN_BELUM_DIISI,PENGHASILAN_BELUM_DIISI,monthly_income,") !=
          std::string::npos);
    CHECK(s.undetermined == 1);
    CHECK(s.undetermined_by_reason ==
          std::map<std::string, std::uint64_t, std::less<>>{{"PENGHASILAN_BELUM_DIISI", 1}});
    CHECK(s.ineligible_by_reason.at("BUKAN_PEKERJA_INFORMAL") == 1);
    CHECK(to_text(s).find("  undetermined PENGHASILAN_BELUM_DIISI: 1\n") != std::string::npos);
  }
}

TEST_CASE("docs: policy-format.md, months people start and stop work") {
  const compiled_policy p = compile_policy(test::doc_example(doc, "staff-months"));
  const batch b(p, {.rules = {"employed"}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)});
  // By hand, counting the first days of 2024's months that fall from the start month to the end
  // month: S1 March to December (10), S2 January to June (6), S3 ends before it starts (none),
  // S4 starts in 2025 (none), S5 only December (1).
  roster_text roster("id,start_month,end_month\n"
                     "S1,2024-03,\n"
                     "S2,2023-05,2024-06\n"
                     "S3,2024-03,2024-02\n"
                     "S4,2025-01,\n"
                     "S5,2024-12,2024-12\n",
                     p.facts(), roster_format::csv);
  const std::vector<std::string> got = lines_of(b, roster, [](const batch_row& row) {
    return std::string(row.id) + " " + (row.eligible_from ? to_string(*row.eligible_from) : "-") + " " +
           std::to_string(row.eligible_months);
  });
  CHECK(got == std::vector<std::string>{"S1 2024-03 10", "S2 2024-01 6", "S3 - 0", "S4 - 0", "S5 2024-12 1"});

  SUBCASE("a day is not a month, and a month is not a day") {
    roster_text days("id,start_month,end_month\nD1,2024-03-01,\n", p.facts(), roster_format::csv);
    std::vector<std::string> reasons;
    (void)b.run(
        days, [](const batch_row&) {}, [&](const rejected_row& r) { reasons.push_back(r.reason); });
    REQUIRE(reasons.size() == 1);
    CHECK(reasons[0].find("expected a month as YYYY-MM, such as \"2024-03\", found \"2024-03-01\"") !=
          std::string::npos);
    schema dated;
    dated.add(field("start", fact_type::date));
    CHECK(coerce_text(dated.at(0), "2024-03").error().message ==
          "the date fact \"start\": \"2024-03\" is a month, not a day; a fact of months is declared \"type\": "
          "\"month\"");
  }
}

TEST_CASE("docs: policy-format.md, a quota ranked by tiers") {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const std::string id = library.add(test::doc_example(doc, "tier-ranking"), "policy-format.md");
  const compiled_policy p = library.compile(id);
  const batch b(p, {.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)});
  // Six eligible people (NIK of 16 digits, living in 16.08., 15 to 65 on 2024-01-01, not ASN, not
  // enrolled, and vulnerable). Ranked by hand, key by key:
  //   extreme_poor descending: T4 (true); then T1, T2, T3, T5 (false); T6 (missing) last.
  //   among the false, the tier: T2 (guru_mengaji) and T3 (marbot) before T1 and T5;
  //   T3 (Rp2.500.000) before T2 (Rp3.000.000); T1 and T5 both Rp500.000, T1 born first.
  // So T4 1, T3 2, T2 3 are funded by the quota of 3; T1 4, T5 5, T6 6 wait.
  roster_text roster(
      "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk\n"
      "T1,1608010101700001,16.08.01.2001,1970-01-01,informal,petani,false,500000,false\n"
      "T2,1608010101850002,16.08.01.2002,1985-01-01,informal,guru_mengaji,false,3000000,false\n"
      "T3,1608010505600003,16.08.01.2003,1960-05-05,informal,marbot,false,2500000,false\n"
      "T4,1608010101900004,16.08.02.2001,1990-01-01,informal,petani,true,1500000,false\n"
      "T5,1608010101800005,16.08.03.2001,1980-01-01,informal,pedagang,false,500000,false\n"
      "T6,1608010101750006,16.08.04.2001,1975-01-01,informal,ojek,,800000,false\n",
      p.facts(), roster_format::csv);
  const std::vector<std::string> got = lines_of(b, roster, [](const batch_row& row) {
    return std::string(row.id) + " " + std::string(to_string(row.quotas[0].status)) + " " +
           std::to_string(row.quotas[0].rank);
  });
  CHECK(got == std::vector<std::string>{"T1 waitlisted 4", "T2 funded 3", "T3 funded 2", "T4 funded 1",
                                        "T5 waitlisted 5", "T6 waitlisted 6"});
}

TEST_CASE("docs: policy-format.md, a parameter set for one run") {
  policy_library library;
  const std::string id = library.add(test::doc_example(doc, "parameters"), "policy-format.md");
  auto rentan = [&](const compiled_policy& p) {
    record r(p.facts().size());
    r.set(p.facts(), "monthly_income", "Rp2.200.000");
    r.set(p.facts(), "birth_date", "1984-01-01"); // 40 on 2024-01-01
    return p.decide(p.rule("rentan"), r, date(2024, 1, 1)).outcome;
  };
  CHECK(rentan(library.compile(id)) == status::ineligible); // over the Rp2.000.000 limit
  const std::vector<setting> raised{{"income_limit", "Rp2.500.000"}};
  const compiled_policy set = library.compile(id, raised);
  CHECK(rentan(set) == status::eligible);
  const batch b(
      set, {.rules = {"rentan"}, .as_of = date(2024, 1, 1), .period = month_range(month(2024, 1), month(2024, 1))});
  roster_text roster("id,monthly_income,birth_date\nP1,2200000,1984-01-01\n", set.facts(), roster_format::csv);
  const batch_summary s = b.run(roster, [](const batch_row&) {});
  CHECK(s.eligible == 1);
  CHECK(to_text(s).find("set for this run: income_limit=Rp2.500.000 (the policy has Rp2.000.000)") !=
        std::string::npos);
}

TEST_CASE("docs: policy-format.md, derived values") {
  const compiled_policy p = compile_policy(test::doc_example(doc, "derived-values"));
  const date on(2024, 1, 1);
  auto person = [&](rule_check::facts_list facts) {
    record r(p.facts().size());
    for (const auto& [name, value] : facts)
      r.set(p.facts(), name, value);
    return r;
  };
  // By hand: born 1990-06-15, on 2024-01-01 is 33 (the birthday of 2024 not yet reached);
  // Rp800.000 is raised to Rp1.000.000 (PP 44/2015 annex II), level 1; Rp2.500.000 is above
  // Rp2.000.000, level 3.
  const record low =
      person({{"birth_date", "1990-06-15"}, {"declared_income", "Rp800.000"}, {"occupation", "guru_mengaji"}});
  const record high =
      person({{"birth_date", "1990-06-15"}, {"declared_income", "Rp2.500.000"}, {"occupation", "petani"}});
  const record none = person({{"birth_date", "1990-06-15"}, {"occupation", "petani"}});
  CHECK(p.decide(p.rule("bpu"), low, on).outcome == status::eligible);
  CHECK(p.decide(p.rule("bpu"), high, on).outcome == status::ineligible);
  const decision unknown = p.decide(p.rule("bpu"), none, on);
  CHECK(unknown.outcome == status::undetermined);
  CHECK(names(p.missing_facts(unknown)) == std::vector<std::string>{"declared_income"});

  SUBCASE("the explanation shows the derived value and where it comes from") {
    const std::string text = to_text(p.explain(p.rule("bpu"), high, on));
    CHECK(
        text.find("income_level <= 2 (actual 3; income_level is derived: Tingkat penghasilan [PP 44/2015 annex II])") !=
        std::string::npos);
    // A derived value that is an age is tested as the age of its fact, and shown so.
    CHECK(text.find("age of birth_date between 15 and 65 (actual 33, from birth_date 1990-06-15)") !=
          std::string::npos);
  }

  SUBCASE("as output columns of a batch") {
    batch_options options{.rules = {"bpu"}, .as_of = on, .period = month_range(month(2024, 1), month(2024, 1))};
    options.columns = {"age", "contribution_base", "income_level", "religious_worker"};
    const batch b(p, options);
    roster_text roster("id,birth_date,declared_income,occupation\n"
                       "A,1990-06-15,Rp800.000,guru_mengaji\n"
                       "B,1990-06-15,Rp2.500.000,petani\n"
                       "C,1990-06-15,,petani\n",
                       p.facts(), roster_format::csv);
    const auto rows = csv_lines(b, roster);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].starts_with("A,eligible,"));
    CHECK(rows[0].ends_with(",33,1000000,1,true\n"));
    CHECK(rows[1].ends_with(",33,2500000,3,false\n"));
    CHECK(rows[2].ends_with(",33,,,false\n")); // no income: no base, no level
  }
}

TEST_CASE("docs: policy-format.md, decision tables") {
  const compiled_policy p = compile_policy(test::doc_example(doc, "decision-tables"));
  const date on(2024, 1, 1);
  auto person = [&](rule_check::facts_list facts) {
    record r(p.facts().size());
    for (const auto& [name, value] : facts)
      r.set(p.facts(), name, value);
    return r;
  };
  // By hand, from the tables as written: a marbot not extremely poor falls past row 0 to row 1
  // (tier 2); Rp1.500.000 is above Rp1.000.000 and at most Rp2.000.000 (level 2). A petani falls
  // to row 2 (tier 3). Extremely poor: row 0 (tier 1), whatever the occupation.
  const record marbot = person(
      {{"extreme_poor", "false"}, {"occupation", "marbot"}, {"declared_income", "Rp1.500.000"}, {"risk_class", "3"}});
  const record petani =
      person({{"extreme_poor", "false"}, {"occupation", "petani"}, {"declared_income", "Rp1.500.000"}});
  const record poor = person({{"extreme_poor", "true"}, {"declared_income", "Rp800.000"}});
  const record unsure = person({{"occupation", "marbot"}, {"declared_income", "Rp800.000"}});
  CHECK(p.decide(p.rule("priority"), marbot, on).outcome == status::eligible);
  CHECK(p.decide(p.rule("priority"), petani, on).outcome == status::ineligible);
  CHECK(p.decide(p.rule("priority"), poor, on).outcome == status::eligible);
  const decision open = p.decide(p.rule("priority"), unsure, on);
  CHECK(open.outcome == status::undetermined);
  CHECK(names(p.missing_facts(open)) == std::vector<std::string>{"extreme_poor"});

  SUBCASE("the explanation names the row that matched") {
    const std::string text = to_text(p.explain(p.rule("priority"), marbot, on));
    CHECK(text.find("tier <= 2 (actual 2; tier is derived: Tingkat prioritas [Perbup OKU Timur tentang pekerja "
                    "rentan, 2024]; table tier (Tingkat prioritas penerima), row 1 \"agama\" [Perbup OKU Timur 2024, "
                    "urutan prioritas 2])") != std::string::npos);
  }

  SUBCASE("as output columns of a batch") {
    batch_options options{.rules = {"priority"}, .as_of = on, .period = month_range(month(2024, 1), month(2024, 1))};
    options.columns = {"tier", "income_level", "jkk_rate"};
    const batch b(p, options);
    roster_text roster("id,extreme_poor,occupation,declared_income,risk_class\n"
                       "A,false,marbot,Rp1.500.000,3\n",
                       p.facts(), roster_format::csv);
    const auto rows = csv_lines(b, roster);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].ends_with(",2,2,0.89%\n"));
  }
}

TEST_CASE("docs: policy-format.md, a part's share from a decision table (share_of)") {
  const compiled_policy p = compile_policy(test::doc_example(doc, "jkk-share-of"));
  auto worker = [&](std::string_view risk_class) {
    record r(p.facts().size());
    r.set(p.facts(), "wage", std::string("Rp3.000.000"));
    if (!risk_class.empty()) r.set(p.facts(), "risk_class", std::string(risk_class));
    return r;
  };
  const month_range january(month(2024, 1), month(2024, 1));
  // By hand, PP 44/2015 Lampiran I: Rp3.000.000 x 0.89% (class III) = Rp26.700; x 1.74% (class V)
  // = Rp52.200.
  const auto three = p.contributions(worker("3"), january);
  CHECK(three.total == money::parse("Rp26.700"));
  CHECK(p.contributions(worker("5"), january).total == money::parse("Rp52.200"));
  CHECK(to_text(three) ==
        "example/jkk-share-of, 2024-01..2024-01: Rp26.700 (employer Rp26.700)\n"
        "2024-01 JKK (pu, PU): due Rp26.700\n"
        "  employer Rp26.700  JKK/PU formula 0, part 0 [PP 44/2015 Lampiran I]\n"
        "    note: share 0.89% from the derived value \"jkk_rate\", table jkk_rates, row 2 \"III\"\n");

  // No risk class: undetermined, naming it; nobody is charged.
  const auto open = p.contributions(worker(""), january);
  CHECK_FALSE(open.complete());
  CHECK(open.total == money{});
  CHECK(to_text(open).find("2024-01 JKK (pu, PU): undetermined; missing facts: risk_class\n") != std::string::npos);
}

TEST_CASE("docs: policy-format.md, a part's flat amount from a decision table (amount_of)") {
  const compiled_policy p = compile_policy(test::doc_example(doc, "bpu-amount-of"));
  auto worker = [&](std::string_view jht) {
    record r(p.facts().size());
    r.set(p.facts(), "declared_income", std::string("Rp1.000.000"));
    if (!jht.empty()) r.set(p.facts(), "ikut_jht", std::string(jht));
    return r;
  };
  const month_range january(month(2024, 1), month(2024, 1));
  // By hand, from the domain notes (PP 44/2015, PP 46/2015): at the Rp1.000.000 income level JKK
  // Rp10.000 (1%) + JKM Rp6.800 = Rp16.800; with JHT 2% of Rp1.000.000 = Rp20.000 more, Rp36.800.
  CHECK(p.contributions(worker("false"), january).total == money::parse("Rp16.800"));
  const auto with_jht = p.contributions(worker("true"), january);
  CHECK(with_jht.total == money::parse("Rp36.800"));
  CHECK(to_text(with_jht) ==
        "example/bpu-amount-of, 2024-01..2024-01: Rp36.800 (worker Rp36.800)\n"
        "2024-01 PAKET_BPU (bpu, BPU): due Rp36.800\n"
        "  worker Rp36.800  PAKET_BPU/BPU formula 0, part 0 [PP 44/2015; PP 46/2015: JHT 2%]\n"
        "    note: amount Rp36.800 from the derived value \"iuran_paket\", table paket_bpu, row 1 \"JKK+JKM+JHT\"\n");
  // Six months of the package with JHT: 6 x Rp36.800 = Rp220.800.
  CHECK(p.contributions(worker("true"), month_range(month(2024, 1), month(2024, 6))).total ==
        money::parse("Rp220.800"));

  // The choice not known: undetermined, naming it; nobody is charged.
  const auto open = p.contributions(worker(""), january);
  CHECK_FALSE(open.complete());
  CHECK(open.total == money{});
  CHECK(to_text(open).find("2024-01 PAKET_BPU (bpu, BPU): undetermined; missing facts: ikut_jht\n") !=
        std::string::npos);
}
