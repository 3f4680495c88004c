#include <entitle/io/roster.hpp>

#include <entitle/io/core_json.hpp>
#include <entitle/io/policy_json.hpp>

#include "close_names.hpp"
#include "file_kind.hpp"
#include "roster_text.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <istream>
#include <limits>
#include <string_view>
#include <unordered_map>

namespace entitle {
namespace {

namespace json = boost::json;

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
constexpr std::size_t no_slot = std::numeric_limits<std::size_t>::max();

failure syntax(std::string message, std::string location = {}) {
  return failure(errc::invalid_syntax, std::move(message), std::move(location));
}

// "expected <what the fact takes> for the required <type> fact "<name>", found <found>".
failure required_missing(const field& f, std::string_view found) {
  return syntax("expected " + detail::expected_for(f) + " for the required " + std::string(type_name(f.type)) +
                    " fact " + detail::quoted(f.name) + ", found " + std::string(found),
                f.name);
}

// ---- CSV quoting --------------------------------------------------------------------------------

// Where a CSV row stands after some of its text, as far as line ends are concerned: a line end
// ends the row unless it is inside a quoted field. A quote opens a field only at its start; inside
// one, a quote closes it or, doubled, stands for a quote. Quotes anywhere else are errors the
// splitter reports; here they change nothing, so that a stray quote spoils one row, not the rest.
enum class quote_state : unsigned char { field_start, unquoted, quoted, closing };

// The state after `chunk`; `opened` is set when a quoted field opens in it.
quote_state after(quote_state state, std::string_view chunk, char separator, bool& opened) {
  if (chunk.empty()) return state;
  if (std::memchr(chunk.data(), '"', chunk.size()) == nullptr) // the usual case, decided by the last byte
    return state == quote_state::quoted ? state
           : chunk.back() == separator  ? quote_state::field_start
                                        : quote_state::unquoted;
  for (const char c : chunk) {
    switch (state) {
    case quote_state::field_start:
      opened = opened || c == '"';
      state = c == '"' ? quote_state::quoted : c == separator ? quote_state::field_start : quote_state::unquoted;
      break;
    case quote_state::closing: // after a quote in a quoted field: "" is a quote, anything else ends it
      state = c == '"' ? quote_state::quoted : c == separator ? quote_state::field_start : quote_state::unquoted;
      break;
    case quote_state::unquoted:
      if (c == separator) state = quote_state::field_start;
      break;
    case quote_state::quoted:
      if (c == '"') state = quote_state::closing;
      break;
    }
  }
  return state;
}

// `cell` as it would be written correctly: in quotes, each quote doubled.
std::string requoted(std::string_view cell) {
  std::string out = "\"";
  for (const char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// ---- NDJSON -------------------------------------------------------------------------------------

// A JSON value as it reads after "found" in a message.
std::string found_json(const json::value& jv) {
  std::array<char, 32> digits{};
  switch (jv.kind()) {
  case json::kind::null: return "null";
  case json::kind::bool_: return jv.get_bool() ? "true" : "false";
  case json::kind::int64: return std::to_string(jv.get_int64());
  case json::kind::uint64: return std::to_string(jv.get_uint64());
  case json::kind::double_: // shortest form, 1.5 rather than Boost.JSON's 1.5E0
    return {digits.data(), std::to_chars(digits.data(), digits.data() + digits.size(), jv.get_double()).ptr};
  case json::kind::string: return detail::quoted(jv.get_string());
  case json::kind::array: return "an array";
  case json::kind::object: return "an object";
  }
  return "a value";
}

// JSON numbers beyond 64 bits arrive as uint64 or double: they are too large, not of the wrong type.
bool beyond_64_bits(const json::value& jv) {
  return jv.is_uint64() || (jv.is_double() && std::abs(jv.get_double()) >= 9.2233720368547758e18);
}

// The number under `key` as the row writes it ("1500000.0"), so that a message shows what the file
// holds rather than the number read back; "" when it cannot be found.
std::string_view number_as_written(std::string_view row, std::string_view key) {
  const std::string quoted_key = detail::quoted(key);
  for (std::size_t at = row.find(quoted_key); at != std::string_view::npos; at = row.find(quoted_key, at + 1)) {
    std::size_t i = at + quoted_key.size();
    while (i < row.size() && (row[i] == ' ' || row[i] == '\t'))
      ++i;
    if (i == row.size() || row[i] != ':') continue;
    ++i;
    while (i < row.size() && (row[i] == ' ' || row[i] == '\t'))
      ++i;
    const std::size_t first = i;
    while (i < row.size() && std::string_view("+-0123456789.eE").find(row[i]) != std::string_view::npos)
      ++i;
    if (i > first) return row.substr(first, i - first);
  }
  return {};
}

// Sets the fact in `slot` from a JSON value, as `record_from_json` reads it; `row` is the row's
// text and `key` the value's key in it, for numbers as written.
std::optional<failure> set_from_json(record& facts, std::size_t slot, const field& f, const json::value& jv,
                                     std::string_view row, std::string_view key) {
  switch (jv.kind()) {
  case json::kind::string:
    if (f.type == fact_type::string && detail::spreadsheet_scientific(jv.get_string()))
      return syntax(detail::spreadsheet_scientific_message(jv.get_string()));
    return facts.try_set_text(slot, f, jv.get_string());
  case json::kind::bool_: return facts.try_set(slot, f, jv.get_bool());
  case json::kind::int64: return facts.try_set(slot, f, jv.get_int64());
  default: break;
  }
  if (beyond_64_bits(jv))
    return failure(errc::overflow, "the " + std::string(type_name(f.type)) + " fact " + detail::quoted(f.name) +
                                       ": the number " + found_json(jv) + " does not fit in 64 bits");
  if (jv.is_double())
    if (const std::string_view written = number_as_written(row, key); !written.empty())
      return detail::mismatch(f, std::string(written));
  return detail::mismatch(f, found_json(jv));
}

} // namespace

roster_format roster_format_of(const std::filesystem::path& file) {
  switch (detail::row_file_kind_of(file)) {
  case detail::row_file_kind::csv: return roster_format::csv;
  case detail::row_file_kind::ndjson: return roster_format::ndjson;
  case detail::row_file_kind::unknown: break;
  }
  const std::string extension = file.extension().string();
  throw error(syntax("expected a roster file name ending in .csv, .ndjson or .jsonl, found " +
                         (extension.empty() ? std::string("no extension") : detail::quoted(extension)),
                     file.string()));
}

namespace {

// What a mapping naming no fact says: the close facts, or all of them; for the id, where it is named.
std::string no_such_fact(const schema& facts, const column_mapping& m, const roster_options& options) {
  if (m.fact == options.id_column || m.fact == "id")
    return detail::quoted(m.fact) + " is the person's id, which is not mapped as a fact: name its column as the id "
                                    "column";
  std::vector<std::string> names;
  for (const auto& f : facts.fields())
    names.push_back(f.name);
  const std::vector<std::string> close = detail::close_names(m.fact, names);
  const auto quote = [](const std::string& name) -> const std::string& { return name; };
  const std::string message = detail::quoted(m.fact) + " is not a fact of the policy";
  if (!close.empty()) return message + "; the close ones are " + detail::name_list(close, quote);
  return message + "; the facts are " + detail::name_list(names, quote);
}

} // namespace

std::optional<failure> check_column_mappings(const schema& facts, const roster_options& options) {
  const auto& maps = options.columns;
  for (std::size_t i = 0; i < maps.size(); ++i) {
    const column_mapping& m = maps[i];
    const std::string here = m.fact + "=" + m.column;
    const auto slot = facts.find(m.fact);
    if (!slot) return syntax(no_such_fact(facts, m, options), here);
    if (m.column.empty()) return syntax("expected a column's name after the \"=\", found none", here);
    for (std::size_t j = 0; j < i; ++j) {
      if (maps[j].fact == m.fact)
        return syntax("the fact " + detail::quoted(m.fact) + " is mapped twice, to the columns " +
                          detail::quoted(maps[j].column) + " and " + detail::quoted(m.column) + "; keep one",
                      here);
      if (maps[j].column == m.column)
        return syntax("the column " + detail::visible(m.column) + " is mapped to two facts, " +
                          detail::quoted(maps[j].fact) + " and " + detail::quoted(m.fact) + "; a column gives one fact",
                      here);
    }
    // The column is another fact's own: both would read it, unless that fact is mapped elsewhere.
    const auto other = facts.find_column(m.column);
    if (!other || *other == *slot) continue;
    const field& theirs = facts.at(*other);
    if (std::any_of(maps.begin(), maps.end(), [&](const column_mapping& x) { return x.fact == theirs.name; })) continue;
    return syntax("the column " + detail::visible(m.column) + " is mapped to the fact " + detail::quoted(m.fact) +
                      ", but it is " +
                      (m.column == theirs.name ? std::string("the fact ") + detail::quoted(theirs.name)
                                               : "a column of the fact " + detail::quoted(theirs.name)) +
                      "; a column gives one fact: map " + detail::quoted(theirs.name) + " to another column too",
                  here);
  }
  return std::nullopt;
}

namespace {

// The parser and the memory of one row's JSON, reused row after row: a row that fits in the
// buffer allocates nothing.
struct json_state {
  static json::parse_options limits() {
    json::parse_options options;
    options.max_depth = max_json_depth;
    return options;
  }
  std::array<unsigned char, 64 * 1024> buffer{};
  json::monotonic_resource memory{buffer.data(), buffer.size()};
  json::parser parser{{}, limits()};
};

} // namespace

// One thread's memory for parsing rows: the cells of a CSV row (views into the row's text, or into
// `unquoted` for quoted cells with doubled quotes), and the JSON parser of an NDJSON row.
struct roster_scratch::impl {
  std::vector<std::string_view> cells;
  std::string unquoted;
  std::unique_ptr<json_state> ndjson; // made on the first NDJSON row
};

roster_scratch::roster_scratch() : impl_(std::make_unique<impl>()) {}
roster_scratch::~roster_scratch() = default;
roster_scratch::roster_scratch(roster_scratch&&) noexcept = default;
roster_scratch& roster_scratch::operator=(roster_scratch&&) noexcept = default;

struct roster_reader::impl {
  impl(std::istream& in, const schema& facts, roster_format format, roster_options options)
      : in(in), facts(facts), format(format), options(std::move(options)),
        block(std::max<std::size_t>(this->options.block_bytes, 4)) { // the first read holds a whole BOM
    const char separator = this->options.separator;
    if (separator != ',' && separator != ';' && separator != '\t')
      throw error(syntax("expected a comma, a semicolon or a tab as the separator, found " +
                         detail::visible(std::string_view(&separator, 1))));
    if (auto problem = check_column_mappings(facts, this->options)) throw error(std::move(*problem));
    if (format == roster_format::csv) {
      read_header();
    } else {
      json_keys_of_facts();
    }
    lines += this->options.lines_before; // the rows of the parts before this one
  }

  // The mapped column of the fact in `slot`, if any.
  const column_mapping* mapping_of(std::size_t slot) const {
    for (const auto& m : options.columns)
      if (m.fact == facts.at(slot).name) return &m;
    return nullptr;
  }

  // ---- rows of text -------------------------------------------------------------------------------

  // How a row's text ended.
  struct frame {
    bool too_long = false;      // longer than max_row_bytes: `text` holds its first max_row_bytes bytes
    bool in_quotes = false;     // the input, or the reading, ended inside a quoted field
    std::size_t quote_line = 0; // the line that field opens on
  };

  // Makes the next bytes available; false at the end of the input.
  bool refill() {
    while (pos == end) {
      if (exhausted) return false;
      in.read(block.data(), static_cast<std::streamsize>(block.size()));
      const auto got = static_cast<std::size_t>(in.gcount());
      exhausted = got < block.size(); // `read` stops short only at the end of the input or on failure
      pos = block.data();
      end = pos + got;
      if (bytes == 0) skip_byte_order_mark(std::string_view(pos, got));
    }
    return true;
  }

  // A UTF-8 byte-order mark is skipped; a UTF-16 one refuses the roster, by name.
  void skip_byte_order_mark(std::string_view first) {
    if (first.starts_with("\xFF\xFE") || first.starts_with("\xFE\xFF")) throw error(utf16());
    if (first.starts_with(byte_order_mark)) {
      pos += byte_order_mark.size();
      bytes += byte_order_mark.size();
    }
  }

  failure utf16() const {
    return syntax(std::string("the roster is UTF-16 (Excel \"Unicode text\"); save it as ") +
                      (format == roster_format::csv ? "CSV UTF-8" : "UTF-8"),
                  "line 1");
  }

  // A NUL byte `column` bytes into line `line`, in `chunk`: no text roster holds one. In the
  // header, where a UTF-16 file shows one every other byte, the message says so.
  [[noreturn]] void nul_byte(std::string_view chunk, std::size_t line, std::size_t column) const {
    if (line == 1 && column < 2 && chunk.size() > 1 && (chunk[0] == '\0') != (chunk[1] == '\0')) throw error(utf16());
    throw error(syntax("found a NUL byte (0x00) at column " + std::to_string(column + 1) +
                           ": a roster is text, and this one is not (a binary file, or UTF-16); save it as " +
                           (format == roster_format::csv ? "CSV UTF-8" : "UTF-8"),
                       "line " + std::to_string(line)));
  }

  // The most of a row's text that is read: max_row_bytes and one more byte, for the CR of a CRLF
  // line end, which is dropped afterwards.
  std::size_t row_limit() const { return std::max(options.max_row_bytes, options.max_row_bytes + 1); } // saturating

  // Appends `piece` to a row's text, keeping at most row_limit() bytes.
  void keep(std::string& text, std::string_view piece) const {
    const std::size_t limit = row_limit();
    text.append(piece.substr(0, limit - std::min(limit, text.size())));
  }

  // Reads the next row's text: one line, or for CSV the lines up to a line end outside quotes.
  // Nothing at the end of the input. Reading stops once the row is longer than max_row_bytes, the
  // rest of it unread, so that an endless line ends too. Throws at a NUL byte.
  std::optional<frame> next_frame(std::string& text) {
    text.clear();
    quote_state state = quote_state::field_start;
    bool consumed = false, line_ended = false, partial_line = false;
    std::size_t length = 0;     // of the row as read, even when `text` stops short
    std::size_t in_line = 0;    // bytes of the current physical line before this chunk
    std::size_t quote_line = 0; // the line the last quoted field opened on
    while (!line_ended && length <= row_limit() && refill()) {
      consumed = true;
      const auto available = static_cast<std::size_t>(end - pos);
      const auto* newline = static_cast<const char*>(std::memchr(pos, '\n', available));
      const std::string_view chunk(pos, newline ? static_cast<std::size_t>(newline - pos) : available);
      // Up to the first byte past the limit: whatever the blocks, a NUL after it is never seen.
      const std::size_t room = row_limit() - length;
      if (const void* nul = std::memchr(chunk.data(), '\0', room < chunk.size() ? room + 1 : chunk.size()))
        nul_byte(chunk, lines + 1, in_line + static_cast<std::size_t>(static_cast<const char*>(nul) - chunk.data()));
      in_line = newline ? 0 : in_line + chunk.size();
      if (format == roster_format::csv) {
        bool opened = false;
        state = after(state, chunk, options.separator, opened);
        if (opened) quote_line = lines + 1; // a chunk lies within one line
      }
      keep(text, chunk);
      length += chunk.size();
      pos += chunk.size();
      bytes += chunk.size();
      partial_line = newline == nullptr;
      if (partial_line) continue; // the line goes on in the next block
      ++pos;
      ++bytes;
      ++lines;
      line_ended = state != quote_state::quoted;
      if (!line_ended) { // a line end inside a quoted field belongs to the field
        keep(text, "\n");
        ++length;
      }
    }
    if (!consumed) return std::nullopt;
    if (partial_line) ++lines; // a last line without a line end
    frame out;
    out.in_quotes = state == quote_state::quoted;
    out.quote_line = quote_line;
    if (!out.in_quotes && !text.empty() && text.back() == '\r') {
      text.pop_back();
      --length;
    }
    out.too_long = length > options.max_row_bytes;
    if (out.too_long) text.resize(std::min(text.size(), options.max_row_bytes));
    return out;
  }

  // A row, or the header, past max_row_bytes; inside a quoted field, most likely one whose closing
  // quote is missing, that field is named.
  failure too_long(std::string_view what, const frame& framed) const {
    std::string message =
        "expected at most " + std::to_string(options.max_row_bytes) + " bytes in " + std::string(what) + ", found more";
    if (framed.in_quotes)
      message += " inside the quoted field opened on line " + std::to_string(framed.quote_line) +
                 " (is its closing quote missing?)";
    return syntax(std::move(message));
  }

  // ---- CSV ----------------------------------------------------------------------------------------

  // Splits a CSV row into `cells` (views into `text`, or into `unquoted` for quoted cells with
  // doubled quotes). A failure is located at the header column of the cell at fault.
  std::optional<failure> split(std::string_view text, std::size_t first_line, roster_scratch::impl& s) const {
    std::vector<std::string_view>& cells = s.cells;
    std::string& unquoted = s.unquoted;
    cells.clear();
    unquoted.clear();
    // Unquoting only shortens, so the views into `unquoted` stay valid as it grows.
    unquoted.reserve(text.size());
    // Most rows have no quote at all: their cells need no second look.
    const bool plain = text.find('"') == std::string_view::npos;
    auto here = [&] { return cells.size() < header.size() ? header[cells.size()] : std::string(); };
    std::size_t at = 0;
    for (;;) {
      std::string_view cell;
      std::size_t next = 0; // where the cell ends: its comma, or npos at the end of the row
      if (at < text.size() && text[at] == '"') {
        const std::size_t start = unquoted.size();
        std::size_t piece = at + 1;
        std::size_t quote = text.find('"', piece);
        while (quote != std::string_view::npos && quote + 1 < text.size() && text[quote + 1] == '"') {
          unquoted.append(text.substr(piece, quote + 1 - piece)); // the piece and one quote
          piece = quote + 2;
          quote = text.find('"', piece);
        }
        if (quote == std::string_view::npos) {
          const std::string_view before = text.substr(0, at);
          const auto opened = first_line + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
          return syntax("expected a closing quote for the field opened on line " + std::to_string(opened) +
                            ", found the end of the input",
                        here());
        }
        if (start == unquoted.size() && piece == at + 1) {
          cell = text.substr(at + 1, quote - at - 1); // no doubled quotes: the text itself
        } else {
          unquoted.append(text.substr(piece, quote - piece));
          cell = std::string_view(unquoted).substr(start);
        }
        next = quote + 1 < text.size() ? quote + 1 : std::string_view::npos;
        if (next != std::string_view::npos && text[next] != options.separator) {
          const std::string_view rest = text.substr(next, text.find(options.separator, next) - next);
          return syntax("expected " + separator_name() + " or the end of the row after the closing quote of " +
                            detail::quoted(cell) + ", found " + detail::quoted(rest),
                        here());
        }
      } else {
        next = text.find(options.separator, at);
        cell = text.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at);
        if (!plain && cell.find('"') != std::string_view::npos)
          return syntax("expected a field with a quote in it to be quoted whole, with the quote doubled (" +
                            requoted(cell) + "), found " + std::string(cell),
                        here());
      }
      cells.push_back(cell);
      if (next == std::string_view::npos) return std::nullopt;
      at = next + 1;
    }
  }

  [[noreturn]] static void header_error(failure problem) {
    problem.location = "line 1";
    throw error(std::move(problem));
  }

  std::string separator_name() const {
    return options.separator == ';' ? "a semicolon" : options.separator == '\t' ? "a tab" : "a comma";
  }

  // Reads the header: which fact (or the id) each column is, and which facts no column provides.
  void read_header() {
    std::string text;
    const auto framed = next_frame(text);
    if (!framed) header_error(syntax("expected a header row naming the columns, found an empty input"));
    if (text.empty()) header_error(syntax("expected a header row naming the columns, found an empty line"));
    check_line_ends(text);
    if (framed->too_long) header_error(too_long("the header row", *framed));
    if (auto problem = split(text, 1, own)) header_error(std::move(*problem));
    match_columns();
    if (id_column == no_slot) header_error(syntax(no_id_column(text)));
    std::vector<bool> given(facts.size(), false);
    for (const std::size_t slot : columns)
      if (slot != no_slot) given[slot] = true;
    for (std::size_t slot = 0; slot < facts.size(); ++slot) {
      if (given[slot]) continue;
      absent.push_back(facts.at(slot).name);
      if (facts.at(slot).required) absent_required.push_back(slot);
    }
    check_needed_facts();
  }

  // A CR left in the header after its line end is taken off: CR-only line ends (the whole file
  // reads as one line) or CR CR LF; either is named, never read as column names.
  static void check_line_ends(std::string_view header_text) {
    std::size_t cr = 0;
    bool quoted = false; // a CR inside a quoted name is part of the name
    while (cr < header_text.size() && (quoted || header_text[cr] != '\r'))
      quoted ^= header_text[cr++] == '"';
    if (cr == header_text.size()) return;
    if (cr + 1 == header_text.size())
      header_error(syntax("expected the header's line to end in LF or CRLF, found CR CR LF (a carriage return "
                          "too many, as some converters write); save the file with CRLF or LF line ends"));
    header_error(syntax("found a carriage return (CR) at column " + std::to_string(cr + 1) +
                        " of the header with no line feed after it: the lines end in CR only (as old Mac "
                        "programs save); save the file with CRLF or LF line ends"));
  }

  // Which fact (or the id) each header column is: one hash look-up a column. A column gives the
  // fact it is mapped to, else the fact whose name or other name it is, unless that fact is mapped
  // to another column; a fact given by two columns is refused.
  void match_columns() {
    const std::vector<std::string_view>& cells = own.cells;
    std::unordered_map<std::string_view, std::size_t> fact_slots; // names, other names and mapped columns
    fact_slots.reserve(facts.size());
    std::vector<bool> mapped(facts.size(), false);
    for (const auto& m : options.columns) {
      const std::size_t slot = *facts.find(m.fact); // check_column_mappings found it
      mapped[slot] = true;
      fact_slots[m.column] = slot;
    }
    for (std::size_t slot = 0; slot < facts.size(); ++slot) {
      if (mapped[slot]) continue;
      fact_slots.emplace(facts.at(slot).name, slot);
      for (const auto& other : facts.at(slot).columns)
        fact_slots.emplace(other, slot);
    }
    std::unordered_map<std::string_view, std::size_t> seen; // views into the header's cells
    seen.reserve(cells.size());
    header.reserve(cells.size());
    columns.reserve(cells.size());
    std::vector<std::size_t> given_by(facts.size(), no_slot); // the column giving each fact
    for (const std::string_view name : cells) {
      // Unnamed columns, as spreadsheets leave after the last one, are ignored, however many.
      if (!name.empty() && !seen.emplace(name, header.size()).second)
        header_error(syntax("expected each column once, found " + detail::visible(name) + " twice"));
      header.emplace_back(name);
      const auto slot = fact_slots.find(name);
      columns.push_back(slot == fact_slots.end() ? no_slot : slot->second);
      if (slot != fact_slots.end()) {
        std::size_t& first = given_by[slot->second];
        if (first != no_slot)
          header_error(syntax("expected one column for the fact " + detail::quoted(facts.at(slot->second).name) +
                              ", found two: " + detail::visible(header[first]) + " and " + detail::visible(name) +
                              "; keep one, or map the fact to one of them"));
        first = header.size() - 1;
      }
      if (name == options.id_column)
        id_column = header.size() - 1;
      else if (slot == fact_slots.end())
        ignored.emplace_back(name);
    }
    check_mapped_columns();
  }

  // Every mapped column is in the header.
  void check_mapped_columns() const {
    for (const auto& m : options.columns) {
      if (std::find(header.begin(), header.end(), m.column) != header.end()) continue;
      std::string message = "expected the column " + detail::visible(m.column) + ", which is mapped to the fact " +
                            detail::quoted(m.fact) + ", found none";
      if (const std::string* close = closest_column({m.column})) {
        message += " (there is ";
        message += detail::visible(*close);
        message += ": names must match exactly, letter case and spaces included)";
      }
      header_error(syntax(message + "; the columns are " +
                          detail::name_list(header, [](const std::string& name) { return detail::escaped(name); })));
    }
  }

  // The header column that one of `names` (a fact's name and its other names) was most likely
  // meant to be: equal once spaces and CRs are trimmed and letters compared in any case; null
  // when none is.
  const std::string* closest_column(const std::vector<std::string_view>& names) const {
    for (const std::string_view name : names) {
      const std::string wanted = detail::loose_name(name);
      for (const std::string& column : header)
        if (!column.empty() && detail::loose_name(column) == wanted) return &column;
    }
    return nullptr;
  }

  std::string no_id_column(std::string_view header_text) const {
    std::string message = "expected a column named " + detail::quoted(options.id_column) +
                          " for the person's id, found the columns " +
                          detail::name_list(header, [](const std::string& name) { return detail::escaped(name); });
    if (const std::string* close = closest_column({options.id_column})) {
      message += "; ";
      message += detail::visible(*close);
      message += " differs in letter case or spaces: names must match exactly";
    }
    return message + separator_hint(header_text);
  }

  // When the header is one column holding semicolons or tabs, the separator is not the one read.
  std::string separator_hint(std::string_view header_text) const {
    if (header.size() != 1) return {};
    for (const char other : {';', '\t', ','}) {
      if (other == options.separator || header_text.find(other) == std::string_view::npos) continue;
      std::string hint = "; the header has no ";
      hint += separator_name().substr(2);
      hint += other == ';'    ? " but semicolons: the file is separated by \";\" (as spreadsheets save CSV where the "
                                "comma is the decimal mark), so read it with the separator \";\""
              : other == '\t' ? " but tabs: the file is separated by tabs, so read it with the separator tab"
                              : " but commas: read it with the separator \",\"";
      return hint;
    }
    return {};
  }

  // Every needed fact has a column, or the header is refused, naming the closest column of each.
  void check_needed_facts() const {
    std::string missing;
    std::size_t count = 0;
    for (const std::string& name : options.needed_facts) {
      if (std::find(absent.begin(), absent.end(), name) == absent.end()) continue; // absent is short
      missing += count++ == 0 ? "" : ", ";
      missing += detail::quoted(name);
      std::vector<std::string_view> names{name};
      std::string notes; // its other names, and the column closest to one of them
      if (const auto slot = facts.find(name)) {
        const auto& others = facts.at(*slot).columns;
        names.insert(names.end(), others.begin(), others.end());
        if (!others.empty())
          notes = "or " + detail::name_list(others, [](const std::string& n) -> const std::string& { return n; });
      }
      if (const std::string* close = closest_column(names)) {
        notes += notes.empty() ? "there is " : "; there is ";
        notes += detail::visible(*close);
        notes += ": names must match exactly, letter case and spaces included";
      }
      if (!notes.empty()) missing += " (" + notes + ")";
    }
    if (count == 0) return;
    header_error(syntax("expected a column for each fact the rules read, found none for " + missing +
                        "; the columns are " +
                        detail::name_list(header, [](const std::string& name) { return detail::escaped(name); })));
  }

  std::optional<failure> csv_row(roster_row& row, roster_scratch::impl& s) const {
    if (auto problem = split(row.text, row.line, s)) return problem;
    const std::vector<std::string_view>& cells = s.cells;
    if (cells.size() != columns.size())
      return syntax("expected " + std::to_string(columns.size()) + " fields, found " + std::to_string(cells.size()));
    const std::string_view id = cells[id_column];
    if (id.empty())
      return syntax("expected the person's id in the column " + detail::quoted(options.id_column) +
                        ", found an empty field",
                    options.id_column);
    row.id.assign(id);
    if (detail::spreadsheet_scientific(id))
      return syntax(detail::spreadsheet_scientific_message(id), options.id_column);
    if (!absent_required.empty()) return required_missing(facts.at(absent_required.front()), "no column for it");
    for (std::size_t column = 0; column < columns.size(); ++column) {
      const std::size_t slot = columns[column];
      if (slot == no_slot) continue;
      const field& f = facts.fields()[slot];
      const std::string_view cell = cells[column];
      if (cell.empty()) { // a missing fact, as the cleared record already has it
        if (f.required) return required_missing(f, "an empty field");
        continue;
      }
      if (f.type == fact_type::string && detail::spreadsheet_scientific(cell))
        return syntax(detail::spreadsheet_scientific_message(cell), header[column]);
      if (auto problem = row.facts.try_set_text(slot, f, cell)) {
        problem->location = header[column];
        return problem;
      }
    }
    return std::nullopt;
  }

  // ---- NDJSON -------------------------------------------------------------------------------------

  std::optional<failure> json_row(roster_row& row, roster_scratch::impl& s) const {
    if (!s.ndjson) s.ndjson = std::make_unique<json_state>();
    json_state& ndjson = *s.ndjson;
    ndjson.memory.release(); // the previous row's value is gone
    ndjson.parser.reset(&ndjson.memory);
    boost::system::error_code ec;
    const std::size_t consumed = ndjson.parser.write(row.text.data(), row.text.size(), ec);
    if (ec == json::error::too_deep)
      return failure(errc::out_of_range, "expected JSON nested at most " + std::to_string(max_json_depth) +
                                             " levels deep, found deeper nesting");
    if (ec) {
      const std::size_t at = std::min(consumed, row.text.size());
      // Boost.JSON calls a byte that is not UTF-8 a syntax error; say which byte it is.
      if (const std::string byte = detail::not_utf8(row.text, at); !byte.empty())
        return syntax("expected a JSON object on one line, found a byte that is not UTF-8 (" + byte + ") at column " +
                      std::to_string(at + 1) + "; save the file as UTF-8");
      return syntax("expected a JSON object on one line, found text that is not JSON at column " +
                    std::to_string(at + 1) + " (" + ec.message() + ")");
    }
    const json::value jv = ndjson.parser.release();
    if (!jv.is_object()) return syntax("expected a JSON object of fact name to value, found " + found_json(jv));
    const json::object& object = jv.get_object();
    if (auto problem = json_id(object, row.id)) return problem;
    for (std::size_t slot = 0; slot < facts.size(); ++slot) {
      const field& f = facts.fields()[slot];
      const std::vector<std::string>& keys = json_keys[slot];
      const json::value* value = object.if_contains(keys.front());
      const std::string* key = &keys.front();
      for (std::size_t k = 1; k < keys.size(); ++k) { // the fact's other names: at most one may be given
        const json::value* other = object.if_contains(keys[k]);
        if (!other || other->is_null()) continue;
        if (value && !value->is_null())
          return syntax("expected one key for the fact " + detail::quoted(f.name) +
                            ", found two: " + detail::quoted(*key) + " and " + detail::quoted(keys[k]) + "; keep one",
                        keys[k]);
        value = other;
        key = &keys[k];
      }
      if (!value || value->is_null()) {
        if (f.required) return required_missing(f, value ? "null" : "no key " + detail::quoted(keys.front()));
        continue;
      }
      if (auto problem = set_from_json(row.facts, slot, f, *value, row.text, *key)) {
        problem->location = *key;
        return problem;
      }
    }
    return std::nullopt;
  }

  // The keys each fact is looked up under: its mapped key alone, else its name and other names.
  void json_keys_of_facts() {
    json_keys.resize(facts.size());
    for (std::size_t slot = 0; slot < facts.size(); ++slot) {
      if (const column_mapping* m = mapping_of(slot)) {
        json_keys[slot] = {m->column};
        continue;
      }
      json_keys[slot] = {facts.at(slot).name};
      for (const auto& other : facts.at(slot).columns)
        json_keys[slot].push_back(other);
    }
  }

  // The id: a non-empty string, or a whole number written as its digits.
  std::optional<failure> json_id(const json::object& object, std::string& id) const {
    const json::value* value = object.if_contains(options.id_column);
    if (value && value->is_string() && !value->get_string().empty()) {
      const std::string_view text = value->get_string();
      if (text.find('\0') != std::string_view::npos)
        return syntax("expected the person's id without NUL bytes (\\u0000), found " + detail::visible(text),
                      options.id_column);
      if (detail::spreadsheet_scientific(text))
        return syntax(detail::spreadsheet_scientific_message(text), options.id_column);
      id.assign(text);
      return std::nullopt;
    }
    if (value && (value->is_int64() || value->is_uint64())) {
      std::array<char, 24> digits{};
      char* last = value->is_int64()
                       ? std::to_chars(digits.data(), digits.data() + digits.size(), value->get_int64()).ptr
                       : std::to_chars(digits.data(), digits.data() + digits.size(), value->get_uint64()).ptr;
      id.assign(digits.data(), last);
      return std::nullopt;
    }
    return syntax("expected the person's id (a non-empty string or a whole number) under the key " +
                      detail::quoted(options.id_column) + ", found " + (value ? found_json(*value) : "no such key"),
                  options.id_column);
  }

  // ---- rows ---------------------------------------------------------------------------------------

  bool next_text(roster_row& row) {
    for (;;) {
      row.line = lines + 1;
      row.id.clear();
      row.problem.reset();
      const auto framed = next_frame(row.text);
      if (!framed) return false;
      // A row past the limit stops the reading, as the header does: the rest of its line may never
      // end (a pipe, a FIFO), and is not read.
      if (framed->too_long) {
        failure problem = too_long("a row", *framed);
        problem.location = "line " + std::to_string(row.line);
        throw error(std::move(problem));
      }
      if (!row.text.empty()) return true;
      ++blanks; // a blank line; a quoted field is never empty text
    }
  }

  void parse(roster_row& row, roster_scratch::impl& s) const {
    if (row.facts.size() == facts.size())
      row.facts.clear();
    else
      row.facts = record(facts.size());
    if (auto problem = format == roster_format::csv ? csv_row(row, s) : json_row(row, s))
      row.problem = std::move(problem);
  }

  std::istream& in;
  const schema& facts;
  roster_format format;
  roster_options options;

  // The block read from the stream and the unread part of it.
  std::vector<char> block;
  const char* pos = nullptr;
  const char* end = nullptr;
  bool exhausted = false;

  std::size_t lines = 0;
  std::size_t bytes = 0;
  std::size_t blanks = 0;

  // CSV: per header column, its name and the fact's slot (or no_slot); the id column.
  std::vector<std::string> header;
  std::vector<std::size_t> columns;
  std::size_t id_column = no_slot;
  std::vector<std::string> ignored;
  std::vector<std::string> absent;
  std::vector<std::size_t> absent_required;
  roster_scratch::impl own; // the header's cells, and the rows `next` parses

  std::vector<std::vector<std::string>> json_keys; // NDJSON only: per fact, the keys giving it
};

roster_reader::roster_reader(std::istream& in, const schema& facts, roster_format format, roster_options options)
    : impl_(std::make_unique<impl>(in, facts, format, std::move(options))) {}
roster_reader::~roster_reader() = default;
roster_reader::roster_reader(roster_reader&&) noexcept = default;
roster_reader& roster_reader::operator=(roster_reader&&) noexcept = default;

bool roster_reader::next(roster_row& row) {
  if (!impl_->next_text(row)) return false;
  impl_->parse(row, impl_->own);
  return true;
}
bool roster_reader::next_text(roster_row& row) { return impl_->next_text(row); }
void roster_reader::parse(roster_row& row, roster_scratch& scratch) const { impl_->parse(row, *scratch.impl_); }
std::size_t roster_reader::lines_read() const noexcept { return impl_->lines; }
std::size_t roster_reader::bytes_read() const noexcept { return impl_->bytes; }
std::size_t roster_reader::blank_lines() const noexcept { return impl_->blanks; }
const std::vector<std::string>& roster_reader::ignored_columns() const noexcept { return impl_->ignored; }
const std::vector<std::string>& roster_reader::absent_facts() const noexcept { return impl_->absent; }

} // namespace entitle
