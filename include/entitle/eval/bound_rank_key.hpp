#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/verdict.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/policy/subsidy.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/literal.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace entitle {

/// A capped subsidy's ranking key with its names resolved: a fact's slot (and an enum's tiers as
/// numbers) or a rule's index. Made by `bind_rank_key`, read by `rank_word`.
struct bound_rank_key {
  enum class kind : unsigned char { fact, rule };
  kind what = kind::fact;
  std::uint32_t index = 0; ///< the fact's slot, or the rule's index
  bool descending = false;
  /// An enum fact's tiers: (enum value, tier) for each value listed; a value not listed is tier
  /// `tier_count`, after every listed one. Empty: the value itself orders.
  std::vector<std::pair<std::int64_t, std::uint32_t>> tiers;
  std::uint32_t tier_count = 0;

  friend bool operator==(const bound_rank_key&, const bound_rank_key&) = default;
};

namespace detail {
[[noreturn]] inline void rank_key_error(std::string message, std::string where) {
  throw error(failure(errc::invalid_syntax, std::move(message), std::move(where)));
}

inline void bind_tiers(const rank_key& key, const field& f, const std::string& where, bound_rank_key& out) {
  if (key.tiers.empty()) return;
  if (f.type != fact_type::enumeration)
    rank_key_error("\"tiers\" orders the values of an enum fact; " + detail::quoted(f.name) + " is " +
                       std::string(type_name(f.type)),
                   where + "/tiers");
  for (std::size_t t = 0; t < key.tiers.size(); ++t) {
    if (key.tiers[t].empty()) rank_key_error("a tier lists at least one value", where + "/tiers/" + std::to_string(t));
    for (std::size_t v = 0; v < key.tiers[t].size(); ++v) {
      const std::string at = where + "/tiers/" + std::to_string(t) + "/" + std::to_string(v);
      const enumerator* e = f.find_enumerator(key.tiers[t][v]);
      if (!e)
        rank_key_error(detail::quoted(key.tiers[t][v]) + " is not a value of the enum fact " + detail::quoted(f.name) +
                           "; expected " + detail::expected_for(f),
                       at);
      for (const auto& [value, tier] : out.tiers)
        if (value == e->value) rank_key_error(detail::quoted(key.tiers[t][v]) + " is in two tiers", at);
      out.tiers.emplace_back(e->value, static_cast<std::uint32_t>(t));
    }
  }
  out.tier_count = static_cast<std::uint32_t>(key.tiers.size());
}
} // namespace detail

/// Resolves `key` against the facts and rules of a bound policy; `where` is its JSON pointer
/// ("/subsidies/0/rank_by/1"). Throws `entitle::error` there for a key with both or neither of
/// a fact and a rule, an unknown fact or rule, a string fact, or tiers that are not an enum's
/// values (each at most once).
[[nodiscard]] inline bound_rank_key bind_rank_key(const rank_key& key, const bound_rules& rules,
                                                  const std::string& where) {
  bound_rank_key out;
  out.descending = key.descending;
  if (key.fact.empty() == key.rule.empty())
    detail::rank_key_error(
        std::string("a ranking key names a \"fact\" or a \"rule\"") + (key.fact.empty() ? "" : ", not both"), where);
  if (!key.rule.empty()) {
    const auto index = rules.find(key.rule);
    if (!index)
      detail::rank_key_error(
          "no rule is called " + detail::quoted(key.rule) + "; the rules are " +
              detail::name_list(rules.rules, [](const bound_rule& r) -> const std::string& { return r.id; }),
          where + "/rule");
    if (!key.tiers.empty()) detail::rank_key_error("\"tiers\" orders an enum fact, not a rule", where + "/tiers");
    out.what = bound_rank_key::kind::rule;
    out.index = static_cast<std::uint32_t>(*index);
    return out;
  }
  const auto slot = rules.find_value(key.fact);
  if (!slot)
    detail::rank_key_error(std::string(rules.derived.empty() ? "no fact" : "no fact or derived value") + " is called " +
                               detail::quoted(key.fact),
                           where + "/fact");
  const field& f = rules.field_at(*slot);
  if (f.type == fact_type::string)
    detail::rank_key_error("the fact " + detail::quoted(key.fact) +
                               " is a string; rank by a number, amount, rate, date, month, bool or enum, or a rule",
                           where + "/fact");
  out.index = static_cast<std::uint32_t>(*slot);
  detail::bind_tiers(key, f, where, out);
  return out;
}

/// One person's word for `key`, ordered as the key ranks (smaller first), or none when their fact
/// (or derived value, worked out on `as_of`) is missing or the rule is unknown for them on `as_of`. Allocates nothing.
[[nodiscard]] inline std::optional<std::uint64_t> rank_word(const bound_rank_key& key, const bound_rules& rules,
                                                            std::span<const fact_value> facts, date as_of) noexcept {
  std::uint64_t word = 0;
  if (key.what == bound_rank_key::kind::rule) {
    const verdict v = detail::evaluator(rules, facts, as_of).test_rule(key.index);
    if (v == verdict::unknown) return std::nullopt;
    word = v == verdict::yes ? 0 : 1; // yes first
  } else {
    const fact_value f =
        rules.is_derived(key.index) ? detail::evaluator(rules, facts, as_of).value(key.index) : facts[key.index];
    if (!f.present) return std::nullopt;
    std::int64_t value = f.number;
    if (!key.tiers.empty()) {
      value = key.tier_count;
      for (const auto& [listed, tier] : key.tiers)
        if (listed == f.number) value = tier;
    }
    word = static_cast<std::uint64_t>(value) ^ (std::uint64_t{1} << 63);
  }
  return key.descending ? ~word : word;
}

} // namespace entitle
