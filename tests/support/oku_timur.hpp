#pragma once

// The OKU Timur vulnerable-worker story (seed 000, September 2024), shared by the tests and the
// benchmarks: the regency's own person record as a described struct, and the eligibility rule
// written in C++. policies/oku-timur/pekerja-rentan-2024.json is the same rule in policy JSON.

#include <entitle/entitle.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <optional>
#include <string>

namespace oku_timur {

enum class employment_status { asn, non_asn, village_official, informal, formal_private, unemployed };
BOOST_DESCRIBE_ENUM(employment_status, asn, non_asn, village_official, informal, formal_private, unemployed)

enum class occupation_kind { guru_mengaji, marbot, petani, nelayan, pedagang, buruh_harian, ojek, lainnya };
BOOST_DESCRIBE_ENUM(occupation_kind, guru_mengaji, marbot, petani, nelayan, pedagang, buruh_harian, ojek, lainnya)

/// A person as the regency's registry holds them. Optional members may be unknown.
struct person {
  std::string nik;           // 16-digit national identity number
  std::string domicile_code; // Kemendagri code of the village, e.g. "16.08.03.2001"
  entitle::date birth_date;
  employment_status employment;
  occupation_kind occupation;
  std::optional<bool> extreme_poor;             // on the extreme-poverty register (Inpres 4/2022)
  std::optional<entitle::money> monthly_income; // declared monthly income
  std::optional<bool> enrolled_bpjs_tk;         // already a BPJS Ketenagakerjaan participant
};
BOOST_DESCRIBE_STRUCT(person, (),
                      (nik, domicile_code, birth_date, employment, occupation, extreme_poor, monthly_income,
                       enrolled_bpjs_tk))

/// The eligibility rule: a requirement list, as a field officer's checklist reads.
inline entitle::policy rentan_policy(entitle::schema facts) {
  using namespace entitle;
  using namespace entitle::literals;
  const rule nik_valid = define("nik_valid")
                             .label("NIK 16 digit")
                             .reason("NIK_TIDAK_VALID")
                             .citation("Inpres 2/2021 (NIK-based membership data)")
                             .when(fact("nik").digits(16));
  const rule resident = define("penduduk_oku_timur")
                            .label("Berdomisili di Kabupaten OKU Timur")
                            .reason("BUKAN_PENDUDUK_OKU_TIMUR")
                            .citation("PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Baturaja, 2024")
                            .when(fact("domicile_code").starts_with({"16.08."}));
  const rule working_age = define("usia_15_65")
                               .label("Usia 15 sampai 65 tahun")
                               .reason("USIA_DI_LUAR_BATAS")
                               .citation("Kebijakan program (batas usia 15-65)")
                               .when(age_of("birth_date").between(15, 65));
  const rule not_civil_servant = define("bukan_asn")
                                     .label("Bukan ASN")
                                     .reason("ASN")
                                     .citation("PP 70/2015 (ASN dilindungi JKK/JKM melalui TASPEN)")
                                     .when(fact("employment").is_not("asn"));
  const rule not_enrolled = define("belum_terdaftar")
                                .label("Belum terdaftar sebagai peserta BPJS Ketenagakerjaan")
                                .reason("SUDAH_TERDAFTAR")
                                .citation("PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Baturaja, 2024")
                                .when(fact("enrolled_bpjs_tk").is(false));
  const rule vulnerable =
      define("pekerja_rentan")
          .label("Guru mengaji atau marbot, miskin ekstrem, atau pekerja informal berpenghasilan rendah")
          .reason("BUKAN_PEKERJA_RENTAN")
          .citation("Inpres 2/2021; Inpres 4/2022 (kemiskinan ekstrem)")
          .when(any({fact("occupation").in({"guru_mengaji", "marbot"}), fact("extreme_poor").is(true),
                     all({fact("employment").is("informal"), fact("monthly_income").at_most(2'000'000_rp)})}));
  const rule eligible =
      define("rentan_oku_timur_2024")
          .label("Peserta pekerja rentan OKU Timur 2024")
          .reason("TIDAK_MEMENUHI_SYARAT")
          .citation("PKS Pemkab OKU Timur - BPJS Ketenagakerjaan Baturaja, 2024")
          .requires_all({rule::ref("nik_valid"), rule::ref("penduduk_oku_timur"), rule::ref("usia_15_65"),
                         rule::ref("bukan_asn"), rule::ref("belum_terdaftar"), rule::ref("pekerja_rentan")});
  policy p;
  p.id = "oku-timur/pekerja-rentan-2024";
  p.title = "Pekerja rentan Kabupaten OKU Timur 2024";
  p.facts = std::move(facts);
  p.rules = {nik_valid, resident, working_age, not_civil_servant, not_enrolled, vulnerable, eligible};
  return p;
}

/// The policy bound to the described struct.
inline entitle::policy rentan_policy() { return rentan_policy(entitle::schema_of<person>()); }

} // namespace oku_timur
