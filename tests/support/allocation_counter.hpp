#pragma once

// Counts heap allocations in the program that links allocation_counter.cpp (which replaces the
// global operator new), so that tests and benchmarks can show that deciding never allocates.

#include <cstddef>

namespace allocation_counter {
/// Allocations made by operator new since the program started.
std::size_t count() noexcept;
} // namespace allocation_counter
