#pragma once

#include <entitle/eval/claim.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <utility>

namespace entitle {

/// A policy with every name resolved and every invariant checked: its rules bound to its facts,
/// its payment sections and benefits to its rules. `compiled_policy` is built from one, and a
/// reader that has bound a policy hands over this binding rather than have it done again
/// (`policy_library::compile`, `compile_policy`).
struct bound_policy {
  policy source;
  bound_rules rules;
  detail::bound_payments payments;
  detail::bound_benefits benefits;
};

/// Binds `p`: its rules (`bind_rules`), then its payment sections and benefits against them.
/// Throws `entitle::error` naming the JSON pointer of the first problem.
[[nodiscard]] inline bound_policy bind_policy(policy p) {
  bound_policy out;
  out.rules = bind_rules(p.facts, p.rules);
  out.payments = detail::bind_payments(p, out.rules);
  out.benefits = detail::bind_benefits(p, out.rules);
  out.source = std::move(p);
  return out;
}

} // namespace entitle
