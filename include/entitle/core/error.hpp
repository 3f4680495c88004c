#pragma once

#include <boost/system/result.hpp>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace entitle {

/// What went wrong. Every error the library reports carries exactly one of these codes.
enum class errc {
  invalid_syntax = 1, ///< text or JSON does not have the expected form ("12,5%", a number for a date)
  invalid_date,       ///< well-formed, but no such calendar day (2023-02-29) or year outside 1..9999
  out_of_range,       ///< a value outside what its use allows: a share above 100%, a zero rounding unit
  overflow,           ///< an amount, rate or count does not fit in 64 bits; never wrapped
  not_in_force,       ///< a dated value was read at a date outside its effective period
  unordered_dates,    ///< effective dates of a history are not in increasing order
  duplicate_date,     ///< two entries of a history take effect on the same date
  empty_history,      ///< a dated value was given no entries at all
};

/// The `std::error_category` of `entitle::errc`, named "entitle".
inline const std::error_category& error_category() noexcept {
  class category final : public std::error_category {
  public:
    const char* name() const noexcept override { return "entitle"; }
    std::string message(int code) const override {
      switch (static_cast<errc>(code)) {
      case errc::invalid_syntax: return "invalid syntax";
      case errc::invalid_date: return "not a calendar date";
      case errc::out_of_range: return "value out of range";
      case errc::overflow: return "arithmetic overflow";
      case errc::not_in_force: return "not in force";
      case errc::unordered_dates: return "effective dates out of order";
      case errc::duplicate_date: return "duplicate effective date";
      case errc::empty_history: return "empty history";
      }
      return "unknown entitle error";
    }
  };
  static const category instance;
  return instance;
}

inline std::error_code make_error_code(errc code) noexcept { return {static_cast<int>(code), error_category()}; }

/// A failure: its code, a message that says what was found and what was expected, and where it
/// was found (a JSON pointer or line:column; empty when the caller did not know).
struct failure {
  /// No failure (code 0): what `result<T>::error()` returns for a value.
  failure() = default;
  failure(errc code, std::string message, std::string location = {})
      : code(code), message(std::move(message)), location(std::move(location)) {}

  errc code{};
  std::string message;
  std::string location;

  /// "location: message", or the message alone when there is no location.
  std::string describe() const { return location.empty() ? message : location + ": " + message; }

  friend bool operator==(const failure&, const failure&) = default;
};

/// The exception thrown by every throwing entry point; carries the same `failure` that the
/// `try_` entry points return.
class error : public std::runtime_error {
public:
  explicit error(failure details) : std::runtime_error(details.describe()), details_(std::move(details)) {}
  error(errc code, std::string message) : error(failure(code, std::move(message))) {}

  errc code() const noexcept { return details_.code; }
  const failure& details() const noexcept { return details_; }

private:
  failure details_;
};

/// The value of a non-throwing entry point: a `T`, or the `failure` that the throwing entry point
/// would have thrown. `.value()` throws `entitle::error`.
template <class T>
using result = boost::system::result<T, failure>;

namespace detail {
/// `text` in double quotes, as messages show what was found: found "2023-02-29".
inline std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  out.append(text);
  out.push_back('"');
  return out;
}
/// The length of the well-formed UTF-8 sequence `text` starts with; 0 when it starts with none
/// (a byte that is not UTF-8, a sequence cut short, an overlong form, a surrogate; Unicode 15,
/// table 3-7).
inline std::size_t utf8_sequence(std::string_view text) {
  const auto at = [&](std::size_t i) -> unsigned { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0; };
  const unsigned lead = at(0);
  std::size_t length = 0;
  unsigned low = 0x80, high = 0xBF; // what the second byte may be
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : low;
    high = lead == 0xED ? 0x9F : high;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : low;
    high = lead == 0xF4 ? 0x8F : high;
  } else {
    return 0;
  }
  if (at(1) < low || at(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (at(i) < 0x80 || at(i) > 0xBF) return 0;
  return length;
}
/// `text` with every byte seen, as a name from a roster is shown in a message or a warning: a CR
/// as \r, a tab as \t, a line feed as \n, other control bytes (C1 controls too) and bytes that
/// are not UTF-8 as \xNN, so that nothing is invisible or reaches a terminal raw. UTF-8 text is
/// kept as it is.
inline std::string escaped(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  const auto as_hex = [&out](std::string_view bytes) {
    for (const char c : bytes) {
      const auto byte = static_cast<unsigned char>(c);
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  };
  for (std::size_t at = 0; at < text.size();) {
    const char c = text[at];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const std::size_t length = utf8_sequence(text.substr(at));
      const bool c1_control = length == 2 && c == '\xC2' && static_cast<unsigned char>(text[at + 1]) < 0xA0;
      if (length == 0 || c1_control)
        as_hex(text.substr(at, std::max<std::size_t>(length, 1)));
      else
        out.append(text.substr(at, length));
      at += std::max<std::size_t>(length, 1);
      continue;
    }
    if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\n')
      out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      as_hex(text.substr(at, 1));
    else
      out += c;
    ++at;
  }
  return out;
}
/// `text` escaped and in double quotes: found "nik\r".
inline std::string visible(std::string_view text) {
  std::string out = "\"";
  out += escaped(text);
  out += '"';
  return out;
}
/// The names of `items` for a message: "a", "b", "c", at most `limit` of them, then "and N more",
/// so that a message about a large policy stays readable.
template <class Range, class Name>
std::string name_list(const Range& items, Name name, std::size_t limit = 20) {
  std::string out;
  std::size_t count = 0;
  // Appended piece by piece: "literal" + std::string trips GCC 12's -Wrestrict false positive.
  for (const auto& item : items) {
    if (count++ >= limit) continue;
    if (!out.empty()) out += ", ";
    out += detail::quoted(name(item));
  }
  if (count > limit) {
    out += " and ";
    out += std::to_string(count - limit);
    out += " more";
  }
  return out;
}
} // namespace detail

/// Lets `result<T>::value()` throw `entitle::error` (found by argument-dependent lookup).
[[noreturn]] inline void throw_exception_from_error(const failure& f, const boost::source_location&) { throw error(f); }

} // namespace entitle

template <>
struct std::is_error_code_enum<entitle::errc> : std::true_type {};
