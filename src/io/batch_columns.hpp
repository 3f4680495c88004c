// The values a batch adds to each row (batch_options::columns): facts, derived values and values
// over the period, and their store for rows kept between reading and handing out.
#pragma once

#include <entitle/eval/payment_engine.hpp>
#include <entitle/io/batch.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace entitle::detail {

// The values `names` adds to each row: each a fact, a derived value or a value over the period,
// once. A fact or derived value named as a value over the period is shown in its place.
std::vector<output_column> output_columns(const bound_rules& rules, const std::vector<std::string>& names);

// One person's value of column `c`: the fact as read, or the derived value worked out on `as_of`;
// a value over the period is worked out with the amounts (`period_column_value`).
fact_value column_value(const output_column& c, const bound_rules& rules, std::span<const fact_value> facts,
                        date as_of);

// The period value `v` of a person whose amounts over `period` are `a`: a month is covered when
// some program is due more than Rp0 in it.
fact_value period_column_value(period_value v, const payment_amounts& a, month_range period);

// The values of the output columns of each row kept between reading and handing out, in roster
// order: numbers, presence and the text of string values, so that no row keeps a record.
class kept_values {
public:
  kept_values(const std::vector<output_column>& columns, const bound_rules& rules, date as_of)
      : columns_(&columns), rules_(&rules), as_of_(as_of) {
    for (const auto& c : columns)
      text_.push_back(c.shown.type == fact_type::string);
  }
  // Adds a row's values; a row that could not be read has none.
  void add(std::span<const fact_value> facts) {
    const std::size_t width = columns_->size();
    for (std::size_t k = 0; k < width; ++k) {
      const fact_value v = facts.empty() ? fact_value::missing() : column_value((*columns_)[k], *rules_, facts, as_of_);
      numbers_.push_back(v.number);
      present_.push_back(v.present ? 1 : 0);
      if (text_[k] && v.present) chars_ += v.text;
      ends_.push_back(chars_.size());
    }
  }
  // The values of row `seq` into `out`, whose texts view what is kept.
  void get(std::size_t seq, std::vector<fact_value>& out) const {
    const std::size_t width = columns_->size();
    for (std::size_t k = 0; k < width; ++k) {
      const std::size_t at = seq * width + k;
      const std::size_t begin = at == 0 ? 0 : ends_[at - 1];
      out[k] = {numbers_[at], std::string_view(chars_).substr(begin, ends_[at] - begin), present_[at] != 0};
    }
  }
  [[nodiscard]] std::size_t bytes() const noexcept {
    return numbers_.size() * (sizeof(std::int64_t) + sizeof(std::uint64_t) + 1) + chars_.size();
  }

private:
  const std::vector<output_column>* columns_;
  const bound_rules* rules_;
  date as_of_;
  std::vector<bool> text_; // per column: a string value, whose text is kept
  std::vector<std::int64_t> numbers_;
  std::vector<std::uint8_t> present_;
  std::vector<std::uint64_t> ends_; // where each value's text ends in `chars_`
  std::string chars_;
};

} // namespace entitle::detail
