#include "analysis_space.hpp"

#include <entitle/eval/table_coverage.hpp>
#include <entitle/rules/facts_read.hpp>

#include <algorithm>
#include <optional>
#include <string_view>

namespace entitle::detail {
namespace {

// The names of `a`'s enum values that `b` also has, in `a`'s order.
std::vector<std::string> shared_names(const field& a, const field& b) {
  std::vector<std::string> out;
  for (const enumerator& e : a.enumerators)
    if (std::any_of(b.enumerators.begin(), b.enumerators.end(), [&](const enumerator& x) { return x.name == e.name; }))
      out.push_back(e.name);
  return out;
}

void add_cut(std::vector<std::int64_t>& cuts, std::int64_t v) {
  cuts.push_back(v);
  if (v != int_max) cuts.push_back(v + 1);
}

// The least date number of a birth date (or start date) whose age (months since) on `as_of` is
// below `k`: a date is at least k years old exactly when its number is at most the as-of day's
// month and day in the year k years before, so the answer turns one past that.
std::optional<std::int64_t> turning_point(std::int64_t as_of, std::int64_t k, derivation how) {
  const std::int64_t year = as_of >> 9, month = (as_of >> 5) & 15, day = as_of & 31;
  if (k < -1'000'000'000'000 || k > 1'000'000'000'000) return std::nullopt; // no date is that far: no turn
  if (how == derivation::age_in_years) {
    if (year - k < 1 || year - k > 9999) return std::nullopt;
    return (year - k) * 512 + (as_of & 511) + 1;
  }
  const std::int64_t total = year * 12 + (month - 1) - k;
  if (total < 12 || total >= 10000 * 12) return std::nullopt;
  return (total / 12) * 512 + (total % 12 + 1) * 32 + day + 1;
}

// The constants a compare, between or in test on a number names.
std::vector<std::int64_t> tested_numbers(const bound_rules& rules, const bound_node& n) {
  switch (n.what) {
  case condition::kind::compare: return {n.low};
  case condition::kind::between: return {n.low, n.high};
  default: {
    if (n.code == leaf_op::in_small) {
      std::vector<std::int64_t> out;
      for (std::int64_t b = 0; b < 64; ++b)
        if ((static_cast<std::uint64_t>(n.high) >> b) & 1U) out.push_back(b);
      return out;
    }
    return {rules.numbers.begin() + n.first, rules.numbers.begin() + n.first + n.count};
  }
  }
}

// The nodes that only a test on a derived value reaches: their slots 0 and 1 are not facts.
std::vector<bool> local_inner_nodes(const bound_rules& rules) {
  std::vector<bool> inner(rules.nodes.size(), false);
  for (const bound_node& n : rules.nodes)
    if (n.code == leaf_op::local) inner[n.first] = true;
  return inner;
}

// Strings of `length` characters starting with `prefix`, the rest all digits or not, that are
// none of `taken`; none when `length` is shorter than the prefix.
std::optional<std::string> filled(std::string_view prefix, std::size_t length, bool digits,
                                  const std::vector<std::string>& taken) {
  if (length < prefix.size()) return std::nullopt;
  if (length == prefix.size()) {
    if (std::find(taken.begin(), taken.end(), prefix) != taken.end()) return std::nullopt;
    return std::string(prefix);
  }
  for (const char fill : digits ? std::string_view("0123456789") : std::string_view("xyzw")) {
    std::string s(prefix);
    s.append(length - prefix.size(), digits ? fill : '0');
    if (!digits) s[prefix.size()] = fill;
    if (std::find(taken.begin(), taken.end(), s) == taken.end()) return s;
  }
  return std::nullopt;
}

bool nested(const std::vector<std::string>& prefixes) {
  for (const auto& a : prefixes)
    for (const auto& b : prefixes)
      if (&a != &b && b.size() >= a.size() && std::string_view(b).starts_with(a)) return true;
  return false;
}

// The first characters, digits or not, that no prefix starts with.
std::vector<char> free_starts(const std::vector<std::string>& prefixes, bool digit) {
  std::vector<char> out;
  for (const char c : digit ? std::string_view("0123456789") : std::string_view("xyzwabc#-"))
    if (std::none_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return !p.empty() && p[0] == c; }))
      out.push_back(c);
  return out;
}

} // namespace

search_space::search_space(std::span<const bound_rules* const> policies, date as_of)
    : policies_(policies.begin(), policies.end()) {
  bind(policies);
  constants_.resize(facts_.size());
  for (std::size_t k = 0; k < policies.size(); ++k)
    collect(*policies[k], k, date_number(as_of));
  choose_values();
}

// Facts of one name are one fact when their types agree; an enum keeps the values every policy
// declaring it has (a value one of them lacks is refused by that policy's roster).
void search_space::bind(std::span<const bound_rules* const> policies) {
  index_.resize(policies.size());
  for (std::size_t k = 0; k < policies.size(); ++k) {
    const schema& facts = policies[k]->facts;
    for (std::size_t slot = 0; slot < facts.size(); ++slot) {
      const field& f = facts.at(slot);
      auto same = std::find_if(facts_.begin(), facts_.end(), [&](const space_fact& s) {
        return s.name == f.name && std::none_of(s.bindings.begin(), s.bindings.end(),
                                                [&](const space_binding& b) { return b.policy == k; });
      });
      if (same == facts_.end()) {
        facts_.push_back({f.name, f, {}, {}, {}, {}, true, {}});
        domains_.push_back({{int_min, int_max}});
        same = facts_.end() - 1;
      } else if (same->declared.type != f.type ||
                 (f.type == fact_type::enumeration && shared_names(same->declared, f).empty())) {
        same->conflict = "the fact " + f.name + " is declared as " + std::string(type_name(same->declared.type)) +
                         " in one policy and as " + std::string(type_name(f.type)) +
                         (f.type == same->declared.type ? " of other values" : "") + " in another";
      }
      const auto u = static_cast<std::size_t>(same - facts_.begin());
      same->bindings.push_back({k, slot});
      same->declared.required = same->declared.required || f.required;
      if (same->declared.type == f.type && f.type != fact_type::enumeration)
        domains_[u] = intersect(domains_[u], domain_of(f));
      index_[k].push_back(u);
    }
  }
}

std::size_t search_space::binding_of(std::size_t fact, std::size_t policy) const {
  const auto& bindings = facts_[fact].bindings;
  for (std::size_t b = 0; b < bindings.size(); ++b)
    if (bindings[b].policy == policy) return b;
  return 0;
}

void search_space::collect(const bound_rules& rules, std::size_t policy, std::int64_t as_of) {
  const std::vector<bool> inner = local_inner_nodes(rules);
  const auto inexact = [&](std::size_t slot, const std::string& why) {
    space_fact& f = facts_[index_[policy][slot]];
    if (f.exact) f.inexact_why = f.name + " " + why;
    f.exact = false;
  };
  for (std::size_t i = 0; i < rules.nodes.size(); ++i) {
    const bound_node& n = rules.nodes[i];
    if (n.code == leaf_op::composite || inner[i]) continue;
    if (n.code == leaf_op::local) {
      const std::string name = rules.field_at(static_cast<std::size_t>(n.low)).name;
      auto mark = [&](std::size_t slot, derivation) { inexact(slot, "is tested through the derived value " + name); };
      visit_leaf(rules, n, mark);
      continue;
    }
    constants& c = constants_[index_[policy][n.slot]];
    switch (n.code) {
    case leaf_op::present:
    case leaf_op::missing: break;
    case leaf_op::eq_text:
    case leaf_op::ne_text: c.texts.push_back(rules.texts[static_cast<std::size_t>(n.low)]); break;
    case leaf_op::in_texts:
      c.texts.insert(c.texts.end(), rules.texts.begin() + n.first, rules.texts.begin() + n.first + n.count);
      break;
    case leaf_op::starts_with:
    case leaf_op::starts_short:
      c.prefixes.insert(c.prefixes.end(), rules.texts.begin() + n.first, rules.texts.begin() + n.first + n.count);
      break;
    case leaf_op::digits:
    case leaf_op::length: c.lengths.push_back(n.low); break;
    case leaf_op::facts: {
      const std::string with = rules.field_at(n.other_slot).name;
      inexact(n.slot, "is compared with the fact " + with);
      inexact(n.other_slot, "is compared with the fact " + rules.field_at(n.slot).name);
      break;
    }
    case leaf_op::derived:
      for (const std::int64_t k : tested_numbers(rules, n))
        for (const std::int64_t at : {k, k == int_max ? k : k + 1})
          if (const auto cut = turning_point(as_of, at, n.derive)) c.cuts.push_back(*cut);
      break;
    default:
      for (const std::int64_t k : tested_numbers(rules, n))
        add_cut(c.cuts, k);
    }
  }
}

namespace {

// The greatest valid date number (first-of-month number for months) at or before n, if any.
std::optional<std::int64_t> previous_calendar_number(std::int64_t n, bool months) {
  for (std::int64_t x = n, steps = 0; steps < 1024 && x > 0; --x, ++steps)
    if (next_calendar_number(x, months) == x) return x;
  return std::nullopt;
}

// One value from each piece of `domain` between the cuts: a piece's least (the first calendar
// day or month for dates and months), except that the first piece below a cut gives its
// greatest, the value next to the cut (an age of 66 rather than a birth in the year 1), and a
// piece without a least gives its greatest or 0.
std::vector<std::int64_t> piece_values(const interval_set& domain, std::vector<std::int64_t> cuts, fact_type type) {
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const bool calendar = type == fact_type::date || type == fact_type::month;
  std::vector<std::int64_t> out;
  for (const auto& [lo, hi] : domain) {
    std::vector<std::int64_t> starts{lo};
    for (auto it = std::upper_bound(cuts.begin(), cuts.end(), lo); it != cuts.end() && *it <= hi; ++it)
      starts.push_back(*it);
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const std::int64_t end = k + 1 < starts.size() ? starts[k + 1] - 1 : hi;
      const bool below_a_cut = k == 0 && starts.size() > 1;
      if (calendar) {
        const auto v = below_a_cut ? previous_calendar_number(end, type == fact_type::month)
                                   : next_calendar_number(starts[k], type == fact_type::month);
        if (v && *v <= end && *v >= starts[k]) out.push_back(*v);
      } else if (below_a_cut) {
        out.push_back(end);
      } else if (starts[k] != int_min) {
        out.push_back(starts[k]);
      } else {
        out.push_back(end == int_max ? 0 : end);
      }
    }
  }
  return out;
}

} // namespace

// Strings for each class the tests tell apart: each prefix named, filled to each length named
// with digits or not; each whole string named; strings starting with no prefix, of each length,
// digits or not; and the empty string.
std::vector<std::string> search_space::string_values(constants& c, space_fact& f) {
  const auto inexact = [&](const std::string& why) {
    if (f.exact) f.inexact_why = f.name + " " + why;
    f.exact = false;
  };
  std::sort(c.prefixes.begin(), c.prefixes.end());
  c.prefixes.erase(std::unique(c.prefixes.begin(), c.prefixes.end()), c.prefixes.end());
  std::vector<std::size_t> lengths;
  for (const std::int64_t n : c.lengths) {
    if (n > static_cast<std::int64_t>(max_modelled_length)) {
      inexact("is tested for a length of " + std::to_string(n) + " characters, longer than the analysis builds");
      continue;
    }
    lengths.push_back(static_cast<std::size_t>(n));
  }
  for (const auto& s : c.texts)
    lengths.push_back(s.size());
  for (const auto& s : c.prefixes)
    lengths.push_back(s.size());
  lengths.push_back((lengths.empty() ? 0 : *std::max_element(lengths.begin(), lengths.end())) + 1);
  std::sort(lengths.begin(), lengths.end());
  lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
  std::vector<std::string> out;
  std::size_t bytes = 0;
  const auto add = [&](std::optional<std::string> s) {
    if (!s || std::find(out.begin(), out.end(), *s) != out.end()) return;
    bytes += s->size();
    out.push_back(std::move(*s));
  };
  // Room for a built string of n characters; the strings named are always added.
  const auto room = [&](std::size_t n) {
    if (out.size() < max_string_values && bytes + n <= max_string_bytes) return true;
    inexact("is tested for so many prefixes and lengths that the analysis builds only some of their strings");
    return false;
  };
  for (const auto& p : c.prefixes)
    for (const std::size_t n : lengths)
      for (const bool digits : {true, false})
        if (room(n)) add(filled(p, n, digits, c.texts));
  for (const auto& s : c.texts)
    add(s);
  for (const bool digit : {true, false}) {
    const std::vector<char> starts = free_starts(c.prefixes, digit);
    if (starts.empty()) {
      inexact(std::string("is tested for prefixes that start with every ") + (digit ? "digit" : "letter tried"));
      continue;
    }
    for (const std::size_t n : lengths)
      for (const bool digits : {true, false}) {
        if (n == 0 || (digits && !digit) || !room(n)) continue;
        std::optional<std::string> s;
        for (std::size_t k = 0; k < starts.size() && !s; ++k)
          s = filled(std::string(1, starts[k]), n, digits, c.texts);
        if (!s) inexact("is tested for so many strings of " + std::to_string(n) + " characters that none is left over");
        add(std::move(s));
      }
  }
  add(std::string());
  if (!c.prefixes.empty() && (!c.texts.empty() || nested(c.prefixes)))
    inexact(c.texts.empty() ? "is tested for prefixes of one another"
                            : "is tested for both whole strings and prefixes");
  return out;
}

void search_space::choose_values() {
  for (std::size_t u = 0; u < facts_.size(); ++u) {
    space_fact& f = facts_[u];
    constants& c = constants_[u];
    const fact_type type = f.declared.type;
    if (type == fact_type::string) {
      std::vector<std::string> texts = string_values(c, f);
      for (auto& s : texts)
        f.values.push_back(fact_value::of_text(strings_.emplace_back(std::move(s))));
    } else {
      interval_set domain = domains_[u];
      if (type == fact_type::date || type == fact_type::month)
        domain = intersect(domain, {{date_number(date(1, 1, 1)), date_number(date(9999, 12, 31))}});
      if (type == fact_type::boolean) {
        f.values = {fact_value::of_number(1), fact_value::of_number(0)};
      } else if (type == fact_type::enumeration) {
        // Every value, by name: policies number their values differently, and there are few.
        for (const enumerator& e : f.declared.enumerators)
          f.values.push_back(fact_value::of_number(e.value));
      } else {
        for (const std::int64_t v : piece_values(domain, c.cuts, type))
          f.values.push_back(fact_value::of_number(v));
      }
    }
    if (!f.declared.required) f.values.push_back(fact_value::missing());
    hold(f);
  }
}

// The values as each binding's policy holds them; an enum value another policy lacks is dropped.
void search_space::hold(space_fact& f) const {
  f.held.assign(f.bindings.size(), {});
  if (f.declared.type != fact_type::enumeration || !f.conflict.empty()) {
    for (auto& held : f.held)
      held = f.values;
    return;
  }
  std::vector<fact_value> kept;
  for (const fact_value& v : f.values) {
    std::vector<fact_value> as_held;
    for (const space_binding& b : f.bindings) {
      if (!v.present) {
        as_held.push_back(v);
        continue;
      }
      const field& declared = policies_[b.policy]->facts.at(b.slot);
      const auto name = f.declared.enumerator_name(v.number);
      for (const enumerator& e : declared.enumerators)
        if (e.name == name) as_held.push_back(fact_value::of_number(e.value));
    }
    if (as_held.size() != f.bindings.size()) continue;
    kept.push_back(v);
    for (std::size_t b = 0; b < as_held.size(); ++b)
      f.held[b].push_back(as_held[b]);
  }
  f.values = std::move(kept);
}

} // namespace entitle::detail
