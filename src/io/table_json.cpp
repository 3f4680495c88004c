#include <entitle/io/table_json.hpp>

#include <entitle/io/core_json.hpp>

#include <boost/json/serialize.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace entitle::detail {
namespace {

namespace json = boost::json;

[[noreturn]] void fail(std::string message, std::string where = {}) {
  throw error(failure(errc::invalid_syntax, std::move(message), std::move(where)));
}

constexpr std::array<std::pair<std::string_view, hit_policy>, 7> policy_names = {
    {{"unique", hit_policy::unique},
     {"any", hit_policy::any},
     {"priority", hit_policy::priority},
     {"first", hit_policy::first},
     {"rule_order", hit_policy::rule_order},
     {"output_order", hit_policy::output_order},
     {"collect", hit_policy::collect}}};

constexpr std::array<std::pair<std::string_view, aggregation>, 4> aggregation_names = {
    {{"sum", aggregation::sum}, {"min", aggregation::min}, {"max", aggregation::max}, {"count", aggregation::count}}};

constexpr std::string_view cell_forms =
    "expected a cell: \"-\" (any value), a constant, {\"=\": value} (or \"!=\", \"<\", \"<=\", \">\", \">=\"), a "
    "lower and an upper bound such as {\">=\": low, \"<\": high}, {\"between\": [low, high]}, {\"in\": [values]} or "
    "{\"not_in\": [values]}";

// "\"a\", \"b\" or \"c\"" of a table of names.
template <class Names>
std::string choices(const Names& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + quoted(names[i].first);
  return out;
}

template <class Names>
auto named(const json::value& jv, const Names& names, std::string_view what) {
  if (jv.is_string())
    for (const auto& [name, value] : names)
      if (jv.get_string() == name) return value;
  fail("expected " + std::string(what) + ": " + choices(names) + ", found " + describe_found(jv));
}

template <class Names, class Value>
std::string_view name_of(const Names& names, Value value) {
  for (const auto& [name, v] : names)
    if (v == value) return name;
  return names[0].first;
}

bool is_lower(comparison op) { return op == comparison::gt || op == comparison::ge; }
bool is_upper(comparison op) { return op == comparison::lt || op == comparison::le; }

class reader {
public:
  reader(const derived_codec& codec, std::span<const field> known) : codec_(codec), known_(known) {}

  decision_table read(const json::value& jv) {
    const auto& object = expect_object(
        jv, "a decision table", {"id", "label", "citation", "inputs", "outputs", "rows"},
        {"id", "label", "citation", "hit_policy", "aggregation", "inputs", "outputs", "rows", "otherwise"});
    decision_table t;
    t.id = optional_text(object, "id", "the table's id");
    t.label = optional_text(object, "label", "a label");
    t.citation = optional_text(object, "citation", "the regulation that sets the table");
    if (const auto* policy = object.if_contains("hit_policy"))
      t.policy = read_at("/hit_policy", [&] { return named(*policy, policy_names, "a hit policy"); });
    if (const auto* aggregate = object.if_contains("aggregation"))
      t.aggregate = read_at("/aggregation", [&] { return named(*aggregate, aggregation_names, "an aggregation"); });
    read_at("/inputs", [&] { return inputs(object.at("inputs"), t); });
    read_at("/outputs", [&] { return outputs(object.at("outputs"), t); });
    read_at("/rows", [&] {
      const auto& rows = expect_array(object.at("rows"), "an array of rows");
      if (rows.empty()) fail("a decision table needs at least one row");
      for (std::size_t r = 0; r < rows.size(); ++r)
        t.rows.push_back(read_at(index_token(r), [&] { return row(rows[r], t); }));
      return 0;
    });
    if (const auto* otherwise = object.if_contains("otherwise"))
      t.otherwise = read_at("/otherwise", [&] { return values(*otherwise, t, "\"otherwise\""); });
    return t;
  }

private:
  int inputs(const json::value& jv, decision_table& t) {
    const auto& list = expect_array(jv, "an array of inputs (names of facts or derived values)");
    if (list.empty()) fail("a decision table needs at least one input");
    for (std::size_t i = 0; i < list.size(); ++i)
      t.inputs.push_back(read_at(index_token(i), [&] {
        table_input in;
        if (list[i].is_string()) {
          in.name = std::string(expect_string(list[i], "the name of a fact or derived value"));
        } else {
          const auto& object = expect_object(list[i], "an input (a name, or {\"name\": ..., \"label\": ...})", {"name"},
                                             {"name", "label"});
          in.name = optional_text(object, "name", "the name of a fact or derived value");
          in.label = optional_text(object, "label", "a label");
        }
        return in;
      }));
    for (const auto& in : t.inputs) {
      const field* found = nullptr;
      for (const auto& f : known_)
        if (f.name == in.name) found = &f;
      input_fields_.push_back(found);
    }
    return 0;
  }

  int outputs(const json::value& jv, decision_table& t) {
    const auto& list = expect_array(jv, "an array of outputs ({\"id\": ..., \"type\": ...})");
    if (list.empty()) fail("a decision table needs at least one output");
    for (std::size_t k = 0; k < list.size(); ++k)
      read_at(index_token(k), [&] {
        const auto& object = expect_object(list[k], "an output", {"id", "type"}, {"id", "type", "priority"});
        table_output out;
        out.id = optional_text(object, "id", "the output's id");
        out.type = codec_.read_declaration(object, out.id).type;
        output_fields_.emplace_back(out.id, out.type);
        if (const auto* priority = object.if_contains("priority"))
          read_at("/priority", [&] {
            const auto& items = expect_array(*priority, "the output's values, highest priority first (an array)");
            for (std::size_t i = 0; i < items.size(); ++i)
              out.priority.push_back(
                  read_at(index_token(i), [&] { return codec_.read_literal(items[i], &output_fields_.back()); }));
            return 0;
          });
        t.outputs.push_back(std::move(out));
        return 0;
      });
    return 0;
  }

  table_row row(const json::value& jv, const decision_table& t) {
    const auto& object = expect_object(jv, "a row", {"when", "then"}, {"when", "then", "id", "citation"});
    table_row out;
    read_at("/when", [&] {
      const auto& cells = expect_array(object.at("when"), "an array of cells, one per input");
      if (cells.size() != t.inputs.size())
        fail("expected " + count(t.inputs.size(), "cell") + ", one per input (" +
             name_list(t.inputs, [](const table_input& in) { return in.name; }) + "), found " +
             std::to_string(cells.size()));
      for (std::size_t i = 0; i < cells.size(); ++i)
        out.when.push_back(read_at(index_token(i), [&] { return cell(cells[i], input_fields_[i]); }));
      return 0;
    });
    out.then = read_at("/then", [&] { return values(object.at("then"), t, "a row"); });
    out.id = optional_text(object, "id", "the row's id");
    out.citation = optional_text(object, "citation", "the regulation that sets the row");
    return out;
  }

  // One value per output: an array, or with one output a single value.
  std::vector<literal> values(const json::value& jv, const decision_table& t, std::string_view what) {
    const std::size_t n = t.outputs.size();
    const std::string outputs = name_list(t.outputs, [](const table_output& o) { return o.id; });
    std::vector<literal> out;
    if (!jv.is_array()) {
      if (n != 1)
        fail("expected an array of " + count(n, "value") + ", one per output (" + outputs + "), found " +
             describe_found(jv));
      out.push_back(codec_.read_literal(jv, &output_fields_[0]));
      return out;
    }
    const auto& items = jv.get_array();
    if (items.size() != n)
      fail(std::string(what) + " gives " + count(items.size(), "value") + " for " + count(n, "output") + " (" +
           outputs + ")");
    for (std::size_t k = 0; k < n; ++k)
      out.push_back(read_at(index_token(k), [&] { return codec_.read_literal(items[k], &output_fields_[k]); }));
    return out;
  }

  table_cell cell(const json::value& jv, const field* input) const {
    table_cell c;
    if (jv.is_string() && jv.get_string() == "-") return c;
    const json::object* object = jv.if_object();
    if (!object || object->contains("parameter")) {
      c.what = table_cell::kind::compare;
      c.values.push_back(codec_.read_literal(jv, input));
      return c;
    }
    if (object->size() == 1) {
      const std::string_view key = object->begin()->key();
      const json::value& value = object->begin()->value();
      if (key == "between") {
        c.what = table_cell::kind::between;
        c.values = list(value, key, input, "[low, high]");
        if (c.values.size() != 2)
          fail("expected [low, high], found " + count(c.values.size(), "value"), pointer_token(key));
        return c;
      }
      if (key == "in" || key == "not_in") {
        c.what = key == "in" ? table_cell::kind::in : table_cell::kind::not_in;
        c.values = list(value, key, input, "an array of values");
        if (c.values.empty()) fail("expected at least one value", pointer_token(key));
        return c;
      }
      if (const auto op = comparison_of(key)) {
        c.what = table_cell::kind::compare;
        c.op = *op;
        c.values.push_back(read_at(pointer_token(key), [&] { return codec_.read_literal(value, input); }));
        return c;
      }
    }
    if (object->size() == 2) {
      const json::key_value_pair* lower = nullptr;
      const json::key_value_pair* upper = nullptr;
      for (const auto& member : *object)
        if (const auto op = comparison_of(member.key())) {
          if (is_lower(*op)) lower = &member;
          if (is_upper(*op)) upper = &member;
        }
      if (lower && upper) {
        c.what = table_cell::kind::compare;
        c.op = *comparison_of(lower->key());
        c.second = *comparison_of(upper->key());
        for (const auto* bound : {lower, upper})
          c.values.push_back(
              read_at(pointer_token(bound->key()), [&] { return codec_.read_literal(bound->value(), input); }));
        return c;
      }
    }
    fail(std::string(cell_forms) + "; found " + json::serialize(jv));
  }

  std::vector<literal> list(const json::value& jv, std::string_view key, const field* input,
                            std::string_view what) const {
    return read_at(pointer_token(key), [&] {
      const auto& items = expect_array(jv, what);
      std::vector<literal> out;
      for (std::size_t i = 0; i < items.size(); ++i)
        out.push_back(read_at(index_token(i), [&] { return codec_.read_literal(items[i], input); }));
      return out;
    });
  }

  static std::string count(std::size_t n, std::string_view noun) {
    return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
  }

  const derived_codec& codec_;
  std::span<const field> known_;
  std::vector<const field*> input_fields_;
  std::vector<field> output_fields_;
};

struct writer {
  const derived_codec& codec;

  json::value value(const table_cell& c, std::size_t i) const {
    return i < c.values.size() ? codec.write_literal(c.values[i]) : json::value();
  }

  json::array all(const std::vector<literal>& values) const {
    json::array out;
    for (const auto& v : values)
      out.push_back(codec.write_literal(v));
    return out;
  }

  json::value cell(const table_cell& c) const {
    switch (c.what) {
    case table_cell::kind::any: return "-";
    case table_cell::kind::between: return json::object{{"between", json::array{value(c, 0), value(c, 1)}}};
    case table_cell::kind::in: return json::object{{"in", all(c.values)}};
    case table_cell::kind::not_in: return json::object{{"not_in", all(c.values)}};
    case table_cell::kind::compare: break;
    }
    if (!c.second) {
      const auto* text = c.values.empty() ? nullptr : std::get_if<std::string>(&c.values[0]);
      // A constant stands for "=", but the string "-" would read as any value.
      if (c.op == comparison::eq && !(text && *text == "-")) return value(c, 0);
      return json::object{{symbol(c.op), value(c, 0)}};
    }
    if (is_lower(c.op) && is_upper(*c.second))
      return json::object{{symbol(c.op), value(c, 0)}, {symbol(*c.second), value(c, 1)}};
    if (is_upper(c.op) && is_lower(*c.second))
      return json::object{{symbol(*c.second), value(c, 1)}, {symbol(c.op), value(c, 0)}};
    throw error(errc::invalid_syntax, "a cell's two comparisons (" + std::string(symbol(c.op)) + " and " +
                                          std::string(symbol(*c.second)) +
                                          ") have no JSON form: they are a lower bound (> or >=) and an upper "
                                          "bound (< or <=)");
  }

  // One value per output: with one output the value itself.
  json::value values(const std::vector<literal>& values, const decision_table& t) const {
    if (t.outputs.size() == 1 && values.size() == 1) return codec.write_literal(values[0]);
    return all(values);
  }
};

} // namespace

decision_table table_from(const json::value& jv, const derived_codec& codec, std::span<const field> known) {
  return reader(codec, known).read(jv);
}

json::value to_json(const decision_table& t, const derived_codec& codec) {
  const writer w{codec};
  json::object out{{"id", t.id}, {"label", t.label}, {"citation", t.citation}};
  out["hit_policy"] = name_of(policy_names, t.policy);
  if (t.aggregate != aggregation::none) out["aggregation"] = name_of(aggregation_names, t.aggregate);
  json::array inputs;
  for (const auto& in : t.inputs)
    if (in.label.empty())
      inputs.emplace_back(in.name);
    else
      inputs.push_back(json::object{{"name", in.name}, {"label", in.label}});
  out["inputs"] = std::move(inputs);
  json::array outputs;
  for (const auto& o : t.outputs) {
    json::object output{{"id", o.id}, {"type", type_name(o.type)}};
    if (!o.priority.empty()) output["priority"] = w.all(o.priority);
    outputs.push_back(std::move(output));
  }
  out["outputs"] = std::move(outputs);
  json::array rows;
  for (const auto& r : t.rows) {
    json::array when;
    for (const auto& c : r.when)
      when.push_back(w.cell(c));
    json::object row{{"when", std::move(when)}, {"then", w.values(r.then, t)}};
    if (!r.id.empty()) row["id"] = r.id;
    if (!r.citation.empty()) row["citation"] = r.citation;
    rows.push_back(std::move(row));
  }
  out["rows"] = std::move(rows);
  if (t.otherwise) out["otherwise"] = w.values(*t.otherwise, t);
  return out;
}

} // namespace entitle::detail
