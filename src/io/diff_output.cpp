// A comparison's outputs (diff.hpp): the changes as CSV or NDJSON, the totals as JSON and text.
#include <entitle/io/core_json.hpp>
#include <entitle/io/diff.hpp>

#include "csv_field.hpp"
#include "utf8.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <string_view>

namespace entitle {

namespace json = boost::json;

namespace {

constexpr std::string_view diff_format = "entitle-diff/1";

void csv_side_columns(std::string& out, const diff_side& a, const diff_side& b) {
  out += ',' + a.status + ',' + b.status + ',';
  detail::csv_field(out, a.reason);
  out += ',';
  detail::csv_field(out, b.reason);
  out += ',' + a.funding + ',' + b.funding + ',';
  out += (a.rank ? std::to_string(a.rank) : std::string()) + ',' + (b.rank ? std::to_string(b.rank) : std::string());
}

json::object side_json(const diff_side& s, const std::vector<std::string>& payers) {
  json::object paid;
  for (std::size_t p = 0; p < payers.size(); ++p)
    paid[payers[p]] = json::value_from(s.paid[p]);
  json::object out{{"status", s.status},
                   {"reason", detail::utf8_or_replaced(s.reason)},
                   {"funding", s.funding},
                   {"paid", std::move(paid)},
                   {"total", json::value_from(s.total)},
                   {"quoted", json::value_from(s.quoted)}};
  out["rank"] = s.rank ? json::value(s.rank) : json::value(nullptr);
  return out;
}

// {"PAYER": {"before": .., "after": .., "change": ..}, ...}
json::object changes_by(const std::vector<std::string>& names, const std::vector<money>& before,
                        const std::vector<money>& after) {
  json::object out;
  for (std::size_t k = 0; k < names.size(); ++k)
    out[names[k]] = json::object{{"before", json::value_from(before[k])},
                                 {"after", json::value_from(after[k])},
                                 {"change", json::value_from(after[k] - before[k])}};
  return out;
}

std::string signed_rupiah(money m) {
  std::string out = m < money() ? "" : "+";
  out += to_rupiah_string(m);
  return out;
}

// "PEMKAB_OKU_TIMUR Rp937.440.000 -> Rp1.008.000.000 (+Rp70.560.000)" for each name, one a line.
std::string change_lines(const std::vector<std::string>& names, const std::vector<money>& before,
                         const std::vector<money>& after) {
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k) {
    out += "  ";
    out += names[k];
    out += ": ";
    out += to_rupiah_string(before[k]);
    out += " -> ";
    out += to_rupiah_string(after[k]);
    out += " (";
    out += signed_rupiah(after[k] - before[k]);
    out += ")\n";
  }
  return out;
}

std::string fill_line(const quota_fill& f) {
  std::string out =
      std::to_string(f.funded) + " funded of " + std::to_string(f.candidates) + ", spent " + to_rupiah_string(f.spent);
  if (f.quota) out += ", quota " + std::to_string(*f.quota);
  if (f.budget) out += ", budget " + to_rupiah_string(*f.budget);
  if (!f.cut_by.empty()) out += ", cut by " + f.cut_by;
  return out;
}

std::string settings_words(const batch_summary& s) {
  std::string out;
  for (const auto& a : s.settings)
    out += (out.empty() ? " with " : ", ") + a.name + "=" + a.value;
  return out;
}

} // namespace

std::string diff_header(const reform_diff& d, output_format format) {
  if (format == output_format::ndjson) return {};
  std::string out = "id,line,status_before,status_after,reason_before,reason_after,funding_before,funding_after,"
                    "rank_before,rank_after";
  for (const auto& payer : d.payers()) {
    out += ",paid_" + payer + "_before";
    out += ",paid_" + payer + "_after";
    out += ",paid_" + payer + "_change";
  }
  out += ",total_before,total_after,total_change,why\n";
  return out;
}

void append_diff_row(std::string& out, const reform_diff& d, const diff_row& row, output_format format) {
  if (format == output_format::ndjson) {
    json::object change;
    json::object paid;
    for (std::size_t p = 0; p < d.payers().size(); ++p)
      paid[d.payers()[p]] = json::value_from(row.after.paid[p] - row.before.paid[p]);
    out += json::serialize(
        json::object{{"id", row.id},
                     {"line", row.line},
                     {"before", side_json(row.before, d.payers())},
                     {"after", side_json(row.after, d.payers())},
                     {"change", json::object{{"paid", std::move(paid)},
                                             {"total", json::value_from(row.after.total - row.before.total)}}},
                     {"why", row.why}});
    out += '\n';
    return;
  }
  detail::csv_field(out, row.id);
  out += ',' + std::to_string(row.line);
  csv_side_columns(out, row.before, row.after);
  for (std::size_t p = 0; p < d.payers().size(); ++p) {
    out += ',' + to_string(row.before.paid[p]) + ',' + to_string(row.after.paid[p]) + ',';
    out += to_string(row.after.paid[p] - row.before.paid[p]);
  }
  out += ',' + to_string(row.before.total) + ',' + to_string(row.after.total) + ',';
  out += to_string(row.after.total - row.before.total) + ',';
  detail::csv_field(out, row.why);
  out += '\n';
}

json::value to_json(const diff_summary& s) {
  json::array months;
  std::size_t m = 0;
  for (const month when : s.after.period) {
    months.push_back(json::object{
        {"month", json::value_from(when)},
        {"paid_by_payer", changes_by(s.payers, s.paid_by_month_before.at(m), s.paid_by_month_after.at(m))}});
    ++m;
  }
  return json::object{{"format", diff_format},
                      {"rows", json::object{{"read", s.rows_read}, {"changed", s.changed}}},
                      {"eligibility", json::object{{"gained", s.gained_eligibility}, {"lost", s.lost_eligibility}}},
                      {"funding", json::object{{"gained", s.gained_funding}, {"lost", s.lost_funding}}},
                      {"paid_by_payer", changes_by(s.payers, s.paid_before, s.paid_after)},
                      {"due_by_program", changes_by(s.programs, s.due_before, s.due_after)},
                      {"months", std::move(months)},
                      {"before", to_json(s.before)},
                      {"after", to_json(s.after)}};
}

std::string to_text(const diff_summary& s) {
  std::string out = "baseline " + s.before.policy + settings_words(s.before) + "\nreform   " + s.after.policy +
                    settings_words(s.after) + "\n";
  out += "rows read " + std::to_string(s.rows_read) + "; " + std::to_string(s.changed) + " people changed\n";
  out += "eligibility: " + std::to_string(s.gained_eligibility) + " gained, " + std::to_string(s.lost_eligibility) +
         " lost\n";
  out += "funding: " + std::to_string(s.gained_funding) + " gained, " + std::to_string(s.lost_funding) + " lost\n";
  out +=
      "paid by payer over " + to_string(s.after.period) + ":\n" + change_lines(s.payers, s.paid_before, s.paid_after);
  out += "due by program:\n" + change_lines(s.programs, s.due_before, s.due_after);
  for (const auto& after : s.after.quotas) {
    const quota_fill* before = nullptr;
    for (const auto& f : s.before.quotas)
      if (f.subsidy == after.subsidy) before = &f;
    out += "quota " + after.subsidy + ": " + (before ? fill_line(*before) : std::string("not in the baseline")) +
           "\n    -> " + fill_line(after) + "\n";
  }
  for (const auto& before : s.before.quotas) {
    bool kept = false;
    for (const auto& f : s.after.quotas)
      kept = kept || f.subsidy == before.subsidy;
    if (!kept) out += "quota " + before.subsidy + ": " + fill_line(before) + "\n    -> not in the reform\n";
  }
  return out;
}

} // namespace entitle
