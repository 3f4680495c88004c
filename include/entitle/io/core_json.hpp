#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/dated.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/core/rate.hpp>
#include <entitle/core/verdict.hpp>

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/system/system_error.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Boost.JSON conversions of the core value types, found by argument-dependent lookup:
// `boost::json::value_from(amount)` and `boost::json::value_to<entitle::money>(jv)`.
// `value_to` throws `entitle::error`; a failure inside an array or object names its JSON pointer
// in `failure::location` ("/history/1/from"). The shapes are documented in docs/value-types.md.
namespace entitle {

/// An integer number of rupiah when the amount is whole (16800), else a plain string ("16800.50").
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, money amount);
/// Accepts an integer (rupiah) or a string in either `money::parse` form; never a float.
money tag_invoke(boost::json::value_to_tag<money>, const boost::json::value& jv);

/// A string in percent form: "0.24%".
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, rate value);
/// Accepts a string in any `rate::parse` form; a JSON number is refused, since it would be a float.
rate tag_invoke(boost::json::value_to_tag<rate>, const boost::json::value& jv);

/// "YYYY-MM-DD".
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, date day);
date tag_invoke(boost::json::value_to_tag<date>, const boost::json::value& jv);

/// "YYYY-MM".
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, month value);
month tag_invoke(boost::json::value_to_tag<month>, const boost::json::value& jv);

/// "YYYY-MM..YYYY-MM".
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, month_range range);
month_range tag_invoke(boost::json::value_to_tag<month_range>, const boost::json::value& jv);

/// "yes", "no" or "unknown".
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, verdict value);
verdict tag_invoke(boost::json::value_to_tag<verdict>, const boost::json::value& jv);

/// "half_up", "half_even", "toward_zero" or "up".
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, rounding mode);
rounding tag_invoke(boost::json::value_to_tag<rounding>, const boost::json::value& jv);

namespace detail {

/// The numbers of one JSON text that are not 64-bit integers, as written ("2000000.5", "1e3",
/// "99999999999999999999"), by the address of their value in the parsed document, so that a
/// message can quote a number as the file has it. While a `number_texts::use` of them lives,
/// `number_text` on the same thread finds them.
class number_texts {
public:
  /// Records that the number at `at` was written `text`.
  void add(const boost::json::value* at, std::string text);
  /// How the number at `at` was written, or null when it was not recorded.
  [[nodiscard]] const std::string* find(const boost::json::value* at) const noexcept;

  /// Makes `texts` the numbers `number_text` finds on this thread, until it is destroyed.
  class use {
  public:
    explicit use(const number_texts& texts) noexcept;
    ~use();
    use(const use&) = delete;
    use& operator=(const use&) = delete;

  private:
    const number_texts* previous_;
  };

private:
  std::vector<std::pair<const boost::json::value*, std::string>> texts_;
};

/// A JSON number as a message quotes it: as written, when the text being read recorded it (see
/// `number_texts`), else the shortest text that reads back as the same number: 2000000.5 and
/// 0.01, never 2.0000005E6 and 1E-2. Integers are their digits.
[[nodiscard]] std::string number_text(const boost::json::value& jv);

/// True for a JSON number too large for 64 bits, which arrives as an unsigned or a floating-point
/// number: it is too large, not of the wrong type.
[[nodiscard]] bool beyond_64_bits(const boost::json::value& jv);

/// What `jv` is, as a message says what was found instead of what was expected: "the number
/// 2000000.5", "the string \"x\"", "an array", "an object", "null", "true".
[[nodiscard]] std::string describe_found(const boost::json::value& jv);

/// The byte of `text` at `at` when it does not start a valid UTF-8 sequence, as "0xFF"; empty when
/// it does, or when it is ASCII, or past the end. Boost.JSON reports such a byte as a syntax error.
[[nodiscard]] std::string not_utf8(std::string_view text, std::size_t at);

/// Rethrows `e` as found under `pointer`: its location becomes `pointer` + its own location.
[[noreturn]] void rethrow_at(const error& e, std::string_view pointer);

/// Runs `read`, placing any `entitle::error` it throws at `pointer`; a Boost.JSON conversion
/// error (from `value_to` of a type that is not entitle's) becomes `errc::invalid_syntax` there.
template <class Read>
auto read_at(std::string_view pointer, Read&& read) -> decltype(read()) {
  try {
    return std::forward<Read>(read)();
  } catch (const error& e) {
    rethrow_at(e, pointer);
  } catch (const boost::system::system_error& e) {
    rethrow_at(error(errc::invalid_syntax, e.code().message()), pointer);
  }
}

/// A key as one JSON pointer reference token (RFC 6901), with its leading '/': "a/b" is "/a~1b".
std::string pointer_token(std::string_view key);

/// "/i", the JSON pointer token of array index `i` (written so that GCC 12 sees no overlap in
/// `"/" + std::to_string(i)`, a false -Wrestrict).
[[nodiscard]] std::string index_token(std::size_t i);

/// `jv` as an object with only `allowed` keys, all `required` ones among them; throws
/// `errc::invalid_syntax` naming the offending key.
const boost::json::object& expect_object(const boost::json::value& jv, std::string_view what,
                                         std::initializer_list<std::string_view> required,
                                         std::initializer_list<std::string_view> allowed);

/// `jv` as an object whose keys are names the caller checks (facts, kinds of cost); throws
/// `errc::invalid_syntax` saying what was expected when it is not an object.
const boost::json::object& expect_named_object(const boost::json::value& jv, std::string_view what);

/// `jv` as an array; throws `errc::invalid_syntax` saying what was expected.
const boost::json::array& expect_array(const boost::json::value& jv, std::string_view what);

/// `jv` as an array of non-empty strings, each `what`; an error is placed at its index ("/2").
std::vector<std::string> expect_texts(const boost::json::value& jv, std::string_view what);

/// `jv` as a non-empty string; throws `errc::invalid_syntax` saying what was expected.
std::string_view expect_string(const boost::json::value& jv, std::string_view what);

/// The non-empty string under `key` of `object`, or "" when the key is absent; a value that is not
/// one is refused at the key's pointer, saying `what` was expected.
std::string optional_text(const boost::json::object& object, std::string_view key, std::string_view what);

} // namespace detail

/// {"history": [{"from": "2015-07-01", "value": ..., "citation": "PP 45/2015 Art. 29(2)"}, ...],
///  "until": "2021-01-31"}; "until" only when the value ends.
template <class T>
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const dated<T>& value) {
  boost::json::array history;
  for (const auto& e : value.history())
    history.push_back(boost::json::object{{"from", boost::json::value_from(e.from)},
                                          {"value", boost::json::value_from(e.value)},
                                          {"citation", e.citation}});
  boost::json::object object{{"history", std::move(history)}};
  if (value.until()) object["until"] = boost::json::value_from(*value.until());
  jv = std::move(object);
}

/// Reads the shape above. Every entry needs a non-empty "citation": policy data cites the
/// regulation next to each figure. Errors name the entry: "/history/2/from".
template <class T>
dated<T> tag_invoke(boost::json::value_to_tag<dated<T>>, const boost::json::value& jv) {
  const auto& object = detail::expect_object(jv, "a dated value", {"history"}, {"history", "until"});
  const auto& history = detail::read_at("/history", [&]() -> const boost::json::array& {
    return detail::expect_array(object.at("history"), "an array of {\"from\", \"value\", \"citation\"} entries");
  });
  std::vector<typename dated<T>::entry> entries;
  entries.reserve(history.size());
  for (std::size_t i = 0; i < history.size(); ++i) {
    const std::string here = "/history/" + std::to_string(i);
    const auto& item = detail::read_at(here, [&]() -> const boost::json::object& {
      return detail::expect_object(history[i], "a dated entry", {"from", "value", "citation"},
                                   {"from", "value", "citation"});
    });
    entries.push_back({detail::read_at(here + "/from", [&] { return boost::json::value_to<date>(item.at("from")); }),
                       detail::read_at(here + "/value", [&] { return boost::json::value_to<T>(item.at("value")); }),
                       std::string(detail::read_at(here + "/citation", [&] {
                         return detail::expect_string(item.at("citation"), "the regulation that sets this value");
                       }))});
  }
  std::optional<date> until;
  if (const auto* end = object.if_contains("until"))
    until = detail::read_at("/until", [&] { return boost::json::value_to<date>(*end); });
  auto made = dated<T>::try_make(std::move(entries), until);
  if (!made) throw error(made.error());
  return std::move(*made);
}

} // namespace entitle
