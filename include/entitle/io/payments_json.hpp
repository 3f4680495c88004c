#pragma once

#include <entitle/policy/benefit.hpp>
#include <entitle/policy/program.hpp>
#include <entitle/policy/subsidy.hpp>

#include <boost/json/value.hpp>

// The JSON shapes of programs, adjustments, enrolments, subsidies and benefits
// (docs/policy-format.md, "Programs and contributions", "Benefits and claims"). Used by the policy reader and writer;
// the readers throw `entitle::error` located at the JSON pointer of the problem, relative to the value read.
namespace entitle::detail {

[[nodiscard]] program program_from(const boost::json::value& jv);
[[nodiscard]] adjustment adjustment_from(const boost::json::value& jv);
[[nodiscard]] enrolment enrolment_from(const boost::json::value& jv);
[[nodiscard]] subsidy subsidy_from(const boost::json::value& jv);
[[nodiscard]] benefit benefit_from(const boost::json::value& jv);

[[nodiscard]] boost::json::value to_json(const program& p);
[[nodiscard]] boost::json::value to_json(const adjustment& a);
[[nodiscard]] boost::json::value to_json(const enrolment& e);
[[nodiscard]] boost::json::value to_json(const subsidy& s);
[[nodiscard]] boost::json::value to_json(const benefit& b);

} // namespace entitle::detail
