// Fuzz target: the value parsers. The whole input is given to each of `money::try_parse`,
// `rate::try_parse` (and `try_parse_share`), `date::try_parse`, `month::try_parse`,
// `month_range::try_parse`, `coerce_text` for a fact of every type, and `read_record` over a
// fixed schema. Invariants:
//  - a `try_` parser never throws, and its throwing twin agrees with it;
//  - a value that parses prints (every printed form) and parses back equal, and goes through
//    JSON (`value_from`, `value_to`) back equal;
//  - a record that reads holds facts of their types, its required fact among them.
#include "every_type_facts.hpp"
#include "fuzz_support.hpp"

#include <entitle/entitle.hpp>

#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

using namespace entitle;
using entitle_fuzz::broken;

namespace {

// `parse(text)` for a `try_parse` that must not throw.
template <class Parse>
auto no_throw(std::string_view what, Parse&& parse) {
  try {
    return parse();
  } catch (const error& e) {
    broken(std::string(what) + " must not throw", std::string("it threw entitle::error: ") + e.what());
  }
}

// The throwing parser agrees with the `try_` one: the same value, or the same failure thrown.
template <class T, class Parse>
void same_as_try(const result<T>& tried, Parse&& parse, std::string_view what) {
  try {
    const T value = parse();
    ENTITLE_FUZZ_CHECK(tried.has_value() && *tried == value, std::string(what) + " agrees with its try_ twin");
  } catch (const error& e) {
    ENTITLE_FUZZ_CHECK(!tried.has_value() && tried.error() == e.details(),
                       std::string(what) + " throws the failure its try_ twin returns");
  }
}

// Printing with `print` and parsing back with `parse` gives `value` again.
template <class T, class Print, class Parse>
void round_trip(const T& value, Print&& print, Parse&& parse, std::string_view what) {
  const std::string printed = print(value);
  try {
    const T back = parse(printed);
    ENTITLE_FUZZ_CHECK(back == value, std::string(what) + " parses back equal", "printed: \"" + printed + "\"");
  } catch (const error& e) {
    broken(std::string(what) + " parses back", "printed: \"" + printed + "\", parse threw: " + e.what());
  }
}

// Through JSON and back.
template <class T>
void json_round_trip(const T& value, std::string_view what) {
  const boost::json::value jv = boost::json::value_from(value);
  try {
    ENTITLE_FUZZ_CHECK(boost::json::value_to<T>(jv) == value, std::string(what) + " goes through JSON back equal");
  } catch (const error& e) {
    broken(std::string(what) + " reads back from its JSON", e.what());
  }
}

void fuzz_money(std::string_view text) {
  const result<money> m = no_throw("money::try_parse", [&] { return money::try_parse(text); });
  same_as_try(
      m, [&] { return money::parse(text); }, "money::parse");
  if (!m) return;
  round_trip(
      *m, [](money v) { return to_string(v); }, money::parse, "money: to_string");
  round_trip(
      *m, [](money v) { return to_rupiah_string(v); }, money::parse, "money: to_rupiah_string");
  json_round_trip(*m, "money");
}

void fuzz_rate(std::string_view text) {
  const result<rate> r = no_throw("rate::try_parse", [&] { return rate::try_parse(text); });
  same_as_try(
      r, [&] { return rate::parse(text); }, "rate::parse");
  const result<rate> share = no_throw("rate::try_parse_share", [&] { return rate::try_parse_share(text); });
  same_as_try(
      share, [&] { return rate::parse_share(text); }, "rate::parse_share");
  ENTITLE_FUZZ_CHECK(share.has_value() == (r.has_value() && r->is_share()), "a share is a rate between 0% and 100%");
  if (!r) return;
  round_trip(
      *r, [](rate v) { return to_string(v); }, rate::parse, "rate: to_string");
  json_round_trip(*r, "rate");
}

void fuzz_date(std::string_view text) {
  const result<date> d = no_throw("date::try_parse", [&] { return date::try_parse(text); });
  same_as_try(
      d, [&] { return date::parse(text); }, "date::parse");
  if (!d) return;
  ENTITLE_FUZZ_CHECK(to_string(*d) == text, "a date is written as read (YYYY-MM-DD)");
  round_trip(
      *d, [](date v) { return to_string(v); }, date::parse, "date: to_string");
  json_round_trip(*d, "date");
  ENTITLE_FUZZ_CHECK(number_date(date_number(*d)) == *d, "number_date inverts date_number");
}

void fuzz_month(std::string_view text) {
  const result<month> m = no_throw("month::try_parse", [&] { return month::try_parse(text); });
  same_as_try(
      m, [&] { return month::parse(text); }, "month::parse");
  if (m) {
    ENTITLE_FUZZ_CHECK(to_string(*m) == text, "a month is written as read (YYYY-MM)");
    round_trip(
        *m, [](month v) { return to_string(v); }, month::parse, "month: to_string");
    json_round_trip(*m, "month");
  }

  const result<month_range> r = no_throw("month_range::try_parse", [&] { return month_range::try_parse(text); });
  same_as_try(
      r, [&] { return month_range::parse(text); }, "month_range::parse");
  if (!r) return;
  ENTITLE_FUZZ_CHECK(!(r->last() < r->first()), "a month range does not end before it starts");
  if (text.find("..") == std::string_view::npos)
    ENTITLE_FUZZ_CHECK(r->first() == r->last(), "one month is a range of one");
  round_trip(
      *r, [](month_range v) { return to_string(v); }, month_range::parse, "month_range: to_string");
  json_round_trip(*r, "month_range");
}

const schema& facts() {
  static const schema s = entitle_test::every_type_facts(true);
  return s;
}

// A compiled fact of `f`'s type holds a value of that type.
void check_fact(const field& f, const fact_value& v) {
  if (!v.present) return;
  switch (f.type) {
  case fact_type::boolean: ENTITLE_FUZZ_CHECK(v.number == 0 || v.number == 1, "a bool fact is 0 or 1"); break;
  case fact_type::date: {
    const bool not_a_date = entitle_fuzz::refused([&] { (void)number_date(v.number); });
    ENTITLE_FUZZ_CHECK(!not_a_date, "a date fact holds a date", std::to_string(v.number));
    break;
  }
  case fact_type::month: {
    const bool not_a_date = entitle_fuzz::refused([&] { (void)number_date(v.number); });
    ENTITLE_FUZZ_CHECK(!not_a_date && (v.number & 31) == 1, "a month fact holds the first day of a month",
                       std::to_string(v.number));
    break;
  }
  case fact_type::enumeration:
    ENTITLE_FUZZ_CHECK(!f.enumerator_name(v.number).empty(), "an enum fact holds one of its values");
    break;
  default: break;
  }
}

void fuzz_facts(std::string_view text) {
  for (const field& f : facts().fields()) {
    const result<fact_value> v = no_throw("coerce_text", [&] { return coerce_text(f, text); });
    if (!v) continue;
    check_fact(f, *v);
    if (f.type == fact_type::string)
      ENTITLE_FUZZ_CHECK(v->text.data() == text.data() && v->text.size() == text.size(),
                         "a string fact is the text itself");
  }

  std::optional<record> r;
  if (entitle_fuzz::refused([&] { r = read_record(facts(), text); })) return;
  ENTITLE_FUZZ_CHECK(r->size() == facts().size(), "a record has a slot per fact");
  for (std::size_t slot = 0; slot < facts().size(); ++slot) {
    const field& f = facts().at(slot);
    if (f.required) ENTITLE_FUZZ_CHECK(r->facts()[slot].present, "a record that reads has its required facts");
    check_fact(f, r->facts()[slot]);
  }
  // A copy is self-contained: its strings live in its own storage.
  const record copy = *r;
  for (std::size_t slot = 0; slot < facts().size(); ++slot) {
    const fact_value& x = r->facts()[slot];
    const fact_value& y = copy.facts()[slot];
    ENTITLE_FUZZ_CHECK(x.present == y.present && (!x.present || (x.number == y.number && x.text == y.text)),
                       "a copied record holds the same facts");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz_money(text);
  fuzz_rate(text);
  fuzz_date(text);
  fuzz_month(text);
  fuzz_facts(text);
  return 0;
}
