#pragma once

#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/eval/decision.hpp>
#include <entitle/eval/derived_source.hpp>
#include <entitle/eval/evaluator.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/bound_rules.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

// Who pays, compiled: a policy's programs, formulas, adjustments, enrolments and subsidies bound
// once into an indexed program that works out one person's contributions with no names, strings
// or maps and no allocation, evaluated once per run of months in which nothing it reads changes
// (docs/design.md, "The payment engine"). A tracer sees every step; `contribution_statement`s
// are made by one (`statement_tracer`), so per-person statements and batch amounts come from the
// same evaluation.
namespace entitle {

/// A person's amounts over a range of months, by the engine's program and payer indexes
/// (`payment_engine::programs()`, `payers()`). Reused from person to person: `evaluate` sizes it
/// on first use and only clears it after that.
struct payment_amounts {
  std::vector<money> due;                    ///< [month * programs + program]: the whole contribution
  std::vector<money> paid;                   ///< [month * payers + payer]: payer shares and subsidies
  std::vector<money> due_total;              ///< [program] over the range
  std::vector<money> paid_total;             ///< [payer] over the range
  std::vector<money> granted;                ///< [subsidy], by the policy's subsidy index, over the range
  std::vector<std::uint32_t> granted_months; ///< [subsidy]: the months of the range it pays something in
  /// [month * programs + program]: what a subsidy of `denied` would have paid of a program-month
  /// and no later subsidy did: quoted to the person, paid by nobody, and neither in `due` nor in
  /// `paid` (nor charged to the program's payer roles). Empty when nothing was denied, so that
  /// evaluating everyone else costs nothing for it; `quoted_total` and `quoted_sum` are then zero.
  std::vector<money> quoted;
  std::vector<money> quoted_total; ///< [program] over the range
  money quoted_sum;                ///< everything quoted over the range
  money total;                     ///< everything paid over the range
  bool complete = true;            ///< false when some program-month is undetermined
};

/// The tracer that sees nothing: evaluation with it costs nothing for explanations.
struct no_trace {
  static constexpr bool enabled = false;
};

namespace detail {

/// The date facts rule `r` reads through an age or a count of months, with how, in it or in the
/// rules it refers to: the evaluation date reaches a rule only through these (`derived_number`),
/// so a rule with none has the same verdict on every day, and one with some changes only on a
/// day when one of them does.
std::vector<std::pair<std::size_t, derivation>> date_inputs(const bound_rules& rules, std::uint32_t r);

} // namespace detail

/// A policy's payment sections compiled for evaluation. Immutable and safe to share between
/// threads; each thread brings its own `workspace` and `payment_amounts`.
class payment_engine {
public:
  static constexpr std::uint32_t none = 0xFFFF'FFFF;

  /// Compiles `p`'s payment sections; `b` must come from `detail::bind_payments(p, rules)`, and
  /// `p` and `rules` must outlive the engine.
  payment_engine(const policy& p, const bound_rules& rules, const detail::bound_payments& b);

  /// The programs people are enrolled in, in the order the enrolments name them.
  [[nodiscard]] const std::vector<std::string>& programs() const noexcept { return program_names_; }
  /// Everyone who can pay: the payer roles of the enrolled formulas (after each enrolment's
  /// roles), then the subsidies' payers, in the order they first appear.
  [[nodiscard]] const std::vector<std::string>& payers() const noexcept { return payer_names_; }
  /// The facts any payment can read: those of the rules it decides, the formulas' bases and the
  /// derived values parts take their shares and amounts from (`share_of`, `amount_of`).
  [[nodiscard]] const fact_set& reads() const noexcept { return reads_; }
  /// The size of `payment_amounts::granted`: the policy's subsidies.
  [[nodiscard]] std::size_t subsidy_count() const noexcept { return subsidies_.size(); }

  /// The months of a range with their first days, cut into segments where a figure, a window or
  /// an adjustment changes, and every figure of the engine resolved once per segment: what every
  /// person evaluated over the range shares, so that evaluating reads no dated value.
  class schedule {
  public:
    [[nodiscard]] month_range range() const noexcept { return range_; }
    [[nodiscard]] std::size_t months() const noexcept { return first_days_.size(); }
    /// The runs of months in which no figure changes.
    [[nodiscard]] std::size_t segments() const noexcept { return segment_first_.size(); }

  private:
    friend class payment_engine;
    struct base_figures { // of a formula's base, in force on the segment's first day
      const dated<money>::entry* fixed = nullptr;
      const dated<money>::entry* floor = nullptr;
      const dated<money>::entry* ceiling = nullptr;
    };
    struct part_figure { // a part's share, flat amount or derived value in force; all unset when
                         // none is
      const dated<rate>::entry* share = nullptr;
      const dated<money>::entry* amount = nullptr;
      const dated<std::string>::entry* derived_entry = nullptr; // of `share_of` or `amount_of`
      std::uint32_t derived = none;                             // the derived value's slot
    };
    explicit schedule(month_range range) : range_(range) {}
    month_range range_;
    std::vector<month> months_;
    std::vector<date> first_days_;
    std::vector<std::int64_t> day_numbers_;
    std::vector<char> changes_;                      // [month]: 1 when some figure differs from the month before
    std::vector<std::uint32_t> segment_;             // [month]: its segment
    std::vector<std::uint32_t> segment_first_;       // [segment]: its first month
    std::vector<base_figures> bases_;                // [segment * formulas + formula]
    std::vector<part_figure> parts_;                 // [segment * parts + part]
    std::vector<const dated<rate>::entry*> factors_; // [segment * adjustments + adjustment]: null when not in force
    std::vector<char> windows_;                      // [segment * subsidies + subsidy]: 1 when its window covers it
  };
  /// The schedule of `range`.
  [[nodiscard]] schedule schedule_for(month_range range) const;

  /// One thread's scratch space, sized by the engine once.
  class workspace {
  public:
    explicit workspace(const payment_engine& engine);

  private:
    friend class payment_engine;
    struct part_amount {
      money amount;
      std::uint32_t part = 0;  // into `parts_`
      std::uint32_t payer = 0; // into `payer_names_`; none for a recomposed part
    };
    std::vector<decision> decided_; // [rule slot]
    std::vector<char> known_;       // [rule slot]: decided for this run (or person)
    std::vector<char> cuts_;        // [month]: a run starts here
    std::vector<std::int64_t> inputs_;
    std::vector<part_amount> parts_;
    std::vector<part_amount> scratch_;
    std::vector<money> granted_;        // [subsidy]: one month of the current run
    std::vector<std::int64_t> derived_; // [part]: a `share_of` part's rate (in parts) or an `amount_of`
                                        // part's amount (in sen), for the formula of the current item
  };

  /// Works out one person's contributions over `s.range()` into `out`, with the subsidies whose
  /// policy indexes are in `denied` not paying (a quota or budget ran out): of a program-month one
  /// of them would have paid, what the other subsidies do not pay is quoted, not due, and nobody
  /// pays it. Shows every step
  /// to `trace`. Allocates nothing once `w` and `out` have been used for this engine and range.
  /// Throws `errc::overflow` for an amount past 64 bits of sen.
  template <class Tracer = no_trace>
  void evaluate(std::span<const fact_value> facts, const schedule& s, std::span<const std::uint32_t> denied,
                workspace& w, payment_amounts& out, Tracer& trace) const;
  void evaluate(std::span<const fact_value> facts, const schedule& s, std::span<const std::uint32_t> denied,
                workspace& w, payment_amounts& out) const {
    no_trace trace;
    evaluate(facts, s, denied, w, out, trace);
  }

  /// The policy and rules compiled, for tracers naming what they see.
  [[nodiscard]] const policy& source() const noexcept { return policy_; }
  [[nodiscard]] const bound_rules& rules() const noexcept { return rules_; }

private:
  struct rule_slot {
    std::uint32_t rule = 0;
    std::vector<std::pair<std::size_t, derivation>> inputs; // empty: the same verdict every day
  };
  struct part_plan {
    const contribution_part* part = nullptr;
    std::uint32_t payer = none;         // into `payer_names_`; none for a recomposed part
    std::uint32_t index = 0;            // within its formula
    std::vector<std::uint32_t> derived; // [entry]: the slot each entry of `share_of` or `amount_of` names
  };
  struct formula_plan {
    const formula* form = nullptr;
    std::uint32_t index = 0;   // within its program
    std::uint32_t rule = none; // rule slot of `when`
    std::optional<std::size_t> base_slot;
    std::uint32_t first_part = 0, part_count = 0;
  };
  struct item_plan {            // one program of one enrolment
    std::uint32_t program = 0;  // policy index
    std::uint32_t reported = 0; // into `program_names_`
    std::uint32_t first_formula = 0, formula_count = 0;
    std::uint32_t first_adjustment = 0, adjustment_count = 0; // into `adjustment_list_`
    std::uint32_t first_subsidy = 0, subsidy_count = 0;       // into `subsidy_list_`, in the order they apply
  };
  struct enrolment_plan {
    const enrolment* source = nullptr;
    std::uint32_t rule = 0; // rule slot
    std::uint32_t first_item = 0, item_count = 0;
  };
  struct subsidy_plan {
    const subsidy* source = nullptr;
    std::uint32_t rule = 0;  // rule slot
    std::uint32_t payer = 0; // into `payer_names_`
  };
  // What one run of months shares while an item is worked out: its months, first day, and the
  // figures of its segment.
  struct run_at {
    std::size_t first = 0, end = 0; // months [first, end) of the schedule
    month when;
    date day;
    const schedule::base_figures* bases = nullptr;      // [formula]
    const schedule::part_figure* parts = nullptr;       // [part]
    const dated<rate>::entry* const* factors = nullptr; // [adjustment]
    const char* windows = nullptr;                      // [subsidy]
  };

  std::uint32_t add_rule(std::uint32_t rule);
  std::uint32_t add_payer(const std::string& name);
  void compile(const detail::bound_payments& b);
  void cut_runs(std::span<const fact_value> facts, const schedule& s, workspace& w) const;
  [[nodiscard]] run_at run_of(const schedule& s, std::size_t first, std::size_t end) const;
  void resolve(schedule& s) const;
  const decision& decide(std::uint32_t slot, std::span<const fact_value> facts, date day, workspace& w) const;
  static void prepare(const schedule& s, std::size_t programs, std::size_t payers, std::size_t subsidies, bool quoting,
                      payment_amounts& out);

  template <class Tracer>
  void run(std::span<const fact_value> facts, const run_at& at, std::span<const std::uint32_t> denied, workspace& w,
           payment_amounts& out, Tracer& trace) const;
  template <class Tracer>
  void item(std::span<const fact_value> facts, const enrolment_plan& e, const item_plan& it, const decision& who,
            const run_at& at, std::span<const std::uint32_t> denied, workspace& w, payment_amounts& out,
            Tracer& trace) const;
  template <class Tracer>
  const formula_plan* choose(std::span<const fact_value> facts, const item_plan& it, const run_at& at, workspace& w,
                             Tracer& trace, bool& unknown) const;
  template <class Tracer>
  bool base_of(std::span<const fact_value> facts, const enrolment_plan& e, const formula_plan& f, const run_at& at,
               std::optional<money>& base, Tracer& trace) const;
  template <class Tracer>
  bool derived_of(std::span<const fact_value> facts, const formula_plan& f, const run_at& at, workspace& w,
                  Tracer& trace) const;
  template <class Tracer>
  static money bounded(const schedule::base_figures& fig, const std::vector<money>& brackets, money value,
                       Tracer& trace);
  void parts_of(const formula_plan& f, std::optional<money> base, const run_at& at,
                const std::vector<std::int64_t>& derived, std::vector<workspace::part_amount>& out) const;
  template <class Tracer>
  void adjust(const item_plan& it, const run_at& at, std::vector<workspace::part_amount>& parts, Tracer& trace) const;
  template <class Tracer>
  void pay_parts(std::span<const fact_value> facts, const enrolment_plan& e, const item_plan& it, const formula_plan& f,
                 const run_at& at, workspace& w, payment_amounts& out, Tracer& trace) const;
  template <class Tracer>
  money subsidize(std::span<const fact_value> facts, const item_plan& it, const formula_plan& f, const run_at& at,
                  std::span<const std::uint32_t> denied, workspace& w, payment_amounts& out, Tracer& trace,
                  bool& turned_away) const;
  money on_base(const item_plan& it, const formula_plan& f, money base_amount, const run_at& at, workspace& w) const;
  static money payable_of(const std::vector<workspace::part_amount>& parts);
  static void take_from(std::vector<workspace::part_amount>& parts, money amount);
  static void begin_run(const run_at& at, workspace& w, payment_amounts& out);
  static void end_run(const run_at& at, workspace& w, payment_amounts& out);

  const policy& policy_;
  const bound_rules& rules_;
  std::vector<rule_slot> rule_slots_;
  std::vector<std::uint32_t> slot_of_rule_; // [rule]: its slot, or none
  std::vector<part_plan> parts_;
  std::vector<formula_plan> formulas_;
  std::vector<item_plan> items_;
  std::vector<enrolment_plan> enrolments_;
  std::vector<subsidy_plan> subsidies_; // by policy index
  std::vector<std::uint32_t> adjustment_list_;
  std::vector<std::uint32_t> subsidy_list_;
  std::vector<std::string> program_names_;
  std::vector<std::string> payer_names_;
  std::vector<std::uint32_t> dated_slots_; // rule slots whose verdict can change with the date
  std::size_t max_parts_ = 0;
  std::size_t max_inputs_ = 0;
  fact_set reads_;
};

} // namespace entitle

#include <entitle/eval/impl/payment_engine.hpp>
