// entitle.h: policy libraries, compiled policies and claims.
#include "c_call.hpp"
#include "c_handles.hpp"

#include <entitle/io/batch_options_json.hpp>

#include <boost/json.hpp>

namespace json = boost::json;
using entitle::c_api::guarded;
using entitle::c_api::hand_over;
using entitle::c_api::needed;

extern "C" {

entitle_status entitle_library_new(entitle_library** out) {
  return guarded([&] {
    entitle_library** into = needed(out, "out"); // before the library is made: nothing to leak
    *into = new entitle_library();
  });
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
    const auto settings = entitle::read_settings(settings_json ? settings_json : "");
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
    const entitle::claim c =
        entitle::claim_from_json(entitle::parse_json(needed(claim_json, "claim_json"), "the claim"));
    const entitle::record person =
        entitle::read_record(compiled.facts(), entitle::c_api::bytes(person_json, length, "person_json"));
    hand_over(entitle::to_json(compiled.assess(c, person)), result_json);
  });
}

} // extern "C"
