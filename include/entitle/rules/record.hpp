#pragma once

#include <entitle/core/error.hpp>
#include <entitle/rules/literal.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace entitle {

/// The facts of one person when the schema is declared at run time (in the policy JSON) rather
/// than by a C++ struct: one compiled value per schema slot, missing until set. Strings are kept
/// in the record's own storage, so a record is a self-contained value.
class record {
public:
  record() = default;
  /// A record of `fact_count` facts, all missing.
  explicit record(std::size_t fact_count) : facts_(fact_count) {}

  record(const record& other) : facts_(other.facts_), text_(other.text_) { rebase(other.text_.data()); }
  record& operator=(const record& other) {
    if (this != &other) {
      facts_ = other.facts_;
      text_ = other.text_;
      rebase(other.text_.data());
    }
    return *this;
  }
  // Moving a std::string may move its characters (short strings live inside it), so views are
  // rebased after a move too.
  record(record&& other) noexcept : facts_(std::move(other.facts_)) {
    const char* old_base = other.text_.data();
    text_ = std::move(other.text_);
    rebase(old_base);
  }
  record& operator=(record&& other) noexcept {
    if (this != &other) {
      facts_ = std::move(other.facts_);
      const char* old_base = other.text_.data();
      text_ = std::move(other.text_);
      rebase(old_base);
    }
    return *this;
  }
  ~record() = default;

  /// The compiled facts, one per slot.
  [[nodiscard]] std::span<const fact_value> facts() const noexcept { return facts_; }
  [[nodiscard]] std::size_t size() const noexcept { return facts_.size(); }

  /// Sets the fact in `slot` to `value` read as `f`'s type (see `coerce`); the failure names the
  /// fact and says what it expects, or, for a value outside the fact's range, what the range is
  /// (`outside_range`, `errc::out_of_range`).
  [[nodiscard]] std::optional<failure> try_set(std::size_t slot, const field& f, const literal& value) {
    if (slot >= facts_.size()) return no_slot(slot);
    auto compiled = coerce(f, value);
    if (!compiled) return compiled.error();
    if (auto problem = outside_range(f, *compiled)) return problem;
    store(slot, f, *compiled);
    return std::nullopt;
  }

  /// As `try_set`, reading `text` as written in a CSV cell or a JSON string (see `coerce_text`):
  /// a string is copied into the record, and nothing is allocated once the record's storage has
  /// grown to the size of its strings.
  [[nodiscard]] std::optional<failure> try_set_text(std::size_t slot, const field& f, std::string_view text) {
    if (slot >= facts_.size()) return no_slot(slot);
    auto compiled = coerce_text(f, text);
    if (!compiled) return compiled.error();
    if (auto problem = outside_range(f, *compiled)) return problem;
    store(slot, f, *compiled);
    return std::nullopt;
  }

  /// Sets the fact called `name` of `facts` to `value`; throws `entitle::error` for an unknown
  /// fact or a value of the wrong type.
  record& set(const schema& facts, std::string_view name, const literal& value) {
    if (facts.size() != facts_.size())
      throw error(errc::out_of_range, "the record has " + std::to_string(facts_.size()) + " facts; the schema has " +
                                          std::to_string(facts.size()));
    const auto slot = facts.find(name);
    if (!slot) throw error(errc::invalid_syntax, "no fact is called " + detail::quoted(name));
    if (auto problem = try_set(*slot, facts.at(*slot), value)) throw error(std::move(*problem));
    return *this;
  }

  /// Marks the fact in `slot` missing.
  void set_missing(std::size_t slot) { facts_.at(slot) = fact_value::missing(); }

  /// Marks every fact missing and forgets the strings, keeping the capacity: a reader can reuse
  /// one record for a whole roster without allocating per row.
  void clear() noexcept {
    for (auto& f : facts_)
      f = fact_value::missing();
    text_.clear();
  }

private:
  [[nodiscard]] failure no_slot(std::size_t slot) const {
    return failure(errc::out_of_range, "the record has " + std::to_string(facts_.size()) + " facts; slot " +
                                           std::to_string(slot) + " is not one of them");
  }

  // A string's text is a view into the caller's literal or cell: keep a copy.
  void store(std::size_t slot, const field& f, const fact_value& compiled) {
    if (f.type == fact_type::string)
      set_text(slot, compiled.text);
    else
      facts_[slot] = compiled;
  }

  void set_text(std::size_t slot, std::string_view value) {
    const char* old_base = text_.data();
    const std::size_t offset = text_.size();
    text_.append(value);
    rebase(old_base);
    facts_.at(slot) = fact_value::of_text(std::string_view(text_.data() + offset, value.size()));
  }

  // Points every string view that pointed into the storage at `old_base` into `text_`.
  void rebase(const char* old_base) noexcept {
    if (old_base == text_.data()) return;
    for (auto& f : facts_)
      if (f.present && !f.text.empty())
        f.text = std::string_view(text_.data() + (f.text.data() - old_base), f.text.size());
  }

  std::vector<fact_value> facts_;
  std::string text_;
};

} // namespace entitle
