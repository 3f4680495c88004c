// The roster sources of a batch: files and in-memory text in CSV or NDJSON.
#include <entitle/io/batch.hpp>

#include <fstream>
#include <sstream>

namespace entitle {

roster_stream::roster_stream(const schema& facts, roster_format format, roster_options options)
    : facts_(facts), format_(format), options_(std::move(options)) {}

roster_stream::~roster_stream() = default;

void roster_stream::rewind() {
  auto in = open();
  const std::string here = name();
  if (!*in) throw error(errc::invalid_syntax, "cannot open the roster " + here);
  try {
    reader_ = std::make_unique<roster_reader>(*in, facts_, format_, options_);
  } catch (const error& e) {
    failure f = e.details();
    if (!here.empty()) f.message = here + ": " + f.message;
    throw error(std::move(f));
  }
  in_ = std::move(in); // the reader keeps a reference to the stream, which moving the pointer keeps
  rows_ = 0;
}

bool roster_stream::next(roster_row& row) {
  if (reader_->next(row)) {
    ++rows_;
    return true;
  }
  if (in_->bad()) throw error(errc::invalid_syntax, "cannot read the roster " + name());
  return false;
}

std::size_t roster_stream::blank_lines() const noexcept { return reader_->blank_lines(); }

std::size_t roster_stream::size_hint() const {
  const std::size_t read = reader_->bytes_read();
  if (rows_ == 0 || read == 0) return 0;
  const std::uintmax_t estimate = bytes() / ((read + rows_ - 1) / rows_); // bytes a row, rounded up
  return estimate < std::numeric_limits<std::uint32_t>::max() ? static_cast<std::size_t>(estimate) + 1 : 0;
}
const roster_reader& roster_stream::reader() const noexcept { return *reader_; }

roster_file::roster_file(std::filesystem::path path, const schema& facts, roster_format format, roster_options options)
    : roster_stream(facts, format, std::move(options)), path_(std::move(path)) {
  rewind();
}

std::uintmax_t roster_file::bytes() const {
  std::error_code unknown;
  const std::uintmax_t size = std::filesystem::file_size(path_, unknown);
  return unknown ? 0 : size;
}

std::unique_ptr<std::istream> roster_file::open() const {
  if (std::filesystem::is_directory(path_))
    throw error(errc::invalid_syntax, "the roster " + path_.string() + " is a directory, not a file");
  return std::make_unique<std::ifstream>(path_, std::ios::binary);
}

roster_text::roster_text(std::string text, const schema& facts, roster_format format, roster_options options)
    : roster_stream(facts, format, std::move(options)), text_(std::move(text)) {
  rewind();
}

std::unique_ptr<std::istream> roster_text::open() const { return std::make_unique<std::istringstream>(text_); }

} // namespace entitle
