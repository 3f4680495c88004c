#include <entitle/io/batch_options_json.hpp>

#include <entitle/io/core_json.hpp>
#include <entitle/io/policy_json.hpp>

#include <boost/json.hpp>

namespace entitle {
namespace {

namespace json = boost::json;
using detail::expect_object;
using detail::expect_string;
using detail::pointer_token;
using detail::read_at;

bool flag_of(const json::value& jv) {
  if (!jv.is_bool()) throw error(errc::invalid_syntax, "expected true or false, found " + detail::describe_found(jv));
  return jv.get_bool();
}

// {"fact": "column"} pairs, as --column fact=column gives them.
std::vector<column_mapping> column_names_of(const json::value& jv) {
  std::vector<column_mapping> out;
  for (const auto& member : detail::expect_named_object(jv, "column names"))
    out.push_back({std::string(member.key()), read_at(pointer_token(member.key()), [&] {
                     return std::string(expect_string(member.value(), "a string"));
                   })});
  return out;
}

// "as_of", "period", or the policy's dates, as `entitle run` chooses them.
void when_of(const json::object& o, const compiled_policy& policy, batch_options& out) {
  if (o.contains("as_of") && o.contains("period"))
    throw error(failure(errc::invalid_syntax, "give \"as_of\" or \"period\", not both", "/period"));
  if (o.contains("as_of")) {
    out.as_of = read_at("/as_of", [&] { return json::value_to<date>(o.at("as_of")); });
    out.period = month_range(month::of(out.as_of), month::of(out.as_of));
  } else if (o.contains("period")) {
    out.period = read_at("/period", [&] { return month_range::parse(expect_string(o.at("period"), "a period")); });
    out.as_of = first_day_in_force(policy.source(), out.period);
  } else {
    const entitle::policy& p = policy.source();
    if (!p.effective_from || !p.effective_until)
      throw error(errc::invalid_syntax, "the policy has no end date: give \"as_of\" or \"period\"");
    out.period = month_range(month::of(*p.effective_from), month::of(*p.effective_until));
    out.as_of = *p.effective_from;
  }
}

char separator_of(const json::value& jv) {
  const std::string_view given = expect_string(jv, "a separator");
  if (given == ",") return ',';
  if (given == ";") return ';';
  if (given == "\t" || given == "tab") return '\t';
  throw error(errc::invalid_syntax, "a separator is \",\", \";\" or \"tab\", not \"" + std::string(given) + "\"");
}

} // namespace

batch_setup batch_setup_from_json(const compiled_policy& policy, std::string_view options_json) {
  const json::value jv = parse_json(options_json.empty() ? std::string_view("{}") : options_json, "the options");
  const auto& o = expect_object(jv, "the options", {},
                                {"as_of", "period", "rules", "columns", "threads", "strict", "settings", "id_column",
                                 "separator", "column_names", "allow_missing_columns"});
  batch_setup out;
  when_of(o, policy, out.run);
  if (o.contains("rules"))
    out.run.rules = read_at("/rules", [&] { return detail::expect_texts(o.at("rules"), "a rule id"); });
  if (o.contains("columns"))
    out.run.columns = read_at("/columns", [&] { return detail::expect_texts(o.at("columns"), "a column name"); });
  if (o.contains("threads")) {
    const auto n = read_at("/threads", [&] { return json::value_to<std::int64_t>(o.at("threads")); });
    if (n < 1 || n > 256) throw error(failure(errc::out_of_range, "threads run from 1 to 256", "/threads"));
    out.run.threads = static_cast<unsigned>(n);
  }
  if (o.contains("strict")) out.run.strict = read_at("/strict", [&] { return flag_of(o.at("strict")); });
  if (o.contains("settings"))
    out.run.settings = read_at("/settings", [&] { return settings_from_json(o.at("settings")); });
  if (o.contains("id_column"))
    out.roster.id_column =
        read_at("/id_column", [&] { return std::string(expect_string(o.at("id_column"), "a column")); });
  if (o.contains("separator"))
    out.roster.separator = read_at("/separator", [&] { return separator_of(o.at("separator")); });
  if (o.contains("column_names"))
    out.roster.columns = read_at("/column_names", [&] { return column_names_of(o.at("column_names")); });
  if (auto problem = check_column_mappings(policy.facts(), out.roster)) {
    throw error(failure(problem->code, problem->location + ": " + problem->message, "/column_names"));
  }
  const bool any_columns = o.contains("allow_missing_columns") &&
                           read_at("/allow_missing_columns", [&] { return flag_of(o.at("allow_missing_columns")); });
  if (!any_columns) out.roster.needed_facts = facts_the_rules_read(policy, out.run.rules);
  return out;
}

} // namespace entitle
