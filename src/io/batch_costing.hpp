// Costing in a batch (docs/batch.md): what every thread shares of the policy's payments, a
// person's amounts over a range of months, their sums, and one thread's costing by the payment
// engine, with equal amounts shared.
#pragma once

#include <entitle/eval/compiled_policy.hpp>
#include <entitle/eval/payment_engine.hpp>
#include <entitle/io/batch.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace entitle::detail {

// A person's amounts over a range of months: due by month and program, paid by month and payer,
// and what each capped subsidy grants over the range.
struct amounts : payment_amounts {
  std::vector<money> grants;               // [capped]
  std::vector<std::uint32_t> grant_months; // [capped]
};

// What every thread shares: the policy's payment sections reduced to what costing reads.
struct batch_plan {
  const compiled_policy& policy;
  const std::vector<std::string>& programs;
  const std::vector<std::string>& payers;
  std::vector<std::size_t> capped;     // subsidy indexes, in the order they apply
  std::vector<month_range> windows;    // per capped subsidy
  std::optional<month_range> hull;     // all windows
  std::size_t key_count = 0;           // ranking words of all capped subsidies (see candidate_book)
  std::vector<std::size_t> key_offset; // per capped subsidy: its first ranking word
  std::size_t grant_rows = 0;          // 2^(capped - 1): one per outcome of all but the last

  batch_plan(const compiled_policy& p, const std::vector<std::string>& program_names,
             const std::vector<std::string>& payer_names, const std::vector<std::size_t>& capped_subsidies)
      : policy(p), programs(program_names), payers(payer_names), capped(capped_subsidies) {
    const auto& pay = p.payments();
    const entitle::policy& source = p.source();
    for (const std::size_t s : capped) { // within the policy's dates: the binder refuses others
      const month_range w = source.subsidies[s].window;
      windows.push_back(w);
      hull = hull ? month_range(std::min(hull->first(), w.first()), std::max(hull->last(), w.last())) : w;
    }
    for (const std::size_t s : capped) {
      key_offset.push_back(key_count);
      key_count += 2 * pay.rank_keys[s].size();
    }
    grant_rows = capped.empty() ? 0 : std::size_t{1} << (capped.size() - 1);
  }
};

// Sums of amounts over the people of a batch.
struct totals {
  std::vector<money> due;    // [month * programs + program]
  std::vector<money> paid;   // [month * payers + payer]
  std::vector<money> quoted; // [month * programs + program]
  std::vector<money> due_total;
  std::vector<money> paid_total;
  std::vector<money> quoted_total;
  money total;
  money quoted_sum;
  std::uint64_t incomplete = 0;
  std::uint64_t quoted_people = 0;

  totals(std::size_t months, std::size_t programs, std::size_t payers)
      : due(months * programs), paid(months * payers), quoted(months * programs), due_total(programs),
        paid_total(payers), quoted_total(programs) {}

  void add(const amounts& a, std::uint64_t people) {
    auto add_all = [&](std::vector<money>& to, const std::vector<money>& from) {
      for (std::size_t i = 0; i < to.size(); ++i)
        to[i] += from[i] * people;
    };
    add_all(due, a.due);
    add_all(paid, a.paid);
    if (!a.quoted.empty()) add_all(quoted, a.quoted); // empty when nothing was denied
    add_all(due_total, a.due_total);
    add_all(paid_total, a.paid_total);
    add_all(quoted_total, a.quoted_total);
    total += a.total * people;
    quoted_sum += a.quoted_sum * people;
    if (!a.complete) incomplete += people;
    if (a.quoted_sum != money()) quoted_people += people;
  }
  void add(const totals& t) {
    auto add_all = [&](std::vector<money>& to, const std::vector<money>& from) {
      for (std::size_t i = 0; i < to.size(); ++i)
        to[i] += from[i];
    };
    add_all(due, t.due);
    add_all(paid, t.paid);
    add_all(quoted, t.quoted);
    add_all(due_total, t.due_total);
    add_all(paid_total, t.paid_total);
    add_all(quoted_total, t.quoted_total);
    total += t.total;
    quoted_sum += t.quoted_sum;
    incomplete += t.incomplete;
    quoted_people += t.quoted_people;
  }
};

// One thread's costing: people's amounts over one range, worked out by the payment engine.
// With `sharing`, people whose amounts are equal share one entry, so that keeping everyone's
// amounts takes memory by the distinct amounts, not by the people. It counts the people each
// entry stands for, so that the summary adds each entry once. Entries it returns stay valid until
// `trim`; their memory is reused after it, so costing allocates nothing once warm.
class costing {
public:
  struct entry {
    amounts paid;
    std::uint64_t people = 0; // counted so far, not yet in the sums
    std::size_t hash = 0;     // of the amounts, when shared
  };

  // `counting`: whether `sums` is wanted, or only the amounts.
  costing(const batch_plan& plan, month_range range, bool counting, bool sharing)
      : plan_(plan), counting_(counting), sharing_(sharing), schedule_(plan.policy.engine().schedule_for(range)),
        workspace_(plan.policy.engine()),
        sums_(static_cast<std::size_t>(range.size()), plan.programs.size(), plan.payers.size()) {}

  // The amounts of a person with the capped subsidies of the bits of `denied` waitlisted, counted
  // once for the sums.
  const amounts& of(std::span<const fact_value> facts, unsigned denied) {
    entry& e = find(facts, denied);
    ++e.people;
    return e.paid;
  }

  // The entry of a person, not counted: add one to its `people` when it is the one used.
  entry& find(std::span<const fact_value> facts, unsigned denied) {
    if (used_ == arena_.size()) arena_.emplace_back();
    entry& e = arena_[used_];
    evaluate(facts, denied, e.paid);
    e.people = 0;
    if (sharing_) {
      e.hash = hash_of(e.paid);
      const auto [at, inserted] = shared_.insert(&e);
      if (!inserted) return **at;
    }
    ++used_;
    bytes_ += bytes_of(e);
    return e;
  }

  // Adds what the entries stand for to the sums, and, unless they are shared, reuses their
  // memory; call only when no reference is held.
  void trim() {
    if (counting_)
      for (std::size_t i = 0; i < used_; ++i)
        if (arena_[i].people) sums_.add(arena_[i].paid, std::exchange(arena_[i].people, 0));
    if (!sharing_) {
      used_ = 0;
      bytes_ = 0;
    }
  }
  // The sums of every person costed so far.
  const totals& sums() {
    trim();
    return sums_;
  }
  // About how much memory the entries take.
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }

private:
  void evaluate(std::span<const fact_value> facts, unsigned denied, amounts& out) {
    std::array<std::uint32_t, batch::max_capped> waitlisted{};
    std::size_t count = 0;
    for (std::size_t c = 0; c < plan_.capped.size(); ++c)
      if (denied & (1U << c)) waitlisted[count++] = static_cast<std::uint32_t>(plan_.capped[c]);
    plan_.policy.engine().evaluate(facts, schedule_, std::span<const std::uint32_t>(waitlisted.data(), count),
                                   workspace_, out);
    out.grants.resize(plan_.capped.size());
    out.grant_months.resize(plan_.capped.size());
    for (std::size_t c = 0; c < plan_.capped.size(); ++c) {
      out.grants[c] = out.granted[plan_.capped[c]];
      out.grant_months[c] = out.granted_months[plan_.capped[c]];
    }
  }

  // A hash of the totals, in lanes that do not wait on each other; `same` compares the months.
  static std::size_t hash_of(const amounts& a) {
    std::uint64_t lanes[2] = {a.complete ? 1U : 2U, static_cast<std::uint64_t>(a.total.minor_units())};
    std::uint64_t k = 0;
    for (const auto* values : {&a.due_total, &a.paid_total, &a.quoted_total, &a.grants})
      for (const money m : *values) {
        lanes[k & 1] += static_cast<std::uint64_t>(m.minor_units()) * (0x9E37'79B9'7F4A'7C15ULL + k);
        ++k;
      }
    const std::uint64_t h = (lanes[0] ^ (lanes[1] * 0xC2B2'AE3D'27D4'EB4FULL));
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
  static bool same(const amounts& a, const amounts& b) {
    return a.complete == b.complete && a.total == b.total && a.quoted_sum == b.quoted_sum && a.due == b.due &&
           a.paid == b.paid && a.quoted == b.quoted && a.grants == b.grants && a.grant_months == b.grant_months;
  }
  static std::size_t bytes_of(const entry& e) {
    const amounts& a = e.paid;
    return sizeof(entry) + 32 +
           sizeof(money) *
               (a.due.capacity() + a.paid.capacity() + a.quoted.capacity() + a.due_total.capacity() +
                a.paid_total.capacity() + a.quoted_total.capacity() + a.granted.capacity() + a.grants.capacity()) +
           sizeof(std::uint32_t) * (a.granted_months.capacity() + a.grant_months.capacity());
  }
  struct entry_hash {
    std::size_t operator()(const entry* e) const noexcept { return e->hash; }
  };
  struct entry_equal {
    bool operator()(const entry* a, const entry* b) const noexcept {
      return a->hash == b->hash && same(a->paid, b->paid);
    }
  };

  const batch_plan& plan_;
  bool counting_;
  bool sharing_;
  payment_engine::schedule schedule_;
  payment_engine::workspace workspace_;
  std::deque<entry> arena_; // stable addresses; [0, used_) in use
  std::size_t used_ = 0;
  std::unordered_set<entry*, entry_hash, entry_equal> shared_;
  std::size_t bytes_ = 0;
  totals sums_;
};

} // namespace entitle::detail
