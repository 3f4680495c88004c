#pragma once

#include <entitle/core/detail/arithmetic.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/eval/bound_rank_key.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/figure_ranges.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>
#include <entitle/rules/facts_read.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Who pays: for one person and a period of contribution months, the contribution due to each
// program and the lines by payer, each with the formula part, adjustment or subsidy that put it
// there and its citation.
//
// Conventions (docs/policy-format.md, "Contribution months"):
// - A contribution month uses the figures and rules in force on its first day. A change that
//   takes effect during a month (PP 6/2025 on 7 February 2025) applies from the next month.
// - Enrolment and subsidy rules are decided on the month's first day.
namespace entitle {

/// One line of a program-month: a payer's share, a subsidy, or a recomposition (an amount moved
/// from another program's contribution, which no payer pays again).
struct payment_line {
  enum class kind : unsigned char { payer, subsidy, recomposed };
  kind what = kind::payer;
  std::string payer; ///< who pays; for a recomposition, the program the amount comes from
  money amount;
  std::string source;   ///< "JKK/PU formula 0, part 1" or "subsidy apbd_oku_timur_2024"
  std::string citation; ///< the regulation or agreement behind the figure
  std::string note;     ///< e.g. "claims Rp6.000; only Rp4.000 remained after first"

  friend bool operator==(const payment_line&, const payment_line&) = default;
};

/// A program's contribution for one person and one month.
struct program_month {
  month when;
  std::string enrolment;
  std::string program;
  std::string category;
  status outcome = status::eligible; ///< undetermined when facts are missing; then `missing` says which
  money due;                         ///< the whole contribution, recomposed parts included
  /// What a capped subsidy that selects the person would have paid, had its quota or budget not
  /// run out, and no other subsidy paid: a price quoted to them, which nobody pays and which is
  /// not in `due` (so nobody's lines pay it).
  money quoted;
  std::vector<payment_line> lines;
  std::vector<std::string> missing;
  std::vector<std::string> notes; ///< adjustments applied, bases raised or capped, rules not known

  friend bool operator==(const program_month&, const program_month&) = default;
};

/// One person's contributions over a period.
struct contribution_statement {
  std::string policy;
  month_range period{month{}, month{}};
  std::vector<program_month> items;
  /// What each payer pays (payer and subsidy lines; recomposed amounts are not paid again), in the
  /// order the payers first appear. An undetermined item counts with the lines it has.
  std::vector<std::pair<std::string, money>> totals;
  money total;  ///< everything paid
  money quoted; ///< the prices of the quoted items, which nobody pays
  /// True when no item is undetermined.
  [[nodiscard]] bool complete() const noexcept {
    return std::none_of(items.begin(), items.end(),
                        [](const program_month& i) { return i.outcome == status::undetermined; });
  }
  /// What `payer` pays over the period; zero when it pays nothing.
  [[nodiscard]] money paid_by(std::string_view payer) const noexcept {
    for (const auto& [name, amount] : totals)
      if (name == payer) return amount;
    return {};
  }

  friend bool operator==(const contribution_statement&, const contribution_statement&) = default;
};

/// "payer", "subsidy" or "recomposed".
[[nodiscard]] constexpr std::string_view to_string(payment_line::kind k) noexcept {
  switch (k) {
  case payment_line::kind::payer: return "payer";
  case payment_line::kind::subsidy: return "subsidy";
  case payment_line::kind::recomposed: return "recomposed";
  }
  return "payer";
}

/// The statement as text for a budget officer: a heading with the total and what each payer pays,
/// then each program-month and its lines. For a worker of OKU Timur's vulnerable-worker scheme:
///
///     oku-timur/pekerja-rentan-2024-iuran, 2024-01..2024-02: Rp33.600 (PEMKAB_OKU_TIMUR Rp33.600)
///     2024-01 JKK (pekerja_rentan_bpu, BPU): due Rp10.000
///       PEMKAB_OKU_TIMUR Rp10.000  subsidy apbd_oku_timur_2024 [PKS Pemkab OKU Timur - ...]
///     2024-01 JKM (pekerja_rentan_bpu, BPU): due Rp6.800
///       PEMKAB_OKU_TIMUR Rp6.800  subsidy apbd_oku_timur_2024 [PKS Pemkab OKU Timur - ...]
///     ...
///
/// Exactly, each line ending in '\n' (amounts as `to_rupiah_string`; `[citation]` left out when
/// there is none):
/// - heading: `<policy>, <first>..<last>: <total>`, then ` (<payer> <amount>, ...)` with the
///   payers of `totals` in order (left out when nobody pays anything, as when every item is
///   undetermined), or ` (no contributions)` when there are no items; then
///   `; <n> of <m> items undetermined` when the statement is not complete;
/// - each item: `<month> <program> (<enrolment>, <category>): due <amount>`. An undetermined item
///   adds `, undetermined; missing facts: <fact>, <fact>`; when it has no lines and nothing due,
///   it reads `undetermined; missing facts: ...` in place of the amount;
/// - under it, each line indented two spaces, as `<payer> <amount>  <source> [<citation>]` for a
///   payer's share or a subsidy (whose source is `subsidy <id>`), and as
///   `recomposed from <program> <amount>, not charged again  <source> [<citation>]` for an amount
///   moved from a program the payers have already paid; a line's note follows on its own line,
///   indented four spaces: `note: <note>`;
/// - then the item's notes (adjustments, bases raised or capped, rules not known), indented two
///   spaces: `note: <note>`.
[[nodiscard]] inline std::string to_text(const contribution_statement& s) {
  auto names = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
      out += (out.empty() ? "" : ", ") + item;
    return out;
  };
  std::string text = s.policy + ", " + to_string(s.period) + ": " + to_rupiah_string(s.total);
  if (s.items.empty()) {
    text += " (no contributions)";
  } else if (!s.totals.empty()) {
    text += " (";
    for (std::size_t i = 0; i < s.totals.size(); ++i)
      text += (i ? ", " : "") + s.totals[i].first + " " + to_rupiah_string(s.totals[i].second);
    text += ")";
  }
  const auto undetermined = std::count_if(s.items.begin(), s.items.end(),
                                          [](const program_month& i) { return i.outcome == status::undetermined; });
  if (undetermined > 0)
    text += "; " + std::to_string(undetermined) + " of " + std::to_string(s.items.size()) + " items undetermined";
  if (s.quoted != money()) text += "; quoted " + to_rupiah_string(s.quoted) + ", paid by nobody";
  text += '\n';
  for (const program_month& item : s.items) {
    text += to_string(item.when) + " " + item.program + " (" + item.enrolment + ", " + item.category + "): ";
    if (item.outcome == status::undetermined) {
      if (!item.lines.empty() || item.due != money()) text += "due " + to_rupiah_string(item.due) + ", ";
      text += "undetermined";
      if (!item.missing.empty()) text += "; missing facts: " + names(item.missing);
    } else if (item.quoted != money()) {
      if (item.due != money()) text += "due " + to_rupiah_string(item.due) + ", ";
      text += "quoted " + to_rupiah_string(item.quoted) + ", paid by nobody";
    } else {
      text += "due " + to_rupiah_string(item.due);
    }
    text += '\n';
    for (const payment_line& line : item.lines) {
      text += "  ";
      if (line.what == payment_line::kind::recomposed)
        text += "recomposed from " + line.payer + " " + to_rupiah_string(line.amount) + ", not charged again";
      else
        text += line.payer + " " + to_rupiah_string(line.amount);
      text += "  " + line.source;
      if (!line.citation.empty()) text += " [" + line.citation + "]";
      text += '\n';
      if (!line.note.empty()) text += "    note: " + line.note + '\n';
    }
    for (const auto& note : item.notes)
      text += "  note: " + note + '\n';
  }
  return text;
}

namespace detail {

// A policy's payment sections with every name resolved to an index, checked once.
struct bound_payments {
  static constexpr std::uint32_t no_rule = 0xFFFF'FFFF;
  std::vector<std::vector<std::uint32_t>> when;                   // [program][formula]: rule or no_rule
  std::vector<std::vector<std::optional<std::size_t>>> base_slot; // [program][formula]: the money fact
  std::vector<std::uint32_t> enrolment_rule;                      // [enrolment]
  std::vector<std::vector<std::size_t>> enrolment_programs;       // [enrolment][k]: program index
  std::vector<std::uint32_t> subsidy_rule;                        // [subsidy]
  std::vector<std::size_t> subsidy_order;                         // by priority, then as written
  std::vector<std::vector<bound_rank_key>> rank_keys;             // [subsidy][k]: rank_by[k]
  // [program][formula][part][entry]: the derived value each entry of a `share_of` or `amount_of`
  // part names; empty for the other parts
  std::vector<std::vector<std::vector<std::vector<std::size_t>>>> derived_slot;
};

inline std::size_t find_program(const policy& p, std::string_view id) {
  for (std::size_t i = 0; i < p.programs.size(); ++i)
    if (p.programs[i].id == id) return i;
  return p.programs.size();
}

inline std::optional<std::uint32_t> find_rule(const bound_rules& rules, std::string_view id) {
  if (auto index = rules.find(id)) return static_cast<std::uint32_t>(*index);
  return std::nullopt;
}

[[noreturn]] inline void payment_error(std::string message, std::string where) {
  throw error(failure(errc::invalid_syntax, std::move(message), std::move(where)));
}

// The slot of the derived value `id` an entry of a part's `share_of` (`type` rate) or
// `amount_of` (`type` money) names, written at `where`: one that does not read the date, as a
// base is, so that it is the same in every month the entry is in force.
inline std::size_t derived_part_slot(const bound_rules& rules, const std::string& id, fact_type type,
                                     const std::string& key, const std::string& where) {
  const auto slot = rules.find_value(id);
  if (!slot || !rules.is_derived(*slot)) {
    const std::string derived =
        rules.derived.empty()
            ? "the policy has no derived values"
            : "the derived values are " + name_list(rules.derived, [](const bound_derived& d) -> const std::string& {
                return d.declared.name;
              });
    payment_error(std::string(slot ? "the " + key + " " + detail::quoted(id) + " is a fact, not a derived value"
                                   : "no derived value is called " + detail::quoted(id)) +
                      "; " + derived,
                  where);
  }
  const std::string a_key = (type == fact_type::rate ? "a " : "an ") + key;
  if (rules.field_at(*slot).type != type)
    payment_error("the derived value " + detail::quoted(id) + " is " +
                      std::string(type_name(rules.field_at(*slot).type)) + "; " + a_key + " must be " +
                      (type == fact_type::rate ? "a rate" : "money"),
                  where);
  if (reads_the_date(rules, *slot))
    payment_error("the " + key + " " + detail::quoted(id) +
                      " reads an age or a count of months, which changes from month to month; " + a_key +
                      " is worked out from the facts alone",
                  where);
  return *slot;
}

// A derived value that is a decision table's output gives one of its rows' outputs (or its
// otherwise value): each must be a share (`type` rate) or not negative (money), or some person
// would be charged out of range. A sum or a count of rows is checked when evaluated.
inline void check_table_figures(const bound_rules& rules, std::size_t slot, fact_type type, const std::string& key,
                                const std::string& where) {
  const bound_expr& root = rules.exprs[rules.derived[slot - rules.facts.size()].root];
  if (root.op != expr_op::table) return;
  const bound_table& t = rules.tables[static_cast<std::size_t>(root.value)];
  if (t.policy == hit_policy::collect && (t.aggregate == aggregation::sum || t.aggregate == aggregation::count)) return;
  auto check = [&](std::int64_t v, const std::string& which) {
    const bool fits = type == fact_type::rate ? rate::from_parts(v).is_share() : v >= 0;
    if (fits) return;
    payment_error("the table " + detail::quoted(t.id) + " " + which + " gives " +
                      (type == fact_type::rate ? to_string(rate::from_parts(v)) + ", not a share between 0% and 100%"
                                               : to_rupiah_string(money::from_minor_units(v)) + ", below Rp0") +
                      ", for the " + key + " " + detail::quoted(rules.field_at(slot).name),
                  where);
  };
  for (std::size_t r = 0; r < t.row_count; ++r) {
    std::string which = "row ";
    which += std::to_string(r);
    if (!t.row_ids[r].empty()) which += " " + detail::quoted(t.row_ids[r]);
    check(t.outputs[r * t.output_count + root.slot], which);
  }
  if (t.has_otherwise) check(t.otherwise[root.slot], "otherwise value");
}

// Checks part `k` of a formula whose base is `base`, at `pat`; returns the slots of its derived
// figure's entries (none unless it has `share_of` or `amount_of`).
inline std::vector<std::size_t> bind_part(const bound_rules& rules, const contribution_part& part,
                                          const contribution_base& base, const std::string& at,
                                          const std::string& pat) {
  if (part.payer.empty() == part.recomposed_from.empty())
    payment_error("a part names either a \"payer\" or \"recomposed_from\"", pat);
  const int kinds = int{part.share.has_value()} + int{part.share_of.has_value()} + int{part.amount.has_value()} +
                    int{part.amount_of.has_value()};
  if (kinds != 1)
    payment_error("a part has one of: a \"share\" of the base, a \"share_of\" naming a derived rate, a flat "
                  "\"amount\", or an \"amount_of\" naming a derived amount",
                  kinds == 0 ? pat
                             : pat + (part.amount_of  ? "/amount_of"
                                      : part.share_of ? "/share_of"
                                                      : "/amount"));
  if ((part.share || part.share_of) && base.fact.empty() && !base.fixed)
    payment_error("a share needs a base: a \"fact\" or a \"fixed\" amount", at + "/base");
  std::vector<std::size_t> slots;
  if (!part.derived()) return slots;
  const std::string key = part.share_of ? "share_of" : "amount_of";
  const fact_type type = part.share_of ? fact_type::rate : fact_type::money;
  const auto& history = part.derived()->history();
  for (std::size_t j = 0; j < history.size(); ++j) {
    const std::string where = pat + "/" + key + "/history/" + std::to_string(j) + "/value";
    slots.push_back(derived_part_slot(rules, history[j].value, type, key, where));
    check_table_figures(rules, slots.back(), type, key, where);
  }
  return slots;
}

// Checks the payment sections of `p` against its facts and rules, and the range of every figure
// (`check_figure_ranges`); every error names the JSON pointer of the offending value.
inline bound_payments bind_payments(const policy& p, const bound_rules& rules) {
  bound_payments out;
  auto rule_at = [&](std::string_view id, const std::string& where) {
    const auto index = find_rule(rules, id);
    if (!index)
      payment_error("no rule is called " + detail::quoted(id) + "; the rules are " +
                        name_list(rules.rules, [](const bound_rule& r) -> const std::string& { return r.id; }),
                    where);
    return *index;
  };
  auto program_at = [&](std::string_view id, const std::string& where) {
    const std::size_t index = find_program(p, id);
    if (index == p.programs.size())
      payment_error("no program is called " + detail::quoted(id) + "; the programs are " +
                        name_list(p.programs, [](const program& x) -> const std::string& { return x.id; }),
                    where);
    return index;
  };
  for (std::size_t i = 0; i < p.programs.size(); ++i) {
    const program& prog = p.programs[i];
    const std::string here = "/programs/" + std::to_string(i);
    if (prog.id.empty()) payment_error("a program needs an id", here + "/id");
    for (std::size_t j = 0; j < i; ++j)
      if (p.programs[j].id == prog.id)
        payment_error("the program " + detail::quoted(prog.id) + " is defined twice", here + "/id");
    out.when.emplace_back();
    out.base_slot.emplace_back();
    out.derived_slot.emplace_back();
    for (std::size_t f = 0; f < prog.formulas.size(); ++f) {
      const formula& form = prog.formulas[f];
      const std::string at = here + "/formulas/" + std::to_string(f);
      if (form.category.empty()) payment_error("a formula needs a participant category", at + "/category");
      out.when.back().push_back(form.when.empty() ? bound_payments::no_rule : rule_at(form.when, at + "/when"));
      const contribution_base& base = form.base;
      if (!base.fact.empty() && base.fixed)
        payment_error("a base is a \"fact\" or a \"fixed\" amount, not both", at + "/base");
      if (!base.fact.empty()) {
        const auto slot = rules.find_value(base.fact);
        if (!slot)
          payment_error(std::string(rules.derived.empty() ? "no fact" : "no fact or derived value") + " is called " +
                            detail::quoted(base.fact),
                        at + "/base/fact");
        if (rules.field_at(*slot).type != fact_type::money)
          payment_error("the base fact " + detail::quoted(base.fact) + " is " +
                            std::string(type_name(rules.field_at(*slot).type)) + "; a base must be money",
                        at + "/base/fact");
        if (reads_the_date(rules, *slot))
          payment_error("the base " + detail::quoted(base.fact) +
                            " reads an age or a count of months, which changes from month to month; a base is "
                            "worked out from the facts alone",
                        at + "/base/fact");
        out.base_slot.back().push_back(*slot);
      } else {
        out.base_slot.back().push_back(std::nullopt);
      }
      for (std::size_t b = 1; b < base.brackets.size(); ++b)
        if (!(base.brackets[b - 1] < base.brackets[b]))
          payment_error("bracket levels must increase", at + "/base/brackets/" + std::to_string(b));
      if (form.parts.empty()) payment_error("a formula needs at least one part", at + "/parts");
      out.derived_slot.back().emplace_back();
      for (std::size_t k = 0; k < form.parts.size(); ++k) {
        const contribution_part& part = form.parts[k];
        const std::string pat = at + "/parts/" + std::to_string(k);
        out.derived_slot.back().back().push_back(bind_part(rules, part, base, at, pat));
        if (!part.recomposed_from.empty()) (void)program_at(part.recomposed_from, pat + "/recomposed_from");
      }
    }
  }
  for (std::size_t i = 0; i < p.adjustments.size(); ++i) {
    const std::string here = "/adjustments/" + std::to_string(i);
    for (std::size_t k = 0; k < p.adjustments[i].programs.size(); ++k)
      (void)program_at(p.adjustments[i].programs[k], here + "/programs/" + std::to_string(k));
  }
  for (std::size_t i = 0; i < p.enrolments.size(); ++i) {
    const enrolment& e = p.enrolments[i];
    const std::string here = "/enrolments/" + std::to_string(i);
    out.enrolment_rule.push_back(rule_at(e.who, here + "/who"));
    if (e.category.empty()) payment_error("an enrolment needs a participant category", here + "/category");
    if (e.programs.empty()) payment_error("an enrolment needs at least one program", here + "/programs");
    out.enrolment_programs.emplace_back();
    for (std::size_t k = 0; k < e.programs.size(); ++k) {
      const std::size_t index = program_at(e.programs[k], here + "/programs/" + std::to_string(k));
      out.enrolment_programs.back().push_back(index);
      const auto& forms = p.programs[index].formulas;
      if (std::none_of(forms.begin(), forms.end(), [&](const formula& f) { return f.category == e.category; }))
        payment_error("the program " + detail::quoted(e.programs[k]) + " has no formula for the category " +
                          detail::quoted(e.category),
                      here + "/programs/" + std::to_string(k));
    }
  }
  for (std::size_t i = 0; i < p.subsidies.size(); ++i) {
    const subsidy& s = p.subsidies[i];
    const std::string here = "/subsidies/" + std::to_string(i);
    if (s.payer.empty()) payment_error("a subsidy needs a payer", here + "/payer");
    out.subsidy_rule.push_back(rule_at(s.who, here + "/who"));
    if (s.programs.empty()) payment_error("a subsidy covers at least one program", here + "/programs");
    for (std::size_t k = 0; k < s.programs.size(); ++k)
      (void)program_at(s.programs[k], here + "/programs/" + std::to_string(k));
    out.rank_keys.emplace_back();
    for (std::size_t k = 0; k < s.rank_by.size(); ++k)
      out.rank_keys.back().push_back(bind_rank_key(s.rank_by[k], rules, here + "/rank_by/" + std::to_string(k)));
    out.subsidy_order.push_back(i);
  }
  std::stable_sort(out.subsidy_order.begin(), out.subsidy_order.end(),
                   [&](std::size_t a, std::size_t b) { return p.subsidies[a].priority < p.subsidies[b].priority; });
  check_figure_ranges(p);
  return out;
}

} // namespace detail

} // namespace entitle
