// The bytes a roster's parts and its driver send each other (batch_parts.hpp): numbers as 8 bytes
// little-endian, text as its length and bytes, each message opened by its kind and the batch's
// shape. Read back by the same version of entitle; anything else is refused, never misread.
#pragma once

#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace entitle::detail {

class wire_writer {
public:
  void number(std::uint64_t v) {
    char bytes[8];
    for (int i = 0; i < 8; ++i)
      bytes[i] = static_cast<char>(v >> (8 * i) & 0xFF);
    out_.append(bytes, 8);
  }
  void amount(money m) { number(static_cast<std::uint64_t>(m.minor_units())); }
  void text(std::string_view s) {
    number(s.size());
    out_ += s;
  }
  [[nodiscard]] std::string take() && { return std::move(out_); }

private:
  std::string out_;
};

class wire_reader {
public:
  // `what` names the message in errors: "the survey of part 3".
  wire_reader(std::string_view bytes, std::string what) : in_(bytes), what_(std::move(what)) {}

  std::uint64_t number() {
    need(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
      v |= std::uint64_t{static_cast<unsigned char>(in_[static_cast<std::size_t>(i)])} << (8 * i);
    in_.remove_prefix(8);
    return v;
  }
  money amount() { return money::from_minor_units(static_cast<money::minor_type>(number())); }
  std::string_view text() {
    const std::uint64_t n = number();
    need(n);
    const std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  // A count of items of at least `item_bytes` each: refused when the rest cannot hold them.
  std::uint64_t count(std::size_t item_bytes) {
    const std::uint64_t n = number();
    if (item_bytes != 0 && n > in_.size() / item_bytes) refuse("it is cut short");
    return n;
  }
  // The message's kind and the batch's shape, as written by `open`.
  void expect(std::string_view kind, std::string_view shape) {
    const std::uint64_t n = in_.size() >= 8 ? number() : 0;
    if (n != kind.size() || in_.substr(0, kind.size()) != kind)
      refuse("it is not one (made by another version of entitle?)");
    in_.remove_prefix(kind.size());
    if (text() != shape) refuse("it was made for another policy or other batch options");
  }
  void finish() const {
    if (!in_.empty()) refuse("it has bytes past its end");
  }
  [[noreturn]] void refuse(std::string_view why) const {
    throw error(errc::invalid_syntax, what_ + " cannot be used: " + std::string(why));
  }

private:
  void need(std::uint64_t n) const {
    if (in_.size() < n) refuse("it is cut short");
  }
  std::string_view in_;
  std::string what_;
};

} // namespace entitle::detail
