// The body of the roster fuzz targets (fuzz_roster_csv.cpp, fuzz_roster_ndjson.cpp): the input
// is a roster, read to its end by `roster_reader` over a fixed schema of every fact type.
//
// Invariants:
//  - rows come in line order, on lines the reader has consumed; a row's text is at most
//    `max_row_bytes`; an accepted row has an id, its required fact, and facts of their types
//    (a date a date, an enum one of its values, a bool 0 or 1);
//  - at the end every byte has been consumed (`bytes_read` is the input's size);
//  - the rows, counts and column lists do not depend on the block size (`block_bytes`): reading
//    with a few bytes at a time gives what reading the whole input at once gives.
// A third read with a small `max_row_bytes` checks the same per-row invariants.
#pragma once

#include "every_type_facts.hpp"
#include "fuzz_support.hpp"

#include <entitle/io/roster.hpp>
#include <entitle/rules/record.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace entitle_fuzz {

// The roster tests' facts (tests/io/roster_test.cpp), a rate and a month.
inline const entitle::schema& roster_schema() {
  static const entitle::schema facts = entitle_test::every_type_facts(true);
  return facts;
}

struct roster_read {
  std::vector<entitle::roster_row> rows;
  std::size_t lines = 0, bytes = 0, blanks = 0;
  std::vector<std::string> ignored, absent;
};

// Checks one row as read; `previous_line` is the line of the row before (0 for the first).
inline void check_row(const entitle::roster_row& row, const entitle::roster_reader& reader,
                      entitle::roster_format format, const entitle::roster_options& options,
                      std::size_t previous_line) {
  using namespace entitle;
  const schema& facts = roster_schema();
  ENTITLE_FUZZ_CHECK(row.line > previous_line, "rows come in line order");
  ENTITLE_FUZZ_CHECK(row.line >= (format == roster_format::csv ? 2u : 1u), "a row is not on the header's line");
  ENTITLE_FUZZ_CHECK(row.line <= reader.lines_read(), "a row is on a line the reader has consumed");
  ENTITLE_FUZZ_CHECK(row.text.size() <= options.max_row_bytes, "a row's text is at most max_row_bytes");
  if (row.problem) return;
  ENTITLE_FUZZ_CHECK(!row.id.empty(), "an accepted row has an id");
  ENTITLE_FUZZ_CHECK(row.facts.size() == facts.size(), "an accepted row has a slot per fact");
  for (std::size_t slot = 0; slot < facts.size(); ++slot) {
    const field& f = facts.at(slot);
    const fact_value& v = row.facts.facts()[slot];
    if (!v.present) {
      ENTITLE_FUZZ_CHECK(!f.required, "an accepted row has its required facts", f.name);
      continue;
    }
    switch (f.type) {
    case fact_type::boolean: ENTITLE_FUZZ_CHECK(v.number == 0 || v.number == 1, "a bool fact is 0 or 1"); break;
    case fact_type::date: {
      const bool not_a_date = refused([&] { (void)number_date(v.number); });
      ENTITLE_FUZZ_CHECK(!not_a_date, "a date fact holds a date", std::to_string(v.number));
      break;
    }
    case fact_type::enumeration:
      ENTITLE_FUZZ_CHECK(!f.enumerator_name(v.number).empty(), "an enum fact holds one of its values");
      break;
    case fact_type::string: {
      // Touch every byte: the view must point into the record's own storage.
      volatile unsigned char sink = 0;
      for (char c : v.text)
        sink = static_cast<unsigned char>(sink ^ static_cast<unsigned char>(c));
      (void)sink;
      break;
    }
    default: break;
    }
  }
}

// Reads the whole roster; nullopt when the constructor refuses it (a bad CSV header).
inline std::optional<roster_read> read_roster(std::string_view text, entitle::roster_format format,
                                              const entitle::roster_options& options) {
  using namespace entitle;
  std::istringstream in{std::string(text)};
  std::optional<roster_reader> reader;
  if (refused([&] { reader.emplace(in, roster_schema(), format, options); })) return std::nullopt;
  roster_read out;
  roster_row row;
  std::size_t previous_line = 0;
  // A NUL byte, or a row past max_row_bytes, stops the roster where it is read: refused, as a bad
  // header is.
  if (refused([&] {
        while (reader->next(row)) {
          check_row(row, *reader, format, options, previous_line);
          previous_line = row.line;
          out.rows.push_back(row);
        }
      }))
    return std::nullopt;
  out.lines = reader->lines_read();
  out.bytes = reader->bytes_read();
  out.blanks = reader->blank_lines();
  out.ignored = reader->ignored_columns();
  out.absent = reader->absent_facts();
  ENTITLE_FUZZ_CHECK(out.bytes == text.size(), "at the end, bytes_read() is the input's size",
                     "bytes_read() = " + std::to_string(out.bytes) + ", input = " + std::to_string(text.size()));
  ENTITLE_FUZZ_CHECK(out.lines >= out.rows.size() + out.blanks, "every row and blank line is a line consumed");
  return out;
}

inline bool same_facts(const entitle::record& a, const entitle::record& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto& x = a.facts()[i];
    const auto& y = b.facts()[i];
    if (x.present != y.present) return false;
    if (x.present && (x.number != y.number || x.text != y.text)) return false;
  }
  return true;
}

inline std::string describe_row(const entitle::roster_row& r) {
  return "line " + std::to_string(r.line) + ", id \"" + r.id + "\", " +
         (r.problem ? "rejected: " + r.problem->describe() : std::string("accepted")) + ", text \"" + r.text + "\"";
}

inline void fuzz_roster(const std::uint8_t* data, std::size_t size, entitle::roster_format format) {
  using namespace entitle;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const roster_options whole{};
  const std::optional<roster_read> a = read_roster(text, format, whole);

  // The same roster a few bytes at a time (4 is the least a block may be).
  roster_options small_blocks;
  small_blocks.block_bytes = 4 + size % 13;
  const std::optional<roster_read> b = read_roster(text, format, small_blocks);
  ENTITLE_FUZZ_CHECK(a.has_value() == b.has_value(), "the header is refused whatever the block size");
  if (a) {
    ENTITLE_FUZZ_CHECK(a->rows.size() == b->rows.size(), "the rows do not depend on the block size",
                       std::to_string(a->rows.size()) + " rows in one block, " + std::to_string(b->rows.size()) +
                           " in blocks of " + std::to_string(small_blocks.block_bytes));
    for (std::size_t i = 0; i < a->rows.size(); ++i) {
      const roster_row& x = a->rows[i];
      const roster_row& y = b->rows[i];
      const bool same = x.line == y.line && x.id == y.id && x.problem == y.problem && x.text == y.text &&
                        (x.problem || same_facts(x.facts, y.facts));
      ENTITLE_FUZZ_CHECK(same, "a row does not depend on the block size",
                         "one block: " + describe_row(x) + "\nblocks of " + std::to_string(small_blocks.block_bytes) +
                             ": " + describe_row(y));
    }
    ENTITLE_FUZZ_CHECK(a->lines == b->lines && a->bytes == b->bytes && a->blanks == b->blanks,
                       "the counts do not depend on the block size");
    ENTITLE_FUZZ_CHECK(a->ignored == b->ignored && a->absent == b->absent,
                       "the column lists do not depend on the block size");
  }

  // Short rows: a longer one stops the reading, never read whole.
  roster_options short_rows;
  short_rows.block_bytes = 4 + size % 7;
  short_rows.max_row_bytes = 16 + size % 64;
  (void)read_roster(text, format, short_rows);
}

} // namespace entitle_fuzz
