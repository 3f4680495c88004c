#pragma once

#include <entitle/core/error.hpp>

#include <boost/describe/enum.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace entitle {

/// How an exact quotient becomes a whole number of units. Every rounding in entitle is named.
enum class rounding {
  half_up,     ///< to the nearest unit; halves away from zero (1.5 -> 2, -1.5 -> -2)
  half_even,   ///< to the nearest unit; halves to the even unit (1.5 -> 2, 2.5 -> 2)
  toward_zero, ///< drop the remainder (1.9 -> 1, -1.9 -> -1)
  up,          ///< away from zero: any remainder takes the next unit (1.1 -> 2, -1.1 -> -2)
};
BOOST_DESCRIBE_ENUM(rounding, half_up, half_even, toward_zero, up)

namespace detail {

// 128-bit intermediates keep every product of two 64-bit values exact; __extension__ tells
// -Wpedantic that the non-ISO type is deliberate.
__extension__ typedef __int128 int128;

[[noreturn]] inline void throw_overflow(std::string_view what) {
  throw error(errc::overflow, std::string(what) + " does not fit in 64 bits");
}

constexpr std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view what) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) throw_overflow(what);
  return sum;
}

constexpr std::int64_t checked_sub(std::int64_t a, std::int64_t b, std::string_view what) {
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(a, b, &difference)) throw_overflow(what);
  return difference;
}

template <class Count>
constexpr std::int64_t checked_mul(std::int64_t a, Count b, std::string_view what) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) throw_overflow(what);
  return product;
}

constexpr std::int64_t narrow(int128 value, std::string_view what) {
  if (value > INT64_MAX || value < INT64_MIN) throw_overflow(what);
  return static_cast<std::int64_t>(value);
}

/// numerator / denominator rounded to a whole number as `mode` says; denominator > 0.
template <class Int>
constexpr Int divide_as(Int numerator, Int denominator, rounding mode) {
  const Int quotient = numerator / denominator; // truncates toward zero
  const Int remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  const Int away = numerator < 0 ? -1 : 1;
  // |remainder| < denominator, so twice |remainder| fits whenever denominator < max / 2.
  const Int twice = (remainder < 0 ? -remainder : remainder) * 2;
  switch (mode) {
  case rounding::toward_zero: return quotient;
  case rounding::up: return quotient + away;
  case rounding::half_up: return twice >= denominator ? quotient + away : quotient;
  case rounding::half_even:
    if (twice > denominator) return quotient + away;
    if (twice < denominator) return quotient;
    return quotient % 2 == 0 ? quotient : quotient + away;
  }
  return quotient;
}

/// As `divide_as`, in 64 bits when both operands fit (the usual contribution: a wage in sen times
/// a rate in billionths), since a 128-bit division is a library call several times slower.
constexpr int128 divide(int128 numerator, int128 denominator, rounding mode) {
  constexpr int128 fast_limit = INT64_MAX / 2;
  if (numerator >= -fast_limit && numerator <= fast_limit && denominator <= fast_limit)
    return divide_as<std::int64_t>(static_cast<std::int64_t>(numerator), static_cast<std::int64_t>(denominator), mode);
  return divide_as<int128>(numerator, denominator, mode);
}

/// The outcome of reading a decimal number into a scaled integer.
enum class decimal_status { ok, too_precise, overflow };

/// Reads `integer_digits` (digits, possibly with `group` separators already checked by the
/// caller) and `fraction_digits` (digits only) as value * 10^scale.
constexpr decimal_status read_scaled(std::string_view integer_digits, std::string_view fraction_digits, int scale,
                                     bool negative, std::int64_t& out) {
  if (static_cast<int>(fraction_digits.size()) > scale) return decimal_status::too_precise;
  std::int64_t value = 0;
  auto push = [&](char c) {
    const int digit = c - '0';
    return !__builtin_mul_overflow(value, 10, &value) &&
           !__builtin_add_overflow(value, negative ? -digit : digit, &value);
  };
  for (char c : integer_digits)
    if (c >= '0' && c <= '9' && !push(c)) return decimal_status::overflow;
  for (char c : fraction_digits)
    if (!push(c)) return decimal_status::overflow;
  for (int i = static_cast<int>(fraction_digits.size()); i < scale; ++i)
    if (__builtin_mul_overflow(value, 10, &value)) return decimal_status::overflow;
  out = value;
  return decimal_status::ok;
}

constexpr bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

/// Writes `magnitude` / 10^scale with exactly `scale` decimals (no sign).
inline std::string fixed_point(std::uint64_t magnitude, int scale) {
  std::uint64_t divisor = 1;
  for (int i = 0; i < scale; ++i)
    divisor *= 10;
  std::string text = std::to_string(magnitude / divisor);
  if (scale > 0) {
    std::string fraction = std::to_string(magnitude % divisor);
    text += '.';
    text.append(static_cast<std::size_t>(scale) - fraction.size(), '0');
    text += fraction;
  }
  return text;
}

constexpr std::uint64_t magnitude(std::int64_t value) {
  return value < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
}

} // namespace detail
} // namespace entitle
