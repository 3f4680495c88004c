// Checking and repairing UTF-8 for JSON and CSV output (internal to the io layer).
#pragma once

#include <boost/locale/utf.hpp>

#include <algorithm>
#include <string>
#include <string_view>

namespace entitle::detail {

// True when `text` is well-formed UTF-8, as JSON output needs.
inline bool valid_utf8(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return true; // ASCII, as ids usually are
  using traits = boost::locale::utf::utf_traits<char>;
  for (auto at = text.begin(); at != text.end();) {
    const auto c = traits::decode(at, text.end());
    if (c == boost::locale::utf::illegal || c == boost::locale::utf::incomplete) return false;
  }
  return true;
}

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD, so that JSON
// output stays valid whatever a rejected row held.
inline std::string utf8_or_replaced(std::string_view text) {
  if (valid_utf8(text)) return std::string(text);
  using traits = boost::locale::utf::utf_traits<char>;
  std::string out;
  for (auto at = text.begin(); at != text.end();) {
    const auto start = at;
    const auto c = traits::decode(at, text.end());
    if (c == boost::locale::utf::illegal || c == boost::locale::utf::incomplete) {
      out += "\xEF\xBF\xBD";
      at = start + 1;
    } else {
      out.append(start, at);
    }
  }
  return out;
}

} // namespace entitle::detail
