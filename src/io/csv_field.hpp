// A CSV field as written in every file entitle writes (RFC 4180): quoted only when it holds a
// comma, a quote or a line end, a quote doubled.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace entitle::detail {

inline void csv_field(std::string& out, std::string_view text) {
  // One pass over the bytes (find_first_of looks for each byte in the set apart).
  if (std::none_of(text.begin(), text.end(), [](char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; })) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

} // namespace entitle::detail
