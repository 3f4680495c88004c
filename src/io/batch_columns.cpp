// The values a batch adds to each row (batch_columns.hpp).
#include "batch_columns.hpp"

#include "close_names.hpp"

#include <entitle/eval/evaluator.hpp>

#include <algorithm>
#include <array>
#include <optional>

namespace entitle::detail {

namespace {

constexpr std::array<period_value, 3> all_period_values = {period_value::covered_months, period_value::covered_from,
                                                           period_value::covered_until};

std::optional<period_value> period_value_of(std::string_view name) {
  for (const period_value v : all_period_values)
    if (name_of(v) == name) return v;
  return std::nullopt;
}

} // namespace

std::vector<output_column> output_columns(const bound_rules& rules, const std::vector<std::string>& names) {
  std::vector<output_column> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        names.begin() + static_cast<std::ptrdiff_t>(i))
      throw error(errc::invalid_syntax, "the column " + detail::quoted(name) + " is asked for twice in the output");
    const auto slot = rules.find_value(name);
    if (!slot) {
      if (const auto over = period_value_of(name)) {
        const bool count = *over == period_value::covered_months;
        out.push_back(
            {output_column::kind::period, name, 0, *over, field(name, count ? fact_type::integer : fact_type::month)});
        continue;
      }
      std::vector<std::string> all;
      for (const auto& f : rules.facts.fields())
        all.push_back(f.name);
      for (const auto& d : rules.derived)
        all.push_back(d.declared.name);
      for (const period_value v : all_period_values)
        all.emplace_back(name_of(v));
      const std::vector<std::string> close = detail::close_names(name, all);
      const auto quote = [](const std::string& n) -> const std::string& { return n; };
      throw error(errc::invalid_syntax,
                  "the column " + detail::quoted(name) + " asked for in the output is not one of the policy's facts" +
                      (rules.derived.empty() ? "" : ", derived values") + " or values over the period" +
                      (close.empty() ? "; they are " + detail::name_list(all, quote)
                                     : "; the close ones are " + detail::name_list(close, quote)));
    }
    out.push_back({rules.is_derived(*slot) ? output_column::kind::derived : output_column::kind::fact, name, *slot,
                   period_value::covered_months, rules.field_at(*slot)});
  }
  return out;
}

fact_value column_value(const output_column& c, const bound_rules& rules, std::span<const fact_value> facts,
                        date as_of) {
  if (c.what == output_column::kind::period) return fact_value::missing();
  if (c.what == output_column::kind::derived) return detail::evaluator(rules, facts, as_of).value(c.slot);
  return facts[c.slot];
}

fact_value period_column_value(period_value v, const payment_amounts& a, month_range period) {
  const std::size_t months = static_cast<std::size_t>(period.size());
  const std::size_t programs = months == 0 ? 0 : a.due.size() / months;
  std::uint32_t count = 0;
  std::optional<std::size_t> first;
  std::optional<std::size_t> last;
  for (std::size_t m = 0; m < months; ++m) {
    const auto begin = a.due.begin() + static_cast<std::ptrdiff_t>(m * programs);
    if (!std::any_of(begin, begin + static_cast<std::ptrdiff_t>(programs), [](money d) { return d > money{}; }))
      continue;
    ++count;
    if (!first) first = m;
    last = m;
  }
  switch (v) {
  case period_value::covered_months: return fact_value::of_number(count);
  case period_value::covered_from:
    return first ? fact_value::of_month(period.first().plus(std::chrono::months(static_cast<int>(*first))))
                 : fact_value::missing();
  case period_value::covered_until:
    return last ? fact_value::of_month(period.first().plus(std::chrono::months(static_cast<int>(*last))))
                : fact_value::missing();
  }
  return fact_value::missing();
}

} // namespace entitle::detail
