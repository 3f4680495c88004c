#pragma once

#include <entitle/core/error.hpp>
#include <entitle/eval/bound_policy.hpp>
#include <entitle/eval/claim.hpp>
#include <entitle/eval/compiled_policy.hpp>
#include <entitle/eval/contribution.hpp>
#include <entitle/eval/explanation.hpp>
#include <entitle/policy/policy.hpp>
#include <entitle/rules/record.hpp>
#include <entitle/rules/schema.hpp>

#include <boost/json/value.hpp>

#include <filesystem>

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Policy JSON (docs/policy-format.md, docs/policy.schema.json): reading and writing policies,
// reading records, and writing explanations. Every reader throws `entitle::error` whose
// location is the JSON pointer of the problem, or line:column for text that is not JSON.
namespace entitle {

/// The format tag every policy file starts with.
inline constexpr std::string_view policy_format = "entitle-policy/1";
/// The format tag of an explanation written as JSON.
inline constexpr std::string_view explanation_format = "entitle-explanation/1";
/// The format tag of a contribution statement written as JSON.
inline constexpr std::string_view statement_format = "entitle-statement/1";
/// The deepest JSON nesting a policy or record may have.
inline constexpr std::size_t max_json_depth = 100;
/// The largest JSON text read as a policy or record: 16 MiB (the national pack is about 60 KB),
/// so that a hostile file is refused before it is parsed into memory.
inline constexpr std::size_t max_json_bytes = std::size_t{16} << 20;
/// The most entries of one section of a policy (rules, programs, enrolments, subsidies,
/// benefits, ...).
inline constexpr std::size_t max_section_entries = 10'000;

/// Parses JSON text with entitle's limits; a syntax error is `errc::invalid_syntax` located at
/// "line:column", and so is a key written twice in one object, located at its JSON pointer
/// (Boost.JSON would keep the last silently). `what` names the whole text in that message ("the
/// key "id" appears twice in the policy").
[[nodiscard]] boost::json::value parse_json(std::string_view text, std::string_view what = "the object");

/// Reads a policy, with the facts its "facts" section declares. A policy that "extends" another
/// is read through a `policy_library`. The policy is bound to check it (so a policy that reads is
/// a policy that compiles); to evaluate it, `compile_policy` keeps that binding.
[[nodiscard]] policy read_policy(std::string_view json_text);
[[nodiscard]] policy policy_from_json(const boost::json::value& jv);
[[nodiscard]] result<policy> try_read_policy(std::string_view json_text);

/// Reads a policy whose facts the application gives, usually `schema_of<T>()` for its own
/// struct. The file's "facts" section may be left out; when present it must declare the same
/// facts (names, types and enum values), or the mismatch is reported at "/facts".
[[nodiscard]] policy read_policy(std::string_view json_text, const schema& facts);
[[nodiscard]] policy policy_from_json(const boost::json::value& jv, const schema& facts);

/// Reads a policy as `read_policy` does and compiles it from the binding that checked it, so that
/// it is bound once; the same errors, at the same JSON pointers, as `read_policy`.
[[nodiscard]] compiled_policy compile_policy(std::string_view json_text);
[[nodiscard]] compiled_policy compile_policy(std::string_view json_text, const schema& facts);

/// The policy as JSON in the documented format; reading it back gives a policy that binds to the
/// same rules.
[[nodiscard]] boost::json::value to_json(const policy& p);
/// `to_json(p)`, serialized.
[[nodiscard]] std::string write_policy(const policy& p);

/// Reads a condition as a rule's "when" holds it (docs/policy-format.md, "Conditions"), such as
/// `{"fact": "employment", "=": "informal"}`; errors name the place as a JSON pointer within it.
/// Facts are checked when the condition is bound into a policy.
[[nodiscard]] condition condition_from_json(const boost::json::value& jv);

/// Reads one person's facts from a JSON object: a key per fact; a key that is absent or null is a
/// missing fact; keys that are not facts are ignored. Values follow the fact's type (see
/// `coerce`). A required fact that is missing, or a value of the wrong type, is an error at
/// "/<fact>".
[[nodiscard]] record record_from_json(const schema& facts, const boost::json::value& jv);
[[nodiscard]] record read_record(const schema& facts, std::string_view json_text);

/// Policies by id, so that a regional policy can `extends` the national pack: add the files, then
/// `compile` a policy merged with everything it extends (or `get` it as a value).
///
///     policy_library library;
///     library.add_directory("policies");
///     const compiled_policy oku = library.compile("oku-timur/pekerja-rentan-2024");
///
/// A directory is a folder as people keep it: `get` uses only the files the policy asked for needs
/// (by id, following `extends`). A file of a directory that is not a policy, or two files giving
/// the same id, are errors only when that id is needed, and the error names the files; files given
/// by name (`add`, `add_file`) are errors at once.
///
/// Merging: facts are united (one name declared two ways is an error); rules, programs,
/// adjustments, enrolments and subsidies are united by id, and defining an id the extended policy
/// already defines is an error unless the definition is under "overrides", where it replaces
/// the extended one. The merged policy is bound once when it is got or compiled, so it is
/// complete; `compile` keeps that binding for evaluation.
class policy_library {
public:
  policy_library();
  ~policy_library();
  policy_library(policy_library&&) noexcept;
  policy_library& operator=(policy_library&&) noexcept;

  /// Adds one policy file's text; `origin` (a file name) prefixes error messages. Returns the
  /// policy's id. Errors: not JSON, not a policy, or an id already in the library (naming the
  /// file that gives it).
  std::string add(std::string_view json_text, std::string origin = {});
  /// Adds the policy file at `path` (its path prefixes error messages); returns its id. A file
  /// already added (the same file by another path, or found in a directory) is not added again.
  std::string add_file(const std::filesystem::path& path);
  /// Adds the policy file at `path` and, when it extends others, the library it stands in: when
  /// its path ends in its id (ROOT/a/b.json for the id "a/b"), the directory ROOT, as
  /// `add_directory` adds it, so that what it extends is found beside it. Returns its id, for
  /// `get`.
  std::string add_policy_file(const std::filesystem::path& path);
  /// Adds every `.json` file under `directory`, recursively, in path order, but the scenario files
  /// (`.test.json`, docs/scenarios.md); returns the ids of those that read as policies. The others
  /// are kept to be named when an id is not found.
  /// Errors: the directory cannot be listed.
  std::vector<std::string> add_directory(const std::filesystem::path& directory);
  /// The directories added (by `add_directory` and `add_policy_file`), as given, each once.
  [[nodiscard]] std::vector<std::filesystem::path> directories() const;
  /// The ids of the policies added, sorted, each once.
  [[nodiscard]] std::vector<std::string> ids() const;
  /// The policy `id` merged with the policies it extends, checked as `compiled_policy` checks it
  /// (by binding it). Errors: no file gives `id` or a policy it extends, or two files do, or the
  /// one that does is not a valid policy; a merge or binding error, prefixed with the file it is
  /// in. To evaluate the policy, `compile` rather than `compiled_policy(get(id))`, which binds it
  /// a second time.
  [[nodiscard]] policy get(std::string_view id) const;
  /// The policy `id` as `get` gives it, compiled from the binding that checked it: bound once.
  /// The same errors as `get`.
  [[nodiscard]] compiled_policy compile(std::string_view id) const;
  /// The policy `id` as `get` gives it, with `settings` applied to its subsidies before it is bound
  /// (`bind_policy(p, settings)`): bound once, and a value set is checked as one read from the
  /// file. The same errors as `get`, but an error about a setting is located at the setting
  /// ("apbd_oku_timur_2024.quota=-1") and does not name the file.
  [[nodiscard]] compiled_policy compile(std::string_view id, std::span<const setting> settings) const;

private:
  // One file as read: its own definitions, those under "overrides", and where it came from.
  struct entry {
    std::string origin;
    policy body;
    policy overrides;
    bool declares_facts = false;
    bool extends_list = false; // "extends" is an array: errors point at "/extends/<i>"
  };
  // A file of a directory that is not a policy: why, and the id it gives when it gives one.
  struct unreadable {
    std::string origin;
    failure problem;
    std::string id;
  };
  std::string add_text(std::string_view json_text, std::string origin, bool from_directory);
  // The policy `id` merged and bound, binding errors prefixed with its file (get, compile).
  bound_policy bind(std::string_view id, std::span<const setting> settings = {}) const;
  // The one file giving `id`; nullptr when none does. Throws when several do, or when the one
  // that does is not a policy.
  const entry* find(std::string_view id) const;
  policy resolve(const std::string& id, std::vector<std::string>& chain) const;
  // "no policy called "<id>" is in the library; the policies are ...", all of them but `except`,
  // and the files of the directories that are not policies.
  std::string no_policy(std::string_view id, std::string_view except = {}) const;
  std::map<std::string, std::vector<entry>, std::less<>> entries_; // by id: each file giving it
  std::vector<unreadable> unreadable_;
  std::vector<std::filesystem::path> directories_;
  std::vector<std::string> files_; // the files added, as canonical paths, so that none is added twice
};

/// The format tag of a claim's result written as JSON.
inline constexpr std::string_view claim_format = "entitle-claim/1";
/// A claim's result as JSON, in the shape "entitle-claim/1" (docs/policy-format.md, "Benefits and
/// claims").
[[nodiscard]] boost::json::value to_json(const claim_result& r);

/// The explanation as JSON, in the shape "entitle-explanation/1" (docs/policy-format.md). With
/// contributions attached, it has a key "contributions": the statement as `to_json` writes it,
/// without the "format" key.
[[nodiscard]] boost::json::value to_json(const explanation& e);

/// One person's contributions as JSON, in the shape "entitle-statement/1" (docs/policy-format.md,
/// "Contribution statements"): {"format", "policy", "period", "complete", "total", "totals":
/// [{"payer", "amount"}], "items": [{"month", "enrolment", "program", "category", "status", "due",
/// "lines": [{"kind", "payer", "amount", "source", "citation", "note"?}], "missing", "notes"}]}.
/// Amounts are written as `boost::json::value_from(money)` writes them.
[[nodiscard]] boost::json::value to_json(const contribution_statement& s);

} // namespace entitle
