#pragma once
// The policies shipped in policies/, read once for every test that uses them.
#include <entitle/entitle.hpp>

namespace entitle::test {

/// Every shipped policy, as one library.
inline const policy_library& shipped() {
  static const policy_library library = [] {
    policy_library l;
    l.add_directory(ENTITLE_POLICIES_DIR);
    return l;
  }();
  return library;
}

} // namespace entitle::test
