#pragma once
// What an action throws, for tests that compare the message and location exactly.
#include <entitle/core/error.hpp>

#include <functional>
#include <optional>

namespace entitle::test {

/// Runs `f`; the failure it throws as `entitle::error`, if any.
inline std::optional<failure> failure_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const error& e) {
    return e.details();
  }
  return std::nullopt;
}

} // namespace entitle::test
