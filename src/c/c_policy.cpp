// entitle.h: policy libraries, compiled policies and claims.
#include "c_call.hpp"
#include "c_handles.hpp"

#include <entitle/io/core_json.hpp>

#include <boost/json.hpp>

namespace json = boost::json;
using entitle::c_api::guarded;
using entitle::c_api::hand_over;
using entitle::c_api::needed;

namespace {

// {"name": "value", ...}: the settings of `entitle run --set name=value`, each value a string.
std::vector<entitle::setting> settings_from(const char* settings_json) {
  std::vector<entitle::setting> out;
  if (!settings_json) return out;
  const json::value jv = entitle::parse_json(settings_json, "the settings");
  if (!jv.is_object())
    throw entitle::error(entitle::errc::invalid_syntax,
                         "expected the settings as an object of strings, found " + entitle::detail::describe_found(jv));
  for (const auto& member : jv.get_object()) {
    const std::string key(member.key());
    if (!member.value().is_string())
      throw entitle::error(entitle::failure(entitle::errc::invalid_syntax,
                                            "expected the setting's value as a string (\"1000\", \"Rp2.500.000\"), "
                                            "found " +
                                                entitle::detail::describe_found(member.value()),
                                            entitle::detail::pointer_token(key)));
    out.push_back({key, std::string(member.value().get_string())});
  }
  return out;
}

entitle::claim claim_from(const json::value& jv) {
  using namespace entitle::detail;
  const auto& o =
      expect_object(jv, "a claim", {"event", "on"}, {"event", "on", "enrolment", "months", "children", "costs"});
  entitle::claim c;
  c.event = read_at("/event", [&] { return std::string(expect_string(o.at("event"), "an event")); });
  c.on = read_at("/on", [&] { return json::value_to<entitle::date>(o.at("on")); });
  if (o.contains("enrolment"))
    c.enrolment = read_at("/enrolment", [&] { return std::string(expect_string(o.at("enrolment"), "an enrolment")); });
  if (o.contains("months")) {
    c.months = read_at("/months", [&] { return json::value_to<std::int64_t>(o.at("months")); });
    if (c.months < 0 || c.months > 1200)
      throw entitle::error(entitle::failure(entitle::errc::out_of_range, "months run from 0 to 1200", "/months"));
  }
  if (o.contains("children"))
    read_at("/children", [&] {
      const auto& items = expect_array(o.at("children"), "school levels (an array)");
      for (std::size_t i = 0; i < items.size(); ++i)
        c.children.push_back(
            read_at(index_token(i), [&] { return std::string(expect_string(items[i], "a school level")); }));
    });
  if (o.contains("costs"))
    read_at("/costs", [&] {
      const auto& costs = expect_object(o.at("costs"), "costs by kind", {}, {});
      for (const auto& member : costs)
        c.costs.emplace_back(std::string(member.key()), read_at(pointer_token(member.key()), [&] {
                               return json::value_to<entitle::money>(member.value());
                             }));
    });
  return c;
}

} // namespace

extern "C" {

entitle_status entitle_library_new(entitle_library** out) {
  return guarded([&] { *needed(out, "out") = new entitle_library(); });
}

void entitle_library_free(entitle_library* library) { delete library; }

entitle_status entitle_library_add_directory(entitle_library* library, const char* directory) {
  return guarded([&] { needed(library, "library")->library.add_directory(needed(directory, "directory")); });
}

entitle_status entitle_library_add_file(entitle_library* library, const char* path, char** id) {
  return guarded([&] {
    const std::string added = needed(library, "library")->library.add_policy_file(needed(path, "path"));
    if (id) hand_over(added, id);
  });
}

entitle_status entitle_library_add_json(entitle_library* library, const char* text, size_t length, const char* origin,
                                        char** id) {
  return guarded([&] {
    const std::string added =
        needed(library, "library")->library.add(entitle::c_api::bytes(text, length, "text"), origin ? origin : "");
    if (id) hand_over(added, id);
  });
}

entitle_status entitle_library_ids(const entitle_library* library, char** ids_json) {
  return guarded([&] {
    json::array ids;
    for (const auto& id : needed(library, "library")->library.ids())
      ids.emplace_back(id);
    hand_over(ids, needed(ids_json, "ids_json"));
  });
}

entitle_status entitle_policy_compile(const entitle_library* library, const char* id, const char* settings_json,
                                      entitle_policy** out) {
  return guarded([&] {
    needed(out, "out");
    const auto settings = settings_from(settings_json);
    auto compiled = std::make_shared<const entitle::compiled_policy>(
        needed(library, "library")->library.compile(needed(id, "id"), settings));
    *out = new entitle_policy{std::move(compiled)};
  });
}

void entitle_policy_free(entitle_policy* policy) { delete policy; }

entitle_status entitle_policy_json(const entitle_policy* policy, char** policy_json) {
  return guarded([&] {
    hand_over(entitle::to_json(needed(policy, "policy")->compiled->source()), needed(policy_json, "policy_json"));
  });
}

entitle_status entitle_claim(const entitle_policy* policy, const char* person_json, size_t length,
                             const char* claim_json, char** result_json) {
  return guarded([&] {
    const entitle::compiled_policy& compiled = *needed(policy, "policy")->compiled;
    needed(result_json, "result_json");
    const entitle::claim c = claim_from(entitle::parse_json(needed(claim_json, "claim_json"), "the claim"));
    const entitle::record person =
        entitle::read_record(compiled.facts(), entitle::c_api::bytes(person_json, length, "person_json"));
    hand_over(entitle::to_json(compiled.assess(c, person)), result_json);
  });
}

} // extern "C"
