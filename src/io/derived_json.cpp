#include <entitle/io/derived_json.hpp>

#include <entitle/io/core_json.hpp>
#include <entitle/rules/bound_expression.hpp>

#include <boost/json/serialize.hpp>

#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace entitle::detail {
namespace {

namespace json = boost::json;

[[noreturn]] void fail(std::string message, std::string where = {}) {
  throw error(failure(errc::invalid_syntax, std::move(message), std::move(where)));
}

constexpr std::string_view expression_kinds =
    "a constant, {\"fact\": name}, {\"age_of\": name}, {\"months_since\": name}, {\"min\": [...]}, {\"max\": [...]}, "
    "{\"clamp\": [value, low, high]}, {\"bracket\": ..., \"steps\": [...]}, {\"when\": condition}, "
    "{\"if\": condition, \"then\": ..., \"else\": ...} or {\"table\": id}";

class reader {
public:
  reader(const derived_codec& codec, const field* declared) : codec_(codec), declared_(declared) {}

  expression read(const json::value& jv, std::size_t depth) const {
    if (depth >= max_expression_depth)
      throw error(errc::out_of_range,
                  "expressions nest deeper than " + std::to_string(max_expression_depth) + " levels");
    if (!jv.is_object() || jv.get_object().contains("parameter"))
      return {expr::constant{codec_.read_literal(jv, declared_)}};
    const json::object& object = jv.get_object();
    for (const auto& [key, derive] : subject_keys)
      if (const auto* name = object.if_contains(key)) {
        (void)expect_object(jv, "a named value", {key}, {key});
        return {expr::named{
            std::string(read_at(pointer_token(key), [&] { return expect_string(*name, "the name of a fact"); })),
            derive}};
      }
    if (object.contains("min") || object.contains("max")) {
      const bool greatest = object.contains("max");
      const std::string_view key = greatest ? "max" : "min";
      (void)expect_object(jv, "a min or max", {key}, {key});
      return {expr::extreme{greatest, list(object.at(key), key, depth)}};
    }
    if (const auto* values = object.if_contains("clamp")) {
      (void)expect_object(jv, "a clamp", {"clamp"}, {"clamp"});
      return {expr::clamp{list(*values, "clamp", depth)}};
    }
    if (object.contains("bracket")) return bracket(object, depth);
    if (const auto* when = object.if_contains("when")) {
      (void)expect_object(jv, "a condition's verdict", {"when"}, {"when"});
      return {expr::test{{read_at("/when", [&] { return codec_.read_condition(*when); })}}};
    }
    if (object.contains("if")) {
      (void)expect_object(jv, "a choice", {"if", "then", "else"}, {"if", "then", "else"});
      return {expr::choose{{read_at("/if", [&] { return codec_.read_condition(object.at("if")); })},
                           {read_at("/then", [&] { return read(object.at("then"), depth + 1); }),
                            read_at("/else", [&] { return read(object.at("else"), depth + 1); })}}};
    }
    if (const auto* table = object.if_contains("table")) {
      const auto& t = expect_object(jv, "a decision table's output", {"table"}, {"table", "output"});
      expr::table out;
      out.id = std::string(read_at("/table", [&] { return expect_string(*table, "the id of a decision table"); }));
      out.output = optional_text(t, "output", "the id of one of the table's outputs");
      return {std::move(out)};
    }
    fail("expected an expression: " + std::string(expression_kinds) + "; found " + json::serialize(jv));
  }

private:
  std::vector<expression> list(const json::value& jv, std::string_view key, std::size_t depth) const {
    return read_at(pointer_token(key), [&] {
      const auto& items = expect_array(jv, "an array of values");
      std::vector<expression> out;
      for (std::size_t i = 0; i < items.size(); ++i)
        out.push_back(read_at(index_token(i), [&] { return read(items[i], depth + 1); }));
      return out;
    });
  }

  // {"bracket": {"fact": "declared_income"}, "steps": [{"up_to": "Rp1.000.000", "value": ...}], "above": ...}
  expression bracket(const json::object& object, std::size_t depth) const {
    (void)expect_object(object, "a bracket lookup", {"bracket", "steps"}, {"bracket", "steps", "above"});
    expr::bracket out;
    out.of.push_back(read_at("/bracket", [&] { return read(object.at("bracket"), depth + 1); }));
    read_at("/steps", [&] {
      const auto& steps = expect_array(object.at("steps"), "an array of {\"up_to\": ..., \"value\": ...}");
      for (std::size_t i = 0; i < steps.size(); ++i)
        read_at(index_token(i), [&] {
          const auto& step = expect_object(steps[i], "a step", {"up_to", "value"}, {"up_to", "value"});
          out.up_to.push_back(read_at("/up_to", [&] { return codec_.read_literal(step.at("up_to"), nullptr); }));
          out.values.push_back(read_at("/value", [&] { return codec_.read_literal(step.at("value"), declared_); }));
          return 0;
        });
      return 0;
    });
    if (const auto* above = object.if_contains("above"))
      out.above.push_back(read_at("/above", [&] { return codec_.read_literal(*above, declared_); }));
    return {std::move(out)};
  }

  const derived_codec& codec_;
  const field* declared_;
};

struct writer {
  const derived_codec& codec;

  json::value operator()(const expr::named& n) const {
    for (const auto& [key, derive] : subject_keys)
      if (derive == n.derive) return json::object{{key, n.name}};
    return json::object{{"fact", n.name}};
  }
  json::value operator()(const expr::constant& c) const { return codec.write_literal(c.value); }
  json::value operator()(const expr::extreme& x) const { return json::object{{x.greatest ? "max" : "min", all(x.of)}}; }
  json::value operator()(const expr::clamp& c) const { return json::object{{"clamp", all(c.of)}}; }
  json::value operator()(const expr::bracket& b) const {
    json::array steps;
    for (std::size_t i = 0; i < b.up_to.size() && i < b.values.size(); ++i)
      steps.push_back(
          json::object{{"up_to", codec.write_literal(b.up_to[i])}, {"value", codec.write_literal(b.values[i])}});
    json::object out{{"bracket", b.of.empty() ? json::value() : write(b.of[0])}, {"steps", std::move(steps)}};
    if (!b.above.empty()) out["above"] = codec.write_literal(b.above[0]);
    return out;
  }
  json::value operator()(const expr::test& t) const {
    return json::object{{"when", t.when.empty() ? json::value() : codec.write_condition(t.when[0])}};
  }
  json::value operator()(const expr::choose& c) const {
    json::object out{{"if", c.when.empty() ? json::value() : codec.write_condition(c.when[0])}};
    if (c.of.size() == 2) {
      out["then"] = write(c.of[0]);
      out["else"] = write(c.of[1]);
    }
    return out;
  }
  json::value operator()(const expr::table& t) const {
    json::object out{{"table", t.id}};
    if (!t.output.empty()) out["output"] = t.output;
    return out;
  }

  json::value write(const expression& e) const { return std::visit(*this, e.node); }
  json::array all(const std::vector<expression>& of) const {
    json::array out;
    for (const auto& e : of)
      out.push_back(write(e));
    return out;
  }
};

} // namespace

derived_value derived_from(const json::value& jv, const derived_codec& codec) {
  const auto& object = expect_object(jv, "a derived value", {"id", "type", "value"},
                                     {"id", "label", "type", "values", "citation", "value"});
  derived_value d;
  const std::string id = optional_text(object, "id", "the derived value's id");
  d.declared = codec.read_declaration(object, id);
  d.label = optional_text(object, "label", "a label");
  d.citation = optional_text(object, "citation", "the regulation that defines it");
  d.value = read_at("/value", [&] { return reader(codec, &d.declared).read(object.at("value"), 0); });
  return d;
}

json::value to_json(const derived_value& d, const derived_codec& codec) {
  json::object out{{"id", d.declared.name}};
  if (!d.label.empty()) out["label"] = d.label;
  out["type"] = type_name(d.declared.type);
  if (!d.declared.enumerators.empty()) {
    json::array values;
    for (const auto& e : d.declared.enumerators)
      values.push_back(json::value(e.name));
    out["values"] = std::move(values);
  }
  if (!d.citation.empty()) out["citation"] = d.citation;
  out["value"] = writer{codec}.write(d.value);
  return out;
}

} // namespace entitle::detail
