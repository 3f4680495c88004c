#pragma once

// Decides one condition over one record, for operator-by-operator tests.

#include <entitle/entitle.hpp>

#include <initializer_list>
#include <string>
#include <utility>

namespace rule_check {

/// A schema with one fact of every type.
inline entitle::schema sample_facts() {
  using entitle::fact_type;
  entitle::schema s;
  s.add({"flag", fact_type::boolean, {}, false});
  s.add({"count", fact_type::integer, {}, false});
  s.add({"income", fact_type::money, {}, false});
  s.add({"limit", fact_type::money, {}, false});
  s.add({"share", fact_type::rate, {}, false});
  s.add({"born", fact_type::date, {}, false});
  s.add({"registered", fact_type::date, {}, false});
  s.add({"nik", fact_type::string, {}, false});
  s.add({"code", fact_type::string, {}, false});
  s.add(entitle::enum_field("kind", {"informal", "formal", "asn"}));
  s.add(entitle::enum_field("other_kind", {"informal", "formal", "asn"}));
  return s;
}

using facts_list = std::initializer_list<std::pair<std::string, entitle::literal>>;

inline entitle::record make_record(const entitle::schema& s, facts_list facts) {
  entitle::record r(s.size());
  for (const auto& [name, value] : facts)
    r.set(s, name, value);
  return r;
}

/// The decision of a one-rule policy whose rule is `c`, for a record of `facts`, on `as_of`.
inline entitle::decision decide(entitle::condition c, facts_list facts,
                                entitle::date as_of = entitle::date(2024, 9, 1)) {
  entitle::policy p;
  p.id = "check";
  p.facts = sample_facts();
  p.rules = {entitle::define("r").label("r").reason("R").citation("test").when(std::move(c))};
  const entitle::compiled_policy compiled(std::move(p));
  return compiled.decide(compiled.rule("r"), make_record(compiled.facts(), facts), as_of);
}

inline entitle::verdict check(entitle::condition c, facts_list facts, entitle::date as_of = entitle::date(2024, 9, 1)) {
  return decide(std::move(c), facts, as_of).result;
}

} // namespace rule_check
