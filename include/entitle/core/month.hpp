#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/error.hpp>

#include <chrono>
#include <compare>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace entitle {

/// A calendar month, such as the contribution month 2024-03, in the years 0001 to 9999.
/// A thin value type over `std::chrono::year_month`.
class month {
public:
  /// 1970-01, so that `month` is regular.
  constexpr month() noexcept = default;

  /// The month `ym`; throws `errc::invalid_date` when it is not valid or outside 0001..9999.
  constexpr explicit month(std::chrono::year_month ym) : ym_(ym) {
    if (!ym.ok() || ym.year() < std::chrono::year(1) || ym.year() > std::chrono::year(9999))
      throw error(errc::invalid_date, "not a calendar month in the years 0001 to 9999");
  }

  /// `month(2024, 3)` is March 2024. The parts are checked before they reach `std::chrono`, whose
  /// year and month types keep only 16 and 8 bits.
  constexpr month(int year, unsigned month_number) : month(checked(year, month_number)) {}

  /// The month `day` falls in.
  [[nodiscard]] static constexpr month of(date day) { return month(day.ymd().year() / day.ymd().month()); }

  [[nodiscard]] constexpr std::chrono::year_month ym() const noexcept { return ym_; }
  [[nodiscard]] constexpr int year() const noexcept { return static_cast<int>(ym_.year()); }
  [[nodiscard]] constexpr unsigned number() const noexcept { return static_cast<unsigned>(ym_.month()); }
  [[nodiscard]] constexpr date first_day() const { return date(ym_ / std::chrono::day(1)); }
  [[nodiscard]] constexpr date last_day() const { return date(std::chrono::year_month_day(ym_ / std::chrono::last)); }
  [[nodiscard]] constexpr bool contains(date day) const noexcept { return of(day) == *this; }

  /// The month `count` months later (earlier when negative); throws `errc::out_of_range` past
  /// 9999-12 or before 0001-01. Counted in 64 bits, so no count wraps.
  [[nodiscard]] constexpr month plus(std::chrono::months count) const {
    const std::int64_t index = static_cast<std::int64_t>(year()) * 12 + (number() - 1);
    const std::int64_t moved = index + count.count();
    if (count.count() > 120'000 || count.count() < -120'000 || moved < 12 || moved > 9999 * 12 + 11)
      throw error(errc::out_of_range, "a month before 0001-01 or after 9999-12");
    return month(static_cast<int>(moved / 12), static_cast<unsigned>(moved % 12) + 1);
  }
  [[nodiscard]] constexpr month next() const { return plus(std::chrono::months(1)); }

  /// Parses exactly "YYYY-MM". Throws `entitle::error`.
  [[nodiscard]] static month parse(std::string_view text);
  [[nodiscard]] static result<month> try_parse(std::string_view text);

  friend constexpr bool operator==(month, month) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(month a, month b) noexcept { return a.ym_ <=> b.ym_; }

private:
  static constexpr std::chrono::year_month checked(int year, unsigned month_number) {
    if (year < 1 || year > 9999 || month_number < 1 || month_number > 12)
      throw error(errc::invalid_date, "not a calendar month in the years 0001 to 9999");
    return {std::chrono::year(year), std::chrono::month(month_number)};
  }

  std::chrono::year_month ym_{std::chrono::year(1970), std::chrono::January};
};

static_assert(std::regular<month> && std::totally_ordered<month>);

/// Months from `from` to `to`: 2024-01 to 2024-12 is 11; negative when `to` is earlier.
[[nodiscard]] constexpr int months_between(month from, month to) noexcept {
  return static_cast<int>((to.ym() - from.ym()).count());
}

/// "YYYY-MM".
inline std::string to_string(month value) { return to_string(value.first_day()).substr(0, 7); }

inline std::ostream& operator<<(std::ostream& out, month value) { return out << to_string(value); }

// Allocates only when the text is refused: a roster's month cells are read with it.
inline result<month> month::try_parse(std::string_view text) {
  const int year = text.size() == 7 ? detail::fixed_digits(text, 0, 4) : -1;
  const int number = text.size() == 7 ? detail::fixed_digits(text, 5, 2) : -1;
  if (year < 0 || number < 0 || text[4] != '-')
    return failure(errc::invalid_syntax,
                   "expected a month as YYYY-MM, such as \"2024-03\", found " + detail::quoted(text));
  if (year == 0) return failure(errc::invalid_date, detail::quoted(text) + " is not a month: years run from 0001");
  if (number < 1 || number > 12)
    return failure(errc::invalid_date, detail::quoted(text) + " is not a month: months run from 01 to 12");
  return month(year, static_cast<unsigned>(number));
}

inline month month::parse(std::string_view text) { return try_parse(text).value(); }

/// The months from `first` to `last`, both included, as a coverage window or an evaluation
/// period. Never empty. Iterates in calendar order.
class month_range {
public:
  /// The months from `first` to `last`; throws `errc::out_of_range` when `last` is
  /// before `first`.
  constexpr month_range(month first, month last) : first_(first), last_(last) {
    if (last < first) throw error(errc::out_of_range, "a month range ends before it starts");
  }

  /// "N months starting from M": `starting(2020-11, 3)` is 2020-11 to 2021-01. `count` must be
  /// at least 1 (`errc::out_of_range`).
  [[nodiscard]] static constexpr month_range starting(month first, int count) {
    if (count < 1) throw error(errc::out_of_range, "a month range has at least one month");
    // plus() checks that the last month exists.
    return month_range(first, first.plus(std::chrono::months(count - 1)));
  }

  /// The calendar year `year`: January to December.
  [[nodiscard]] static constexpr month_range calendar_year(int year) { return {month(year, 1), month(year, 12)}; }

  [[nodiscard]] constexpr month first() const noexcept { return first_; }
  [[nodiscard]] constexpr month last() const noexcept { return last_; }
  /// The number of months, both ends included: 2024-01..2024-12 has 12.
  [[nodiscard]] constexpr int size() const noexcept { return months_between(first_, last_) + 1; }
  [[nodiscard]] constexpr bool contains(month m) const noexcept { return first_ <= m && m <= last_; }
  [[nodiscard]] constexpr bool contains(date day) const noexcept { return contains(month::of(day)); }

  /// Parses "2024-01..2024-12" (a single "2024-03" is the range of that month). Throws
  /// `entitle::error`.
  [[nodiscard]] static month_range parse(std::string_view text);
  [[nodiscard]] static result<month_range> try_parse(std::string_view text);

  friend constexpr bool operator==(month_range, month_range) noexcept = default;

  class iterator {
  public:
    using value_type = month;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;

    constexpr iterator() noexcept = default;
    constexpr month operator*() const { return month(at_); }
    // Steps the raw year_month: the end iterator holds the month after `last`, which may lie
    // past 9999-12 where a `month` cannot be made.
    constexpr iterator& operator++() noexcept {
      at_ = at_ + std::chrono::months(1);
      return *this;
    }
    constexpr iterator operator++(int) noexcept {
      iterator before = *this;
      ++*this;
      return before;
    }
    friend constexpr bool operator==(const iterator&, const iterator&) noexcept = default;

  private:
    friend class month_range;
    constexpr explicit iterator(std::chrono::year_month at) noexcept : at_(at) {}
    std::chrono::year_month at_{std::chrono::year(1970), std::chrono::January};
  };

  [[nodiscard]] constexpr iterator begin() const noexcept { return iterator(first_.ym()); }
  [[nodiscard]] constexpr iterator end() const noexcept { return iterator(last_.ym() + std::chrono::months(1)); }

private:
  month first_;
  month last_;
};

/// The months two ranges share, if any: how much of a coverage window falls in a period.
[[nodiscard]] constexpr std::optional<month_range> intersection(month_range a, month_range b) {
  const month first = a.first() < b.first() ? b.first() : a.first();
  const month last = a.last() < b.last() ? a.last() : b.last();
  if (last < first) return std::nullopt;
  return month_range(first, last);
}

/// "2024-01..2024-12".
inline std::string to_string(month_range range) { return to_string(range.first()) + ".." + to_string(range.last()); }

inline std::ostream& operator<<(std::ostream& out, month_range range) { return out << to_string(range); }

inline result<month_range> month_range::try_parse(std::string_view text) {
  // A month that is not written as one says what a range looks like; a month that does not exist
  // ("2024-13") keeps its own message.
  auto shape = [&](const failure& f) {
    if (f.code != errc::invalid_syntax) return f;
    return failure(errc::invalid_syntax, "expected a month range as YYYY-MM..YYYY-MM, such as \"2024-01..2024-12\", "
                                         "or one month, such as \"2024-03\"; found " +
                                             detail::quoted(text));
  };
  const auto dots = text.find("..");
  auto first = month::try_parse(text.substr(0, dots));
  if (!first) return shape(first.error());
  auto last = dots == std::string_view::npos ? first : month::try_parse(text.substr(dots + 2));
  if (!last) return shape(last.error());
  if (*last < *first)
    return failure(errc::out_of_range, "the month range " + detail::quoted(text) + " ends before it starts");
  return month_range(*first, *last);
}

inline month_range month_range::parse(std::string_view text) { return try_parse(text).value(); }

} // namespace entitle
