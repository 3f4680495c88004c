#pragma once

// The public surface of entitle, layer by layer.

#include <entitle/core/date.hpp>
#include <entitle/core/dated.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/core/rate.hpp>
#include <entitle/core/verdict.hpp>

#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/condition.hpp>
#include <entitle/rules/decision_table.hpp>
#include <entitle/rules/derived.hpp>
#include <entitle/rules/described.hpp>
#include <entitle/rules/literal.hpp>
#include <entitle/rules/record.hpp>
#include <entitle/rules/rule.hpp>
#include <entitle/rules/schema.hpp>

#include <entitle/policy/benefit.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/policy/program.hpp>
#include <entitle/policy/setting.hpp>
#include <entitle/policy/subsidy.hpp>

#include <entitle/eval/allocation.hpp>
#include <entitle/eval/analysis.hpp>
#include <entitle/eval/bound_policy.hpp>
#include <entitle/eval/claim.hpp>
#include <entitle/eval/claim_coverage.hpp>
#include <entitle/eval/compiled_policy.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/explanation.hpp>
#include <entitle/eval/monthly_status.hpp>
#include <entitle/eval/table_coverage.hpp>
#include <entitle/eval/table_eval.hpp>
#include <entitle/eval/value_domain.hpp>

#include <entitle/io/analysis_json.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/batch_parts.hpp>
#include <entitle/io/core_json.hpp>
#include <entitle/io/diff.hpp>
#include <entitle/io/overlap.hpp>
#include <entitle/io/policy_json.hpp>
#include <entitle/io/roster.hpp>
#include <entitle/io/scenario.hpp>
