#pragma once

#include <entitle/core/error.hpp>
#include <entitle/rules/bound_expression.hpp>
#include <entitle/rules/condition.hpp>
#include <entitle/rules/decision_table.hpp>
#include <entitle/rules/derived.hpp>
#include <entitle/rules/expression_binder.hpp>
#include <entitle/rules/literal.hpp>
#include <entitle/rules/parameter.hpp>
#include <entitle/rules/rule.hpp>
#include <entitle/rules/schema.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace entitle {

/// The most requirements one requirement list may have (a decision's failing requirements are a
/// 64-bit set, so that it never allocates).
inline constexpr std::size_t max_requirements = 64;
/// The deepest a condition may nest (all inside any inside not ...), so that evaluation's
/// recursion is bounded.
inline constexpr std::size_t max_condition_depth = 32;
/// The longest chain of rule references (a rule that refers to a rule that refers to ...), so
/// that evaluation's recursion is bounded.
inline constexpr std::uint32_t max_reference_depth = 64;
/// The most tests one rule may take to decide once its rule references are followed, so that a
/// small policy whose rules refer to each other many times over cannot take exponential time.
inline constexpr std::uint64_t max_evaluation_size = 100'000;

/// What a leaf test does, decided once at binding from its kind, type and operator, so that
/// evaluation branches once per test.
enum class leaf_op : unsigned char {
  composite, ///< all, any, not or a rule reference: not a leaf
  present,
  missing,
  eq,
  ne,
  lt,
  le,
  gt,
  ge, ///< a number against the constant in `low`
  eq_text,
  ne_text, ///< a string against `texts[low]`
  facts,   ///< against another fact (`other_slot`), any operator
  in_numbers,
  in_texts,
  between,
  digits,
  length,
  starts_with,
  derived,      ///< a test on a derived number (age, months since): compare, in or between
  in_small,     ///< `in` a set of numbers from 0 to 63, as the bit mask in `high`
  starts_short, ///< `starts_with` prefixes of at most 8 bytes, as (word, mask) pairs in `numbers` from `low`
  local,        ///< a test on a derived value: node `first` tests slot 0 (the value in slot `low`) and 1 (`high`'s)
};

/// One condition of a bound rule, with names resolved to slots and constants to compiled values.
struct bound_node {
  condition::kind what = condition::kind::all;
  leaf_op code = leaf_op::composite;
  comparison op = comparison::eq;
  derivation derive = derivation::value;       ///< of the subject
  derivation other_derive = derivation::value; ///< of the other fact, when comparing two facts
  fact_type type = fact_type::boolean;         ///< what the subject evaluates to (derived: integer)
  bool against_fact = false;                   ///< compare with the fact in `other_slot`
  std::uint16_t slot = 0;                      ///< the subject's fact
  std::uint16_t other_slot = 0;
  std::uint32_t first = 0; ///< all/any/not: first child in `child_index`; in/starts_with: first constant
  std::uint32_t count = 0; ///< how many children or constants
  /// compare: the constant (a number, or an index into `texts` for strings); between: the low
  /// end; digits/length: the count; rule: the rule's index.
  std::int64_t low = 0;
  std::int64_t high = 0; ///< between: the high end

  friend bool operator==(const bound_node&, const bound_node&) = default;
};

/// A rule with its condition bound, or its requirement list resolved to rule indexes.
struct bound_rule {
  std::string id;
  std::string label;
  std::string reason;
  std::string citation;
  std::string reason_unknown;              ///< reported when the rule is unknown; may be empty
  std::string location;                    ///< JSON pointer of the rule in its policy: "/rules/3/requirements/1"
  std::optional<std::uint32_t> root;       ///< a condition rule's first node
  std::vector<std::uint32_t> requirements; ///< a requirement list's rules, in order

  friend bool operator==(const bound_rule&, const bound_rule&) = default;
};

/// Where evaluation finds a rule: its condition's node, or its requirements in
/// `bound_rules::requirement_index`. Kept apart from `bound_rule`'s text so that the hot path
/// reads only these few bytes.
struct rule_entry {
  std::uint32_t root = 0;  ///< a condition rule's node
  std::uint32_t first = 0; ///< a requirement list's first entry in `requirement_index`
  std::uint32_t count = 0; ///< its number of requirements; 0 for a condition rule
  friend bool operator==(const rule_entry&, const rule_entry&) = default;
};

/// Rules bound to a schema: every fact a slot, every constant a compiled value, every rule
/// reference an index, checked for cycles. Immutable once made; evaluation reads it only.
struct bound_rules {
  schema facts;
  std::vector<bound_rule> rules;
  std::vector<rule_entry> table; ///< one per rule, in the same order
  std::vector<std::uint32_t> requirement_index;
  /// Beside each entry of `requirement_index`: the root node of that requirement when it is a
  /// condition rule, `no_root` when it is a list, so that deciding reaches it in one load.
  std::vector<std::uint32_t> requirement_root;
  static constexpr std::uint32_t no_root = 0xFFFF'FFFF;
  std::vector<bound_node> nodes;
  std::vector<std::uint32_t> child_index;
  std::vector<std::int64_t> numbers;  ///< numeric constants of `in` conditions
  std::vector<std::string> texts;     ///< string constants of =, !=, in and starts_with
  std::vector<bound_derived> derived; ///< slot `facts.size()` + i
  std::vector<bound_expr> exprs;
  std::vector<std::uint32_t> expr_children;
  std::vector<bound_table> tables; ///< the policy's decision tables, in declaration order

  /// The index of the decision table called `id`.
  [[nodiscard]] std::optional<std::size_t> find_table(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < tables.size(); ++i)
      if (tables[i].id == id) return i;
    return std::nullopt;
  }

  /// The field of `slot`: a fact's, or a derived value's past the facts.
  [[nodiscard]] const field& field_at(std::size_t slot) const {
    return slot < facts.size() ? facts.at(slot) : derived.at(slot - facts.size()).declared;
  }
  /// The slot of the fact or derived value called `name`.
  [[nodiscard]] std::optional<std::size_t> find_value(std::string_view name) const noexcept {
    if (const auto slot = facts.find(name)) return slot;
    for (std::size_t i = 0; i < derived.size(); ++i)
      if (derived[i].declared.name == name) return facts.size() + i;
    return std::nullopt;
  }
  /// True when `slot` is a derived value's.
  [[nodiscard]] bool is_derived(std::size_t slot) const noexcept { return slot >= facts.size(); }

  /// The index of the rule called `id`.
  [[nodiscard]] std::optional<std::size_t> find(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < rules.size(); ++i)
      if (rules[i].id == id) return i;
    return std::nullopt;
  }

  friend bool operator==(const bound_rules&, const bound_rules&) = default;
};

namespace detail {

class binder {
public:
  binder(const schema& facts, std::string prefix, std::span<const parameter> parameters,
         std::span<const derived_value> derived, std::span<const decision_table> tables)
      : prefix_(std::move(prefix)), parameters_(parameters), derived_(derived), tables_(tables) {
    out_.facts = facts;
  }

  bound_rules bind(const std::vector<rule>& rules) {
    check_parameters();
    for (std::size_t i = 0; i < rules.size(); ++i)
      declare(rules[i], prefix_ + "/" + std::to_string(i), true);
    expression_binder<binder>(*this, out_, derived_, tables_).bind_all();
    for (auto& [source, index] : declared_)
      bind_rule(*source, index);
    check_references();
    for (const auto& r : out_.rules) {
      rule_entry entry;
      if (r.root) {
        entry.root = *r.root;
      } else {
        entry.first = static_cast<std::uint32_t>(out_.requirement_index.size());
        entry.count = static_cast<std::uint32_t>(r.requirements.size());
        out_.requirement_index.insert(out_.requirement_index.end(), r.requirements.begin(), r.requirements.end());
        for (const std::uint32_t requirement : r.requirements) {
          const auto& root = out_.rules[requirement].root;
          out_.requirement_root.push_back(root ? *root : bound_rules::no_root);
        }
      }
      out_.table.push_back(entry);
    }
    return std::move(out_);
  }

private:
  template <class>
  friend class expression_binder;

  [[noreturn]] static void fail(errc code, std::string message, std::string where) {
    throw error(failure(code, std::move(message), std::move(where)));
  }

  // Gives every rule (top level and inline requirement) an index, in document order.
  void declare(const rule& r, const std::string& where, bool top_level) {
    if (r.is_reference()) {
      if (top_level) fail(errc::invalid_syntax, "a rule needs \"when\" or \"requirements\"", where);
      return;
    }
    if (r.id.empty()) fail(errc::invalid_syntax, "a rule needs an \"id\"", where);
    if (ids_.contains(r.id)) fail(errc::invalid_syntax, "the rule id \"" + r.id + "\" is used twice", where + "/id");
    if (r.label.empty()) fail(errc::invalid_syntax, "the rule \"" + r.id + "\" needs a \"label\"", where);
    if (r.reason.empty())
      fail(errc::invalid_syntax, "the rule \"" + r.id + "\" needs a \"reason\" code, reported when it fails", where);
    if (r.citation.empty())
      fail(errc::invalid_syntax, "the rule \"" + r.id + "\" needs a \"citation\": the regulation and article", where);
    if (r.when && !r.requirements.empty())
      fail(errc::invalid_syntax, "the rule \"" + r.id + "\" has both \"when\" and \"requirements\"; give one", where);
    if (!r.when && r.requirements.empty())
      fail(errc::invalid_syntax, "the rule \"" + r.id + "\" needs \"when\" or \"requirements\"", where);
    if (r.requirements.size() > max_requirements)
      fail(errc::out_of_range,
           "the rule \"" + r.id + "\" has " + std::to_string(r.requirements.size()) + " requirements; at most " +
               std::to_string(max_requirements) + " are allowed",
           where + "/requirements");
    const auto index = static_cast<std::uint32_t>(out_.rules.size());
    ids_.emplace(r.id, index);
    out_.rules.push_back({r.id, r.label, r.reason, r.citation, r.reason_unknown, where, std::nullopt, {}});
    declared_.emplace_back(&r, index);
    for (std::size_t j = 0; j < r.requirements.size(); ++j)
      declare(r.requirements[j], where + "/requirements/" + std::to_string(j), false);
  }

  void bind_rule(const rule& r, std::uint32_t index) {
    const std::string where = out_.rules[index].location;
    if (r.when) {
      const std::uint32_t root = bind_condition(*r.when, where + "/when", 0);
      out_.rules[index].root = root;
      return;
    }
    std::vector<std::uint32_t> requirements;
    for (std::size_t j = 0; j < r.requirements.size(); ++j) {
      const rule& requirement = r.requirements[j];
      const std::string here = where + "/requirements/" + std::to_string(j);
      const auto target = find_rule(requirement.id);
      if (!target)
        fail(errc::invalid_syntax, unknown_rule(requirement.id), requirement.is_reference() ? here : here + "/id");
      requirements.push_back(static_cast<std::uint32_t>(*target));
    }
    out_.rules[index].requirements = std::move(requirements);
  }

  std::string unknown_rule(const std::string& id) const {
    return "no rule is called " + detail::quoted(id) + "; the rules are " +
           name_list(out_.rules, [](const bound_rule& r) -> const std::string& { return r.id; });
  }

  std::string unknown_value(const std::string& name) const {
    return "no fact is called " + detail::quoted(name) + "; the facts are " +
           name_list(out_.facts.fields(), [](const field& f) -> const std::string& { return f.name; }) +
           (out_.derived.empty() ? std::string()
                                 : "; the derived values are " +
                                       name_list(out_.derived, [](const bound_derived& d) -> const std::string& {
                                         return d.declared.name;
                                       }));
  }

  // The slot of the fact or derived value `name`, written at `where` (a table's input).
  std::uint16_t resolve_name(const std::string& name, const std::string& where) {
    const auto slot = find_value(name, where);
    if (!slot) fail(errc::invalid_syntax, unknown_value(name), where);
    return static_cast<std::uint16_t>(*slot);
  }

  std::uint16_t resolve(const subject& about, const std::string& where) {
    const char* key = about.derive == derivation::age_in_years   ? "/age_of"
                      : about.derive == derivation::months_since ? "/months_since"
                                                                 : "/fact";
    const auto slot = find_value(about.fact, where + key);
    if (!slot) fail(errc::invalid_syntax, unknown_value(about.fact), where + key);
    if (about.derive == derivation::rounded_up) {
      if (out_.field_at(*slot).type != fact_type::money)
        fail(errc::invalid_syntax,
             "round_up_to needs a money fact; " + detail::quoted(about.fact) + " is " +
                 std::string(type_name(out_.field_at(*slot).type)),
             where + "/round_up_to");
      if (about.unit <= money())
        fail(errc::invalid_syntax, "round_up_to takes a positive amount", where + "/round_up_to");
    } else if (about.derive != derivation::value && !is_calendar(out_.field_at(*slot).type))
      fail(errc::invalid_syntax,
           std::string(key + 1) + " needs a date or month fact; " + detail::quoted(about.fact) + " is " +
               std::string(type_name(out_.field_at(*slot).type)),
           where + key);
    return static_cast<std::uint16_t>(*slot);
  }

  // The slot of a fact, or of a derived value (bound first if it is not yet), or nothing.
  std::optional<std::size_t> find_value(const std::string& name, const std::string& where) {
    if (const auto slot = out_.facts.find(name)) return slot;
    if (find_derived_) return find_derived_(name, where);
    return out_.find_value(name);
  }

  // Set by the expression binder while it binds derived values, so that a derived value read
  // before its own turn is bound then (and a loop is found).
  std::function<std::optional<std::size_t>(const std::string&, const std::string&)> find_derived_;

  // The type a subject evaluates to: a derived age or month count is an integer.
  fact_type type_of(const subject& about, std::uint16_t slot) const {
    return about.derive == derivation::value || about.derive == derivation::rounded_up ? out_.field_at(slot).type
                                                                                       : fact_type::integer;
  }

  // The field a constant is read against: the fact's own, or an integer for derived subjects.
  field field_for(const subject& about, std::uint16_t slot) const {
    if (about.derive == derivation::value) return out_.field_at(slot);
    return field{about.derive == derivation::age_in_years ? "age_of(" + about.fact + ")"
                                                          : "months_since(" + about.fact + ")",
                 fact_type::integer,
                 {},
                 false};
  }

  // Each parameter: an id used once, a type a constant can have, and a value of that type.
  void check_parameters() const {
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
      const parameter& p = parameters_[i];
      const std::string where = "/parameters/" + std::to_string(i);
      if (p.id.empty()) fail(errc::invalid_syntax, "a parameter needs an \"id\"", where);
      for (std::size_t j = 0; j < i; ++j)
        if (parameters_[j].id == p.id)
          fail(errc::invalid_syntax, "the parameter id " + detail::quoted(p.id) + " is used twice", where + "/id");
      if (p.type == fact_type::enumeration)
        fail(errc::invalid_syntax,
             "a parameter is bool, integer, money, rate, date, month or string; one an enum fact compares with is "
             "a string naming one of its values",
             where + "/type");
      if (std::holds_alternative<parameter_ref>(p.value))
        fail(errc::invalid_syntax, "a parameter's value is a constant, not another parameter", where + "/value");
      const auto compiled = coerce(field(p.id, p.type), p.value);
      if (!compiled) fail(compiled.error().code, parameter_problem(p, compiled.error().message), where + "/value");
    }
  }

  // A message about a parameter's own value: "the parameter "income_limit": expected an amount
  // ...", without the "the money fact ..." that reading it as a fact's value puts first.
  static std::string parameter_problem(const parameter& p, const std::string& message) {
    const std::string lead = "the " + std::string(type_name(p.type)) + " fact " + detail::quoted(p.id) + ": ";
    return "the parameter " + detail::quoted(p.id) + ": " +
           (message.starts_with(lead) ? message.substr(lead.size()) : message);
  }

  // The value of the parameter `ref` stands for, where a constant of `f` is expected: the
  // parameter's type must be the fact's (a string for an enum fact).
  const literal& parameter_value_for(const field& f, const parameter_ref& ref, const std::string& where) const {
    const parameter* p = find_parameter(parameters_, ref.id);
    if (!p)
      fail(errc::invalid_syntax,
           "no parameter is called " + detail::quoted(ref.id) +
               (parameters_.empty()
                    ? std::string("; the policy declares no \"parameters\"")
                    : "; the parameters are " +
                          name_list(parameters_, [](const parameter& x) -> const std::string& { return x.id; })),
           where + "/parameter");
    const fact_type expected = f.type == fact_type::enumeration ? fact_type::string : f.type;
    if (p->type != expected)
      fail(errc::invalid_syntax,
           "the parameter " + detail::quoted(ref.id) + " is " + std::string(type_name(p->type)) + " but " +
               detail::quoted(f.name) + " is " + std::string(type_name(f.type)) +
               (f.type == fact_type::enumeration ? " (an enum fact compares with a string parameter)" : ""),
           where + "/parameter");
    return p->value;
  }

  // A constant compiled for `f`: its number, or for strings its index in `texts`. A parameter
  // stands for its value.
  std::int64_t constant(const field& f, const literal& value, const std::string& where) {
    if (const auto* ref = std::get_if<parameter_ref>(&value)) {
      auto compiled = coerce(f, parameter_value_for(f, *ref, where));
      if (!compiled)
        fail(compiled.error().code, "the parameter " + detail::quoted(ref->id) + ": " + compiled.error().message,
             where + "/parameter");
      return store(f, *compiled);
    }
    auto compiled = coerce(f, value);
    if (!compiled) fail(compiled.error().code, compiled.error().message, where);
    return store(f, *compiled);
  }

  std::uint32_t bind_condition(const condition& c, const std::string& where, std::size_t depth) {
    if (depth >= max_condition_depth)
      fail(errc::out_of_range, "conditions nest deeper than " + std::to_string(max_condition_depth) + " levels", where);
    if (const auto plain = through_plain_values(c, where)) return bind_condition(*plain, where, depth);
    bound_node node;
    node.what = c.what;
    using kind = condition::kind;
    switch (c.what) {
    case kind::all:
    case kind::any:
    case kind::negation: {
      const char* key = c.what == kind::all ? "/all" : c.what == kind::any ? "/any" : "/not";
      if (c.children.empty())
        fail(errc::invalid_syntax, std::string("\"") + (key + 1) + "\" needs at least one condition", where + key);
      if (c.what == kind::negation && c.children.size() != 1)
        fail(errc::invalid_syntax, "\"not\" takes exactly one condition", where + key);
      std::vector<std::uint32_t> children;
      for (std::size_t k = 0; k < c.children.size(); ++k)
        children.push_back(bind_condition(
            c.children[k], c.what == kind::negation ? where + key : where + key + "/" + std::to_string(k), depth + 1));
      node.first = static_cast<std::uint32_t>(out_.child_index.size());
      node.count = static_cast<std::uint32_t>(children.size());
      out_.child_index.insert(out_.child_index.end(), children.begin(), children.end());
      break;
    }
    case kind::if_missing: bind_if_missing(c, where, depth, node); break;
    case kind::rule: {
      const auto target = find_rule(c.rule);
      if (!target) fail(errc::invalid_syntax, unknown_rule(c.rule), where + "/rule");
      node.low = static_cast<std::int64_t>(*target);
      break;
    }
    case kind::present:
    case kind::missing:
      node.slot = resolve(c.about, where);
      node.derive = c.about.derive;
      break;
    case kind::compare: bind_compare(c, where, node); break;
    case kind::in_set: bind_in(c, where, node); break;
    case kind::between: bind_between(c, where, node); break;
    case kind::digits:
    case kind::length:
    case kind::starts_with: bind_string_test(c, where, node); break;
    }
    if (!c.about.fact.empty() && c.what != kind::all && c.what != kind::any && c.what != kind::negation &&
        c.what != kind::rule && c.what != kind::if_missing)
      node.type = type_of(c.about, node.slot);
    if (c.about.derive == derivation::rounded_up)
      fail(errc::invalid_syntax,
           "round_up_to rounds the fact a comparison is made with: {\"fact\": \"wage\", \"<=\": {\"fact\": "
           "\"regional_min_wage\", \"round_up_to\": \"Rp100.000\"}}",
           where);
    node.code = leaf_code(node);
    if (node.code != leaf_op::composite &&
        (out_.is_derived(node.slot) || (node.against_fact && out_.is_derived(node.other_slot))))
      return local_test(node);
    out_.nodes.push_back(node);
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  // A test on a derived value: the test itself reads slots 0 (the subject) and 1 (what it is
  // compared with) of a two-value array that evaluation fills, and the node evaluation reaches
  // says which values go there.
  std::uint32_t local_test(bound_node node) {
    bound_node inner = node;
    inner.slot = 0;
    inner.other_slot = 1;
    out_.nodes.push_back(inner);
    node.code = leaf_op::local;
    node.first = static_cast<std::uint32_t>(out_.nodes.size() - 1);
    node.count = 0;
    node.low = node.slot; // the values go in `low` and `high`, so that `slot` stays a fact's
    node.high = node.other_slot;
    node.slot = 0;
    node.other_slot = 0;
    out_.nodes.push_back(node);
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  // A test on a derived value that is a fact, or a fact's age or months (`{"age_of": ...}`), is
  // the same test on that fact, so that naming a value costs nothing: the condition with such
  // subjects replaced, or nothing when there are none.
  std::optional<condition> through_plain_values(const condition& c, const std::string& where) {
    using kind = condition::kind;
    if (c.what == kind::all || c.what == kind::any || c.what == kind::negation || c.what == kind::rule ||
        c.what == kind::if_missing)
      return std::nullopt;
    auto plain = [&](const subject& about) -> std::optional<subject> {
      if (out_.facts.find(about.fact) || about.derive == derivation::rounded_up) return std::nullopt;
      const auto slot = find_value(about.fact, where);
      if (!slot) return std::nullopt;
      const bound_expr& root = out_.exprs[out_.derived[*slot - out_.facts.size()].root];
      if (root.op != expr_op::value || (about.derive != derivation::value && root.derive != derivation::value))
        return std::nullopt;
      return subject{out_.field_at(root.slot).name, about.derive == derivation::value ? root.derive : about.derive,
                     money()};
    };
    const auto about = plain(c.about);
    const auto other = c.other ? plain(*c.other) : std::nullopt;
    if (!about && !other) return std::nullopt;
    condition out = c;
    if (about) out.about = *about;
    if (other) out.other = *other;
    return out;
  }

  static leaf_op leaf_code(const bound_node& n) {
    using kind = condition::kind;
    const bool text = n.type == fact_type::string;
    switch (n.what) {
    case kind::compare:
    case kind::in_set:
    case kind::between:
      if (n.against_fact) return leaf_op::facts;
      if (n.derive != derivation::value) return leaf_op::derived;
      break;
    default: break;
    }
    switch (n.what) {
    case kind::present: return leaf_op::present;
    case kind::missing: return leaf_op::missing;
    case kind::compare:
      if (text) return n.op == comparison::eq ? leaf_op::eq_text : leaf_op::ne_text;
      switch (n.op) {
      case comparison::eq: return leaf_op::eq;
      case comparison::ne: return leaf_op::ne;
      case comparison::lt: return leaf_op::lt;
      case comparison::le: return leaf_op::le;
      case comparison::gt: return leaf_op::gt;
      case comparison::ge: return leaf_op::ge;
      }
      return leaf_op::eq;
    case kind::in_set: return text ? leaf_op::in_texts : n.high != 0 ? leaf_op::in_small : leaf_op::in_numbers;
    case kind::between: return leaf_op::between;
    case kind::digits: return leaf_op::digits;
    case kind::length: return leaf_op::length;
    case kind::starts_with: return n.high != 0 ? leaf_op::starts_short : leaf_op::starts_with;
    default: return leaf_op::composite;
    }
  }

  // The condition it wraps is in the same JSON object, so it binds at the same place; the value
  // is `low` (1 for yes, 0 for no).
  void bind_if_missing(const condition& c, const std::string& where, std::size_t depth, bound_node& node) {
    const auto* value = c.values.size() == 1 ? std::get_if<bool>(&c.values[0]) : nullptr;
    if (!value) fail(errc::invalid_syntax, "\"if_missing\" takes true or false", where + "/if_missing");
    if (c.children.size() != 1)
      fail(errc::invalid_syntax, "\"if_missing\" gives the value of exactly one condition", where);
    const std::uint32_t child = bind_condition(c.children[0], where, depth + 1);
    node.first = static_cast<std::uint32_t>(out_.child_index.size());
    node.count = 1;
    out_.child_index.push_back(child);
    node.low = *value ? 1 : 0;
  }

  void bind_compare(const condition& c, const std::string& where, bound_node& node) {
    node.slot = resolve(c.about, where);
    node.derive = c.about.derive;
    node.op = c.op;
    const fact_type type = type_of(c.about, node.slot);
    const std::string key = where + "/" + std::string(symbol(c.op));
    if (c.op != comparison::eq && c.op != comparison::ne && !is_ordered(type))
      fail(errc::invalid_syntax,
           "\"" + std::string(symbol(c.op)) + "\" needs an ordered fact (integer, money, rate, date or month); " +
               detail::quoted(c.about.fact) + " is " + std::string(type_name(type)),
           where);
    if (c.other) {
      node.against_fact = true;
      node.other_slot = resolve(*c.other, key);
      node.other_derive = c.other->derive;
      if (c.other->derive == derivation::rounded_up) node.high = c.other->unit.minor_units(); // the multiple
      const fact_type other_type = type_of(*c.other, node.other_slot);
      const bool same_enum = type != fact_type::enumeration ||
                             out_.field_at(node.slot).enumerators == out_.field_at(node.other_slot).enumerators;
      if (type != other_type || !same_enum)
        fail(errc::invalid_syntax,
             detail::quoted(c.about.fact) + " is " + std::string(type_name(type)) + " but " +
                 detail::quoted(c.other->fact) + " is " + std::string(type_name(other_type)) +
                 (same_enum ? "" : " with other values") + ": only facts of the same type compare",
             key);
      return;
    }
    if (c.values.size() != 1) fail(errc::invalid_syntax, "a comparison takes one value", key);
    node.low = constant(field_for(c.about, node.slot), c.values[0], key);
  }

  void bind_in(const condition& c, const std::string& where, bound_node& node) {
    node.slot = resolve(c.about, where);
    node.derive = c.about.derive;
    const field f = field_for(c.about, node.slot);
    if (c.values.empty()) fail(errc::invalid_syntax, "\"in\" needs at least one value", where + "/in");
    if (f.type == fact_type::string) {
      node.first = static_cast<std::uint32_t>(out_.texts.size());
      for (std::size_t k = 0; k < c.values.size(); ++k)
        (void)constant(f, c.values[k], where + "/in/" + std::to_string(k));
    } else {
      std::vector<std::int64_t> compiled;
      for (std::size_t k = 0; k < c.values.size(); ++k)
        compiled.push_back(constant(f, c.values[k], where + "/in/" + std::to_string(k)));
      node.first = static_cast<std::uint32_t>(out_.numbers.size());
      out_.numbers.insert(out_.numbers.end(), compiled.begin(), compiled.end());
      // A set of small numbers (enum values, booleans) is also kept as a bit mask.
      if (std::all_of(compiled.begin(), compiled.end(), [](std::int64_t v) { return v >= 0 && v < 64; }))
        for (const std::int64_t v : compiled)
          node.high |= std::int64_t{1} << v;
    }
    node.count = static_cast<std::uint32_t>(c.values.size());
  }

  void bind_between(const condition& c, const std::string& where, bound_node& node) {
    node.slot = resolve(c.about, where);
    node.derive = c.about.derive;
    const field f = field_for(c.about, node.slot);
    if (!is_ordered(f.type))
      fail(errc::invalid_syntax,
           "\"between\" needs an ordered fact (integer, money, rate, date or month); " + detail::quoted(c.about.fact) +
               " is " + std::string(type_name(f.type)),
           where);
    if (c.values.size() != 2)
      fail(errc::invalid_syntax, "\"between\" takes two values: [low, high]", where + "/between");
    node.low = constant(f, c.values[0], where + "/between/0");
    node.high = constant(f, c.values[1], where + "/between/1");
    if (node.high < node.low)
      fail(errc::out_of_range,
           "\"between\" runs from " + describe(c.values[0]) + " to " + describe(c.values[1]) +
               ": the low end is higher",
           where + "/between");
  }

  // Prefixes of at most 8 bytes are also kept as (word, mask) pairs, so that a string of 8 bytes
  // or more is tested with one load: `high` is 1 and the pairs start at `numbers[low]`.
  void short_prefixes(bound_node& node) {
    for (std::uint32_t k = 0; k < node.count; ++k)
      if (out_.texts[node.first + k].size() > 8) return;
    node.low = static_cast<std::int64_t>(out_.numbers.size());
    node.high = 1;
    for (std::uint32_t k = 0; k < node.count; ++k) {
      const std::string& prefix = out_.texts[node.first + k];
      std::array<unsigned char, 8> word{}, mask{};
      std::memcpy(word.data(), prefix.data(), prefix.size());
      std::fill_n(mask.begin(), prefix.size(), static_cast<unsigned char>(0xFF));
      out_.numbers.push_back(std::bit_cast<std::int64_t>(word));
      out_.numbers.push_back(std::bit_cast<std::int64_t>(mask));
    }
  }

  void bind_string_test(const condition& c, const std::string& where, bound_node& node) {
    const char* key = c.what == condition::kind::digits   ? "digits"
                      : c.what == condition::kind::length ? "length"
                                                          : "starts_with";
    node.slot = resolve(c.about, where);
    node.derive = c.about.derive;
    const fact_type type = type_of(c.about, node.slot);
    if (type != fact_type::string)
      fail(errc::invalid_syntax,
           std::string("\"") + key + "\" needs a string fact; " + detail::quoted(c.about.fact) + " is " +
               std::string(type_name(type)),
           where);
    if (c.what == condition::kind::starts_with) {
      if (c.values.empty())
        fail(errc::invalid_syntax, "\"starts_with\" needs at least one prefix", where + "/starts_with");
      node.first = static_cast<std::uint32_t>(out_.texts.size());
      for (std::size_t k = 0; k < c.values.size(); ++k)
        (void)constant(out_.field_at(node.slot), c.values[k], where + "/starts_with/" + std::to_string(k));
      node.count = static_cast<std::uint32_t>(c.values.size());
      short_prefixes(node);
      return;
    }
    const auto* count = c.values.size() == 1 ? std::get_if<std::int64_t>(&c.values[0]) : nullptr;
    if (!count || *count < 1)
      fail(errc::invalid_syntax,
           std::string("\"") + key + "\" takes a positive whole number of characters, found " +
               (c.values.size() == 1 ? describe(c.values[0]) : std::string("nothing")),
           where + "/" + key);
    node.low = *count;
  }

  // Rule references must not loop, and following them must stay bounded: a rule cannot depend
  // on itself through any chain, no chain of references is deeper than
  // `max_reference_depth`, and no rule takes more than `max_evaluation_size` tests to decide
  // once its references are followed (a rule that refers to another twice, which refers to a
  // third twice, ... doubles at every step). Iterative, so a long chain cannot exhaust the stack.
  void check_references() {
    enum class mark : unsigned char { unvisited, visiting, done };
    const std::size_t count = out_.rules.size();
    std::vector<mark> marks(count, mark::unvisited);
    std::vector<std::vector<std::pair<std::uint32_t, std::string>>> edges(count);
    for (std::uint32_t i = 0; i < count; ++i) {
      const bound_rule& r = out_.rules[i];
      for (std::size_t j = 0; j < r.requirements.size(); ++j)
        edges[i].emplace_back(r.requirements[j], r.location + "/requirements/" + std::to_string(j));
      if (r.root) collect_references(*r.root, r.location + "/when", edges[i]);
    }
    std::vector<std::uint64_t> size(count, 0);  // tests to decide the rule, references followed
    std::vector<std::uint32_t> depth(count, 0); // longest chain of references below the rule
    struct frame {
      std::uint32_t rule;
      std::size_t next_edge;
    };
    std::vector<frame> path;
    for (std::uint32_t start = 0; start < count; ++start) {
      if (marks[start] != mark::unvisited) continue;
      path.push_back({start, 0});
      marks[start] = mark::visiting;
      while (!path.empty()) {
        frame& top = path.back();
        if (top.next_edge < edges[top.rule].size()) {
          const auto& [target, where] = edges[top.rule][top.next_edge++];
          if (marks[target] == mark::visiting) {
            std::string chain;
            bool in_cycle = false;
            for (const frame& step : path) {
              in_cycle = in_cycle || step.rule == target;
              if (in_cycle) chain += detail::quoted(out_.rules[step.rule].id) + " -> ";
            }
            fail(errc::invalid_syntax,
                 "the rules refer to each other in a loop: " + chain + detail::quoted(out_.rules[target].id), where);
          }
          if (marks[target] == mark::unvisited) {
            marks[target] = mark::visiting;
            path.push_back({target, 0});
          }
          continue;
        }
        // Every rule this one refers to is done: size and depth follow from theirs.
        const std::uint32_t index = top.rule;
        const bound_rule& r = out_.rules[index];
        std::uint64_t total = 1;
        std::uint32_t deepest = 0;
        for (const auto& [target, where] : edges[index])
          deepest = std::max(deepest, depth[target] + 1);
        if (r.root)
          total += node_size(*r.root, size);
        else
          for (std::uint32_t requirement : r.requirements)
            total += size[requirement];
        size[index] = std::min<std::uint64_t>(total, max_evaluation_size + 1);
        depth[index] = deepest;
        if (deepest > max_reference_depth)
          fail(errc::out_of_range,
               "the rule " + detail::quoted(r.id) + " starts a chain of " + std::to_string(deepest) +
                   " rule references; at most " + std::to_string(max_reference_depth) + " are allowed",
               r.location);
        if (size[index] > max_evaluation_size)
          fail(errc::out_of_range,
               "the rule " + detail::quoted(r.id) + " takes more than " + std::to_string(max_evaluation_size) +
                   " tests to decide once its rule references are followed; refer to the same rules fewer times",
               r.location);
        marks[index] = mark::done;
        path.pop_back();
      }
    }
  }

  // The tests node `n` takes, with each rule reference counted at the size of its rule.
  std::uint64_t node_size(std::uint32_t n, const std::vector<std::uint64_t>& rule_size) const {
    const bound_node& node = out_.nodes[n];
    if (node.what == condition::kind::rule) return rule_size[static_cast<std::size_t>(node.low)];
    std::uint64_t total = 1;
    if (node.code == leaf_op::composite)
      for (std::uint32_t k = 0; k < node.count; ++k)
        total = std::min<std::uint64_t>(total + node_size(out_.child_index[node.first + k], rule_size),
                                        max_evaluation_size + 1);
    return total;
  }

  // The rule references below node `n`, with a location good enough to find them.
  void collect_references(std::uint32_t n, const std::string& where,
                          std::vector<std::pair<std::uint32_t, std::string>>& out) const {
    const bound_node& node = out_.nodes[n];
    if (node.what == condition::kind::rule) out.emplace_back(static_cast<std::uint32_t>(node.low), where + "/rule");
    if (node.what == condition::kind::if_missing) collect_references(out_.child_index[node.first], where, out);
    if (node.what == condition::kind::all || node.what == condition::kind::any ||
        node.what == condition::kind::negation) {
      const char* key = node.what == condition::kind::all   ? "/all/"
                        : node.what == condition::kind::any ? "/any/"
                                                            : "/not";
      for (std::uint32_t k = 0; k < node.count; ++k)
        collect_references(out_.child_index[node.first + k],
                           node.what == condition::kind::negation ? where + key : where + key + std::to_string(k), out);
    }
  }

  std::optional<std::uint32_t> find_rule(const std::string& id) const {
    const auto found = ids_.find(id);
    if (found == ids_.end()) return std::nullopt;
    return found->second;
  }

  // A compiled constant kept: its number, or a string's index in `texts`.
  std::int64_t store(const field& f, const fact_value& compiled) {
    if (f.type != fact_type::string) return compiled.number;
    out_.texts.emplace_back(compiled.text);
    return static_cast<std::int64_t>(out_.texts.size() - 1);
  }

  std::string prefix_;
  std::span<const parameter> parameters_;
  std::span<const derived_value> derived_;
  std::span<const decision_table> tables_;
  bound_rules out_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::pair<const rule*, std::uint32_t>> declared_;
};

/// How many times `bind_rules` has run in this process, so that a test can check that a policy
/// is bound once (`compiled_policy`, `policy_library::compile`). Not for the application.
inline std::atomic<std::uint64_t> rule_bindings{0};

} // namespace detail

/// Binds `rules` to `facts`: resolves every fact name to its slot, reads every constant as its
/// fact's type, resolves rule references, and checks that none loops. Throws `entitle::error`
/// naming the JSON pointer of the problem (under `pointer_prefix`, "/rules" by default): an
/// unknown fact or rule, a type mismatch, a bad constant, a loop, a missing label, reason or
/// citation. A constant may name one of `parameters` (`parameter_ref`), which stands for its value;
/// the parameters are checked at "/parameters/<i>" (an id used twice, a value not of its type).
/// `derived` values are bound first, at "/derived/<i>": each takes the slot after the facts
/// (`bound_rules::field_at`), so that a rule tests it by name as it tests a fact. Decision
/// `tables` are bound at "/tables/<i>" (`bind_table`), their inputs read as facts or derived
/// values; a derived value reads a table's output (`table_value`).
[[nodiscard]] inline bound_rules bind_rules(const schema& facts, const std::vector<rule>& rules,
                                            std::string pointer_prefix = "/rules",
                                            std::span<const parameter> parameters = {},
                                            std::span<const derived_value> derived = {},
                                            std::span<const decision_table> tables = {}) {
  detail::rule_bindings.fetch_add(1, std::memory_order_relaxed);
  return detail::binder(facts, std::move(pointer_prefix), parameters, derived, tables).bind(rules);
}

/// As `bind_rules`, returning the failure instead of throwing.
[[nodiscard]] inline result<bound_rules> try_bind_rules(const schema& facts, const std::vector<rule>& rules,
                                                        std::string pointer_prefix = "/rules",
                                                        std::span<const parameter> parameters = {},
                                                        std::span<const derived_value> derived = {},
                                                        std::span<const decision_table> tables = {}) {
  try {
    return bind_rules(facts, rules, std::move(pointer_prefix), parameters, derived, tables);
  } catch (const error& e) {
    return e.details();
  }
}

} // namespace entitle
