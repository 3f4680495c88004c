#include <entitle/io/atomic_file.hpp>

#include <entitle/core/error.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

namespace entitle {
namespace {

std::filesystem::path directory_of(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

// ".<name>.entitle-tmp-": what every temporary of `path` is called, before "<pid>-<n>".
std::string temporary_prefix(const std::filesystem::path& path) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) about "." + std::string.
  std::string prefix(".");
  prefix += path.filename().string();
  prefix += ".entitle-tmp-";
  return prefix;
}

[[noreturn]] void refused(const std::string& what, const std::filesystem::path& path, int code) {
  throw error(errc::invalid_syntax, what + " " + path.string() + ": " + std::strerror(code));
}

// A new hidden name beside `path`: ".<name>.entitle-tmp-<pid>-<n>".
std::filesystem::path temporary_name(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  return directory_of(path) /
         (temporary_prefix(path) + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)));
}

// Opens a new hidden temporary beside `path`; its name is set in `name`.
int open_named(const std::filesystem::path& path, std::filesystem::path& name) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = temporary_name(path);
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) refused("cannot write beside", path, errno);
  }
  refused("cannot write beside", path, EEXIST);
}

// Opens a file without a name in the directory of `path`, or returns -1 where the system or the
// file system has none (or /proc, through which it is given a name, is not mounted).
int open_unnamed(const std::filesystem::path& path) {
#ifdef O_TMPFILE
  if (::access("/proc/self/fd", X_OK) != 0) return -1;
  return ::open(directory_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
#else
  (void)path;
  return -1;
#endif
}

// Gives the unnamed file `fd` a new hidden name beside `path`, set in `name`.
void link_unnamed(int fd, const std::filesystem::path& path, std::filesystem::path& name) {
  char self[64];
  std::snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = temporary_name(path);
    if (::linkat(AT_FDCWD, self, AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) return;
    if (errno != EEXIST) break;
  }
  name.clear();
  refused("cannot write", path, errno);
}

} // namespace

struct atomic_file::state {
  std::filesystem::path path;
  std::filesystem::path temporary; // empty while the file has no name
  int fd = -1;
  bool committed = false;
};

atomic_file::atomic_file(std::filesystem::path path, temporary kind) : state_(std::make_unique<state>()) {
  state_->path = std::move(path);
  (void)remove_stale_temporaries(state_->path);
  if (kind == temporary::unnamed) state_->fd = open_unnamed(state_->path);
  if (state_->fd < 0) state_->fd = open_named(state_->path, state_->temporary);
}

atomic_file::~atomic_file() {
  if (!state_ || state_->committed) return;
  if (state_->fd >= 0) ::close(state_->fd);
  if (!state_->temporary.empty()) ::unlink(state_->temporary.c_str());
}

void atomic_file::write(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(state_->fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) refused("cannot write", state_->path, errno);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void atomic_file::close() {
  if (state_->fd < 0) return;
  if (state_->temporary.empty()) {
    // The unnamed file gets its hidden name now, as it must to be renamed over `path`: a kill
    // from here to the commit leaves it for the next run to remove.
    link_unnamed(state_->fd, state_->path, state_->temporary);
  }
  const int fd = std::exchange(state_->fd, -1);
  if (::close(fd) != 0) refused("cannot write", state_->path, errno);
}

const std::filesystem::path& atomic_file::temporary_path() const noexcept { return state_->temporary; }

void atomic_file::commit() {
  close();
  if (::rename(state_->temporary.c_str(), state_->path.c_str()) != 0) refused("cannot write", state_->path, errno);
  state_->committed = true;
}

std::size_t remove_stale_temporaries(const std::filesystem::path& path) {
  const std::string prefix = temporary_prefix(path);
  std::size_t removed = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory_of(path), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const char* digits = name.data() + prefix.size();
    long pid = 0;
    const auto [rest, problem] = std::from_chars(digits, name.data() + name.size(), pid);
    if (problem != std::errc{} || rest == digits || *rest != '-' || pid <= 0) continue;
    // Only a process that has ended: a run writing the same file now keeps its temporary.
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    if (::unlink(it->path().c_str()) == 0) ++removed;
  }
  return removed;
}

} // namespace entitle
