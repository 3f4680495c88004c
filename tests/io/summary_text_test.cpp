// The summary as a readable table (to_text(const batch_summary&)): columns as wide as their
// widest cell, so that amounts of 13 digits and more never run together.
#include <entitle/io/batch.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace entitle;
using namespace entitle::literals;

namespace {

// One month, two payers, rupiah amounts of 13 digits (trillions): wider than the 18 characters
// a column had.
batch_summary trillions() {
  batch_summary s;
  s.policy = "test/trillions";
  s.as_of = date(2024, 1, 1);
  s.period = month_range(month(2024, 1), month(2024, 1));
  s.payers = {"PEMKAB", "PEKERJA"};
  s.programs = {"JKK"};
  s.paid_by_month = {{2'913'119'810'400_rp, 1'260'000'000'000_rp}};
  s.paid_by_payer = {2'913'119'810'400_rp, 1'260'000'000'000_rp};
  s.total = 4'173'119'810'400_rp;
  s.due_by_month = {{4'173'119'810'400_rp}};
  s.due_by_program = {4'173'119'810'400_rp};
  return s;
}

} // namespace

TEST_CASE("summary text: a column is as wide as its widest amount, one space more") {
  const std::string text = to_text(trillions());
  CAPTURE(text);
  // Worked out by hand: "Rp2.913.119.810.400" is 19 characters, so each amount column is 20
  // wide (right-aligned, one space before the widest); the month column stays 8.
  CHECK(text.find("\n   month              PEMKAB             PEKERJA               total\n") != std::string::npos);
  CHECK(text.find("\n 2024-01 Rp2.913.119.810.400 Rp1.260.000.000.000 Rp4.173.119.810.400\n") != std::string::npos);
  CHECK(text.find("\n   total Rp2.913.119.810.400 Rp1.260.000.000.000 Rp4.173.119.810.400\n") != std::string::npos);
}

TEST_CASE("summary text: usual amounts keep columns of 18") {
  batch_summary s = trillions();
  s.paid_by_month = {{16'800_rp, 0_rp}};
  s.paid_by_payer = {16'800_rp, 0_rp};
  s.total = 16'800_rp;
  const std::string text = to_text(s);
  CAPTURE(text);
  // "Rp16.800" is 8 characters: padded to 18; "Rp0" to 18.
  CHECK(text.find("\n 2024-01          Rp16.800               Rp0          Rp16.800\n") != std::string::npos);
}

TEST_CASE("summary text: prices nobody pays come in a column of their own, and a line by program") {
  batch_summary s = trillions();
  s.paid_by_month = {{16'800_rp, 0_rp}};
  s.paid_by_payer = {16'800_rp, 0_rp};
  s.total = 16'800_rp;
  // 616 people waitlisted at Rp16.800 a month each (JKK Rp10.000 + JKM Rp6.800, PP 44/2015):
  // 616 x 16,800 = Rp10.348.800, here all under the one program of the summary.
  s.quoted_by_month = {{10'348'800_rp}};
  s.quoted_by_program = {10'348'800_rp};
  s.quoted = 10'348'800_rp;
  s.quoted_people = 616;
  const std::string text = to_text(s);
  CAPTURE(text);
  // "quoted, unpaid" is 14 characters and "Rp10.348.800" 12: the column keeps its 18.
  CHECK(text.find("\n   month            PEMKAB           PEKERJA             total    quoted, unpaid\n") !=
        std::string::npos);
  CHECK(text.find("\n 2024-01          Rp16.800               Rp0          Rp16.800      Rp10.348.800\n") !=
        std::string::npos);
  CHECK(text.find("\nquoted to 616 people no capped subsidy could fund, paid by nobody: JKK Rp10.348.800 "
                  "(Rp10.348.800 in all)\n") != std::string::npos);
}

TEST_CASE("summary text: without anything quoted there is no quoted column") {
  const std::string text = to_text(trillions());
  CHECK(text.find("quoted") == std::string::npos);
}
