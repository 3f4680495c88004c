#pragma once

#include <entitle/core/error.hpp>
#include <entitle/rules/record.hpp>
#include <entitle/rules/schema.hpp>

#include <boost/describe/enum.hpp>

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// Rosters (docs/policy-format.md, "Rosters"): lists of people, one per row, read into records as
// a stream, so that memory stays bounded by the block and the longest row, never by the roster.
//
// CSV (RFC 4180 and what spreadsheet exports write): a header row naming the columns, then one
// row per person; comma separated; LF or CRLF line ends; a UTF-8 byte-order mark at the start is
// skipped; fields may be double-quoted, with "" for a quote, and a quoted field may hold commas
// and line ends. Columns are matched to the facts by exact name (the fact's own, one of its
// `field::columns`, or the one `roster_options::columns` maps to it); an empty cell is a missing fact.
// Cells are not checked to be valid UTF-8: they are compared and copied as bytes.
//
// NDJSON: one JSON object per line, read as `record_from_json` reads a record. Text that is not
// valid UTF-8 is not valid JSON, so it is rejected.
//
// A row that cannot be read is reported in `roster_row::problem`, naming the column or key at
// fault, and reading goes on with the next row; a NUL byte or a row longer than
// `roster_options::max_row_bytes` stops the reading instead, at its line.
namespace entitle {

enum class roster_format : unsigned char { csv, ndjson };
BOOST_DESCRIBE_ENUM(roster_format, csv, ndjson)

/// The format a file name says: ".csv" is CSV; ".ndjson" and ".jsonl" are NDJSON, in any letter
/// case. Anything else is `errc::invalid_syntax` located at the file.
[[nodiscard]] roster_format roster_format_of(const std::filesystem::path& file);

/// A roster column (CSV) or key (NDJSON) that gives a fact: `entitle run --column fact=column`.
struct column_mapping {
  std::string fact;
  std::string column;
  friend bool operator==(const column_mapping&, const column_mapping&) = default;
};

struct roster_options {
  /// The column (CSV) or key (NDJSON) that names a person; every row needs a non-empty one. (The
  /// id is named here, not in `columns`, which map facts.)
  std::string id_column = "id";
  /// Columns that give facts under other names than the fact's own and its `field::columns`
  /// ("penghasilan" for "monthly_income"). A mapped fact is read from its mapped column only, and
  /// a mapped column gives that fact only: a CSV header without the column is an error at line 1,
  /// and a header column called as the fact itself or one of its `field::columns` is then ignored.
  /// Checked by `check_column_mappings` when the reader is made.
  std::vector<column_mapping> columns{};
  /// The byte between CSV fields: ',' (the default), ';' (as spreadsheets save CSV where the
  /// comma is the decimal mark, Indonesia included) or '\t'.
  char separator = ',';
  /// Facts that must each have a CSV column, such as those the rules read: a header without one
  /// is an error at line 1 naming the closest column ("NIK" for "nik"). Empty: any may be absent.
  std::vector<std::string> needed_facts;
  /// A longer header or row stops the reading with an error at its line, once that much of it
  /// has been read: the rest is never read, so that an endless line (a pipe, a FIFO) ends too.
  std::size_t max_row_bytes = 1 << 20;
  /// How much is read from the stream at a time (at least 4 bytes); tests make it small to split
  /// rows across reads.
  std::size_t block_bytes = 256 * 1024;
  /// When the roster is read in parts (docs/distributed.md): the lines of the whole roster before
  /// this part's first row, the header not counted. They are added to the line of every row after
  /// the header, and of every problem found there, so that a part's lines are the whole roster's.
  std::size_t lines_before = 0;
};

/// The failure of `options.columns` against `facts`, or none: a mapping naming no fact (with the
/// close ones), a fact or a column mapped twice, or a column that is the name or one of the
/// `field::columns` of another fact no mapping moves elsewhere. `errc::invalid_syntax`, located at
/// the mapping ("monthly_income=penghasilan").
[[nodiscard]] std::optional<failure> check_column_mappings(const schema& facts, const roster_options& options);

/// One row as read. `problem` is set when the row is rejected; then `facts` may be partly filled
/// and must not be used.
struct roster_row {
  /// The line the row starts on, 1-based, counting the CSV header as line 1.
  std::size_t line = 0;
  /// The person's id; set once the row's fields line up with the header (CSV) or it is a JSON
  /// object with an id (NDJSON), so that a row rejected for a fact can still be named.
  std::string id;
  /// One slot per fact of the schema.
  record facts;
  /// Why the row is rejected: `location` is the column or key at fault ("birth_date"), or "" for
  /// the whole row; the message says what was expected and what was found.
  std::optional<failure> problem;
  /// The row as written, without its line end (for a rejects file); at most `max_row_bytes`.
  std::string text;
};

/// The memory one thread parses rows with (`roster_reader::parse`): the cells of a CSV row, the
/// JSON parser of an NDJSON row. Reused row after row, so that a row that fits allocates nothing;
/// one for each thread that parses.
class roster_scratch {
public:
  roster_scratch();
  ~roster_scratch();
  roster_scratch(roster_scratch&&) noexcept;
  roster_scratch& operator=(roster_scratch&&) noexcept;

private:
  friend class roster_reader;
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Reads a roster row by row.
///
///     std::ifstream in("people.csv", std::ios::binary);
///     roster_reader reader(in, policy.facts(), roster_format::csv);
///     roster_row row;
///     while (reader.next(row))
///       if (!row.problem) decide(row.facts);
class roster_reader {
public:
  /// Reads the header (CSV) at once; throws `entitle::error` located "line 1" for an empty input
  /// (no header), UTF-16 text, a header without the id column, a needed fact's column or a mapped
  /// column, a column named twice, a fact given by two columns (its name and one of its
  /// `field::columns`, or two of them), a header longer than `max_row_bytes` (reading stops
  /// there), CR-only or CR CR LF line ends, or a quoting error in the header (such as an
  /// unterminated quote); and first, for either format, what `check_column_mappings` finds, as it
  /// locates it. Linear in the header's length. Keeps references to `in` and `facts`.
  roster_reader(std::istream& in, const schema& facts, roster_format format, roster_options options = {});
  ~roster_reader();
  roster_reader(roster_reader&&) noexcept;
  roster_reader& operator=(roster_reader&&) noexcept;

  /// Reads the next row into `row`, reusing its storage (no allocation per row once warmed up,
  /// for rows of similar size). False at the end of the input; a stream that fails also ends the
  /// roster, so check the stream's state afterwards. Throws `entitle::error` located "line N"
  /// at a NUL byte, which no text roster holds (a binary file, or UTF-16), as soon as it is read,
  /// and at a row longer than `max_row_bytes`, once that much of it is read (the message names
  /// the limit, and the line a quoted field opened on when the row ends inside one).
  bool next(roster_row& row);

  /// `next` in two steps, so that rows read in order on one thread can be parsed on several:
  /// `next_text` reads the next row's line and text (it throws what `next` throws, and skips blank
  /// lines), clearing its id and problem; `parse` then makes its id, facts and problem, as `next`
  /// does. `parse` reads only what the header fixed: threads may parse rows of one reader at
  /// once, each with its own `scratch`, while another thread goes on with `next_text`.
  bool next_text(roster_row& row);
  void parse(roster_row& row, roster_scratch& scratch) const;

  /// Physical lines consumed so far, the header and blank lines included (and `lines_before`).
  [[nodiscard]] std::size_t lines_read() const noexcept;
  /// Bytes of the input consumed so far, line ends and byte-order mark included.
  [[nodiscard]] std::size_t bytes_read() const noexcept;
  /// Blank lines skipped (empty, or only a CR): they are not rows.
  [[nodiscard]] std::size_t blank_lines() const noexcept;
  /// CSV header columns no fact or id is read from, in header order: not a fact's name, one of its
  /// `field::columns` or a mapped column, or a fact's own name when a mapping gives the fact from
  /// another column (an unnamed column, as spreadsheets leave after the last one, is "").
  [[nodiscard]] const std::vector<std::string>& ignored_columns() const noexcept;
  /// Facts no CSV column provides, in schema order: always missing (a required one rejects every
  /// row).
  [[nodiscard]] const std::vector<std::string>& absent_facts() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace entitle
