#pragma once

// What every function of the C interface (entitle.h) shares: no exception leaves it, and its
// failure is kept, per thread, for entitle_last_error_message and entitle_last_error_location.
#include <entitle/core/error.hpp>
#include <entitle/entitle.h>

#include <boost/json/value.hpp>

#include <new>
#include <string>
#include <string_view>

namespace entitle::c_api {

/// A failure of the call itself (a null pointer, a file), with the status it returns.
struct call_failure {
  entitle_status status;
  std::string message;
  std::string location = {};
};

/// The calling thread's last failure.
struct last_failure {
  std::string message;
  std::string location;
};
last_failure& last() noexcept;

entitle_status failed(entitle_status status, std::string_view message, std::string_view location) noexcept;

/// Runs `call`, returning ENTITLE_OK, or the status of what it threw with its message kept.
template <class Call>
entitle_status guarded(Call&& call) noexcept {
  last().message.clear();
  last().location.clear();
  try {
    call();
    return ENTITLE_OK;
  } catch (const call_failure& f) {
    return failed(f.status, f.message, f.location);
  } catch (const error& e) {
    return failed(static_cast<entitle_status>(e.details().code), e.details().message, e.details().location);
  } catch (const std::bad_alloc&) {
    return failed(ENTITLE_NO_MEMORY, "out of memory", "");
  } catch (const std::exception& e) {
    return failed(ENTITLE_INTERNAL, e.what(), "");
  } catch (...) {
    return failed(ENTITLE_INTERNAL, "an unknown exception", "");
  }
}

/// Throws ENTITLE_INVALID_ARGUMENT naming `what` when `pointer` is null.
template <class T>
T* needed(T* pointer, std::string_view what) {
  if (!pointer) throw call_failure{ENTITLE_INVALID_ARGUMENT, std::string(what) + " is NULL"};
  return pointer;
}

/// `text` copied into memory the caller frees with entitle_free, stored in `*out`.
void hand_over(std::string_view text, char** out);
void hand_over(const boost::json::value& json, char** out);

/// The `length` bytes at `text`, which may not be null unless `length` is 0.
std::string_view bytes(const char* text, std::size_t length, std::string_view what);

} // namespace entitle::c_api
