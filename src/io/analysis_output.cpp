#include <entitle/io/analysis_json.hpp>

#include <entitle/io/core_json.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace entitle {
namespace {

namespace json = boost::json;

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items)
    out.emplace_back(s);
  return out;
}

json::value literal_json(const literal& value) {
  struct {
    json::value operator()(bool b) const { return b; }
    json::value operator()(std::int64_t n) const { return n; }
    json::value operator()(money m) const { return json::value_from(m); }
    json::value operator()(rate r) const { return json::value_from(r); }
    json::value operator()(date d) const { return json::value_from(d); }
    json::value operator()(month m) const { return json::value(to_string(m)); }
    json::value operator()(const std::string& s) const { return json::value(s); }
    json::value operator()(const parameter_ref& p) const { return json::object{{"parameter", p.id}}; }
  } visitor;
  return std::visit(visitor, value);
}

std::string counted(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

} // namespace

json::value to_json(const analysis_report& report) {
  json::object out;
  out["format"] = analysis_format;
  out["as_of"] = to_string(report.as_of);
  out["policies"] = strings(report.policies);
  json::object days;
  for (std::size_t i = 0; i < report.policies.size() && i < report.days.size(); ++i)
    days[report.policies[i]] = to_string(report.days[i]);
  out["days"] = std::move(days);
  out["checked"] = {
      {"rules", report.rules_checked}, {"subsidies", report.subsidies_checked}, {"pairs", report.pairs_checked}};
  json::array findings;
  for (const analysis_finding& f : report.findings) {
    json::object o;
    o["kind"] = to_string(f.kind);
    o["policy"] = f.policy;
    o["rules"] = strings(f.rules);
    o["subsidies"] = strings(f.subsidies);
    if (!f.location.empty()) o["location"] = f.location;
    o["message"] = f.message;
    // The example as a person's facts, as `entitle explain` reads them from standard input.
    json::object example;
    for (const example_fact& e : f.example)
      example[e.name] = e.given ? literal_json(*e.given) : json::value(nullptr);
    o["example"] = std::move(example);
    o["details"] = strings(f.details);
    findings.emplace_back(std::move(o));
  }
  out["findings"] = std::move(findings);
  json::array undecided;
  for (const analysis_gap& g : report.undecided)
    undecided.emplace_back(json::object{{"policy", g.policy}, {"subject", g.subject}, {"why", g.why}});
  out["undecided"] = std::move(undecided);
  return out;
}

std::string analysis_text(const analysis_report& report) {
  std::string out = "analysed";
  const bool one_day = std::all_of(report.days.begin(), report.days.end(), [&](date d) { return d == report.as_of; });
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    out += i ? ", " : " ";
    out += report.policies[i];
    if (!one_day && i < report.days.size()) {
      out += " on ";
      out += to_string(report.days[i]);
    }
  }
  if (one_day) {
    out += " on ";
    out += to_string(report.as_of);
  }
  out += ": ";
  out += counted(report.rules_checked, "rule", "rules");
  out += ", ";
  out += counted(report.subsidies_checked, "subsidy", "subsidies");
  out += ", ";
  out += counted(report.pairs_checked, "pair of subsidies", "pairs of subsidies");
  out += " sharing a program-month\n";
  for (const analysis_finding& f : report.findings) {
    out += "\n";
    out += to_string(f.kind);
    out += ": ";
    out += f.policy;
    if (!f.location.empty()) {
      out += " ";
      out += f.location;
    }
    out += ": ";
    out += f.message;
    out += "\n";
    for (std::size_t i = 0; i < f.example.size(); ++i) {
      out += i ? ", " : "  for example: ";
      out += f.example[i].name;
      out += " = ";
      out += f.example[i].value;
    }
    if (!f.example.empty()) out += "\n";
    for (const auto& d : f.details) {
      out += "  ";
      out += d;
      out += "\n";
    }
  }
  for (const analysis_gap& g : report.undecided) {
    out += "\nundecided: ";
    out += g.policy;
    out += " ";
    out += g.subject;
    out += ": ";
    out += g.why;
    out += "\n";
  }
  out += "\n";
  out += counted(report.findings.size(), "finding", "findings");
  out += ", ";
  out += std::to_string(report.undecided.size());
  out += " undecided\n";
  return out;
}

} // namespace entitle
