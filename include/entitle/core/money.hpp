#pragma once

#include <entitle/core/detail/arithmetic.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/rate.hpp>

#include <compare>
#include <concepts>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

namespace entitle {

/// An exact amount of Indonesian rupiah, held as a signed 64-bit count of sen (the ISO 4217 minor
/// unit, 1/100 rupiah). Arithmetic is checked: a result that does not fit throws `errc::overflow`,
/// never wraps. There is no implicit conversion from a number and no `money * money`.
class money {
public:
  using minor_type = std::int64_t;
  /// Minor units (sen) in one rupiah.
  static constexpr minor_type minor_per_rupiah = 100;

  /// Rp0.
  constexpr money() noexcept = default;

  /// The amount of `sen` minor units.
  [[nodiscard]] static constexpr money from_minor_units(minor_type sen) noexcept { return money(sen); }

  /// The amount of `rupiah` whole rupiah; throws `errc::overflow` beyond about 92 quadrillion.
  [[nodiscard]] static constexpr money from_rupiah(std::int64_t rupiah) {
    return money(detail::checked_mul(rupiah, minor_per_rupiah, "amount in sen"));
  }

  [[nodiscard]] constexpr minor_type minor_units() const noexcept { return sen_; }

  /// True when the amount has no sen part.
  [[nodiscard]] constexpr bool is_whole_rupiah() const noexcept { return sen_ % minor_per_rupiah == 0; }

  /// The whole rupiah in the amount, dropping any sen (toward zero).
  [[nodiscard]] constexpr std::int64_t whole_rupiah() const noexcept { return sen_ / minor_per_rupiah; }

  friend constexpr bool operator==(money, money) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(money, money) noexcept = default;

  friend constexpr money operator+(money a, money b) { return money(detail::checked_add(a.sen_, b.sen_, "money sum")); }
  friend constexpr money operator-(money a, money b) {
    return money(detail::checked_sub(a.sen_, b.sen_, "money difference"));
  }
  friend constexpr money operator-(money a) { return money(detail::checked_sub(0, a.sen_, "money negation")); }
  constexpr money& operator+=(money other) { return *this = *this + other; }
  constexpr money& operator-=(money other) { return *this = *this - other; }

  /// The amount times a count of people, months, ... Only integers: `money * 2.5` does not compile.
  template <std::integral Count>
  requires(!std::same_as<Count, bool>) friend constexpr money operator*(money amount, Count count) {
    return money(detail::checked_mul(amount.sen_, count, "money product"));
  }
  template <std::integral Count>
  requires(!std::same_as<Count, bool>) friend constexpr money operator*(Count count, money amount) {
    return amount * count;
  }

  /// The amount rounded to a multiple of `unit` (e.g. `units::hundreds`) as `mode` says.
  /// `unit` must be positive (`errc::out_of_range`).
  [[nodiscard]] constexpr money rounded(rounding mode, money unit) const {
    check_unit(unit);
    return from_quotient(detail::divide(sen_, unit.sen_, mode), unit);
  }

  /// The exact product amount x `share`, rounded once to a multiple of `unit` as `mode` says:
  /// 0.89% of Rp3,456,789 is Rp30,765.422..., so Rp30,765 half-up to whole rupiah.
  [[nodiscard]] constexpr money times(rate share, rounding mode, money unit) const {
    check_unit(unit);
    const detail::int128 product = detail::int128(sen_) * share.parts();
    return from_quotient(detail::divide(product, detail::int128(unit.sen_) * rate::parts_per_unit, mode), unit);
  }

  /// Parses a plain amount, "1234567" or "1234567.50", or an Indonesian one, "Rp1.234.567",
  /// "Rp 1.234.567,50" or "Rp1234567" (groups of three after the first); a leading '-' is
  /// allowed in both. At most two decimals. Throws `entitle::error`.
  [[nodiscard]] static money parse(std::string_view text);
  [[nodiscard]] static result<money> try_parse(std::string_view text);

private:
  constexpr explicit money(minor_type sen) noexcept : sen_(sen) {}

  static constexpr void check_unit(money unit) {
    if (unit.sen_ <= 0) throw error(errc::out_of_range, "a rounding unit must be a positive amount");
  }
  static constexpr money from_quotient(detail::int128 quotient, money unit) {
    return money(detail::narrow(quotient * unit.sen_, "rounded amount"));
  }

  minor_type sen_ = 0;
};

static_assert(std::regular<money> && std::totally_ordered<money>);

/// The rounding units policies name.
namespace units {
inline constexpr money sen = money::from_minor_units(1);
inline constexpr money whole_rupiah = money::from_rupiah(1);
inline constexpr money hundreds = money::from_rupiah(100);
inline constexpr money thousands = money::from_rupiah(1'000);
} // namespace units

/// The plain form: "1234567", "-1234567", "1234567.50" (decimals only when there are sen).
inline std::string to_string(money amount) {
  const std::uint64_t sen = detail::magnitude(amount.minor_units());
  std::string text = amount.is_whole_rupiah() ? std::to_string(sen / 100) : detail::fixed_point(sen, 2);
  return amount.minor_units() < 0 ? "-" + text : text;
}

/// The Indonesian form: "Rp1.234.567", "-Rp1.234.567", "Rp1.234.567,50".
inline std::string to_rupiah_string(money amount) {
  const std::uint64_t sen = detail::magnitude(amount.minor_units());
  const std::string digits = std::to_string(sen / 100);
  std::string text = amount.minor_units() < 0 ? "-Rp" : "Rp";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += '.';
    text += digits[i];
  }
  if (!amount.is_whole_rupiah()) {
    text += ',';
    text += detail::fixed_point(sen % 100, 2).substr(2);
  }
  return text;
}

/// Prints the Indonesian form, so that test failures read like the regulations.
inline std::ostream& operator<<(std::ostream& out, money amount) { return out << to_rupiah_string(amount); }

namespace detail {
/// What a message says of an amount past what `money` holds: `written` (the amount as written,
/// such as "\"Rp100.000.000.000.000.000\"" or "100000000000000000 rupiah") "is too large; amounts
/// go up to Rp92.233.720.368.547.758,07", or for a negative one, "is too far below zero; amounts go
/// down to -Rp92.233.720.368.547.758,08".
inline std::string money_out_of_range(std::string_view written, bool negative) {
  std::string text(written);
  if (negative) {
    text += " is too far below zero; amounts go down to ";
    text += to_rupiah_string(money::from_minor_units(INT64_MIN));
  } else {
    text += " is too large; amounts go up to ";
    text += to_rupiah_string(money::from_minor_units(INT64_MAX));
  }
  return text;
}
} // namespace detail

inline result<money> money::try_parse(std::string_view text) {
  auto fail = [&](errc code, std::string why) -> result<money> {
    return failure(code,
                   "expected an amount such as \"1234567\" or \"Rp1.234.567\", found " + detail::quoted(text) + why);
  };
  std::string_view rest = text;
  const bool negative = !rest.empty() && rest.front() == '-';
  if (negative) rest.remove_prefix(1);
  const bool indonesian = rest.starts_with("Rp");
  if (indonesian) {
    rest.remove_prefix(2);
    if (rest.starts_with(' ')) rest.remove_prefix(1);
  }
  // Indonesian style groups thousands with '.' and writes sen after ','; plain style has no
  // grouping and writes sen after '.'.
  const char decimal_mark = indonesian ? ',' : '.';
  std::string_view integer = rest, fraction;
  if (const auto mark = rest.find(decimal_mark); mark != std::string_view::npos) {
    integer = rest.substr(0, mark);
    fraction = rest.substr(mark + 1);
    if (!detail::all_digits(fraction)) return fail(errc::invalid_syntax, "");
  }
  bool well_formed = detail::all_digits(integer);
  if (!well_formed && indonesian && integer.find('.') != std::string_view::npos) {
    // Groups of three after a first group of one to three digits that does not start with 0
    // ("Rp0.001" is a mistyped decimal, not one rupiah).
    const std::size_t first_group = integer.find('.');
    well_formed = first_group >= 1 && first_group <= 3 && integer[0] != '0' && (integer.size() - first_group) % 4 == 0;
    for (std::size_t i = 0; well_formed && i < integer.size(); ++i) {
      const bool separator_place = i >= first_group && (i - first_group) % 4 == 0;
      well_formed = separator_place ? integer[i] == '.' : (integer[i] >= '0' && integer[i] <= '9');
    }
  }
  if (!well_formed) return fail(errc::invalid_syntax, "");
  std::int64_t sen = 0;
  switch (detail::read_scaled(integer, fraction, 2, negative, sen)) {
  case detail::decimal_status::ok: return money::from_minor_units(sen);
  case detail::decimal_status::too_precise: return fail(errc::invalid_syntax, " (at most 2 decimals: sen)");
  case detail::decimal_status::overflow:
    return failure(errc::overflow, detail::money_out_of_range(detail::quoted(text), negative));
  }
  return fail(errc::invalid_syntax, "");
}

inline money money::parse(std::string_view text) { return try_parse(text).value(); }

namespace literals {

/// `16'800_rp` is Rp16,800.
consteval money operator""_rp(unsigned long long rupiah) {
  if (rupiah > static_cast<unsigned long long>(INT64_MAX / money::minor_per_rupiah))
    throw "a _rp literal must fit in 64 bits of sen";
  return money::from_rupiah(static_cast<std::int64_t>(rupiah));
}

} // namespace literals
} // namespace entitle
