// Names close to a misspelt one, for messages that suggest what was meant (internal to the io
// layer): "monthly_incme" is close to "monthly_income".
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace entitle::detail {

// The edits (a byte inserted, removed or replaced) that turn `a` into `b`, letter case aside.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The names among `names` within a third of `wanted`'s length of it (at least 1, at most 3 edits),
// closest first, ties in the order given.
template <class Names>
std::vector<std::string> close_names(std::string_view wanted, const Names& names) {
  const std::size_t most = std::clamp<std::size_t>(wanted.size() / 3, 1, 3);
  std::vector<std::pair<std::size_t, std::string>> found;
  for (const auto& name : names)
    if (const std::size_t d = edit_distance(wanted, name); d <= most) found.emplace_back(d, std::string(name));
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& f : found)
    out.push_back(std::move(f.second));
  return out;
}

} // namespace entitle::detail
