// A contribution part whose flat amount is a derived value (`amount_of`): the BPU package a
// regency budgets per person, from a decision table by whether the worker has chosen JHT. The
// figures are those of the domain notes: at the Rp1.000.000 income level JKK Rp10.000 (1%, PP
// 44/2015 Lampiran II) and JKM Rp6.800 (PP 44/2015), Rp16.800; with JHT 2% of Rp1.000.000
// (PP 46/2015) Rp20.000 more, Rp36.800.
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

table_cell eq(literal v) { return {table_cell::kind::compare, comparison::eq, {std::move(v)}, std::nullopt}; }

decision_table package() {
  decision_table t;
  t.id = "paket_bpu";
  t.label = "BPU package at the Rp1.000.000 income level";
  t.citation = "PP 44/2015 Lampiran II; PP 46/2015";
  t.inputs = {{"ikut_jht", ""}};
  t.outputs = {{"iuran", fact_type::money, {}}};
  t.rows = {{{eq(false)}, {16'800_rp}, "JKK+JKM", "PP 44/2015"},
            {{eq(true)}, {36'800_rp}, "JKK+JKM+JHT", "PP 44/2015; PP 46/2015"}};
  return t;
}

derived_value named(std::string id, fact_type type, expression value) {
  return {field(std::move(id), type), "the worker's package a month", "PP 44/2015", std::move(value)};
}

dated<std::string> from_2015(std::string id) {
  return dated<std::string>({{date(2015, 7, 1), std::move(id), "PP 44/2015 Lampiran II"}});
}

// Every BPU worker pays the package; the regency pays half of it in 2024.
policy by_table() {
  policy p;
  p.id = "test/bpu-package";
  p.facts.add(field("declared_income", fact_type::money));
  p.facts.add(field("ikut_jht", fact_type::boolean));
  p.tables = {package()};
  p.derived = {named("iuran_paket", fact_type::money, table_value("paket_bpu"))};
  p.rules = {
      define("bpu").label("a BPU worker").reason("BPU").citation("test").when(fact("declared_income").present())};
  formula f;
  f.category = "BPU";
  contribution_part part;
  part.payer = "worker";
  part.amount_of = from_2015("iuran_paket");
  f.parts = {part};
  p.programs = {program{"PAKET", "BPU package", "PP 44/2015", {f}, std::nullopt}};
  enrolment e;
  e.id = "bpu";
  e.who = "bpu";
  e.category = "BPU";
  e.programs = {"PAKET"};
  p.enrolments = {e};
  subsidy s;
  s.id = "apbd";
  s.payer = "PEMKAB";
  s.who = "bpu";
  s.programs = {"PAKET"};
  s.window = month_range(month(2024, 1), month(2024, 12));
  s.share = {subsidy_share::kind::percent, rate::parse("50%"), {}};
  p.subsidies = {s};
  return p;
}

record worker(const compiled_policy& c, std::optional<bool> jht) {
  record r(c.facts().size());
  r.set(c.facts(), "declared_income", 1'000'000_rp);
  if (jht) r.set(c.facts(), "ikut_jht", *jht);
  return r;
}

std::string bind_failure(const policy& p) {
  const auto f = test::failure_of([&] { (void)bind_policy(p); });
  return f ? f->describe() : "no error";
}

const month_range january(month(2024, 1), month(2024, 1));

} // namespace

TEST_CASE("amount_of: a decision table gives each worker's flat amount, and subsidies share it") {
  const compiled_policy c(by_table());
  const auto plain = c.contributions(worker(c, false), january);
  CHECK(plain.total == 16'800_rp);
  // Half of Rp36.800 is Rp18.400 for the regency, Rp18.400 for the worker.
  const auto with_jht = c.contributions(worker(c, true), january);
  CHECK(with_jht.total == 36'800_rp);
  CHECK(with_jht.paid_by("PEMKAB") == 18'400_rp);
  CHECK(with_jht.paid_by("worker") == 18'400_rp);
  // Over six months, six times as much: 6 x Rp36.800 = Rp220.800.
  CHECK(c.contributions(worker(c, true), month_range(month(2024, 1), month(2024, 6))).total == 220'800_rp);
  CHECK(c.engine().reads().test(*c.facts().find("ikut_jht")));
  REQUIRE(with_jht.items[0].lines.size() == 2);
  CHECK(with_jht.items[0].lines[0].payer == "PEMKAB");
  const payment_line& line = with_jht.items[0].lines[1];
  CHECK(line.payer == "worker");
  CHECK(line.citation == "PP 44/2015; PP 46/2015");
  CHECK(line.amount == 18'400_rp);
  CHECK(line.note == "amount Rp36.800 from the derived value \"iuran_paket\", table paket_bpu, row 1 \"JKK+JKM+JHT\"");
}

TEST_CASE("amount_of: a missing input or a negative amount leaves the month undetermined, never Rp0") {
  const compiled_policy c(by_table());
  const auto open = c.contributions(worker(c, std::nullopt), january);
  REQUIRE(open.items.size() == 1);
  CHECK(open.items[0].outcome == status::undetermined);
  CHECK(open.items[0].missing == std::vector<std::string>{"ikut_jht"});
  CHECK(open.total == money());

  policy p = by_table();
  p.derived = {named("table_amount", fact_type::money, table_value("paket_bpu")),
               named("iuran_paket", fact_type::money,
                     least_of({value_of("table_amount"), constant_of(money::from_minor_units(-100))}))};
  const compiled_policy negative(std::move(p));
  const auto s = negative.contributions(worker(negative, true), january);
  REQUIRE(s.items.size() == 1);
  CHECK(s.items[0].outcome == status::undetermined);
  CHECK(s.total == money());
  CHECK(s.items[0].notes ==
        std::vector<std::string>{"the amount of part 0 is -Rp1, below Rp0: the derived value \"iuran_paket\""});
}

TEST_CASE("amount_of: errors name the entry") {
  const std::string at = "/programs/0/formulas/0/parts/0";
  {
    policy p = by_table();
    p.derived.push_back(named("rate_of", fact_type::rate, constant_of(rate::parse("1%"))));
    p.programs[0].formulas[0].parts[0].amount_of = from_2015("rate_of");
    CHECK(bind_failure(p) ==
          at + "/amount_of/history/0/value: the derived value \"rate_of\" is rate; an amount_of must be money");
  }
  {
    policy p = by_table();
    p.programs[0].formulas[0].parts[0].amount_of = from_2015("declared_income");
    CHECK(bind_failure(p) == at + "/amount_of/history/0/value: the amount_of \"declared_income\" is a fact, not a "
                                  "derived value; the derived values are \"iuran_paket\"");
  }
  {
    policy p = by_table();
    p.programs[0].formulas[0].parts[0].amount = dated<money>({{date(2015, 7, 1), 6'800_rp, "PP 44/2015"}});
    CHECK(bind_failure(p) == at + "/amount_of: a part has one of: a \"share\" of the base, a \"share_of\" naming a "
                                  "derived rate, a flat \"amount\", or an \"amount_of\" naming a derived amount");
  }
}

TEST_CASE("amount_of: a table row below Rp0 is refused when bound") {
  policy p = by_table();
  p.tables[0].rows[0].then = {money::from_minor_units(-680'000)};
  CHECK(bind_failure(p) == "/programs/0/formulas/0/parts/0/amount_of/history/0/value: the table \"paket_bpu\" row 0 "
                           "\"JKK+JKM\" gives -Rp6.800, below Rp0, for the amount_of \"iuran_paket\"");
}

TEST_CASE("amount_of: JSON round trip, and errors at the JSON pointer") {
  const policy p = by_table();
  const policy read = read_policy(boost::json::serialize(to_json(p)));
  CHECK(read.programs == p.programs);
  const compiled_policy c(read);
  CHECK(c.contributions(worker(c, true), january).total == 36'800_rp);

  boost::json::value bad = to_json(p);
  boost::json::object& part = bad.at("programs").at(0).at("formulas").at(0).at("parts").at(0).as_object();
  part["amount_of"] = "iuran_paket";
  const auto f = test::failure_of([&] { (void)read_policy(boost::json::serialize(bad)); });
  REQUIRE(f);
  CHECK(f->describe() == "/programs/0/formulas/0/parts/0/amount_of: an amount_of is dated, as a share is: "
                         "{\"history\": [{\"from\": \"2015-07-01\", \"value\": \"iuran_paket\", \"citation\": ...}]}");
}
