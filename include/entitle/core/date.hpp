#pragma once

#include <entitle/core/error.hpp>

#include <chrono>
#include <compare>
#include <concepts>
#include <ostream>
#include <string>
#include <string_view>

namespace entitle {

/// A civil (proleptic Gregorian) calendar day, always valid, in the years 0001 to 9999 so that it
/// always prints as ISO 8601 "YYYY-MM-DD". A thin value type over `std::chrono::year_month_day`.
class date {
public:
  /// 1970-01-01 (the `std::chrono::sys_days` epoch); exists so that `date` is regular.
  constexpr date() noexcept = default;

  /// The day `ymd`; throws `errc::invalid_date` when it is not a calendar day or its year is
  /// outside 1..9999.
  constexpr explicit date(std::chrono::year_month_day ymd) : ymd_(ymd) {
    if (!ymd.ok() || ymd.year() < std::chrono::year(1) || ymd.year() > std::chrono::year(9999))
      throw error(errc::invalid_date, "not a calendar day in the years 0001 to 9999");
  }

  /// `date(2024, 1, 31)`; throws like the `year_month_day` constructor. The parts are checked
  /// before they reach `std::chrono`, whose year, month and day types keep only 16 and 8 bits.
  constexpr date(int year, unsigned month, unsigned day) : date(checked(year, month, day)) {}

  /// The day `days` after the epoch, e.g. from `std::chrono::floor<std::chrono::days>(now)`.
  constexpr explicit date(std::chrono::sys_days days) : date(std::chrono::year_month_day(days)) {}

  [[nodiscard]] constexpr std::chrono::year_month_day ymd() const noexcept { return ymd_; }
  [[nodiscard]] constexpr std::chrono::sys_days days() const noexcept { return std::chrono::sys_days(ymd_); }
  [[nodiscard]] constexpr int year() const noexcept { return static_cast<int>(ymd_.year()); }
  [[nodiscard]] constexpr unsigned month() const noexcept { return static_cast<unsigned>(ymd_.month()); }
  [[nodiscard]] constexpr unsigned day() const noexcept { return static_cast<unsigned>(ymd_.day()); }

  /// Parses exactly "YYYY-MM-DD" (ISO 8601 calendar date, extended form). Throws `entitle::error`:
  /// `errc::invalid_syntax` for another form, `errc::invalid_date` for 2023-02-29.
  [[nodiscard]] static date parse(std::string_view text);
  [[nodiscard]] static result<date> try_parse(std::string_view text);

  friend constexpr bool operator==(date, date) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(date a, date b) noexcept { return a.ymd_ <=> b.ymd_; }

private:
  static constexpr std::chrono::year_month_day checked(int year, unsigned month, unsigned day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
      throw error(errc::invalid_date, "not a calendar day in the years 0001 to 9999");
    return {std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  }

  std::chrono::year_month_day ymd_{std::chrono::year(1970), std::chrono::January, std::chrono::day(1)};
};

static_assert(std::regular<date> && std::totally_ordered<date>);

/// "YYYY-MM-DD".
inline std::string to_string(date day) {
  std::string text = "0000-00-00";
  auto put = [&](std::size_t end, unsigned value) {
    for (std::size_t i = end; value != 0; value /= 10)
      text[--i] = static_cast<char>('0' + value % 10);
  };
  put(4, static_cast<unsigned>(day.year()));
  put(7, day.month());
  put(10, day.day());
  return text;
}

inline std::ostream& operator<<(std::ostream& out, date day) { return out << to_string(day); }

namespace detail {
/// Reads exactly `width` ASCII digits at `text[at]`; -1 when they are not all digits.
constexpr int fixed_digits(std::string_view text, std::size_t at, std::size_t width) {
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}
} // namespace detail

inline result<date> date::try_parse(std::string_view text) {
  const std::string found = detail::quoted(text);
  const int year = text.size() == 10 ? detail::fixed_digits(text, 0, 4) : -1;
  const int month = text.size() == 10 ? detail::fixed_digits(text, 5, 2) : -1;
  const int day = text.size() == 10 ? detail::fixed_digits(text, 8, 2) : -1;
  if (year < 0 || month < 0 || day < 0 || text[4] != '-' || text[7] != '-')
    return failure(errc::invalid_syntax, "expected a date as YYYY-MM-DD, such as \"2024-01-31\", found " + found);
  if (year == 0) return failure(errc::invalid_date, found + " is not a date: years run from 0001");
  if (month < 1 || month > 12) return failure(errc::invalid_date, found + " is not a date: months run from 01 to 12");
  const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) {
    const auto last = std::chrono::year_month_day_last(ymd.year(), std::chrono::month_day_last(ymd.month())).day();
    return failure(errc::invalid_date,
                   found + " is not a date: that month has " + std::to_string(static_cast<unsigned>(last)) + " days");
  }
  return date(ymd);
}

inline date date::parse(std::string_view text) { return try_parse(text).value(); }

namespace detail {
// Full years and months from `from` to `to`, counting the anniversaries reached by comparing
// (month, day) and day pairs; negative (floored) when `to` is before `from`. Never throws, so
// the evaluator can use them on any record.
constexpr int full_years_between(date from, date to) noexcept {
  const bool anniversary_reached = std::chrono::month_day(to.ymd().month(), to.ymd().day()) >=
                                   std::chrono::month_day(from.ymd().month(), from.ymd().day());
  return to.year() - from.year() - (anniversary_reached ? 0 : 1);
}

constexpr int full_months_between(date from, date to) noexcept {
  const int months = (to.year() - from.year()) * 12 + static_cast<int>(to.month()) - static_cast<int>(from.month());
  return months - (to.day() >= from.day() ? 0 : 1);
}
} // namespace detail

/// Age in full years on `at` of a person born on `birth`: the number of birthdays reached.
/// A person born on 29 February reaches a birthday in a common year on 1 March (they are still
/// the younger age all through 28 February). Throws `errc::out_of_range` when `at` is before
/// `birth`.
[[nodiscard]] constexpr int age_in_full_years(date birth, date at) {
  if (at < birth) throw error(errc::out_of_range, "the date of birth is after the date the age is asked for");
  return detail::full_years_between(birth, at);
}

/// Full months from `from` to `to`: the month anniversaries of `from` reached on `to`. An
/// anniversary on a day the month lacks (the 31st, 29 February) is reached on the first day of
/// the next month, as birthdays are: 2024-01-31 to 2024-02-29 is 0 months, to 2024-03-01 is 1.
/// Throws `errc::out_of_range` when `to` is before `from`.
[[nodiscard]] constexpr int full_months_between(date from, date to) {
  if (to < from) throw error(errc::out_of_range, "the end date is before the start date");
  return detail::full_months_between(from, to);
}

} // namespace entitle
