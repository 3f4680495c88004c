#pragma once
// The policies shipped in policies/, read once for every test that uses them.
#include <entitle/entitle.hpp>

namespace entitle::test {

/// Every shipped policy, as a library of the caller's own (to add to).
inline policy_library shipped_library() {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  return library;
}

/// Every shipped policy, as one library shared by the tests.
inline const policy_library& shipped() {
  static const policy_library library = shipped_library();
  return library;
}

} // namespace entitle::test
