// Double subsidy across rosters (overlap.hpp): the ids are counted by their hashes, the rows of the
// ids that could repeat are then kept with their decisions, and their exact ids decide.
#include <entitle/io/overlap.hpp>

#include "csv_field.hpp"

#include <boost/sort/spreadsort/integer_sort.hpp>

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <span>
#include <string_view>
#include <utility>

namespace entitle {

namespace {

// Runs `work` on `roster`, its errors located in it ("rosters/a.csv: line 9, column wage: ...").
template <class Work>
auto in_roster(const overlap_roster& roster, Work&& work) {
  try {
    return work();
  } catch (const error& e) {
    failure f = e.details();
    if (f.location.starts_with(roster.name + ": ")) throw;
    f.location = f.location.empty() ? roster.name : roster.name + ": " + f.location;
    throw error(std::move(f));
  }
}

std::uint64_t hash_of(std::string_view id) { return std::hash<std::string_view>{}(id); }

// Counts ids by their hashes in memory that grows with the distinct ids, not the rows: the hashes
// seen, sorted and each once; those seen more than once; and those added since, merged into the
// others whenever they are as many. At most 32 bytes per distinct id (while merging), and 24 more per
// repeated one.
class id_counter {
public:
  void add(std::string_view id) {
    fresh_.push_back(hash_of(id));
    if (fresh_.size() >= std::max<std::size_t>(seen_.size(), 4096)) merge();
  }
  /// Merges what was added since: `seen` and `repeated` are then whole.
  void finish() { merge(); }
  /// The distinct hashes, sorted.
  [[nodiscard]] const std::vector<std::uint64_t>& seen() const { return seen_; }
  /// The hashes added more than once, sorted.
  [[nodiscard]] const std::vector<std::uint64_t>& repeated() const { return repeated_; }

private:
  void merge() {
    if (fresh_.empty()) return;
    boost::sort::spreadsort::integer_sort(fresh_.begin(), fresh_.end());
    std::vector<std::uint64_t> merged;
    merged.reserve(seen_.size() + fresh_.size());
    std::vector<std::uint64_t> again;
    auto old = seen_.begin();
    for (auto it = fresh_.begin(); it != fresh_.end();) {
      const auto end = std::upper_bound(it, fresh_.end(), *it);
      while (old != seen_.end() && *old < *it)
        merged.push_back(*old++);
      const bool before = old != seen_.end() && *old == *it;
      old += before ? 1 : 0;
      merged.push_back(*it);
      if (before || end - it > 1) again.push_back(*it);
      it = end;
    }
    merged.insert(merged.end(), old, seen_.end());
    seen_ = std::move(merged);
    fresh_.clear();
    fresh_.reserve(std::max<std::size_t>(seen_.size(), 4096));
    std::vector<std::uint64_t> repeated;
    std::set_union(repeated_.begin(), repeated_.end(), again.begin(), again.end(), std::back_inserter(repeated));
    repeated_ = std::move(repeated);
  }

  std::vector<std::uint64_t> seen_;
  std::vector<std::uint64_t> repeated_;
  std::vector<std::uint64_t> fresh_;
};

// Adds the id of every row of a roster (a row rejected before its id could be read has none: the
// batch reports it).
void count_ids(row_source& rows, id_counter& ids) {
  rows.rewind();
  roster_row row;
  while (rows.next(row))
    if (!row.id.empty()) ids.add(row.id);
}

// Adds the id of every row of the enrolled list, whose other columns are not read: a row whose id
// cannot be read stops the check, located by its line.
void count_enrolled(row_source& rows, id_counter& ids) {
  rows.rewind();
  roster_row row;
  while (rows.next(row)) {
    if (row.id.empty()) {
      failure f = row.problem ? *row.problem : failure(errc::invalid_syntax, "expected an id");
      f.location = "line " + std::to_string(row.line) + (f.location.empty() ? "" : ", column " + f.location);
      throw error(std::move(f));
    }
    ids.add(row.id);
  }
}

// The hashes that could be findings: of ids in two rows or more, or in the enrolled list. Sorted,
// behind a filter of 16 bits per hash (by the hash's low bits), so that most ids, which are none of
// them, are ruled out by one bit.
class candidate_hashes {
public:
  candidate_hashes(const id_counter& ids, const id_counter& enrolled) {
    std::vector<std::uint64_t> listed;
    std::set_intersection(ids.seen().begin(), ids.seen().end(), enrolled.seen().begin(), enrolled.seen().end(),
                          std::back_inserter(listed));
    std::set_union(ids.repeated().begin(), ids.repeated().end(), listed.begin(), listed.end(),
                   std::back_inserter(sorted_));
    std::uint64_t bits = 64;
    while (bits < sorted_.size() * 16)
      bits *= 2;
    mask_ = bits - 1;
    filter_.assign(bits / 64, 0);
    for (const std::uint64_t h : sorted_)
      filter_[(h & mask_) / 64] |= std::uint64_t{1} << (h % 64);
  }

  [[nodiscard]] bool contains(std::string_view id) const {
    const std::uint64_t h = hash_of(id);
    return (filter_[(h & mask_) / 64] >> (h % 64) & 1) != 0 && std::binary_search(sorted_.begin(), sorted_.end(), h);
  }

private:
  std::vector<std::uint64_t> sorted_;
  std::vector<std::uint64_t> filter_;
  std::uint64_t mask_ = 0;
};

// The rows of roster `r` whose id's hash is a candidate, decided by the batch, in roster order.
std::vector<overlap_row> decided_rows(const batch& b, const overlap_roster& roster, std::size_t r,
                                      const candidate_hashes& candidates, batch_summary& summary,
                                      std::vector<std::vector<quota_place>>& places) {
  std::vector<overlap_row> out;
  summary = b.run(
      *roster.rows,
      [&](const batch_row& row) {
        if (!candidates.contains(row.id)) return;
        overlap_row o;
        o.id = row.id;
        o.roster = r;
        o.line = row.line;
        o.status = to_string(row.outcome.outcome);
        o.reason = b.policy().first_reason(row.outcome);
        out.push_back(std::move(o));
        places.emplace_back(row.quotas.begin(), row.quotas.end());
      },
      [&](const rejected_row& row) {
        if (row.id.empty() || !candidates.contains(row.id)) return;
        overlap_row o;
        o.id = row.id;
        o.roster = r;
        o.line = row.line;
        o.status = "rejected";
        o.reason = row.reason;
        out.push_back(std::move(o));
        places.emplace_back();
      });
  return out;
}

// A program-month a subsidy pays something of, for one row.
struct funded_item {
  std::string program;
  month when;
  money paid;
};

// What the subsidies pay for a decided row, from its contribution statement: `o`'s funding, and
// the program-months, each once (a person under two enrolments has two items for one program-month).
std::vector<funded_item> funding_of(const contribution_statement& s, const std::vector<std::string>& subsidies,
                                    overlap_row& o) {
  std::map<std::pair<std::string, month>, money> paid;
  std::set<std::string> by;
  for (const program_month& item : s.items)
    for (const payment_line& line : item.lines) {
      if (line.what != payment_line::kind::subsidy || line.amount == money()) continue;
      paid[{item.program, item.when}] += line.amount;
      constexpr std::string_view prefix = "subsidy ";
      by.insert(line.source.starts_with(prefix) ? line.source.substr(prefix.size()) : line.source);
    }
  std::vector<funded_item> out;
  for (const auto& [key, amount] : paid) {
    if (amount == money()) continue;
    out.push_back({key.first, key.second, amount});
    ++o.funded_months;
    o.funded += amount;
  }
  for (const auto& s_id : subsidies)
    if (by.contains(s_id)) o.funded_by.push_back(s_id);
  return out;
}

// Reads roster `r` again for the facts of its decided rows among `found` (in roster order), and
// works out what the subsidies pay for each.
void add_funding(const batch& b, const overlap_roster& roster, const batch_summary& summary,
                 std::span<overlap_row> found, std::span<const std::vector<quota_place>> places,
                 std::vector<std::vector<funded_item>>& funded) {
  std::vector<std::string> subsidies;
  for (const auto& s : b.policy().source().subsidies)
    subsidies.push_back(s.id);
  roster.rows->rewind();
  roster_row row;
  roster_scratch scratch;
  std::size_t next = 0;
  while (next < found.size() && roster.rows->next_text(row)) {
    while (next < found.size() && (found[next].status == "rejected" || found[next].line < row.line))
      ++next;
    if (next == found.size() || found[next].line != row.line) continue;
    roster.rows->parse(row, scratch); // only the rows kept are parsed again
    const explanation e = b.explain(row.facts, places[next], summary);
    funded[next] = e.contributions ? funding_of(*e.contributions, subsidies, found[next]) : std::vector<funded_item>{};
    ++next;
  }
}

// The exact ids of `enrolled` among the found rows' ids.
std::set<std::string, std::less<>> enrolled_ids(const overlap_roster* enrolled, const std::vector<overlap_row>& rows) {
  std::set<std::string, std::less<>> out;
  if (!enrolled) return out;
  std::set<std::string_view> wanted;
  for (const auto& o : rows)
    wanted.insert(o.id);
  in_roster(*enrolled, [&] {
    enrolled->rows->rewind();
    roster_row row;
    while (enrolled->rows->next(row))
      if (wanted.contains(row.id)) out.emplace(row.id);
  });
  return out;
}

// Marks, in each id's rows in order, the program-months a subsidy already paid for an earlier row,
// and counts the report's findings. `rows` and `funded` are sorted by id, roster and line.
void mark_groups(overlap_report& report, const std::vector<std::vector<funded_item>>& funded,
                 const std::set<std::string, std::less<>>& enrolled) {
  std::vector<overlap_row> kept;
  const auto& rows = report.rows;
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t end = i + 1;
    while (end < rows.size() && rows[end].id == rows[i].id)
      ++end;
    const bool is_enrolled = enrolled.contains(rows[i].id);
    if (end - i > 1 || is_enrolled) {
      std::set<std::pair<std::string, month>> paid;
      bool twice = false;
      bool any_funded = false;
      for (std::size_t k = i; k < end; ++k) {
        overlap_row o = rows[k];
        o.enrolled = is_enrolled;
        for (const funded_item& f : funded[k]) // each program-month once a row (funding_of)
          if (paid.contains({f.program, f.when})) {
            ++o.double_funded_months;
            o.paid_twice += f.paid;
          }
        for (const funded_item& f : funded[k])
          paid.emplace(f.program, f.when);
        twice = twice || o.double_funded_months != 0;
        any_funded = any_funded || o.funded_months != 0;
        report.paid_twice += o.paid_twice;
        kept.push_back(std::move(o));
      }
      if (end - i > 1) ++report.repeated_ids;
      if (is_enrolled) ++report.enrolled_ids;
      if (twice) ++report.double_funded_ids;
      if (is_enrolled && any_funded) ++report.enrolled_funded_ids;
    }
    i = end;
  }
  report.rows = std::move(kept);
}

// The ids of every roster and of the enrolled list, counted: the hashes that could be findings,
// and the number of distinct ids of the rosters (distinct hashes, which are distinct ids but for
// collisions: about one pair in 10^19).
candidate_hashes count_ids(std::span<const overlap_roster> rosters, const overlap_roster* enrolled,
                           std::uint64_t& distinct) {
  id_counter ids;
  id_counter listed;
  for (const auto& r : rosters)
    in_roster(r, [&] { count_ids(*r.rows, ids); });
  if (enrolled) in_roster(*enrolled, [&] { count_enrolled(*enrolled->rows, listed); });
  ids.finish();
  listed.finish();
  distinct = ids.seen().size();
  return candidate_hashes(ids, listed);
}

} // namespace

overlap_report find_overlaps(const batch& b, std::span<const overlap_roster> rosters, const overlap_roster* enrolled) {
  overlap_report report;
  const candidate_hashes candidates = count_ids(rosters, enrolled, report.ids);
  std::vector<std::vector<funded_item>> funded;
  for (std::size_t r = 0; r < rosters.size(); ++r) {
    report.rosters.push_back(rosters[r].name);
    batch_summary summary;
    std::vector<std::vector<quota_place>> places;
    std::vector<overlap_row> found =
        in_roster(rosters[r], [&] { return decided_rows(b, rosters[r], r, candidates, summary, places); });
    report.rows_read += summary.rows_read;
    report.rows_rejected += summary.rejected;
    std::vector<std::vector<funded_item>> roster_funded(found.size());
    in_roster(rosters[r], [&] { add_funding(b, rosters[r], summary, found, places, roster_funded); });
    for (std::size_t i = 0; i < found.size(); ++i) {
      report.rows.push_back(std::move(found[i]));
      funded.push_back(std::move(roster_funded[i]));
    }
  }
  // By id, then roster, then line, with their funding alongside.
  std::vector<std::size_t> order(report.rows.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t c) { return report.rows[a].id < report.rows[c].id; });
  std::vector<overlap_row> sorted;
  std::vector<std::vector<funded_item>> sorted_funded;
  for (const std::size_t i : order) {
    sorted.push_back(std::move(report.rows[i]));
    sorted_funded.push_back(std::move(funded[i]));
  }
  report.rows = std::move(sorted);
  mark_groups(report, sorted_funded, enrolled_ids(enrolled, report.rows));
  return report;
}

std::string overlap_csv(const overlap_report& report) {
  std::string out = "id,roster,line,status,reason,funded_by,funded_months,funded,double_funded_months,"
                    "paid_twice,enrolled\n";
  for (const overlap_row& o : report.rows) {
    std::string by;
    for (const auto& s : o.funded_by)
      by += (by.empty() ? "" : ";") + s;
    detail::csv_field(out, o.id);
    out += ',';
    detail::csv_field(out, report.rosters[o.roster]);
    out += ',' + std::to_string(o.line) + ',' + o.status + ',';
    detail::csv_field(out, o.reason);
    out += ',';
    detail::csv_field(out, by);
    out += ',' + std::to_string(o.funded_months) + ',' + to_string(o.funded) + ',' +
           std::to_string(o.double_funded_months) + ',' + to_string(o.paid_twice) + ',' + (o.enrolled ? "yes" : "no");
    out += '\n';
  }
  return out;
}

namespace {

// One id's rows on one line: "1608...: dinsos.csv line 2 eligible, 24 program-months funded; ...".
std::string flagged_line(const overlap_report& report, std::span<const overlap_row> rows) {
  std::string out = detail::escaped(rows.front().id) + (rows.front().enrolled ? " (enrolled):" : ":");
  for (const overlap_row& o : rows) {
    out += ' ';
    out += report.rosters[o.roster];
    out += " line " + std::to_string(o.line) + " " + o.status + ", " + std::to_string(o.funded_months) +
           " program-months funded";
    if (o.double_funded_months != 0)
      out += " (" + std::to_string(o.double_funded_months) + " twice, " + to_rupiah_string(o.paid_twice) + ")";
    out += ';';
  }
  out.back() = '\n';
  return out;
}

} // namespace

std::string to_text(const overlap_report& report, std::size_t listed) {
  std::string out = std::to_string(report.rows_read) + " rows read from " + std::to_string(report.rosters.size()) +
                    (report.rosters.size() == 1 ? " roster" : " rosters") + " (" +
                    std::to_string(report.rows_rejected) + " of them rejected), " + std::to_string(report.ids) +
                    " distinct ids\n";
  out += "  ids in more than one row:               " + std::to_string(report.repeated_ids) + "\n";
  out += "  ids with a program-month funded twice:  " + std::to_string(report.double_funded_ids) + " (" +
         to_rupiah_string(report.paid_twice) + " paid twice)\n";
  out += "  ids in the enrolled list:               " + std::to_string(report.enrolled_ids) + " (" +
         std::to_string(report.enrolled_funded_ids) + " of them funded by a subsidy)\n";
  const std::span<const overlap_row> rows = report.rows;
  std::size_t shown = 0;
  std::size_t more = 0;
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t end = i + 1;
    while (end < rows.size() && rows[end].id == rows[i].id)
      ++end;
    const auto group = rows.subspan(i, end - i);
    const bool flagged = std::any_of(group.begin(), group.end(), [](const overlap_row& o) {
      return o.double_funded_months != 0 || (o.enrolled && o.funded_months != 0);
    });
    if (flagged && shown < listed) {
      out += flagged_line(report, group);
      ++shown;
    } else if (flagged) {
      ++more;
    }
    i = end;
  }
  if (more != 0) out += "... and " + std::to_string(more) + " more ids funded twice or while enrolled\n";
  return out;
}

} // namespace entitle
