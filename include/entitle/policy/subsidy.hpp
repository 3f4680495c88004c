#pragma once

#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/core/rate.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// Who is enrolled in which programs, and who pays for them: enrolments and subsidy policies.
namespace entitle {

/// People a rule selects, enrolled as one participant category in some programs: "OKU Timur's
/// non-ASN staff are wage earners (PU) in JKK, JKM, JHT, JP and JKP, with the regency as their
/// employer". `roles` names who stands in a payer role for these people (employer ->
/// PEMKAB_OKU_TIMUR); a role not named is its own payer.
struct enrolment {
  std::string id;
  std::string label;
  std::string who; ///< the id of the rule that selects the people
  std::string category;
  std::vector<std::string> programs;
  std::map<std::string, std::string> roles;
  /// The base these people are registered at, in place of the formula's base fact: pekerja
  /// rentan are registered at the lowest BPU income bracket, Rp1,000,000, whatever they earn.
  std::optional<money> base;
  /// The day these people's enrolment starts, when it starts after the policy takes effect:
  /// contribution months before it are not checked for figures in force.
  std::optional<date> from;

  friend bool operator==(const enrolment&, const enrolment&) = default;
};

/// What a subsidy pays of each contribution it covers: a share of the contribution, a fixed
/// amount a month, or the contribution worked out on a fixed base (e.g. Rp1,000,000) whatever
/// the person's own base. Never more than what remains unpaid.
struct subsidy_share {
  enum class kind : unsigned char { percent, amount, on_base };
  kind how = kind::percent;
  rate percent = rate::whole(); ///< kind::percent: of the contribution
  money amount;                 ///< kind::amount, or the base of kind::on_base

  friend bool operator==(const subsidy_share&, const subsidy_share&) = default;
};

/// One key of a capped subsidy's ranking (docs/policy-format.md, "Ranking"): a fact or a rule.
/// - A fact, ascending (smallest first) or `descending`: numbers, amounts, rates, dates and months
///   by value; a bool false before true; an enum in the order its values are declared, or in the
///   order `tiers` gives, where the values of one tier rank equal and values not listed rank after
///   every tier.
/// - A `rule`: people for whom it is yes first, then no (`descending`: no first), decided on the
///   batch's evaluation date.
/// A person whose fact is missing, or for whom the rule is unknown, ranks after everyone who has a
/// value. Ties fall to the next key, and at the end to the person's id.
struct rank_key {
  std::string fact;
  bool descending = false;
  std::string citation;                        ///< the agreement or regulation that sets this order
  std::string rule;                            ///< in place of `fact`: the id of a rule
  std::vector<std::vector<std::string>> tiers; ///< an enum fact's values in rank order, equal within a tier

  /// A key on the fact called `name`, ascending.
  [[nodiscard]] static rank_key by_fact(std::string name, std::string citation = {}) {
    return {std::move(name), false, std::move(citation), {}, {}};
  }
  /// A key on the rule called `id`: yes first.
  [[nodiscard]] static rank_key by_rule(std::string id, std::string citation = {}) {
    return {{}, false, std::move(citation), std::move(id), {}};
  }

  friend bool operator==(const rank_key&, const rank_key&) = default;
};

/// How a ranking key reads in a policy's summary: `monthly_income`, `extreme_poor (desc)`,
/// `rule is_extreme_poor (yes first)`, `occupation (tiers guru_mengaji|marbot, petani)`.
[[nodiscard]] inline std::string to_string(const rank_key& key) {
  if (!key.rule.empty()) return "rule " + key.rule + (key.descending ? " (no first)" : " (yes first)");
  std::string out = key.fact;
  if (!key.tiers.empty()) {
    out += " (tiers ";
    for (std::size_t t = 0; t < key.tiers.size(); ++t) {
      out += t ? ", " : "";
      for (std::size_t v = 0; v < key.tiers[t].size(); ++v)
        out += (v ? "|" : "") + key.tiers[t][v];
    }
    out += ")";
  }
  return out + (key.descending ? " (desc)" : "");
}

/// A named payer covering, for the people a rule selects, some programs' contributions over a
/// window of contribution months. Subsidies apply in `priority` order (lower first, then in the
/// order written) to what remains; what is left falls to the program's own payer roles. The quota
/// (people) and budget are enforced when a roster is evaluated as a batch (`batch`): candidates
/// are ranked by `rank_by`, then by their id, and funded whole, in rank order, while both last.
struct subsidy {
  std::string id;
  std::string label;
  std::string payer;    ///< "PEMKAB_OKU_TIMUR", a village budget, a CSR donor
  std::string citation; ///< the agreement or regulation
  std::string who;      ///< the id of the rule that selects the people
  std::vector<std::string> programs;
  subsidy_share share;
  month_range window{month{}, month{}}; ///< the contribution months covered
  std::optional<std::int64_t> quota;
  std::optional<money> budget;
  int priority = 0;
  std::vector<rank_key> rank_by; ///< who is funded first when the quota or budget runs out

  friend bool operator==(const subsidy&, const subsidy&) = default;
};

} // namespace entitle
