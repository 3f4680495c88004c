#pragma once

// The objects behind entitle.h's opaque handles.
#include <entitle/entitle.h>
#include <entitle/io/batch.hpp>
#include <entitle/io/policy_json.hpp>
#include <entitle/io/roster.hpp>

#include <memory>

struct entitle_library {
  entitle::policy_library library;
};

// Shared, so that a batch made from the policy outlives the handle freed before it.
struct entitle_policy {
  std::shared_ptr<const entitle::compiled_policy> compiled;
};

// A batch and how it reads rosters, with the policy it decides by.
struct entitle_batch {
  std::shared_ptr<const entitle::compiled_policy> compiled;
  std::unique_ptr<const entitle::batch> run;
  entitle::roster_options roster;
};
