#include <entitle/io/policy_json.hpp>

#include <entitle/eval/contribution.hpp>
#include <entitle/io/core_json.hpp>
#include <entitle/io/derived_json.hpp>
#include <entitle/io/payments_json.hpp>
#include <entitle/io/table_json.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <fstream>
#include <functional>
#include <optional>
#include <span>
#include <sstream>
#include <string>

namespace entitle {
namespace {

namespace json = boost::json;
using detail::expect_array;
using detail::expect_object;
using detail::expect_string;
using detail::read_at;

[[noreturn]] void fail(std::string message, std::string where = {}) {
  throw error(failure(errc::invalid_syntax, std::move(message), std::move(where)));
}

std::string index_pointer(std::string_view base, std::size_t i) { return std::string(base) + "/" + std::to_string(i); }

// ---- JSON text --------------------------------------------------------------------------------

// Builds the document as boost::json::parser does (the same value_stack), and also keeps what the
// DOM loses: a key written twice in one object is refused rather than silently dropped, and the
// numbers that are not 64-bit integers are kept as written, for messages.
class document_builder {
public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  // The text parsed, in one piece: keys without escapes are views into it.
  explicit document_builder(std::string_view text) : text_(text) {}

  json::value_stack stack;
  // The numbers that are not 64-bit integers, in document order: value and text as written.
  std::vector<std::pair<double, std::string>> doubles;
  // The JSON pointer of a key written twice in its object, and the key; empty when none is.
  std::string duplicate_at, duplicate_key;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    open(true);
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code& ec) {
    if (find_duplicate()) {
      ec = json::error::syntax; // reported as a key written twice, not as bad syntax
      return false;
    }
    stack.push_object(n);
    --depth_;
    return value_done();
  }
  bool on_array_begin(json::error_code&) {
    open(false);
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack.push_array(n);
    --depth_;
    return value_done();
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    stack.push_key(s);
    std::string_view key(s.data(), s.size());
    const std::less<const char*> before;
    if (!key_.empty() || before(key.data(), text_.data()) ||
        before(text_.data() + text_.size(), key.data() + key.size())) {
      // In pieces, or unescaped into the parser's own buffer: keep a copy (a deque never moves it).
      key_.append(s.data(), s.size());
      owned_keys_.push_back(std::move(key_));
      key_.clear();
      key = owned_keys_.back();
    }
    level& here = levels_[depth_ - 1];
    here.keys.emplace_back(key, here.keys.size());
    here.key = key;
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack.push_string(s);
    return value_done();
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    stack.push_int64(i);
    number_.clear();
    return value_done();
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    stack.push_uint64(u);
    number_.clear();
    return value_done();
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    stack.push_double(d);
    number_.append(s.data(), s.size());
    doubles.emplace_back(d, std::move(number_));
    number_.clear();
    return value_done();
  }
  bool on_bool(bool b, json::error_code&) {
    stack.push_bool(b);
    return value_done();
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    return value_done();
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

private:
  // An object or array being read: its keys so far, each with its place, and the last one; or the
  // count of its values so far.
  struct level {
    bool object = false;
    std::size_t count = 0;
    std::string_view key;
    std::vector<std::pair<std::string_view, std::size_t>> keys;
  };

  void open(bool object) {
    if (levels_.size() == depth_) levels_.emplace_back(); // levels are reused, with their memory
    level& l = levels_[depth_++];
    l.object = object;
    l.count = 0;
    l.key = {};
    l.keys.clear();
  }

  bool value_done() {
    if (depth_ > 0 && !levels_[depth_ - 1].object) ++levels_[depth_ - 1].count;
    return true;
  }

  // Whether the object just read has a key twice; if so, the first key to come again, in document
  // order, is the one reported. Sorting costs O(k log k) for k keys and no memory per key beyond
  // the list, whatever the input.
  bool find_duplicate() {
    auto& keys = levels_[depth_ - 1].keys;
    if (keys.size() < 2) return false;
    std::sort(keys.begin(), keys.end());
    const std::pair<std::string_view, std::size_t>* again = nullptr;
    for (std::size_t i = 1; i < keys.size(); ++i)
      if (keys[i].first == keys[i - 1].first && (!again || keys[i].second < again->second)) again = &keys[i];
    if (!again) return false;
    duplicate_key = again->first;
    duplicate_at = pointer(depth_ - 1) + detail::pointer_token(again->first);
    return true;
  }

  // The JSON pointer of the value being read in the first `depth` levels.
  std::string pointer(std::size_t depth) const {
    std::string out;
    for (std::size_t i = 0; i < depth; ++i)
      out += levels_[i].object ? detail::pointer_token(levels_[i].key) : "/" + std::to_string(levels_[i].count);
    return out;
  }

  std::string_view text_;
  std::vector<level> levels_;
  std::size_t depth_ = 0;
  std::string key_, number_;
  std::deque<std::string> owned_keys_;
};

// Records how each number of `doubles` was written, by its value's address in `jv`: the values
// are met in document order, as the parser met them.
void index_numbers(const json::value& jv, const std::vector<std::pair<double, std::string>>& doubles, std::size_t& next,
                   detail::number_texts& out) {
  switch (jv.kind()) {
  case json::kind::double_:
    // A mismatch (never expected) leaves the number to be quoted in its shortest form.
    if (next < doubles.size() && doubles[next].first == jv.get_double()) out.add(&jv, doubles[next].second);
    ++next;
    break;
  case json::kind::array:
    for (const auto& item : jv.get_array())
      index_numbers(item, doubles, next, out);
    break;
  case json::kind::object:
    for (const auto& member : jv.get_object())
      index_numbers(member.value(), doubles, next, out);
    break;
  default: break;
  }
}

// A JSON text read with entitle's limits, and its numbers as written.
struct json_document {
  json::value value;
  detail::number_texts numbers;
};

// Parses `text` into `out` (in place, so that the numbers' addresses stay valid). `what` names
// the whole document in a message about a key written twice: "the policy", "the record".
void parse_document(std::string_view text, std::string_view what, json_document& out) {
  if (text.size() > max_json_bytes)
    throw error(failure(errc::out_of_range,
                        "the text is " + std::to_string(text.size()) + " bytes; at most " +
                            std::to_string(max_json_bytes) + " are read as a policy or record",
                        "1:1"));
  // A byte-order mark, as some editors save UTF-8, is skipped, as rosters skip it.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw error(failure(errc::invalid_syntax, "expected a JSON object, found empty text", "1:1"));
  json::parse_options options;
  options.max_depth = max_json_depth;
  json::basic_parser<document_builder> parser(options, text);
  document_builder& builder = parser.handler();
  builder.stack.reset();
  json::error_code ec;
  const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) ec = json::error::extra_data;
  if (ec && !builder.duplicate_key.empty()) {
    const bool top = builder.duplicate_at == detail::pointer_token(builder.duplicate_key);
    // A long key is named by its first 60 bytes (cut between characters); the location has it all.
    std::string key = builder.duplicate_key;
    if (key.size() > 60) {
      std::size_t cut = 60;
      while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80)
        --cut;
      key = key.substr(0, cut) + "...";
    }
    throw error(failure(errc::invalid_syntax,
                        "the key " + detail::quoted(key) + " appears twice in " +
                            (top ? std::string(what) : std::string("the same object")) + "; keep one",
                        builder.duplicate_at));
  }
  if (ec) {
    const std::size_t at = std::min(consumed, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    const bool too_deep = ec == json::error::too_deep;
    std::string why = "not valid JSON: " + ec.message();
    // Boost.JSON calls a byte that is not UTF-8 a syntax error; say which byte it is.
    if (const std::string byte = detail::not_utf8(text, at); !too_deep && !byte.empty())
      why = "not valid JSON: the byte " + byte + " is not UTF-8; save the file as UTF-8";
    throw error(failure(too_deep ? errc::out_of_range : errc::invalid_syntax,
                        too_deep ? "JSON nests deeper than " + std::to_string(max_json_depth) + " levels" : why,
                        std::to_string(line) + ":" + std::to_string(column)));
  }
  out.value = builder.stack.release();
  if (!builder.doubles.empty()) {
    std::size_t next = 0;
    index_numbers(out.value, builder.doubles, next, out.numbers);
  }
}

// ---- facts ------------------------------------------------------------------------------------

constexpr std::array<fact_type, 8> all_types = {fact_type::boolean, fact_type::integer,    fact_type::money,
                                                fact_type::rate,    fact_type::date,       fact_type::month,
                                                fact_type::string,  fact_type::enumeration};

fact_type type_from(const json::value& jv) {
  if (jv.is_string())
    for (fact_type t : all_types)
      if (jv.get_string() == type_name(t)) return t;
  fail("expected a fact type: \"bool\", \"integer\", \"money\", \"rate\", \"date\", \"month\", \"string\" or "
       "\"enum\", found " +
       json::serialize(jv));
}

literal literal_from(const json::value& jv, const subject* about, const schema* facts);
json::value literal_to_json(const literal& value);

// The names of an enum fact, or the codes of an integer fact: "values": ["asn", ...] or [1, 2, 3].
void values_from(const json::value& jv, field& f) {
  if (f.type == fact_type::integer) {
    const auto& list = expect_array(jv, "the codes of an integer fact (an array of whole numbers)");
    for (std::size_t i = 0; i < list.size(); ++i)
      f.range.allowed.push_back(read_at(index_pointer("", i), [&] {
        if (!list[i].is_int64()) fail("expected a whole number, found " + json::serialize(list[i]));
        return list[i].get_int64();
      }));
    return;
  }
  const auto& list = expect_array(jv, "the values of an enum fact (an array of names)");
  for (std::size_t i = 0; i < list.size(); ++i)
    f.enumerators.push_back(
        {std::string(read_at(index_pointer("", i), [&] { return expect_string(list[i], "an enum value name"); })),
         static_cast<std::int64_t>(i)});
}

// "min" or "max" of a fact, read as a value of the fact's own type: 0, "Rp0", "0%", "2015-07-01".
std::int64_t bound_from(const json::value& jv, const field& f) {
  if (!is_ordered(f.type))
    fail("the " + std::string(type_name(f.type)) + " fact " + detail::quoted(f.name) +
         " has no order: only integer, money, rate, date and month facts take \"min\" and \"max\"");
  const subject about{f.name, derivation::value, money()};
  schema alone;
  alone.add(field(f.name, f.type));
  auto compiled = coerce(alone.at(0), literal_from(jv, &about, &alone));
  if (!compiled) throw error(compiled.error());
  return compiled->number;
}

field field_from(const json::object& declaration, std::string name) {
  field f;
  f.name = std::move(name);
  f.type = read_at("/type", [&] { return type_from(declaration.at("type")); });
  if (const auto* values = declaration.if_contains("values")) read_at("/values", [&] { values_from(*values, f); });
  if (const auto* required = declaration.if_contains("required")) {
    if (!required->is_bool()) fail("expected true or false, found " + json::serialize(*required), "/required");
    f.required = required->get_bool();
  }
  if (const auto* min = declaration.if_contains("min"))
    f.range.min = read_at("/min", [&] { return bound_from(*min, f); });
  if (const auto* max = declaration.if_contains("max"))
    f.range.max = read_at("/max", [&] { return bound_from(*max, f); });
  if (const auto* citation = declaration.if_contains("citation"))
    f.range.citation =
        read_at("/citation", [&] { return expect_string(*citation, "the regulation that sets the range"); });
  if (const auto* columns = declaration.if_contains("columns"))
    read_at("/columns", [&] {
      const auto& list = expect_array(*columns, "the other names a roster may give the fact under (an array)");
      for (std::size_t i = 0; i < list.size(); ++i)
        f.columns.emplace_back(
            read_at(index_pointer("", i), [&] { return expect_string(list[i], "a roster column's name"); }));
      return 0;
    });
  return f;
}

schema facts_from(const json::value& jv) {
  if (!jv.is_object()) fail("expected the facts (an object of fact name to declaration), found " + json::serialize(jv));
  schema facts;
  for (const auto& member : jv.get_object()) {
    const std::string here = detail::pointer_token(member.key());
    read_at(here, [&] {
      const auto& declaration =
          expect_object(member.value(), "a fact declaration", {"type"},
                        {"type", "values", "required", "label", "min", "max", "citation", "columns"});
      if (auto problem = facts.try_add(field_from(declaration, std::string(member.key()))))
        throw error(std::move(*problem));
      return 0;
    });
  }
  return facts;
}

// The facts a policy file declares must be the ones the application gives.
void check_same_facts(const schema& declared, const schema& given) {
  for (const auto& f : declared.fields()) {
    const auto slot = given.find(f.name);
    if (!slot)
      fail("the fact " + detail::quoted(f.name) + " is not one of the application's facts",
           "/facts" + detail::pointer_token(f.name));
    const field& g = given.at(*slot);
    if (g.type != f.type)
      fail("the fact " + detail::quoted(f.name) + " is " + std::string(type_name(f.type)) + " here but " +
               std::string(type_name(g.type)) + " in the application",
           "/facts" + detail::pointer_token(f.name) + "/type");
    bool same_values = g.enumerators.size() == f.enumerators.size();
    for (std::size_t i = 0; same_values && i < f.enumerators.size(); ++i)
      same_values = g.find_enumerator(f.enumerators[i].name) != nullptr;
    if (!same_values)
      fail("the enum fact " + detail::quoted(f.name) + " has other values in the application",
           "/facts" + detail::pointer_token(f.name) + "/values");
  }
  for (const auto& g : given.fields())
    if (!declared.find(g.name))
      fail("the application's fact " + detail::quoted(g.name) + " is not declared here", "/facts");
}

// "min", "max", the codes of an integer fact and the range's citation, as `field_from` reads them.
void range_to_json(const field& f, json::object& declaration) {
  auto bound = [&](std::int64_t n) { return literal_to_json(to_literal(f, fact_value::of_number(n))); };
  if (!f.range.allowed.empty()) {
    json::array codes;
    for (std::int64_t code : f.range.allowed)
      codes.emplace_back(code);
    declaration["values"] = std::move(codes);
  }
  if (f.range.min) declaration["min"] = bound(*f.range.min);
  if (f.range.max) declaration["max"] = bound(*f.range.max);
  if (!f.range.citation.empty()) declaration["citation"] = f.range.citation;
}

// The ranges a policy file declares, onto the application's facts (which keep their origin, so a
// described struct is still accepted): a range declared both here and in the application must be
// the same one.
void carry_ranges(const schema& declared, schema& given) {
  for (const auto& f : declared.fields()) {
    const std::size_t slot = *given.find(f.name); // check_same_facts found every one
    const fact_range& theirs = given.at(slot).range;
    if (f.range == theirs || f.range.empty()) continue;
    if (!theirs.empty())
      fail("the fact " + detail::quoted(f.name) + " has another range in the application",
           "/facts" + detail::pointer_token(f.name));
    read_at("/facts" + detail::pointer_token(f.name), [&] {
      given.set_range(slot, f.range);
      return 0;
    });
  }
}

// The other names a policy file gives its facts, onto the application's facts (which keep their
// origin): a described struct's members have only their own names.
void carry_columns(const schema& declared, schema& given) {
  for (const auto& f : declared.fields()) {
    if (f.columns.empty()) continue;
    read_at("/facts" + detail::pointer_token(f.name) + "/columns", [&] {
      given.set_columns(*given.find(f.name), f.columns); // check_same_facts found every one
      return 0;
    });
  }
}

json::value facts_to_json(const schema& facts) {
  json::object object;
  for (const auto& f : facts.fields()) {
    json::object declaration{{"type", type_name(f.type)}};
    if (f.type == fact_type::enumeration) {
      json::array values;
      for (const auto& e : f.enumerators)
        values.emplace_back(e.name);
      declaration["values"] = std::move(values);
    }
    if (f.required) declaration["required"] = true;
    range_to_json(f, declaration);
    if (!f.columns.empty()) {
      json::array columns;
      for (const auto& c : f.columns)
        columns.emplace_back(c);
      declaration["columns"] = std::move(columns);
    }
    object[f.name] = std::move(declaration);
  }
  return object;
}

// ---- literals and conditions ------------------------------------------------------------------

// The field a constant compared with `about` is read against, as binding reads it: the fact's own
// declaration, or an integer for an age or a month count. None when the facts read so far do not
// declare the fact (it may be declared by a policy this one extends).
std::optional<field> field_of(const subject& about, const schema* facts) {
  if (about.derive == derivation::age_in_years || about.derive == derivation::months_since)
    return field{(about.derive == derivation::age_in_years ? "age_of(" : "months_since(") + about.fact + ")",
                 fact_type::integer,
                 {},
                 false};
  if (facts == nullptr) return std::nullopt;
  const auto slot = facts->find(about.fact);
  if (!slot) return std::nullopt;
  return facts->at(*slot);
}

// A JSON number that is not a 64-bit integer (a fraction, or too large), given as a value of `f`:
// what is wrong, quoting the number as written.
[[noreturn]] void bad_number(const json::value& jv, const field& f) {
  const std::string written = detail::number_text(jv);
  const bool too_large = detail::beyond_64_bits(jv);
  const std::string lead = "the " + std::string(type_name(f.type)) + " fact " + detail::quoted(f.name) + ": ";
  switch (f.type) {
  case fact_type::money:
    if (too_large)
      throw error(errc::overflow,
                  lead + detail::money_out_of_range(written + " rupiah", jv.is_double() && jv.get_double() < 0));
    {
      // The examples are the number itself, when it is an amount: 2000000.5 is "Rp2.000.000,50".
      std::string whole = "1000000", text = "Rp1.000.000,50";
      if (const auto amount = money::try_parse(written)) {
        whole = std::to_string(amount->whole_rupiah());
        text = to_rupiah_string(*amount);
      }
      fail(lead + "expected whole rupiah such as " + whole + " or a string such as " + detail::quoted(text) +
           ", found " + written);
    }
  case fact_type::integer:
    if (too_large) throw error(errc::overflow, lead + "the number " + written + " does not fit in 64 bits");
    fail(lead + "expected a whole number, found " + written);
  case fact_type::rate:
    fail(lead + "expected a rate as a string such as \"0.24%\" or \"0.0024\", found the number " + written +
         " (write rates as strings, so they stay exact)");
  default: throw error(detail::mismatch(f, written));
  }
}

// A constant as written in a rule, for a test on `about` (null when there is none): a number that
// is not a 64-bit integer is refused in the terms of the fact's type when `facts` declares it.
literal literal_from(const json::value& jv, const subject* about = nullptr, const schema* facts = nullptr) {
  switch (jv.kind()) {
  case json::kind::bool_: return jv.get_bool();
  case json::kind::int64: return jv.get_int64();
  case json::kind::string: return std::string(jv.get_string());
  case json::kind::object: {
    const auto& object = jv.get_object();
    if (object.size() == 1 && object.contains("parameter"))
      return parameter_value(std::string(
          read_at("/parameter", [&] { return expect_string(object.at("parameter"), "the id of a parameter"); })));
    fail("expected a value (true, false, a whole number, a string or {\"parameter\": id}), found " +
         json::serialize(jv));
  }
  case json::kind::uint64:
  case json::kind::double_: {
    if (about)
      if (const auto f = field_of(*about, facts)) bad_number(jv, *f);
    const std::string lead = about ? "the fact " + detail::quoted(about->fact) + ": " : std::string();
    if (detail::beyond_64_bits(jv))
      throw error(errc::overflow, lead + "the number " + detail::number_text(jv) + " does not fit in 64 bits");
    fail(lead + "expected a whole number or a string, found the number " + detail::number_text(jv) +
         " (write amounts as whole rupiah or \"Rp\" strings and rates as strings such as \"0.24%\")");
  }
  default:
    fail("expected a value (true, false, a whole number, a string or {\"parameter\": id}), found " +
         json::serialize(jv));
  }
}

json::value literal_to_json(const literal& value) {
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

constexpr std::array<std::string_view, 6> test_keys = {"in", "between", "is", "digits", "length", "starts_with"};
constexpr std::array<std::string_view, 4> composite_keys = {"all", "any", "not", "rule"};

std::optional<subject> subject_from(const json::object& object) {
  std::optional<subject> found;
  for (const auto& [key, derive] : detail::subject_keys) {
    if (const auto* name = object.if_contains(key)) {
      if (found) fail("a condition has one subject: \"fact\", \"age_of\" or \"months_since\"");
      found = subject{
          std::string(read_at(detail::pointer_token(key), [&] { return expect_string(*name, "the name of a fact"); })),
          derive, money()};
    }
  }
  return found;
}

condition condition_from(const json::value& jv, std::size_t depth, const schema* facts);

std::vector<condition> conditions_from(const json::value& jv, std::string_view key, std::size_t depth,
                                       const schema* facts) {
  const auto& list = read_at(detail::pointer_token(key),
                             [&]() -> const json::array& { return expect_array(jv, "an array of conditions"); });
  std::vector<condition> out;
  for (std::size_t i = 0; i < list.size(); ++i)
    out.push_back(read_at(index_pointer(detail::pointer_token(key), i),
                          [&] { return condition_from(list[i], depth + 1, facts); }));
  return out;
}

std::vector<literal> literals_from(const json::value& jv, std::string_view key, std::string_view what,
                                   const subject& about, const schema* facts) {
  const auto& list =
      read_at(detail::pointer_token(key), [&]() -> const json::array& { return expect_array(jv, what); });
  std::vector<literal> out;
  for (std::size_t i = 0; i < list.size(); ++i)
    out.push_back(
        read_at(index_pointer(detail::pointer_token(key), i), [&] { return literal_from(list[i], &about, facts); }));
  return out;
}

// {..., "if_missing": false}: the condition the other keys make, or the value where it is unknown.
condition if_missing_from(const json::object& object, const json::value& value, std::size_t depth,
                          const schema* facts) {
  if (!value.is_bool()) fail("\"if_missing\" takes true or false, found " + json::serialize(value), "/if_missing");
  json::object rest = object;
  rest.erase("if_missing");
  if (rest.empty())
    fail("\"if_missing\" says what a condition is where facts are missing; add the condition beside it: "
         "{\"fact\": \"monthly_income\", \"<=\": \"Rp3.000.000\", \"if_missing\": false}");
  return if_missing(condition_from(rest, depth + 1, facts), value.get_bool());
}

// `facts`: the facts declared so far, to say what a constant should have been (may be null).
condition condition_from(const json::value& jv, std::size_t depth, const schema* facts) {
  if (depth >= max_condition_depth)
    throw error(errc::out_of_range, "conditions nest deeper than " + std::to_string(max_condition_depth) + " levels");
  if (!jv.is_object()) fail("expected a condition (an object), found " + json::serialize(jv));
  const json::object& object = jv.get_object();
  if (const auto* otherwise = object.if_contains("if_missing"))
    return if_missing_from(object, *otherwise, depth, facts);

  for (std::string_view key : composite_keys) {
    const auto* inner = object.if_contains(key);
    if (!inner) continue;
    if (object.size() != 1) {
      for (const auto& member : object)
        if (member.key() != key)
          fail("\"" + std::string(key) + "\" stands alone in its condition; found also \"" + std::string(member.key()) +
                   "\"",
               detail::pointer_token(member.key()));
    }
    if (key == "all") return all(conditions_from(*inner, key, depth, facts));
    if (key == "any") return any(conditions_from(*inner, key, depth, facts));
    if (key == "not") return not_(read_at("/not", [&] { return condition_from(*inner, depth + 1, facts); }));
    return satisfies(std::string(read_at("/rule", [&] { return expect_string(*inner, "the id of a rule"); })));
  }

  const auto about = subject_from(object);
  if (!about)
    fail("expected a condition: {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}}, {\"rule\": \"id\"}, or a test on "
         "\"fact\", \"age_of\" or \"months_since\"");
  std::optional<condition> test;
  for (const auto& member : object) {
    const std::string_view key = member.key();
    bool is_subject = false;
    for (const auto& entry : detail::subject_keys)
      is_subject = is_subject || entry.first == key;
    if (is_subject) continue;
    const std::string here = detail::pointer_token(key);
    if (test) fail("a condition has one test; found a second, \"" + std::string(key) + "\"", here);
    const json::value& value = member.value();
    for (const comparison op : all_comparisons) {
      if (key != symbol(op)) continue;
      if (value.is_object() && !value.get_object().contains("parameter")) {
        const auto other = read_at(here, [&] {
          const auto& inner = expect_object(value, "another fact to compare with", {},
                                            {"fact", "age_of", "months_since", "round_up_to"});
          auto found = subject_from(inner);
          if (found && inner.contains("round_up_to")) {
            if (found->derive != derivation::value) fail("round_up_to rounds a money \"fact\"", "/round_up_to");
            found->derive = derivation::rounded_up;
            found->unit = read_at("/round_up_to", [&] { return json::value_to<money>(inner.at("round_up_to")); });
          }
          return found;
        });
        if (!other) fail("expected {\"fact\": name} to compare with another fact", here);
        test = about->compare(op, *other);
      } else {
        test = about->compare(op, read_at(here, [&] { return literal_from(value, &*about, facts); }));
      }
    }
    if (test) continue;
    if (key == "in") {
      test = about->in(literals_from(value, key, "an array of values", *about, facts));
    } else if (key == "between") {
      auto ends = literals_from(value, key, "[low, high]", *about, facts);
      if (ends.size() != 2) fail("\"between\" takes two values: [low, high]", here);
      test = about->between(std::move(ends[0]), std::move(ends[1]));
    } else if (key == "is") {
      if (value == "present")
        test = about->present();
      else if (value == "missing")
        test = about->missing();
      else
        fail("expected \"present\" or \"missing\", found " + json::serialize(value), here);
    } else if (key == "digits" || key == "length") {
      if (!value.is_int64()) fail("expected a whole number of characters, found " + json::serialize(value), here);
      test = key == "digits" ? about->digits(value.get_int64()) : about->length(value.get_int64());
    } else if (key == "starts_with") {
      test = about->starts_with(literals_from(value, key, "an array of prefixes", *about, facts));
    } else {
      std::string keys;
      for (const comparison op : all_comparisons)
        keys += "\"" + std::string(symbol(op)) + "\", ";
      for (std::string_view k : test_keys)
        keys += "\"" + std::string(k) + "\", ";
      fail("unknown test \"" + std::string(key) + "\"; expected one of " + keys.substr(0, keys.size() - 2), here);
    }
  }
  if (!test)
    fail("the test on " + detail::quoted(about->fact) + " is missing: add \"=\", \"<=\", \"in\", \"between\", ...");
  return std::move(*test);
}

json::value subject_to_json(const subject& about) {
  if (about.derive == derivation::rounded_up)
    return json::object{{"fact", about.fact}, {"round_up_to", json::value_from(about.unit)}};
  for (const auto& [key, derive] : detail::subject_keys)
    if (derive == about.derive) return json::object{{key, about.fact}};
  return nullptr;
}

json::value condition_to_json(const condition& c);

// The wrapped condition's object with "if_missing" beside its keys; one that already has one (an
// if_missing of an if_missing, which C++ can build) is wrapped in "all" to keep both.
json::value if_missing_to_json(const condition& c) {
  const auto* value = c.values.empty() ? nullptr : std::get_if<bool>(&c.values[0]);
  json::value inner = c.children.empty() ? json::value(nullptr) : condition_to_json(c.children[0]);
  if (!inner.is_object() || inner.as_object().contains("if_missing"))
    inner = json::object{{"all", json::array{std::move(inner)}}};
  inner.as_object()["if_missing"] = value ? json::value(*value) : json::value(nullptr);
  return inner;
}

json::value condition_to_json(const condition& c) {
  using kind = condition::kind;
  auto list = [](const std::vector<literal>& values) {
    json::array out;
    for (const auto& v : values)
      out.push_back(literal_to_json(v));
    return out;
  };
  auto children = [&] {
    json::array out;
    for (const auto& child : c.children)
      out.push_back(condition_to_json(child));
    return out;
  };
  switch (c.what) {
  case kind::all: return json::object{{"all", children()}};
  case kind::any: return json::object{{"any", children()}};
  case kind::negation:
    return json::object{{"not", c.children.empty() ? json::value(nullptr) : condition_to_json(c.children[0])}};
  case kind::rule: return json::object{{"rule", c.rule}};
  case kind::if_missing: return if_missing_to_json(c);
  default: break;
  }
  json::object out = subject_to_json(c.about).as_object();
  switch (c.what) {
  case kind::compare: out[symbol(c.op)] = c.other ? subject_to_json(*c.other) : literal_to_json(c.values.at(0)); break;
  case kind::in_set: out["in"] = list(c.values); break;
  case kind::between: out["between"] = list(c.values); break;
  case kind::present: out["is"] = "present"; break;
  case kind::missing: out["is"] = "missing"; break;
  case kind::digits: out["digits"] = literal_to_json(c.values.at(0)); break;
  case kind::length: out["length"] = literal_to_json(c.values.at(0)); break;
  case kind::starts_with: out["starts_with"] = list(c.values); break;
  default: break;
  }
  return out;
}

// ---- rules ------------------------------------------------------------------------------------

rule rule_from(const json::value& jv, bool allow_reference, const schema* facts) {
  if (allow_reference && jv.is_string()) return rule::ref(std::string(jv.get_string()));
  const auto& object =
      expect_object(jv, allow_reference ? "a requirement (a rule, or the id of one)" : "a rule", {"id"},
                    {"id", "label", "reason", "reason_unknown", "citation", "when", "requirements"});
  rule r;
  auto text = [&](std::string_view key) { return detail::optional_text(object, key, key); };
  r.id = text("id");
  r.label = text("label");
  r.reason = text("reason");
  r.reason_unknown = text("reason_unknown");
  r.citation = text("citation");
  if (const auto* when = object.if_contains("when"))
    r.when = read_at("/when", [&] { return condition_from(*when, 0, facts); });
  if (const auto* requirements = object.if_contains("requirements")) {
    const auto& list = read_at("/requirements", [&]() -> const json::array& {
      return expect_array(*requirements, "an array of requirements (rules, or ids of rules)");
    });
    if (list.empty()) fail("\"requirements\" needs at least one requirement", "/requirements");
    for (std::size_t i = 0; i < list.size(); ++i)
      r.requirements.push_back(
          read_at(index_pointer("/requirements", i), [&] { return rule_from(list[i], true, facts); }));
  }
  return r;
}

json::value rule_to_json(const rule& r) {
  if (r.is_reference()) return json::value(r.id);
  json::object out{{"id", r.id}, {"label", r.label}, {"reason", r.reason}, {"citation", r.citation}};
  if (!r.reason_unknown.empty()) out["reason_unknown"] = r.reason_unknown;
  if (r.when) out["when"] = condition_to_json(*r.when);
  if (!r.requirements.empty()) {
    json::array requirements;
    for (const auto& requirement : r.requirements)
      requirements.push_back(rule_to_json(requirement));
    out["requirements"] = std::move(requirements);
  }
  return out;
}

// What one policy file says, before it is merged with the policy it extends.
struct fragment {
  policy body;
  policy overrides; // only its rules, programs, adjustments, enrolments, subsidies and benefits are used
  bool declares_facts = false;
  bool extends_list = false; // "extends" is an array, so that errors point into it
};

template <class T, class Read>
void section_from(const json::object& object, std::string_view key, std::vector<T>& out, Read read) {
  const auto* value = object.if_contains(key);
  if (!value) return;
  const std::string here = detail::pointer_token(key);
  const auto& list =
      read_at(here, [&]() -> const json::array& { return expect_array(*value, "an array of " + std::string(key)); });
  if (list.size() > max_section_entries)
    fail("a policy has at most " + std::to_string(max_section_entries) + " " + std::string(key) + "; this one has " +
             std::to_string(list.size()),
         here);
  for (std::size_t i = 0; i < list.size(); ++i)
    out.push_back(read_at(index_pointer(here, i), [&] { return read(list[i]); }));
}

// {"id": "income_limit", "type": "money", "value": "Rp2.000.000", "label": ..., "citation": ...}
parameter parameter_from(const json::value& jv) {
  const auto& object =
      expect_object(jv, "a parameter", {"id", "type", "value"}, {"id", "label", "type", "value", "citation"});
  parameter p;
  p.id = detail::optional_text(object, "id", "the parameter's id");
  p.label = detail::optional_text(object, "label", "a label");
  p.citation = detail::optional_text(object, "citation", "the regulation or agreement that sets it");
  p.type = read_at("/type", [&] { return type_from(object.at("type")); });
  // The value is read against the declared type, to say what it should have been.
  schema alone;
  if (!p.id.empty() && p.type != fact_type::enumeration) alone.add(field(p.id, p.type));
  const subject about{p.id, derivation::value, money()};
  p.value = read_at("/value", [&] { return literal_from(object.at("value"), &about, &alone); });
  return p;
}

json::value parameter_to_json(const parameter& p) {
  json::object out{{"id", p.id}};
  if (!p.label.empty()) out["label"] = p.label;
  out["type"] = type_name(p.type);
  out["value"] = literal_to_json(p.value);
  if (!p.citation.empty()) out["citation"] = p.citation;
  return out;
}

// What a derived value shares with rules and facts, read and written as they are.
detail::derived_codec derived_codec_for(const schema* facts) {
  detail::derived_codec codec;
  codec.read_condition = [facts](const json::value& jv) { return condition_from(jv, 0, facts); };
  codec.write_condition = [](const condition& c) { return condition_to_json(c); };
  codec.read_literal = [](const json::value& jv, const field* want) {
    if (!want || want->name.empty() || want->type == fact_type::enumeration) return literal_from(jv);
    schema alone;
    alone.add(field(want->name, want->type));
    const subject about{want->name, derivation::value, money()};
    return literal_from(jv, &about, &alone);
  };
  codec.write_literal = [](const literal& value) { return literal_to_json(value); };
  codec.read_declaration = [](const json::object& declaration, std::string name) {
    return field_from(declaration, std::move(name));
  };
  return codec;
}

// `also`: derived values defined elsewhere that tables may read (the body's, for "overrides").
void sections_from(const json::object& object, policy& p, const schema* facts,
                   std::span<const derived_value> also = {}) {
  section_from(object, "parameters", p.parameters, [](const json::value& v) { return parameter_from(v); });
  const detail::derived_codec codec = derived_codec_for(facts);
  section_from(object, "derived", p.derived, [&](const json::value& v) { return detail::derived_from(v, codec); });
  // A table's constants are read for the types of the facts and derived values its inputs name.
  std::vector<field> known;
  if (facts) known = facts->fields();
  for (const auto& d : p.derived)
    known.push_back(d.declared);
  for (const auto& d : also)
    known.push_back(d.declared);
  section_from(object, "tables", p.tables, [&](const json::value& v) { return detail::table_from(v, codec, known); });
  section_from(object, "rules", p.rules, [&](const json::value& v) { return rule_from(v, false, facts); });
  section_from(object, "programs", p.programs, [](const json::value& v) { return detail::program_from(v); });
  section_from(object, "adjustments", p.adjustments, [](const json::value& v) { return detail::adjustment_from(v); });
  section_from(object, "enrolments", p.enrolments, [](const json::value& v) { return detail::enrolment_from(v); });
  section_from(object, "subsidies", p.subsidies, [](const json::value& v) { return detail::subsidy_from(v); });
  section_from(object, "benefits", p.benefits, [](const json::value& v) { return detail::benefit_from(v); });
}

// `given`: the facts the application gives, if it does (policy_body).
fragment fragment_from(const json::value& jv, const schema* given = nullptr) {
  const auto& object = expect_object(jv, "a policy", {"format", "id"},
                                     {"format", "id", "title", "version", "effective", "legal_basis", "extends",
                                      "facts", "parameters", "derived", "tables", "rules", "programs", "adjustments",
                                      "enrolments", "subsidies", "benefits", "overrides"});
  read_at("/format", [&] {
    const auto& format = object.at("format");
    if (!format.is_string() || format.get_string() != policy_format)
      fail("expected \"" + std::string(policy_format) + "\", found " + json::serialize(format));
    return 0;
  });
  fragment out;
  policy& p = out.body;
  auto text = [&](std::string_view key, std::string_view what) { return detail::optional_text(object, key, what); };
  p.id = text("id", "the policy id");
  p.title = text("title", "the policy title");
  p.version = text("version", "the policy version, such as \"2024.1\"");
  if (const auto* extends = object.if_contains("extends")) {
    read_at("/extends", [&] {
      if (extends->is_string()) {
        p.extends.emplace_back(expect_string(*extends, "the id of the policy this one builds on"));
      } else {
        const auto& list = expect_array(*extends, "the id of the policy this one builds on, or an array of ids");
        out.extends_list = true;
        if (list.empty()) fail("\"extends\" names at least one policy");
        for (std::size_t i = 0; i < list.size(); ++i)
          p.extends.emplace_back(read_at(index_pointer("", i), [&] { return expect_string(list[i], "a policy id"); }));
      }
      return 0;
    });
  }
  if (const auto* effective = object.if_contains("effective")) {
    read_at("/effective", [&] {
      const auto& period = expect_object(*effective, "the effective period", {"from"}, {"from", "until"});
      p.effective_from = read_at("/from", [&] { return json::value_to<date>(period.at("from")); });
      if (const auto* until = period.if_contains("until"))
        p.effective_until = read_at("/until", [&] { return json::value_to<date>(*until); });
      if (p.effective_until && *p.effective_until < *p.effective_from)
        fail("the policy ends before it starts", "/until");
      return 0;
    });
  }
  if (const auto* basis = object.if_contains("legal_basis")) {
    read_at("/legal_basis", [&] {
      const auto& list = expect_array(*basis, "an array of citations");
      for (std::size_t i = 0; i < list.size(); ++i)
        p.legal_basis.emplace_back(read_at(index_pointer("", i), [&] { return expect_string(list[i], "a citation"); }));
      return 0;
    });
  }
  if (const auto* declared = object.if_contains("facts")) {
    p.facts = read_at("/facts", [&] { return facts_from(*declared); });
    out.declares_facts = true;
  }
  // Constants in rules are read against the facts known here, to say what one should have been.
  const schema* facts = given ? given : &p.facts;
  sections_from(object, p, facts);
  if (const auto* overrides = object.if_contains("overrides")) {
    read_at("/overrides", [&] {
      const auto& o = expect_object(*overrides, "the overrides (definitions that replace the extended policy's)", {},
                                    {"parameters", "derived", "tables", "rules", "programs", "adjustments",
                                     "enrolments", "subsidies", "benefits"});
      sections_from(o, out.overrides, facts, p.derived);
      return 0;
    });
    if (p.extends.empty())
      fail("\"overrides\" needs \"extends\": it replaces definitions of the policies named there, and this policy "
           "extends none",
           "/overrides");
  }
  return out;
}

// The policy as read, not yet bound: the callers bind it (`bind_policy`), once, so that a policy
// that reads is a policy that compiles and its errors are reported on reading, with their JSON
// pointers.
policy policy_body(const json::value& jv, const schema* given) {
  fragment f = fragment_from(jv, given);
  if (!f.body.extends.empty())
    fail("this policy extends " + detail::quoted(f.body.extends.front()) +
             "; read it through a policy_library that holds that policy too",
         "/extends");
  if (!f.declares_facts && !given) fail("a policy needs \"facts\" (the facts its rules read)");
  if (given) {
    if (f.declares_facts) check_same_facts(f.body.facts, *given);
    const schema declared = std::move(f.body.facts);
    f.body.facts = *given;
    if (f.declares_facts) carry_ranges(declared, f.body.facts);
    if (f.declares_facts) carry_columns(declared, f.body.facts);
  }
  return std::move(f.body);
}

// ---- extends ----------------------------------------------------------------------------------

// Adds the child's definitions of one section to the base's: a new id is added; an id the base
// already defines is a conflict unless it is under "overrides", where it replaces the base's.
const std::string& entry_id(const derived_value& d) { return d.declared.name; }
template <class T>
const std::string& entry_id(const T& item) {
  return item.id;
}

template <class T>
void merge_section(std::vector<T>& base, const std::vector<T>& added, const std::vector<T>& replacing,
                   std::string_view key, const std::string& base_id) {
  for (std::size_t i = 0; i < added.size(); ++i) {
    for (const auto& existing : base)
      if (entry_id(existing) == entry_id(added[i]))
        fail(std::string(key) + " " + detail::quoted(entry_id(added[i])) + " is already defined by " +
                 detail::quoted(base_id) + "; to replace it, put it under \"overrides\"",
             "/" + std::string(key) + "/" + std::to_string(i) + "/id");
    base.push_back(added[i]);
  }
  for (std::size_t i = 0; i < replacing.size(); ++i) {
    bool replaced = false;
    for (auto& existing : base)
      if (entry_id(existing) == entry_id(replacing[i])) {
        existing = replacing[i];
        replaced = true;
      }
    if (!replaced)
      fail(std::string(key) + " " + detail::quoted(entry_id(replacing[i])) +
               " overrides nothing: " + detail::quoted(base_id) + " does not define it",
           "/overrides/" + std::string(key) + "/" + std::to_string(i) + "/id");
  }
}

// A fact's declaration as a message describes it: "money", "required string", "enum with the
// values "a", "b"".
std::string declaration_of(const field& f) {
  std::string out = f.required ? "required " : "";
  out += type_name(f.type);
  if (f.type == fact_type::enumeration)
    out += " with the values " + detail::name_list(f.enumerators, [](const enumerator& e) { return e.name; });
  if (!f.range.empty()) out += " " + detail::range_text(f);
  return out;
}

// A fact declared again may give a roster more names for it: the base's columns, then its own.
void add_columns(schema& base, std::size_t slot, const field& again) {
  std::vector<std::string> columns = base.at(slot).columns;
  for (const auto& c : again.columns)
    if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
  if (columns.size() == base.at(slot).columns.size()) return;
  read_at("/facts" + detail::pointer_token(again.name) + "/columns", [&] {
    base.set_columns(slot, std::move(columns));
    return 0;
  });
}

// `declared` says where `added` declares its facts, for a message: "here", or "in "<id>"".
void merge_facts(schema& base, const schema& added, const std::string& base_id, std::string_view declared) {
  for (const auto& f : added.fields()) {
    if (const auto slot = base.find(f.name)) {
      const field& existing = base.at(*slot);
      // A fact declared again without a range keeps the range the base declares.
      if (existing.type != f.type || existing.enumerators != f.enumerators || existing.required != f.required ||
          (!f.range.empty() && existing.range != f.range))
        fail("the fact " + detail::quoted(f.name) + " is declared " + std::string(declared) + " as " +
                 declaration_of(f) + ", but " + detail::quoted(base_id) + " declares it as " +
                 declaration_of(existing) + "; declare it the same way or leave it out",
             "/facts" + detail::pointer_token(f.name));
      add_columns(base, *slot, f);
      continue;
    }
    if (auto problem = base.try_add(f)) throw error(std::move(*problem));
  }
}

// Merges `added`, with the definitions under its "overrides", into `base`.
// `declared` says where `added` is, for a message: "here", or "in "<id>"".
void merge_policy(policy& base, const policy& added, const policy& overrides, std::string_view declared) {
  merge_facts(base.facts, added.facts, base.id, declared);
  merge_section(base.parameters, added.parameters, overrides.parameters, "parameters", base.id);
  merge_section(base.derived, added.derived, overrides.derived, "derived", base.id);
  merge_section(base.tables, added.tables, overrides.tables, "tables", base.id);
  merge_section(base.rules, added.rules, overrides.rules, "rules", base.id);
  merge_section(base.programs, added.programs, overrides.programs, "programs", base.id);
  merge_section(base.adjustments, added.adjustments, overrides.adjustments, "adjustments", base.id);
  merge_section(base.enrolments, added.enrolments, overrides.enrolments, "enrolments", base.id);
  merge_section(base.subsidies, added.subsidies, overrides.subsidies, "subsidies", base.id);
  merge_section(base.benefits, added.benefits, overrides.benefits, "benefits", base.id);
}

// Appends the citations of `added` that `to` does not have yet.
void add_basis(std::vector<std::string>& to, const std::vector<std::string>& added) {
  for (const auto& b : added)
    if (std::find(to.begin(), to.end(), b) == to.end()) to.push_back(b);
}

} // namespace

condition condition_from_json(const json::value& jv) { return condition_from(jv, 0, nullptr); }

policy_library::policy_library() = default;
policy_library::~policy_library() = default;
policy_library::policy_library(policy_library&&) noexcept = default;
policy_library& policy_library::operator=(policy_library&&) noexcept = default;

namespace {

// A message located in the file it is about: "<origin>: <message>".
error in_origin(const std::string& origin, failure problem) {
  if (!origin.empty()) problem.message = origin + ": " + problem.message;
  return error(std::move(problem));
}

std::string read_policy_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(errc::invalid_syntax, "cannot read the policy file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw error(errc::invalid_syntax, "cannot read the policy file " + path.string());
  return text.str();
}

// The file's identity, whatever path names it (./, .., symlinks).
std::string file_key(const std::filesystem::path& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(std::filesystem::absolute(path), ec);
  return ec ? std::filesystem::absolute(path).lexically_normal().string() : canonical.string();
}

// The id a JSON text gives when it is an object with a string "id", for a file that is not a
// valid policy: "" otherwise.
std::string id_of(std::string_view text) {
  try {
    const json::value jv = parse_json(text, "the policy");
    const auto* object = jv.if_object();
    const auto* id = object ? object->if_contains("id") : nullptr;
    return id && id->is_string() ? std::string(id->get_string()) : std::string();
  } catch (const error&) {
    return {};
  }
}

// The directory a policy file's id places it under: ROOT for ROOT/a/b.json with id "a/b".
std::optional<std::filesystem::path> library_root(const std::filesystem::path& file, std::string_view id) {
  const std::filesystem::path relative = std::filesystem::path(std::string(id) + ".json").lexically_normal();
  if (relative.is_absolute() || relative.empty() || *relative.begin() == "..") return std::nullopt;
  const std::filesystem::path whole = std::filesystem::absolute(file).lexically_normal();
  std::filesystem::path at = whole;
  for (auto part = std::distance(relative.begin(), relative.end()); part > 0; --part) {
    if (!at.has_relative_path()) return std::nullopt;
    at = at.parent_path();
  }
  if (whole != (at / relative).lexically_normal()) return std::nullopt;
  // As the file was named, so that messages name the files as the caller does: "policies" for
  // "policies/a/b.json", "." for "a/b.json".
  const std::filesystem::path given = file.lexically_normal();
  const auto given_parts = std::distance(given.begin(), given.end());
  const auto id_parts = std::distance(relative.begin(), relative.end());
  if (given.is_absolute() || given_parts <= id_parts) return given_parts == id_parts ? std::filesystem::path(".") : at;
  std::filesystem::path root;
  for (auto it = given.begin(); std::distance(it, given.end()) > id_parts; ++it)
    root /= *it;
  return root;
}

// The files of a message, as named: "a.json and b.json", "a.json, b.json and c.json".
std::string file_list(std::vector<std::string> files) {
  std::sort(files.begin(), files.end());
  std::string out;
  for (std::size_t i = 0; i < files.size(); ++i)
    out += (i == 0 ? "" : i + 1 == files.size() ? " and " : ", ") + files[i];
  return out;
}

} // namespace

std::string policy_library::add(std::string_view json_text, std::string origin) {
  return add_text(json_text, std::move(origin), false);
}

std::string policy_library::add_text(std::string_view json_text, std::string origin, bool from_directory) {
  try {
    json_document document;
    parse_document(json_text, "the policy", document);
    const detail::number_texts::use numbers(document.numbers);
    fragment f = fragment_from(document.value);
    auto& candidates = entries_[f.body.id];
    // A file given by name is the policy of its id; in a directory, two files giving one id are an
    // error only when that id is needed (find).
    if (!from_directory && !candidates.empty())
      fail("a policy called " + detail::quoted(f.body.id) + " is already in the library (from " +
               candidates.front().origin + ")",
           "/id");
    std::string id = f.body.id;
    candidates.push_back(entry{origin, std::move(f.body), std::move(f.overrides), f.declares_facts, f.extends_list});
    return id;
  } catch (const error& e) {
    if (!from_directory) throw in_origin(origin, e.details());
    unreadable_.push_back(unreadable{origin, e.details(), id_of(json_text)});
    return {};
  }
}

std::string policy_library::add_file(const std::filesystem::path& path) {
  const std::string key = file_key(path);
  if (std::find(files_.begin(), files_.end(), key) != files_.end()) {
    // Already found in a directory: it must be a policy, as a file given by name must.
    const std::string origin = path.string();
    for (const auto& [id, candidates] : entries_)
      for (const auto& e : candidates)
        if (file_key(e.origin) == key) return id;
    for (const auto& u : unreadable_)
      if (file_key(u.origin) == key) throw in_origin(u.origin, u.problem);
  }
  const std::string text = read_policy_file(path);
  std::string id = add(text, path.string());
  files_.push_back(key);
  return id;
}

std::string policy_library::add_policy_file(const std::filesystem::path& path) {
  std::string id = add_file(path);
  // A policy that extends nothing needs no library: its folder is not read.
  if (find(id)->body.extends.empty()) return id;
  if (const auto root = library_root(path, id)) add_directory(*root);
  return id;
}

std::vector<std::string> policy_library::add_directory(const std::filesystem::path& directory) {
  const std::string key = file_key(directory);
  for (const auto& known : directories_)
    if (file_key(known) == key) return {};
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".json" &&
        !it->path().filename().string().ends_with(".test.json"))
      files.push_back(it->path()); // a scenario file (docs/scenarios.md) sits beside its policy, and is none
  if (ec)
    throw error(errc::invalid_syntax, "cannot list the policy directory " + directory.string() + ": " + ec.message());
  directories_.push_back(directory);
  std::sort(files.begin(), files.end());
  std::vector<std::string> ids;
  for (const auto& file : files) {
    std::string file_id = file_key(file);
    if (std::find(files_.begin(), files_.end(), file_id) != files_.end()) continue;
    files_.push_back(std::move(file_id));
    std::string text;
    try {
      text = read_policy_file(file);
    } catch (const error& e) {
      unreadable_.push_back(unreadable{file.string(), e.details(), {}});
      continue;
    }
    if (std::string id = add_text(text, file.string(), true); !id.empty()) ids.push_back(std::move(id));
  }
  return ids;
}

std::vector<std::filesystem::path> policy_library::directories() const { return directories_; }

std::vector<std::string> policy_library::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, candidates] : entries_)
    if (!candidates.empty()) out.push_back(id);
  return out;
}

const policy_library::entry* policy_library::find(std::string_view id) const {
  std::vector<std::string> origins;
  const entry* found = nullptr;
  if (const auto at = entries_.find(id); at != entries_.end())
    for (const auto& e : at->second) {
      origins.push_back(e.origin);
      found = &e;
    }
  const unreadable* broken = nullptr;
  for (const auto& u : unreadable_)
    if (u.id == id) {
      origins.push_back(u.origin);
      broken = &u;
    }
  if (origins.size() > 1)
    throw error(errc::invalid_syntax, "the policy " + detail::quoted(id) + " is given by " +
                                          std::to_string(origins.size()) + " files, " + file_list(origins) +
                                          ": keep one of them");
  if (broken) throw in_origin(broken->origin, broken->problem);
  return found;
}

std::string policy_library::no_policy(std::string_view id, std::string_view except) const {
  std::vector<std::string_view> ids;
  for (const auto& [known, candidates] : entries_)
    if (known != except && !candidates.empty()) ids.push_back(known);
  std::string message = "no policy called " + detail::quoted(id) + " is in the library";
  if (!ids.empty())
    message += "; the policies are " + detail::name_list(ids, [](std::string_view known) { return known; });
  std::vector<std::string> files;
  for (const auto& u : unreadable_)
    files.push_back(u.origin);
  if (!files.empty()) message += "; these files are not policies: " + file_list(std::move(files));
  return message;
}

policy policy_library::get(std::string_view id) const { return bind(id).source(); }

compiled_policy policy_library::compile(std::string_view id) const { return compiled_policy(bind(id)); }

compiled_policy policy_library::compile(std::string_view id, std::span<const setting> settings) const {
  return compiled_policy(bind(id, settings));
}

bound_policy policy_library::bind(std::string_view id, std::span<const setting> settings) const {
  const entry* top = find(id);
  if (!top) throw error(errc::invalid_syntax, no_policy(id));
  std::vector<std::string> chain;
  policy merged = resolve(std::string(id), chain);
  const std::string merged_id = merged.id;
  try {
    return bind_policy(std::move(merged), settings);
  } catch (const error& e) {
    // A setting's error is the command line's, not the file's.
    const std::string& at = e.details().location;
    if (std::any_of(settings.begin(), settings.end(), [&](const setting& s) { return written(s) == at; })) throw;
    // As every message about a file, it starts with the name the file was added under.
    failure located = e.details();
    if (!top->body.extends.empty())
      located.message = "in " + detail::quoted(merged_id) + " merged with what it extends: " + located.message;
    throw in_origin(top->origin, std::move(located));
  }
}

policy policy_library::resolve(const std::string& id, std::vector<std::string>& chain) const {
  const entry& f = *find(id); // the caller checked that it is there
  auto in_file = [&](failure problem) {
    problem.message = (f.origin.empty() ? detail::quoted(id) : f.origin) + ": " + problem.message;
    return error(std::move(problem));
  };
  auto located = [&](auto&& step) {
    try {
      return step();
    } catch (const error& e) {
      throw in_file(e.details());
    }
  };
  if (f.body.extends.empty()) {
    if (!f.declares_facts) located([&]() -> int { fail("a policy needs \"facts\" (the facts its rules read)"); });
    return f.body;
  }
  chain.push_back(id);
  // Each policy extended is in the library and does not lead back here; the error is this file's,
  // at the id in "extends".
  auto extended = [&](std::size_t i) {
    const std::string& target = f.body.extends[i];
    const std::string where = f.extends_list ? "/extends/" + std::to_string(i) : std::string("/extends");
    const entry* found = nullptr;
    try {
      found = find(target);
    } catch (const error& e) {
      // Two files giving the id: said at the id in "extends"; a broken file: said in that file.
      failure problem = e.details();
      if (!problem.location.empty()) throw;
      problem.location = where;
      throw in_file(std::move(problem));
    }
    if (!found) throw in_file(failure(errc::invalid_syntax, no_policy(target, id), where));
    if (const auto loop = std::find(chain.begin(), chain.end(), target); loop != chain.end()) {
      if (target == id)
        throw in_file(failure(errc::invalid_syntax, "the policy " + detail::quoted(id) + " extends itself", where));
      std::string path;
      for (auto it = loop; it != chain.end(); ++it)
        path += detail::quoted(*it) + " -> ";
      throw in_file(failure(errc::invalid_syntax,
                            "the policies extend each other in a loop: " + path + detail::quoted(target), where));
    }
    return resolve(target, chain);
  };
  // The policies extended, merged in the order written; then this one's definitions.
  policy base = extended(0);
  for (std::size_t i = 1; i < f.body.extends.size(); ++i) {
    const policy next = extended(i);
    located([&] {
      merge_policy(base, next, policy{}, "in " + detail::quoted(next.id));
      add_basis(base.legal_basis, next.legal_basis);
      return 0;
    });
  }
  chain.pop_back();
  return located([&] {
    policy out = std::move(base);
    merge_policy(out, f.body, f.overrides, "here");
    std::vector<std::string> basis = f.body.legal_basis; // this policy's, then the extended ones'
    add_basis(basis, out.legal_basis);
    out.legal_basis = std::move(basis);
    out.id = f.body.id;
    out.title = f.body.title;
    out.version = f.body.version;
    out.effective_from = f.body.effective_from;
    out.effective_until = f.body.effective_until;
    out.extends = f.body.extends;
    return out;
  });
}

json::value parse_json(std::string_view text, std::string_view what) {
  json_document document;
  parse_document(text, what, document);
  return std::move(document.value);
}

namespace {

// Reads and binds the policy of `json_text`, with the facts `given` when there are.
bound_policy bound_from_text(std::string_view json_text, const schema* given) {
  json_document document;
  parse_document(json_text, "the policy", document);
  const detail::number_texts::use numbers(document.numbers);
  return bind_policy(policy_body(document.value, given));
}

} // namespace

policy policy_from_json(const json::value& jv) { return bind_policy(policy_body(jv, nullptr)).source(); }
policy policy_from_json(const json::value& jv, const schema& facts) {
  return bind_policy(policy_body(jv, &facts)).source();
}
policy read_policy(std::string_view json_text) { return bound_from_text(json_text, nullptr).source(); }
policy read_policy(std::string_view json_text, const schema& facts) {
  return bound_from_text(json_text, &facts).source();
}
compiled_policy compile_policy(std::string_view json_text) {
  return compiled_policy(bound_from_text(json_text, nullptr));
}
compiled_policy compile_policy(std::string_view json_text, const schema& facts) {
  return compiled_policy(bound_from_text(json_text, &facts));
}

result<policy> try_read_policy(std::string_view json_text) {
  try {
    return read_policy(json_text);
  } catch (const error& e) {
    return e.details();
  }
}

json::value to_json(const policy& p) {
  json::object out{{"format", policy_format}, {"id", p.id}};
  if (!p.title.empty()) out["title"] = p.title;
  if (!p.version.empty()) out["version"] = p.version;
  if (p.effective_from) {
    json::object effective{{"from", json::value_from(*p.effective_from)}};
    if (p.effective_until) effective["until"] = json::value_from(*p.effective_until);
    out["effective"] = std::move(effective);
  }
  if (!p.legal_basis.empty()) {
    json::array basis;
    for (const auto& b : p.legal_basis)
      basis.emplace_back(b);
    out["legal_basis"] = std::move(basis);
  }
  // A merged policy is written whole, so it reads back without the policy it extended.
  out["facts"] = facts_to_json(p.facts);
  if (!p.parameters.empty()) {
    json::array parameters;
    for (const auto& parameter : p.parameters)
      parameters.push_back(parameter_to_json(parameter));
    out["parameters"] = std::move(parameters);
  }
  if (!p.derived.empty()) {
    const detail::derived_codec codec = derived_codec_for(&p.facts);
    json::array derived;
    for (const auto& d : p.derived)
      derived.push_back(detail::to_json(d, codec));
    out["derived"] = std::move(derived);
  }
  if (!p.tables.empty()) {
    const detail::derived_codec codec = derived_codec_for(&p.facts);
    json::array tables;
    for (const auto& t : p.tables)
      tables.push_back(detail::to_json(t, codec));
    out["tables"] = std::move(tables);
  }
  json::array rules;
  for (const auto& r : p.rules)
    rules.push_back(rule_to_json(r));
  out["rules"] = std::move(rules);
  auto section = [&](std::string_view key, const auto& items) {
    if (items.empty()) return;
    json::array list;
    for (const auto& item : items)
      list.push_back(detail::to_json(item));
    out[key] = std::move(list);
  };
  section("programs", p.programs);
  section("adjustments", p.adjustments);
  section("enrolments", p.enrolments);
  section("subsidies", p.subsidies);
  section("benefits", p.benefits);
  return out;
}

std::string write_policy(const policy& p) { return json::serialize(to_json(p)); }

record record_from_json(const schema& facts, const json::value& jv) {
  if (!jv.is_object()) fail("expected a record (an object of fact name to value), found " + json::serialize(jv));
  const json::object& object = jv.get_object();
  record out(facts.size());
  for (std::size_t slot = 0; slot < facts.size(); ++slot) {
    const field& f = facts.at(slot);
    const std::string here = detail::pointer_token(f.name);
    const auto* value = object.if_contains(f.name);
    if (!value || value->is_null()) {
      if (f.required) fail("the fact " + detail::quoted(f.name) + " is required", here);
      continue;
    }
    // A number that is not a 64-bit integer is refused as a roster's NDJSON row refuses it.
    if (value->is_uint64() || value->is_double()) {
      const std::string written = detail::number_text(*value);
      if (detail::beyond_64_bits(*value) && f.type == fact_type::money)
        throw error(
            failure(errc::overflow,
                    "the money fact " + detail::quoted(f.name) + ": " +
                        detail::money_out_of_range(written + " rupiah", value->is_double() && value->get_double() < 0),
                    here));
      if (detail::beyond_64_bits(*value) && f.type == fact_type::integer)
        throw error(failure(errc::overflow,
                            "the integer fact " + detail::quoted(f.name) + ": the number " + written +
                                " does not fit in 64 bits",
                            here));
      failure problem = detail::mismatch(f, written);
      problem.location = here;
      throw error(std::move(problem));
    }
    const literal given = read_at(here, [&] { return literal_from(*value); });
    if (auto problem = out.try_set(slot, f, given)) {
      problem->location = here;
      throw error(std::move(*problem));
    }
  }
  return out;
}

record read_record(const schema& facts, std::string_view json_text) {
  json_document document;
  parse_document(json_text, "the record", document);
  const detail::number_texts::use numbers(document.numbers);
  return record_from_json(facts, document.value);
}

namespace {

json::array strings_to_json(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items)
    out.emplace_back(item);
  return out;
}

// The statement's keys, after "format" when `tagged`.
json::object statement_to_json(const contribution_statement& s, bool tagged) {
  json::object out;
  if (tagged) out["format"] = statement_format;
  out["policy"] = s.policy;
  out["period"] = json::value_from(s.period);
  out["complete"] = s.complete();
  out["total"] = json::value_from(s.total);
  if (s.quoted != money()) out["quoted"] = json::value_from(s.quoted);
  json::array totals;
  for (const auto& [payer, amount] : s.totals)
    totals.push_back(json::object{{"payer", payer}, {"amount", json::value_from(amount)}});
  out["totals"] = std::move(totals);
  json::array items;
  for (const program_month& item : s.items) {
    json::array lines;
    for (const payment_line& line : item.lines) {
      json::object l{{"kind", to_string(line.what)},
                     {"payer", line.payer},
                     {"amount", json::value_from(line.amount)},
                     {"source", line.source},
                     {"citation", line.citation}};
      if (!line.note.empty()) l["note"] = line.note;
      lines.push_back(std::move(l));
    }
    json::object o{{"month", json::value_from(item.when)},
                   {"enrolment", item.enrolment},
                   {"program", item.program},
                   {"category", item.category},
                   {"status", to_string(item.outcome)},
                   {"due", json::value_from(item.due)},
                   {"lines", std::move(lines)},
                   {"missing", strings_to_json(item.missing)},
                   {"notes", strings_to_json(item.notes)}};
    if (item.quoted != money()) o["quoted"] = json::value_from(item.quoted);
    items.push_back(std::move(o));
  }
  out["items"] = std::move(items);
  return out;
}

} // namespace

json::value to_json(const contribution_statement& s) { return statement_to_json(s, true); }

namespace {

// {"status", "enrolment"?, "category"?, "programs"?, "from"?, "until"?, "reason"?, "missing"?, "funded_by"?}
json::object coverage_to_json(const claim_coverage& c) {
  json::object o{{"status", to_string(c.status)}};
  if (!c.enrolment.empty()) {
    o["enrolment"] = c.enrolment;
    o["category"] = c.category;
    o["programs"] = strings_to_json(c.programs);
  }
  if (c.from) o["from"] = json::value_from(*c.from);
  if (c.until) o["until"] = json::value_from(*c.until);
  if (!c.reason.empty()) o["reason"] = c.reason;
  if (!c.missing.empty()) o["missing"] = strings_to_json(c.missing);
  if (!c.funded_by.empty()) o["funded_by"] = strings_to_json(c.funded_by);
  return o;
}

} // namespace

json::value to_json(const claim_result& r) {
  json::array lines;
  for (const auto& line : r.lines) {
    json::object o{{"benefit", line.benefit},
                   {"label", line.label},
                   {"program", line.program},
                   {"status", to_string(line.status)},
                   {"amount", json::value_from(line.amount)},
                   {"basis", line.basis},
                   {"citation", line.citation}};
    if (!line.reason.empty()) o["reason"] = line.reason;
    auto texts = [](const std::vector<std::string>& list) {
      json::array out;
      for (const auto& t : list)
        out.emplace_back(t);
      return out;
    };
    if (!line.missing.empty()) o["missing"] = texts(line.missing);
    if (!line.details.empty()) o["details"] = texts(line.details);
    lines.push_back(std::move(o));
  }
  return json::object{{"format", claim_format},
                      {"policy", r.policy},
                      {"event", r.event},
                      {"on", json::value_from(r.on)},
                      {"coverage", coverage_to_json(r.coverage)},
                      {"total", json::value_from(r.total)},
                      {"lines", std::move(lines)}};
}

json::value to_json(const explanation& e) {
  // Lines come in visiting order with their depth; nest them as a tree.
  std::vector<json::object> open;
  json::array roots;
  auto close_to = [&](std::size_t depth) {
    while (open.size() > depth) {
      json::object done = std::move(open.back());
      open.pop_back();
      if (open.empty())
        roots.push_back(std::move(done));
      else
        open.back()["children"].as_array().push_back(std::move(done));
    }
  };
  for (const auto& line : e.lines) {
    close_to(line.depth);
    json::object node{{"kind", line.is_rule ? "rule" : "condition"}, {"verdict", to_string(line.result)}};
    if (line.is_rule) {
      node["id"] = line.id;
      node["label"] = line.text;
      node["citation"] = line.citation;
      if (!line.reason.empty()) node["reason"] = line.reason;
    } else {
      node["test"] = line.text;
      if (!line.actual.empty()) node["actual"] = line.actual;
      if (!line.expected.empty()) node["expected"] = line.expected;
    }
    node["children"] = json::array();
    open.push_back(std::move(node));
  }
  close_to(0);
  json::object out{{"format", explanation_format},
                   {"rule", e.rule},
                   {"as_of", json::value_from(e.as_of)},
                   {"status", to_string(e.outcome.outcome)},
                   {"verdict", to_string(e.outcome.result)},
                   {"reasons", strings_to_json(e.reasons)},
                   {"missing", strings_to_json(e.missing)},
                   {"trace", roots.empty() ? json::value(nullptr) : json::value(std::move(roots.front()))}};
  if (e.contributions) out["contributions"] = statement_to_json(*e.contributions, false);
  return out;
}

} // namespace entitle
