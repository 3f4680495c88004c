// Batch evaluation (docs/batch.md): a first read of the roster that decides, costs and keeps what
// each row needs, ranking for capped subsidies, then the rows handed out from what was kept or
// from a second read; costing with a cache keyed on what the payment sections can see of a person.
#include <entitle/io/batch.hpp>

#include <entitle/eval/monthly_status.hpp>
#include <entitle/io/core_json.hpp>

#include "chunk_pipeline.hpp"
#include "close_names.hpp"
#include "utf8.hpp"

#include <boost/json/serialize.hpp>
#include <boost/locale/utf.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <deque>
#include <fstream>
#include <limits>
#include <new>
#include <random>
#include <sstream>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

namespace entitle {

using detail::valid_utf8;

// ---------------------------------------------------------------------------------------------
// What a batch works out per person

namespace {

// A person's amounts over a range of months: due by month and program, paid by month and payer,
// and what each capped subsidy grants over the range.
struct amounts : payment_amounts {
  std::vector<money> grants;               // [capped]
  std::vector<std::uint32_t> grant_months; // [capped]
};

// What every thread shares: the policy's payment sections reduced to what costing reads.
struct batch_plan {
  const compiled_policy& policy;
  const std::vector<std::string>& programs;
  const std::vector<std::string>& payers;
  std::vector<std::size_t> capped;     // subsidy indexes, in the order they apply
  std::vector<month_range> windows;    // per capped subsidy
  std::optional<month_range> hull;     // all windows
  std::size_t key_count = 0;           // ranking words of all capped subsidies (see candidate_book)
  std::vector<std::size_t> key_offset; // per capped subsidy: its first ranking word
  std::size_t grant_rows = 0;          // 2^(capped - 1): one per outcome of all but the last

  batch_plan(const compiled_policy& p, const std::vector<std::string>& program_names,
             const std::vector<std::string>& payer_names, const std::vector<std::size_t>& capped_subsidies)
      : policy(p), programs(program_names), payers(payer_names), capped(capped_subsidies) {
    const auto& pay = p.payments();
    const entitle::policy& source = p.source();
    for (const std::size_t s : capped) { // within the policy's dates: the binder refuses others
      const month_range w = source.subsidies[s].window;
      windows.push_back(w);
      hull = hull ? month_range(std::min(hull->first(), w.first()), std::max(hull->last(), w.last())) : w;
    }
    for (const std::size_t s : capped) {
      key_offset.push_back(key_count);
      key_count += 2 * pay.rank_keys[s].size();
    }
    grant_rows = capped.empty() ? 0 : std::size_t{1} << (capped.size() - 1);
  }
};

// Sums of amounts over the people of a batch.
struct totals {
  std::vector<money> due;    // [month * programs + program]
  std::vector<money> paid;   // [month * payers + payer]
  std::vector<money> quoted; // [month * programs + program]
  std::vector<money> due_total;
  std::vector<money> paid_total;
  std::vector<money> quoted_total;
  money total;
  money quoted_sum;
  std::uint64_t incomplete = 0;
  std::uint64_t quoted_people = 0;

  totals(std::size_t months, std::size_t programs, std::size_t payers)
      : due(months * programs), paid(months * payers), quoted(months * programs), due_total(programs),
        paid_total(payers), quoted_total(programs) {}

  void add(const amounts& a, std::uint64_t people) {
    auto add_all = [&](std::vector<money>& to, const std::vector<money>& from) {
      for (std::size_t i = 0; i < to.size(); ++i)
        to[i] += from[i] * people;
    };
    add_all(due, a.due);
    add_all(paid, a.paid);
    if (!a.quoted.empty()) add_all(quoted, a.quoted); // empty when nothing was denied
    add_all(due_total, a.due_total);
    add_all(paid_total, a.paid_total);
    add_all(quoted_total, a.quoted_total);
    total += a.total * people;
    quoted_sum += a.quoted_sum * people;
    if (!a.complete) incomplete += people;
    if (a.quoted_sum != money()) quoted_people += people;
  }
  void add(const totals& t) {
    auto add_all = [&](std::vector<money>& to, const std::vector<money>& from) {
      for (std::size_t i = 0; i < to.size(); ++i)
        to[i] += from[i];
    };
    add_all(due, t.due);
    add_all(paid, t.paid);
    add_all(quoted, t.quoted);
    add_all(due_total, t.due_total);
    add_all(paid_total, t.paid_total);
    add_all(quoted_total, t.quoted_total);
    total += t.total;
    quoted_sum += t.quoted_sum;
    incomplete += t.incomplete;
    quoted_people += t.quoted_people;
  }
};

// One thread's costing: people's amounts over one range, worked out by the payment engine.
// With `sharing`, people whose amounts are equal share one entry, so that keeping everyone's
// amounts takes memory by the distinct amounts, not by the people. It counts the people each
// entry stands for, so that the summary adds each entry once. Entries it returns stay valid until
// `trim`; their memory is reused after it, so costing allocates nothing once warm.
class costing {
public:
  struct entry {
    amounts paid;
    std::uint64_t people = 0; // counted so far, not yet in the sums
    std::size_t hash = 0;     // of the amounts, when shared
  };

  // `counting`: whether `sums` is wanted, or only the amounts.
  costing(const batch_plan& plan, month_range range, bool counting, bool sharing)
      : plan_(plan), counting_(counting), sharing_(sharing), schedule_(plan.policy.engine().schedule_for(range)),
        workspace_(plan.policy.engine()),
        sums_(static_cast<std::size_t>(range.size()), plan.programs.size(), plan.payers.size()) {}

  // The amounts of a person with the capped subsidies of the bits of `denied` waitlisted, counted
  // once for the sums.
  const amounts& of(std::span<const fact_value> facts, unsigned denied) {
    entry& e = find(facts, denied);
    ++e.people;
    return e.paid;
  }

  // The entry of a person, not counted: add one to its `people` when it is the one used.
  entry& find(std::span<const fact_value> facts, unsigned denied) {
    if (used_ == arena_.size()) arena_.emplace_back();
    entry& e = arena_[used_];
    evaluate(facts, denied, e.paid);
    e.people = 0;
    if (sharing_) {
      e.hash = hash_of(e.paid);
      const auto [at, inserted] = shared_.insert(&e);
      if (!inserted) return **at;
    }
    ++used_;
    bytes_ += bytes_of(e);
    return e;
  }

  // Adds what the entries stand for to the sums, and, unless they are shared, reuses their
  // memory; call only when no reference is held.
  void trim() {
    if (counting_)
      for (std::size_t i = 0; i < used_; ++i)
        if (arena_[i].people) sums_.add(arena_[i].paid, std::exchange(arena_[i].people, 0));
    if (!sharing_) {
      used_ = 0;
      bytes_ = 0;
    }
  }
  // The sums of every person costed so far.
  const totals& sums() {
    trim();
    return sums_;
  }
  // About how much memory the entries take.
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }

private:
  void evaluate(std::span<const fact_value> facts, unsigned denied, amounts& out) {
    std::array<std::uint32_t, batch::max_capped> waitlisted{};
    std::size_t count = 0;
    for (std::size_t c = 0; c < plan_.capped.size(); ++c)
      if (denied & (1U << c)) waitlisted[count++] = static_cast<std::uint32_t>(plan_.capped[c]);
    plan_.policy.engine().evaluate(facts, schedule_, std::span<const std::uint32_t>(waitlisted.data(), count),
                                   workspace_, out);
    out.grants.resize(plan_.capped.size());
    out.grant_months.resize(plan_.capped.size());
    for (std::size_t c = 0; c < plan_.capped.size(); ++c) {
      out.grants[c] = out.granted[plan_.capped[c]];
      out.grant_months[c] = out.granted_months[plan_.capped[c]];
    }
  }

  // A hash of the totals, in lanes that do not wait on each other; `same` compares the months.
  static std::size_t hash_of(const amounts& a) {
    std::uint64_t lanes[2] = {a.complete ? 1U : 2U, static_cast<std::uint64_t>(a.total.minor_units())};
    std::uint64_t k = 0;
    for (const auto* values : {&a.due_total, &a.paid_total, &a.quoted_total, &a.grants})
      for (const money m : *values) {
        lanes[k & 1] += static_cast<std::uint64_t>(m.minor_units()) * (0x9E37'79B9'7F4A'7C15ULL + k);
        ++k;
      }
    const std::uint64_t h = (lanes[0] ^ (lanes[1] * 0xC2B2'AE3D'27D4'EB4FULL));
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
  static bool same(const amounts& a, const amounts& b) {
    return a.complete == b.complete && a.total == b.total && a.quoted_sum == b.quoted_sum && a.due == b.due &&
           a.paid == b.paid && a.quoted == b.quoted && a.grants == b.grants && a.grant_months == b.grant_months;
  }
  static std::size_t bytes_of(const entry& e) {
    const amounts& a = e.paid;
    return sizeof(entry) + 32 +
           sizeof(money) *
               (a.due.capacity() + a.paid.capacity() + a.quoted.capacity() + a.due_total.capacity() +
                a.paid_total.capacity() + a.quoted_total.capacity() + a.granted.capacity() + a.grants.capacity()) +
           sizeof(std::uint32_t) * (a.granted_months.capacity() + a.grant_months.capacity());
  }
  struct entry_hash {
    std::size_t operator()(const entry* e) const noexcept { return e->hash; }
  };
  struct entry_equal {
    bool operator()(const entry* a, const entry* b) const noexcept {
      return a->hash == b->hash && same(a->paid, b->paid);
    }
  };

  const batch_plan& plan_;
  bool counting_;
  bool sharing_;
  payment_engine::schedule schedule_;
  payment_engine::workspace workspace_;
  std::deque<entry> arena_; // stable addresses; [0, used_) in use
  std::size_t used_ = 0;
  std::unordered_set<entry*, entry_hash, entry_equal> shared_;
  std::size_t bytes_ = 0;
  totals sums_;
};

// Every row of a roster in the order read: its id and line. Duplicates are found by sorting the
// ids once at the end (a hash table's scattered probes cost more than the rest of a row): by
// hash, and by the ids themselves where hashes are equal, so the result is exact.
class roster_ids {
public:
  // `counts`: whether the id takes part in finding duplicates (it could be read).
  void add(std::string_view id, std::size_t line, bool counts) {
    if (line > std::numeric_limits<std::uint32_t>::max())
      throw error(errc::out_of_range, "a batch reads rosters of at most 4,294,967,295 lines");
    text_ += id;
    end_.push_back(text_.size());
    line_.push_back(static_cast<std::uint32_t>(line));
    counts_.push_back(counts ? 1 : 0);
  }
  [[nodiscard]] std::size_t size() const noexcept { return end_.size(); }
  void reserve(std::size_t rows) {
    if (size() == 0) return;
    text_.reserve(rows * (text_.size() / size() + 1));
    end_.reserve(rows);
    line_.reserve(rows);
    counts_.reserve(rows);
  }
  [[nodiscard]] std::string_view id(std::size_t row) const noexcept {
    const std::size_t begin = row == 0 ? 0 : end_[row - 1];
    return std::string_view(text_).substr(begin, end_[row] - begin);
  }
  [[nodiscard]] std::size_t line(std::size_t row) const noexcept { return line_[row]; }

  // Adds each id read more than once to `out`, with its lines in order.
  template <class Map>
  void find_duplicates(Map& out) const {
    struct key {
      std::size_t hash;
      std::uint32_t row;
    };
    // Spread by the hash's top 16 bits (one counting pass), then each bucket sorted on its own:
    // over twice as fast as one sort of a million keys.
    constexpr unsigned spread = 48;
    std::vector<std::uint32_t> bucket_end((std::size_t{1} << (64 - spread)) + 1, 0);
    std::vector<key> keys;
    {
      std::vector<key> read;
      read.reserve(size());
      for (std::size_t row = 0; row < size(); ++row)
        if (counts_[row]) {
          read.push_back({std::hash<std::string_view>{}(id(row)), static_cast<std::uint32_t>(row)});
          ++bucket_end[(read.back().hash >> spread) + 1];
        }
      for (std::size_t b = 1; b < bucket_end.size(); ++b)
        bucket_end[b] += bucket_end[b - 1];
      keys.resize(read.size());
      for (const key& k : read) // rows stay in order within a bucket
        keys[bucket_end[k.hash >> spread]++] = k;
    }
    for (std::size_t b = 0, begin = 0; b + 1 < bucket_end.size(); begin = bucket_end[b++])
      std::sort(keys.begin() + static_cast<std::ptrdiff_t>(begin),
                keys.begin() + static_cast<std::ptrdiff_t>(bucket_end[b]), [&](const key& x, const key& y) {
                  if (x.hash != y.hash) return x.hash < y.hash;
                  if (const auto order = id(x.row).compare(id(y.row)); order != 0) return order < 0;
                  return x.row < y.row;
                });
    for (std::size_t i = 0; i < keys.size();) {
      std::size_t end = i + 1;
      while (end < keys.size() && keys[end].hash == keys[i].hash && id(keys[end].row) == id(keys[i].row))
        ++end;
      if (end - i > 1) {
        auto& found = out[std::string(id(keys[i].row))];
        for (std::size_t k = i; k < end; ++k)
          found.lines.push_back(line(keys[k].row));
        found.reason = reason(id(keys[i].row), found.lines);
      }
      i = end;
    }
  }

private:
  // "the id "B1" appears on lines 2 and 4; none of them is decided", naming at most five lines.
  static std::string reason(std::string_view id, const std::vector<std::size_t>& lines) {
    const std::size_t named = std::min<std::size_t>(lines.size(), 5);
    std::string out = "the id " + detail::quoted(id) + " appears on lines ";
    for (std::size_t i = 0; i < named; ++i)
      out += (i == 0 ? "" : i + 1 == lines.size() ? " and " : ", ") + std::to_string(lines[i]);
    if (lines.size() > named) out += " and " + std::to_string(lines.size() - named) + " more";
    return out + "; none of them is decided";
  }

  std::string text_;
  std::vector<std::uint64_t> end_; // where each row's id ends in `text_`
  std::vector<std::uint32_t> line_;
  std::vector<std::uint8_t> counts_;
};

// The candidates of the capped subsidies: found in the first read, ranked, then looked up by
// their row (in the order read) when the rows are handed out.
struct candidate_book {
  const roster_ids* ids = nullptr;
  std::size_t capped = 0;
  std::size_t grant_rows = 0;
  std::vector<std::uint32_t> row; // fits: roster_ids refuses rosters of more lines
  // Each candidate's ranking as words compared in order (`width` a candidate): per rank key of
  // each capped subsidy, whether it is missing, then its value turned so that unsigned order is
  // the key's order; last, a word of the id (`set_id_words`). Equal words fall back to the whole id.
  std::size_t width = 1;
  std::vector<std::uint64_t> words;
  std::vector<money> grant;       // [candidate * grant_rows * capped + row * capped + c]
  std::vector<quota_place> place; // [candidate * capped + c]
  std::vector<char> duplicate;
  // When the rows are kept between reading and handing out: each candidate's amounts under every
  // outcome of the capped subsidies, [candidate * outcomes + waitlisted bits]; null when too large.
  std::vector<costing::entry*> amounts_by_outcome;

  [[nodiscard]] std::size_t size() const noexcept { return row.size(); }
  [[nodiscard]] std::string_view id(std::size_t c) const noexcept { return ids->id(row[c]); }
  std::uint64_t& id_word(std::size_t c) { return words[c * width + width - 1]; }

  // Room for `candidates` (memory is only reserved: what is not used is never touched).
  void reserve(std::size_t candidates, std::size_t outcomes) {
    row.reserve(candidates);
    words.reserve(candidates * width);
    grant.reserve(candidates * grant_rows * capped);
    if (outcomes != 0) amounts_by_outcome.reserve(candidates * outcomes);
  }

  // Sets each candidate's id word to the 8 bytes of its id after the prefix all ids share
  // ("OKUT-" of "OKUT-0001234"), zero-padded: ordered as the ids are, so that ties on the ranking
  // keys rarely need the whole ids.
  void set_id_words() {
    if (size() == 0) return;
    std::size_t common = id(0).size();
    for (std::size_t c = 1; c < size() && common > 0; ++c) {
      const std::string_view a = id(0).substr(0, common), b = id(c);
      common = static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
    }
    for (std::size_t c = 0; c < size(); ++c) {
      const std::string_view suffix = id(c).substr(common);
      std::uint64_t word = 0;
      for (std::size_t b = 0; b < 8; ++b)
        word = word << 8 | (b < suffix.size() ? static_cast<unsigned char>(suffix[b]) : 0U);
      id_word(c) = word;
    }
  }

  // The candidates `skip` leaves in, ranked: by the words [first, last) (one subsidy's keys),
  // then the id word, then the whole id. Those words are first packed to the bits in which the
  // candidates differ (they all agree above those bits, so the order is kept), into a row per
  // candidate with its index last, so that comparing reads one place in memory: OKU Timur's
  // candidates, ranked by three keys and the id, sort as rows of 24 bytes. Past 7 words of bits
  // that differ (four keys or more, each differing in full), indices are sorted on the words.
  template <class Skip>
  std::vector<std::uint32_t> rank(std::size_t first, std::size_t last, Skip skip) const {
    std::vector<std::uint32_t> ranked;
    for (std::size_t c = 0; c < size(); ++c)
      if (!skip(c)) ranked.push_back(static_cast<std::uint32_t>(c));
    if (ranked.empty()) return ranked;
    std::vector<std::size_t> columns; // of `words`, in the order compared
    for (std::size_t k = first; k < last; ++k)
      columns.push_back(k);
    columns.push_back(width - 1);
    std::vector<std::size_t> bits(columns.size()); // per column: how many low bits differ
    std::size_t total = 0;
    const std::uint64_t* front = &words[ranked.front() * width];
    for (std::size_t k = 0; k < columns.size(); ++k) {
      std::uint64_t differ = 0;
      for (const std::uint32_t c : ranked)
        differ |= words[c * width + columns[k]] ^ front[columns[k]];
      bits[k] = static_cast<std::size_t>(std::bit_width(differ));
      total += bits[k];
    }
    auto sort_packed = [&]<std::size_t P>(std::integral_constant<std::size_t, P>) {
      using packed_row = std::array<std::uint64_t, P>; // the packed bits, then the index
      std::vector<packed_row> packed;
      packed.reserve(ranked.size());
      for (const std::uint32_t c : ranked) {
        const std::uint64_t* w = &words[c * width];
        packed_row out{};
        std::size_t at = 0; // bits written, from the first word's highest bit
        for (std::size_t k = 0; k < columns.size(); ++k)
          for (std::size_t left = bits[k]; left > 0;) {
            const std::size_t room = 64 - at % 64;
            const std::size_t take = std::min(room, left);
            const std::uint64_t part =
                (w[columns[k]] >> (left - take)) & (take == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << take) - 1);
            out[at / 64] |= part << (room - take);
            at += take;
            left -= take;
          }
        out.back() = c;
        packed.push_back(out);
      }
      std::sort(packed.begin(), packed.end(), [&](const packed_row& a, const packed_row& b) {
        const auto differ = std::mismatch(a.begin(), a.end() - 1, b.begin());
        if (differ.first != a.end() - 1) return *differ.first < *differ.second;
        return id(a.back()) < id(b.back());
      });
      for (std::size_t i = 0; i < packed.size(); ++i)
        ranked[i] = static_cast<std::uint32_t>(packed[i].back());
    };
    switch ((total + 63) / 64) {
    case 0:
    case 1: sort_packed(std::integral_constant<std::size_t, 2>()); break;
    case 2: sort_packed(std::integral_constant<std::size_t, 3>()); break;
    case 3: sort_packed(std::integral_constant<std::size_t, 4>()); break;
    case 4:
    case 5: sort_packed(std::integral_constant<std::size_t, 6>()); break;
    case 6:
    case 7: sort_packed(std::integral_constant<std::size_t, 8>()); break;
    default:
      std::sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
        for (const std::size_t k : columns)
          if (words[a * width + k] != words[b * width + k]) return words[a * width + k] < words[b * width + k];
        return id(a) < id(b);
      });
    }
    return ranked;
  }
};

// Rows read at a time. On one thread, few enough that a chunk's rows stay in the processor's cache
// between parsing, deciding and recording them (the recording took 0.13 s a million rows with
// 8192, 0.09 s with 128); more when threads share a chunk, so that starting them is paid rarely.
constexpr std::size_t chunk_rows_one_thread = 128;
constexpr std::size_t chunk_rows_threads = 8192;
constexpr std::size_t chunk_bytes = std::size_t{8} << 20; // of row text read at a time
constexpr std::size_t large_row = std::size_t{64} << 10;  // a row slot holding more gives it back
constexpr std::size_t npos = static_cast<std::size_t>(-1);

// Keeping the rows between the reads (docs/design.md): at most this many outcomes of the capped
// subsidies (two capped subsidies), else the roster is read a second time.
constexpr std::size_t max_kept_outcomes = 4;

// A person's decision as kept between reading and handing out: one copy for all people decided
// alike.
struct kept_decision {
  decision outcome;
  std::size_t rule = 0; // index into the batch's rules
  months_met met;       // of the batch's rules over the period
  friend bool operator==(const kept_decision&, const kept_decision&) = default;
};
struct kept_decision_hash {
  std::size_t operator()(const kept_decision& k) const noexcept {
    std::size_t h = std::hash<fact_set>{}(k.outcome.missing);
    auto mix = [&h](std::uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(k.outcome.rule);
    mix(static_cast<std::uint64_t>(k.outcome.result));
    mix(static_cast<std::uint64_t>(k.outcome.outcome));
    mix(k.outcome.failing);
    mix(k.rule);
    mix(k.met.count);
    mix(k.met.first ? static_cast<std::uint64_t>(k.met.first->year() * 12 + static_cast<int>(k.met.first->number()))
                    : 0);
    return h;
  }
};
using kept_decisions = std::unordered_set<kept_decision, kept_decision_hash>;

// A kept row: its decision and its amounts when no capped subsidy waitlists it (null when they are
// too large to count, or for a row that could not be read).
struct kept_row {
  const kept_decision* decided = nullptr;
  costing::entry* paid = nullptr;
};

// A row kept whole until it is handed out: one that could not be read (`row` is its rejection), or
// one whose amounts are too large to count under some outcome of the capped subsidies.
struct set_aside {
  std::size_t seq = 0;
  bool unreadable = false;
  rejected_row row;
  std::array<std::string, max_kept_outcomes> too_large; // by waitlisted bits: why not countable
};

// One row of a chunk while it is worked on.
struct row_work {
  std::size_t seq = 0; // the row's place in the roster, counting every row read
  bool readable = false;
  std::size_t candidate = npos;
  bool duplicate = false;
  decision outcome;
  std::size_t rule = 0; // index into the batch's rules
  months_met met;
  const amounts* paid = nullptr;
  std::vector<money> grants; // first read: the grant table
  std::string overflow;      // second read: why the row's amounts could not be counted
  // First read, when rows are kept: the decision and the amounts by waitlisted bits.
  const kept_decision* kept = nullptr;
  std::array<costing::entry*, max_kept_outcomes> by_outcome{};
  std::array<std::string, max_kept_outcomes> too_large;
};

// Each id read more than once, with its lines and the reason every one of its rows gives.
struct duplicate {
  std::vector<std::size_t> lines;
  std::string reason;
};
using duplicate_ids = std::map<std::string, duplicate, std::less<>>;

// The status decision on `as_of`: the first of `status_rules` that says yes, else the first
// undetermined, else the first rule's. Returns the rule's index in `status_rules`.
std::size_t decide_status(const bound_rules& rules, const std::vector<std::uint32_t>& status_rules,
                          std::span<const fact_value> facts, date as_of, decision& outcome) {
  std::optional<std::size_t> unknown;
  for (std::size_t r = 0; r < status_rules.size(); ++r) {
    const decision d = entitle::decide(rules, status_rules[r], facts, as_of);
    if (d.result == verdict::yes) {
      outcome = d;
      return r;
    }
    if (r == 0 || (!unknown && d.result == verdict::unknown)) outcome = d;
    if (!unknown && d.result == verdict::unknown) unknown = r;
  }
  return unknown.value_or(0);
}

constexpr std::array<period_value, 3> all_period_values = {period_value::covered_months, period_value::covered_from,
                                                           period_value::covered_until};

std::optional<period_value> period_value_of(std::string_view name) {
  for (const period_value v : all_period_values)
    if (name_of(v) == name) return v;
  return std::nullopt;
}

// The values `names` adds to each row: each a fact, a derived value or a value over the period,
// once. A fact or derived value named as a value over the period is shown in its place.
std::vector<output_column> output_columns(const bound_rules& rules, const std::vector<std::string>& names) {
  std::vector<output_column> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        names.begin() + static_cast<std::ptrdiff_t>(i))
      throw error(errc::invalid_syntax, "the column " + detail::quoted(name) + " is asked for twice in the output");
    const auto slot = rules.find_value(name);
    if (!slot) {
      if (const auto over = period_value_of(name)) {
        const bool count = *over == period_value::covered_months;
        out.push_back(
            {output_column::kind::period, name, 0, *over, field(name, count ? fact_type::integer : fact_type::month)});
        continue;
      }
      std::vector<std::string> all;
      for (const auto& f : rules.facts.fields())
        all.push_back(f.name);
      for (const auto& d : rules.derived)
        all.push_back(d.declared.name);
      for (const period_value v : all_period_values)
        all.emplace_back(name_of(v));
      const std::vector<std::string> close = detail::close_names(name, all);
      const auto quote = [](const std::string& n) -> const std::string& { return n; };
      throw error(errc::invalid_syntax,
                  "the column " + detail::quoted(name) + " asked for in the output is not one of the policy's facts" +
                      (rules.derived.empty() ? "" : ", derived values") + " or values over the period" +
                      (close.empty() ? "; they are " + detail::name_list(all, quote)
                                     : "; the close ones are " + detail::name_list(close, quote)));
    }
    out.push_back({rules.is_derived(*slot) ? output_column::kind::derived : output_column::kind::fact, name, *slot,
                   period_value::covered_months, rules.field_at(*slot)});
  }
  return out;
}

// One person's value of column `c`: the fact as read, or the derived value worked out on `as_of`;
// a value over the period is worked out with the amounts (`period_column_value`).
fact_value column_value(const output_column& c, const bound_rules& rules, std::span<const fact_value> facts,
                        date as_of) {
  if (c.what == output_column::kind::period) return fact_value::missing();
  if (c.what == output_column::kind::derived) return detail::evaluator(rules, facts, as_of).value(c.slot);
  return facts[c.slot];
}

// The period value `v` of a person whose amounts over `period` are `a`: a month is covered when
// some program is due more than Rp0 in it.
fact_value period_column_value(period_value v, const payment_amounts& a, month_range period) {
  const std::size_t months = static_cast<std::size_t>(period.size());
  const std::size_t programs = months == 0 ? 0 : a.due.size() / months;
  std::uint32_t count = 0;
  std::optional<std::size_t> first;
  std::optional<std::size_t> last;
  for (std::size_t m = 0; m < months; ++m) {
    const auto begin = a.due.begin() + static_cast<std::ptrdiff_t>(m * programs);
    if (!std::any_of(begin, begin + static_cast<std::ptrdiff_t>(programs), [](money d) { return d > money{}; }))
      continue;
    ++count;
    if (!first) first = m;
    last = m;
  }
  switch (v) {
  case period_value::covered_months: return fact_value::of_number(count);
  case period_value::covered_from:
    return first ? fact_value::of_month(period.first().plus(std::chrono::months(static_cast<int>(*first))))
                 : fact_value::missing();
  case period_value::covered_until:
    return last ? fact_value::of_month(period.first().plus(std::chrono::months(static_cast<int>(*last))))
                : fact_value::missing();
  }
  return fact_value::missing();
}

// The values of the output columns of each row kept between reading and handing out, in roster
// order: numbers, presence and the text of string values, so that no row keeps a record.
class kept_values {
public:
  kept_values(const std::vector<output_column>& columns, const bound_rules& rules, date as_of)
      : columns_(&columns), rules_(&rules), as_of_(as_of) {
    for (const auto& c : columns)
      text_.push_back(c.shown.type == fact_type::string);
  }
  // Adds a row's values; a row that could not be read has none.
  void add(std::span<const fact_value> facts) {
    const std::size_t width = columns_->size();
    for (std::size_t k = 0; k < width; ++k) {
      const fact_value v = facts.empty() ? fact_value::missing() : column_value((*columns_)[k], *rules_, facts, as_of_);
      numbers_.push_back(v.number);
      present_.push_back(v.present ? 1 : 0);
      if (text_[k] && v.present) chars_ += v.text;
      ends_.push_back(chars_.size());
    }
  }
  // The values of row `seq` into `out`, whose texts view what is kept.
  void get(std::size_t seq, std::vector<fact_value>& out) const {
    const std::size_t width = columns_->size();
    for (std::size_t k = 0; k < width; ++k) {
      const std::size_t at = seq * width + k;
      const std::size_t begin = at == 0 ? 0 : ends_[at - 1];
      out[k] = {numbers_[at], std::string_view(chars_).substr(begin, ends_[at] - begin), present_[at] != 0};
    }
  }
  [[nodiscard]] std::size_t bytes() const noexcept {
    return numbers_.size() * (sizeof(std::int64_t) + sizeof(std::uint64_t) + 1) + chars_.size();
  }

private:
  const std::vector<output_column>* columns_;
  const bound_rules* rules_;
  date as_of_;
  std::vector<bool> text_; // per column: a string value, whose text is kept
  std::vector<std::int64_t> numbers_;
  std::vector<std::uint8_t> present_;
  std::vector<std::uint64_t> ends_; // where each value's text ends in `chars_`
  std::string chars_;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// The batch

std::vector<std::string> default_batch_rules(const compiled_policy& policy) {
  const entitle::policy& p = policy.source();
  std::vector<std::string> out;
  for (const auto& e : p.enrolments)
    if (std::find(out.begin(), out.end(), e.who) == out.end()) out.push_back(e.who);
  if (!out.empty()) return out;
  const bound_rules& rules = policy.rules();
  std::vector<char> referenced(rules.rules.size(), 0);
  for (const auto& r : rules.rules)
    for (const auto q : r.requirements)
      referenced[q] = 1;
  for (const auto& n : rules.nodes)
    if (n.what == condition::kind::rule) referenced[static_cast<std::size_t>(n.low)] = 1;
  for (const auto& forms : policy.payments().when)
    for (const auto r : forms)
      if (r != detail::bound_payments::no_rule) referenced[r] = 1;
  for (const auto& b : p.benefits)
    if (const auto r = rules.find(b.when)) referenced[*r] = 1;
  std::vector<std::string> top;
  for (std::size_t i = 0; i < rules.rules.size(); ++i)
    if (!referenced[i]) top.push_back(rules.rules[i].id);
  if (top.size() == 1) return top;
  if (top.empty())
    throw error(errc::invalid_syntax, "the policy " + detail::quoted(p.id) +
                                          " has no enrolments, and each of its rules is used by another rule, a "
                                          "formula or a benefit; name the rules that decide a person's status");
  throw error(errc::invalid_syntax,
              "the policy " + detail::quoted(p.id) + " has several top-level rules (" +
                  detail::name_list(top, [](const std::string& s) -> const std::string& { return s; }) +
                  "); choose the rules that decide a person's status");
}

namespace {

// The policy compiled with `settings` (batch_options::settings); none when there are none.
std::shared_ptr<const compiled_policy> compiled_with(const compiled_policy& given,
                                                     const std::vector<setting>& settings) {
  if (settings.empty()) return nullptr;
  if (!given.settings().empty())
    throw error(errc::invalid_syntax,
                "the policy " + detail::quoted(given.source().id) + " was compiled with settings (" +
                    detail::name_list(given.settings(), [](const applied_setting& a) { return a.name; }) +
                    "); give the settings there or in batch_options::settings, not in both");
  return std::make_shared<const compiled_policy>(bind_policy(given.source(), settings));
}

} // namespace

batch::batch(const compiled_policy& policy, batch_options options)
    : own_(compiled_with(policy, options.settings)), policy_(own_ ? *own_ : policy), options_(std::move(options)) {
  if (options_.rules.empty()) options_.rules = default_batch_rules(policy_);
  for (const auto& id : options_.rules)
    rules_.push_back(policy_.rule(id).index);
  options_.threads = std::clamp(options_.threads, 1U, 256U);
  const entitle::policy& p = policy_.source();
  if (p.effective_from && options_.period.first() < month::of(*p.effective_from))
    throw error(errc::not_in_force, "the policy " + detail::quoted(p.id) + " takes effect on " +
                                        to_string(*p.effective_from) + "; the period starts " +
                                        to_string(options_.period.first()));
  if (p.effective_until && month::of(*p.effective_until) < options_.period.last())
    throw error(errc::not_in_force, "the policy " + detail::quoted(p.id) + " ends on " + to_string(*p.effective_until) +
                                        "; the period ends " + to_string(options_.period.last()));
  detail::check_figures_in_force(p, policy_.payments(), options_.period);
  programs_ = policy_.engine().programs();
  payers_ = policy_.engine().payers();
  for (const std::size_t s : policy_.payments().subsidy_order)
    if (p.subsidies[s].quota || p.subsidies[s].budget) {
      capped_.push_back(s);
      capped_ids_.push_back(p.subsidies[s].id);
    }
  if (capped_.size() > max_capped)
    throw error(failure(errc::out_of_range,
                        "a batch ranks at most " + std::to_string(max_capped) +
                            " subsidies with a quota or budget; this policy has " + std::to_string(capped_.size()),
                        "/subsidies"));
  columns_ = output_columns(policy.rules(), options_.columns);
}

batch_summary batch::run(row_source& source, const row_handler& on_row, const reject_handler& on_reject) const {
  const batch_plan shared(policy_, programs_, payers_, capped_);
  const entitle::policy& p = policy_.source();
  const bound_rules& rules = policy_.rules();
  const std::size_t capped_count = capped_.size();
  const unsigned threads = options_.threads;

  batch_summary sum;
  sum.policy = p.id;
  sum.settings = policy_.settings();
  sum.rules = options_.rules;
  sum.as_of = options_.as_of;
  sum.period = options_.period;
  sum.programs = programs_;
  sum.payers = payers_;
  sum.due_by_program.assign(programs_.size(), money());
  sum.paid_by_payer.assign(payers_.size(), money());
  const auto months = static_cast<std::size_t>(options_.period.size());
  sum.due_by_month.assign(months, std::vector<money>(programs_.size()));
  sum.paid_by_month.assign(months, std::vector<money>(payers_.size()));
  sum.quoted_by_month.assign(months, std::vector<money>(programs_.size()));
  for (std::size_t c = 0; c < capped_count; ++c) {
    const subsidy& s = p.subsidies[capped_[c]];
    sum.quotas.push_back({s.id, s.payer, shared.windows[c], s.quota, s.budget, 0, 0, 0, money(), 0, {}});
  }

  const std::size_t chunk_rows = threads == 1 ? chunk_rows_one_thread : chunk_rows_threads;
  // Two chunks in the pipeline (chunk_pipeline.hpp): one worked on, the other read or recorded.
  std::array<std::vector<roster_row>, 2> chunks{std::vector<roster_row>(chunk_rows),
                                                std::vector<roster_row>(chunk_rows)};
  std::array<std::vector<row_work>, 2> works{std::vector<row_work>(chunk_rows), std::vector<row_work>(chunk_rows)};
  const unsigned slots = 2 * threads; // what each thread owns, per chunk buffer
  // On one thread a row is parsed as it is read, while its text is at hand (about 5% of the run
  // faster than reading a chunk, then parsing it).
  const bool parse_while_reading = threads == 1;
  // Reads up to `chunk_rows` rows, or `chunk_bytes` of row text, so that memory stays bounded
  // however long the rows.
  auto read_chunk = [&](unsigned b, std::size_t& seq) {
    std::vector<roster_row>& chunk = chunks[b];
    std::vector<row_work>& work = works[b];
    std::size_t n = 0;
    std::size_t bytes = 0;
    for (auto& row : chunk)
      if (row.text.capacity() > large_row) row = roster_row{}; // give back what a long row took
    while (n < chunk_rows && bytes < chunk_bytes &&
           (parse_while_reading ? source.next(chunk[n]) : source.next_text(chunk[n]))) {
      row_work& w = work[n];
      w.seq = seq++;
      w.candidate = npos;
      w.duplicate = false;
      w.overflow.clear();
      bytes += chunk[n].text.size();
      ++n;
    }
    return n;
  };
  // Parses row `i` of chunk `b` in `slot`: rows are read in order on one thread and parsed on all.
  std::vector<roster_scratch> scratch(slots);
  auto parse_row = [&](unsigned b, std::size_t i, unsigned slot) {
    roster_row& row = chunks[b][i];
    if (!parse_while_reading) source.parse(row, scratch[slot]);
    if (!row.problem && !valid_utf8(row.id))
      row.problem = failure(errc::invalid_syntax, "the id is not valid UTF-8", source.id_column());
    works[b][i].readable = !row.problem;
  };
  auto strict_error = [&](std::size_t line, const failure& why) {
    failure f = why;
    f.location =
        "line " + std::to_string(line) + (why.location.empty() ? "" : ", column " + detail::escaped(why.location));
    return error(std::move(f));
  };
  // The status decision: the first of the batch's rules that says yes, else the first undetermined,
  // else the first rule's, and the months of the period in which one of them is yes. Returns the
  // rule's index.
  const monthly_status calendar(rules, rules_, options_.period);
  auto decide_row = [&](std::span<const fact_value> facts, decision& outcome, months_met& met) {
    const std::size_t rule = decide_status(rules, rules_, facts, options_.as_of, outcome);
    met = calendar.of(facts, outcome.result == verdict::yes, options_.as_of);
    return rule;
  };

  // First read: ids, and the candidates of capped subsidies with what each would be granted. While
  // what it takes stays small, each row's decision and amounts are kept too, so that the rows can
  // be handed out without reading the roster again (docs/design.md).
  roster_ids ids;
  duplicate_ids duplicates;
  std::optional<std::pair<std::size_t, failure>> first_problem; // for `strict`
  candidate_book book;
  book.ids = &ids;
  book.capped = capped_count;
  book.width = shared.key_count + 1;
  book.grant_rows = shared.grant_rows;
  const std::size_t outcomes = std::size_t{1} << capped_count; // of the capped subsidies: waitlisted bits
  bool keeping = outcomes <= max_kept_outcomes && options_.read_once_memory > 0;
  const bool same_range = shared.hull && *shared.hull == options_.period;
  std::vector<costing> kept_costs; // over the period, counted when handed out
  std::vector<kept_decisions> kept(slots);
  std::vector<kept_row> kept_rows;
  std::vector<set_aside> aside;
  kept_values kept_shown(columns_, policy_.rules(), options_.as_of); // the output columns' values
  std::size_t aside_bytes = 0;
  if (keeping)
    for (unsigned t = 0; t < slots; ++t)
      kept_costs.emplace_back(shared, options_.period, true, true);
  auto stop_keeping = [&] {
    keeping = false;
    std::vector<costing>().swap(kept_costs);
    kept = {};
    kept_rows = {};
    aside = {};
    kept_shown = kept_values(columns_, policy_.rules(), options_.as_of);
    book.amounts_by_outcome = {};
  };
  {
    std::vector<costing> grant_costs; // over the capped subsidies' windows, when not kept
    if (shared.hull)
      for (unsigned t = 0; t < slots; ++t)
        grant_costs.emplace_back(shared, *shared.hull, false, false);
    source.rewind();
    std::size_t seq = 0;
    bool reserved = false;
    auto read = [&](unsigned b) { return read_chunk(b, seq); };
    auto scan = [&](unsigned b, std::size_t begin, std::size_t end, unsigned t) {
      const std::vector<roster_row>& chunk = chunks[b];
      std::vector<row_work>& work = works[b];
      for (std::size_t i = begin; i < end; ++i) {
        parse_row(b, i, t);
        row_work& w = work[i];
        w.grants.clear();
        w.kept = nullptr;
        w.by_outcome.fill(nullptr);
        for (auto& why : w.too_large)
          why.clear();
        if (!w.readable) continue;
        const auto facts = chunk[i].facts.facts();
        auto cost = [&](unsigned waitlisted) { // kept rows: the amounts under one outcome
          if (w.by_outcome[waitlisted] || !w.too_large[waitlisted].empty()) return;
          try {
            w.by_outcome[waitlisted] = &kept_costs[t].find(facts, waitlisted);
          } catch (const error& e) {
            if (e.code() != errc::overflow) throw;
            w.too_large[waitlisted] = e.details().message;
          }
        };
        if (keeping) {
          kept_decision k;
          k.rule = decide_row(facts, k.outcome, k.met);
          w.kept = &*kept[t].insert(k).first;
          try {
            w.by_outcome[0] = &kept_costs[t].find(facts, 0);
          } catch (const error& e) {
            if (e.code() != errc::overflow) throw;
            w.too_large[0] = e.details().message;
          }
        }
        if (!shared.hull) continue;
        if (keeping && same_range) {
          // Grant row r: the subsidies of the bits of r, all before the last, waitlisted.
          for (std::size_t r = 0; r < shared.grant_rows; ++r) {
            cost(static_cast<unsigned>(r));
            if (!w.by_outcome[r]) { // too large: rejected when handed out
              w.grants.clear();
              break;
            }
            const auto& g = w.by_outcome[r]->paid.grants;
            w.grants.insert(w.grants.end(), g.begin(), g.end());
          }
        } else {
          try {
            for (std::size_t r = 0; r < shared.grant_rows; ++r) {
              const amounts& a = grant_costs[t].of(facts, static_cast<unsigned>(r));
              w.grants.insert(w.grants.end(), a.grants.begin(), a.grants.end());
            }
          } catch (const error& e) {
            if (e.code() != errc::overflow) throw;
            w.grants.clear(); // rejected when handed out, where the overflow is found again
          }
        }
        const bool candidate = std::any_of(w.grants.begin(), w.grants.end(), [](money m) { return m != money(); });
        if (keeping && candidate)
          for (unsigned waitlisted = 1; waitlisted < outcomes; ++waitlisted)
            cost(waitlisted);
      }
    };
    auto record = [&](unsigned b, std::size_t n) {
      const std::vector<roster_row>& chunk = chunks[b];
      const std::vector<row_work>& work = works[b];
      for (std::size_t i = 0; i < n; ++i) {
        const roster_row& row = chunk[i];
        const row_work& w = work[i];
        // Every id that could be read counts, so that a malformed copy still marks the others.
        ids.add(row.id, row.line, !row.id.empty() && valid_utf8(row.id));
        if (!w.readable) {
          if (!first_problem) first_problem.emplace(row.line, *row.problem);
          if (keeping) {
            kept_rows.push_back({});
            kept_shown.add({});
            aside_bytes += row.text.size() + row.id.size() + row.problem->message.size() + sizeof(set_aside);
            aside.push_back({w.seq,
                             true,
                             rejected_row{row.line, row.id, row.problem->location, row.problem->message, row.text},
                             {}});
          }
          continue;
        }
        if (keeping) {
          kept_rows.push_back({w.kept, w.by_outcome[0]});
          kept_shown.add(row.facts.facts());
          if (std::any_of(w.too_large.begin(), w.too_large.end(), [](const std::string& s) { return !s.empty(); })) {
            aside_bytes += row.text.size() + row.id.size() + sizeof(set_aside);
            for (const auto& why : w.too_large)
              aside_bytes += why.size();
            aside.push_back({w.seq, false, rejected_row{row.line, row.id, {}, {}, row.text}, w.too_large});
          }
        }
        const auto& g = w.grants;
        if (std::none_of(g.begin(), g.end(), [](money m) { return m != money(); })) continue;
        book.row.push_back(static_cast<std::uint32_t>(w.seq));
        for (const std::size_t s : capped_)
          for (const bound_rank_key& key : policy_.payments().rank_keys[s]) {
            const auto word = rank_word(key, policy_.rules(), row.facts.facts(), options_.as_of);
            book.words.push_back(word ? 0 : 1); // a present key ranks before a missing one
            book.words.push_back(word.value_or(0));
          }
        book.words.push_back(0); // the id word: `set_id_words`, once every id is known
        book.grant.insert(book.grant.end(), g.begin(), g.end());
        if (keeping)
          book.amounts_by_outcome.insert(book.amounts_by_outcome.end(), w.by_outcome.begin(),
                                         w.by_outcome.begin() + static_cast<std::ptrdiff_t>(outcomes));
      }
      if (!reserved) {
        reserved = true;
        // After the first chunk: room for the rows to come, by the source's estimate and an eighth
        // more (growing past a reservation copies everything once: a peak of one and a half times),
        // and for the candidates in the first chunk's proportion. Reserved memory that is never
        // used is never touched.
        std::size_t rows = std::min<std::size_t>(source.size_hint(), std::size_t{1} << 28);
        rows += rows / 8;
        if (rows > n) {
          try {
            ids.reserve(rows);
            if (keeping) kept_rows.reserve(rows);
            if (shared.hull) book.reserve(book.size() * (rows / n + 1) + 64, keeping ? outcomes : 0);
          } catch (const std::bad_alloc&) { // more than can be had at once: grow as rows come
          }
        }
      }
    };
    // Between chunks, with no other thread running: the grant amounts' memory is reused, and rows
    // stop being kept once what they take passes the limit.
    auto between = [&] {
      for (auto& c : grant_costs)
        c.trim();
      if (keeping) {
        std::size_t bytes = aside_bytes + kept_shown.bytes();
        for (const auto& c : kept_costs)
          bytes += c.bytes();
        for (const auto& d : kept)
          bytes += d.size() * (sizeof(kept_decision) + 32);
        if (bytes > options_.read_once_memory) stop_keeping();
      }
    };
    detail::pipeline(threads, read, scan, record, between);
  }
  ids.find_duplicates(duplicates);
  if (options_.strict) {
    // The first bad row in roster order: unreadable, or one of an id's several rows.
    const auto dup = std::min_element(duplicates.begin(), duplicates.end(), [](const auto& a, const auto& b) {
      return a.second.lines.front() < b.second.lines.front();
    });
    if (dup != duplicates.end() && (!first_problem || dup->second.lines.front() < first_problem->first))
      throw strict_error(dup->second.lines.front(),
                         failure(errc::invalid_syntax, dup->second.reason, source.id_column()));
    if (first_problem) throw strict_error(first_problem->first, first_problem->second);
  }
  // The rows of a duplicated id are rejected with their text, which is not kept: read again.
  if (!duplicates.empty()) stop_keeping();

  // Ranking: each capped subsidy in the order they apply, among the people it would pay given
  // what the ones before it did; whole people in rank order while the quota and budget last.
  book.duplicate.assign(book.size(), 0);
  for (std::size_t c = 0; c < book.size(); ++c)
    book.duplicate[c] = duplicates.contains(book.id(c)) ? 1 : 0;
  book.set_id_words();
  for (std::size_t q = 0; q < capped_count; ++q) {
    const subsidy& s = p.subsidies[capped_[q]];
    auto cost_of = [&](std::size_t c) {
      std::size_t row = 0;
      for (std::size_t before = 0; before < q; ++before)
        if (book.place[c * capped_count + before].status == quota_status::waitlisted) row |= std::size_t{1} << before;
      return book.grant[c * book.grant_rows * capped_count + row * capped_count + q];
    };
    const std::size_t first = shared.key_offset[q];
    const std::vector<std::uint32_t> ranked = // the candidates this subsidy would pay
        book.rank(first, first + 2 * s.rank_by.size(),
                  [&](std::size_t c) { return book.duplicate[c] || cost_of(c) == money(); });
    // The first subsidy's cost reads no place: made after its ranking, whose memory is freed.
    if (q == 0) book.place.assign(book.size() * capped_count, quota_place{});
    quota_fill& fill = sum.quotas[q];
    const allocation_result fell = allocate(ranked, {s.quota, s.budget}, cost_of, [&](std::size_t c, quota_place at) {
      book.place[c * capped_count + q] = at;
    });
    fill.candidates = ranked.size();
    fill.funded = fell.funded;
    fill.waitlisted = fell.waitlisted;
    fill.spent = fell.spent;
    fill.cut_by = fell.cut_by;
  }
  book.words = {};
  book.grant = {};

  // Handing out, in roster order, whether from the kept rows or from a second read.
  const std::vector<quota_place> no_places(capped_count);
  const std::string id_column = source.id_column();
  auto places_of = [&](std::size_t candidate) {
    return candidate == npos ? std::span<const quota_place>(no_places)
                             : std::span<const quota_place>(book.place).subspan(candidate * capped_count, capped_count);
  };
  auto waitlisted_bits = [&](std::size_t candidate) {
    unsigned bits = 0;
    if (candidate != npos)
      for (std::size_t q = 0; q < capped_count; ++q)
        if (book.place[candidate * capped_count + q].status == quota_status::waitlisted) bits |= 1U << q;
    return bits;
  };
  auto too_large_reason = [](std::string_view why) {
    return "the contributions of this row are too large to count: " + std::string(why);
  };
  auto reject = [&](const rejected_row& rejected) {
    if (options_.strict) throw strict_error(rejected.line, failure(errc::overflow, rejected.reason));
    ++sum.rejected;
    ++sum.rejected_by_column[rejected.column];
    if (on_reject) on_reject(rejected);
  };
  std::vector<fact_value> shown(columns_.size()); // the row's output columns
  auto hand_out = [&](std::size_t line, std::string_view id, const decision& d, std::size_t rule, const months_met& met,
                      const amounts& a, std::size_t candidate) {
    ++sum.decided;
    if (met.count != 0) {
      ++sum.eligible_in_period;
      if (d.outcome != status::eligible) ++sum.eligible_later;
    }
    switch (d.outcome) {
    case status::eligible: ++sum.eligible; break;
    case status::ineligible: {
      ++sum.ineligible;
      const std::string_view reason = policy_.first_reason(d);
      auto at = sum.ineligible_by_reason.find(reason);
      if (at == sum.ineligible_by_reason.end()) at = sum.ineligible_by_reason.emplace(reason, 0).first;
      ++at->second;
      break;
    }
    case status::undetermined:
      ++sum.undetermined;
      if (const std::string_view reason = policy_.first_reason(d); !reason.empty()) {
        auto at = sum.undetermined_by_reason.find(reason);
        if (at == sum.undetermined_by_reason.end()) at = sum.undetermined_by_reason.emplace(reason, 0).first;
        ++at->second;
      }
      for (const auto name : policy_.missing_facts(d)) {
        auto at = sum.undetermined_by_fact.find(name);
        if (at == sum.undetermined_by_fact.end()) at = sum.undetermined_by_fact.emplace(name, 0).first;
        ++at->second;
      }
      break;
    }
    batch_row out;
    out.line = line;
    out.id = id;
    out.outcome = d;
    out.rule = options_.rules[rule];
    out.eligible_from = met.first;
    out.eligible_months = met.count;
    out.due = a.due_total;
    out.paid = a.paid_total;
    out.total = a.total;
    out.quoted = a.quoted_sum;
    out.complete = a.complete;
    out.quotas = places_of(candidate);
    out.funded_months = a.grant_months;
    for (std::size_t k = 0; k < columns_.size(); ++k)
      if (columns_[k].what == output_column::kind::period)
        shown[k] = period_column_value(columns_[k].over, a, options_.period);
    out.values = shown;
    for (std::size_t q = 0; q < capped_count; ++q)
      if (out.quotas[q].status == quota_status::funded) sum.quotas[q].funded_months += a.grant_months[q];
    if (on_row) on_row(out);
  };
  // Adds up the people's amounts: a sum past 64 bits of sen is the batch's failure, not a row's.
  auto summing = [](auto&& add) {
    try {
      add();
    } catch (const error& e) {
      if (e.code() != errc::overflow) throw;
      throw error(errc::overflow, "the batch's totals are too large to count in sen (64 bits, about "
                                  "Rp92 quadrillion); check the roster's amounts: " +
                                      e.details().message);
    }
  };

  std::vector<costing> costs; // whose sums are the batch's
  if (keeping) {
    // From the kept rows: no second read.
    std::size_t candidate = 0;
    std::size_t next_aside = 0;
    for (std::size_t seq = 0; seq < kept_rows.size(); ++seq) {
      ++sum.rows_read;
      set_aside* whole = next_aside < aside.size() && aside[next_aside].seq == seq ? &aside[next_aside++] : nullptr;
      const kept_row& k = kept_rows[seq];
      if (!k.decided) {
        reject(whole->row);
        continue;
      }
      while (candidate < book.size() && book.row[candidate] < seq)
        ++candidate;
      const std::size_t c = candidate < book.size() && book.row[candidate] == seq ? candidate : npos;
      const unsigned waitlisted = waitlisted_bits(c);
      costing::entry* paid = c == npos ? k.paid : book.amounts_by_outcome[c * outcomes + waitlisted];
      if (!paid) {
        whole->row.reason = too_large_reason(whole->too_large[waitlisted]);
        reject(whole->row);
        continue;
      }
      ++paid->people; // added to the sums by `costing`
      kept_shown.get(seq, shown);
      hand_out(ids.line(seq), ids.id(seq), k.decided->outcome, k.decided->rule, k.decided->met, paid->paid, c);
    }
    costs = std::move(kept_costs);
  } else {
    // Second read: decide, cost with the quota outcomes, hand out in roster order.
    for (unsigned t = 0; t < slots; ++t)
      costs.emplace_back(shared, options_.period, true, false);
    source.rewind();
    std::size_t seq = 0;
    std::size_t cursor = 0;
    auto read = [&](unsigned b) {
      const std::size_t n = read_chunk(b, seq);
      for (std::size_t i = 0; i < n; ++i) { // the candidates among the rows, by their place
        row_work& w = works[b][i];
        while (cursor < book.size() && book.row[cursor] < w.seq)
          ++cursor;
        if (cursor < book.size() && book.row[cursor] == w.seq) w.candidate = cursor;
      }
      return n;
    };
    auto decide = [&](unsigned b, std::size_t begin, std::size_t end, unsigned t) {
      for (std::size_t i = begin; i < end; ++i) {
        parse_row(b, i, t);
        row_work& w = works[b][i];
        if (!w.readable) continue;
        const roster_row& row = chunks[b][i];
        w.duplicate = !duplicates.empty() && duplicates.find(row.id) != duplicates.end();
        if (w.duplicate) continue;
        const auto facts = row.facts.facts();
        w.rule = decide_row(facts, w.outcome, w.met);
        try {
          w.paid = &costs[t].of(facts, waitlisted_bits(w.candidate));
        } catch (const error& e) {
          if (e.code() != errc::overflow) throw;
          w.overflow = e.details().message;
        }
      }
    };
    auto emit = [&](unsigned b, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) {
        const roster_row& row = chunks[b][i];
        const row_work& w = works[b][i];
        ++sum.rows_read;
        if (!w.readable) {
          reject(rejected_row{row.line, row.id, row.problem->location, row.problem->message, row.text});
        } else if (w.duplicate) {
          reject(rejected_row{row.line, row.id, id_column, duplicates.find(row.id)->second.reason, row.text});
        } else if (!w.overflow.empty()) {
          reject(rejected_row{row.line, row.id, {}, too_large_reason(w.overflow), row.text});
        } else {
          for (std::size_t k = 0; k < columns_.size(); ++k)
            shown[k] = column_value(columns_[k], policy_.rules(), row.facts.facts(), options_.as_of);
          hand_out(row.line, row.id, w.outcome, w.rule, w.met, *w.paid, w.candidate);
        }
      }
      summing([&] { // the amounts of this chunk are counted, and their memory reused
        for (unsigned t = b * threads; t < (b + 1) * threads; ++t)
          costs[t].trim();
      });
    };
    detail::pipeline(threads, read, decide, emit, [] {});
  }
  totals all(months, programs_.size(), payers_.size());
  summing([&] {
    for (auto& c : costs)
      all.add(c.sums());
  });
  for (std::size_t m = 0; m < months; ++m) {
    for (std::size_t k = 0; k < programs_.size(); ++k)
      sum.due_by_month[m][k] = all.due[m * programs_.size() + k];
    for (std::size_t k = 0; k < payers_.size(); ++k)
      sum.paid_by_month[m][k] = all.paid[m * payers_.size() + k];
    for (std::size_t k = 0; k < programs_.size(); ++k)
      sum.quoted_by_month[m][k] = all.quoted[m * programs_.size() + k];
  }
  sum.due_by_program = all.due_total;
  sum.paid_by_payer = all.paid_total;
  sum.total = all.total;
  sum.quoted_by_program = all.quoted_total;
  sum.quoted = all.quoted_sum;
  sum.quoted_people = all.quoted_people;
  sum.incomplete = all.incomplete;
  sum.blank_lines = source.blank_lines();
  return sum;
}

explanation batch::explain(const record& person, std::span<const quota_place> quotas,
                           const batch_summary& summary) const {
  const auto facts = person.facts();
  decision status;
  const std::size_t chosen = decide_status(policy_.rules(), rules_, facts, options_.as_of, status);
  explanation out = policy_.explain(rule_handle{rules_[chosen]}, person, options_.as_of);
  std::vector<std::pair<std::size_t, std::string>> denied_notes;
  std::vector<std::uint32_t> denied;
  for (std::size_t q = 0; q < capped_.size() && q < quotas.size(); ++q) {
    if (quotas[q].status != quota_status::waitlisted) continue;
    const quota_fill& fill = summary.quotas.at(q);
    std::string why = "waitlisted at rank " + std::to_string(quotas[q].rank) + " of " +
                      std::to_string(fill.candidates) + " candidates";
    if (fill.cut_by == "quota") why += "; the quota of " + std::to_string(*fill.quota) + " people is filled";
    if (fill.cut_by == "budget")
      why += "; the budget of " + to_rupiah_string(*fill.budget) + " is spent (" + to_rupiah_string(fill.spent) +
             " to the people ranked before)";
    denied_notes.emplace_back(capped_[q], std::move(why));
    denied.push_back(static_cast<std::uint32_t>(capped_[q]));
  }
  const payment_engine& engine = policy_.engine();
  payment_engine::workspace w(engine);
  payment_amounts amounts;
  statement_tracer trace(engine, options_.period, std::move(denied_notes));
  engine.evaluate(facts, engine.schedule_for(options_.period), denied, w, amounts, trace);
  out.contributions = std::move(trace).statement();
  return out;
}

} // namespace entitle
