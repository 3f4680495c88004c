#pragma once

#include <boost/describe/enum.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <ostream>
#include <string_view>

namespace entitle {

/// The outcome of a condition under three-valued (Kleene) logic: `unknown` when a fact it needs
/// is missing. Ordered no < unknown < yes, so `and` is the minimum and `or` the maximum.
enum class verdict : unsigned char { no = 0, unknown = 1, yes = 2 };
BOOST_DESCRIBE_ENUM(verdict, no, unknown, yes)

[[nodiscard]] constexpr verdict to_verdict(bool value) noexcept { return value ? verdict::yes : verdict::no; }

/// Kleene conjunction: no if either is no, yes if both are yes, unknown otherwise.
/// Both operands are values, so there is no short-circuit to lose.
[[nodiscard]] constexpr verdict operator&&(verdict a, verdict b) noexcept { return a < b ? a : b; }

/// Kleene disjunction: yes if either is yes, no if both are no, unknown otherwise.
[[nodiscard]] constexpr verdict operator||(verdict a, verdict b) noexcept { return a < b ? b : a; }

/// Kleene negation: swaps yes and no, keeps unknown.
[[nodiscard]] constexpr verdict operator!(verdict a) noexcept {
  return static_cast<verdict>(2 - static_cast<unsigned char>(a));
}

/// "yes", "no" or "unknown".
[[nodiscard]] inline std::string_view to_string(verdict value) noexcept {
  return boost::describe::enum_to_string(value, "unknown");
}

inline std::ostream& operator<<(std::ostream& out, verdict value) { return out << to_string(value); }

} // namespace entitle
