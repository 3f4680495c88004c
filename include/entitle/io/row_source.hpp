#pragma once

#include <entitle/io/roster.hpp>
#include <entitle/rules/record.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <span>
#include <string>

// Where a batch reads its people (docs/batch.md, "Rosters read once"). A batch may read its
// source a second time; every source here gives the second read the same rows as the first, or
// stops with an error: a roster file is checked to be unchanged before it is read again and
// while it is, and a stream that cannot be read twice (standard input, a pipe, a FIFO) is read
// once, its bytes kept in an anonymous temporary file that no other process can change and that
// disappears with the source.
namespace entitle {

/// Where a batch reads its people: a source that can start again from its first row.
class row_source {
public:
  virtual ~row_source() = default;
  /// Starts again from the first row. Before any row has been read, it only goes on from there.
  virtual void rewind() = 0;
  /// Reads the next row into `row`; false at the end.
  virtual bool next(roster_row& row) = 0;
  /// `next` in two steps, so that a batch reads rows in order on one thread and parses them on
  /// all of them: `next_text` reads the next row (its line and text) and `parse` makes its id,
  /// facts and problem. `parse` may run on several threads at once, each with its own `scratch`,
  /// while `next_text` goes on. A source whose rows need no parsing gives them whole from
  /// `next_text`, and its `parse` does nothing.
  virtual bool next_text(roster_row& row) { return next(row); }
  virtual void parse(roster_row& /*row*/, roster_scratch& /*scratch*/) const {}
  /// Blank lines skipped since the last rewind (they are not rows).
  [[nodiscard]] virtual std::size_t blank_lines() const noexcept { return 0; }
  /// The column or key that holds a person's id, named in duplicate-id rejections.
  [[nodiscard]] virtual std::string id_column() const { return "id"; }
  /// About how many rows the source holds, estimated from the rows read since the last rewind;
  /// 0 when it cannot tell. A batch reserves memory by it (and goes on without the reservation
  /// when that much cannot be had), so a wrong estimate costs only time.
  [[nodiscard]] virtual std::size_t size_hint() const { return 0; }
};

/// A roster read from a stream that can be opened again from its first byte: the common part
/// of `roster_file` and `roster_text`. An error that stops the reading (a bad header, a NUL
/// byte, a row past the limit) is located in the roster, its name first: "people.csv: line 3".
class roster_stream : public row_source {
public:
  ~roster_stream() override;
  void rewind() override;
  bool next(roster_row& row) override;
  bool next_text(roster_row& row) override;
  void parse(roster_row& row, roster_scratch& scratch) const override;
  [[nodiscard]] std::size_t blank_lines() const noexcept override;
  [[nodiscard]] std::string id_column() const override { return options_.id_column; }
  /// The roster's size in bytes over the bytes per row read so far.
  [[nodiscard]] std::size_t size_hint() const override;
  /// The reader of the current pass: its ignored columns and absent facts.
  [[nodiscard]] const roster_reader& reader() const noexcept;

protected:
  roster_stream(const schema& facts, roster_format format, roster_options options);
  /// Opens the first pass: reads the header, so that a bad one is reported at once.
  void start();
  /// A stream over the roster from its first byte: the first time, the roster itself; after that,
  /// the same bytes again or an error.
  [[nodiscard]] virtual std::unique_ptr<std::istream> open() = 0;
  /// Called when a pass has read the last row: throws if the bytes were not those of the first pass.
  virtual void finished() {}
  /// What messages call the roster: a file's path, "standard input", or "" for text.
  [[nodiscard]] virtual std::string name() const = 0;
  /// The roster's size in bytes, 0 when unknown.
  [[nodiscard]] virtual std::uintmax_t bytes() const = 0;

private:
  const schema& facts_;
  roster_format format_;
  roster_options options_;
  std::unique_ptr<std::istream> in_;
  std::unique_ptr<roster_reader> reader_;
  roster_scratch scratch_; // of `next`
  std::size_t rows_ = 0;   // read since the last rewind
  bool finished_ = false;  // the last row of this read has been read
};

/// A roster file in CSV or NDJSON (docs/policy-format.md, "Rosters"), or "-" for standard input.
///
/// A regular file is read where it is. Before a second read, and at the end of it, the file is
/// checked to be the one first read: the same file (not another put in its place), size and
/// modification time, and the same bytes (a fingerprint of every block of the first read); if
/// not, the read stops with `errc::invalid_syntax` naming the file. Standard input (even when it
/// is redirected from a file), a FIFO, a pipe or a device is read once: its bytes are copied as they are read into an
/// anonymous file in the temporary directory (`TMPDIR`, else /tmp), which later reads use.
class roster_file : public roster_stream {
public:
  /// Opens `path` at once, so a missing file or a bad header is reported before anything runs.
  roster_file(std::filesystem::path path, const schema& facts, roster_format format, roster_options options = {});
  ~roster_file() override;
  roster_file(const roster_file&) = delete;
  roster_file& operator=(const roster_file&) = delete;

  /// The same roster read under other facts (another policy's: a baseline and its reform): every
  /// read of it is a read again of this one, checked as they are (the same file, size, modification
  /// time and bytes as this one's first read), and a stream read once is read from its copy. It is
  /// opened, and its header read, at its first `rewind` (a batch's run starts with one), so this one
  /// can be read to its end first; the two are read one after the other, not at once, and its
  /// `reader()` is there once it has been opened. It may outlive this one.
  [[nodiscard]] std::unique_ptr<roster_file> under(const schema& facts, roster_format format,
                                                   roster_options options = {}) const;

private:
  struct state;
  roster_file(const roster_file& same, const schema& facts, roster_format format, roster_options options);
  [[nodiscard]] std::unique_ptr<std::istream> open() override;
  void finished() override;
  [[nodiscard]] std::string name() const override;
  [[nodiscard]] std::uintmax_t bytes() const override;
  std::filesystem::path path_;
  std::shared_ptr<state> state_;
};

/// A roster held in memory: a test fixture, an embedded sample, a download.
class roster_text : public roster_stream {
public:
  roster_text(std::string text, const schema& facts, roster_format format, roster_options options = {});

private:
  [[nodiscard]] std::unique_ptr<std::istream> open() override;
  [[nodiscard]] std::string name() const override { return {}; }
  [[nodiscard]] std::uintmax_t bytes() const override { return text_.size(); }
  std::string text_;
};

/// People the application already holds as records: each an id and its facts.
class record_rows : public row_source {
public:
  struct entry {
    std::string id;
    record facts;
  };
  explicit record_rows(std::span<const entry> people) : people_(people) {}
  void rewind() override { next_ = 0; }
  [[nodiscard]] std::size_t size_hint() const override { return people_.size(); }
  bool next(roster_row& row) override {
    if (next_ == people_.size()) return false;
    const entry& e = people_[next_++];
    row.line = next_;
    row.id = e.id;
    row.facts = e.facts;
    row.problem.reset();
    row.text.clear();
    return true;
  }

private:
  std::span<const entry> people_;
  std::size_t next_ = 0;
};

} // namespace entitle
