// The roster sources of a batch: files, standard input and in-memory text in CSV or NDJSON, each
// giving every read the same rows (include/entitle/io/row_source.hpp).
#include <entitle/io/row_source.hpp>

#include "roster_bytes.hpp"

#include <entitle/core/error.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>

namespace entitle {

// ---- roster_stream ---------------------------------------------------------------------------

roster_stream::roster_stream(const schema& facts, roster_format format, roster_options options)
    : facts_(facts), format_(format), options_(std::move(options)) {}

roster_stream::~roster_stream() = default;

namespace {

// `e` located in the roster `here`, as every roster error is: "people.csv: line 3".
[[noreturn]] void located_in(const std::string& here, const error& e) {
  failure f = e.details();
  if (!here.empty()) f.location = f.location.empty() ? here : here + ": " + f.location;
  throw error(std::move(f));
}

} // namespace

void roster_stream::start() {
  auto in = open();
  try {
    reader_ = std::make_unique<roster_reader>(*in, facts_, format_, options_);
  } catch (const error& e) {
    located_in(name(), e);
  }
  in_ = std::move(in); // the reader keeps a reference to the stream, which moving the pointer keeps
  rows_ = 0;
}

void roster_stream::rewind() {
  // Nothing read since the header: go on from here, so that a stream is not opened twice.
  if (reader_ && rows_ == 0 && reader_->blank_lines() == 0 && !finished_) return;
  finished_ = false;
  start();
}

bool roster_stream::next(roster_row& row) {
  if (!next_text(row)) return false;
  reader_->parse(row, scratch_);
  return true;
}

void roster_stream::parse(roster_row& row, roster_scratch& scratch) const { reader_->parse(row, scratch); }

bool roster_stream::next_text(roster_row& row) {
  if (!reader_) start(); // a roster opened at its first read (`roster_file::under`)
  bool read = false;
  try {
    read = reader_->next_text(row);
  } catch (const error& e) {
    // The reader's errors are at a line (a NUL byte, a row past the limit); a failing read names
    // the roster itself.
    if (e.details().location.empty()) throw;
    located_in(name(), e);
  }
  if (read) {
    ++rows_;
    return true;
  }
  if (in_->bad()) throw error(errc::invalid_syntax, "cannot read the roster " + name());
  if (!finished_) {
    finished_ = true;
    finished();
  }
  return false;
}

std::size_t roster_stream::blank_lines() const noexcept { return reader_ ? reader_->blank_lines() : 0; }

std::size_t roster_stream::size_hint() const {
  if (!reader_) return 0;
  const std::size_t read = reader_->bytes_read();
  if (rows_ == 0 || read == 0) return 0;
  const std::uintmax_t estimate = bytes() / ((read + rows_ - 1) / rows_); // bytes a row, rounded up
  return estimate < std::numeric_limits<std::uint32_t>::max() ? static_cast<std::size_t>(estimate) + 1 : 0;
}

const roster_reader& roster_stream::reader() const noexcept { return *reader_; }

// ---- roster_file -----------------------------------------------------------------------------

// A roster file and what its first read saw.
struct roster_file::state {
  std::string name;
  detail::unique_fd file;                  // the roster, or the copy of a stream once the first read has begun
  detail::unique_fd stream;                // a stream being copied to `file`
  bool copied = false;                     // `file` is the copy of a stream
  struct stat first {};                    // a regular file when opened
  std::optional<detail::bytes_seen> seen;  // by the first read, once it has reached the end
  detail::roster_bytes* current = nullptr; // the bytes of the read in progress
  const roster_file* reading = nullptr;    // whose stream `current` is in (`under` shares the state)
  unsigned reads = 0;

  void open_first(const std::filesystem::path& path);
  [[nodiscard]] std::unique_ptr<std::istream> first_read();
  [[nodiscard]] std::unique_ptr<std::istream> read_again(const std::filesystem::path& path);
  void check_same(const std::filesystem::path& path) const;
  void check_bytes(const detail::bytes_seen& now) const;
  [[noreturn]] void changed(const std::string& how) const;
};

namespace {

[[noreturn]] void cannot(const std::string& what, int code) {
  throw error(errc::invalid_syntax, what + ": " + std::strerror(code));
}

bool same_time(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

void seek_start(int fd, const std::string& name) {
  if (::lseek(fd, 0, SEEK_SET) != 0) cannot("cannot read " + name + " again", errno);
}

} // namespace

void roster_file::state::open_first(const std::filesystem::path& path) {
  const bool standard_input = path == "-";
  name = standard_input ? std::string("standard input") : path.string();
  const int fd = standard_input ? ::dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) cannot("cannot open the roster " + name, errno);
  detail::unique_fd opened(fd);
  if (::fstat(fd, &first) != 0) cannot("cannot open the roster " + name, errno);
  if (S_ISDIR(first.st_mode)) throw error(errc::invalid_syntax, "the roster " + name + " is a directory, not a file");
  if (S_ISREG(first.st_mode) && !standard_input) {
    file = std::move(opened);
    return;
  }
  // A stream (standard input even when it is a file: it may not start at the file's first byte,
  // and has no path to check): read once, kept in a file of our own.
  stream = std::move(opened);
  file = detail::anonymous_file("a copy of the roster " + name);
  copied = true;
}

std::unique_ptr<std::istream> roster_file::state::first_read() {
  auto in =
      std::make_unique<detail::roster_byte_stream>(copied ? stream.get() : file.get(), name, copied ? file.get() : -1);
  current = &in->bytes();
  return in;
}

std::unique_ptr<std::istream> roster_file::state::read_again(const std::filesystem::path& path) {
  if (!seen) { // the first read stopped early: take in the rest of it, as it was then
    if (!current)
      throw error(errc::invalid_syntax,
                  "cannot read the roster " + name + " again: the reader that first read it was closed before its end");
    current->drain();
    seen = current->seen();
  }
  stream = {};
  if (!copied) {
    check_same(path);
    seek_start(file.get(), name);
    detail::roster_bytes check(file.get(), name);
    check.drain();
    check_bytes(check.seen());
  }
  seek_start(file.get(), name);
  auto in = std::make_unique<detail::roster_byte_stream>(file.get(), name);
  current = &in->bytes();
  return in;
}

void roster_file::state::check_same(const std::filesystem::path& path) const {
  struct stat now {};
  if (::stat(path.c_str(), &now) != 0) changed("it is no longer there");
  if (now.st_dev != first.st_dev || now.st_ino != first.st_ino) changed("another file has taken its place");
  if (::fstat(file.get(), &now) != 0) cannot("cannot read " + name + " again", errno);
  if (now.st_size != first.st_size || !same_time(now.st_mtim, first.st_mtim))
    changed("its size or modification time is not what it was");
}

void roster_file::state::check_bytes(const detail::bytes_seen& now) const {
  if (now != *seen) changed("its contents are not what they were");
}

void roster_file::state::changed(const std::string& how) const {
  throw error(errc::invalid_syntax, "the roster " + name + " changed after it was first read (" + how +
                                        "): a roster is read a second time when its people are too many to keep "
                                        "in memory, and both reads must see the same rows; run again once the file "
                                        "no longer changes");
}

roster_file::roster_file(std::filesystem::path path, const schema& facts, roster_format format, roster_options options)
    : roster_stream(facts, format, std::move(options)), path_(std::move(path)), state_(std::make_shared<state>()) {
  state_->open_first(path_);
  start();
}

// Opened at its first rewind, so that `same` can be read to its end first.
roster_file::roster_file(const roster_file& same, const schema& facts, roster_format format, roster_options options)
    : roster_stream(facts, format, std::move(options)), path_(same.path_), state_(same.state_) {}

std::unique_ptr<roster_file> roster_file::under(const schema& facts, roster_format format,
                                                roster_options options) const {
  return std::unique_ptr<roster_file>(new roster_file(*this, facts, format, std::move(options)));
}

// A reader sharing the state (`under`) may read after this one is gone: what this one's first read
// saw is taken in whole first, while its stream still lives.
roster_file::~roster_file() {
  if (!state_ || state_->reading != this) return;
  if (!state_->seen && state_.use_count() > 1) {
    try {
      state_->current->drain();
      state_->seen = state_->current->seen();
    } catch (const error&) { // the other reader's read then says it cannot read again
    }
  }
  state_->current = nullptr;
  state_->reading = nullptr;
}

std::unique_ptr<std::istream> roster_file::open() {
  auto in = state_->reads++ == 0 ? state_->first_read() : state_->read_again(path_);
  state_->reading = this;
  return in;
}

void roster_file::finished() {
  if (!state_->seen) {
    state_->seen = state_->current->seen();
    state_->stream = {};
  } else if (!state_->copied) {
    state_->check_bytes(state_->current->seen());
  }
}

std::string roster_file::name() const { return state_->name; }

std::uintmax_t roster_file::bytes() const {
  if (!state_->copied) return static_cast<std::uintmax_t>(state_->first.st_size);
  return state_->seen ? state_->seen->size : 0;
}

// ---- roster_text -----------------------------------------------------------------------------

roster_text::roster_text(std::string text, const schema& facts, roster_format format, roster_options options)
    : roster_stream(facts, format, std::move(options)), text_(std::move(text)) {
  start();
}

std::unique_ptr<std::istream> roster_text::open() { return std::make_unique<std::istringstream>(text_); }

} // namespace entitle
