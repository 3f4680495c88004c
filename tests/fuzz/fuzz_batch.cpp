// Fuzz target: batch evaluation of a CSV roster (the input) against a fixed policy: the batch
// fixture tests/data/batch/oku-quota-3.json (OKU Timur 2024 with a subsidy capped at 3 people,
// ranked by three facts), over 2024-01..2024-12, decided on 2024-01-01. Every decided and
// rejected row is written as the tool writes them (CSV), and the summary as JSON and as text.
// Invariants:
//  - rows read = decided + rejected, and the handlers are called that many times;
//  - decided = eligible + ineligible + undetermined; decided ids are distinct;
//  - each row has an amount per program and payer and a place per capped subsidy; the rows'
//    totals add up to the summary's;
//  - for each capped subsidy: candidates = funded + waitlisted, within the quota and budget,
//    and the candidates' ranks are 1..candidates, each once, the funded first;
//  - row order does not matter: the accepted people as `record_rows`, in roster order and
//    reversed, give the same summary and the same output lines;
//  - the roster read twice (`read_once_memory` 0) gives the same bytes as read once.
#include "fuzz_support.hpp"

#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using namespace entitle;
using entitle_fuzz::broken;

namespace {

const compiled_policy* the_policy = nullptr;
const batch* the_batch = nullptr;
const batch* the_batch_read_twice = nullptr; // the same batch with `read_once_memory` 0

// The output lines of a run over `people` (sorted, as the tool's output is the same whatever the
// roster's order), then the summary as JSON.
std::string sorted_run(const batch& b, std::span<const record_rows::entry> people) {
  record_rows source(people);
  std::vector<std::string> lines;
  const batch_summary s = b.run(source, [&](const batch_row& row) {
    std::string line;
    append_row(line, b, row, output_format::csv);
    lines.push_back(std::move(line));
  });
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& line : lines)
    out += line;
  return out + boost::json::serialize(to_json(s));
}

// The people a roster reader accepts, in roster order.
std::vector<record_rows::entry> accepted_people(const std::string& text, const schema& facts) {
  std::istringstream in(text);
  roster_reader reader(in, facts, roster_format::csv);
  std::vector<record_rows::entry> people;
  roster_row row;
  while (reader.next(row))
    if (!row.problem) people.push_back({row.id, row.facts});
  return people;
}

struct seen_quota {
  std::vector<std::uint64_t> ranks;
  std::uint64_t funded = 0, waitlisted = 0;
  std::uint64_t last_funded_rank = 0, first_waitlisted_rank = 0;
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static const compiled_policy policy = [] {
    policy_library library;
    library.add_directory(ENTITLE_POLICIES_DIR);
    const std::string id = library.add_file(std::filesystem::path(ENTITLE_TEST_DATA) / "batch" / "oku-quota-3.json");
    return compiled_policy(library.get(id));
  }();
  static const batch b(policy, {.rules = {},
                                .as_of = date(2024, 1, 1),
                                .period = month_range::calendar_year(2024),
                                .threads = 1,
                                .strict = false});
  static const batch twice(policy, {.rules = {},
                                    .as_of = date(2024, 1, 1),
                                    .period = month_range::calendar_year(2024),
                                    .threads = 1,
                                    .strict = false,
                                    .read_once_memory = 0});
  the_policy = &policy;
  the_batch = &b;
  the_batch_read_twice = &twice;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const batch& b = *the_batch;
  const std::string text(reinterpret_cast<const char*>(data), size);

  // Small blocks, so that rows are split across reads here too.
  roster_options options;
  options.block_bytes = 64;
  std::optional<roster_text> roster;
  if (entitle_fuzz::refused([&] { roster.emplace(text, the_policy->facts(), roster_format::csv, options); })) return 0;

  std::string decisions = output_header(b, output_format::csv);
  std::string rejects = rejects_header(output_format::csv);
  std::uint64_t on_rows = 0, on_rejects = 0;
  std::set<std::string, std::less<>> ids;
  std::vector<seen_quota> quotas(b.capped().size());
  std::optional<money> row_total = money(); // nullopt once the sum overflows

  std::optional<batch_summary> s;
  const bool refused = entitle_fuzz::refused([&] {
    s = b.run(
        *roster,
        [&](const batch_row& row) {
          ++on_rows;
          ENTITLE_FUZZ_CHECK(ids.emplace(row.id).second, "decided ids are distinct", std::string(row.id));
          ENTITLE_FUZZ_CHECK(row.due.size() == b.programs().size(), "a row has an amount due per program");
          ENTITLE_FUZZ_CHECK(row.paid.size() == b.payers().size(), "a row has an amount paid per payer");
          ENTITLE_FUZZ_CHECK(row.quotas.size() == b.capped().size(), "a row has a place per capped subsidy");
          for (std::size_t i = 0; i < row.quotas.size(); ++i) {
            const quota_place& q = row.quotas[i];
            seen_quota& seen = quotas[i];
            if (q.status == quota_status::none) {
              ENTITLE_FUZZ_CHECK(q.rank == 0, "a person who is not a candidate has no rank");
              continue;
            }
            seen.ranks.push_back(q.rank);
            if (q.status == quota_status::funded) {
              ++seen.funded;
              seen.last_funded_rank = std::max(seen.last_funded_rank, q.rank);
            } else {
              ++seen.waitlisted;
              if (seen.first_waitlisted_rank == 0 || q.rank < seen.first_waitlisted_rank)
                seen.first_waitlisted_rank = q.rank;
            }
          }
          if (row_total && entitle_fuzz::refused([&] { *row_total += row.total; })) row_total.reset();
          append_row(decisions, b, row, output_format::csv);
        },
        [&](const rejected_row& row) {
          ++on_rejects;
          append_reject(rejects, row, output_format::csv);
        });
  });
  if (refused) return 0;

  ENTITLE_FUZZ_CHECK(s->rows_read == s->decided + s->rejected, "rows read = decided + rejected",
                     "rows_read " + std::to_string(s->rows_read) + ", decided " + std::to_string(s->decided) +
                         ", rejected " + std::to_string(s->rejected));
  ENTITLE_FUZZ_CHECK(on_rows == s->decided, "the row handler is called once per decided row");
  ENTITLE_FUZZ_CHECK(on_rejects == s->rejected, "the reject handler is called once per rejected row");
  ENTITLE_FUZZ_CHECK(s->eligible + s->ineligible + s->undetermined == s->decided,
                     "decided = eligible + ineligible + undetermined");
  if (row_total) ENTITLE_FUZZ_CHECK(*row_total == s->total, "the rows' totals add up to the summary's");

  ENTITLE_FUZZ_CHECK(s->quotas.size() == b.capped().size(), "the summary has a fill per capped subsidy");
  for (std::size_t i = 0; i < s->quotas.size(); ++i) {
    const quota_fill& fill = s->quotas[i];
    seen_quota& seen = quotas[i];
    ENTITLE_FUZZ_CHECK(fill.candidates == fill.funded + fill.waitlisted, "candidates = funded + waitlisted");
    ENTITLE_FUZZ_CHECK(fill.funded == seen.funded && fill.waitlisted == seen.waitlisted,
                       "the fill counts the rows' places");
    if (fill.quota) ENTITLE_FUZZ_CHECK(fill.funded <= static_cast<std::uint64_t>(*fill.quota), "within the quota");
    if (fill.budget) ENTITLE_FUZZ_CHECK(fill.spent <= *fill.budget, "within the budget");
    std::sort(seen.ranks.begin(), seen.ranks.end());
    for (std::size_t r = 0; r < seen.ranks.size(); ++r)
      ENTITLE_FUZZ_CHECK(seen.ranks[r] == r + 1, "the candidates' ranks are 1..candidates, each once");
    if (seen.funded > 0 && seen.waitlisted > 0)
      ENTITLE_FUZZ_CHECK(seen.last_funded_rank < seen.first_waitlisted_rank, "the funded are ranked first");
  }

  const std::string summary = boost::json::serialize(to_json(*s));
  (void)to_text(*s);

  // Read twice: the same bytes.
  std::string decisions_twice = output_header(b, output_format::csv);
  std::string rejects_twice = rejects_header(output_format::csv);
  std::optional<batch_summary> s_twice;
  try {
    s_twice = the_batch_read_twice->run(
        *roster, [&](const batch_row& row) { append_row(decisions_twice, b, row, output_format::csv); },
        [&](const rejected_row& row) { append_reject(rejects_twice, row, output_format::csv); });
  } catch (const error& e) {
    broken("read twice, the roster runs as read once", std::string("the run read twice threw: ") + e.what());
  }
  ENTITLE_FUZZ_CHECK(decisions_twice == decisions && rejects_twice == rejects &&
                         boost::json::serialize(to_json(*s_twice)) == summary,
                     "read twice, the roster gives the same bytes as read once",
                     "once:\n" + decisions + rejects + summary + "\ntwice:\n" + decisions_twice + rejects_twice +
                         boost::json::serialize(to_json(*s_twice)));

  // The accepted people in roster order and reversed.
  std::vector<record_rows::entry> people = accepted_people(text, the_policy->facts());
  if (people.size() < 2) return 0;
  std::optional<std::string> forward;
  if (entitle_fuzz::refused([&] { forward = sorted_run(b, people); })) return 0; // totals past 64 bits
  std::reverse(people.begin(), people.end());
  std::string backward;
  try {
    backward = sorted_run(b, people);
  } catch (const error& e) {
    broken("row order does not matter: reversed, the people run as they did in order",
           std::string("the reversed run threw: ") + e.what());
  }
  ENTITLE_FUZZ_CHECK(*forward == backward, "row order does not matter: the same output and summary reversed",
                     "in order:\n" + *forward + "\nreversed:\n" + backward);
  return 0;
}
