#pragma once

#include <entitle/eval/contribution.hpp>
#include <entitle/eval/payment_engine.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace entitle {

/// The tracer that writes what the payment engine does as a `contribution_statement`: each
/// program-month with its lines, notes and missing facts, then the totals by payer.
///
///     statement_tracer trace(engine, period);
///     engine.evaluate(facts, engine.schedule_for(period), {}, workspace, amounts, trace);
///     contribution_statement st = std::move(trace).statement();
class statement_tracer {
public:
  static constexpr bool enabled = true;

  /// `denied_notes`: what a line says of a subsidy denied to the person, by policy index.
  statement_tracer(const payment_engine& engine, month_range period,
                   std::vector<std::pair<std::size_t, std::string>> denied_notes = {})
      : engine_(engine), denied_notes_(std::move(denied_notes)) {
    out_.policy = engine.source().id;
    out_.period = period;
  }

  void begin_item(const enrolment& e, const program& p) {
    program_month item;
    item.enrolment = e.id;
    item.program = p.id;
    item.category = e.category;
    run_.push_back(std::move(item));
  }
  void drop_item() { run_.pop_back(); }
  void due(money amount) { run_.back().due = amount; }
  void line(payment_line line) { run_.back().lines.push_back(std::move(line)); }
  void note(std::string text) { run_.back().notes.push_back(std::move(text)); }
  /// The facts that would settle an unknown decision, each named once.
  void missing(const decision& d) {
    program_month& item = run_.back();
    item.outcome = status::undetermined;
    const schema& facts = engine_.rules().facts;
    for (std::size_t slot = 0; slot < facts.size(); ++slot)
      if (d.missing.test(slot)) {
        const std::string& name = facts.fields()[slot].name;
        if (std::find(item.missing.begin(), item.missing.end(), name) == item.missing.end())
          item.missing.push_back(name);
      }
  }
  /// A fact the person does not have that the base or a derived share reads, named once.
  void missing_fact(std::size_t slot) {
    program_month& item = run_.back();
    item.outcome = status::undetermined;
    const std::string& name = engine_.rules().facts.fields()[slot].name;
    if (std::find(item.missing.begin(), item.missing.end(), name) == item.missing.end()) item.missing.push_back(name);
  }
  /// The item's amount is not known, for the reason `why` (a derived share with no value).
  void undetermined(std::string why) {
    run_.back().outcome = status::undetermined;
    note(std::move(why));
  }
  void denied(std::size_t subsidy) {
    const auto& id = engine_.source().subsidies[subsidy].id;
    const auto found =
        std::find_if(denied_notes_.begin(), denied_notes_.end(), [&](const auto& n) { return n.first == subsidy; });
    note("subsidy " + id + " does not pay: " + (found == denied_notes_.end() ? "denied" : found->second));
  }
  /// `amount` of the item is quoted: a denied subsidy would have paid it and no other did, so
  /// nobody pays it, and it is not due.
  void quoted(money amount) {
    program_month& item = run_.back();
    item.due -= amount;
    item.quoted = amount;
  }
  /// The items of a run of months, one program-month each.
  void end_run(std::size_t first, std::size_t end) {
    for (std::size_t m = first; m < end; ++m)
      for (const program_month& item : run_) {
        out_.items.push_back(item);
        out_.items.back().when = out_.period.first().plus(std::chrono::months(static_cast<int>(m)));
      }
    run_.clear();
  }

  /// The statement, with the totals by payer in the order the payers first appear.
  [[nodiscard]] contribution_statement statement() && {
    for (const auto& item : out_.items) {
      out_.quoted += item.quoted;
      for (const auto& l : item.lines) {
        if (l.what == payment_line::kind::recomposed) continue;
        const auto at =
            std::find_if(out_.totals.begin(), out_.totals.end(), [&](const auto& t) { return t.first == l.payer; });
        if (at == out_.totals.end())
          out_.totals.emplace_back(l.payer, l.amount);
        else
          at->second += l.amount;
        out_.total += l.amount;
      }
    }
    return std::move(out_);
  }

private:
  const payment_engine& engine_;
  std::vector<std::pair<std::size_t, std::string>> denied_notes_;
  std::vector<program_month> run_;
  contribution_statement out_;
};

} // namespace entitle
