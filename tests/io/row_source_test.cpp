// Roster sources read twice give the same rows or stop: a file changed between the reads is
// refused, a FIFO or standard input is read once (include/entitle/io/row_source.hpp).
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include <doctest/doctest.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>

using namespace entitle;

namespace {

namespace fs = std::filesystem;
const fs::path fixtures = fs::path(ENTITLE_TEST_DATA) / "batch";

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

compiled_policy quota_policy() {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  return compiled_policy(library.get(library.add_file(fixtures / "oku-quota-3.json")));
}

// With no memory to keep rows in, every batch reads its roster twice.
batch_options read_twice() {
  batch_options options{.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)};
  options.read_once_memory = 0;
  return options;
}

// The decisions CSV of a run.
std::string decisions(const batch& b, row_source& source) {
  std::string out = output_header(b, output_format::csv);
  b.run(source, [&](const batch_row& row) { append_row(out, b, row, output_format::csv); });
  return out;
}

// A source that does something to the roster file just before the batch's second read.
class tampered : public row_source {
public:
  tampered(row_source& inner, std::function<void()> act) : inner_(inner), act_(std::move(act)) {}
  void rewind() override {
    if (rewinds_++ == 1) act_(); // the batch's first rewind opens the first read
    inner_.rewind();
  }
  bool next(roster_row& row) override { return inner_.next(row); }
  [[nodiscard]] std::string id_column() const override { return inner_.id_column(); }

private:
  row_source& inner_;
  std::function<void()> act_;
  unsigned rewinds_ = 0;
};

struct scratch {
  fs::path dir = fs::temp_directory_path() / ("entitle-row-source-" + std::to_string(::getpid()));
  scratch() { fs::create_directories(dir); }
  ~scratch() { fs::remove_all(dir); }
};

} // namespace

TEST_CASE("a roster file read twice gives the rows of a roster read once") {
  const compiled_policy policy = quota_policy();
  const batch twice(policy, read_twice());
  batch_options keep = read_twice();
  keep.read_once_memory = batch_options{}.read_once_memory;
  const batch once(policy, keep);
  roster_file file(fixtures / "oku-small.csv", policy.facts(), roster_format::csv);
  roster_text text(file_text(fixtures / "oku-small.csv"), policy.facts(), roster_format::csv);
  const std::string expected = decisions(once, text);
  CHECK(expected.size() > 200); // nine people decided
  CHECK(decisions(twice, file) == expected);
  CHECK(decisions(twice, file) == expected); // and again: the file is unchanged
}

TEST_CASE("a roster file changed between two reads is refused") {
  const compiled_policy policy = quota_policy();
  const batch b(policy, read_twice());
  const scratch tmp;
  const fs::path path = tmp.dir / "people.csv";
  const std::string original = file_text(fixtures / "oku-small.csv");
  write_file(path, original);
  roster_file file(path, policy.facts(), roster_format::csv);

  SUBCASE("another file put in its place") {
    tampered source(file, [&] {
      write_file(tmp.dir / "new.csv", original);
      fs::rename(tmp.dir / "new.csv", path);
    });
    CHECK_THROWS_WITH(decisions(b, source), doctest::Contains("changed after it was first read (another file has "
                                                              "taken its place)"));
  }
  SUBCASE("the same file rewritten, grown") {
    tampered source(file, [&] { std::ofstream(path, std::ios::binary | std::ios::app) << "A99,x,x,x,x,x,x,x,x\n"; });
    CHECK_THROWS_WITH(decisions(b, source), doctest::Contains("its size or modification time is not what it was"));
  }
  SUBCASE("the same file rewritten with the same size and modification time") {
    struct stat before {};
    REQUIRE(::stat(path.c_str(), &before) == 0);
    tampered source(file, [&] {
      std::string changed = original;
      changed[changed.find("1970-01-01")] = '2'; // 2970: A2 is no longer 54 years old
      const int fd = ::open(path.c_str(), O_WRONLY);
      REQUIRE(fd >= 0);
      REQUIRE(::pwrite(fd, changed.data(), changed.size(), 0) == static_cast<ssize_t>(changed.size()));
      const timespec times[2] = {before.st_atim, before.st_mtim};
      REQUIRE(::futimens(fd, times) == 0);
      ::close(fd);
    });
    CHECK_THROWS_WITH(decisions(b, source), doctest::Contains("its contents are not what they were"));
  }
}

TEST_CASE("a FIFO roster is read once, whatever the batch reads again") {
  const compiled_policy policy = quota_policy();
  const scratch tmp;
  const fs::path fifo = tmp.dir / "people.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string text = file_text(fixtures / "oku-small.csv");
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; }); // one writer, one pass
  roster_file piped(fifo, policy.facts(), roster_format::csv);
  const batch twice(policy, read_twice());
  const std::string got = decisions(twice, piped);
  writer.join();
  roster_text same(text, policy.facts(), roster_format::csv);
  CHECK(got == decisions(twice, same));
  CHECK(got.find("A4,") != std::string::npos); // the rows come from the start, not the middle
}

// Issue 14: every limit holds on any stream, a FIFO included. A valid header, then a line that
// never ends, as `(printf 'id,nik\n'; tr '\0' a < /dev/zero) > people.fifo` writes: the read stops
// once the row is past the row limit, with an error naming the FIFO, the line and the limit
// (docs/reliability.md, "Limits"), without reading the rest. The writer gives up after 8 MiB, so
// that a reader reading on to the end of the line fails here instead of hanging.
TEST_CASE("a FIFO roster whose line never ends stops at the row limit, naming the roster and the line") {
  const compiled_policy policy = quota_policy();
  const scratch tmp;
  const fs::path fifo = tmp.dir / "people.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  constexpr std::size_t most = 8 << 20;
  std::atomic<std::size_t> written{0};
  std::thread writer([&] {
    // A reader that stops early makes writes fail with EPIPE; SIGPIPE would end the tests.
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    const std::string header = "id,nik\n";
    const std::string letters(64 * 1024, 'a');
    bool open = ::write(fd, header.data(), header.size()) == static_cast<ssize_t>(header.size());
    while (open && written < most) {
      const ssize_t n = ::write(fd, letters.data(), letters.size());
      open = n > 0;
      if (open) written += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
  roster_options options;
  options.max_row_bytes = 64 * 1024;
  std::string message = "no failure";
  try {
    roster_file piped(fifo, policy.facts(), roster_format::csv, options);
    const batch b(policy, read_twice());
    (void)decisions(b, piped);
  } catch (const error& e) {
    message = e.what();
  }
  writer.join();
  CHECK(message == fifo.string() + ": line 2: expected at most 65536 bytes in a row, found more");
  CHECK(written < most / 2); // the reader's first block or two, and what the FIFO holds
}

// Issue 14: a NUL byte in a row stops the read located as the roster's other errors are, the file
// first: "people.csv: line 3: ...", as docs/cli.md shows for a header. The corpus's
// batch-nul-in-row.csv, read as a file: its NUL is the 11th byte of line 3 (tests/data/malformed/cases.json).
TEST_CASE("a roster file's errors name the file, then the line") {
  const compiled_policy policy = quota_policy();
  const fs::path nul = fs::path(ENTITLE_TEST_DATA) / "malformed" / "batch-nul-in-row.csv";
  roster_file file(nul, policy.facts(), roster_format::csv);
  roster_row row;
  REQUIRE(file.next(row)); // P001, on line 2
  const std::string expected = nul.string() + ": line 3: found a NUL byte (0x00) at column 11: a roster is text, "
                                              "and this one is not (a binary file, or UTF-16); save it as CSV UTF-8";
  CHECK_THROWS_WITH(file.next(row), expected.c_str());

  const scratch tmp;
  const fs::path no_id = tmp.dir / "no-id.csv";
  write_file(no_id, "nik\n1\n");
  CHECK_THROWS_WITH([&] { roster_file refused(no_id, policy.facts(), roster_format::csv); }(),
                    (no_id.string() + ": line 1: expected a column named \"id\" for the person's id, found the "
                                      "columns \"nik\"")
                        .c_str());
}
