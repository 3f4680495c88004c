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
