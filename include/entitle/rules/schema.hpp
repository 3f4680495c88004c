#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/month.hpp>
#include <entitle/rules/fact_range.hpp>

#include <boost/describe/enum.hpp>

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace entitle {

/// The type of a fact. Ordered types (integer, money, rate, date, month) support <, <=, >, >= and
/// between; every type supports = and !=. A month (`YYYY-MM`, such as the month someone starts
/// work) is evaluated as its first day, so `age_of` and `months_since` take it as they take a date.
enum class fact_type : unsigned char { boolean, integer, money, rate, date, string, enumeration, month };
BOOST_DESCRIBE_ENUM(fact_type, boolean, integer, money, rate, date, string, enumeration, month)

/// The name of a type in policy JSON and in messages: "bool", "integer", "money", "rate", "date",
/// "string", "enum", "month".
[[nodiscard]] constexpr std::string_view type_name(fact_type type) noexcept {
  switch (type) {
  case fact_type::boolean: return "bool";
  case fact_type::integer: return "integer";
  case fact_type::money: return "money";
  case fact_type::rate: return "rate";
  case fact_type::date: return "date";
  case fact_type::string: return "string";
  case fact_type::enumeration: return "enum";
  case fact_type::month: return "month";
  }
  return "unknown";
}

/// True for the types with an order: integer, money, rate, date, month.
[[nodiscard]] constexpr bool is_ordered(fact_type type) noexcept {
  return type == fact_type::integer || type == fact_type::money || type == fact_type::rate || type == fact_type::date ||
         type == fact_type::month;
}

/// True for the types `age_of` and `months_since` count from: date and month.
[[nodiscard]] constexpr bool is_calendar(fact_type type) noexcept {
  return type == fact_type::date || type == fact_type::month;
}

/// One fact of one record in the compiled form evaluation reads. Its type is the schema's, so
/// it is not stored: ordered types, bools and enums are a number (an integer; money in sen; a
/// rate in billionths; a date as `date_number`; a month as the `date_number` of its first day; an
/// enum as its value), strings a view.
///
/// Like an `int`, a default-initialized `fact_value` is indeterminate (so that filling an array
/// of them per record costs nothing); `fact_value{}` and `fact_value::missing()` are missing.
struct fact_value {
  std::int64_t number;
  std::string_view text;
  bool present;

  [[nodiscard]] static constexpr fact_value missing() noexcept { return {0, {}, false}; }
  [[nodiscard]] static constexpr fact_value of_number(std::int64_t value) noexcept { return {value, {}, true}; }
  [[nodiscard]] static constexpr fact_value of_text(std::string_view value) noexcept { return {0, value, true}; }
  [[nodiscard]] static constexpr fact_value of_date(date value) noexcept;
  [[nodiscard]] static constexpr fact_value of_month(month value) noexcept;
};

/// A date as the number a fact holds: year × 512 + month × 32 + day. Ordered as the dates are,
/// so comparisons need no calendar, and the year, month and day are a shift away, so that an
/// age or a count of months costs a few instructions (2024-09-01 is 1,036,577).
[[nodiscard]] constexpr std::int64_t date_number(date value) noexcept {
  return std::int64_t{value.year()} * 512 + std::int64_t{value.month()} * 32 + std::int64_t{value.day()};
}

/// The date a fact number holds: the inverse of `date_number`. Throws `errc::invalid_date` for
/// a number no date makes.
[[nodiscard]] inline date number_date(std::int64_t number) {
  const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(number / 512)),
                                        std::chrono::month(static_cast<unsigned>(number / 32 % 16)),
                                        std::chrono::day(static_cast<unsigned>(number % 32))};
  if (number < date_number(date(1, 1, 1)) || number > date_number(date(9999, 12, 31)) || !ymd.ok())
    throw error(errc::invalid_date, "the fact number " + std::to_string(number) + " is not a date");
  return date(ymd);
}

constexpr fact_value fact_value::of_date(date value) noexcept { return of_number(date_number(value)); }
constexpr fact_value fact_value::of_month(month value) noexcept { return of_date(value.first_day()); }

/// The most facts a schema may have: sets of facts are fixed-size bitsets, so that a decision
/// never allocates.
inline constexpr std::size_t max_facts = 256;

/// A set of facts by slot, such as the missing facts that would settle a decision.
using fact_set = std::bitset<max_facts>;

/// One named enumerator of an enum fact and the number it is evaluated as.
struct enumerator {
  std::string name;
  std::int64_t value = 0;
  friend bool operator==(const enumerator&, const enumerator&) = default;
};

/// One named, typed fact. A fact may be missing unless it is declared `required` (a described
/// struct's members that are not `std::optional` are required: they are always there). A value
/// outside `range` is refused where it becomes a fact (`record`, `compiled_policy` for a
/// described struct). A roster may give the fact under its name or under one of `columns`.
struct field {
  field() = default;
  // A constructor rather than an aggregate, so that the four-member form `{name, type, {}, false}`
  // stays warning-free under -Wmissing-field-initializers now that a field has a range.
  field(std::string name_, fact_type type_, std::vector<enumerator> enumerators_ = {}, bool required_ = false,
        fact_range range_ = {}, std::vector<std::string> columns_ = {})
      : name(std::move(name_)), type(type_), enumerators(std::move(enumerators_)), required(required_),
        range(std::move(range_)), columns(std::move(columns_)) {}

  std::string name;
  fact_type type = fact_type::boolean;
  std::vector<enumerator> enumerators; ///< enum facts only, in declaration order
  bool required = false;
  fact_range range; ///< ordered facts only; `allowed` for integer facts only
  /// Other names a roster column (CSV) or key (NDJSON) may give the fact under, such as a
  /// spreadsheet's Indonesian headers ("penghasilan" for "monthly_income"): none is the name or
  /// a column of another fact of the schema, and a roster giving the fact under two of its names
  /// is refused (docs/policy-format.md, "Rosters").
  std::vector<std::string> columns;

  /// True when a roster column called `column` gives this fact: its name or one of `columns`.
  [[nodiscard]] bool answers_to(std::string_view column) const noexcept {
    return column == name || std::find(columns.begin(), columns.end(), column) != columns.end();
  }

  /// The least value allowed: the declared `min`, or zero for money, which is never negative
  /// unless its declaration says so.
  [[nodiscard]] std::optional<std::int64_t> least() const noexcept {
    if (range.min) return range.min;
    if (type == fact_type::money) return 0;
    return std::nullopt;
  }

  /// The enumerator called `name`, if any.
  [[nodiscard]] const enumerator* find_enumerator(std::string_view name) const noexcept {
    for (const auto& e : enumerators)
      if (e.name == name) return &e;
    return nullptr;
  }
  /// The name of the enumerator whose value is `value`, or "" when there is none.
  [[nodiscard]] std::string_view enumerator_name(std::int64_t value) const noexcept {
    for (const auto& e : enumerators)
      if (e.value == value) return e.name;
    return {};
  }

  friend bool operator==(const field&, const field&) = default;
};

/// The facts a policy reads: names, types, slots. Fields are numbered in the order they are
/// added; rules bind to those numbers (slots) once, so evaluation never looks up a name.
class schema {
public:
  schema() = default;

  /// Adds a field; throws `errc::invalid_syntax` for an empty or duplicate name, an enum with no
  /// enumerators or with a repeated name or value, and `errc::out_of_range` past `max_facts`.
  schema& add(field f) {
    if (auto problem = check(f)) throw error(std::move(*problem));
    fields_.push_back(std::move(f));
    origin_ = nullptr; // no longer the schema of a described struct
    return *this;
  }

  /// As `add`, returning the failure instead of throwing.
  [[nodiscard]] std::optional<failure> try_add(field f) {
    if (auto problem = check(f)) return problem;
    fields_.push_back(std::move(f));
    origin_ = nullptr;
    return std::nullopt;
  }

  [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
  [[nodiscard]] const std::vector<field>& fields() const noexcept { return fields_; }
  [[nodiscard]] const field& at(std::size_t slot) const { return fields_.at(slot); }

  /// Declares the values the fact in `slot` may take, keeping the schema's origin (a described
  /// struct's facts can be given ranges). Throws as `add` does for a range its type cannot have.
  schema& set_range(std::size_t slot, fact_range range) {
    field f = fields_.at(slot);
    f.range = std::move(range);
    if (auto problem = check_range(f)) throw error(std::move(*problem));
    fields_[slot] = std::move(f);
    return *this;
  }

  /// Gives the fact in `slot` other names a roster may use for it (`field::columns`), keeping the
  /// schema's origin. Throws as `add` does for a column that is empty, repeated, or the name or a
  /// column of another fact.
  schema& set_columns(std::size_t slot, std::vector<std::string> columns) {
    field f = fields_.at(slot);
    f.columns = std::move(columns);
    if (auto problem = check_columns(f, slot)) throw error(std::move(*problem));
    fields_[slot] = std::move(f);
    return *this;
  }

  /// The slot of the field called `name`.
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < fields_.size(); ++i)
      if (fields_[i].name == name) return i;
    return std::nullopt;
  }

  /// The slot of the field a roster column called `column` gives: by its name or one of its
  /// `columns` (the schema lets no column give two).
  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view column) const noexcept {
    for (std::size_t i = 0; i < fields_.size(); ++i)
      if (fields_[i].answers_to(column)) return i;
    return std::nullopt;
  }

  /// The type a schema was made from by `schema_of<T>()`, as an opaque tag; null for a schema
  /// declared field by field. Not part of equality: a policy file can declare the same facts.
  [[nodiscard]] const void* origin() const noexcept { return origin_; }
  void set_origin(const void* tag) noexcept { origin_ = tag; }

  friend bool operator==(const schema& a, const schema& b) { return a.fields_ == b.fields_; }

private:
  std::optional<failure> check(const field& f) const {
    if (f.name.empty()) return failure(errc::invalid_syntax, "a fact needs a name");
    if (find(f.name)) return failure(errc::invalid_syntax, "the fact \"" + f.name + "\" is declared twice");
    if (const auto other = find_column(f.name))
      return failure(errc::invalid_syntax, "the fact \"" + f.name + "\" has the name of a column of the fact \"" +
                                               fields_[*other].name + "\"; a roster column gives one fact");
    if (fields_.size() >= max_facts)
      return failure(errc::out_of_range, "a schema has at most " + std::to_string(max_facts) + " facts");
    if (f.type == fact_type::enumeration && f.enumerators.empty())
      return failure(errc::invalid_syntax, "the enum fact \"" + f.name + "\" needs at least one value");
    if (f.type != fact_type::enumeration && !f.enumerators.empty())
      return failure(errc::invalid_syntax,
                     "only enum facts have values; \"" + f.name + "\" is " + std::string(type_name(f.type)));
    for (std::size_t i = 0; i < f.enumerators.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (f.enumerators[i].name == f.enumerators[j].name || f.enumerators[i].value == f.enumerators[j].value)
          return failure(errc::invalid_syntax,
                         "the enum fact \"" + f.name + "\" repeats the value \"" + f.enumerators[i].name + "\"");
    if (auto problem = check_columns(f, fields_.size())) return problem;
    return check_range(f);
  }

  // The other names of `f`, to be in `slot`: not empty, each once, not its name, and no name or
  // column of another fact.
  std::optional<failure> check_columns(const field& f, std::size_t slot) const {
    const std::string what = "the fact \"" + f.name + "\"";
    for (std::size_t i = 0; i < f.columns.size(); ++i) {
      const std::string& column = f.columns[i];
      if (column.empty()) return failure(errc::invalid_syntax, what + " has an empty column name");
      if (column == f.name || std::find(f.columns.begin(), f.columns.begin() + static_cast<std::ptrdiff_t>(i),
                                        column) != f.columns.begin() + static_cast<std::ptrdiff_t>(i))
        return failure(errc::invalid_syntax, what + " lists the column \"" + column + "\" twice (its name included)");
      for (std::size_t other = 0; other < fields_.size(); ++other)
        if (other != slot && fields_[other].answers_to(column))
          return failure(errc::invalid_syntax,
                         what + " has the column \"" + column + "\", which " +
                             (column == fields_[other].name ? "is the fact" : "is a column of the fact") + " \"" +
                             fields_[other].name + "\"; a roster column gives one fact");
    }
    return std::nullopt;
  }

  // Bounds for ordered facts, codes for integer facts, the least no greater than the greatest.
  static std::optional<failure> check_range(const field& f) {
    const fact_range& r = f.range;
    const std::string what = "the " + std::string(type_name(f.type)) + " fact \"" + f.name + "\"";
    if ((r.min || r.max) && !is_ordered(f.type))
      return failure(errc::invalid_syntax, what + " has no order: only integer, money, rate, date and month facts "
                                                  "take \"min\" and \"max\"");
    if (!r.allowed.empty() && f.type != fact_type::integer)
      return failure(errc::invalid_syntax, what + " cannot list allowed values: only integer facts take a list of "
                                                  "codes (enum facts list names)");
    if (r.min && r.max && *r.max < *r.min)
      return failure(errc::out_of_range, what + " has a \"max\" below its \"min\"");
    for (std::size_t i = 0; i < r.allowed.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (r.allowed[i] == r.allowed[j])
          return failure(errc::invalid_syntax, what + " lists the value " + std::to_string(r.allowed[i]) + " twice");
    return std::nullopt;
  }

  std::vector<field> fields_;
  const void* origin_ = nullptr;
};

/// An enum field whose enumerators are numbered 0, 1, 2, ... in the order given.
[[nodiscard]] inline field enum_field(std::string name, std::initializer_list<std::string_view> names,
                                      bool required = false) {
  field f{std::move(name), fact_type::enumeration, {}, required, {}};
  std::int64_t value = 0;
  for (std::string_view n : names)
    f.enumerators.push_back({std::string(n), value++});
  return f;
}

} // namespace entitle
