#pragma once

#include <entitle/rules/condition.hpp>

#include <optional>
#include <string>
#include <vector>

namespace entitle {

/// A named condition with what a person needs to know about it: a label (in any language), the
/// reason code a decision reports when the rule fails, optionally the code it reports when the
/// rule is unknown (facts are missing), and the citation (regulation, article).
///
/// A rule is either a condition (`when`) or an ordered list of `requirements`, like the checklist
/// a field officer reads: each requirement is a rule of its own (with its own reason code), or a
/// reference to another rule made with `rule::ref("id")`. A requirement list is yes when every
/// requirement is yes; a decision on it reports every failing requirement in order.
struct rule {
  std::string id;
  std::string label;
  std::string reason;
  std::string citation;
  /// The reason code an undetermined decision reports when this rule is unknown ("DATA_BELUM_LENGKAP");
  /// optional. See `decision_reasons`.
  std::string reason_unknown;
  std::optional<condition> when;
  std::vector<rule> requirements;

  /// A requirement that refers to the rule called `id` (a rule with nothing but an id).
  [[nodiscard]] static rule ref(std::string id) {
    rule r;
    r.id = std::move(id);
    return r;
  }

  /// True for a reference made with `ref`.
  [[nodiscard]] bool is_reference() const noexcept {
    return !when && requirements.empty() && label.empty() && reason.empty() && citation.empty() &&
           reason_unknown.empty();
  }

  friend bool operator==(const rule&, const rule&) = default;
};

/// Builds a rule so that it reads like the checklist it comes from:
///
///     const rule nik_valid = define("nik_valid")
///                                .label("NIK 16 digit")
///                                .reason("NIK_TIDAK_VALID")
///                                .citation("Inpres 2/2021")
///                                .when(fact("nik").digits(16));
class rule_builder {
public:
  explicit rule_builder(std::string id) { rule_.id = std::move(id); }

  rule_builder&& label(std::string text) && {
    rule_.label = std::move(text);
    return std::move(*this);
  }
  rule_builder&& reason(std::string code) && {
    rule_.reason = std::move(code);
    return std::move(*this);
  }
  rule_builder&& reason_unknown(std::string code) && {
    rule_.reason_unknown = std::move(code);
    return std::move(*this);
  }
  rule_builder&& citation(std::string text) && {
    rule_.citation = std::move(text);
    return std::move(*this);
  }
  /// A rule that is this condition.
  [[nodiscard]] rule when(condition c) && {
    rule_.when = std::move(c);
    return std::move(rule_);
  }
  /// A rule that is this ordered list of requirements: rules, or `rule::ref("id")` references.
  [[nodiscard]] rule requires_all(std::vector<rule> requirements) && {
    rule_.requirements = std::move(requirements);
    return std::move(rule_);
  }

private:
  rule rule_;
};

/// Starts a rule called `id`.
[[nodiscard]] inline rule_builder define(std::string id) { return rule_builder(std::move(id)); }

} // namespace entitle
