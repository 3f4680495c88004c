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

// Issue 14: a name from a roster is shown so that every byte can be seen and none reaches the
// terminal raw (docs/reliability.md: a stray CR shown as \r). Control bytes and bytes that are not
// UTF-8 become escapes; UTF-8 text is kept as it is.
TEST_CASE("names in messages are shown visibly, every byte seen") {
  CHECK(detail::visible("nik") == "\"nik\"");
  CHECK(detail::visible("nik\r") == "\"nik\\r\"");
  CHECK(detail::visible("a\tb\nc") == "\"a\\tb\\nc\"");
  CHECK(detail::visible(std::string("A\0B", 3)) == "\"A\\x00B\"");
  CHECK(detail::visible("\x1B[2J\x7F") == "\"\\x1B[2J\\x7F\"");
  CHECK(detail::visible("caf\xFF") == "\"caf\\xFF\"");             // not UTF-8
  CHECK(detail::visible("caf\xC3") == "\"caf\\xC3\"");             // a sequence cut short
  CHECK(detail::visible("\xC0\xAF") == "\"\\xC0\\xAF\"");          // an overlong "/"
  CHECK(detail::visible("\xED\xA0\x80") == "\"\\xED\\xA0\\x80\""); // a surrogate
  CHECK(detail::visible("\xC2\x9B"
                        "1m") == "\"\\xC2\\x9B1m\"");                                   // a C1 control (CSI)
  CHECK(detail::visible("caf\xC3\xA9 \xE2\x82\xAC") == "\"caf\xC3\xA9 \xE2\x82\xAC\""); // "café €" as it is
  CHECK(detail::escaped("nik\r") == "nik\\r");
}
