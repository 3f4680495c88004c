// Who in this village qualifies for OKU Timur's vulnerable-worker coverage, and why not?
//
// A village information system exports its residents as JSON lines. The regency's eligibility
// policy is a JSON file (policies/oku-timur/pekerja-rentan-2024.json) with its own fact schema,
// so the village system needs no C++ struct of its own: it reads each resident as a record,
// decides, and prints the reasons or the facts still missing. For the undetermined resident it
// prints the whole explanation, as the field officer who must complete the data would see it.
//
// Usage: entitle_example_eligibility_check [POLICY_FILE]

#include <entitle/entitle.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace entitle;

namespace {

// Residents as the village system exports them: one JSON object a line; unknown facts left out.
constexpr std::string_view residents = R"j(
{"nik": "1608031507800001", "name": "Ahmad", "domicile_code": "16.08.03.2001", "birth_date": "1980-07-15", "employment": "informal", "occupation": "guru_mengaji", "extreme_poor": false, "monthly_income": 900000, "enrolled_bpjs_tk": false}
{"nik": "1608034102650002", "name": "Siti", "domicile_code": "16.08.03.2001", "birth_date": "1965-02-01", "employment": "informal", "occupation": "pedagang", "monthly_income": "Rp1.750.000", "enrolled_bpjs_tk": false}
{"nik": "1608031203750003", "name": "Darmawan", "domicile_code": "16.08.03.2001", "birth_date": "1975-03-12", "employment": "informal", "occupation": "petani", "enrolled_bpjs_tk": false}
{"nik": "1608032208900004", "name": "Rudi", "domicile_code": "16.08.03.2001", "birth_date": "1990-08-22", "employment": "asn", "occupation": "lainnya", "extreme_poor": false, "monthly_income": 4500000, "enrolled_bpjs_tk": false}
{"nik": "160803010199005", "name": "Wati", "domicile_code": "16.08.03.2001", "birth_date": "1999-01-01", "employment": "informal", "occupation": "petani", "enrolled_bpjs_tk": false}
)j";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : ENTITLE_POLICIES_DIR "/oku-timur/pekerja-rentan-2024.json";
  const compiled_policy policy = compile_policy(read_file(path));
  const rule_handle rentan = policy.rule("rentan_oku_timur_2024");
  const date as_of(2024, 9, 1);

  std::cout << policy.source().title << ", as of " << as_of << "\n\n";
  std::istringstream lines{std::string(residents)};
  std::string line, explained;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const auto json = parse_json(line);
    const record person = record_from_json(policy.facts(), json);
    const decision d = policy.decide(rentan, person, as_of);
    std::string why;
    for (std::string_view reason : policy.reasons(d))
      why += (why.empty() ? "" : ", ") + std::string(reason);
    for (std::string_view fact : policy.missing_facts(d))
      why += (why.empty() ? "missing " : ", ") + std::string(fact);
    const std::string name(json.at("name").as_string());
    std::cout << "  " << name << std::string(10 - name.size(), ' ') << to_string(d.outcome);
    if (!why.empty()) std::cout << std::string(14 - to_string(d.outcome).size(), ' ') << why;
    std::cout << '\n';
    if (name == "Darmawan") explained = to_text(policy.explain(rentan, person, as_of));
  }
  std::cout << "\nWhy Darmawan is undetermined:\n" << explained;
  return 0;
} catch (const std::exception& e) {
  std::cerr << "eligibility_check: " << e.what() << '\n';
  return 1;
}

// Output:
// Pekerja rentan Kabupaten OKU Timur 2024, as of 2024-09-01
//
//   Ahmad     eligible
//   Siti      eligible
//   Darmawan  undetermined  missing extreme_poor, monthly_income
//   Rudi      ineligible    ASN, BUKAN_PEKERJA_RENTAN
//   Wati      ineligible    NIK_TIDAK_VALID
//
// Why Darmawan is undetermined:
// rentan_oku_timur_2024 on 2024-09-01: undetermined; missing facts: extreme_poor, monthly_income
// ✓ ... (five requirements met)
// ? pekerja_rentan: Guru mengaji atau marbot, ... [Inpres 2/2021; Inpres 4/2022 (kemiskinan ekstrem)]
//   ? any of
//     ✗ occupation in {guru_mengaji, marbot} (actual petani)
//     ? extreme_poor = true (actual missing)
//     ? all of
//       ✓ employment = informal (actual informal)
//       ? monthly_income <= Rp2.000.000 (actual missing)
