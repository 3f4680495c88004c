#pragma once

#include <entitle/eval/claim.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/policy/setting.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <span>
#include <utility>
#include <vector>

namespace entitle {

class bound_policy;
class compiled_policy;

/// Binds `p`: its rules (`bind_rules`), then its payment sections and benefits against them.
/// Throws `entitle::error` naming the JSON pointer of the first problem.
[[nodiscard]] inline bound_policy bind_policy(policy p);
/// Binds `p` with `settings` applied first (`apply_settings`), so that a value set for a run is
/// checked exactly as one read from JSON; the binder's error about a field a setting set is
/// located at the setting ("apbd_oku_timur_2024.quota=-1: a quota cannot be negative") instead of
/// its JSON pointer. The binding records what was set (`bound_policy::settings()`).
[[nodiscard]] inline bound_policy bind_policy(policy p, std::span<const setting> settings);

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
  /// The settings applied before binding, in the order given; empty when none were.
  [[nodiscard]] const std::vector<applied_setting>& settings() const noexcept { return settings_; }

private:
  friend bound_policy bind_policy(policy p);
  friend bound_policy bind_policy(policy p, std::span<const setting> settings);
  friend class compiled_policy;
  bound_policy() = default;

  policy source_;
  bound_rules rules_;
  detail::bound_payments payments_;
  detail::bound_benefits benefits_;
  std::vector<applied_setting> settings_;
};

inline bound_policy bind_policy(policy p) {
  bound_policy out;
  out.rules_ = bind_rules(p.facts, p.rules, "/rules", p.parameters, p.derived, p.tables);
  out.payments_ = detail::bind_payments(p, out.rules_);
  out.benefits_ = detail::bind_benefits(p, out.rules_);
  out.source_ = std::move(p);
  return out;
}

inline bound_policy bind_policy(policy p, std::span<const setting> settings) {
  std::vector<applied_setting> applied = apply_settings(p, settings);
  std::vector<std::string> pointers;
  for (const setting& s : settings)
    pointers.push_back(setting_pointer(p, s));
  try {
    bound_policy out = bind_policy(std::move(p));
    out.settings_ = std::move(applied);
    return out;
  } catch (const error& e) {
    // The setting of the field at fault: "/subsidies/0/share/percent" is the share's.
    const std::string& at = e.details().location;
    for (std::size_t k = 0; k < settings.size(); ++k)
      if (at == pointers[k] || at.starts_with(pointers[k] + "/"))
        throw error(failure(e.code(), e.details().message, written(settings[k])));
    throw;
  }
}

} // namespace entitle
