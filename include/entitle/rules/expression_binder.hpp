#pragma once

#include <entitle/core/error.hpp>
#include <entitle/rules/bound_expression.hpp>
#include <entitle/rules/decision_table.hpp>
#include <entitle/rules/derived.hpp>
#include <entitle/rules/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace entitle::detail {

/// Binds a policy's derived values for the rule binder (`Binder`, see bound_rules.hpp), whose
/// slots, constants and conditions it uses: each value's expression becomes nodes of
/// `bound_rules::exprs`, type-checked, with constants read as the type their place needs. A
/// derived value read by another is bound first, so that a loop is found and named.
template <class Binder>
class expression_binder {
public:
  expression_binder(Binder& binder, auto& out, std::span<const derived_value> derived,
                    std::span<const decision_table> tables)
      : b_(binder), out_(out), derived_(derived), tables_(tables) {}

  void bind_all() {
    if (derived_.empty() && tables_.empty()) return;
    declare();
    declare_tables();
    state_.assign(derived_.size(), state::unbound);
    b_.find_derived_ = [this](const std::string& name, const std::string& where) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < derived_.size(); ++i)
        if (derived_[i].declared.name == name) {
          ensure(i, where);
          return out_.facts.size() + i;
        }
      return std::nullopt;
    };
    for (std::size_t i = 0; i < derived_.size(); ++i)
      ensure(i, out_.derived[i].location);
    for (std::size_t j = 0; j < tables_.size(); ++j)
      ensure_table(j);
    b_.find_derived_ = nullptr;
  }

private:
  enum class state : unsigned char { unbound, binding, bound };

  [[noreturn]] void fail(std::string message, const std::string& where) const {
    Binder::fail(errc::invalid_syntax, std::move(message), where);
  }

  // Each declaration: an id no fact and no other derived value has, a label, a citation.
  void declare() {
    if (derived_.empty()) return;
    if (derived_.size() > max_derived_values)
      Binder::fail(errc::out_of_range, "a policy has at most " + std::to_string(max_derived_values) + " derived values",
                   "/derived");
    if (out_.facts.size() == 0)
      fail("derived values are worked out from facts; declare the facts they read", "/derived");
    if (out_.facts.size() + derived_.size() > 0xFFFF)
      Binder::fail(errc::out_of_range, "too many facts and derived values for one policy", "/derived");
    for (std::size_t i = 0; i < derived_.size(); ++i) {
      const derived_value& d = derived_[i];
      const std::string where = "/derived/" + std::to_string(i);
      const std::string& id = d.declared.name;
      if (id.empty()) fail("a derived value needs an \"id\"", where);
      if (out_.facts.find(id))
        fail("the derived value " + detail::quoted(id) + " has the name of a fact; give it another", where + "/id");
      for (std::size_t j = 0; j < i; ++j)
        if (derived_[j].declared.name == id)
          fail("the derived value id " + detail::quoted(id) + " is used twice", where + "/id");
      if (d.label.empty()) fail("the derived value " + detail::quoted(id) + " needs a \"label\"", where);
      if (d.citation.empty())
        fail("the derived value " + detail::quoted(id) + " needs a \"citation\": the regulation and article", where);
      out_.derived.push_back({d.declared, d.label, d.citation, where, 0});
    }
  }

  void ensure(std::size_t i, const std::string& where) {
    if (state_[i] == state::bound) return;
    if (state_[i] == state::binding) {
      std::string chain;
      bool in_loop = false;
      for (const std::size_t step : stack_) {
        in_loop = in_loop || step == i;
        if (in_loop) chain += detail::quoted(derived_[step].declared.name) + " -> ";
      }
      fail("the derived values read each other in a loop: " + chain + detail::quoted(derived_[i].declared.name), where);
    }
    if (stack_.size() >= max_expression_depth)
      Binder::fail(errc::out_of_range,
                   "derived values read each other more than " + std::to_string(max_expression_depth) + " deep", where);
    state_[i] = state::binding;
    stack_.push_back(i);
    const derived_value& d = derived_[i];
    const std::string here = out_.derived[i].location + "/value";
    const std::uint32_t root = bind(d.value, &d.declared, here, 0);
    check_type(out_.exprs[root], d.declared, here);
    out_.derived[i].root = root;
    stack_.pop_back();
    state_[i] = state::bound;
  }

  // The value of an expression must have its declaration's type (an enum: the same values).
  void check_type(const bound_expr& e, const field& declared, const std::string& where) const {
    if (e.type == declared.type && (e.type != fact_type::enumeration || e.op != expr_op::value ||
                                    out_.field_at(e.slot).enumerators == declared.enumerators))
      return;
    fail("the derived value " + detail::quoted(declared.name) + " is declared " +
             std::string(type_name(declared.type)) + " but its value is " + std::string(type_name(e.type)) +
             (e.type == declared.type ? " with other values" : ""),
         where);
  }

  std::uint32_t push(bound_expr e, const std::vector<std::uint32_t>& children = {}) {
    e.first = static_cast<std::uint32_t>(out_.expr_children.size());
    e.count = static_cast<std::uint32_t>(children.size());
    out_.expr_children.insert(out_.expr_children.end(), children.begin(), children.end());
    out_.exprs.push_back(e);
    return static_cast<std::uint32_t>(out_.exprs.size() - 1);
  }

  // `want`: the field the value is read against where a constant needs a type (null where the
  // place does not say); `where`: the expression's JSON pointer.
  std::uint32_t bind(const expression& e, const field* want, const std::string& where, std::size_t depth) {
    if (depth >= max_expression_depth)
      Binder::fail(errc::out_of_range,
                   "expressions nest deeper than " + std::to_string(max_expression_depth) + " levels", where);
    return std::visit([&](const auto& kind) { return bind_kind(kind, want, where, depth); }, e.node);
  }

  std::uint32_t bind_kind(const expr::named& n, const field*, const std::string& where, std::size_t) {
    bound_expr out;
    out.op = expr_op::value;
    out.slot = b_.resolve(subject{n.name, n.derive, money()}, where);
    out.derive = n.derive;
    out.type = n.derive == derivation::value ? out_.field_at(out.slot).type : fact_type::integer;
    return push(out);
  }

  std::uint32_t bind_kind(const expr::constant& c, const field* want, const std::string& where, std::size_t) {
    if (!want) fail("a constant alone says nothing here; compare it with a fact or give the place a type", where);
    bound_expr out;
    out.type = want->type;
    out.value = b_.constant(*want, c.value, where);
    return push(out);
  }

  // Children of one ordered type, at `where`/`name`/k: the others are bound first, so that a
  // constant among them is read as their type.
  std::vector<std::uint32_t> same_type(const std::vector<expression>& of, const field* want, const std::string& where,
                                       const std::string& name, std::size_t depth) {
    const std::string key = where + "/" + name;
    std::vector<std::uint32_t> children(of.size());
    std::optional<field> common;
    for (std::size_t k = 0; k < of.size(); ++k)
      if (!std::holds_alternative<expr::constant>(of[k].node)) {
        children[k] = bind(of[k], want, key + "/" + std::to_string(k), depth + 1);
        const fact_type t = out_.exprs[children[k]].type;
        if (!common) common = field(want ? want->name : name, t, {}, false);
        if (t != common->type)
          fail("the values of \"" + name + "\" have one type; this is " + std::string(type_name(t)) +
                   " and an earlier one " + std::string(type_name(common->type)),
               key + "/" + std::to_string(k));
      }
    if (!common && want) common = field(want->name, want->type, {}, false);
    if (!common) fail("give at least one value that is not a constant", key);
    if (!is_ordered(common->type))
      fail("\"" + name + "\" needs ordered values (integer, money, rate, date or month); these are " +
               std::string(type_name(common->type)),
           key);
    for (std::size_t k = 0; k < of.size(); ++k)
      if (std::holds_alternative<expr::constant>(of[k].node))
        children[k] = bind(of[k], &*common, key + "/" + std::to_string(k), depth + 1);
    return children;
  }

  std::uint32_t bind_kind(const expr::extreme& x, const field* want, const std::string& where, std::size_t depth) {
    const std::string name = x.greatest ? "max" : "min";
    if (x.of.size() < 2) fail("\"" + name + "\" takes two or more values", where + "/" + name);
    const auto children = same_type(x.of, want, where, name, depth);
    bound_expr out;
    out.op = x.greatest ? expr_op::greatest : expr_op::least;
    out.type = out_.exprs[children[0]].type;
    return push(out, children);
  }

  std::uint32_t bind_kind(const expr::clamp& c, const field* want, const std::string& where, std::size_t depth) {
    if (c.of.size() != 3) fail("\"clamp\" takes three values: [value, low, high]", where + "/clamp");
    const auto children = same_type(c.of, want, where, "clamp", depth);
    bound_expr out;
    out.op = expr_op::clamp;
    out.type = out_.exprs[children[0]].type;
    return push(out, children);
  }

  std::uint32_t bind_kind(const expr::bracket& k, const field* want, const std::string& where, std::size_t depth) {
    if (k.of.size() != 1) fail("\"bracket\" looks up one value", where + "/bracket");
    const std::uint32_t input = bind(k.of[0], nullptr, where + "/bracket", depth + 1);
    const fact_type type = out_.exprs[input].type;
    if (!is_ordered(type))
      fail("\"bracket\" looks up an ordered value (integer, money, rate, date or month); this is " +
               std::string(type_name(type)),
           where + "/bracket");
    if (!want) fail("a bracket's values need a type: declare the derived value's \"type\"", where);
    if (k.up_to.empty() || k.up_to.size() != k.values.size())
      fail("\"steps\" needs at least one {\"up_to\": ..., \"value\": ...}", where + "/steps");
    const field input_field("bracket", type, {}, false);
    bound_expr out;
    out.op = expr_op::bracket;
    out.type = want->type;
    out.has_above = !k.above.empty();
    out.value = static_cast<std::int64_t>(out_.numbers.size());
    std::vector<std::int64_t> numbers;
    for (std::size_t s = 0; s < k.up_to.size(); ++s) {
      const std::string step = where + "/steps/" + std::to_string(s);
      numbers.push_back(b_.constant(input_field, k.up_to[s], step + "/up_to"));
      if (s > 0 && numbers[s] <= numbers[s - 1]) fail("the steps' \"up_to\" must increase", step + "/up_to");
    }
    for (std::size_t s = 0; s < k.values.size(); ++s)
      numbers.push_back(b_.constant(*want, k.values[s], where + "/steps/" + std::to_string(s) + "/value"));
    if (out.has_above) numbers.push_back(b_.constant(*want, k.above[0], where + "/above"));
    out.value = static_cast<std::int64_t>(out_.numbers.size());
    out_.numbers.insert(out_.numbers.end(), numbers.begin(), numbers.end());
    const std::uint32_t index = push(out, {input});
    out_.exprs[index].count = static_cast<std::uint32_t>(k.up_to.size()); // steps; the input is `first`
    return index;
  }

  // A condition inside a derived value: it may not refer to a rule, since rules are decided from
  // the derived values.
  std::uint32_t bind_test(const std::vector<condition>& when, const std::string& where, std::size_t depth) {
    if (when.size() != 1) fail("expected one condition", where);
    refuse_rules(when[0], where);
    return b_.bind_condition(when[0], where, depth + 1);
  }

  void refuse_rules(const condition& c, const std::string& where) const {
    if (c.what == condition::kind::rule)
      fail("a derived value's condition cannot refer to a rule (" + detail::quoted(c.rule) +
               "); test the facts, or rank and output the rule itself",
           where);
    for (const condition& child : c.children)
      refuse_rules(child, where);
  }

  std::uint32_t bind_kind(const expr::test& t, const field*, const std::string& where, std::size_t depth) {
    bound_expr out;
    out.op = expr_op::test;
    out.type = fact_type::boolean;
    out.value = bind_test(t.when, where + "/when", depth);
    return push(out);
  }

  std::uint32_t bind_kind(const expr::choose& c, const field* want, const std::string& where, std::size_t depth) {
    if (c.of.size() != 2) fail("\"if\" needs \"then\" and \"else\"", where);
    bound_expr out;
    out.op = expr_op::choose;
    out.value = bind_test(c.when, where + "/if", depth);
    const std::uint32_t then = bind(c.of[0], want, where + "/then", depth + 1);
    const fact_type type = out_.exprs[then].type;
    const field then_field = want && want->type == type ? *want : field("then", type, {}, false);
    const std::uint32_t otherwise = bind(c.of[1], &then_field, where + "/else", depth + 1);
    if (out_.exprs[otherwise].type != type)
      fail("\"then\" is " + std::string(type_name(type)) + " but \"else\" is " +
               std::string(type_name(out_.exprs[otherwise].type)) + ": both give one type",
           where + "/else");
    out.type = type;
    return push(out, {then, otherwise});
  }

  // Tables: ids unique; each bound once, when first read, so that its inputs may be derived values.
  void declare_tables() {
    for (std::size_t j = 0; j < tables_.size(); ++j) {
      const std::string& id = tables_[j].id;
      for (std::size_t k = 0; k < j; ++k)
        if (tables_[k].id == id && !id.empty())
          fail("the table id " + detail::quoted(id) + " is used twice", "/tables/" + std::to_string(j) + "/id");
    }
    table_slot_.assign(tables_.size(), unbound_table);
    out_.tables.resize(tables_.size());
  }

  static constexpr std::uint32_t unbound_table = 0xFFFF'FFFF, binding_table = 0xFFFF'FFFE;

  // Binds table `j` if it is not yet; its inputs are facts or derived values, by name.
  void ensure_table(std::size_t j) {
    if (table_slot_[j] != unbound_table && table_slot_[j] != binding_table) return;
    const decision_table& t = tables_[j];
    const std::string where = "/tables/" + std::to_string(j);
    if (table_slot_[j] == binding_table)
      fail("the table " + detail::quoted(t.id) + " reads itself through its inputs", where + "/inputs");
    table_slot_[j] = binding_table;
    std::vector<field> fields;
    for (std::size_t i = 0; i < t.inputs.size(); ++i) {
      const std::string here = where + "/inputs/" + std::to_string(i);
      if (t.inputs[i].name.empty()) fail("a table's input names a fact or a derived value", here);
      for (std::size_t d = 0; d < derived_.size(); ++d)
        if (derived_[d].declared.name == t.inputs[i].name && state_[d] == state::binding)
          fail("the table " + detail::quoted(t.id) + " reads " + detail::quoted(t.inputs[i].name) +
                   ", which reads the table: a loop",
               here);
      fields.push_back(out_.field_at(b_.resolve_name(t.inputs[i].name, here)));
    }
    out_.tables[j] = bind_table(t, fields, where, b_.parameters_);
    table_slot_[j] = static_cast<std::uint32_t>(j);
  }

  // The table's output read as one value: a single-hit policy's row (or `otherwise`), or a
  // collect's aggregate. Its inputs are bound as children, in input order.
  std::uint32_t bind_kind(const expr::table& t, const field*, const std::string& where, std::size_t) {
    std::size_t j = 0;
    while (j < tables_.size() && tables_[j].id != t.id)
      ++j;
    if (j == tables_.size())
      fail("no decision table is called " + detail::quoted(t.id) +
               (tables_.empty()
                    ? std::string("; the policy declares no \"tables\"")
                    : "; the tables are " +
                          name_list(tables_, [](const decision_table& x) -> const std::string& { return x.id; })),
           where + "/table");
    ensure_table(j);
    const decision_table& table = tables_[j];
    const bound_table& bound = out_.tables[j];
    std::size_t k = 0;
    if (t.output.empty()) {
      if (table.outputs.size() != 1)
        fail("the table " + detail::quoted(t.id) + " has " + std::to_string(table.outputs.size()) +
                 " outputs; name the one read with \"output\"",
             where);
    } else {
      while (k < table.outputs.size() && table.outputs[k].id != t.output)
        ++k;
      if (k == table.outputs.size())
        fail("the table " + detail::quoted(t.id) + " has no output " + detail::quoted(t.output) + "; its outputs are " +
                 name_list(table.outputs, [](const table_output& o) -> const std::string& { return o.id; }),
             where + "/output");
    }
    const bool aggregated = bound.policy == hit_policy::collect && bound.aggregate != aggregation::none;
    if (!aggregated && (bound.policy == hit_policy::rule_order || bound.policy == hit_policy::output_order ||
                        bound.policy == hit_policy::collect))
      fail("the table " + detail::quoted(t.id) +
               " gives every matching row (its hit policy); a value is one: read a table whose hit policy is "
               "unique, any, priority or first, or collect with an \"aggregation\" (sum, min, max, count)",
           where + "/table");
    std::vector<std::uint32_t> inputs;
    for (std::size_t i = 0; i < table.inputs.size(); ++i) {
      bound_expr input;
      input.op = expr_op::value;
      input.slot = b_.resolve_name(table.inputs[i].name, where);
      input.type = out_.field_at(input.slot).type;
      inputs.push_back(push(direct(input)));
    }
    bound_expr out;
    out.op = expr_op::table;
    out.value = static_cast<std::int64_t>(j);
    out.slot = static_cast<std::uint16_t>(k);
    out.type = aggregated && bound.aggregate == aggregation::count ? fact_type::integer : table.outputs[k].type;
    return push(out, inputs);
  }

  // A read of a derived value that is a fact, an age or a count of months, as the read of that
  // fact: the same value, without going through the derived value at each evaluation.
  bound_expr direct(bound_expr read) const {
    if (!out_.is_derived(read.slot)) return read;
    const bound_expr& root = out_.exprs[out_.derived[read.slot - out_.facts.size()].root];
    if (root.op != expr_op::value || out_.is_derived(root.slot)) return read;
    read.slot = root.slot;
    read.derive = root.derive;
    return read;
  }

  Binder& b_;
  decltype(std::declval<Binder&>().out_)& out_;
  std::span<const derived_value> derived_;
  std::span<const decision_table> tables_;
  std::vector<std::uint32_t> table_slot_; ///< per table: bound (its index), unbound or binding
  std::vector<state> state_;
  std::vector<std::size_t> stack_;
};

} // namespace entitle::detail
