// The batch's writers keep their output valid whatever bytes the roster held.
#include <entitle/io/batch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <string>

using namespace entitle;

TEST_CASE("batch output: a column name that is not UTF-8 is a valid JSON key, with U+FFFD") {
  batch_summary s;
  s.due_by_month = {{}}; // the one month of the default period, no programs
  s.paid_by_month = {{}};
  s.rejected_by_column["nik\xFF"] = 2;
  s.rejected_by_column["nik\xFE"] = 3; // another byte that is not UTF-8: the same key once written
  s.rejected_by_column["birth_date"] = 1;
  const std::string text = boost::json::serialize(to_json(s));
  boost::system::error_code ec;
  const boost::json::value back = boost::json::parse(text, ec);
  REQUIRE_FALSE(ec);
  const auto& by_column = back.at("rejected_by_column").as_object();
  CHECK(by_column.size() == 2);
  CHECK(by_column.at("nik\xEF\xBF\xBD").to_number<int>() == 5);
  CHECK(by_column.at("birth_date").to_number<int>() == 1);
}

TEST_CASE("batch output: a rejected row's bytes that are not UTF-8 stay valid JSON") {
  rejected_row row{.line = 3, .id = "P\xC3", .column = "nik", .reason = "bad", .text = "P\xC3,1"};
  std::string out;
  append_reject(out, row, output_format::ndjson);
  boost::system::error_code ec;
  const boost::json::value back = boost::json::parse(out, ec);
  REQUIRE_FALSE(ec);
  CHECK(back.at("id").as_string() == "P\xEF\xBF\xBD");
}
