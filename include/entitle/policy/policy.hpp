#pragma once

#include <entitle/rules/rule.hpp>
#include <entitle/rules/schema.hpp>

#include <string>
#include <vector>

namespace entitle {

/// A policy: the facts it reads and its rules, with an id and a title. It is a plain value,
/// built in C++ or read from policy JSON (`entitle/io/policy_json.hpp`); `compiled_policy`
/// binds it once for evaluation.
struct policy {
  std::string id;    ///< e.g. "oku-timur/pekerja-rentan-2024"
  std::string title; ///< in any language
  schema facts;
  std::vector<rule> rules;

  friend bool operator==(const policy&, const policy&) = default;
};

} // namespace entitle
