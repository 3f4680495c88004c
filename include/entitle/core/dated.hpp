#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/error.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace entitle {

/// A value with an effective-date history, as legislation writes it: the JP wage ceiling is
/// Rp8,512,400 from 2019-03-01, Rp8,939,700 from 2020-03-01, ... Each entry is in force from its
/// date until the day before the next entry; the last one until `until` (inclusive) or, without
/// it, indefinitely. Before the first entry the value is not in force. Every entry carries the
/// citation that put it there.
template <class T>
class dated {
public:
  struct entry {
    date from;            ///< first day in force
    T value;              ///< the value from that day
    std::string citation; ///< the regulation and article, e.g. "PP 45/2015 Art. 29(2)"

    friend bool operator==(const entry&, const entry&) = default;
  };

  /// Throws `errc::empty_history`, `errc::duplicate_date` or `errc::unordered_dates` (naming the
  /// entry, counted from 0), or `errc::out_of_range` when `until` is before the last entry takes
  /// effect. The failure's location is a JSON pointer into the documented JSON shape of a dated
  /// value ("/history/2/from", "/until"), so the same failure reads right in C++ and in JSON.
  explicit dated(std::vector<entry> history, std::optional<date> until = std::nullopt)
      : history_(std::move(history)), until_(until) {
    if (auto problem = check(history_, until_)) throw error(std::move(*problem));
  }

  /// As the constructor, returning the failure instead of throwing.
  [[nodiscard]] static result<dated> try_make(std::vector<entry> history, std::optional<date> until = std::nullopt) {
    if (auto problem = check(history, until)) return std::move(*problem);
    return dated(std::move(history), until, checked{});
  }

  /// The entry in force on `day`, or nullptr when none is. O(log n); never allocates.
  [[nodiscard]] const entry* find(date day) const noexcept {
    if (until_ && *until_ < day) return nullptr;
    auto after =
        std::upper_bound(history_.begin(), history_.end(), day, [](date d, const entry& e) { return d < e.from; });
    return after == history_.begin() ? nullptr : &*std::prev(after);
  }

  [[nodiscard]] bool in_force(date day) const noexcept { return find(day) != nullptr; }

  /// The value in force on `day`; throws `errc::not_in_force` saying when the value is in force.
  [[nodiscard]] const T& at(date day) const {
    if (const entry* found = find(day)) return found->value;
    std::string message = "not in force on " + to_string(day) + ": in force from " + to_string(history_.front().from);
    if (until_) message += " until " + to_string(*until_);
    throw error(errc::not_in_force, std::move(message));
  }

  [[nodiscard]] const std::vector<entry>& history() const noexcept { return history_; }
  /// The last day in force, if the history ends.
  [[nodiscard]] const std::optional<date>& until() const noexcept { return until_; }

  friend bool operator==(const dated&, const dated&) = default;

private:
  struct checked {};
  dated(std::vector<entry> history, std::optional<date> until, checked) : history_(std::move(history)), until_(until) {}

  static std::optional<failure> check(const std::vector<entry>& history, const std::optional<date>& until) {
    if (history.empty()) return failure(errc::empty_history, "a dated value needs at least one entry");
    for (std::size_t i = 1; i < history.size(); ++i) {
      const std::string here = "entry " + std::to_string(i) + " (" + to_string(history[i].from) + ")";
      const std::string where = "/history/" + std::to_string(i) + "/from";
      if (history[i].from == history[i - 1].from)
        return failure(errc::duplicate_date, here + " takes effect on the same date as entry " + std::to_string(i - 1),
                       where);
      if (history[i].from < history[i - 1].from)
        return failure(errc::unordered_dates,
                       here + " takes effect before entry " + std::to_string(i - 1) + " (" +
                           to_string(history[i - 1].from) + "): dates must increase",
                       where);
    }
    if (until && *until < history.back().from)
      return failure(errc::out_of_range,
                     "the value ends on " + to_string(*until) + ", before its last entry (" +
                         to_string(history.back().from) + ") takes effect",
                     "/until");
    return std::nullopt;
  }

  std::vector<entry> history_;
  std::optional<date> until_;
};

} // namespace entitle
