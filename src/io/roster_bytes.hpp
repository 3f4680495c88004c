// The bytes of a roster file as read (internal to the io layer): a stream buffer over a file
// descriptor that reads in whole blocks, fingerprints them, and can copy them to another file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

namespace entitle::detail {

/// A file descriptor that is closed when destroyed.
class unique_fd {
public:
  unique_fd() = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  ~unique_fd();
  unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& other) noexcept;
  [[nodiscard]] int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }

private:
  int fd_ = -1;
};

/// A file with no name in the temporary directory (`TMPDIR`, else /tmp), gone when closed;
/// throws naming the directory when none can be made. `what` says what it is for, in messages.
[[nodiscard]] unique_fd anonymous_file(const std::string& what);

/// What was read of a file: its bytes' count and a fingerprint of their blocks.
struct bytes_seen {
  std::uintmax_t size = 0;
  std::uint64_t fingerprint = 0;
  friend bool operator==(const bytes_seen&, const bytes_seen&) = default;
};

/// Reads `fd` from where it stands, in blocks that are full except the last (so two reads of the
/// same bytes see the same blocks and the same fingerprint). With `copy`, every block is also
/// written there. A failing read or write throws `entitle::error` naming `name`.
class roster_bytes : public std::streambuf {
public:
  roster_bytes(int fd, std::string name, int copy = -1);
  /// What has been read so far.
  [[nodiscard]] const bytes_seen& seen() const noexcept { return seen_; }
  /// True once the end of the file has been read.
  [[nodiscard]] bool at_end() const noexcept { return at_end_; }
  /// Reads (and copies) the rest of the file, not handing it out.
  void drain();

protected:
  int_type underflow() override;

private:
  void fill();
  int fd_;
  int copy_;
  std::string name_;
  std::vector<char> block_;
  bytes_seen seen_;
  bool at_end_ = false;
};

/// An input stream over a `roster_bytes`, which it owns; a failing read throws out of it.
class roster_byte_stream : public std::istream {
public:
  roster_byte_stream(int fd, std::string name, int copy = -1);
  [[nodiscard]] roster_bytes& bytes() noexcept { return bytes_; }

private:
  roster_bytes bytes_;
};

} // namespace entitle::detail
