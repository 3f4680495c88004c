// Policy JSON for who pays: programs, adjustments, enrolments and subsidies
// (docs/policy-format.md, "Programs and contributions").
#include <entitle/io/payments_json.hpp>

#include <entitle/io/core_json.hpp>

#include <boost/json/serialize.hpp>

#include <string>

namespace entitle::detail {
namespace {

namespace json = boost::json;

[[noreturn]] void fail(std::string message, std::string where = {}) {
  throw error(failure(errc::invalid_syntax, std::move(message), std::move(where)));
}

std::string text_of(const json::object& object, std::string_view key, std::string_view what, bool required = false) {
  if (required && !object.contains(key)) fail(std::string(what) + " is needed here: \"" + std::string(key) + "\"");
  return optional_text(object, key, what);
}

std::vector<std::string> names_of(const json::object& object, std::string_view key, std::string_view what) {
  std::vector<std::string> out;
  const auto* value = object.if_contains(key);
  if (!value) return out;
  read_at(pointer_token(key), [&] {
    const auto& list = expect_array(*value, what);
    for (std::size_t i = 0; i < list.size(); ++i)
      out.emplace_back(read_at(index_token(i), [&] { return expect_string(list[i], what); }));
    return 0;
  });
  return out;
}

template <class T>
T value_at(const json::object& object, std::string_view key) {
  return read_at(pointer_token(key), [&] { return json::value_to<T>(object.at(key)); });
}

template <class T>
std::optional<T> optional_at(const json::object& object, std::string_view key) {
  if (!object.contains(key)) return std::nullopt;
  return value_at<T>(object, key);
}

// The whole number at `key`, or an error saying it should be `what` ("a whole number of people, 0
// or more") and what it is: "found the number 12.5".
std::int64_t whole_at(const json::object& object, std::string_view key, std::string_view what) {
  return read_at(pointer_token(key), [&] {
    const json::value& jv = object.at(key);
    boost::system::error_code ec;
    const auto n = jv.to_number<std::int64_t>(ec); // as value_to<std::int64_t> reads it
    if (ec) throw error(errc::invalid_syntax, "expected " + std::string(what) + ", found " + describe_found(jv));
    return n;
  });
}

std::optional<std::int64_t> optional_whole_at(const json::object& object, std::string_view key, std::string_view what) {
  if (!object.contains(key)) return std::nullopt;
  return whole_at(object, key, what);
}

// "rounding": "half_up" and "unit": 100 (rupiah), both optional.
void rounding_from(const json::object& object, rounding& mode, money& unit) {
  if (object.contains("rounding")) mode = value_at<rounding>(object, "rounding");
  if (object.contains("unit")) unit = value_at<money>(object, "unit");
}

// A share is written with "%": a bare "50" reads as the fraction 50, that is 5000%.
void expect_percent(const json::value& jv) {
  if (!jv.is_string() || jv.get_string().ends_with('%')) return;
  const std::string text(jv.get_string());
  fail("a share is written with \"%\": write " + detail::quoted(text + "%") + ", not " + detail::quoted(text));
}

// The share at `key`, a dated rate each of whose values is written with "%".
std::optional<dated<rate>> share_at(const json::object& object, std::string_view key) {
  auto share = optional_at<dated<rate>>(object, key);
  if (!share) return share;
  const auto& history = object.at(key).as_object().at("history").as_array();
  for (std::size_t k = 0; k < history.size(); ++k)
    read_at(pointer_token(key) + "/history" + index_token(k) + "/value", [&] {
      expect_percent(history[k].as_object().at("value"));
      return 0;
    });
  return share;
}

contribution_base base_from(const json::value& jv) {
  const auto& object = expect_object(jv, "a contribution base", {}, {"fact", "fixed", "floor", "ceiling", "brackets"});
  contribution_base base;
  base.fact = text_of(object, "fact", "the name of a money fact");
  base.fixed = optional_at<dated<money>>(object, "fixed");
  base.floor = optional_at<dated<money>>(object, "floor");
  base.ceiling = optional_at<dated<money>>(object, "ceiling");
  if (const auto* brackets = object.if_contains("brackets")) {
    read_at("/brackets", [&] {
      const auto& list = expect_array(*brackets, "an array of bracket levels (amounts)");
      for (std::size_t i = 0; i < list.size(); ++i)
        base.brackets.push_back(read_at(index_token(i), [&] { return json::value_to<money>(list[i]); }));
      return 0;
    });
  }
  return base;
}

contribution_part part_from(const json::value& jv) {
  const auto& object = expect_object(jv, "a contribution part", {},
                                     {"payer", "recomposed_from", "share", "share_of", "amount", "amount_of"});
  contribution_part part;
  part.payer = text_of(object, "payer", "a payer role");
  part.recomposed_from = text_of(object, "recomposed_from", "a program id");
  part.share = share_at(object, "share");
  for (const std::string_view key : {"share_of", "amount_of"})
    if (const auto* named = object.if_contains(key); named && named->is_string())
      fail((key == "share_of" ? "a " : "an ") + std::string(key) +
               " is dated, as a share is: {\"history\": [{\"from\": \"2015-07-01\", \"value\": " +
               detail::quoted(std::string(named->get_string())) + ", \"citation\": ...}]}",
           "/" + std::string(key));
  part.share_of = optional_at<dated<std::string>>(object, "share_of");
  part.amount = optional_at<dated<money>>(object, "amount");
  part.amount_of = optional_at<dated<std::string>>(object, "amount_of");
  return part;
}

formula formula_from(const json::value& jv) {
  const auto& object =
      expect_object(jv, "a formula", {"category", "parts"}, {"category", "when", "base", "parts", "rounding", "unit"});
  formula f;
  f.category = text_of(object, "category", "a participant category, such as \"PU\" or \"BPU\"", true);
  f.when = text_of(object, "when", "the id of a rule");
  if (const auto* base = object.if_contains("base")) f.base = read_at("/base", [&] { return base_from(*base); });
  read_at("/parts", [&] {
    const auto& list = expect_array(object.at("parts"), "an array of contribution parts");
    for (std::size_t i = 0; i < list.size(); ++i)
      f.parts.push_back(read_at(index_token(i), [&] { return part_from(list[i]); }));
    return 0;
  });
  rounding_from(object, f.mode, f.unit);
  return f;
}

month_range window_from(const json::value& jv) {
  const auto& object = expect_object(jv, "a coverage window", {"from"}, {"from", "to", "months"});
  const month first = value_at<month>(object, "from");
  const bool has_to = object.contains("to"), has_months = object.contains("months");
  if (has_to == has_months) fail("a window ends with \"to\" (a month) or lasts \"months\", one of them");
  if (has_to) {
    const month last = value_at<month>(object, "to");
    if (last < first) fail("the window ends before it starts", "/to");
    return month_range(first, last);
  }
  const std::int64_t count = whole_at(object, "months", "a whole number of months, from 1 to 1200");
  if (count < 1 || count > 1200) fail("a window lasts from 1 to 1200 months", "/months");
  return month_range::starting(first, static_cast<int>(count));
}

subsidy_share share_from(const json::value& jv) {
  const auto& object = expect_object(jv, "a subsidy share", {}, {"percent", "amount", "base"});
  if (object.size() != 1) fail("a share is one of \"percent\", \"amount\" or \"base\"");
  subsidy_share share;
  if (object.contains("percent")) {
    share.how = subsidy_share::kind::percent;
    read_at("/percent", [&] {
      expect_percent(object.at("percent"));
      return 0;
    });
    share.percent = value_at<rate>(object, "percent");
  } else if (object.contains("amount")) {
    share.how = subsidy_share::kind::amount;
    share.amount = value_at<money>(object, "amount");
  } else {
    share.how = subsidy_share::kind::on_base;
    share.amount = value_at<money>(object, "base");
  }
  return share;
}

json::value share_to_json(const subsidy_share& share) {
  switch (share.how) {
  case subsidy_share::kind::percent: return json::object{{"percent", json::value_from(share.percent)}};
  case subsidy_share::kind::amount: return json::object{{"amount", json::value_from(share.amount)}};
  case subsidy_share::kind::on_base: return json::object{{"base", json::value_from(share.amount)}};
  }
  return nullptr;
}

json::array names_to_json(const std::vector<std::string>& names) {
  json::array out;
  for (const auto& n : names)
    out.emplace_back(n);
  return out;
}

void rounding_to(json::object& out, rounding mode, money unit) {
  out["rounding"] = json::value_from(mode);
  out["unit"] = json::value_from(unit);
}

// {"lump_sum": ...} or one of the other kinds: docs/policy-format.md, "Benefits and claims".
benefit_amount benefit_amount_from(const json::value& jv) {
  const auto& object =
      expect_object(jv,
                    "a benefit amount: one of lump_sum, wage_multiple, periodic, "
                    "reimbursement, wage_share, scholarship",
                    {}, {"lump_sum", "wage_multiple", "periodic", "reimbursement", "wage_share", "scholarship"});
  if (object.size() != 1)
    fail("a benefit amount is one of lump_sum, wage_multiple, periodic, reimbursement, wage_share, scholarship");
  benefit_amount a;
  const json::key_value_pair& entry = *object.begin();
  const std::string_view key = entry.key();
  const json::value& value = entry.value();
  const std::string here = pointer_token(key);
  auto base_facts = [&](const json::object& o) {
    std::vector<std::string> base = names_of(o, "of", "the name of a money fact");
    if (base.empty()) fail("name the money facts the amount is worked on: \"of\": [\"wage\", ...]", "/of");
    return base;
  };
  read_at(here, [&] {
    if (key == "lump_sum") {
      a.how = benefit_amount::kind::lump_sum;
      a.amount = json::value_to<dated<money>>(value);
    } else if (key == "wage_multiple") {
      a.how = benefit_amount::kind::wage_multiple;
      const auto& o = expect_object(value, "a multiple of a wage", {"times", "of"}, {"times", "of"});
      a.times = value_at<dated<std::int64_t>>(o, "times");
      a.base = base_facts(o);
    } else if (key == "periodic") {
      a.how = benefit_amount::kind::periodic;
      const auto& o = expect_object(value, "a periodic payment", {"amount", "count"}, {"amount", "count", "tranches"});
      a.amount = value_at<dated<money>>(o, "amount");
      a.count = whole_at(o, "count", "a whole number of payments, from 1 to 1200");
      if (a.count < 1 || a.count > 1200) fail("a periodic payment is paid from 1 to 1200 times", "/count");
      if (o.contains("tranches")) a.tranches = whole_at(o, "tranches", "a whole number of tranches");
      if (a.tranches < 0 || a.tranches > a.count) fail("tranches are from 1 to the count of payments", "/tranches");
    } else if (key == "reimbursement") {
      a.how = benefit_amount::kind::reimbursement;
      const auto& o = expect_object(value, "a reimbursement", {"caps"}, {"caps"});
      read_at("/caps", [&] {
        const auto& list = expect_array(o.at("caps"), "an array of {\"kind\", \"cap\"}");
        for (std::size_t i = 0; i < list.size(); ++i)
          a.caps.push_back(read_at(index_token(i), [&] {
            const auto& c = expect_object(list[i], "a capped kind of cost", {"kind", "cap"}, {"kind", "cap"});
            return reimbursement_cap{text_of(c, "kind", "a kind of cost, such as \"land\"", true),
                                     value_at<dated<money>>(c, "cap")};
          }));
        return 0;
      });
      if (a.caps.empty()) fail("a reimbursement caps at least one kind of cost", "/caps");
    } else if (key == "wage_share") {
      a.how = benefit_amount::kind::wage_share;
      const auto& o = expect_object(value, "a share of a wage by month", {"of", "steps"}, {"of", "steps"});
      a.base = base_facts(o);
      read_at("/steps", [&] {
        const auto& list = expect_array(o.at("steps"), "an array of {\"share\", \"months\"}");
        for (std::size_t i = 0; i < list.size(); ++i)
          a.steps.push_back(read_at(index_token(i), [&] {
            const auto& step = expect_object(list[i], "a step", {"share"}, {"share", "months"});
            read_at("/share", [&] {
              expect_percent(step.at("share"));
              return 0;
            });
            wage_share_step out{value_at<rate>(step, "share"),
                                optional_whole_at(step, "months", "a whole number of months, from 1 to 1200")};
            if (out.months && (*out.months < 1 || *out.months > 1200))
              fail("a step lasts from 1 to 1200 months", "/months");
            if (!out.months && i + 1 != list.size()) fail("only the last step may last without \"months\"");
            return out;
          }));
        return 0;
      });
      if (a.steps.empty()) fail("a share of a wage needs at least one step", "/steps");
    } else {
      a.how = benefit_amount::kind::scholarship;
      const auto& o = expect_object(value, "a scholarship", {"max_children", "levels"}, {"max_children", "levels"});
      a.max_children = whole_at(o, "max_children", "a whole number of children, from 1 to 100");
      if (a.max_children < 1 || a.max_children > 100) fail("max_children is from 1 to 100", "/max_children");
      read_at("/levels", [&] {
        const auto& list = expect_array(o.at("levels"), "an array of school levels");
        for (std::size_t i = 0; i < list.size(); ++i)
          a.levels.push_back(read_at(index_token(i), [&] {
            const auto& l =
                expect_object(list[i], "a school level", {"level", "yearly", "years"}, {"level", "yearly", "years"});
            scholarship_level out{text_of(l, "level", "a school level, such as \"tk_sd\"", true),
                                  value_at<dated<money>>(l, "yearly"),
                                  whole_at(l, "years", "a whole number of years, from 1 to 30")};
            if (out.years < 1 || out.years > 30) fail("a level lasts from 1 to 30 years", "/years");
            return out;
          }));
        return 0;
      });
      if (a.levels.empty()) fail("a scholarship needs at least one school level", "/levels");
    }
    return 0;
  });
  return a;
}

json::value benefit_amount_to_json(const benefit_amount& a) {
  auto names = [](const std::vector<std::string>& list) { return names_to_json(list); };
  switch (a.how) {
  case benefit_amount::kind::lump_sum: return json::object{{"lump_sum", json::value_from(*a.amount)}};
  case benefit_amount::kind::wage_multiple:
    return json::object{{"wage_multiple", json::object{{"times", json::value_from(*a.times)}, {"of", names(a.base)}}}};
  case benefit_amount::kind::periodic: {
    json::object o{{"amount", json::value_from(*a.amount)}, {"count", a.count}};
    if (a.tranches != 0) o["tranches"] = a.tranches;
    return json::object{{"periodic", std::move(o)}};
  }
  case benefit_amount::kind::reimbursement: {
    json::array caps;
    for (const auto& c : a.caps)
      caps.push_back(json::object{{"kind", c.kind}, {"cap", json::value_from(c.cap)}});
    return json::object{{"reimbursement", json::object{{"caps", std::move(caps)}}}};
  }
  case benefit_amount::kind::wage_share: {
    json::array steps;
    for (const auto& step : a.steps) {
      json::object o{{"share", json::value_from(step.share)}};
      if (step.months) o["months"] = *step.months;
      steps.push_back(std::move(o));
    }
    return json::object{{"wage_share", json::object{{"of", names(a.base)}, {"steps", std::move(steps)}}}};
  }
  case benefit_amount::kind::scholarship: {
    json::array levels;
    for (const auto& l : a.levels)
      levels.push_back(json::object{{"level", l.level}, {"yearly", json::value_from(l.yearly)}, {"years", l.years}});
    return json::object{{"scholarship", json::object{{"max_children", a.max_children}, {"levels", std::move(levels)}}}};
  }
  }
  return {};
}

} // namespace

program program_from(const json::value& jv) {
  const auto& object =
      expect_object(jv, "a program", {"id", "formulas"}, {"id", "name", "legal_basis", "from", "formulas"});
  program p;
  p.id = text_of(object, "id", "the program id", true);
  p.name = text_of(object, "name", "the program's name");
  p.legal_basis = text_of(object, "legal_basis", "the program's legal basis");
  p.from = optional_at<date>(object, "from");
  read_at("/formulas", [&] {
    const auto& list = expect_array(object.at("formulas"), "an array of formulas");
    for (std::size_t i = 0; i < list.size(); ++i)
      p.formulas.push_back(read_at(index_token(i), [&] { return formula_from(list[i]); }));
    return 0;
  });
  return p;
}

adjustment adjustment_from(const json::value& jv) {
  const auto& object = expect_object(jv, "an adjustment", {"id", "programs", "factor"},
                                     {"id", "label", "programs", "categories", "factor", "rounding", "unit"});
  adjustment a{text_of(object, "id", "the adjustment id", true), text_of(object, "label", "a label"),
               names_of(object, "programs", "a program id"), names_of(object, "categories", "a participant category"),
               value_at<dated<rate>>(object, "factor")};
  rounding_from(object, a.mode, a.unit);
  return a;
}

enrolment enrolment_from(const json::value& jv) {
  const auto& object = expect_object(jv, "an enrolment", {"id", "who", "category", "programs"},
                                     {"id", "label", "who", "category", "programs", "roles", "base", "from"});
  enrolment e;
  e.id = text_of(object, "id", "the enrolment id", true);
  e.label = text_of(object, "label", "a label");
  e.who = text_of(object, "who", "the id of the rule that selects the people", true);
  e.category = text_of(object, "category", "a participant category, such as \"PU\" or \"BPU\"", true);
  e.programs = names_of(object, "programs", "a program id");
  e.base = optional_at<money>(object, "base");
  e.from = optional_at<date>(object, "from");
  if (const auto* roles = object.if_contains("roles")) {
    read_at("/roles", [&] {
      if (!roles->is_object())
        fail("expected the roles (an object of payer role to payer), found " + json::serialize(*roles));
      for (const auto& member : roles->get_object())
        e.roles[std::string(member.key())] = std::string(read_at(
            pointer_token(member.key()), [&] { return expect_string(member.value(), "the payer in this role"); }));
      return 0;
    });
  }
  return e;
}

// "tiers": [["extreme_poor"], ["guru_mengaji", "marbot"]]: each tier an array of an enum's values.
std::vector<std::vector<std::string>> tiers_from(const json::value& jv) {
  const auto& list = expect_array(jv, "an array of tiers, each an array of values: [[\"a\"], [\"b\", \"c\"]]");
  std::vector<std::vector<std::string>> out;
  for (std::size_t t = 0; t < list.size(); ++t)
    out.push_back(read_at(index_token(t), [&] {
      if (list[t].is_string())
        fail("a tier is an array of values: write [" + json::serialize(list[t]) +
             "], or list the values of equal "
             "rank together: [\"guru_mengaji\", \"marbot\"]");
      const auto& values = expect_array(list[t], "a tier: an array of values of equal rank");
      std::vector<std::string> tier;
      for (std::size_t v = 0; v < values.size(); ++v)
        tier.emplace_back(read_at(index_token(v), [&] { return expect_string(values[v], "an enum value name"); }));
      return tier;
    }));
  return out;
}

// A key's "order": ascending or descending for a fact, yes_first or no_first for a rule; the
// first of each is the default.
bool descending_from(const json::object& object, bool is_rule) {
  const std::string order =
      text_of(object, "order", is_rule ? "\"yes_first\" or \"no_first\"" : "\"ascending\" or \"descending\"");
  const std::string_view first = is_rule ? "yes_first" : "ascending", second = is_rule ? "no_first" : "descending";
  if (order != "" && order != first && order != second)
    fail("expected \"" + std::string(first) + "\" or \"" + std::string(second) + "\"" + (is_rule ? " for a rule" : "") +
             ", found " + detail::quoted(order),
         "/order");
  return order == second;
}

// [{"fact": "monthly_income", "order": "ascending"}, {"rule": "extreme_poor"}, ...].
std::vector<rank_key> rank_keys_from(const json::value& jv) {
  const auto& list = expect_array(jv, "an array of ranking keys: {\"fact\"} or {\"rule\"}");
  std::vector<rank_key> keys;
  for (std::size_t i = 0; i < list.size(); ++i)
    keys.push_back(read_at(index_token(i), [&] {
      const auto& object = expect_object(list[i], "a ranking key", {}, {"fact", "rule", "order", "tiers", "citation"});
      rank_key key;
      key.fact = text_of(object, "fact", "the fact to rank by");
      key.rule = text_of(object, "rule", "the rule to rank by");
      if (key.fact.empty() && key.rule.empty())
        fail("a ranking key names a \"fact\" or a \"rule\": {\"fact\": \"monthly_income\"}, {\"rule\": "
             "\"extreme_poor\"}");
      key.citation = text_of(object, "citation", "the agreement or regulation that sets this order");
      key.descending = descending_from(object, key.fact.empty());
      if (const auto* tiers = object.if_contains("tiers"))
        key.tiers = read_at("/tiers", [&] { return tiers_from(*tiers); });
      return key;
    }));
  return keys;
}

benefit benefit_from(const json::value& jv) {
  const auto& object =
      expect_object(jv, "a benefit", {"id", "program", "events", "amount"},
                    {"id", "label", "program", "citation", "events", "when", "effective", "amount", "at_least"});
  benefit b;
  b.id = text_of(object, "id", "the benefit id", true);
  b.label = text_of(object, "label", "a label");
  b.program = text_of(object, "program", "the program that pays it, such as \"JKM\"", true);
  b.citation = text_of(object, "citation", "the regulation that sets it");
  b.events = names_of(object, "events", "a claim event, such as \"death\"");
  if (b.events.empty()) fail("a benefit is paid on at least one event", "/events");
  b.when = text_of(object, "when", "the id of the rule a claimant must meet");
  if (const auto* effective = object.if_contains("effective"))
    read_at("/effective", [&] {
      const auto& e = expect_object(*effective, "the days it is in force", {}, {"from", "until"});
      b.from = optional_at<date>(e, "from");
      b.until = optional_at<date>(e, "until");
      if (b.from && b.until && *b.until < *b.from) fail("it ends before it starts", "/until");
      return 0;
    });
  b.amount = read_at("/amount", [&] { return benefit_amount_from(object.at("amount")); });
  b.at_least = names_of(object, "at_least", "the id of another benefit");
  return b;
}

subsidy subsidy_from(const json::value& jv) {
  const auto& object = expect_object(jv, "a subsidy", {"id", "payer", "who", "programs", "share", "window"},
                                     {"id", "label", "payer", "citation", "who", "programs", "share", "window", "quota",
                                      "budget", "priority", "rank_by"});
  subsidy s;
  s.id = text_of(object, "id", "the subsidy id", true);
  s.label = text_of(object, "label", "a label");
  s.payer = text_of(object, "payer", "the payer, such as \"PEMKAB_OKU_TIMUR\"", true);
  s.citation = text_of(object, "citation", "the agreement or regulation");
  s.who = text_of(object, "who", "the id of the rule that selects the people", true);
  s.programs = names_of(object, "programs", "a program id");
  s.share = read_at("/share", [&] { return share_from(object.at("share")); });
  s.window = read_at("/window", [&] { return window_from(object.at("window")); });
  s.quota = optional_whole_at(object, "quota", "a whole number of people, 0 or more");
  s.budget = optional_at<money>(object, "budget");
  if (object.contains("priority")) {
    const std::int64_t priority = whole_at(object, "priority", "a whole number from -1000000 to 1000000");
    if (priority < -1'000'000 || priority > 1'000'000) fail("a priority is from -1000000 to 1000000", "/priority");
    s.priority = static_cast<int>(priority);
  }
  if (const auto* keys = object.if_contains("rank_by"))
    s.rank_by = read_at("/rank_by", [&] { return rank_keys_from(*keys); });
  return s;
}

json::value to_json(const program& p) {
  json::array formulas;
  for (const auto& f : p.formulas) {
    json::object out{{"category", f.category}};
    if (!f.when.empty()) out["when"] = f.when;
    json::object base;
    if (!f.base.fact.empty()) base["fact"] = f.base.fact;
    if (f.base.fixed) base["fixed"] = json::value_from(*f.base.fixed);
    if (f.base.floor) base["floor"] = json::value_from(*f.base.floor);
    if (f.base.ceiling) base["ceiling"] = json::value_from(*f.base.ceiling);
    if (!f.base.brackets.empty()) {
      json::array levels;
      for (const money m : f.base.brackets)
        levels.push_back(json::value_from(m));
      base["brackets"] = std::move(levels);
    }
    if (!base.empty()) out["base"] = std::move(base);
    json::array parts;
    for (const auto& part : f.parts) {
      json::object po;
      if (!part.payer.empty()) po["payer"] = part.payer;
      if (!part.recomposed_from.empty()) po["recomposed_from"] = part.recomposed_from;
      if (part.share) po["share"] = json::value_from(*part.share);
      if (part.share_of) po["share_of"] = json::value_from(*part.share_of);
      if (part.amount_of) po["amount_of"] = json::value_from(*part.amount_of);
      if (part.amount) po["amount"] = json::value_from(*part.amount);
      parts.push_back(std::move(po));
    }
    out["parts"] = std::move(parts);
    rounding_to(out, f.mode, f.unit);
    formulas.push_back(std::move(out));
  }
  json::object out{{"id", p.id}};
  if (!p.name.empty()) out["name"] = p.name;
  if (!p.legal_basis.empty()) out["legal_basis"] = p.legal_basis;
  if (p.from) out["from"] = json::value_from(*p.from);
  out["formulas"] = std::move(formulas);
  return out;
}

json::value to_json(const adjustment& a) {
  json::object out{{"id", a.id}};
  if (!a.label.empty()) out["label"] = a.label;
  out["programs"] = names_to_json(a.programs);
  if (!a.categories.empty()) out["categories"] = names_to_json(a.categories);
  out["factor"] = json::value_from(a.factor);
  rounding_to(out, a.mode, a.unit);
  return out;
}

json::value to_json(const enrolment& e) {
  json::object out{{"id", e.id}};
  if (!e.label.empty()) out["label"] = e.label;
  out["who"] = e.who;
  out["category"] = e.category;
  out["programs"] = names_to_json(e.programs);
  if (!e.roles.empty()) {
    json::object roles;
    for (const auto& [role, payer] : e.roles)
      roles[role] = payer;
    out["roles"] = std::move(roles);
  }
  if (e.base) out["base"] = json::value_from(*e.base);
  if (e.from) out["from"] = json::value_from(*e.from);
  return out;
}

json::value to_json(const subsidy& s) {
  json::object out{{"id", s.id}};
  if (!s.label.empty()) out["label"] = s.label;
  out["payer"] = s.payer;
  if (!s.citation.empty()) out["citation"] = s.citation;
  out["who"] = s.who;
  out["programs"] = names_to_json(s.programs);
  out["share"] = share_to_json(s.share);
  out["window"] = json::object{{"from", json::value_from(s.window.first())}, {"to", json::value_from(s.window.last())}};
  if (s.quota) out["quota"] = *s.quota;
  if (s.budget) out["budget"] = json::value_from(*s.budget);
  if (s.priority != 0) out["priority"] = s.priority;
  if (!s.rank_by.empty()) {
    json::array keys;
    for (const auto& key : s.rank_by) {
      json::object k;
      if (!key.fact.empty()) k["fact"] = key.fact;
      if (!key.rule.empty()) k["rule"] = key.rule;
      k["order"] = key.rule.empty() ? (key.descending ? "descending" : "ascending")
                                    : (key.descending ? "no_first" : "yes_first");
      if (!key.tiers.empty()) {
        json::array tiers;
        for (const auto& tier : key.tiers)
          tiers.push_back(names_to_json(tier));
        k["tiers"] = std::move(tiers);
      }
      if (!key.citation.empty()) k["citation"] = key.citation;
      keys.push_back(std::move(k));
    }
    out["rank_by"] = std::move(keys);
  }
  return out;
}

json::value to_json(const benefit& b) {
  json::object out{{"id", b.id}};
  if (!b.label.empty()) out["label"] = b.label;
  out["program"] = b.program;
  if (!b.citation.empty()) out["citation"] = b.citation;
  out["events"] = names_to_json(b.events);
  if (!b.when.empty()) out["when"] = b.when;
  if (b.from || b.until) {
    json::object e;
    if (b.from) e["from"] = json::value_from(*b.from);
    if (b.until) e["until"] = json::value_from(*b.until);
    out["effective"] = std::move(e);
  }
  out["amount"] = benefit_amount_to_json(b.amount);
  if (!b.at_least.empty()) out["at_least"] = names_to_json(b.at_least);
  return out;
}

} // namespace entitle::detail
