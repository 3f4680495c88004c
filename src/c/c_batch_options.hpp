#pragma once

// The options of entitle_batch_new: a JSON object read as `entitle run` reads its options.
#include <entitle/eval/compiled_policy.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/roster.hpp>

namespace entitle::c_api {

struct batch_setup {
  batch_options run;
  roster_options roster;
};

/// `options_json` (NULL or "{}": the defaults) for `policy`; errors located by JSON pointer.
[[nodiscard]] batch_setup batch_options_from(const compiled_policy& policy, const char* options_json);

} // namespace entitle::c_api
