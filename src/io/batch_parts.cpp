// A roster decided in parts (batch_parts.hpp): each part surveyed, the candidates of all of them
// allocated at once as one run's `allocate` stage places them, each part run with its placement,
// and the parts' totals merged (batch_part_totals.cpp).
#include <entitle/io/batch_parts.hpp>

#include "batch_parts.hpp"
#include "batch_stages.hpp"
#include "part_wire.hpp"

#include <entitle/io/policy_json.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <limits>
#include <random>

namespace entitle {
namespace detail {

// Where one part's rows and candidates are among all the parts'.
struct part_range {
  std::size_t rows_begin = 0, rows_end = 0;
  std::size_t candidates_begin = 0, candidates_end = 0;
  std::uint64_t digest = 0; // of what its survey found (`part_digest`)
};

namespace {

constexpr std::string_view survey_kind = "entitle-part-survey/1";
constexpr std::string_view placement_kind = "entitle-part-placement/1";

void write_row(wire_writer& w, const roster_ids& ids, std::size_t row) {
  w.text(ids.id(row));
  w.number(std::uint64_t{ids.line(row)} << 1 | (ids.counts(row) ? 1U : 0U));
}

void write_problem(wire_writer& w, const std::optional<std::pair<std::size_t, failure>>& problem) {
  w.number(problem ? 1 : 0);
  if (!problem) return;
  w.number(problem->first);
  w.number(static_cast<std::uint64_t>(problem->second.code));
  w.text(problem->second.message);
  w.text(problem->second.location);
}

std::optional<std::pair<std::size_t, failure>> read_problem(wire_reader& in) {
  if (in.number() == 0) return std::nullopt;
  const std::uint64_t line = in.number();
  const std::uint64_t code = in.number();
  if (code == 0 || code > static_cast<std::uint64_t>(errc::empty_history)) in.refuse("it names an unknown error");
  std::string message(in.text());
  return std::pair<std::size_t, failure>(line,
                                         failure(static_cast<errc>(code), std::move(message), std::string(in.text())));
}

// What a part's scan found, as a number: its rows' ids, lines and whether they count, the first
// row it could not read, and which rows are candidates. A placement is used only on the part
// whose scan gives the number its survey gave: the same rows, read the same way.
std::uint64_t part_digest(const scanned& found) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 0x100000001b3ULL + (h >> 29); };
  for (std::size_t row = 0; row < found.ids.size(); ++row) {
    mix(std::hash<std::string_view>{}(found.ids.id(row)));
    mix(std::uint64_t{found.ids.line(row)} << 1 | (found.ids.counts(row) ? 1U : 0U));
  }
  mix(found.first_problem ? found.first_problem->first : 0);
  for (const std::uint32_t row : found.book.row)
    mix(row);
  return h;
}

} // namespace

std::string batch_parts::shape(const batch& b) {
  std::string out = b.policy_.source().id;
  auto add = [&out](std::string_view s) {
    out += '\x1f';
    out += s;
  };
  add(to_string(b.options_.as_of));
  add(to_string(b.options_.period.first()));
  add(to_string(b.options_.period.last()));
  for (const auto& list : {b.options_.rules, b.capped_ids_, b.programs_, b.payers_})
    for (const auto& name : list)
      add(name);
  for (const auto& c : b.columns_)
    add(c.name);
  for (const auto& s : b.policy_.settings())
    add(s.name + "=" + s.value);
  add(b.options_.strict ? "strict" : "lenient");
  // The policy itself: a newer file under the same id pays other amounts.
  add(std::to_string(std::hash<std::string>{}(boost::json::serialize(to_json(b.policy_.source())))));
  return out;
}

std::string batch_parts::survey(const batch& b, row_source& part) {
  batch_stages stages(b, part);
  scanned found;
  stages.scan(found, false);
  wire_writer w;
  w.text(survey_kind);
  w.text(shape(b));
  w.text(part.id_column());
  w.number(found.ids.size());
  for (std::size_t row = 0; row < found.ids.size(); ++row)
    write_row(w, found.ids, row);
  write_problem(w, found.first_problem);
  const candidate_book& book = found.book;
  w.number(book.size());
  const std::size_t grants = book.grant_rows * book.capped;
  for (std::size_t c = 0; c < book.size(); ++c) {
    w.number(book.row[c]);
    for (std::size_t k = 0; k + 1 < book.width; ++k) // the id word is made from all the ids
      w.number(book.words[c * book.width + k]);
    for (std::size_t g = 0; g < grants; ++g)
      w.amount(book.grant[c * grants + g]);
  }
  w.number(part_digest(found));
  return std::move(w).take();
}

// Adds a part's survey to `all`: its rows after those of the parts before, and its candidates.
part_range batch_parts::add_survey(std::string_view shape, std::string_view survey, std::size_t index, scanned& all,
                                   std::string& id_column) {
  wire_reader in(survey, "the survey of part " + std::to_string(index));
  in.expect(survey_kind, shape);
  const std::string_view column = in.text();
  if (index == 0) id_column = column;
  if (column != id_column)
    in.refuse("its ids are in the column " + detail::quoted(column) + ", part 0's in " + detail::quoted(id_column));
  part_range range;
  range.rows_begin = all.ids.size();
  const std::uint64_t rows = in.count(16);
  for (std::uint64_t r = 0; r < rows; ++r) {
    const std::string_view id = in.text();
    const std::uint64_t packed = in.number();
    if (all.ids.size() > 0 && (packed >> 1) <= all.ids.line(all.ids.size() - 1))
      in.refuse("its lines do not come after those of the parts before it (give each part the lines before it)");
    if ((packed >> 1) > std::numeric_limits<std::uint32_t>::max()) in.refuse("its lines are past 4,294,967,295");
    all.ids.add(id, packed >> 1, (packed & 1) != 0);
  }
  range.rows_end = all.ids.size();
  if (auto problem = read_problem(in); problem && !all.first_problem) all.first_problem = std::move(problem);
  candidate_book& book = all.book;
  range.candidates_begin = book.size();
  const std::size_t grants = book.grant_rows * book.capped;
  const std::uint64_t candidates = in.count(8 * (book.width + grants));
  for (std::uint64_t c = 0; c < candidates; ++c) {
    const std::uint64_t row = in.number();
    if (row >= rows || (c > 0 && range.rows_begin + row <= book.row.back()))
      in.refuse("its candidates are out of order");
    book.row.push_back(static_cast<std::uint32_t>(range.rows_begin + row));
    for (std::size_t k = 0; k + 1 < book.width; ++k)
      book.words.push_back(in.number());
    book.words.push_back(0); // the id word: `set_id_words`
    for (std::size_t g = 0; g < grants; ++g)
      book.grant.push_back(in.amount());
  }
  range.candidates_end = book.size();
  range.digest = in.number();
  in.finish();
  return range;
}

// What part `index` (of `parts`) needs to be run: its rows' count, the duplicated ids among them
// with their reasons, and its candidates' places.
std::string batch_parts::placement(std::string_view shape, std::uint64_t plan, const scanned& all,
                                   const part_range& range, std::size_t index, std::size_t parts) {
  wire_writer w;
  w.text(placement_kind);
  w.text(shape);
  w.number(plan);
  w.number(index);
  w.number(parts);
  w.number(range.rows_end - range.rows_begin);
  w.number(range.digest);
  std::vector<std::string_view> duplicated;
  if (!all.duplicates.empty())
    for (std::size_t row = range.rows_begin; row < range.rows_end; ++row)
      if (all.duplicates.contains(all.ids.id(row))) duplicated.push_back(all.ids.id(row));
  std::sort(duplicated.begin(), duplicated.end());
  duplicated.erase(std::unique(duplicated.begin(), duplicated.end()), duplicated.end());
  w.number(duplicated.size());
  for (const std::string_view id : duplicated) {
    w.text(id);
    w.text(all.duplicates.find(id)->second.reason);
  }
  const candidate_book& book = all.book;
  w.number(range.candidates_end - range.candidates_begin);
  for (std::size_t c = range.candidates_begin; c < range.candidates_end; ++c)
    for (std::size_t q = 0; q < book.capped; ++q) {
      const quota_place& at = book.place[c * book.capped + q];
      w.number(static_cast<std::uint64_t>(at.status));
      w.number(at.rank);
      w.amount(at.cost);
    }
  return std::move(w).take();
}

part_plan batch_parts::plan(const batch& b, std::span<const std::string_view> surveys) {
  const batch_plan plan(b.policy_, b.programs_, b.payers_, b.capped_);
  scanned all;
  all.book.capped = plan.capped.size();
  all.book.width = plan.key_count + 1;
  all.book.grant_rows = plan.grant_rows;
  const std::string shape_text = shape(b);
  std::vector<part_range> ranges;
  std::string id_column = "id";
  for (std::size_t k = 0; k < surveys.size(); ++k)
    ranges.push_back(add_survey(shape_text, surveys[k], k, all, id_column));
  all.ids.find_duplicates(all.duplicates);
  if (b.options_.strict) refuse_first_bad_row(all, id_column);
  part_plan out;
  std::random_device random; // ties the placements, and the totals run with them, to this plan
  out.id = std::uint64_t{random()} << 32 | random();
  out.quotas = allocate_candidates(plan, all);
  out.rows = all.ids.size();
  for (std::size_t k = 0; k < ranges.size(); ++k)
    out.placements.push_back(placement(shape_text, out.id, all, ranges[k], k, ranges.size()));
  return out;
}

// Reads part `index`'s placement into what its scan found: the places of its candidates and the
// duplicated ids among its rows (every one of those its own scan found, and those other parts share).
part_run batch_parts::apply_placement(const batch& b, std::string_view placement, scanned& found) {
  wire_reader in(placement, "the placement");
  in.expect(placement_kind, shape(b));
  part_run run;
  run.plan = in.number();
  run.index = in.number();
  run.parts = in.number();
  const std::uint64_t rows = in.number();
  const std::string part = "it is for part " + std::to_string(run.index);
  if (rows != found.ids.size())
    in.refuse(part + ", of " + std::to_string(rows) + " rows; this part has " + std::to_string(found.ids.size()));
  if (in.number() != part_digest(found))
    in.refuse(part + ", whose rows are not this part's (another part, or this one read otherwise than in its survey)");
  duplicate_ids given;
  for (std::uint64_t d = in.count(16); d > 0; --d) {
    const std::string_view id = in.text();
    given[std::string(id)].reason = in.text();
  }
  for (const auto& [id, _] : found.duplicates)
    if (!given.contains(id)) in.refuse("it is for another part: an id this part repeats is not in it");
  found.duplicates = std::move(given);
  // The rows of a duplicated id are rejected with their text, which a scan does not keep.
  if (!found.duplicates.empty()) {
    found.kept.reset();
    found.book.amounts_by_outcome = {};
  }
  candidate_book& book = found.book;
  book.words = {}; // ranked by the plan
  book.grant = {};
  if (in.count(24 * book.capped) != book.size()) in.refuse(part + ", with other candidates than this part's");
  book.place.assign(book.size() * book.capped, quota_place{});
  for (quota_place& at : book.place) {
    const std::uint64_t status = in.number();
    if (status > static_cast<std::uint64_t>(quota_status::waitlisted)) in.refuse("it names an unknown place");
    at.status = static_cast<quota_status>(status);
    at.rank = in.number();
    at.cost = in.amount();
  }
  in.finish();
  return run;
}

std::string batch_parts::run(const batch& b, row_source& part, std::string_view placement,
                             const batch::row_handler& on_row, const batch::reject_handler& on_reject) {
  batch_stages stages(b, part);
  scanned found;
  stages.scan(found);
  const part_run run = apply_placement(b, placement, found);
  batch_summary sum = summary_head(b);
  sum.quotas.resize(found.book.capped); // for the funded months counted as rows are handed out
  row_emitter out(b, found.book, sum, on_row, on_reject);
  std::vector<costing> costs = stages.emit(found, out);
  add_sums(sum, costs);
  sum.blank_lines = part.blank_lines();
  return write_totals(b, sum, run);
}

} // namespace detail

std::string survey_part(const batch& b, row_source& part) { return detail::batch_parts::survey(b, part); }

part_plan plan_parts(const batch& b, std::span<const std::string_view> surveys) {
  return detail::batch_parts::plan(b, surveys);
}

std::string run_part(const batch& b, row_source& part, std::string_view placement, const batch::row_handler& on_row,
                     const batch::reject_handler& on_reject) {
  return detail::batch_parts::run(b, part, placement, on_row, on_reject);
}

batch_summary merge_parts(const batch& b, const part_plan& plan, std::span<const std::string_view> totals) {
  return detail::batch_parts::merge(b, plan, totals);
}

} // namespace entitle
