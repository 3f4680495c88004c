#pragma once

// The facts the roster and record tests read: one of every type a CSV cell or JSON value can
// hold (string, date, enum, money, bool, integer, and a rate and a month when asked), birth_date
// required.

#include <entitle/rules/schema.hpp>

namespace entitle_test {

// Slots: nik 0, birth_date 1, employment 2, monthly_income 3, extreme_poor 4, children 5, and
// with `all_types` share 6 and start_month 7.
inline entitle::schema every_type_facts(bool all_types) {
  using namespace entitle;
  schema s;
  s.add({"nik", fact_type::string, {}, false});
  s.add({"birth_date", fact_type::date, {}, true});
  s.add(enum_field("employment", {"asn", "non_asn", "informal"}));
  s.add({"monthly_income", fact_type::money, {}, false});
  s.add({"extreme_poor", fact_type::boolean, {}, false});
  s.add({"children", fact_type::integer, {}, false});
  if (all_types) {
    s.add({"share", fact_type::rate, {}, false});
    s.add({"start_month", fact_type::month, {}, false});
  }
  return s;
}

} // namespace entitle_test
