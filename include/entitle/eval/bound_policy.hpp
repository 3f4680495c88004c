#pragma once

#include <entitle/eval/claim.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <utility>

namespace entitle {

class bound_policy;
class compiled_policy;

/// Binds `p`: its rules (`bind_rules`), then its payment sections and benefits against them.
/// Throws `entitle::error` naming the JSON pointer of the first problem.
[[nodiscard]] inline bound_policy bind_policy(policy p);

/// A policy with every name resolved and every invariant checked: its rules bound to its facts,
/// its payment sections and benefits to its rules. `compiled_policy` is built from one, and a
/// reader that has bound a policy hands over this binding rather than have it done again
/// (`policy_library::compile`, `compile_policy`). Only `bind_policy` makes one, so a binding
/// that was not checked cannot be compiled.
class bound_policy {
public:
  [[nodiscard]] const policy& source() const& noexcept { return source_; }
  /// The policy, moved out of a binding that is no longer needed.
  [[nodiscard]] policy source() && { return std::move(source_); }
  [[nodiscard]] const bound_rules& rules() const noexcept { return rules_; }

private:
  friend bound_policy bind_policy(policy p);
  friend class compiled_policy;
  bound_policy() = default;

  policy source_;
  bound_rules rules_;
  detail::bound_payments payments_;
  detail::bound_benefits benefits_;
};

inline bound_policy bind_policy(policy p) {
  bound_policy out;
  out.rules_ = bind_rules(p.facts, p.rules);
  out.payments_ = detail::bind_payments(p, out.rules_);
  out.benefits_ = detail::bind_benefits(p, out.rules_);
  out.source_ = std::move(p);
  return out;
}

} // namespace entitle
