#include "roster_bytes.hpp"

#include <entitle/core/error.hpp>

#include <boost/container_hash/hash.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string_view>
#include <system_error>

namespace entitle::detail {
namespace {

// Blocks of the size the roster reader asks for, so that each of its reads is one block.
constexpr std::size_t block_size = 256 * 1024;

[[noreturn]] void failed(const std::string& what, int code) {
  throw error(errc::invalid_syntax, what + ": " + std::strerror(code));
}

std::filesystem::path temporary_directory(const std::string& what) {
  std::error_code problem;
  std::filesystem::path dir = std::filesystem::temp_directory_path(problem);
  if (problem)
    throw error(errc::invalid_syntax, "cannot keep " + what + ": no temporary directory (" + problem.message() + ")");
  return dir;
}

} // namespace

unique_fd::~unique_fd() {
  if (fd_ >= 0) ::close(fd_);
}

unique_fd& unique_fd::operator=(unique_fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

unique_fd anonymous_file(const std::string& what) {
  const std::filesystem::path dir = temporary_directory(what);
#ifdef O_TMPFILE
  if (const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600); fd >= 0) return unique_fd(fd);
#endif
  // No unnamed files here: a named one, unlinked at once.
  std::string name = (dir / "entitle-roster-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) failed("cannot keep " + what + " in " + dir.string(), errno);
  ::unlink(name.c_str());
  return unique_fd(fd);
}

roster_bytes::roster_bytes(int fd, std::string name, int copy)
    : fd_(fd), copy_(copy), name_(std::move(name)), block_(block_size) {
  setg(block_.data(), block_.data(), block_.data());
}

void roster_bytes::fill() {
  std::size_t got = 0;
  while (got < block_.size()) {
    const ssize_t n = ::read(fd_, block_.data() + got, block_.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed("cannot read " + name_, errno);
    if (n == 0) {
      at_end_ = true;
      break;
    }
    got += static_cast<std::size_t>(n);
  }
  for (std::size_t written = 0; copy_ >= 0 && written < got;) {
    const ssize_t n = ::write(copy_, block_.data() + written, got - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed("cannot keep a copy of " + name_ + " in the temporary directory", errno);
    written += static_cast<std::size_t>(n);
  }
  if (got != 0) {
    seen_.size += got;
    boost::hash_combine(seen_.fingerprint, std::hash<std::string_view>{}(std::string_view(block_.data(), got)));
  }
  setg(block_.data(), block_.data(), block_.data() + got);
}

roster_bytes::int_type roster_bytes::underflow() {
  if (gptr() == egptr() && !at_end_) fill();
  return gptr() == egptr() ? traits_type::eof() : traits_type::to_int_type(*gptr());
}

void roster_bytes::drain() {
  while (!at_end_)
    fill();
  setg(block_.data(), block_.data(), block_.data());
}

roster_byte_stream::roster_byte_stream(int fd, std::string name, int copy)
    : std::istream(nullptr), bytes_(fd, std::move(name), copy) {
  rdbuf(&bytes_);
  exceptions(std::ios::badbit); // a failing read throws its own error out of the stream
}

} // namespace entitle::detail
