// Writing a batch's results: per-person rows and rejections as CSV or NDJSON, the summary as JSON
// and as a readable table.
#include <entitle/io/batch.hpp>

#include <entitle/io/core_json.hpp>

#include "csv_field.hpp"
#include "file_kind.hpp"
#include "utf8.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

namespace entitle {

using detail::csv_field;
using detail::utf8_or_replaced;
using detail::valid_utf8;

namespace {

namespace json = boost::json;

template <class Names>
std::string joined(const Names& names, std::string_view separator) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += separator;
    out += n;
  }
  return out;
}

// Appends `to_string(amount)` ("16800", "-16800", "16800.50") without a string of its own.
void append_amount(std::string& out, money amount) {
  const std::uint64_t sen = detail::magnitude(amount.minor_units());
  if (amount.minor_units() < 0) out += '-';
  std::array<char, 24> digits{};
  out.append(digits.data(), std::to_chars(digits.data(), digits.data() + digits.size(), sen / 100).ptr);
  if (sen % 100 != 0) {
    out += '.';
    out += static_cast<char>('0' + sen % 100 / 10);
    out += static_cast<char>('0' + sen % 10);
  }
}

// Appends `to_string(m)` ("2024-04") without formatting through a string of its own.
void append_month(std::string& out, month m) {
  const int year = m.year();
  if (year < 0 || year > 9999) {
    out += to_string(m);
    return;
  }
  const char text[7] = {static_cast<char>('0' + year / 1000),
                        static_cast<char>('0' + year / 100 % 10),
                        static_cast<char>('0' + year / 10 % 10),
                        static_cast<char>('0' + year % 10),
                        '-',
                        static_cast<char>('0' + m.number() / 10),
                        static_cast<char>('0' + m.number() % 10)};
  out.append(text, sizeof text);
}

// A value of `f` as policy JSON writes it: true, 15, 1500000 (or "1500000.50"), "0.24%",
// "2024-01-31", the text, an enum value's name; null when missing.
json::value value_json(const field& f, const fact_value& v) {
  if (!v.present) return nullptr;
  switch (f.type) {
  case fact_type::boolean: return v.number != 0;
  case fact_type::integer: return v.number;
  case fact_type::money: return json::value_from(money::from_minor_units(v.number));
  case fact_type::rate: return json::value_from(rate::from_parts(v.number));
  case fact_type::date: return json::value_from(number_date(v.number));
  case fact_type::month: return json::value(to_string(month::of(number_date(v.number))));
  case fact_type::string: return json::value(utf8_or_replaced(v.text));
  case fact_type::enumeration: return json::value(f.enumerator_name(v.number));
  }
  return nullptr;
}

// The same value as a CSV field: the text of a string, a missing value empty.
void append_value(std::string& out, const field& f, const fact_value& v) {
  if (!v.present) return;
  if (f.type == fact_type::string) {
    csv_field(out, v.text); // the roster's bytes, as the id is written
    return;
  }
  const json::value jv = value_json(f, v);
  if (jv.is_string())
    csv_field(out, jv.get_string());
  else
    out += json::serialize(jv);
}

// The output's own columns (CSV) or keys (NDJSON), which an added column may not be called.
std::vector<std::string> own_names(const batch& b, output_format format) {
  std::vector<std::string> out{"id",      "status",  "rule",          "reason",
                               "reasons", "missing", "eligible_from", "eligible_months",
                               "total",   "quoted",  "complete"};
  if (format == output_format::ndjson) {
    out.insert(out.end(), {"due", "paid", "quotas"});
    return out;
  }
  for (const auto& p : b.programs())
    out.push_back("due_" + p);
  for (const auto& p : b.payers())
    out.push_back("paid_" + p);
  for (const auto& c : b.capped())
    out.insert(out.end(), {"quota_" + c, "rank_" + c, "months_" + c});
  return out;
}

json::array names_json(const std::vector<std::string_view>& names) {
  json::array out;
  for (const auto n : names)
    out.emplace_back(n);
  return out;
}

} // namespace

output_format output_format_of(const std::filesystem::path& file) {
  switch (detail::row_file_kind_of(file)) {
  case detail::row_file_kind::csv: return output_format::csv;
  case detail::row_file_kind::ndjson: return output_format::ndjson;
  case detail::row_file_kind::unknown: break;
  }
  throw error(errc::invalid_syntax,
              "cannot tell the format of " + file.string() + " from its name: use a .csv, .ndjson or .jsonl file");
}

std::string output_header(const batch& b, output_format format) {
  const std::vector<std::string> own = own_names(b, format);
  for (const auto& c : b.columns())
    if (std::find(own.begin(), own.end(), c.name) != own.end())
      throw error(errc::invalid_syntax, "the column " + detail::quoted(c.name) + " is one of the output's own (" +
                                            (format == output_format::csv ? "CSV" : "NDJSON") +
                                            "); a fact called so cannot be added to it");
  if (format == output_format::ndjson) return {};
  // Names come from the policy and may hold a comma, a quote or a line end: each column is a field.
  std::string out = "id,status,rule,reason,reasons,missing,eligible_from,eligible_months";
  const auto column = [&out](std::string_view prefix, const std::string& name) {
    out += ',';
    csv_field(out, std::string(prefix) + name);
  };
  for (const auto& p : b.programs())
    column("due_", p);
  for (const auto& p : b.payers())
    column("paid_", p);
  out += ",total,quoted,complete";
  for (const auto& s : b.capped()) {
    column("quota_", s);
    column("rank_", s);
    column("months_", s);
  }
  for (const auto& c : b.columns())
    column("", c.name);
  out += '\n';
  return out;
}

void append_row(std::string& out, const batch& b, const batch_row& row, output_format format) {
  const compiled_policy& p = b.policy();
  const std::vector<std::string_view> reasons = p.reasons(row.outcome);
  const std::vector<std::string_view> missing = p.missing_facts(row.outcome);
  const std::vector<std::string>& capped = b.capped();
  if (format == output_format::ndjson) {
    json::object o;
    o["id"] = utf8_or_replaced(row.id);
    o["status"] = to_string(row.outcome.outcome);
    o["rule"] = row.rule;
    o["reason"] = p.first_reason(row.outcome);
    o["reasons"] = names_json(reasons);
    o["missing"] = names_json(missing);
    o["eligible_from"] = row.eligible_from ? json::value_from(*row.eligible_from) : json::value(nullptr);
    o["eligible_months"] = row.eligible_months;
    json::object due, paid, quotas;
    for (std::size_t k = 0; k < b.programs().size(); ++k)
      due[b.programs()[k]] = json::value_from(row.due[k]);
    for (std::size_t k = 0; k < b.payers().size(); ++k)
      paid[b.payers()[k]] = json::value_from(row.paid[k]);
    o["due"] = std::move(due);
    o["paid"] = std::move(paid);
    o["total"] = json::value_from(row.total);
    o["quoted"] = json::value_from(row.quoted);
    o["complete"] = row.complete;
    for (std::size_t q = 0; q < capped.size(); ++q) {
      json::object place{{"status", to_string(row.quotas[q].status)}};
      if (row.quotas[q].rank != 0) place["rank"] = row.quotas[q].rank;
      place["months"] = row.funded_months[q];
      quotas[capped[q]] = std::move(place);
    }
    if (!capped.empty()) o["quotas"] = std::move(quotas);
    for (std::size_t k = 0; k < b.columns().size(); ++k)
      o[b.columns()[k].name] = value_json(b.columns()[k].shown, row.values[k]);
    out += json::serialize(o);
    out += '\n';
    return;
  }
  csv_field(out, row.id);
  (out += ',') += to_string(row.outcome.outcome);
  out += ',';
  csv_field(out, row.rule);
  out += ',';
  csv_field(out, p.first_reason(row.outcome));
  out += ',';
  csv_field(out, joined(reasons, ";"));
  out += ',';
  csv_field(out, joined(missing, ";"));
  out += ',';
  if (row.eligible_from) append_month(out, *row.eligible_from);
  (out += ',') += std::to_string(row.eligible_months);
  for (const money m : row.due)
    append_amount(out += ',', m);
  for (const money m : row.paid)
    append_amount(out += ',', m);
  append_amount(out += ',', row.total);
  append_amount(out += ',', row.quoted);
  out += row.complete ? ",true" : ",false";
  for (std::size_t q = 0; q < capped.size(); ++q) {
    (out += ',') += row.quotas[q].status == quota_status::none ? "" : to_string(row.quotas[q].status);
    out += ',';
    if (row.quotas[q].rank != 0) out += std::to_string(row.quotas[q].rank);
    (out += ',') += std::to_string(row.funded_months[q]);
  }
  for (std::size_t k = 0; k < b.columns().size(); ++k)
    append_value(out += ',', b.columns()[k].shown, row.values[k]);
  out += '\n';
}

std::string rejects_header(output_format format) {
  return format == output_format::csv ? "line,id,column,reason,text\n" : std::string();
}

void append_reject(std::string& out, const rejected_row& row, output_format format) {
  if (format == output_format::ndjson) {
    out += json::serialize(json::object{{"line", row.line},
                                        {"id", utf8_or_replaced(row.id)},
                                        {"column", utf8_or_replaced(row.column)},
                                        {"reason", utf8_or_replaced(row.reason)},
                                        {"text", utf8_or_replaced(row.text)}});
    out += '\n';
    return;
  }
  out += std::to_string(row.line);
  out += ',';
  csv_field(out, row.id);
  out += ',';
  csv_field(out, row.column);
  out += ',';
  csv_field(out, row.reason);
  out += ',';
  csv_field(out, row.text);
  out += '\n';
}

json::value to_json(const batch_summary& s) {
  auto amounts_by = [](const std::vector<std::string>& names, const std::vector<money>& values) {
    json::object out;
    for (std::size_t k = 0; k < names.size(); ++k)
      out[names[k]] = json::value_from(values[k]);
    return out;
  };
  // Column names come from the roster, whatever its bytes: the keys are made valid UTF-8 (two
  // names that differ only in bytes that are not UTF-8 add up under one key).
  auto counts = [](const auto& map) {
    json::object out;
    for (const auto& [name, n] : map) {
      json::value& count = out[utf8_or_replaced(name)];
      count = (count.is_uint64() ? count.get_uint64() : std::uint64_t{0}) + std::uint64_t{n};
    }
    return out;
  };
  json::array months;
  std::size_t m = 0;
  for (const month when : s.period) {
    money due;
    for (const money x : s.due_by_month[m])
      due += x;
    months.push_back(
        json::object{{"month", json::value_from(when)},
                     {"due", json::value_from(due)},
                     {"due_by_program", amounts_by(s.programs, s.due_by_month[m])},
                     {"paid_by_payer", amounts_by(s.payers, s.paid_by_month[m])},
                     {"quoted_by_program",
                      m < s.quoted_by_month.size() ? amounts_by(s.programs, s.quoted_by_month[m]) : json::object()}});
    ++m;
  }
  json::array quotas;
  for (const auto& q : s.quotas) {
    json::object o{{"subsidy", q.subsidy},
                   {"payer", q.payer},
                   {"window", json::value_from(q.window)},
                   {"candidates", q.candidates},
                   {"funded", q.funded},
                   {"waitlisted", q.waitlisted},
                   {"spent", json::value_from(q.spent)},
                   {"funded_months", q.funded_months}};
    if (q.quota) o["quota"] = *q.quota;
    if (q.budget) o["budget"] = json::value_from(*q.budget);
    if (!q.cut_by.empty()) o["cut_by"] = q.cut_by;
    quotas.push_back(std::move(o));
  }
  json::array rules;
  for (const auto& r : s.rules)
    rules.emplace_back(r);
  json::array settings;
  for (const auto& a : s.settings)
    settings.push_back(json::object{
        {"name", a.name}, {"value", a.value}, {"was", a.was ? json::value(*a.was) : json::value(nullptr)}});
  return json::object{{"format", summary_format},
                      {"policy", s.policy},
                      {"settings", std::move(settings)},
                      {"rules", std::move(rules)},
                      {"as_of", json::value_from(s.as_of)},
                      {"period", json::value_from(s.period)},
                      {"rows", json::object{{"read", s.rows_read},
                                            {"decided", s.decided},
                                            {"rejected", s.rejected},
                                            {"blank_lines", s.blank_lines}}},
                      {"status", json::object{{"eligible", s.eligible},
                                              {"ineligible", s.ineligible},
                                              {"undetermined", s.undetermined},
                                              {"eligible_in_period", s.eligible_in_period},
                                              {"eligible_later", s.eligible_later}}},
                      {"ineligible_by_reason", counts(s.ineligible_by_reason)},
                      {"undetermined_by_fact", counts(s.undetermined_by_fact)},
                      {"undetermined_by_reason", counts(s.undetermined_by_reason)},
                      {"rejected_by_column", counts(s.rejected_by_column)},
                      {"total", json::value_from(s.total)},
                      {"incomplete", s.incomplete},
                      {"due_by_program", amounts_by(s.programs, s.due_by_program)},
                      {"paid_by_payer", amounts_by(s.payers, s.paid_by_payer)},
                      {"quoted", json::value_from(s.quoted)},
                      {"quoted_by_program", amounts_by(s.programs, s.quoted_by_program)},
                      {"quoted_people", s.quoted_people},
                      {"months", std::move(months)},
                      {"quotas", std::move(quotas)}};
}

namespace {

// The summary's table: a row per month, a column per payer, then the totals, and when something
// is quoted, what nobody pays. Each column is as wide as its widest cell and one space more (at
// least 18, so that usual amounts line up).
void append_payer_table(std::string& out, const batch_summary& s) {
  auto pad = [](const std::string& text, std::size_t width) {
    return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
  };
  std::vector<money> month_totals;
  for (const auto& paid : s.paid_by_month) {
    money total;
    for (const money x : paid)
      total += x;
    month_totals.push_back(total);
  }
  auto width_of = [](std::size_t narrowest, const auto& cells) {
    std::size_t width = narrowest;
    for (const money x : cells)
      width = std::max(width, to_rupiah_string(x).size() + 1);
    return width;
  };
  std::vector<std::size_t> widths;
  for (std::size_t k = 0; k < s.payers.size(); ++k) {
    std::vector<money> column{s.paid_by_payer[k]};
    for (const auto& paid : s.paid_by_month)
      column.push_back(paid[k]);
    widths.push_back(width_of(std::max<std::size_t>(18, s.payers[k].size() + 2), column));
  }
  month_totals.push_back(s.total);
  const std::size_t total_width = width_of(18, month_totals);
  month_totals.pop_back();
  // A summary made by hand may leave out the months of what is quoted: nothing quoted then.
  std::vector<money> month_quoted(s.paid_by_month.size());
  for (std::size_t k = 0; k < month_quoted.size() && k < s.quoted_by_month.size(); ++k)
    for (const money x : s.quoted_by_month[k])
      month_quoted[k] += x;
  month_quoted.push_back(s.quoted);
  const bool quoting = s.quoted != money();
  const std::size_t quoted_width = width_of(18, month_quoted);
  auto quoted_cell = [&](std::size_t row) {
    return quoting ? pad(to_rupiah_string(month_quoted[row]), quoted_width) : std::string();
  };
  out += "\n";
  out += pad("month", 8);
  for (std::size_t k = 0; k < s.payers.size(); ++k)
    out += pad(s.payers[k], widths[k]);
  out += pad("total", total_width) + (quoting ? pad("quoted, unpaid", quoted_width) : std::string()) + "\n";
  std::size_t m = 0;
  for (const month when : s.period) {
    out += pad(to_string(when), 8);
    for (std::size_t k = 0; k < s.payers.size(); ++k)
      out += pad(to_rupiah_string(s.paid_by_month[m][k]), widths[k]);
    out += pad(to_rupiah_string(month_totals[m]), total_width) + quoted_cell(m) + "\n";
    ++m;
  }
  out += pad("total", 8);
  for (std::size_t k = 0; k < s.payers.size(); ++k)
    out += pad(to_rupiah_string(s.paid_by_payer[k]), widths[k]);
  out += pad(to_rupiah_string(s.total), total_width) + quoted_cell(m) + "\n";
}

} // namespace

std::string to_text(const batch_summary& s) {
  std::string out = s.policy + ": decided on " + to_string(s.as_of) + ", contributions " + to_string(s.period) + "\n";
  for (std::size_t k = 0; k < s.settings.size(); ++k) {
    const applied_setting& a = s.settings[k];
    out += (k == 0 ? "set for this run: " : ", ") + a.name + "=" + a.value + " (the policy has " +
           (a.was ? *a.was : std::string("none")) + ")";
  }
  if (!s.settings.empty()) out += "\n";
  out += "rows read " + std::to_string(s.rows_read) + " = decided " + std::to_string(s.decided) + " + rejected " +
         std::to_string(s.rejected);
  if (s.blank_lines) out += " (" + std::to_string(s.blank_lines) + " blank lines skipped)";
  out += "\n";
  out += "eligible " + std::to_string(s.eligible) + ", ineligible " + std::to_string(s.ineligible) + ", undetermined " +
         std::to_string(s.undetermined) + "\n";
  if (s.eligible_later != 0)
    out += "eligible in some month of " + to_string(s.period) + ": " + std::to_string(s.eligible_in_period) + " (" +
           std::to_string(s.eligible_later) + " of them not eligible on " + to_string(s.as_of) + ")\n";
  for (const auto& [reason, n] : s.ineligible_by_reason)
    out += "  ineligible " + reason + ": " + std::to_string(n) + "\n";
  for (const auto& [fact, n] : s.undetermined_by_fact)
    out += "  undetermined, missing " + fact + ": " + std::to_string(n) + "\n";
  for (const auto& [reason, n] : s.undetermined_by_reason)
    out += "  undetermined " + reason + ": " + std::to_string(n) + "\n";
  for (const auto& [column, n] : s.rejected_by_column)
    out += "  rejected at " + (column.empty() ? std::string("the whole row") : detail::escaped(column)) + ": " +
           std::to_string(n) + "\n";
  for (const auto& q : s.quotas) {
    out += "quota " + q.subsidy + " (" + q.payer + ", " + to_string(q.window) + "): " + std::to_string(q.funded) +
           " funded";
    if (q.quota) out += " of " + std::to_string(*q.quota);
    out += ", " + std::to_string(q.waitlisted) + " waitlisted; spent " + to_rupiah_string(q.spent);
    if (q.budget) out += " of " + to_rupiah_string(*q.budget);
    if (!q.cut_by.empty()) out += " (cut by the " + q.cut_by + ")";
    out += "; " + std::to_string(q.funded_months) + " person-months funded in " + to_string(s.period) + "\n";
  }
  append_payer_table(out, s);
  out += "due by program:";
  for (std::size_t k = 0; k < s.programs.size(); ++k)
    out += " " + s.programs[k] + " " + to_rupiah_string(s.due_by_program[k]) + (k + 1 < s.programs.size() ? "," : "");
  out += "\n";
  if (s.quoted != money()) {
    out += "quoted to " + std::to_string(s.quoted_people) + " people no capped subsidy could fund, paid by nobody:";
    for (std::size_t k = 0; k < s.programs.size(); ++k)
      out +=
          " " + s.programs[k] + " " + to_rupiah_string(s.quoted_by_program[k]) + (k + 1 < s.programs.size() ? "," : "");
    out += " (" + to_rupiah_string(s.quoted) + " in all)\n";
  }
  if (s.incomplete)
    out += std::to_string(s.incomplete) + " people have contributions that missing facts leave undetermined\n";
  return out;
}

} // namespace entitle
