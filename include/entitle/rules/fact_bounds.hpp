#pragma once

#include <entitle/rules/schema.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace entitle {

/// A schema's declared ranges (`field::range`, money at least Rp0 unless declared otherwise) in a
/// form checked in a few instructions a fact: what a decision on a described struct pays to
/// check its values, which `outside_range` would find field by field. Finding a value outside is
/// all it does; `outside_range` words the failure.
class fact_bounds {
public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  fact_bounds() = default;
  explicit fact_bounds(const schema& facts) {
    for (const field& f : facts.fields()) {
      bound b;
      if (is_ordered(f.type)) {
        const auto least = f.least();
        b.low = least.value_or(std::numeric_limits<std::int64_t>::min());
        b.high = f.range.max.value_or(std::numeric_limits<std::int64_t>::max());
        b.first_code = static_cast<std::uint32_t>(codes_.size());
        b.code_count = static_cast<std::uint32_t>(f.range.allowed.size());
        codes_.insert(codes_.end(), f.range.allowed.begin(), f.range.allowed.end());
        b.checked = least || f.range.max || !f.range.allowed.empty();
      }
      bounds_.push_back(b);
    }
  }

  /// The first slot of `facts` whose value is present and outside its range, or `npos`.
  [[nodiscard]] std::size_t first_outside(std::span<const fact_value> facts) const noexcept {
    const std::size_t n = std::min(facts.size(), bounds_.size());
    for (std::size_t slot = 0; slot < n; ++slot) {
      const bound& b = bounds_[slot];
      const fact_value& v = facts[slot];
      if (!b.checked || !v.present) continue;
      if (v.number < b.low || b.high < v.number || !allowed(b, v.number)) return slot;
    }
    return npos;
  }

  friend bool operator==(const fact_bounds&, const fact_bounds&) = default;

private:
  struct bound {
    std::int64_t low = std::numeric_limits<std::int64_t>::min();
    std::int64_t high = std::numeric_limits<std::int64_t>::max();
    std::uint32_t first_code = 0, code_count = 0; // into `codes_`; none: any value in [low, high]
    bool checked = false;                         // an ordered type with some bound or codes
    friend bool operator==(const bound&, const bound&) = default;
  };

  [[nodiscard]] bool allowed(const bound& b, std::int64_t number) const noexcept {
    if (b.code_count == 0) return true;
    const std::int64_t* first = codes_.data() + b.first_code;
    return std::find(first, first + b.code_count, number) != first + b.code_count;
  }

  std::vector<bound> bounds_;
  std::vector<std::int64_t> codes_;
};

} // namespace entitle
