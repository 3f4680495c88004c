#pragma once

// A batch's options as a JSON object, read as `entitle run` reads its options: the form the C
// interface (entitle_batch_new, docs/c-api.md) and the Python module take them in.
#include <entitle/eval/claim.hpp>
#include <entitle/eval/compiled_policy.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/roster.hpp>

#include <boost/json/fwd.hpp>

#include <string_view>
#include <vector>

namespace entitle {

/// How a batch decides, and how it reads rosters.
struct batch_setup {
  batch_options run;
  roster_options roster;
};

/// `options_json` ("" or "{}": the defaults) for `policy`: "as_of" or "period" (else the policy's
/// dates), "rules", "columns", "threads", "strict", "settings", "id_column", "separator",
/// "column_names", "allow_missing_columns" (docs/c-api.md). Errors are located by JSON pointer
/// ("/as_of"); the batch itself checks the rest when it is made.
[[nodiscard]] batch_setup batch_setup_from_json(const compiled_policy& policy, std::string_view options_json);

/// {"name": "value", ...}: the settings of `entitle run --set name=value` (each value a string,
/// as on the command line), for `policy_library::compile`; "" is none.
[[nodiscard]] std::vector<setting> read_settings(std::string_view text);
[[nodiscard]] std::vector<setting> settings_from_json(const boost::json::value& jv);

/// A claim as `entitle claim` takes it: {"event", "on", "enrolment"?, "months"? (0 to 1200),
/// "children"? (school levels), "costs"? ({"land": "3000000"})}.
[[nodiscard]] claim claim_from_json(const boost::json::value& jv);

} // namespace entitle
