// A contribution part whose share is a derived value (`share_of`): the JKK rate by risk class
// given by a decision table, in place of one formula per class. The rates are those of PP 44/2015
// Lampiran I (class I 0.24%, II 0.54%, III 0.89%, IV 1.27%, V 1.74%); the amounts are worked by
// hand.
#include <entitle/entitle.hpp>
#include <entitle/io/payments_json.hpp>

#include "failure_of.hpp"

#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using namespace entitle;
using namespace entitle::literals;

namespace {

const char* const rates[] = {"0.24%", "0.54%", "0.89%", "1.27%", "1.74%"};
const char* const class_ids[] = {"I", "II", "III", "IV", "V"};

schema facts() {
  schema s;
  s.add(field("risk_class", fact_type::integer));
  s.add(field("wage", fact_type::money));
  s.add(field("birth_date", fact_type::date));
  return s;
}

table_cell eq(literal v) { return {table_cell::kind::compare, comparison::eq, {std::move(v)}, std::nullopt}; }

// The JKK rate by risk class, classes 1 to `classes`.
decision_table jkk_rates(std::int64_t classes = 5) {
  decision_table t;
  t.id = "jkk_rates";
  t.label = "JKK rate by risk class";
  t.citation = "PP 44/2015 Lampiran I";
  t.inputs = {{"risk_class", ""}};
  t.outputs = {{"rate", fact_type::rate, {}}};
  for (std::int64_t c = 1; c <= classes; ++c)
    t.rows.push_back(
        {{eq(c)}, {std::string(rates[c - 1])}, class_ids[c - 1], "PP 44/2015 Lampiran I angka " + std::to_string(c)});
  return t;
}

// `share_of` naming `id` from 2015-07-01, when PP 44/2015 took effect.
dated<std::string> from_2015(std::string id) {
  return dated<std::string>({{date(2015, 7, 1), std::move(id), "PP 44/2015 Pasal 16"}});
}

derived_value named(std::string id, fact_type type, expression value) {
  return {field(std::move(id), type), "JKK rate of the worker's risk class", "PP 44/2015 Art. 16", std::move(value)};
}

rule wage_earner() {
  return define("pu").label("a wage earner").reason("PU").citation("test").when(fact("wage").present());
}

enrolment pu() {
  enrolment e;
  e.id = "pu";
  e.who = "pu";
  e.category = "PU";
  e.programs = {"JKK"};
  return e;
}

// The employer pays the whole JKK contribution on the wage, at the rate of `jkk_rate`.
policy by_table(std::int64_t classes = 5) {
  policy p;
  p.id = "test/jkk-by-table";
  p.facts = facts();
  p.tables = {jkk_rates(classes)};
  p.derived = {named("jkk_rate", fact_type::rate, table_value("jkk_rates"))};
  p.rules = {wage_earner()};
  formula f;
  f.category = "PU";
  f.base.fact = "wage";
  contribution_part part;
  part.payer = "employer";
  part.share_of = from_2015("jkk_rate");
  f.parts = {part};
  p.programs = {program{"JKK", "Jaminan Kecelakaan Kerja", "PP 44/2015", {f}, std::nullopt}};
  p.enrolments = {pu()};
  return p;
}

// The same contribution written the older way: one formula per class, chosen by a rule.
policy by_formulas() {
  policy p;
  p.id = "test/jkk-by-formulas";
  p.facts = facts();
  p.rules = {wage_earner()};
  program jkk{"JKK", "Jaminan Kecelakaan Kerja", "PP 44/2015", {}, std::nullopt};
  for (std::int64_t c = 1; c <= 5; ++c) {
    const std::string id = "class_" + std::to_string(c);
    p.rules.push_back(define(id).label(id).reason("CLASS").citation("test").when(fact("risk_class").is(c)));
    formula f;
    f.category = "PU";
    f.when = id;
    f.base.fact = "wage";
    contribution_part part;
    part.payer = "employer";
    part.share = dated<rate>({{date(2015, 7, 1), rate::parse(rates[c - 1]), "PP 44/2015 Lampiran I"}});
    f.parts = {part};
    jkk.formulas.push_back(f);
  }
  p.programs = {jkk};
  p.enrolments = {pu()};
  return p;
}

record worker(const compiled_policy& c, std::optional<std::int64_t> risk, std::optional<money> wage) {
  record r(c.facts().size());
  if (risk) r.set(c.facts(), "risk_class", *risk);
  if (wage) r.set(c.facts(), "wage", *wage);
  r.set(c.facts(), "birth_date", date(1990, 6, 15));
  return r;
}

std::string bind_failure(const policy& p) {
  const auto f = test::failure_of([&] { (void)bind_policy(p); });
  return f ? f->describe() : "no error";
}

const month_range spring(month(2024, 1), month(2024, 4));

} // namespace

TEST_CASE("share_of: a decision table gives the JKK rate by risk class") {
  const compiled_policy c(by_table());
  // Class III: Rp3.000.000 x 0.89% = Rp26.700 a month (worked by hand); class V: x 1.74% =
  // Rp52.200.
  const auto third = c.contributions(worker(c, 3, 3'000'000_rp), month_range(month(2024, 1), month(2024, 1)));
  REQUIRE(third.items.size() == 1);
  CHECK(third.items[0].due == 26'700_rp);
  CHECK(third.paid_by("employer") == 26'700_rp);
  const auto fifth = c.contributions(worker(c, 5, 3'000'000_rp), month_range(month(2024, 1), month(2024, 1)));
  CHECK(fifth.items[0].due == 52'200_rp);
  // Over four months, four times as much.
  CHECK(c.contributions(worker(c, 3, 3'000'000_rp), spring).total == 106'800_rp);
}

TEST_CASE("share_of: the same amounts as one formula per class chosen by a rule") {
  const compiled_policy table(by_table()), formulas(by_formulas());
  const payment_engine& a = table.engine();
  const payment_engine& b = formulas.engine();
  REQUIRE(a.programs() == b.programs());
  REQUIRE(a.payers() == b.payers());
  const auto sa = a.schedule_for(spring);
  const auto sb = b.schedule_for(spring);
  payment_engine::workspace wa(a), wb(b);
  payment_amounts ma, mb;
  std::size_t compared = 0;
  for (std::int64_t risk = 1; risk <= 5; ++risk)
    for (const money wage : {3'000'000_rp, 4'123'457_rp, 1'000'001_rp, 12'000'000_rp}) {
      CAPTURE(risk);
      CAPTURE(wage);
      const record ra = worker(table, risk, wage), rb = worker(formulas, risk, wage);
      a.evaluate(ra.facts(), sa, {}, wa, ma);
      b.evaluate(rb.facts(), sb, {}, wb, mb);
      CHECK(ma.complete);
      CHECK(ma.due == mb.due); // per month and program
      CHECK(ma.paid == mb.paid);
      CHECK(ma.total == mb.total);
      CHECK(ma.total != money());
      CHECK(table.contributions(ra, spring).total == formulas.contributions(rb, spring).total);
      ++compared;
    }
  CHECK(compared == 20);
}

TEST_CASE("share_of: the facts the derived share reads are facts the engine reads") {
  const compiled_policy c(by_table());
  // The only rule reads the wage; the risk class is read through the share alone.
  CHECK(c.engine().reads().test(*c.facts().find("risk_class")));
  CHECK(c.engine().reads().test(*c.facts().find("wage")));
  CHECK(!c.engine().reads().test(*c.facts().find("birth_date")));
}

TEST_CASE("share_of: a statement line shows the rate and the derived value and table row it came from") {
  const compiled_policy c(by_table());
  const auto s = c.contributions(worker(c, 3, 3'000'000_rp), month_range(month(2024, 1), month(2024, 1)));
  REQUIRE(s.items.size() == 1);
  REQUIRE(s.items[0].lines.size() == 1);
  const payment_line& line = s.items[0].lines[0];
  CHECK(line.payer == "employer");
  CHECK(line.amount == 26'700_rp);
  CHECK(line.source == "JKK/PU formula 0, part 0");
  CHECK(line.citation == "PP 44/2015 Lampiran I angka 3");
  CHECK(line.note == "share 0.89% from the derived value \"jkk_rate\", table jkk_rates, row 2 \"III\"");
  CHECK(to_text(s) == "test/jkk-by-table, 2024-01..2024-01: Rp26.700 (employer Rp26.700)\n"
                      "2024-01 JKK (pu, PU): due Rp26.700\n"
                      "  employer Rp26.700  JKK/PU formula 0, part 0 [PP 44/2015 Lampiran I angka 3]\n"
                      "    note: share 0.89% from the derived value \"jkk_rate\", table jkk_rates, row 2 \"III\"\n");

  // A derived share that is not a table's output cites the derived value.
  policy p = by_table();
  p.derived = {named("table_rate", fact_type::rate, table_value("jkk_rates")),
               named("jkk_rate", fact_type::rate, least_of({value_of("table_rate"), constant_of(rate::parse("1%"))}))};
  const compiled_policy capped(std::move(p));
  const auto five = capped.contributions(worker(capped, 5, 3'000'000_rp), month_range(month(2024, 1), month(2024, 1)));
  REQUIRE(five.items.size() == 1);
  CHECK(five.items[0].due == 30'000_rp); // Rp3.000.000 x min(1.74%, 1%)
  CHECK(five.items[0].lines[0].citation == "PP 44/2015 Art. 16");
  CHECK(five.items[0].lines[0].note == "share 1% from the derived value \"jkk_rate\"");
}

TEST_CASE("share_of: a missing risk class leaves the amount undetermined, never Rp0 paid") {
  const compiled_policy c(by_table());
  const payment_engine& engine = c.engine();
  payment_engine::workspace w(engine);
  payment_amounts a;
  const record no_class = worker(c, std::nullopt, 3'000'000_rp);
  engine.evaluate(no_class.facts(), engine.schedule_for(spring), {}, w, a);
  CHECK(!a.complete);
  CHECK(a.total == money());
  const auto s = c.contributions(no_class, spring);
  CHECK(!s.complete());
  REQUIRE(s.items.size() == 4);
  for (const program_month& item : s.items) {
    CHECK(item.outcome == status::undetermined);
    CHECK(item.missing == std::vector<std::string>{"risk_class"});
    CHECK(item.lines.empty());
    CHECK(item.notes == std::vector<std::string>{"the share of part 0 has no value: the derived value \"jkk_rate\", "
                                                 "table jkk_rates: missing inputs leave it open"});
  }
  CHECK(to_text(s).find("2024-01 JKK (pu, PU): undetermined; missing facts: risk_class\n") != std::string::npos);
}

TEST_CASE("share_of: a base and a share both missing name both facts") {
  policy p = by_table();
  p.rules = {define("pu").label("everyone").reason("PU").citation("test").when(fact("birth_date").present())};
  const compiled_policy c(std::move(p));
  const auto s = c.contributions(worker(c, std::nullopt, std::nullopt), month_range(month(2024, 1), month(2024, 1)));
  REQUIRE(s.items.size() == 1);
  CHECK(s.items[0].outcome == status::undetermined);
  CHECK(s.items[0].missing == std::vector<std::string>{"wage", "risk_class"});
}

TEST_CASE("share_of: a table with no row for the person leaves the amount undetermined") {
  const compiled_policy c(by_table(4)); // no row for class V
  payment_engine::workspace w(c.engine());
  payment_amounts a;
  const record fifth = worker(c, 5, 3'000'000_rp);
  c.engine().evaluate(fifth.facts(), c.engine().schedule_for(spring), {}, w, a);
  CHECK(!a.complete);
  CHECK(a.total == money());
  const auto s = c.contributions(fifth, month_range(month(2024, 1), month(2024, 1)));
  REQUIRE(s.items.size() == 1);
  CHECK(s.items[0].outcome == status::undetermined);
  CHECK(s.items[0].missing.empty());
  CHECK(s.items[0].notes ==
        std::vector<std::string>{"the share of part 0 has no value: the derived value \"jkk_rate\", "
                                 "table jkk_rates: no row matches"});
  // Class IV still pays: Rp3.000.000 x 1.27% = Rp38.100.
  CHECK(c.contributions(worker(c, 4, 3'000'000_rp), month_range(month(2024, 1), month(2024, 1))).total == 38'100_rp);
}

TEST_CASE("share_of: a derived share outside 0% to 100% leaves the amount undetermined") {
  policy p = by_table();
  p.derived = {
      named("table_rate", fact_type::rate, table_value("jkk_rates")),
      named("jkk_rate", fact_type::rate, greatest_of({value_of("table_rate"), constant_of(rate::parse("120%"))}))};
  const compiled_policy c(std::move(p));
  const auto s = c.contributions(worker(c, 3, 3'000'000_rp), month_range(month(2024, 1), month(2024, 1)));
  REQUIRE(s.items.size() == 1);
  CHECK(s.items[0].outcome == status::undetermined);
  CHECK(s.total == money());
  CHECK(s.items[0].notes ==
        std::vector<std::string>{"the share of part 0 is 120%, not a share between 0% and 100%: the "
                                 "derived value \"jkk_rate\""});
}

TEST_CASE("share_of: errors name the part's share_of") {
  const std::string at = "/programs/0/formulas/0/parts/0";
  const std::string value_at = at + "/share_of/history/0/value";
  auto with_share_of = [](std::string id) {
    policy p = by_table();
    p.programs[0].formulas[0].parts[0].share_of = from_2015(std::move(id));
    return p;
  };
  CHECK(bind_failure(with_share_of("jkk")) ==
        value_at + ": no derived value is called \"jkk\"; the derived values are \"jkk_rate\"");
  CHECK(bind_failure(with_share_of("risk_class")) ==
        value_at + ": the share_of \"risk_class\" is a fact, not a derived value; the derived values are "
                   "\"jkk_rate\"");
  {
    policy p = with_share_of("jkk_rate");
    p.derived.clear();
    p.tables.clear();
    CHECK(bind_failure(p) == value_at + ": no derived value is called \"jkk_rate\"; the policy has no derived values");
  }
  {
    policy p = by_table();
    p.derived.push_back(named("doubled", fact_type::money, value_of("wage")));
    p.programs[0].formulas[0].parts[0].share_of = from_2015("doubled");
    CHECK(bind_failure(p) == value_at + ": the derived value \"doubled\" is money; a share_of must be a rate");
  }
  {
    // A rate by age: it would change from month to month, so it is refused as a base would be.
    policy p = by_table();
    p.derived.push_back(named(
        "by_age", fact_type::rate,
        if_then(age_of("birth_date").at_least(56), constant_of(rate::parse("1%")), constant_of(rate::parse("0.5%")))));
    p.programs[0].formulas[0].parts[0].share_of = from_2015("by_age");
    CHECK(bind_failure(p) == value_at + ": the share_of \"by_age\" reads an age or a count of months, which changes "
                                        "from month to month; a share_of is worked out from the facts alone");
  }
  {
    policy p = by_table();
    p.programs[0].formulas[0].parts[0].share = dated<rate>({{date(2015, 7, 1), 1_pct, "test"}});
    CHECK(bind_failure(p) ==
          at + "/share_of: a part has one of: a \"share\" of the base, a \"share_of\" naming a derived rate, a "
               "flat \"amount\", or an \"amount_of\" naming a derived amount");
  }
  {
    policy p = by_table();
    p.programs[0].formulas[0].parts[0].amount = dated<money>({{date(2015, 7, 1), 1'000_rp, "test"}});
    CHECK(bind_failure(p) ==
          at + "/share_of: a part has one of: a \"share\" of the base, a \"share_of\" naming a derived rate, a "
               "flat \"amount\", or an \"amount_of\" naming a derived amount");
  }
  {
    // A table row out of range is refused when bound, before anyone is charged at it.
    policy p = by_table();
    p.tables[0].rows[4].then = {std::string("117.4%")};
    CHECK(bind_failure(p) == value_at + ": the table \"jkk_rates\" row 4 \"V\" gives 117.4%, not a share between 0% "
                                        "and 100%, for the share_of \"jkk_rate\"");
  }
  {
    policy p = by_table();
    p.programs[0].formulas[0].base.fact.clear();
    CHECK(bind_failure(p) == "/programs/0/formulas/0/base: a share needs a base: a \"fact\" or a \"fixed\" amount");
  }
}

TEST_CASE("share_of: JSON round trip, and errors at the JSON pointer") {
  const policy p = by_table();
  const program& jkk = p.programs[0];
  const boost::json::value jv = detail::to_json(jkk);
  CHECK(jv.at("formulas").at(0).at("parts").at(0).as_object() ==
        boost::json::object{{"payer", "employer"}, {"share_of", boost::json::value_from(from_2015("jkk_rate"))}});
  CHECK(detail::program_from(jv) == jkk);

  // A whole policy read back, its decision table included, costs the same.
  const policy read = read_policy(boost::json::serialize(to_json(p)));
  CHECK(read.programs == p.programs);
  CHECK(read.tables == p.tables);
  const compiled_policy c(read);
  CHECK(c.contributions(worker(c, 3, 3'000'000_rp), month_range(month(2024, 1), month(2024, 1))).total == 26'700_rp);
  CHECK(c.contributions(worker(c, 5, 3'000'000_rp), month_range(month(2024, 1), month(2024, 1))).total == 52'200_rp);

  boost::json::value bad = to_json(p);
  boost::json::object& part = bad.at("programs").at(0).at("formulas").at(0).at("parts").at(0).as_object();
  part["share_of"].at("history").at(0).as_object()["value"] = "jkk";
  const auto f = test::failure_of([&] { (void)read_policy(boost::json::serialize(bad)); });
  REQUIRE(f);
  CHECK(f->describe() ==
        "/programs/0/formulas/0/parts/0/share_of/history/0/value: no derived value is called \"jkk\"; the derived "
        "values are \"jkk_rate\"");
  // The name alone, undated, says how a share_of is written.
  part["share_of"] = "jkk_rate";
  const auto g = test::failure_of([&] { (void)read_policy(boost::json::serialize(bad)); });
  REQUIRE(g);
  CHECK(g->describe() == "/programs/0/formulas/0/parts/0/share_of: a share_of is dated, as a share is: {\"history\": "
                         "[{\"from\": \"2015-07-01\", \"value\": \"jkk_rate\", \"citation\": ...}]}");
  part["share_of"] = 3;
  const auto h = test::failure_of([&] { (void)read_policy(boost::json::serialize(bad)); });
  REQUIRE(h);
  CHECK(h->location == "/programs/0/formulas/0/parts/0/share_of");
}

TEST_CASE("share_of: each dated entry names the table in force from its date") {
  // Hypothetical rates from 2025 (class III at 1%), to show a later regulation naming another
  // table from its own date: 2024-12 at 0.89% (Rp26.700 on Rp3.000.000), 2025-01 at 1% (Rp30.000).
  policy p = by_table();
  decision_table later = jkk_rates();
  later.id = "jkk_rates_2025";
  later.rows[2].then = {std::string("1%")};
  p.tables.push_back(later);
  p.derived.push_back(named("jkk_rate_2025", fact_type::rate, table_value("jkk_rates_2025")));
  p.programs[0].formulas[0].parts[0].share_of =
      dated<std::string>({{date(2015, 7, 1), "jkk_rate", "PP 44/2015 Pasal 16"},
                          {date(2025, 1, 1), "jkk_rate_2025", "a later regulation (test)"}});
  const compiled_policy c(std::move(p));
  const auto s = c.contributions(worker(c, 3, 3'000'000_rp), month_range(month(2024, 12), month(2025, 1)));
  REQUIRE(s.items.size() == 2);
  CHECK(s.items[0].due == 26'700_rp);
  CHECK(s.items[1].due == 30'000_rp);
  CHECK(s.items[1].lines[0].note ==
        "share 1% from the derived value \"jkk_rate_2025\", table jkk_rates_2025, row 2 \"III\"");
  CHECK(c.engine().schedule_for(month_range(month(2024, 12), month(2025, 1))).segments() == 2);

  // Before the first entry the part is not in force: the period is refused, not charged Rp0.
  try {
    (void)c.contributions(worker(c, 3, 3'000'000_rp), month_range(month(2015, 6), month(2015, 7)));
    FAIL("expected 2015-06 to be refused");
  } catch (const error& e) {
    CHECK(e.details().code == errc::not_in_force);
    CHECK(e.details().location == "/programs/0/formulas/0/parts/0/share_of");
  }
}
