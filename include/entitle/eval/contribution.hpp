#pragma once

#include <entitle/core/detail/arithmetic.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/eval/figure_ranges.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>

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
  money total; ///< everything paid
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
  text += '\n';
  for (const program_month& item : s.items) {
    text += to_string(item.when) + " " + item.program + " (" + item.enrolment + ", " + item.category + "): ";
    if (item.outcome == status::undetermined) {
      if (!item.lines.empty() || item.due != money()) text += "due " + to_rupiah_string(item.due) + ", ";
      text += "undetermined";
      if (!item.missing.empty()) text += "; missing facts: " + names(item.missing);
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
  std::vector<std::vector<std::size_t>> rank_slots;               // [subsidy][k]: the fact of rank_by[k]
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
    for (std::size_t f = 0; f < prog.formulas.size(); ++f) {
      const formula& form = prog.formulas[f];
      const std::string at = here + "/formulas/" + std::to_string(f);
      if (form.category.empty()) payment_error("a formula needs a participant category", at + "/category");
      out.when.back().push_back(form.when.empty() ? bound_payments::no_rule : rule_at(form.when, at + "/when"));
      const contribution_base& base = form.base;
      if (!base.fact.empty() && base.fixed)
        payment_error("a base is a \"fact\" or a \"fixed\" amount, not both", at + "/base");
      if (!base.fact.empty()) {
        const auto slot = rules.facts.find(base.fact);
        if (!slot) payment_error("no fact is called " + detail::quoted(base.fact), at + "/base/fact");
        if (rules.facts.at(*slot).type != fact_type::money)
          payment_error("the base fact " + detail::quoted(base.fact) + " is " +
                            std::string(type_name(rules.facts.at(*slot).type)) + "; a base must be money",
                        at + "/base/fact");
        out.base_slot.back().push_back(*slot);
      } else {
        out.base_slot.back().push_back(std::nullopt);
      }
      for (std::size_t b = 1; b < base.brackets.size(); ++b)
        if (!(base.brackets[b - 1] < base.brackets[b]))
          payment_error("bracket levels must increase", at + "/base/brackets/" + std::to_string(b));
      if (form.parts.empty()) payment_error("a formula needs at least one part", at + "/parts");
      for (std::size_t k = 0; k < form.parts.size(); ++k) {
        const contribution_part& part = form.parts[k];
        const std::string pat = at + "/parts/" + std::to_string(k);
        if (part.payer.empty() == part.recomposed_from.empty())
          payment_error("a part names either a \"payer\" or \"recomposed_from\"", pat);
        if (part.share.has_value() == part.amount.has_value())
          payment_error("a part has either a \"share\" of the base or a flat \"amount\"", pat);
        if (part.share && base.fact.empty() && !base.fixed)
          payment_error("a share needs a base: a \"fact\" or a \"fixed\" amount", at + "/base");
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
    out.rank_slots.emplace_back();
    for (std::size_t k = 0; k < s.rank_by.size(); ++k) {
      const std::string at = here + "/rank_by/" + std::to_string(k) + "/fact";
      const auto slot = rules.facts.find(s.rank_by[k].fact);
      if (!slot) payment_error("no fact is called " + detail::quoted(s.rank_by[k].fact), at);
      if (rules.facts.at(*slot).type == fact_type::string)
        payment_error("the fact " + detail::quoted(s.rank_by[k].fact) +
                          " is a string; rank by a number, amount, rate, date, bool or enum",
                      at);
      out.rank_slots.back().push_back(*slot);
    }
    out.subsidy_order.push_back(i);
  }
  std::stable_sort(out.subsidy_order.begin(), out.subsidy_order.end(),
                   [&](std::size_t a, std::size_t b) { return p.subsidies[a].priority < p.subsidies[b].priority; });
  check_figure_ranges(p);
  return out;
}

// One payable or recomposed part of a program-month before subsidies.
struct part_amount {
  const contribution_part* part;
  std::string payer; // after the enrolment's roles
  money amount;
  std::string citation;
  std::string source; // "JKK/PU formula 0, part 1"
};

// What the payer roles owe of `parts`: the parts that are not recomposed.
inline money payable_of(const std::vector<part_amount>& parts) {
  money sum;
  for (const auto& part : parts)
    if (part.part->recomposed_from.empty()) sum += part.amount;
  return sum;
}

// Works out one person's contributions; `b` must come from `bind_payments(p, rules)`.
class payment_walk {
public:
  payment_walk(const policy& p, const bound_rules& rules, const bound_payments& b, std::span<const fact_value> facts)
      : p_(p), rules_(rules), b_(b), facts_(facts) {}

  // Subsidies this person is not funded by (a quota or budget ran out), by index, each with the
  // note its lines say instead; see `batch`.
  payment_walk& deny(std::size_t subsidy_index, std::string note) {
    denied_.emplace_back(subsidy_index, std::move(note));
    return *this;
  }

  contribution_statement run(month_range period) const {
    contribution_statement out;
    out.policy = p_.id;
    out.period = period;
    for (const month m : period) {
      const date day = m.first_day();
      for (std::size_t e = 0; e < p_.enrolments.size(); ++e) {
        const decision who = entitle::decide(rules_, b_.enrolment_rule[e], facts_, day);
        if (who.result == verdict::no) continue;
        for (const std::size_t prog : b_.enrolment_programs[e]) {
          program_month item = program_item(m, e, prog, who);
          if (item.outcome != status::ineligible) out.items.push_back(std::move(item));
        }
      }
    }
    for (const auto& item : out.items)
      for (const auto& line : item.lines) {
        if (line.what == payment_line::kind::recomposed) continue;
        add_total(out, line.payer, line.amount);
        out.total += line.amount;
      }
    return out;
  }

private:
  static void add_total(contribution_statement& out, const std::string& payer, money amount) {
    for (auto& [name, sum] : out.totals)
      if (name == payer) {
        sum += amount;
        return;
      }
    out.totals.emplace_back(payer, amount);
  }

  void add_missing(program_month& item, const decision& d) const {
    item.outcome = status::undetermined;
    for (std::size_t slot = 0; slot < rules_.facts.size(); ++slot)
      if (d.missing.test(slot)) {
        const std::string& name = rules_.facts.fields()[slot].name;
        if (std::find(item.missing.begin(), item.missing.end(), name) == item.missing.end())
          item.missing.push_back(name);
      }
  }

  program_month program_item(month m, std::size_t e, std::size_t prog, const decision& who) const {
    const enrolment& enrol = p_.enrolments[e];
    const program& program_def = p_.programs[prog];
    const date day = m.first_day();
    program_month item;
    item.when = m;
    item.enrolment = enrol.id;
    item.program = program_def.id;
    item.category = enrol.category;
    if (who.result == verdict::unknown) {
      add_missing(item, who);
      item.notes.push_back("whether the enrolment rule " + detail::quoted(enrol.who) + " holds is not known");
      return item;
    }
    // The first formula for the category whose rule is yes.
    const formula* chosen = nullptr;
    std::size_t chosen_index = 0;
    for (std::size_t f = 0; f < program_def.formulas.size() && !chosen; ++f) {
      const formula& form = program_def.formulas[f];
      if (form.category != enrol.category) continue;
      const std::uint32_t when = b_.when[prog][f];
      if (when != bound_payments::no_rule) {
        const decision d = entitle::decide(rules_, when, facts_, day);
        if (d.result == verdict::unknown) {
          add_missing(item, d);
          item.notes.push_back("whether the formula rule " + detail::quoted(form.when) + " holds is not known");
          return item;
        }
        if (d.result == verdict::no) continue;
      }
      chosen = &form;
      chosen_index = f;
    }
    if (!chosen) {
      item.outcome = status::ineligible;
      return item;
    }
    const std::string source = program_def.id + "/" + enrol.category + " formula " + std::to_string(chosen_index);
    std::optional<money> base = enrol.base ? std::optional<money>(bounded(chosen->base, *enrol.base, day, item))
                                           : base_of(*chosen, b_.base_slot[prog][chosen_index], day, item);
    if (item.outcome == status::undetermined) return item;
    std::vector<part_amount> parts = parts_of(*chosen, base, day, enrol, source);
    if (parts.empty()) {
      item.outcome = status::ineligible; // nothing of this program is in force this month
      return item;
    }
    adjust(parts, program_def.id, enrol.category, day, item);
    for (const auto& part : parts)
      item.due += part.amount;
    apply_subsidies(item, parts, *chosen, m, enrol);
    return item;
  }

  // The base in force on `day`, or nothing when the formula has only flat parts.
  std::optional<money> base_of(const formula& form, std::optional<std::size_t> slot, date day,
                               program_month& item) const {
    const contribution_base& base = form.base;
    money value;
    if (slot) {
      const fact_value& fact = facts_[*slot];
      if (!fact.present) {
        item.outcome = status::undetermined;
        item.missing.push_back(base.fact);
        return std::nullopt;
      }
      value = money::from_minor_units(fact.number);
    } else if (base.fixed) {
      const auto* fixed = base.fixed->find(day);
      if (!fixed) return std::nullopt;
      value = fixed->value;
    } else {
      return std::nullopt;
    }
    return bounded(base, value, day, item);
  }

  // `value` within the base's floor, ceiling and brackets in force on `day`.
  static money bounded(const contribution_base& base, money value, date day, program_month& item) {
    if (base.floor)
      if (const auto* floor = base.floor->find(day); floor && value < floor->value) {
        item.notes.push_back("base raised to the floor " + to_rupiah_string(floor->value) + " (" + floor->citation +
                             ")");
        value = floor->value;
      }
    if (base.ceiling)
      if (const auto* ceiling = base.ceiling->find(day); ceiling && ceiling->value < value) {
        item.notes.push_back("base capped at " + to_rupiah_string(ceiling->value) + " (" + ceiling->citation + ")");
        value = ceiling->value;
      }
    if (!base.brackets.empty()) {
      money level = base.brackets.front();
      for (const money b : base.brackets)
        if (b <= value) level = b;
      if (level != value) item.notes.push_back("base taken at the bracket " + to_rupiah_string(level));
      value = level;
    }
    return value;
  }

  std::vector<part_amount> parts_of(const formula& form, std::optional<money> base, date day, const enrolment& enrol,
                                    const std::string& source) const {
    std::vector<part_amount> out;
    for (std::size_t k = 0; k < form.parts.size(); ++k) {
      const contribution_part& part = form.parts[k];
      part_amount a{&part, {}, {}, {}, source + ", part " + std::to_string(k)};
      if (part.share) {
        const auto* share = part.share->find(day);
        if (!share || !base) continue;
        a.amount = base->times(share->value, form.mode, form.unit);
        a.citation = share->citation;
      } else {
        const auto* flat = part.amount->find(day);
        if (!flat) continue;
        a.amount = flat->value;
        a.citation = flat->citation;
      }
      if (part.recomposed_from.empty()) {
        const auto role = enrol.roles.find(part.payer);
        a.payer = role == enrol.roles.end() ? part.payer : role->second;
      } else {
        a.payer = part.recomposed_from;
      }
      out.push_back(std::move(a));
    }
    return out;
  }

  void adjust(std::vector<part_amount>& parts, const std::string& program_id, const std::string& category, date day,
              program_month& item) const {
    for (const adjustment& adj : p_.adjustments) {
      if (std::find(adj.programs.begin(), adj.programs.end(), program_id) == adj.programs.end()) continue;
      if (!adj.categories.empty() &&
          std::find(adj.categories.begin(), adj.categories.end(), category) == adj.categories.end())
        continue;
      const auto* factor = adj.factor.find(day);
      if (!factor) continue;
      for (auto& part : parts)
        part.amount = part.amount.times(factor->value, adj.mode, adj.unit);
      item.notes.push_back("adjustment " + adj.id + ": " + to_string(factor->value) + " of the normal amount (" +
                           factor->citation + ")");
    }
  }

  void apply_subsidies(program_month& item, std::vector<part_amount>& parts, const formula& form, month m,
                       const enrolment& enrol) const {
    const money payable = payable_of(parts); // before subsidies
    money remaining = payable;
    const date day = m.first_day();
    std::vector<std::string> earlier;
    for (const std::size_t s : b_.subsidy_order) {
      const subsidy& sub = p_.subsidies[s];
      if (!sub.window.contains(m)) continue;
      if (std::find(sub.programs.begin(), sub.programs.end(), item.program) == sub.programs.end()) continue;
      const decision d = entitle::decide(rules_, b_.subsidy_rule[s], facts_, day);
      if (d.result == verdict::no) continue;
      if (const auto denied = std::find_if(denied_.begin(), denied_.end(), [&](const auto& x) { return x.first == s; });
          denied != denied_.end()) {
        item.notes.push_back("subsidy " + sub.id + " does not pay: " + denied->second);
        continue;
      }
      if (d.result == verdict::unknown) {
        add_missing(item, d);
        item.notes.push_back("whether the subsidy " + sub.id + " applies is not known");
        continue;
      }
      money claim;
      switch (sub.share.how) {
      case subsidy_share::kind::percent: claim = payable.times(sub.share.percent, form.mode, form.unit); break;
      case subsidy_share::kind::amount: claim = sub.share.amount; break;
      case subsidy_share::kind::on_base: claim = on_base(form, sub.share.amount, day, item, enrol); break;
      }
      const money granted = std::min(claim, remaining);
      payment_line line{payment_line::kind::subsidy, sub.payer, granted, "subsidy " + sub.id, sub.citation, {}};
      if (granted < claim)
        line.note = "claims " + to_rupiah_string(claim) + "; only " + to_rupiah_string(granted) + " remained" +
                    (earlier.empty() ? std::string() : " after " + join(earlier));
      take_from(parts, granted);
      remaining -= granted;
      earlier.push_back(sub.id);
      if (granted != money() || !line.note.empty()) item.lines.push_back(std::move(line));
    }
    for (const auto& part : parts) {
      const bool recomposed = !part.part->recomposed_from.empty();
      if (part.amount == money()) continue;
      payment_line line{recomposed ? payment_line::kind::recomposed : payment_line::kind::payer,
                        part.payer,
                        part.amount,
                        part.source,
                        part.citation,
                        {}};
      item.lines.push_back(std::move(line));
    }
  }

  // The payable contribution of `form` on the fixed base `base_amount` (a subsidy "on a base").
  money on_base(const formula& form, money base_amount, date day, program_month& item, const enrolment& enrol) const {
    program_month scratch;
    const money base = bounded(form.base, base_amount, day, scratch);
    std::vector<part_amount> parts = parts_of(form, base, day, enrol, {});
    adjust(parts, item.program, item.category, day, scratch);
    return payable_of(parts);
  }

  // Takes `amount` off the payer parts, in proportion to each, exactly: each part gives up its
  // share rounded down, and the sen left over come off the parts in order.
  static void take_from(std::vector<part_amount>& parts, money amount) {
    const money payable = payable_of(parts);
    if (payable == money() || amount == money()) return;
    money taken;
    for (auto& part : parts) {
      if (!part.part->recomposed_from.empty()) continue;
      const detail::int128 share = static_cast<detail::int128>(amount.minor_units()) * part.amount.minor_units() /
                                   payable.minor_units(); // at most part.amount, so it fits
      const money cut = money::from_minor_units(static_cast<std::int64_t>(share));
      part.amount -= cut;
      taken += cut;
    }
    money left = amount - taken;
    for (auto& part : parts) {
      if (!part.part->recomposed_from.empty() || left == money()) continue;
      const money cut = std::min(left, part.amount);
      part.amount -= cut;
      left -= cut;
    }
  }

  static std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
      out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  const policy& p_;
  const bound_rules& rules_;
  const bound_payments& b_;
  std::span<const fact_value> facts_;
  std::vector<std::pair<std::size_t, std::string>> denied_;
};

} // namespace detail

} // namespace entitle
