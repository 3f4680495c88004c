// Reforms on a roster (diff.hpp): the baseline's rows kept compactly in roster order, then the
// reform's compared with them one by one as they come.
#include <entitle/io/diff.hpp>

#include <algorithm>
#include <string_view>
#include <utility>

namespace entitle {

namespace {

// `names` with those of `more` it lacks added, and where each of `more` is in it.
std::vector<std::size_t> merge_names(std::vector<std::string>& names, const std::vector<std::string>& more) {
  std::vector<std::size_t> at;
  for (const auto& name : more) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) it = names.insert(names.end(), name);
    at.push_back(static_cast<std::size_t>(it - names.begin()));
  }
  return at;
}

std::vector<money> spread(const std::vector<money>& values, const std::vector<std::size_t>& at, std::size_t size) {
  std::vector<money> out(size);
  for (std::size_t k = 0; k < values.size() && k < at.size(); ++k)
    out[at[k]] = values[k];
  return out;
}

// A row's side, from a decided row of `b` whose payers are at `at` among `payers`.
diff_side side_of(const batch& b, const batch_row& row, const std::vector<std::size_t>& at, std::size_t payers) {
  diff_side s;
  s.status = to_string(row.outcome.outcome);
  s.reason = b.policy().first_reason(row.outcome);
  bool waitlisted = false;
  for (const quota_place& q : row.quotas) {
    if (q.status == quota_status::funded) s.funding = "funded";
    waitlisted = waitlisted || q.status == quota_status::waitlisted;
    if (s.rank == 0 && q.rank != 0) s.rank = q.rank;
  }
  if (s.funding.empty() && waitlisted) s.funding = "waitlisted";
  s.paid = spread(std::vector<money>(row.paid.begin(), row.paid.end()), at, payers);
  s.total = row.total;
  s.quoted = row.quoted;
  return s;
}

diff_side rejected_side(const rejected_row& row, std::size_t payers) {
  diff_side s;
  s.status = "rejected";
  s.reason = row.reason;
  s.paid.assign(payers, money());
  return s;
}

std::string side_words(const diff_side& s) { return s.status + (s.reason.empty() ? "" : " (" + s.reason + ")"); }

std::string funding_words(const diff_side& s) {
  if (s.funding.empty()) return "not ranked";
  return s.funding + " at rank " + std::to_string(s.rank);
}

// What made the change, in words: the status and its reason, the funding (with the limits that
// differ between the two: `limits`), and the payers whose amounts moved.
std::string why_of(const diff_side& a, const diff_side& b, const std::string& limits,
                   const std::vector<std::string>& payers) {
  std::vector<std::string> parts;
  if (a.status != b.status || a.reason != b.reason) parts.push_back("status " + side_words(a) + " -> " + side_words(b));
  if (a.funding != b.funding || a.rank != b.rank) // the limits only when the funding itself moved
    parts.push_back("funding: " + funding_words(a) + " -> " + funding_words(b) +
                    (limits.empty() || a.funding == b.funding ? "" : " (" + limits + ")"));
  for (std::size_t p = 0; p < payers.size(); ++p)
    if (a.paid[p] != b.paid[p])
      parts.push_back(payers[p] + " pays " + to_rupiah_string(a.paid[p]) + " -> " + to_rupiah_string(b.paid[p]));
  if (a.quoted != b.quoted)
    parts.push_back("quoted " + to_rupiah_string(a.quoted) + " -> " + to_rupiah_string(b.quoted));
  std::string out;
  for (std::size_t k = 0; k < parts.size(); ++k)
    out += (k ? "; " : "") + parts[k];
  return out;
}

const subsidy* subsidy_of(const policy& p, std::string_view id) {
  for (const auto& s : p.subsidies)
    if (s.id == id) return &s;
  return nullptr;
}

std::string limit_words(const subsidy* s) {
  if (!s) return "none";
  std::string out;
  if (s->quota) out += "quota " + std::to_string(*s->quota);
  if (s->budget) out += (out.empty() ? "budget " : ", budget ") + to_rupiah_string(*s->budget);
  return out.empty() ? "no limit" : out;
}

// The capped subsidies whose quota or budget differ: "apbd: quota 4650, budget Rp937.440.000 ->
// quota 5000, budget Rp1.008.000.000".
std::string limits_changed(const batch& before, const batch& after) {
  std::vector<std::string> ids = before.capped();
  for (const auto& id : after.capped())
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  std::string out;
  for (const auto& id : ids) {
    const std::string was = limit_words(subsidy_of(before.policy().source(), id));
    const std::string now = limit_words(subsidy_of(after.policy().source(), id));
    if (was != now) out += (out.empty() ? "" : "; ") + id + ": " + was + " -> " + now;
  }
  return out;
}

bool is_funded(const diff_side& s) { return s.funding == "funded"; }
bool is_eligible(const diff_side& s) { return s.status == "eligible"; }

// The baseline's rows, in roster order: their lines and sides.
struct kept_rows {
  std::vector<std::size_t> lines;
  std::vector<diff_side> sides;
};

} // namespace

reform_diff::reform_diff(const batch& before, const batch& after) : before_(before), after_(after) {
  if (before.options().period != after.options().period || before.options().as_of != after.options().as_of)
    throw error(errc::out_of_range, "a baseline and its reform are compared over the same period and as-of date");
  before_payer_ = merge_names(payers_, before.payers());
  after_payer_ = merge_names(payers_, after.payers());
  before_program_ = merge_names(programs_, before.programs());
  after_program_ = merge_names(programs_, after.programs());
  limits_ = limits_changed(before, after);
}

diff_summary reform_diff::run(row_source& before_rows, row_source& after_rows, const change_handler& on_change) const {
  diff_summary totals;
  totals.payers = payers_;
  totals.programs = programs_;
  kept_rows kept;
  const std::size_t payers = payers_.size();
  totals.before = before_.run(
      before_rows,
      [&](const batch_row& row) {
        kept.lines.push_back(row.line);
        kept.sides.push_back(side_of(before_, row, before_payer_, payers));
      },
      [&](const rejected_row& row) {
        kept.lines.push_back(row.line);
        kept.sides.push_back(rejected_side(row, payers));
      });
  std::size_t next = 0;
  auto compare = [&](std::size_t line, std::string_view id, diff_side after) {
    if (next >= kept.lines.size() || kept.lines[next] != line)
      throw error(errc::invalid_syntax, "line " + std::to_string(line) +
                                            ": the reform read a row the baseline did not; the roster must be the "
                                            "same file, unchanged, for both");
    diff_side& before = kept.sides[next];
    if (!(before == after)) {
      diff_row change{
          .id = std::string(id), .line = line, .before = std::move(before), .after = std::move(after), .why = {}};
      totals.gained_eligibility += !is_eligible(change.before) && is_eligible(change.after);
      totals.lost_eligibility += is_eligible(change.before) && !is_eligible(change.after);
      totals.gained_funding += !is_funded(change.before) && is_funded(change.after);
      totals.lost_funding += is_funded(change.before) && !is_funded(change.after);
      ++totals.changed;
      change.why = why_of(change.before, change.after, limits_, payers_);
      on_change(change);
    }
    ++next;
  };
  totals.after = after_.run(
      after_rows, [&](const batch_row& row) { compare(row.line, row.id, side_of(after_, row, after_payer_, payers)); },
      [&](const rejected_row& row) { compare(row.line, row.id, rejected_side(row, payers)); });
  if (next != kept.lines.size())
    throw error(errc::invalid_syntax, "the reform read fewer rows than the baseline; the roster must be the same "
                                      "file, unchanged, for both");
  totals.rows_read = totals.after.rows_read;
  totals.paid_before = spread(totals.before.paid_by_payer, before_payer_, payers);
  totals.paid_after = spread(totals.after.paid_by_payer, after_payer_, payers);
  totals.due_before = spread(totals.before.due_by_program, before_program_, programs_.size());
  totals.due_after = spread(totals.after.due_by_program, after_program_, programs_.size());
  for (const auto& month : totals.before.paid_by_month)
    totals.paid_by_month_before.push_back(spread(month, before_payer_, payers));
  for (const auto& month : totals.after.paid_by_month)
    totals.paid_by_month_after.push_back(spread(month, after_payer_, payers));
  return totals;
}

} // namespace entitle
