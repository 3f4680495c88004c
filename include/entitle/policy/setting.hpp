#pragma once

#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/core/rate.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/literal.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Run-time parameters: a policy's declared parameters, and a subsidy's quota, budget, window or
// share, set for one run without writing a new policy file (docs/policy-format.md,
// "Parameters" and "Subsidies"; `entitle run --set`).
namespace entitle {

/// One parameter or subsidy field set for a run. `name` is the id of one of the policy's
/// `parameters` ("income_limit"), whose `value` is read as the parameter's type when the policy
/// is bound ("Rp2.500.000"); or "<subsidy id>.<field>" ("apbd_oku_timur_2024.quota"), the field
/// one of `setting_fields`, with `value` written as the policy JSON writes that field:
///
/// | field    | value                                                                          |
/// |----------|--------------------------------------------------------------------------------|
/// | `quota`  | a whole number of people: `1000`                                               |
/// | `budget` | an amount: `5000000000` or `Rp5.000.000.000`                                   |
/// | `window` | months, both included: `2024-01..2024-06` (or one month, `2024-03`)            |
/// | `share`  | `50%` (`{"percent": "50%"}`), `amount:Rp5.000` or `base:Rp1.000.000`            |
struct setting {
  std::string name;
  std::string value;

  friend bool operator==(const setting&, const setting&) = default;
};

/// A setting as applied: the value set and the value the policy had, written as a setting's value
/// is (`Rp937.440.000`, `2024-01..2024-12`, `100%`); none when the policy had none (a quota or a
/// budget left out).
struct applied_setting {
  std::string name;
  std::string value;
  std::optional<std::string> was;

  friend bool operator==(const applied_setting&, const applied_setting&) = default;
};

/// The fields a setting may set, in the order messages list them.
inline constexpr std::array<std::string_view, 4> setting_fields{"quota", "budget", "window", "share"};

/// The setting as written on a command line, "name=value": where its errors are located.
[[nodiscard]] inline std::string written(const setting& s) { return s.name + "=" + s.value; }

namespace detail {

[[noreturn]] inline void setting_error(const setting& s, errc code, std::string message) {
  throw error(failure(code, std::move(message), written(s)));
}

// What a setting names: a parameter by its id, or a subsidy by its id (the name up to its last
// '.') and the field after it.
struct setting_target {
  std::size_t subsidy = 0; ///< or the parameter's index
  std::string_view field;  ///< empty for a parameter
};

inline setting_target target_of(const policy& p, const setting& s) {
  for (std::size_t i = 0; i < p.parameters.size(); ++i)
    if (p.parameters[i].id == s.name) return {i, {}};
  const auto dot = s.name.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == s.name.size())
    setting_error(
        s, errc::invalid_syntax,
        "a setting names a parameter of the policy or SUBSIDY.FIELD, such as "
        "\"apbd_oku_timur_2024.quota\"; the policy " +
            detail::quoted(p.id) + " has no parameter called " + detail::quoted(s.name) +
            (p.parameters.empty()
                 ? std::string()
                 : "; its parameters are " +
                       detail::name_list(p.parameters, [](const parameter& x) -> const std::string& { return x.id; })));
  const std::string_view id = std::string_view(s.name).substr(0, dot);
  const std::string_view field = std::string_view(s.name).substr(dot + 1);
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < p.subsidies.size(); ++i)
    if (p.subsidies[i].id == id) found = i;
  if (!found)
    setting_error(
        s, errc::invalid_syntax,
        "the policy " + detail::quoted(p.id) + " has no subsidy called " + detail::quoted(id) +
            (p.subsidies.empty()
                 ? std::string("; it has no subsidies")
                 : "; its subsidies are " +
                       detail::name_list(p.subsidies, [](const subsidy& x) -> const std::string& { return x.id; })));
  if (std::find(setting_fields.begin(), setting_fields.end(), field) == setting_fields.end())
    setting_error(s, errc::invalid_syntax,
                  "a subsidy has no field " + detail::quoted(field) + " to set; the fields are " +
                      detail::name_list(setting_fields, [](std::string_view f) { return f; }));
  return {*found, field};
}

// A literal as a setting writes it: a string as it is, anything else as messages show it.
inline std::string setting_text(const literal& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return describe(value);
}

template <class T>
T read_setting(const setting& s, result<T> parsed) {
  if (!parsed) setting_error(s, parsed.error().code, parsed.error().message);
  return *parsed;
}

// A share as one token: "50%" as {"percent": "50%"}, "amount:Rp5.000" and "base:Rp1.000.000" as
// {"amount": ...} and {"base": ...}. A percent is written with "%", as in policy JSON.
inline subsidy_share share_of(const setting& s) {
  subsidy_share share;
  std::string_view text = s.value;
  if (text.starts_with("amount:") || text.starts_with("base:")) {
    share.how = text.starts_with("amount:") ? subsidy_share::kind::amount : subsidy_share::kind::on_base;
    share.amount = read_setting(s, money::try_parse(text.substr(text.find(':') + 1)));
    return share;
  }
  if (text.starts_with("percent:")) text.remove_prefix(8);
  if (!text.ends_with('%')) {
    if (rate::try_parse(text))
      setting_error(s, errc::invalid_syntax,
                    "a share is written with \"%\": write " + detail::quoted(std::string(text) + "%") + ", not " +
                        detail::quoted(text));
    setting_error(s, errc::invalid_syntax,
                  "expected a share as \"50%\", \"amount:Rp5.000\" or \"base:Rp1.000.000\", found " +
                      detail::quoted(s.value));
  }
  share.how = subsidy_share::kind::percent;
  share.percent = read_setting(s, rate::try_parse(text));
  return share;
}

inline std::string share_text(const subsidy_share& share) {
  switch (share.how) {
  case subsidy_share::kind::percent: return to_string(share.percent);
  case subsidy_share::kind::amount: return "amount:" + to_rupiah_string(share.amount);
  case subsidy_share::kind::on_base: return "base:" + to_rupiah_string(share.amount);
  }
  return {};
}

// Sets one field of `target` from `s`, returning what it was.
inline std::optional<std::string> set_field(subsidy& target, std::string_view field, const setting& s) {
  std::optional<std::string> was;
  if (field == "quota") {
    if (target.quota) was = std::to_string(*target.quota);
    const auto quota = parse_integer(s.value);
    if (!quota)
      setting_error(s, quota.error().code,
                    "expected a whole number of people, 0 or more, found " + detail::quoted(s.value));
    target.quota = *quota;
  } else if (field == "budget") {
    if (target.budget) was = to_rupiah_string(*target.budget);
    target.budget = read_setting(s, money::try_parse(s.value));
  } else if (field == "window") {
    was = to_string(target.window);
    target.window = read_setting(s, month_range::try_parse(s.value));
  } else {
    was = share_text(target.share);
    target.share = share_of(s);
  }
  return was;
}

} // namespace detail

/// Sets `settings` in `p`'s subsidies, in order, and returns what each set and what the policy
/// had. Values are read as the policy reader reads the field; whether they are in range (a
/// negative quota, a share above 100%) is the binder's to say, as for a value read from JSON:
/// `bind_policy(p, settings)` applies them and names the setting in the binder's message.
/// Throws `entitle::error` located at the setting as written ("apbd_oku_timur_2024.quota=abc"):
/// a name that is not SUBSIDY.FIELD, a subsidy the policy does not have (listing its subsidies),
/// a field that cannot be set (listing them), a field set twice, or a value that does not read.
[[nodiscard]] inline std::vector<applied_setting> apply_settings(policy& p, std::span<const setting> settings) {
  std::vector<applied_setting> applied;
  for (std::size_t k = 0; k < settings.size(); ++k) {
    const setting& s = settings[k];
    const detail::setting_target target = detail::target_of(p, s);
    for (std::size_t j = 0; j < k; ++j)
      if (settings[j].name == s.name)
        detail::setting_error(s, errc::invalid_syntax,
                              detail::quoted(s.name) + " is set twice: to " + detail::quoted(settings[j].value) +
                                  " and to " + detail::quoted(s.value) + "; set it once");
    if (target.field.empty()) { // a parameter: read as its type when the rules are bound
      literal& value = p.parameters[target.subsidy].value;
      applied.push_back({s.name, s.value, detail::setting_text(value)});
      value = s.value;
      continue;
    }
    auto was = detail::set_field(p.subsidies[target.subsidy], target.field, s);
    applied.push_back({s.name, s.value, std::move(was)});
  }
  return applied;
}

/// The JSON pointer of the field `s` sets in `p` ("/subsidies/0/quota"), where the binder reports
/// a problem with the value set; `s` must name a subsidy and field of `p` (`apply_settings`).
[[nodiscard]] inline std::string setting_pointer(const policy& p, const setting& s) {
  const detail::setting_target target = detail::target_of(p, s);
  if (target.field.empty()) return "/parameters/" + std::to_string(target.subsidy) + "/value";
  return "/subsidies/" + std::to_string(target.subsidy) + "/" + std::string(target.field);
}

} // namespace entitle
