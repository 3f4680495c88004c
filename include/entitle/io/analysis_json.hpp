#pragma once

#include <entitle/eval/analysis.hpp>

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

// An analysis report as JSON (`entitle analyze --json`, format `entitle-analysis/1`) and as the
// text the tool prints (docs/analysis.md).
namespace entitle {

inline constexpr std::string_view analysis_format = "entitle-analysis/1";

/// {"format": "entitle-analysis/1", "as_of", "policies", "checked": {"rules", "subsidies",
/// "pairs"}, "findings": [{"kind", "policy", "rules", "subsidies", "location", "message",
/// "example": {fact: value}, "details"}], "undecided": [{"policy", "subject", "why"}]}.
[[nodiscard]] boost::json::value to_json(const analysis_report& report);

/// The report as lines of text: what was checked, each finding with its example and details,
/// each question left undecided, and a last line counting them.
[[nodiscard]] std::string analysis_text(const analysis_report& report);

} // namespace entitle
