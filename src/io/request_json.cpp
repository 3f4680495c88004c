// Reading what the C interface and the Python module are given as JSON beside a person: settings
// (`entitle run --set`) and claims (`entitle claim`), errors located by JSON pointer.
#include <entitle/io/batch_options_json.hpp>
#include <entitle/io/core_json.hpp>
#include <entitle/io/policy_json.hpp>

#include <boost/json.hpp>

namespace entitle {

namespace json = boost::json;
using detail::expect_object;
using detail::expect_string;
using detail::pointer_token;
using detail::read_at;

std::vector<setting> settings_from_json(const json::value& jv) {
  std::vector<setting> out;
  if (!jv.is_object())
    throw error(errc::invalid_syntax,
                "expected the settings as an object of strings, found " + detail::describe_found(jv));
  for (const auto& member : jv.get_object()) {
    const std::string key(member.key());
    if (!member.value().is_string())
      throw error(failure(errc::invalid_syntax,
                          "expected the setting's value as a string (\"1000\", \"Rp2.500.000\"), found " +
                              detail::describe_found(member.value()),
                          pointer_token(key)));
    out.push_back({key, std::string(member.value().get_string())});
  }
  return out;
}

std::vector<setting> read_settings(std::string_view text) {
  if (text.empty()) return {};
  return settings_from_json(parse_json(text, "the settings"));
}

claim claim_from_json(const json::value& jv) {
  const auto& o =
      expect_object(jv, "a claim", {"event", "on"}, {"event", "on", "enrolment", "months", "children", "costs"});
  claim c;
  c.event = read_at("/event", [&] { return std::string(expect_string(o.at("event"), "an event")); });
  c.on = read_at("/on", [&] { return json::value_to<date>(o.at("on")); });
  if (o.contains("enrolment"))
    c.enrolment = read_at("/enrolment", [&] { return std::string(expect_string(o.at("enrolment"), "an enrolment")); });
  if (o.contains("months")) {
    c.months = read_at("/months", [&] { return json::value_to<std::int64_t>(o.at("months")); });
    if (c.months < 0 || c.months > 1200)
      throw error(failure(errc::out_of_range, "months run from 0 to 1200", "/months"));
  }
  if (o.contains("children"))
    c.children = read_at("/children", [&] { return detail::expect_texts(o.at("children"), "a school level"); });
  if (o.contains("costs"))
    read_at("/costs", [&] {
      for (const auto& member : detail::expect_named_object(o.at("costs"), "costs by kind"))
        c.costs.emplace_back(std::string(member.key()), read_at(pointer_token(member.key()),
                                                                [&] { return json::value_to<money>(member.value()); }));
    });
  return c;
}

} // namespace entitle
