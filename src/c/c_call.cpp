#include "c_call.hpp"

#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <cstring>

namespace entitle::c_api {

last_failure& last() noexcept {
  thread_local last_failure kept;
  return kept;
}

entitle_status failed(entitle_status status, std::string_view message, std::string_view location) noexcept {
  try {
    last().message = message;
    last().location = location;
  } catch (...) { // no memory for the message: the status still says what failed
    last().message.clear();
    last().location.clear();
  }
  return status;
}

void hand_over(std::string_view text, char** out) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (!copy) throw std::bad_alloc();
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  *out = copy;
}

void hand_over(const boost::json::value& json, char** out) { hand_over(boost::json::serialize(json), out); }

std::string_view bytes(const char* text, std::size_t length, std::string_view what) {
  if (!text && length != 0) throw call_failure{ENTITLE_INVALID_ARGUMENT, std::string(what) + " is NULL"};
  return text ? std::string_view(text, length) : std::string_view();
}

} // namespace entitle::c_api

extern "C" {

const char* entitle_version(void) { return ENTITLE_VERSION_TEXT; }
int entitle_abi_version(void) { return ENTITLE_ABI_VERSION; }
const char* entitle_last_error_message(void) { return entitle::c_api::last().message.c_str(); }
const char* entitle_last_error_location(void) { return entitle::c_api::last().location.c_str(); }
void entitle_free(char* text) { std::free(text); }

} // extern "C"
