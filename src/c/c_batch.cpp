// entitle.h: batches, and one person decided, explained or costed through one.
#include "c_call.hpp"
#include "c_handles.hpp"

#include <entitle/io/batch_options_json.hpp>

#include <boost/json.hpp>

namespace json = boost::json;
using entitle::c_api::guarded;
using entitle::c_api::hand_over;
using entitle::c_api::needed;

namespace {

entitle::record person_of(const entitle_batch& b, const char* person_json, std::size_t length) {
  return entitle::read_record(b.run->policy().facts(), entitle::c_api::bytes(person_json, length, "person_json"));
}

// The explanation's head: what a decision says, without its trace and contributions.
json::object decision_of(const json::object& explained) {
  json::object out;
  for (const std::string_view key : {"rule", "as_of", "status", "verdict", "reasons", "missing"})
    if (const auto* v = explained.if_contains(key)) out[key] = *v;
  return out;
}

} // namespace

extern "C" {

entitle_status entitle_batch_new(const entitle_policy* policy, const char* options_json, entitle_batch** out) {
  return guarded([&] {
    needed(out, "out");
    auto compiled = needed(policy, "policy")->compiled;
    const auto options = entitle::batch_setup_from_json(*compiled, options_json ? options_json : "");
    auto made = std::make_unique<entitle_batch>();
    made->run = std::make_unique<const entitle::batch>(*compiled, options.run);
    made->roster = options.roster;
    made->compiled = std::move(compiled);
    *out = made.release();
  });
}

void entitle_batch_free(entitle_batch* batch) { delete batch; }

entitle_status entitle_decide(const entitle_batch* batch, const char* person_json, size_t length, char** result_json) {
  return guarded([&] {
    const entitle_batch& b = *needed(batch, "batch");
    needed(result_json, "result_json");
    const entitle::explanation e = b.run->explain(person_of(b, person_json, length), {}, entitle::batch_summary{});
    hand_over(decision_of(entitle::to_json(e).as_object()), result_json);
  });
}

entitle_status entitle_explain(const entitle_batch* batch, const char* person_json, size_t length, char** result_json) {
  return guarded([&] {
    const entitle_batch& b = *needed(batch, "batch");
    needed(result_json, "result_json");
    hand_over(entitle::to_json(b.run->explain(person_of(b, person_json, length), {}, entitle::batch_summary{})),
              result_json);
  });
}

entitle_status entitle_contributions(const entitle_batch* batch, const char* person_json, size_t length,
                                     char** result_json) {
  return guarded([&] {
    const entitle_batch& b = *needed(batch, "batch");
    needed(result_json, "result_json");
    const auto statement = b.run->policy().contributions(person_of(b, person_json, length), b.run->options().period);
    hand_over(entitle::to_json(statement), result_json);
  });
}

} // extern "C"
