// The rows and candidates of a batch (docs/batch.md): every row's id and line in the order read,
// the ids read more than once, and the candidates of the capped subsidies with their ranking.
#pragma once

#include "batch_costing.hpp"

#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/eval/allocation.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace entitle::detail {

// Each id read more than once, with its lines and the reason every one of its rows gives.
struct duplicate {
  std::vector<std::size_t> lines;
  std::string reason;
};
using duplicate_ids = std::map<std::string, duplicate, std::less<>>;

// Every row of a roster in the order read: its id and line. Duplicates are found by sorting the
// ids once at the end (a hash table's scattered probes cost more than the rest of a row): by
// hash, and by the ids themselves where hashes are equal, so the result is exact.
class roster_ids {
public:
  // `counts`: whether the id takes part in finding duplicates (it could be read).
  void add(std::string_view id, std::size_t line, bool counts) {
    if (line > std::numeric_limits<std::uint32_t>::max())
      throw error(errc::out_of_range, "a batch reads rosters of at most 4,294,967,295 lines");
    text_ += id;
    end_.push_back(text_.size());
    line_.push_back(static_cast<std::uint32_t>(line));
    counts_.push_back(counts ? 1 : 0);
  }
  [[nodiscard]] std::size_t size() const noexcept { return end_.size(); }
  void reserve(std::size_t rows) {
    if (size() == 0) return;
    text_.reserve(rows * (text_.size() / size() + 1));
    end_.reserve(rows);
    line_.reserve(rows);
    counts_.reserve(rows);
  }
  [[nodiscard]] std::string_view id(std::size_t row) const noexcept {
    const std::size_t begin = row == 0 ? 0 : end_[row - 1];
    return std::string_view(text_).substr(begin, end_[row] - begin);
  }
  [[nodiscard]] std::size_t line(std::size_t row) const noexcept { return line_[row]; }
  [[nodiscard]] bool counts(std::size_t row) const noexcept { return counts_[row] != 0; }

  // Adds each id read more than once to `out`, with its lines in order.
  template <class Map>
  void find_duplicates(Map& out) const {
    struct key {
      std::size_t hash;
      std::uint32_t row;
    };
    // Spread by the hash's top 16 bits (one counting pass), then each bucket sorted on its own:
    // over twice as fast as one sort of a million keys.
    constexpr unsigned spread = 48;
    std::vector<std::uint32_t> bucket_end((std::size_t{1} << (64 - spread)) + 1, 0);
    std::vector<key> keys;
    {
      std::vector<key> read;
      read.reserve(size());
      for (std::size_t row = 0; row < size(); ++row)
        if (counts_[row]) {
          read.push_back({std::hash<std::string_view>{}(id(row)), static_cast<std::uint32_t>(row)});
          ++bucket_end[(read.back().hash >> spread) + 1];
        }
      for (std::size_t b = 1; b < bucket_end.size(); ++b)
        bucket_end[b] += bucket_end[b - 1];
      keys.resize(read.size());
      for (const key& k : read) // rows stay in order within a bucket
        keys[bucket_end[k.hash >> spread]++] = k;
    }
    for (std::size_t b = 0, begin = 0; b + 1 < bucket_end.size(); begin = bucket_end[b++])
      std::sort(keys.begin() + static_cast<std::ptrdiff_t>(begin),
                keys.begin() + static_cast<std::ptrdiff_t>(bucket_end[b]), [&](const key& x, const key& y) {
                  if (x.hash != y.hash) return x.hash < y.hash;
                  if (const auto order = id(x.row).compare(id(y.row)); order != 0) return order < 0;
                  return x.row < y.row;
                });
    for (std::size_t i = 0; i < keys.size();) {
      std::size_t end = i + 1;
      while (end < keys.size() && keys[end].hash == keys[i].hash && id(keys[end].row) == id(keys[i].row))
        ++end;
      if (end - i > 1) {
        auto& found = out[std::string(id(keys[i].row))];
        for (std::size_t k = i; k < end; ++k)
          found.lines.push_back(line(keys[k].row));
        found.reason = reason(id(keys[i].row), found.lines);
      }
      i = end;
    }
  }

private:
  // "the id "B1" appears on lines 2 and 4; none of them is decided", naming at most five lines.
  static std::string reason(std::string_view id, const std::vector<std::size_t>& lines) {
    const std::size_t named = std::min<std::size_t>(lines.size(), 5);
    std::string out = "the id " + detail::quoted(id) + " appears on lines ";
    for (std::size_t i = 0; i < named; ++i)
      out += (i == 0 ? "" : i + 1 == lines.size() ? " and " : ", ") + std::to_string(lines[i]);
    if (lines.size() > named) out += " and " + std::to_string(lines.size() - named) + " more";
    return out + "; none of them is decided";
  }

  std::string text_;
  std::vector<std::uint64_t> end_; // where each row's id ends in `text_`
  std::vector<std::uint32_t> line_;
  std::vector<std::uint8_t> counts_;
};

// The candidates of the capped subsidies: found in the first read, ranked, then looked up by
// their row (in the order read) when the rows are handed out.
struct candidate_book {
  const roster_ids* ids = nullptr;
  std::size_t capped = 0;
  std::size_t grant_rows = 0;
  std::vector<std::uint32_t> row; // fits: roster_ids refuses rosters of more lines
  // Each candidate's ranking as words compared in order (`width` a candidate): per rank key of
  // each capped subsidy, whether it is missing, then its value turned so that unsigned order is
  // the key's order; last, a word of the id (`set_id_words`). Equal words fall back to the whole id.
  std::size_t width = 1;
  std::vector<std::uint64_t> words;
  std::vector<money> grant;       // [candidate * grant_rows * capped + row * capped + c]
  std::vector<quota_place> place; // [candidate * capped + c]
  std::vector<char> duplicate;
  // When the rows are kept between reading and handing out: each candidate's amounts under every
  // outcome of the capped subsidies, [candidate * outcomes + waitlisted bits]; null when too large.
  std::vector<costing::entry*> amounts_by_outcome;

  [[nodiscard]] std::size_t size() const noexcept { return row.size(); }
  [[nodiscard]] std::string_view id(std::size_t c) const noexcept { return ids->id(row[c]); }
  std::uint64_t& id_word(std::size_t c) { return words[c * width + width - 1]; }

  // Room for `candidates` (memory is only reserved: what is not used is never touched).
  void reserve(std::size_t candidates, std::size_t outcomes) {
    row.reserve(candidates);
    words.reserve(candidates * width);
    grant.reserve(candidates * grant_rows * capped);
    if (outcomes != 0) amounts_by_outcome.reserve(candidates * outcomes);
  }

  // Sets each candidate's id word to the 8 bytes of its id after the prefix all ids share
  // ("OKUT-" of "OKUT-0001234"), zero-padded: ordered as the ids are, so that ties on the ranking
  // keys rarely need the whole ids.
  void set_id_words() {
    if (size() == 0) return;
    std::size_t common = id(0).size();
    for (std::size_t c = 1; c < size() && common > 0; ++c) {
      const std::string_view a = id(0).substr(0, common), b = id(c);
      common = static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
    }
    for (std::size_t c = 0; c < size(); ++c) {
      const std::string_view suffix = id(c).substr(common);
      std::uint64_t word = 0;
      for (std::size_t b = 0; b < 8; ++b)
        word = word << 8 | (b < suffix.size() ? static_cast<unsigned char>(suffix[b]) : 0U);
      id_word(c) = word;
    }
  }

  // The candidates `skip` leaves in, ranked: by the words [first, last) (one subsidy's keys),
  // then the id word, then the whole id. Those words are first packed to the bits in which the
  // candidates differ (they all agree above those bits, so the order is kept), into a row per
  // candidate with its index last, so that comparing reads one place in memory: OKU Timur's
  // candidates, ranked by three keys and the id, sort as rows of 24 bytes. Past 7 words of bits
  // that differ (four keys or more, each differing in full), indices are sorted on the words.
  template <class Skip>
  std::vector<std::uint32_t> rank(std::size_t first, std::size_t last, Skip skip) const {
    std::vector<std::uint32_t> ranked;
    for (std::size_t c = 0; c < size(); ++c)
      if (!skip(c)) ranked.push_back(static_cast<std::uint32_t>(c));
    if (ranked.empty()) return ranked;
    std::vector<std::size_t> columns; // of `words`, in the order compared
    for (std::size_t k = first; k < last; ++k)
      columns.push_back(k);
    columns.push_back(width - 1);
    std::vector<std::size_t> bits(columns.size()); // per column: how many low bits differ
    std::size_t total = 0;
    const std::uint64_t* front = &words[ranked.front() * width];
    for (std::size_t k = 0; k < columns.size(); ++k) {
      std::uint64_t differ = 0;
      for (const std::uint32_t c : ranked)
        differ |= words[c * width + columns[k]] ^ front[columns[k]];
      bits[k] = static_cast<std::size_t>(std::bit_width(differ));
      total += bits[k];
    }
    auto sort_packed = [&]<std::size_t P>(std::integral_constant<std::size_t, P>) {
      using packed_row = std::array<std::uint64_t, P>; // the packed bits, then the index
      std::vector<packed_row> packed;
      packed.reserve(ranked.size());
      for (const std::uint32_t c : ranked) {
        const std::uint64_t* w = &words[c * width];
        packed_row out{};
        std::size_t at = 0; // bits written, from the first word's highest bit
        for (std::size_t k = 0; k < columns.size(); ++k)
          for (std::size_t left = bits[k]; left > 0;) {
            const std::size_t room = 64 - at % 64;
            const std::size_t take = std::min(room, left);
            const std::uint64_t part =
                (w[columns[k]] >> (left - take)) & (take == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << take) - 1);
            out[at / 64] |= part << (room - take);
            at += take;
            left -= take;
          }
        out.back() = c;
        packed.push_back(out);
      }
      std::sort(packed.begin(), packed.end(), [&](const packed_row& a, const packed_row& b) {
        const auto differ = std::mismatch(a.begin(), a.end() - 1, b.begin());
        if (differ.first != a.end() - 1) return *differ.first < *differ.second;
        return id(a.back()) < id(b.back());
      });
      for (std::size_t i = 0; i < packed.size(); ++i)
        ranked[i] = static_cast<std::uint32_t>(packed[i].back());
    };
    switch ((total + 63) / 64) {
    case 0:
    case 1: sort_packed(std::integral_constant<std::size_t, 2>()); break;
    case 2: sort_packed(std::integral_constant<std::size_t, 3>()); break;
    case 3: sort_packed(std::integral_constant<std::size_t, 4>()); break;
    case 4:
    case 5: sort_packed(std::integral_constant<std::size_t, 6>()); break;
    case 6:
    case 7: sort_packed(std::integral_constant<std::size_t, 8>()); break;
    default:
      std::sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
        for (const std::size_t k : columns)
          if (words[a * width + k] != words[b * width + k]) return words[a * width + k] < words[b * width + k];
        return id(a) < id(b);
      });
    }
    return ranked;
  }
};

} // namespace entitle::detail
