// Reading scenario files (scenario.hpp, docs/scenarios.md): every value checked where it is, errors
// located by JSON pointer under the file's name.
#include <entitle/io/core_json.hpp>
#include <entitle/io/scenario.hpp>

#include <boost/json/value_to.hpp>

#include <fstream>
#include <iterator>

namespace entitle {

namespace json = boost::json;
using detail::expect_array;
using detail::expect_object;
using detail::expect_string;
using detail::expect_texts;
using detail::index_token;
using detail::pointer_token;
using detail::read_at;

namespace {

constexpr std::string_view test_format = "entitle-test/1";

// Reads the value under `key` of `object` with `read`, its errors placed at the key.
template <class Read>
auto at_key(const json::object& object, std::string_view key, Read&& read) {
  return read_at(pointer_token(key), [&] { return read(object.at(key)); });
}

std::string text_of(const json::value& jv, std::string_view what) { return std::string(expect_string(jv, what)); }

money money_of(const json::value& jv) { return json::value_to<money>(jv); }

// `jv` as an object whose keys are names (programs, payers, months, subsidies).
const json::object& any_object(const json::value& jv, std::string_view what) {
  if (!jv.is_object())
    throw error(errc::invalid_syntax,
                "expected " + std::string(what) + " (an object), found " + detail::describe_found(jv));
  return jv.get_object();
}

// {"JKK": 120000, "JKM": "81600"}: amounts by name.
scenario_amounts amounts_of(const json::value& jv, std::string_view what) {
  scenario_amounts out;
  for (const auto& member : any_object(jv, what))
    out[std::string(member.key())] = read_at(pointer_token(member.key()), [&] { return money_of(member.value()); });
  return out;
}

// "as_of" or "period" of a scenario, as `entitle run` takes --as-of or --period.
void read_when(const json::object& o, date& as_of, month_range& period) {
  const bool has_day = o.contains("as_of");
  const bool has_months = o.contains("period");
  if (has_day == has_months)
    throw error(errc::invalid_syntax, has_day ? "a scenario takes \"as_of\" or \"period\", not both"
                                              : "a scenario needs \"as_of\" or \"period\"");
  if (has_months) {
    period = at_key(o, "period", [](const json::value& v) { return json::value_to<month_range>(v); });
    as_of = period.first().first_day();
  }
  if (has_day) {
    as_of = at_key(o, "as_of", [](const json::value& v) { return json::value_to<date>(v); });
    if (!has_months) period = month_range(month::of(as_of), month::of(as_of));
  }
}

void read_months(const json::value& jv, scenario_case& c) {
  for (const auto& member : any_object(jv, "months by month")) {
    read_at(pointer_token(member.key()), [&] {
      const month when = json::value_to<month>(json::value(member.key()));
      const auto& o = expect_object(member.value(), "a month's amounts", {}, {"due", "paid"});
      if (o.contains("due")) c.due_by_month[when] = at_key(o, "due", [](auto& v) { return amounts_of(v, "due"); });
      if (o.contains("paid")) c.paid_by_month[when] = at_key(o, "paid", [](auto& v) { return amounts_of(v, "paid"); });
    });
  }
}

void read_case_expect(const json::object& e, scenario_case& c) {
  c.status = at_key(e, "status", [](const json::value& v) { return text_of(v, "a status"); });
  if (c.status != "eligible" && c.status != "ineligible" && c.status != "undetermined")
    throw error(failure(errc::invalid_syntax,
                        "expected eligible, ineligible or undetermined, found \"" + c.status + "\"", "/status"));
  if (e.contains("reasons")) c.reasons = at_key(e, "reasons", [](auto& v) { return expect_texts(v, "a reason code"); });
  if (e.contains("missing")) c.missing = at_key(e, "missing", [](auto& v) { return expect_texts(v, "a fact name"); });
  if (e.contains("due")) c.due = at_key(e, "due", [](auto& v) { return amounts_of(v, "due by program"); });
  if (e.contains("paid")) c.paid = at_key(e, "paid", [](auto& v) { return amounts_of(v, "paid by payer"); });
  if (e.contains("total")) c.total = at_key(e, "total", money_of);
  if (e.contains("months")) read_at("/months", [&] { read_months(e.at("months"), c); });
}

scenario_case read_case(const json::value& jv) {
  scenario_case c;
  const auto& o = expect_object(jv, "a case", {"name", "citation", "facts", "expect"},
                                {"name", "citation", "as_of", "period", "rule", "facts", "expect"});
  c.name = at_key(o, "name", [](auto& v) { return text_of(v, "a name"); });
  c.citation = at_key(o, "citation", [](auto& v) { return text_of(v, "a citation"); });
  read_when(o, c.as_of, c.period);
  if (o.contains("rule")) c.rules = {at_key(o, "rule", [](auto& v) { return text_of(v, "a rule id"); })};
  c.facts = o.at("facts");
  read_at("/expect", [&] {
    read_case_expect(expect_object(o.at("expect"), "a case's expectations", {"status"},
                                   {"status", "reasons", "missing", "due", "paid", "total", "months"}),
                     c);
  });
  return c;
}

std::vector<setting> settings_of(const json::value& jv) {
  std::vector<setting> out;
  for (const auto& member : any_object(jv, "the fields set")) {
    const json::value& v = member.value();
    std::string value = v.is_string() ? std::string(v.get_string())
                        : v.is_int64()
                            ? std::to_string(v.get_int64())
                            : throw error(failure(errc::invalid_syntax,
                                                  "expected a setting's value as a string or a whole number, "
                                                  "found " +
                                                      detail::describe_found(v),
                                                  pointer_token(member.key())));
    out.push_back({std::string(member.key()), std::move(value)});
  }
  return out;
}

void read_batch_expect(const json::object& e, scenario_batch& b) {
  if (e.contains("rows_read"))
    b.rows_read = at_key(e, "rows_read", [](auto& v) { return json::value_to<std::uint64_t>(v); });
  if (e.contains("rejected"))
    b.rejected = at_key(e, "rejected", [](auto& v) { return json::value_to<std::uint64_t>(v); });
  if (e.contains("funded"))
    read_at("/funded", [&] {
      for (const auto& member : any_object(e.at("funded"), "funded ids by subsidy"))
        b.funded[std::string(member.key())] =
            read_at(pointer_token(member.key()), [&] { return expect_texts(member.value(), "an id"); });
    });
  if (e.contains("paid")) b.paid = at_key(e, "paid", [](auto& v) { return amounts_of(v, "paid by payer"); });
  if (e.contains("total")) b.total = at_key(e, "total", money_of);
}

scenario_batch read_batch(const json::value& jv) {
  scenario_batch b;
  const auto& o = expect_object(jv, "a batch", {"name", "citation", "roster", "expect"},
                                {"name", "citation", "roster", "id_column", "as_of", "period", "set", "expect"});
  b.name = at_key(o, "name", [](auto& v) { return text_of(v, "a name"); });
  b.citation = at_key(o, "citation", [](auto& v) { return text_of(v, "a citation"); });
  b.roster = at_key(o, "roster", [](auto& v) { return text_of(v, "a roster file"); });
  if (o.contains("id_column")) b.id_column = at_key(o, "id_column", [](auto& v) { return text_of(v, "a column"); });
  read_when(o, b.as_of, b.period);
  if (o.contains("set")) b.settings = read_at("/set", [&] { return settings_of(o.at("set")); });
  read_at("/expect", [&] {
    read_batch_expect(expect_object(o.at("expect"), "a batch's expectations", {},
                                    {"rows_read", "rejected", "funded", "paid", "total"}),
                      b);
  });
  return b;
}

scenario_claim read_claim(const json::value& jv) {
  scenario_claim c;
  const auto& o =
      expect_object(jv, "a claim", {"name", "citation", "event", "on", "facts", "expect"},
                    {"name", "citation", "event", "on", "months", "children", "enrolment", "facts", "expect"});
  c.name = at_key(o, "name", [](auto& v) { return text_of(v, "a name"); });
  c.citation = at_key(o, "citation", [](auto& v) { return text_of(v, "a citation"); });
  c.event = at_key(o, "event", [](auto& v) { return text_of(v, "an event"); });
  c.on = at_key(o, "on", [](auto& v) { return json::value_to<date>(v); });
  if (o.contains("months")) c.months = at_key(o, "months", [](auto& v) { return json::value_to<std::int64_t>(v); });
  if (o.contains("children"))
    c.children = at_key(o, "children", [](auto& v) { return expect_texts(v, "a school level"); });
  if (o.contains("enrolment")) c.enrolment = at_key(o, "enrolment", [](auto& v) { return text_of(v, "an enrolment"); });
  c.facts = o.at("facts");
  read_at("/expect", [&] {
    const auto& e = expect_object(o.at("expect"), "a claim's expectations", {}, {"total", "payable", "refused"});
    if (e.contains("total")) c.total = at_key(e, "total", money_of);
    if (e.contains("payable"))
      c.payable = at_key(e, "payable", [](auto& v) { return amounts_of(v, "payable by benefit"); });
    if (e.contains("refused"))
      c.refused = at_key(e, "refused", [](auto& v) { return expect_texts(v, "a benefit id"); });
  });
  return c;
}

template <class Item, class Read>
std::vector<Item> read_list(const json::object& o, std::string_view key, Read read) {
  std::vector<Item> out;
  if (!o.contains(key)) return out;
  read_at(pointer_token(key), [&] {
    const auto& items = expect_array(o.at(key), "a list (an array)");
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string pointer = pointer_token(key) + index_token(i);
      out.push_back(read_at(index_token(i), [&] { return read(items[i]); }));
      out.back().pointer = pointer;
    }
  });
  return out;
}

} // namespace

scenario_file read_scenario_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(errc::invalid_syntax, "cannot open the scenario file " + path.string());
  const std::string text(std::istreambuf_iterator<char>(in), {});
  try {
    const json::value jv = parse_json(text, "the scenario file");
    scenario_file out;
    out.path = path;
    const auto& o = expect_object(jv, "a scenario file", {"format", "policy"},
                                  {"format", "policy", "description", "cases", "batches", "claims"});
    const std::string format = at_key(o, "format", [](auto& v) { return text_of(v, "a format"); });
    if (format != test_format)
      throw error(failure(errc::invalid_syntax,
                          "expected the format \"" + std::string(test_format) + "\", found \"" + format + "\"",
                          "/format"));
    out.policy = at_key(o, "policy", [](auto& v) { return text_of(v, "a policy file or id"); });
    out.cases = read_list<scenario_case>(o, "cases", read_case);
    out.batches = read_list<scenario_batch>(o, "batches", read_batch);
    out.claims = read_list<scenario_claim>(o, "claims", read_claim);
    if (out.cases.empty() && out.batches.empty() && out.claims.empty())
      throw error(errc::invalid_syntax, "a scenario file needs at least one of \"cases\", \"batches\" and \"claims\"");
    return out;
  } catch (const error& e) {
    failure f = e.details();
    f.location = f.location.empty() ? path.string() : path.string() + ": " + f.location;
    throw error(std::move(f));
  }
}

} // namespace entitle
