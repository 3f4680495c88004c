// A file that appears whole or not at all, and whose temporary no kill leaves behind.
#include <entitle/io/atomic_file.hpp>

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace entitle;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("entitle-atomic-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  return out;
}

std::string text_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs `write` in a child process, which it ends by SIGKILL (as `kill -9` ends a run) while its
// file is open.
template <class Write>
void killed_while_writing(Write write) {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    write();
    ::_exit(0); // not reached: `write` kills the process
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
}

} // namespace

TEST_CASE("atomic file: the temporary has no name until it is closed, and the file appears on commit") {
  const fs::path dir = scratch("unnamed");
  {
    atomic_file file(dir / "out.csv");
    file.write("whole\n");
    CHECK(file.temporary_path().empty());
    CHECK(names_in(dir).empty());
    file.close();
    CHECK(file.temporary_path().filename().string().starts_with(".out.csv.entitle-tmp-"));
    CHECK_FALSE(fs::exists(dir / "out.csv"));
    file.commit();
  }
  CHECK(names_in(dir) == std::vector<std::string>{"out.csv"});
  CHECK(text_of(dir / "out.csv") == "whole\n");
  fs::remove_all(dir);
}

TEST_CASE("atomic file: a relative name is written in the working directory") {
  const fs::path dir = scratch("relative");
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  {
    atomic_file file("decisions.csv");
    file.write("id\n");
    file.commit();
  }
  fs::current_path(before);
  CHECK(text_of(dir / "decisions.csv") == "id\n");
  fs::remove_all(dir);
}

TEST_CASE("atomic file: a process killed by SIGKILL while writing leaves no file behind") {
  const fs::path dir = scratch("sigkill");
  killed_while_writing([&] {
    atomic_file file(dir / "out.csv");
    file.write(std::string(1 << 20, 'x'));
    std::raise(SIGKILL);
  });
  CHECK(names_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("atomic file: a named temporary a killed process left is removed by the next file of that name") {
  const fs::path dir = scratch("named");
  killed_while_writing([&] {
    atomic_file file(dir / "out.csv", atomic_file::temporary::named);
    file.write("half");
    std::raise(SIGKILL);
  });
  const auto left = names_in(dir);
  REQUIRE(left.size() == 1);
  CHECK(left.front().starts_with(".out.csv.entitle-tmp-"));
  // Another output's temporaries are not this one's.
  CHECK(remove_stale_temporaries(dir / "other.csv") == 0);
  {
    atomic_file next(dir / "out.csv", atomic_file::temporary::named);
    CHECK(names_in(dir).size() == 1); // its own temporary only: the dead one is gone
    next.write("whole");
    next.commit();
  }
  CHECK(names_in(dir) == std::vector<std::string>{"out.csv"});
  CHECK(text_of(dir / "out.csv") == "whole");
  fs::remove_all(dir);
}

TEST_CASE("atomic file: the temporary of a process still running is kept") {
  const fs::path dir = scratch("running");
  const fs::path mine = dir / (".out.csv.entitle-tmp-" + std::to_string(::getpid()) + "-99");
  std::ofstream(mine) << "being written";
  CHECK(remove_stale_temporaries(dir / "out.csv") == 0);
  CHECK(fs::exists(mine));
  // A name that only looks like one is not touched either.
  std::ofstream(dir / ".out.csv.entitle-tmp-notapid") << "mine";
  CHECK(remove_stale_temporaries(dir / "out.csv") == 0);
  CHECK(names_in(dir).size() == 2);
  fs::remove_all(dir);
}

TEST_CASE("atomic file: destroyed before commit, it leaves nothing, named or not") {
  const fs::path dir = scratch("destroyed");
  for (const auto kind : {atomic_file::temporary::unnamed, atomic_file::temporary::named}) {
    atomic_file file(dir / "out.csv", kind);
    file.write("half");
    file.close();
  }
  CHECK(names_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("atomic file: a directory that is not there is refused with the file's name") {
  CHECK_THROWS_WITH(atomic_file("no-such-directory-here/out.csv"),
                    "cannot write beside no-such-directory-here/out.csv: No such file or directory");
}
