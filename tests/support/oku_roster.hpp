#pragma once

// A deterministic generated roster of OKU Timur residents, with the mix a regency's export has:
// mostly valid, some malformed NIKs, some outside the regency, every age, some civil servants,
// some already enrolled, and facts missing here and there.

#include "oku_timur.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value_from.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace oku_timur {

class roster_generator {
public:
  explicit roster_generator(std::uint64_t seed) : state_(seed) {}

  person next() {
    using namespace entitle::literals;
    person p;
    p.nik = "1608" + digits(12);
    const auto nik_kind = below(100);
    if (nik_kind < 3)
      p.nik.pop_back(); // 15 digits
    else if (nik_kind < 4)
      p.nik[7] = 'X'; // not all digits
    p.domicile_code = (below(10) == 0 ? "16.09." : "16.08.") + digits(2) + "." + digits(4);
    const auto day_number = static_cast<int>(below(23'000)); // about 1950-01-01 to 2012-12-21
    p.birth_date = entitle::date(std::chrono::sys_days(std::chrono::days(-7'305 + day_number)));
    const auto employment = below(100);
    p.employment = employment < 60   ? employment_status::informal
                   : employment < 70 ? employment_status::non_asn
                   : employment < 75 ? employment_status::asn
                   : employment < 80 ? employment_status::village_official
                   : employment < 90 ? employment_status::formal_private
                                     : employment_status::unemployed;
    p.occupation = static_cast<occupation_kind>(below(8));
    const auto poor = below(10);
    if (poor < 2)
      p.extreme_poor = true;
    else if (poor < 8)
      p.extreme_poor = false;
    if (below(5) != 0)
      p.monthly_income = entitle::money::from_rupiah(500'000 + 10'000 * static_cast<std::int64_t>(below(450)));
    const auto enrolled = below(20);
    if (enrolled < 2)
      p.enrolled_bpjs_tk = true;
    else if (enrolled < 19)
      p.enrolled_bpjs_tk = false;
    return p;
  }

  std::vector<person> take(std::size_t count) {
    std::vector<person> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
      out.push_back(next());
    return out;
  }

private:
  std::uint64_t below(std::uint64_t bound) {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull; // Knuth's MMIX LCG
    return (state_ >> 33) % bound;
  }
  std::string digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i)
      out += static_cast<char>('0' + below(10));
    return out;
  }
  std::uint64_t state_;
};

/// The person as a JSON record, the way a registry export would carry it: missing facts are
/// left out.
inline boost::json::object to_json(const person& p) {
  boost::json::object out{{"nik", p.nik},
                          {"domicile_code", p.domicile_code},
                          {"birth_date", boost::json::value_from(p.birth_date)},
                          {"employment", boost::describe::enum_to_string(p.employment, "?")},
                          {"occupation", boost::describe::enum_to_string(p.occupation, "?")}};
  if (p.extreme_poor) out["extreme_poor"] = *p.extreme_poor;
  if (p.monthly_income) out["monthly_income"] = entitle::to_rupiah_string(*p.monthly_income);
  if (p.enrolled_bpjs_tk) out["enrolled_bpjs_tk"] = *p.enrolled_bpjs_tk;
  return out;
}

} // namespace oku_timur
