#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

namespace entitle {

/// A file that appears whole or not at all: written to a temporary file beside `path` and renamed
/// over it by `commit`; if it is destroyed before that, the temporary file is removed, and one
/// that a killed process could not remove is never seen or is removed by the next run.
class atomic_file {
public:
  /// Where the text is kept until `close`.
  enum class temporary : unsigned char {
    /// A file without a name (Linux `O_TMPFILE`), which no kill, not even SIGKILL, leaves behind;
    /// where the file system has none, `named`.
    unnamed,
    /// A hidden file beside `path`, ".<name>.entitle-tmp-<pid>-<n>", which the next `atomic_file`
    /// for `path` removes once the process `<pid>` has ended.
    named,
  };

  /// Errors: the directory of `path` is not there or cannot be written.
  explicit atomic_file(std::filesystem::path path, temporary kind = temporary::unnamed);
  ~atomic_file();
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  /// Appends `text`; throws when the disk refuses.
  void write(std::string_view text);
  /// Closes the temporary file, giving it its hidden name; throws when the disk refuses. Closing
  /// every file of a run before committing any keeps a failure from leaving some behind.
  void close();
  /// Closes (when not yet closed) and renames the temporary file over `path`.
  void commit();
  /// The temporary file's name, empty while it has none: for a signal handler that must remove it.
  [[nodiscard]] const std::filesystem::path& temporary_path() const noexcept;

private:
  struct state;
  std::unique_ptr<state> state_;
};

/// Removes the temporary files of `path` that `atomic_file`s of processes that have ended left
/// behind (killed before they could remove them); returns how many. Each `atomic_file` does this
/// for its own `path` when it is made.
std::size_t remove_stale_temporaries(const std::filesystem::path& path);

} // namespace entitle
