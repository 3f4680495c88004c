#include <entitle/io/core_json.hpp>

#include <boost/describe/enum_to_string.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/json/kind.hpp>
#include <boost/json/serialize.hpp>
#include <boost/locale/utf.hpp>
#include <boost/mp11/algorithm.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

namespace entitle {
namespace {

namespace json = boost::json;
using detail::describe_found;

// The numbers as written of the JSON text being read on this thread, if its reader kept them.
thread_local const detail::number_texts* numbers_in_use = nullptr;

[[noreturn]] void mismatch(std::string_view expected, const json::value& jv) {
  throw error(errc::invalid_syntax, "expected " + std::string(expected) + ", found " + describe_found(jv));
}

// Parses a string value with a core `try_parse`, or says a string was expected.
template <class T, class Parse>
T parse_string(const json::value& jv, std::string_view expected, Parse parse) {
  if (!jv.is_string()) mismatch(expected, jv);
  return parse(std::string_view(jv.get_string())).value();
}

// Compares the whole string (a NUL inside it cannot cut it short, as a C string would).
template <class Enum>
Enum enum_from(const json::value& jv, std::string_view expected) {
  if (!jv.is_string()) mismatch(expected, jv);
  const std::string_view text = jv.get_string();
  std::optional<Enum> found;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<Enum>>([&](auto e) {
    if (text == e.name) found = e.value;
  });
  if (!found) mismatch(expected, jv);
  return *found;
}

} // namespace

void tag_invoke(json::value_from_tag, json::value& jv, money amount) {
  if (amount.is_whole_rupiah())
    jv = amount.whole_rupiah();
  else
    jv = to_string(amount);
}

money tag_invoke(json::value_to_tag<money>, const json::value& jv) {
  constexpr std::string_view expected =
      "an amount: a whole number of rupiah such as 16800, or a string such as \"Rp16.800\" or \"16800.50\"";
  if (jv.is_int64()) {
    const std::int64_t rupiah = jv.get_int64();
    std::int64_t sen = 0;
    if (__builtin_mul_overflow(rupiah, money::minor_per_rupiah, &sen))
      throw error(errc::overflow, detail::money_out_of_range(std::to_string(rupiah) + " rupiah", rupiah < 0));
    return money::from_minor_units(sen);
  }
  if (jv.is_uint64() || detail::beyond_64_bits(jv))
    throw error(errc::overflow,
                detail::money_out_of_range(detail::number_text(jv) + " rupiah", jv.is_double() && jv.get_double() < 0));
  if (jv.is_double())
    throw error(errc::invalid_syntax, "expected " + std::string(expected) + ", found " + describe_found(jv) +
                                          " (amounts are never floating-point)");
  return parse_string<money>(jv, expected, &money::try_parse);
}

void tag_invoke(json::value_from_tag, json::value& jv, rate value) { jv = to_string(value); }

rate tag_invoke(json::value_to_tag<rate>, const json::value& jv) {
  if (jv.is_number())
    throw error(errc::invalid_syntax, "expected a rate as a string such as \"0.24%\" or \"0.0024\", found " +
                                          describe_found(jv) + " (write rates as strings, so they stay exact)");
  return parse_string<rate>(jv, "a rate as a string such as \"0.24%\" or \"0.0024\"", &rate::try_parse);
}

void tag_invoke(json::value_from_tag, json::value& jv, date day) { jv = to_string(day); }

date tag_invoke(json::value_to_tag<date>, const json::value& jv) {
  return parse_string<date>(jv, "a date as a string \"YYYY-MM-DD\"", &date::try_parse);
}

void tag_invoke(json::value_from_tag, json::value& jv, month value) { jv = to_string(value); }

month tag_invoke(json::value_to_tag<month>, const json::value& jv) {
  return parse_string<month>(jv, "a month as a string \"YYYY-MM\"", &month::try_parse);
}

void tag_invoke(json::value_from_tag, json::value& jv, month_range range) { jv = to_string(range); }

month_range tag_invoke(json::value_to_tag<month_range>, const json::value& jv) {
  return parse_string<month_range>(jv, "a month range as a string \"YYYY-MM..YYYY-MM\"", &month_range::try_parse);
}

void tag_invoke(json::value_from_tag, json::value& jv, verdict value) { jv = to_string(value); }

verdict tag_invoke(json::value_to_tag<verdict>, const json::value& jv) {
  return enum_from<verdict>(jv, "a verdict: \"yes\", \"no\" or \"unknown\"");
}

void tag_invoke(json::value_from_tag, json::value& jv, rounding mode) {
  jv = boost::describe::enum_to_string(mode, "half_up");
}

rounding tag_invoke(json::value_to_tag<rounding>, const json::value& jv) {
  return enum_from<rounding>(jv, "a rounding: \"half_up\", \"half_even\", \"toward_zero\" or \"up\"");
}

namespace detail {

void number_texts::add(const json::value* at, std::string text) { texts_.emplace_back(at, std::move(text)); }

const std::string* number_texts::find(const json::value* at) const noexcept {
  for (const auto& [value, text] : texts_)
    if (value == at) return &text;
  return nullptr;
}

number_texts::use::use(const number_texts& texts) noexcept : previous_(numbers_in_use) { numbers_in_use = &texts; }
number_texts::use::~use() { numbers_in_use = previous_; }

std::string number_text(const json::value& jv) {
  switch (jv.kind()) {
  case json::kind::int64: return std::to_string(jv.get_int64());
  case json::kind::uint64: return std::to_string(jv.get_uint64());
  case json::kind::double_: {
    if (numbers_in_use != nullptr)
      if (const std::string* written = numbers_in_use->find(&jv)) return *written;
    // The shortest text that reads back as the same number: 2000000.5, not 2.0000005E6.
    std::array<char, 32> digits{};
    return {digits.data(), std::to_chars(digits.data(), digits.data() + digits.size(), jv.get_double()).ptr};
  }
  default: return json::serialize(jv);
  }
}

bool beyond_64_bits(const json::value& jv) {
  return jv.is_uint64() || (jv.is_double() && std::fabs(jv.get_double()) >= 9.2233720368547758e18);
}

std::string describe_found(const json::value& jv) {
  switch (jv.kind()) {
  case json::kind::null: return "null";
  case json::kind::bool_: return jv.get_bool() ? "true" : "false";
  case json::kind::int64:
  case json::kind::uint64:
  case json::kind::double_: return "the number " + number_text(jv);
  case json::kind::string: return "the string " + json::serialize(jv);
  case json::kind::array: return "an array";
  case json::kind::object: return "an object";
  }
  return "a JSON value";
}

std::string not_utf8(std::string_view text, std::size_t at) {
  if (at >= text.size() || static_cast<unsigned char>(text[at]) < 0x80) return {};
  using traits = boost::locale::utf::utf_traits<char>;
  auto from = text.begin() + static_cast<std::ptrdiff_t>(at);
  const auto c = traits::decode(from, text.end());
  if (c != boost::locale::utf::illegal && c != boost::locale::utf::incomplete) return {};
  static constexpr char hex[] = "0123456789ABCDEF";
  const auto lead = static_cast<unsigned char>(text[at]);
  return std::string("0x") + hex[lead >> 4] + hex[lead & 15];
}

std::string index_token(std::size_t i) {
  std::string out(1, '/');
  out += std::to_string(i);
  return out;
}

// A key as a JSON pointer reference token (RFC 6901): '~' is written "~0" and '/' "~1".
std::string pointer_token(std::string_view key) {
  std::string token = "/";
  for (char c : key) {
    if (c == '~')
      token += "~0";
    else if (c == '/')
      token += "~1";
    else
      token += c;
  }
  return token;
}

void rethrow_at(const error& e, std::string_view pointer) {
  failure located = e.details();
  located.location = std::string(pointer) + located.location;
  throw error(std::move(located));
}

std::vector<std::string> expect_texts(const json::value& jv, std::string_view what) {
  std::vector<std::string> out;
  const auto& items = expect_array(jv, std::string(what) + " (an array)");
  for (std::size_t i = 0; i < items.size(); ++i)
    out.push_back(read_at(index_token(i), [&] { return std::string(expect_string(items[i], what)); }));
  return out;
}

const json::object& expect_named_object(const json::value& jv, std::string_view what) {
  if (!jv.is_object()) mismatch(std::string(what) + " (an object)", jv);
  return jv.get_object();
}

const json::object& expect_object(const json::value& jv, std::string_view what,
                                  std::initializer_list<std::string_view> required,
                                  std::initializer_list<std::string_view> allowed) {
  if (!jv.is_object()) mismatch(std::string(what) + " (an object)", jv);
  const auto& object = jv.get_object();
  for (const auto& member : object) {
    bool known = false;
    for (std::string_view key : allowed)
      known = known || key == member.key();
    if (!known) {
      std::string keys;
      for (std::string_view key : allowed)
        keys += (keys.empty() ? "\"" : ", \"") + std::string(key) + "\"";
      throw error(
          failure(errc::invalid_syntax,
                  "unknown key \"" + std::string(member.key()) + "\" in " + std::string(what) + "; expected " + keys,
                  pointer_token(member.key())));
    }
  }
  for (std::string_view key : required)
    if (!object.contains(key))
      throw error(errc::invalid_syntax, std::string(what) + " needs the key \"" + std::string(key) + "\"");
  return object;
}

const json::array& expect_array(const json::value& jv, std::string_view what) {
  if (!jv.is_array()) mismatch(what, jv);
  return jv.get_array();
}

std::string_view expect_string(const json::value& jv, std::string_view what) {
  if (!jv.is_string() || jv.get_string().empty()) mismatch(std::string(what) + " as a non-empty string", jv);
  return jv.get_string();
}

std::string optional_text(const json::object& object, std::string_view key, std::string_view what) {
  const auto* value = object.if_contains(key);
  if (!value) return {};
  return std::string(read_at(pointer_token(key), [&] { return expect_string(*value, what); }));
}

} // namespace detail
} // namespace entitle
