#pragma once

#include <entitle/core/detail/arithmetic.hpp>
#include <entitle/core/error.hpp>

#include <compare>
#include <concepts>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace entitle {

/// An exact decimal fraction: a contribution rate (0.24%), a payer share (100%) or a growth
/// factor (105.02%). Stored as an integer count of billionths, so any rate written with up to
/// 7 decimals of a percent (9 of a fraction) is held exactly; no floating point anywhere.
class rate {
public:
  using parts_type = std::int64_t;
  /// Parts in one whole (100%).
  static constexpr parts_type parts_per_unit = 1'000'000'000;

  /// Zero.
  constexpr rate() noexcept = default;

  /// The rate `parts` / 1,000,000,000.
  [[nodiscard]] static constexpr rate from_parts(parts_type parts) noexcept { return rate(parts); }

  /// One whole: 100%.
  [[nodiscard]] static constexpr rate whole() noexcept { return rate(parts_per_unit); }

  [[nodiscard]] constexpr parts_type parts() const noexcept { return parts_; }

  /// True when the rate can be a share of something: between 0% and 100%, both included.
  [[nodiscard]] constexpr bool is_share() const noexcept { return parts_ >= 0 && parts_ <= parts_per_unit; }

  /// This rate, checked to be a share; throws `errc::out_of_range` otherwise.
  [[nodiscard]] rate as_share() const;

  /// Parses "0.24%", "5.7%", "1%" (percentages, up to 7 decimals) or "0.0024", "1" (fractions,
  /// up to 9 decimals); a leading '-' is allowed. Throws `entitle::error`.
  [[nodiscard]] static rate parse(std::string_view text);
  [[nodiscard]] static result<rate> try_parse(std::string_view text);

  /// As `parse`, and the rate must be a share: negative rates and rates over 100% are
  /// `errc::out_of_range`.
  [[nodiscard]] static rate parse_share(std::string_view text);
  [[nodiscard]] static result<rate> try_parse_share(std::string_view text);

  friend constexpr bool operator==(rate, rate) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(rate, rate) noexcept = default;

  /// Sums and differences are exact; a result outside 64 bits throws `errc::overflow`.
  friend constexpr rate operator+(rate a, rate b) { return rate(detail::checked_add(a.parts_, b.parts_, "rate sum")); }
  friend constexpr rate operator-(rate a, rate b) {
    return rate(detail::checked_sub(a.parts_, b.parts_, "rate difference"));
  }
  constexpr rate& operator+=(rate other) { return *this = *this + other; }
  constexpr rate& operator-=(rate other) { return *this = *this - other; }

private:
  constexpr explicit rate(parts_type parts) noexcept : parts_(parts) {}

  parts_type parts_ = 0;
};

/// The rate as a percentage with the fewest decimals that keep it exact: "0.24%", "5.7%", "100%".
inline std::string to_string(rate value) {
  std::string text = detail::fixed_point(detail::magnitude(value.parts()), 7);
  while (text.back() == '0')
    text.pop_back();
  if (text.back() == '.') text.pop_back();
  return (value.parts() < 0 ? "-" : "") + text + "%";
}

inline std::ostream& operator<<(std::ostream& out, rate value) { return out << to_string(value); }

inline result<rate> rate::try_parse(std::string_view text) {
  auto fail = [&](errc code, std::string why) -> result<rate> {
    return failure(code,
                   "expected a rate such as \"0.24%\", \"5.7%\" or \"0.0024\", found " + detail::quoted(text) + why);
  };
  std::string_view rest = text;
  const bool negative = !rest.empty() && rest.front() == '-';
  if (negative) rest.remove_prefix(1);
  const bool percent = !rest.empty() && rest.back() == '%';
  if (percent) rest.remove_suffix(1);
  std::string_view integer = rest;
  std::string_view fraction;
  if (const auto point = rest.find('.'); point != std::string_view::npos) {
    integer = rest.substr(0, point);
    fraction = rest.substr(point + 1);
    if (!detail::all_digits(fraction)) return fail(errc::invalid_syntax, "");
  }
  if (!detail::all_digits(integer)) return fail(errc::invalid_syntax, "");
  const int scale = percent ? 7 : 9;
  std::int64_t parts = 0;
  switch (detail::read_scaled(integer, fraction, scale, negative, parts)) {
  case detail::decimal_status::ok: return rate::from_parts(parts);
  case detail::decimal_status::too_precise:
    return fail(errc::invalid_syntax,
                percent ? " (at most 7 decimals in a percentage)" : " (at most 9 decimals in a fraction)");
  case detail::decimal_status::overflow: // the form is right; the rate does not fit
    return failure(errc::overflow, detail::quoted(text) +
                                       (negative ? " is too far below zero for a rate" : " is too large for a rate"));
  }
  return fail(errc::invalid_syntax, "");
}

inline rate rate::parse(std::string_view text) { return try_parse(text).value(); }

inline rate rate::as_share() const {
  if (!is_share()) throw error(errc::out_of_range, "expected a share between 0% and 100%, found " + to_string(*this));
  return *this;
}

inline result<rate> rate::try_parse_share(std::string_view text) {
  auto parsed = try_parse(text);
  if (parsed && !parsed->is_share())
    return failure(errc::out_of_range, "expected a share between 0% and 100%, found " + detail::quoted(text));
  return parsed;
}

inline rate rate::parse_share(std::string_view text) { return try_parse_share(text).value(); }

namespace literals {

/// `0.24_pct` is the rate 0.24%, read from the literal's characters, never through a double.
/// A literal with more than 7 decimals does not compile.
consteval rate operator""_pct(const char* digits) {
  std::string_view text(digits);
  std::string_view integer = text, fraction;
  if (const auto point = text.find('.'); point != std::string_view::npos) {
    integer = text.substr(0, point);
    fraction = text.substr(point + 1);
  }
  std::int64_t parts = 0;
  if (!detail::all_digits(integer) || (!fraction.empty() && !detail::all_digits(fraction)) ||
      detail::read_scaled(integer, fraction, 7, false, parts) != detail::decimal_status::ok)
    throw "a _pct literal is a plain decimal with at most 7 decimals";
  return rate::from_parts(parts);
}

} // namespace literals
} // namespace entitle
