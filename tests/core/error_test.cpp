#include <entitle/core/error.hpp>

#include <doctest/doctest.h>

#include <string>
#include <system_error>
#include <vector>

using namespace entitle;

TEST_CASE("errors carry a code, a message and a location") {
  const error e(failure(errc::invalid_syntax, "expected a date", "/history/0/from"));
  CHECK(e.code() == errc::invalid_syntax);
  CHECK(std::string(e.what()) == "/history/0/from: expected a date");
  CHECK(e.details().location == "/history/0/from");
  CHECK(std::string(error(errc::overflow, "too big").what()) == "too big");
}

TEST_CASE("error codes are std::error_codes of the entitle category") {
  const std::error_code code = errc::not_in_force;
  CHECK(code.category().name() == std::string("entitle"));
  CHECK(code.message() == "not in force");
  CHECK(code == make_error_code(errc::not_in_force));
  CHECK(std::error_code(errc::overflow).message() == "arithmetic overflow");
}

TEST_CASE("result<T>::value throws the failure as entitle::error") {
  const result<int> failed = failure(errc::out_of_range, "no");
  CHECK_THROWS_AS((void)failed.value(), error);
  const result<int> fine = 3;
  CHECK(fine.value() == 3);
}

TEST_CASE("name lists in messages stop after twenty names") {
  const std::vector<std::string> three{"a", "b", "c"};
  CHECK(detail::name_list(three, [](const std::string& s) { return s; }) == "\"a\", \"b\", \"c\"");
  std::vector<std::string> many;
  for (char c = 'a'; c <= 'z'; ++c)
    many.emplace_back(1, c);
  // 26 names: the first 20 (a to t), then the 6 left over.
  CHECK(detail::name_list(many, [](const std::string& s) { return s; }) ==
        "\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\", \"k\", \"l\", \"m\", \"n\", \"o\", "
        "\"p\", \"q\", \"r\", \"s\", \"t\" and 6 more");
}
