// What a roster's text says about where it came from: spreadsheet artefacts recognised by name
// (internal to the io layer; docs/policy-format.md, "Rosters"). Names are shown in messages with
// `detail::visible` and `detail::escaped` (entitle/core/error.hpp).
#pragma once

#include <entitle/core/error.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace entitle::detail {

// A column name as compared when looking for the closest one: spaces, tabs and CRs trimmed,
// ASCII letters in lower case.
inline std::string loose_name(std::string_view name) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!name.empty() && blank(name.front()))
    name.remove_prefix(1);
  while (!name.empty() && blank(name.back()))
    name.remove_suffix(1);
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// True when `cell` is a number as a spreadsheet's "General" format shows it in scientific
// notation: one digit, optionally a point and more digits, "E", a sign and at least two digits
// ("1.60812E+15", "-2E-05"). A code or id written so has lost its last digits.
inline bool spreadsheet_scientific(std::string_view cell) {
  std::size_t at = 0;
  const auto digit = [&](std::size_t i) { return i < cell.size() && cell[i] >= '0' && cell[i] <= '9'; };
  if (at < cell.size() && cell[at] == '-') ++at;
  if (!digit(at)) return false;
  ++at;
  if (at < cell.size() && cell[at] == '.') {
    ++at;
    if (!digit(at)) return false;
    while (digit(at))
      ++at;
  }
  if (at + 1 >= cell.size() || (cell[at] != 'E' && cell[at] != 'e') || (cell[at + 1] != '+' && cell[at + 1] != '-'))
    return false;
  at += 2;
  const std::size_t exponent = at;
  while (digit(at))
    ++at;
  return at == cell.size() && at - exponent >= 2;
}

// The message for such a cell of a string fact or the id.
inline std::string spreadsheet_scientific_message(std::string_view cell) {
  std::string out = "expected text written as it is, found ";
  out += visible(cell);
  out += ", which looks like a number a spreadsheet rewrote in scientific notation (its last digits are lost); "
         "format the column as text and export it again";
  return out;
}

} // namespace entitle::detail
