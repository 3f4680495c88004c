#pragma once

// The public surface of entitle, layer by layer.

#include <entitle/core/date.hpp>
#include <entitle/core/dated.hpp>
#include <entitle/core/error.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/month.hpp>
#include <entitle/core/rate.hpp>
#include <entitle/core/verdict.hpp>

#include <entitle/io/core_json.hpp>
