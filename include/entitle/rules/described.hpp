#pragma once

#include <entitle/core/date.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/rate.hpp>
#include <entitle/rules/schema.hpp>

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/mp11/algorithm.hpp>

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

// Facts from the application's own struct, described with BOOST_DESCRIBE_STRUCT:
//
//   struct person { std::string nik; entitle::date birth_date; std::optional<entitle::money> income; };
//   BOOST_DESCRIBE_STRUCT(person, (), (nik, birth_date, income))
//   const entitle::schema facts = entitle::schema_of<person>();
//
// Each public member is a fact named after it: bool; a signed or small unsigned integer; money;
// rate; date; std::string or std::string_view; an enum described with BOOST_DESCRIBE_ENUM; or
// std::optional of one of these, which may be missing. Anything else does not compile.
namespace entitle {

template <class T>
struct fact_traits; // the primary template is left undefined on purpose

template <>
struct fact_traits<bool> {
  static constexpr fact_type type = fact_type::boolean;
  static constexpr fact_value read(bool value) noexcept { return fact_value::of_number(value ? 1 : 0); }
};

template <std::integral T>
requires(!std::same_as<T, bool> && (std::is_signed_v<T> || sizeof(T) < sizeof(std::int64_t))) struct fact_traits<T> {
  static constexpr fact_type type = fact_type::integer;
  static constexpr fact_value read(T value) noexcept { return fact_value::of_number(static_cast<std::int64_t>(value)); }
};

template <>
struct fact_traits<money> {
  static constexpr fact_type type = fact_type::money;
  static constexpr fact_value read(money value) noexcept { return fact_value::of_number(value.minor_units()); }
};

template <>
struct fact_traits<rate> {
  static constexpr fact_type type = fact_type::rate;
  static constexpr fact_value read(rate value) noexcept { return fact_value::of_number(value.parts()); }
};

template <>
struct fact_traits<date> {
  static constexpr fact_type type = fact_type::date;
  static constexpr fact_value read(date value) noexcept { return fact_value::of_date(value); }
};

template <>
struct fact_traits<month> {
  static constexpr fact_type type = fact_type::month;
  static constexpr fact_value read(month value) noexcept { return fact_value::of_month(value); }
};

template <>
struct fact_traits<std::string> {
  static constexpr fact_type type = fact_type::string;
  static fact_value read(const std::string& value) noexcept { return fact_value::of_text(value); }
};

template <>
struct fact_traits<std::string_view> {
  static constexpr fact_type type = fact_type::string;
  static constexpr fact_value read(std::string_view value) noexcept { return fact_value::of_text(value); }
};

template <class E>
requires(std::is_enum_v<E>&& boost::describe::has_describe_enumerators<E>::value) struct fact_traits<E> {
  static constexpr fact_type type = fact_type::enumeration;
  static constexpr fact_value read(E value) noexcept { return fact_value::of_number(static_cast<std::int64_t>(value)); }
};

template <class T>
struct fact_traits<std::optional<T>> {
  static constexpr fact_type type = fact_traits<T>::type;
  static constexpr fact_value read(const std::optional<T>& value) noexcept {
    return value ? fact_traits<T>::read(*value) : fact_value::missing();
  }
};

/// True when `T` can be a fact: a member of a described struct of this type becomes a field.
template <class T>
concept fact_member = requires(const T& value) {
  { fact_traits<T>::type } -> std::convertible_to<fact_type>;
  { fact_traits<T>::read(value) } -> std::same_as<fact_value>;
};

/// A struct described with BOOST_DESCRIBE_STRUCT whose public members are all facts.
template <class T>
concept described_facts = boost::describe::has_describe_members<T>::value;

namespace detail {
template <class T>
using public_members = boost::describe::describe_members<T, boost::describe::mod_public>;

template <class M>
struct is_optional : std::false_type {};
template <class M>
struct is_optional<std::optional<M>> : std::true_type {};

template <class M>
struct unwrap_optional {
  using type = M;
};
template <class M>
struct unwrap_optional<std::optional<M>> {
  using type = M;
};

template <class T>
using member_type = std::remove_cvref_t<T>;

// A tag whose address names a described type, so that rules bound to schema_of<T>() can check
// that they are given a T.
template <class T>
inline constexpr char described_tag = 0;
} // namespace detail

/// The schema of a described struct: one field per public member, in declaration order.
template <described_facts T>
[[nodiscard]] schema schema_of() {
  schema facts;
  boost::mp11::mp_for_each<detail::public_members<T>>([&](auto member) {
    using M = detail::member_type<decltype(std::declval<const T&>().*member.pointer)>;
    static_assert(fact_member<M>, "each public member of a described fact struct must be bool, an integer, money, "
                                  "rate, date, std::string, a described enum, or std::optional of one of them");
    field f{member.name, fact_traits<M>::type, {}, !detail::is_optional<M>::value};
    using V = typename detail::unwrap_optional<M>::type;
    if constexpr (std::is_enum_v<V>) {
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<V>>([&](auto e) {
        f.enumerators.push_back({e.name, static_cast<std::int64_t>(e.value)});
      });
    }
    facts.add(std::move(f));
  });
  facts.set_origin(&detail::described_tag<T>); // after the last add, which clears it
  return facts;
}

/// Writes the facts of `record` into `out`, one per member in schema order. `out` must hold
/// `schema_of<T>().size()` values. Never allocates; strings are views into `record`.
template <described_facts T>
constexpr void read_facts(const T& record, std::span<fact_value> out) noexcept {
  std::size_t slot = 0;
  boost::mp11::mp_for_each<detail::public_members<T>>([&](auto member) {
    using M = detail::member_type<decltype(record.*member.pointer)>;
    out[slot++] = fact_traits<M>::read(record.*member.pointer);
  });
}

/// The number of facts of a described struct.
template <described_facts T>
inline constexpr std::size_t fact_count = boost::mp11::mp_size<detail::public_members<T>>::value;

/// True when `facts` is `schema_of<T>()`.
template <described_facts T>
[[nodiscard]] bool describes(const schema& facts) noexcept {
  return facts.origin() == &detail::described_tag<T>;
}

} // namespace entitle
