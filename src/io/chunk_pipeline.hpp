#pragma once

// How a batch goes through a roster on several threads (docs/design.md, "The batch reads, works
// and records in a pipeline"): rows are read in chunks, in order, on the calling thread, which
// also records each chunk's results in order; the work on a chunk's rows (parsing, deciding,
// costing) is shared by every thread. While one chunk is worked on, the calling thread records
// the chunk before it and reads the one after it, then joins in the work, so that the parts that
// must stay in roster order overlap with the parts that need not.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace entitle::detail {

/// Runs a pipeline over two chunk buffers (0 and 1):
/// - `read(b)` reads the next chunk into buffer `b` and returns its row count, 0 at the end;
/// - `work(b, begin, end, slot)` works on rows [begin, end) of buffer `b`; `slot` is
///   `b * threads + t` for thread `t`, so that what a slot owns is used by one thread on one
///   chunk at a time, never while the calling thread records the other chunk;
/// - `record(b, n)` records the `n` worked rows of buffer `b`, in roster order;
/// - `between()` runs after each chunk's work, when no other thread is running.
/// Every chunk is recorded in the order read. The first exception in roster order is rethrown
/// (a recorded chunk's before the work on the next, that before the read after it), once every
/// thread has stopped.
template <class Read, class Work, class Record, class Between>
void pipeline(unsigned threads, Read&& read, Work&& work, Record&& record, Between&& between) {
  constexpr std::size_t block = 64; // rows a thread takes at a time
  std::size_t rows[2] = {read(0), 0};
  unsigned current = 0;
  bool pending = false; // the other buffer holds a worked chunk not yet recorded
  while (rows[current] != 0) {
    const unsigned other = 1 - current;
    const std::size_t n = rows[current];
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> failed(threads);
    std::vector<std::size_t> failed_at(threads, n); // the block each thread failed in
    auto share = [&](unsigned t) {
      std::size_t begin = next.fetch_add(block);
      try {
        for (; begin < n; begin = next.fetch_add(block))
          work(current, begin, std::min(n, begin + block), current * threads + t);
      } catch (...) {
        failed[t] = std::current_exception();
        failed_at[t] = begin;
        next = n; // the others stop at their next block
      }
    };
    std::exception_ptr recording, reading;
    {
      std::vector<std::jthread> pool;
      for (unsigned t = 1; t < threads && n > block * t; ++t)
        pool.emplace_back(share, t);
      try {
        if (pending) record(other, rows[other]);
      } catch (...) {
        recording = std::current_exception();
      }
      if (!recording) {
        try {
          rows[other] = read(other);
        } catch (...) {
          reading = std::current_exception();
        }
      }
      share(0);
    } // the pool joins here
    if (recording) std::rethrow_exception(recording);
    if (const auto first = std::min_element(failed_at.begin(), failed_at.end()); *first != n)
      std::rethrow_exception(failed[static_cast<std::size_t>(first - failed_at.begin())]);
    if (reading) std::rethrow_exception(reading);
    between();
    pending = true;
    current = other;
  }
  if (pending) record(1 - current, rows[1 - current]);
}

} // namespace entitle::detail
