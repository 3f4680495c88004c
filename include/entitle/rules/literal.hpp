#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/core/rate.hpp>
#include <entitle/rules/schema.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace entitle {

/// A policy parameter where a constant would stand (`parameter`): replaced by the parameter's
/// value when the rules are bound, so evaluation never sees it.
struct parameter_ref {
  std::string id;
  friend bool operator==(const parameter_ref&, const parameter_ref&) = default;
};

/// A value as written in a rule or a record, before it meets the type of the fact it is for:
/// `15`, `"informal"`, `Rp1.000.000`, `2024-01-01`, `month(2024, 3)`. A string can stand for any
/// type ("Rp1.000.000" for money, "2024-01-01" for a date, "2024-03" for a month, an enum's name),
/// since JSON and CSV write them so; `coerce` reads it by the fact's type.
/// A `parameter_ref` stands for a policy parameter's value, resolved when the rules are bound.
using literal = std::variant<bool, std::int64_t, money, rate, date, month, std::string, parameter_ref>;

/// The value of the policy parameter `id`, where a constant would stand:
/// `fact("monthly_income").at_most(parameter_value("income_limit"))`.
[[nodiscard]] inline literal parameter_value(std::string id) { return parameter_ref{std::move(id)}; }

/// How a literal reads in messages: true, 15, Rp1.000.000, 0.24%, 2024-01-01, 2024-03, "informal".
[[nodiscard]] inline std::string describe(const literal& value) {
  struct {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(money m) const { return to_rupiah_string(m); }
    std::string operator()(rate r) const { return to_string(r); }
    std::string operator()(date d) const { return to_string(d); }
    std::string operator()(month m) const { return to_string(m); }
    std::string operator()(const std::string& s) const { return detail::quoted(s); }
    std::string operator()(const parameter_ref& p) const { return "the parameter " + detail::quoted(p.id); }
  } visitor;
  return std::visit(visitor, value);
}

namespace detail {
[[nodiscard]] inline std::string expected_for(const field& f) {
  switch (f.type) {
  case fact_type::boolean: return "true or false";
  case fact_type::integer: return "a whole number";
  case fact_type::money: return "an amount such as 1000000 or \"Rp1.000.000\"";
  case fact_type::rate: return "a rate such as \"0.24%\"";
  case fact_type::date: return "a date such as \"2024-01-31\"";
  case fact_type::month: return "a month such as \"2024-03\"";
  case fact_type::string: return "a string";
  case fact_type::enumeration: {
    std::string names;
    for (const auto& e : f.enumerators)
      names += (names.empty() ? "" : ", ") + detail::quoted(e.name);
    return "one of " + names;
  }
  }
  return "a value";
}

// "expected <what f takes> for the <type> fact "<name>", found <found>".
[[nodiscard]] inline failure mismatch(const field& f, std::string_view found) {
  return failure(errc::invalid_syntax, "expected " + expected_for(f) + " for the " + std::string(type_name(f.type)) +
                                           " fact \"" + f.name + "\", found " + std::string(found));
}

[[nodiscard]] inline result<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const bool negative = text.starts_with('-');
  const std::string_view digits = negative ? text.substr(1) : text;
  if (!all_digits(digits))
    return failure(errc::invalid_syntax, "expected a whole number, found " + detail::quoted(text));
  if (read_scaled(digits, {}, 0, negative, value) != decimal_status::ok)
    return failure(errc::overflow, "the whole number " + detail::quoted(text) + " does not fit in 64 bits");
  return value;
}
} // namespace detail

/// `text` read as a fact of `f`'s type, as written in JSON or a CSV cell: "Rp1.000.000",
/// "2024-01-31", "true", "42", an enum's name. A string fact's value is a view into `text`, which
/// must outlive the result; nothing is allocated unless the text is refused. A failure says what
/// the fact expects and what was found.
[[nodiscard]] inline result<fact_value> coerce_text(const field& f, std::string_view text) {
  // Text that fails to parse as the fact's type reports the parser's own message, prefixed with
  // the fact it was for.
  auto parsed = [&](auto outcome, auto to_number) -> result<fact_value> {
    if (!outcome) {
      failure problem = outcome.error();
      problem.message = "the " + std::string(type_name(f.type)) + " fact \"" + f.name + "\": " + problem.message;
      return problem;
    }
    return fact_value::of_number(to_number(*outcome));
  };
  switch (f.type) {
  case fact_type::boolean:
    if (text == "true" || text == "false") return fact_value::of_number(text == "true" ? 1 : 0);
    break;
  case fact_type::integer: return parsed(detail::parse_integer(text), [](std::int64_t n) { return n; });
  case fact_type::money: return parsed(money::try_parse(text), [](money m) { return m.minor_units(); });
  case fact_type::rate: return parsed(rate::try_parse(text), [](rate r) { return r.parts(); });
  case fact_type::date:
    if (text.size() == 7 && month::try_parse(text)) // "2024-03": a month where a day is expected
      return failure(errc::invalid_syntax, "the date fact \"" + f.name + "\": " + detail::quoted(text) +
                                               " is a month, not a day; a fact of months is declared \"type\": "
                                               "\"month\"");
    return parsed(date::try_parse(text), [](date d) { return date_number(d); });
  case fact_type::month: return parsed(month::try_parse(text), [](month m) { return date_number(m.first_day()); });
  case fact_type::string: return fact_value::of_text(text);
  case fact_type::enumeration:
    if (const enumerator* e = f.find_enumerator(text)) return fact_value::of_number(e->value);
    return failure(errc::invalid_syntax, detail::quoted(text) + " is not a value of the enum fact \"" + f.name +
                                             "\"; expected " + detail::expected_for(f));
  }
  return detail::mismatch(f, detail::quoted(text));
}

/// `value` read as a fact of `f`'s type, in the compiled form: the number or the text (a view into
/// `value`, which must outlive the result). Strings are read by `coerce_text`; an integer is a
/// number of rupiah for money. A failure says what the fact expects and what was found.
[[nodiscard]] inline result<fact_value> coerce(const field& f, const literal& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return coerce_text(f, *text);
  switch (f.type) {
  case fact_type::boolean:
    if (const auto* b = std::get_if<bool>(&value)) return fact_value::of_number(*b ? 1 : 0);
    break;
  case fact_type::integer:
    if (const auto* n = std::get_if<std::int64_t>(&value)) return fact_value::of_number(*n);
    break;
  case fact_type::money:
    if (const auto* m = std::get_if<money>(&value)) return fact_value::of_number(m->minor_units());
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
      std::int64_t sen = 0;
      if (__builtin_mul_overflow(*n, money::minor_per_rupiah, &sen))
        return failure(errc::overflow, "the money fact \"" + f.name +
                                           "\": " + detail::money_out_of_range(std::to_string(*n) + " rupiah", *n < 0));
      return fact_value::of_number(sen);
    }
    break;
  case fact_type::rate:
    if (const auto* r = std::get_if<rate>(&value)) return fact_value::of_number(r->parts());
    break;
  case fact_type::date:
    if (const auto* d = std::get_if<date>(&value)) return fact_value::of_date(*d);
    break;
  case fact_type::month:
    if (const auto* m = std::get_if<month>(&value)) return fact_value::of_month(*m);
    break;
  case fact_type::string:
  case fact_type::enumeration: break; // only text
  }
  return detail::mismatch(f, describe(value));
}

/// A compiled fact value of `f` back as a literal: the inverse of `coerce` for present values.
[[nodiscard]] inline literal to_literal(const field& f, const fact_value& value) {
  switch (f.type) {
  case fact_type::boolean: return value.number != 0;
  case fact_type::integer: return value.number;
  case fact_type::money: return money::from_minor_units(value.number);
  case fact_type::rate: return rate::from_parts(value.number);
  case fact_type::date: return number_date(value.number);
  case fact_type::month: return month::of(number_date(value.number));
  case fact_type::string: return std::string(value.text);
  case fact_type::enumeration: return std::string(f.enumerator_name(value.number));
  }
  return false;
}

/// How a fact value of `f` reads in explanations: true, 15, Rp1.000.000, 0.24%, 2024-01-01,
/// "3171012345678901", informal; "missing" when it is not there.
[[nodiscard]] inline std::string render(const field& f, const fact_value& value) {
  if (!value.present) return "missing";
  if (f.type == fact_type::enumeration) return std::string(f.enumerator_name(value.number));
  return describe(to_literal(f, value));
}

namespace detail {
// "from 1 to 5", "at least Rp0", "at most 100%", "one of 1, 2, 3": what a range allows.
[[nodiscard]] inline std::string range_text(const field& f) {
  auto shown = [&](std::int64_t n) { return render(f, fact_value::of_number(n)); };
  if (!f.range.allowed.empty()) {
    std::string codes;
    for (std::int64_t code : f.range.allowed)
      codes += (codes.empty() ? "" : ", ") + std::to_string(code);
    return "one of " + codes;
  }
  const auto least = f.least();
  if (least && f.range.max) return "from " + shown(*least) + " to " + shown(*f.range.max);
  if (least) return "at least " + shown(*least);
  return "at most " + shown(*f.range.max);
}
} // namespace detail

/// The failure of a present value of `f` outside its declared range (`field::range`, with money
/// at least Rp0 unless declared otherwise), or none: `the integer fact "risk_class" is one of 1,
/// 2, 3, 4, 5; found 6`, `the money fact "wage" is at least Rp0; found -Rp4.000.000`. Allocates
/// only when the value is refused.
[[nodiscard]] inline std::optional<failure> outside_range(const field& f, const fact_value& value) {
  if (!value.present || !is_ordered(f.type)) return std::nullopt;
  const auto least = f.least();
  const auto& codes = f.range.allowed;
  const bool allowed = codes.empty() || std::find(codes.begin(), codes.end(), value.number) != codes.end();
  if (allowed && (!least || *least <= value.number) && (!f.range.max || value.number <= *f.range.max))
    return std::nullopt;
  return failure(errc::out_of_range, "the " + std::string(type_name(f.type)) + " fact " + detail::quoted(f.name) +
                                         " is " + detail::range_text(f) + "; found " + render(f, value));
}

} // namespace entitle
