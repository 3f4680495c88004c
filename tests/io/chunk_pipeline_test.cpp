// The batch's pipeline (src/io/chunk_pipeline.hpp): chunks read in order, worked on by every
// thread, recorded in order; what each thread owns is never used by two chunks at once; the first
// failure in roster order is the one reported.
#include "chunk_pipeline.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// A roster of `total` rows read `per_chunk` at a time: each buffer holds the rows' numbers.
struct fake_roster {
  fake_roster(std::size_t total, std::size_t per_chunk) : total(total), per_chunk(per_chunk) {}
  std::size_t total;
  std::size_t per_chunk;
  std::size_t next = 0;
  std::vector<std::size_t> buffers[2];
  std::size_t read(unsigned b) {
    buffers[b].clear();
    while (next < total && buffers[b].size() < per_chunk)
      buffers[b].push_back(next++);
    return buffers[b].size();
  }
};

} // namespace

TEST_CASE("pipeline: every row is worked once and recorded in roster order, on any number of threads") {
  for (const unsigned threads : {1U, 2U, 3U, 4U}) {
    for (const std::size_t per_chunk : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{1000}}) {
      CAPTURE(threads);
      CAPTURE(per_chunk);
      fake_roster roster{2'500, per_chunk};
      std::vector<std::atomic<int>> worked(2'500);
      std::vector<std::atomic<int>> slot_in_use(2 * threads);
      std::atomic<bool> shared_slot{false}, wrong_slot{false};
      std::vector<std::size_t> recorded;
      std::size_t betweens = 0;
      entitle::detail::pipeline(
          threads, [&](unsigned b) { return roster.read(b); },
          [&](unsigned b, std::size_t begin, std::size_t end, unsigned slot) {
            if (slot / threads != b) wrong_slot = true;
            if (slot_in_use[slot].fetch_add(1) != 0) shared_slot = true;
            for (std::size_t i = begin; i < end; ++i)
              ++worked[roster.buffers[b][i]];
            --slot_in_use[slot];
          },
          [&](unsigned b, std::size_t n) {
            REQUIRE(n == roster.buffers[b].size());
            for (std::size_t i = 0; i < n; ++i)
              recorded.push_back(roster.buffers[b][i]);
          },
          [&] { ++betweens; });
      CHECK_FALSE(wrong_slot);
      CHECK_FALSE(shared_slot);
      CHECK(betweens == (2'500 + per_chunk - 1) / per_chunk); // once after each chunk
      REQUIRE(recorded.size() == 2'500);
      bool in_order = true, once = true;
      for (std::size_t i = 0; i < recorded.size(); ++i) {
        in_order = in_order && recorded[i] == i;
        once = once && worked[i] == 1;
      }
      CHECK(in_order);
      CHECK(once);
    }
  }
}

TEST_CASE("pipeline: an empty roster reads once and records nothing") {
  std::size_t reads = 0, work = 0, records = 0;
  entitle::detail::pipeline(
      2, [&](unsigned) { return ++reads, std::size_t{0}; },
      [&](unsigned, std::size_t, std::size_t, unsigned) { ++work; }, [&](unsigned, std::size_t) { ++records; }, [] {});
  CHECK(reads == 1);
  CHECK(work == 0);
  CHECK(records == 0);
}

TEST_CASE("pipeline: the first failure in roster order is the one reported") {
  // Chunks of 1,000 rows: chunk 1 is rows 1,000 to 1,999, and so on. While chunk k is worked on,
  // chunk k - 1 is recorded and chunk k + 1 read.
  auto run = [](unsigned threads, std::size_t fail_work_at, std::size_t fail_record_chunk,
                std::size_t fail_read_chunk) {
    fake_roster roster{10'000, 1'000};
    std::size_t chunks_read = 0;
    std::size_t chunks_recorded = 0;
    std::string what;
    try {
      entitle::detail::pipeline(
          threads,
          [&](unsigned b) {
            if (chunks_read++ == fail_read_chunk) throw std::runtime_error("read");
            return roster.read(b);
          },
          [&](unsigned b, std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t i = begin; i < end; ++i)
              if (roster.buffers[b][i] == fail_work_at || roster.buffers[b][i] == fail_work_at + 500)
                throw std::runtime_error("work " + std::to_string(roster.buffers[b][i]));
          },
          [&](unsigned, std::size_t) {
            if (chunks_recorded++ == fail_record_chunk) throw std::runtime_error("record");
          },
          [] {});
    } catch (const std::runtime_error& e) {
      what = e.what();
    }
    return what;
  };
  const std::size_t never = 1'000'000;
  for (const unsigned threads : {1U, 2U, 3U}) {
    CAPTURE(threads);
    CHECK(run(threads, never, never, never).empty());
    // Rows 2,100 and 2,600 both fail: 2,100 comes first, whichever thread reached it.
    CHECK(run(threads, 2'100, never, never) == "work 2100");
    // Chunk 1 is recorded while chunk 2 is worked on and chunk 3 read: the record comes first.
    CHECK(run(threads, 2'100, 1, 3) == "record");
    // Chunk 3 is read while chunk 2 is worked on: chunk 2's rows come first.
    CHECK(run(threads, 2'100, never, 3) == "work 2100");
    CHECK(run(threads, never, never, 3) == "read");
  }
}
