// Batch evaluation (docs/batch.md): two reads of a roster, ranking for capped subsidies, costing
// with a cache keyed on what the payment sections can see of a person.
#include <entitle/io/batch.hpp>

#include <entitle/io/core_json.hpp>

#include <boost/json/serialize.hpp>
#include <boost/locale/utf.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace entitle {

// ---------------------------------------------------------------------------------------------
// Sources

roster_stream::roster_stream(const schema& facts, roster_format format, roster_options options)
    : facts_(facts), format_(format), options_(std::move(options)) {}

roster_stream::~roster_stream() = default;

void roster_stream::rewind() {
  auto in = open();
  const std::string here = name();
  if (!*in) throw error(errc::invalid_syntax, "cannot open the roster " + here);
  try {
    reader_ = std::make_unique<roster_reader>(*in, facts_, format_, options_);
  } catch (const error& e) {
    failure f = e.details();
    if (!here.empty()) f.message = here + ": " + f.message;
    throw error(std::move(f));
  }
  in_ = std::move(in); // the reader keeps a reference to the stream, which moving the pointer keeps
}

bool roster_stream::next(roster_row& row) {
  if (reader_->next(row)) return true;
  if (in_->bad()) throw error(errc::invalid_syntax, "cannot read the roster " + name());
  return false;
}

std::size_t roster_stream::blank_lines() const noexcept { return reader_->blank_lines(); }
const roster_reader& roster_stream::reader() const noexcept { return *reader_; }

roster_file::roster_file(std::filesystem::path path, const schema& facts, roster_format format, roster_options options)
    : roster_stream(facts, format, std::move(options)), path_(std::move(path)) {
  rewind();
}

std::unique_ptr<std::istream> roster_file::open() const {
  if (std::filesystem::is_directory(path_))
    throw error(errc::invalid_syntax, "the roster " + path_.string() + " is a directory, not a file");
  return std::make_unique<std::ifstream>(path_, std::ios::binary);
}

roster_text::roster_text(std::string text, const schema& facts, roster_format format, roster_options options)
    : roster_stream(facts, format, std::move(options)), text_(std::move(text)) {
  rewind();
}

std::unique_ptr<std::istream> roster_text::open() const { return std::make_unique<std::istringstream>(text_); }

// ---------------------------------------------------------------------------------------------
// What a batch works out per person

namespace {

// A person's amounts over a range of months: due by month and program, paid by month and payer,
// and what each capped subsidy grants over the range.
struct amounts {
  std::vector<money> due;  // [month * programs + program]
  std::vector<money> paid; // [month * payers + payer]
  std::vector<money> due_total;
  std::vector<money> paid_total;
  std::vector<money> grants; // [capped]
  money total;
  bool complete = true;
};

std::size_t index_in(const std::vector<std::string>& names, std::string_view name) {
  const auto at = std::find(names.begin(), names.end(), name);
  if (at == names.end())
    throw error(errc::invalid_syntax, "internal: " + detail::quoted(name) + " is not a column of the batch");
  return static_cast<std::size_t>(at - names.begin());
}

void put_number(std::string& key, std::int64_t n) {
  char bytes[sizeof n];
  std::memcpy(bytes, &n, sizeof n);
  key.append(bytes, sizeof n);
}

// The date facts rule `r` reads through an age or a count of months, with how, in it or in the
// rules it refers to: the evaluation date reaches a rule only through these (`derived_number`), so
// a rule with none is decided once for a whole range of months, and one with some is decided
// again only in a month where one of them changes.
std::vector<std::pair<std::size_t, derivation>> date_inputs(const bound_rules& rules, std::uint32_t r) {
  std::vector<std::pair<std::size_t, derivation>> out;
  auto add = [&](std::size_t slot, derivation how) {
    const bool dated = how == derivation::age_in_years || how == derivation::months_since;
    if (dated && std::find(out.begin(), out.end(), std::pair(slot, how)) == out.end()) out.emplace_back(slot, how);
  };
  std::vector<char> seen(rules.rules.size(), 0);
  std::vector<std::uint32_t> rule_stack{r};
  std::vector<std::uint32_t> node_stack;
  while (!rule_stack.empty()) {
    const std::uint32_t at = rule_stack.back();
    rule_stack.pop_back();
    if (seen[at]) continue;
    seen[at] = 1;
    const bound_rule& rule = rules.rules[at];
    rule_stack.insert(rule_stack.end(), rule.requirements.begin(), rule.requirements.end());
    if (rule.root) node_stack.push_back(*rule.root);
    while (!node_stack.empty()) {
      const bound_node& n = rules.nodes[node_stack.back()];
      node_stack.pop_back();
      switch (n.what) {
      case condition::kind::all:
      case condition::kind::any:
      case condition::kind::negation:
        for (std::uint32_t k = 0; k < n.count; ++k)
          node_stack.push_back(rules.child_index[n.first + k]);
        break;
      case condition::kind::rule: rule_stack.push_back(static_cast<std::uint32_t>(n.low)); break;
      default:
        add(n.slot, n.derive);
        if (n.against_fact) add(n.other_slot, n.other_derive);
      }
    }
  }
  return out;
}

// What every thread shares: the policy's payment sections reduced to what costing reads.
struct batch_plan {
  const compiled_policy& policy;
  const std::vector<std::string>& programs;
  const std::vector<std::string>& payers;
  std::vector<std::size_t> capped; // subsidy indexes, in the order they apply
  struct dated_rule {
    std::uint32_t rule;
    std::vector<std::pair<std::size_t, derivation>> inputs; // see `date_inputs`
  };
  std::vector<std::uint32_t> payment_rules; // rules the payment walk decides that ignore the date
  std::vector<dated_rule> monthly_rules;    // rules the payment walk decides that read the date
  std::vector<std::size_t> base_slots;      // every fact a formula's base reads
  std::vector<std::string> capped_sources;  // "subsidy <id>" per capped subsidy
  std::vector<month_range> windows;         // per capped subsidy, within the policy's dates
  std::optional<month_range> hull;          // all windows
  std::size_t key_count = 0;                // ranking words of all capped subsidies (see candidate_book)
  std::vector<std::size_t> key_offset;      // per capped subsidy: its first ranking word
  std::size_t grant_rows = 0;               // 2^(capped - 1): one per outcome of all but the last

  batch_plan(const compiled_policy& p, const std::vector<std::string>& program_names,
             const std::vector<std::string>& payer_names, const std::vector<std::size_t>& capped_subsidies)
      : policy(p), programs(program_names), payers(payer_names), capped(capped_subsidies) {
    const auto& pay = p.payments();
    const entitle::policy& source = p.source();
    auto add_rule = [&](std::uint32_t r) {
      if (r == detail::bound_payments::no_rule) return;
      if (std::find(payment_rules.begin(), payment_rules.end(), r) != payment_rules.end() ||
          std::any_of(monthly_rules.begin(), monthly_rules.end(), [&](const dated_rule& d) { return d.rule == r; }))
        return;
      auto inputs = date_inputs(p.rules(), r);
      if (inputs.empty())
        payment_rules.push_back(r);
      else
        monthly_rules.push_back({r, std::move(inputs)});
    };
    // What the payment walk can read of a person: the enrolment and subsidy rules, and the rules and
    // base facts of the formulas of the categories people are enrolled in.
    for (std::size_t e = 0; e < source.enrolments.size(); ++e) {
      add_rule(pay.enrolment_rule[e]);
      for (const std::size_t prog : pay.enrolment_programs[e])
        for (std::size_t f = 0; f < source.programs[prog].formulas.size(); ++f) {
          if (source.programs[prog].formulas[f].category != source.enrolments[e].category) continue;
          add_rule(pay.when[prog][f]);
          const auto& slot = pay.base_slot[prog][f];
          if (slot && std::find(base_slots.begin(), base_slots.end(), *slot) == base_slots.end())
            base_slots.push_back(*slot);
        }
    }
    for (const auto r : pay.subsidy_rule)
      add_rule(r);
    for (const std::size_t s : capped) {
      capped_sources.push_back("subsidy " + source.subsidies[s].id);
      month first = source.subsidies[s].window.first();
      month last = source.subsidies[s].window.last();
      if (source.effective_from && first < month::of(*source.effective_from)) first = month::of(*source.effective_from);
      if (source.effective_until && month::of(*source.effective_until) < last)
        last = month::of(*source.effective_until);
      if (last < first) {
        windows.push_back(source.subsidies[s].window); // never in force: nobody is a candidate
        continue;
      }
      windows.emplace_back(first, last);
      hull =
          hull ? month_range(std::min(hull->first(), first), std::max(hull->last(), last)) : month_range(first, last);
    }
    for (const std::size_t s : capped) {
      key_offset.push_back(key_count);
      key_count += 2 * pay.rank_slots[s].size();
    }
    grant_rows = capped.empty() ? 0 : std::size_t{1} << (capped.size() - 1);
  }

  [[nodiscard]] amounts reduce(const contribution_statement& st, month_range range) const {
    const std::size_t program_count = programs.size();
    const std::size_t payer_count = payers.size();
    const auto months = static_cast<std::size_t>(range.size());
    amounts out;
    out.due.assign(months * program_count, money());
    out.paid.assign(months * payer_count, money());
    out.due_total.assign(program_count, money());
    out.paid_total.assign(payer_count, money());
    out.grants.assign(capped.size(), money());
    for (const auto& item : st.items) {
      const auto m = static_cast<std::size_t>(months_between(range.first(), item.when));
      const std::size_t prog = index_in(programs, item.program);
      out.due[m * program_count + prog] += item.due;
      out.due_total[prog] += item.due;
      if (item.outcome == status::undetermined) out.complete = false;
      for (const auto& line : item.lines) {
        if (line.what == payment_line::kind::recomposed) continue;
        const std::size_t payer = index_in(payers, line.payer);
        out.paid[m * payer_count + payer] += line.amount;
        out.paid_total[payer] += line.amount;
        out.total += line.amount;
        if (line.what == payment_line::kind::subsidy)
          for (std::size_t c = 0; c < capped_sources.size(); ++c)
            if (line.source == capped_sources[c]) out.grants[c] += line.amount;
      }
    }
    return out;
  }
};

// Sums of amounts over the people of a batch.
struct totals {
  std::vector<money> due;  // [month * programs + program]
  std::vector<money> paid; // [month * payers + payer]
  std::vector<money> due_total;
  std::vector<money> paid_total;
  money total;
  std::uint64_t incomplete = 0;

  totals(std::size_t months, std::size_t programs, std::size_t payers)
      : due(months * programs), paid(months * payers), due_total(programs), paid_total(payers) {}

  void add(const amounts& a, std::uint64_t people) {
    auto add_all = [&](std::vector<money>& to, const std::vector<money>& from) {
      for (std::size_t i = 0; i < to.size(); ++i)
        to[i] += from[i] * people;
    };
    add_all(due, a.due);
    add_all(paid, a.paid);
    add_all(due_total, a.due_total);
    add_all(paid_total, a.paid_total);
    total += a.total * people;
    if (!a.complete) incomplete += people;
  }
  void add(const totals& t) {
    auto add_all = [&](std::vector<money>& to, const std::vector<money>& from) {
      for (std::size_t i = 0; i < to.size(); ++i)
        to[i] += from[i];
    };
    add_all(due, t.due);
    add_all(paid, t.paid);
    add_all(due_total, t.due_total);
    add_all(paid_total, t.paid_total);
    total += t.total;
    incomplete += t.incomplete;
  }
};

// One thread's costing: a person's amounts over one range, cached by everything the payment
// sections can see of the person (the decisions of their rules month by month, and the base
// facts), so that people alike are costed once. It also counts the people each amounts stand
// for, so that the summary adds each amounts once. References it returns stay valid until `trim`.
class costing {
public:
  // `counting`: whether `sums` is wanted (the second read), or only the amounts (the first).
  costing(const batch_plan& plan, month_range range, bool counting)
      : plan_(plan), range_(range), counting_(counting),
        sums_(static_cast<std::size_t>(range.size()), plan.programs.size(), plan.payers.size()) {
    for (const auto& dated : plan.monthly_rules)
      inputs_.resize(std::max(inputs_.size(), dated.inputs.size()));
  }

  const amounts& of(std::span<const fact_value> facts, unsigned denied) {
    key_.clear();
    key_.push_back(static_cast<char>(denied));
    const bound_rules& rules = plan_.policy.rules();
    auto add = [&](std::uint32_t r, date day) {
      const decision d = entitle::decide(rules, r, facts, day);
      key_.push_back(static_cast<char>(d.result));
      if (d.result == verdict::unknown)
        for (std::size_t slot = 0; slot < rules.facts.size(); ++slot)
          if (d.missing.test(slot)) put_number(key_, static_cast<std::int64_t>(slot));
    };
    for (const std::uint32_t r : plan_.payment_rules)
      add(r, range_.first().first_day());
    for (const auto& dated : plan_.monthly_rules) {
      // Decided again only in a month where an age or month count it reads has changed.
      std::size_t decided_at = 0;
      bool first = true;
      for (const month m : range_) {
        const std::int64_t day = date_number(m.first_day());
        bool changed = first;
        std::size_t i = 0;
        for (const auto& [slot, how] : dated.inputs) {
          const std::int64_t now = facts[slot].present ? detail::derived_number(day, facts[slot].number, how) : 0;
          if (first)
            inputs_[i] = now;
          else if (inputs_[i] != now) {
            inputs_[i] = now;
            changed = true;
          }
          ++i;
        }
        if (changed) {
          decided_at = key_.size();
          add(dated.rule, m.first_day());
        } else {
          key_.append(key_, decided_at, 1); // the same verdict as the month before
        }
        first = false;
      }
    }
    for (const std::size_t slot : plan_.base_slots) {
      key_.push_back(facts[slot].present ? 1 : 0);
      put_number(key_, facts[slot].present ? facts[slot].number : 0);
    }
    auto hit = cache_.find(key_);
    if (hit == cache_.end()) {
      const compiled_policy& p = plan_.policy;
      detail::payment_walk walk(p.source(), p.rules(), p.payments(), facts);
      for (std::size_t c = 0; c < plan_.capped.size(); ++c)
        if (denied & (1U << c)) walk.deny(plan_.capped[c], "waitlisted");
      hit = cache_.emplace(key_, entry{plan_.reduce(walk.run(range_), range_), 0}).first;
    }
    ++hit->second.people;
    return hit->second.paid;
  }

  // Adds what the cached amounts stand for to the sums, and forgets them when there are many;
  // call only when no reference is held.
  void trim(bool all = false) {
    if (!all && cache_.size() < max_entries) return;
    if (counting_)
      for (auto& [key, e] : cache_)
        if (e.people) sums_.add(e.paid, std::exchange(e.people, 0));
    if (cache_.size() >= max_entries) cache_.clear();
  }
  // The sums of every person costed so far.
  const totals& sums() {
    trim(true);
    return sums_;
  }

private:
  struct entry {
    amounts paid;
    std::uint64_t people;
  };
  static constexpr std::size_t max_entries = 1 << 14;
  const batch_plan& plan_;
  month_range range_;
  bool counting_;
  std::string key_;
  std::vector<std::int64_t> inputs_; // the ages and month counts of one rule, month to month
  std::unordered_map<std::string, entry> cache_;
  totals sums_;
};

// Runs `work(begin, end, thread)` over [0, n) split between `threads`, rethrowing the first
// exception a thread threw.
template <class Work>
void in_parallel(std::size_t n, unsigned threads, Work&& work) {
  if (threads <= 1 || n < 64) {
    work(std::size_t{0}, n, 0U);
    return;
  }
  const std::size_t per = (n + threads - 1) / threads;
  std::vector<std::exception_ptr> failed(threads);
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads && t * per < n; ++t)
      pool.emplace_back([&, t] {
        try {
          work(t * per, std::min(n, (t + 1) * per), t);
        } catch (...) {
          failed[t] = std::current_exception();
        }
      });
    try {
      work(std::size_t{0}, std::min(n, per), 0U);
    } catch (...) {
      failed[0] = std::current_exception();
    }
  }
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
}

// The candidates of the capped subsidies: found in the first read, ranked, then looked up by
// ordinal (the count of readable rows before them) in the second.
struct candidate_book {
  std::size_t capped = 0;
  std::size_t grant_rows = 0;
  std::vector<std::uint32_t> ordinal; // fits: id_register refuses rosters of more lines
  std::vector<std::size_t> id_at{0};
  std::string id_text;
  // Each candidate's ranking as words compared in order (`width` a candidate): per rank key of
  // each capped subsidy, whether it is missing, then its value turned so that unsigned order is
  // the key's order; last, a word of the id (`set_id_words`). Equal words fall back to the whole id.
  std::size_t width = 1;
  std::vector<std::uint64_t> words;
  // When one subsidy is capped and ranks by at most 3 keys (the usual case), each candidate's
  // words sit in a row of their own with the candidate's index last, so that ranking sorts the
  // rows themselves: comparing then reads one place in memory, not two far apart (twice as fast
  // for a million candidates), and no copy is made.
  static constexpr std::size_t row_words = 8;
  using row = std::array<std::uint64_t, row_words>;
  bool compact = false;
  std::vector<row> rows;
  std::vector<money> grant;       // [candidate * grant_rows * capped + row * capped + c]
  std::vector<quota_place> place; // [candidate * capped + c]
  std::vector<char> duplicate;

  [[nodiscard]] std::size_t size() const noexcept { return ordinal.size(); }

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
      (compact ? rows[c][width - 1] : words[c * width + width - 1]) = word;
    }
  }
  [[nodiscard]] std::string_view id(std::size_t c) const noexcept {
    return std::string_view(id_text).substr(id_at[c], id_at[c + 1] - id_at[c]);
  }
};

// Every id of a roster with its line, kept in the order read (a hash table's scattered probes
// cost more than the rest of a row); duplicates are found by sorting once at the end: by hash,
// and by the ids themselves where hashes are equal, so the result is exact.
class id_register {
public:
  void add(std::string_view id, std::size_t line) {
    if (line > std::numeric_limits<std::uint32_t>::max() || id.size() > std::numeric_limits<std::uint32_t>::max())
      throw error(errc::out_of_range, "a batch reads rosters of at most 4,294,967,295 lines");
    entries_.push_back({std::hash<std::string_view>{}(id), text_.size(), static_cast<std::uint32_t>(line),
                        static_cast<std::uint32_t>(id.size())});
    text_ += id;
  }

  // Adds each id read more than once to `out`, with its lines in order, and forgets the ids.
  template <class Map>
  void find_duplicates(Map& out) {
    std::sort(entries_.begin(), entries_.end(), [&](const entry& a, const entry& b) {
      if (a.hash != b.hash) return a.hash < b.hash;
      if (const auto order = id(a).compare(id(b)); order != 0) return order < 0;
      return a.line < b.line;
    });
    for (std::size_t i = 0; i < entries_.size();) {
      std::size_t end = i + 1;
      while (end < entries_.size() && entries_[end].hash == entries_[i].hash && id(entries_[end]) == id(entries_[i]))
        ++end;
      if (end - i > 1) {
        auto& found = out[std::string(id(entries_[i]))];
        for (std::size_t k = i; k < end; ++k)
          found.lines.push_back(entries_[k].line);
        found.reason = reason(id(entries_[i]), found.lines);
      }
      i = end;
    }
    entries_ = {};
    text_ = {};
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

  struct entry {
    std::size_t hash;
    std::size_t offset;
    std::uint32_t line;
    std::uint32_t size;
  };
  [[nodiscard]] std::string_view id(const entry& e) const { return std::string_view(text_).substr(e.offset, e.size); }
  std::vector<entry> entries_;
  std::string text_;
};

constexpr std::size_t chunk_rows = 8192;
constexpr std::size_t chunk_bytes = std::size_t{8} << 20; // of row text read at a time
constexpr std::size_t large_row = std::size_t{64} << 10;  // a row slot holding more gives it back
constexpr std::size_t npos = static_cast<std::size_t>(-1);

// One row of a chunk while it is worked on.
struct row_work {
  std::size_t ordinal = npos; // npos: rejected
  std::size_t candidate = npos;
  bool duplicate = false;
  decision outcome;
  std::size_t rule = 0; // index into the batch's rules
  const amounts* paid = nullptr;
  std::vector<money> grants; // first read: the grant table
  std::string overflow;      // second read: why the row's amounts could not be counted
};

// Each id read more than once, with its lines and the reason every one of its rows gives.
struct duplicate {
  std::vector<std::size_t> lines;
  std::string reason;
};
using duplicate_ids = std::map<std::string, duplicate, std::less<>>;

// True when `text` is well-formed UTF-8, as JSON output needs.
bool valid_utf8(std::string_view text) {
  using traits = boost::locale::utf::utf_traits<char>;
  for (auto at = text.begin(); at != text.end();) {
    const auto c = traits::decode(at, text.end());
    if (c == boost::locale::utf::illegal || c == boost::locale::utf::incomplete) return false;
  }
  return true;
}

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

batch::batch(const compiled_policy& policy, batch_options options) : policy_(policy), options_(std::move(options)) {
  if (options_.rules.empty()) options_.rules = default_batch_rules(policy);
  for (const auto& id : options_.rules)
    rules_.push_back(policy.rule(id).index);
  options_.threads = std::clamp(options_.threads, 1U, 256U);
  const entitle::policy& p = policy.source();
  if (p.effective_from && options_.period.first() < month::of(*p.effective_from))
    throw error(errc::not_in_force, "the policy " + detail::quoted(p.id) + " takes effect on " +
                                        to_string(*p.effective_from) + "; the period starts " +
                                        to_string(options_.period.first()));
  if (p.effective_until && month::of(*p.effective_until) < options_.period.last())
    throw error(errc::not_in_force, "the policy " + detail::quoted(p.id) + " ends on " + to_string(*p.effective_until) +
                                        "; the period ends " + to_string(options_.period.last()));
  auto add = [](std::vector<std::string>& names, const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const auto& e : p.enrolments)
    for (const auto& id : e.programs) {
      add(programs_, id);
      const program& prog = p.programs[detail::find_program(p, id)];
      for (const auto& f : prog.formulas)
        if (f.category == e.category)
          for (const auto& part : f.parts)
            if (!part.payer.empty()) {
              const auto role = e.roles.find(part.payer);
              add(payers_, role == e.roles.end() ? part.payer : role->second);
            }
    }
  for (const auto& s : p.subsidies)
    add(payers_, s.payer);
  for (const std::size_t s : policy.payments().subsidy_order)
    if (p.subsidies[s].quota || p.subsidies[s].budget) {
      capped_.push_back(s);
      capped_ids_.push_back(p.subsidies[s].id);
    }
  if (capped_.size() > max_capped)
    throw error(failure(errc::out_of_range,
                        "a batch ranks at most " + std::to_string(max_capped) +
                            " subsidies with a quota or budget; this policy has " + std::to_string(capped_.size()),
                        "/subsidies"));
}

batch_summary batch::run(row_source& source, const row_handler& on_row, const reject_handler& on_reject) const {
  const batch_plan shared(policy_, programs_, payers_, capped_);
  const entitle::policy& p = policy_.source();
  const bound_rules& rules = policy_.rules();
  const std::size_t capped_count = capped_.size();
  const unsigned threads = options_.threads;

  batch_summary sum;
  sum.policy = p.id;
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
  for (std::size_t c = 0; c < capped_count; ++c) {
    const subsidy& s = p.subsidies[capped_[c]];
    sum.quotas.push_back({s.id, s.payer, shared.windows[c], s.quota, s.budget, 0, 0, 0, money(), {}});
  }

  std::vector<roster_row> chunk(chunk_rows);
  std::vector<row_work> work(chunk_rows);
  // Reads up to `chunk_rows` rows, or `chunk_bytes` of row text, so that memory stays bounded
  // however long the rows.
  auto read_chunk = [&](std::size_t& ordinal) {
    std::size_t n = 0;
    std::size_t bytes = 0;
    for (auto& row : chunk)
      if (row.text.capacity() > large_row) row = roster_row{}; // give back what a long row took
    while (n < chunk_rows && bytes < chunk_bytes && source.next(chunk[n])) {
      roster_row& row = chunk[n];
      if (!row.problem && !valid_utf8(row.id))
        row.problem = failure(errc::invalid_syntax, "the id is not valid UTF-8", source.id_column());
      row_work& w = work[n];
      w.ordinal = row.problem ? npos : ordinal++;
      w.candidate = npos;
      w.duplicate = false;
      w.overflow.clear();
      bytes += row.text.size();
      ++n;
    }
    return n;
  };
  auto strict_error = [&](std::size_t line, const failure& why) {
    failure f = why;
    f.location = "line " + std::to_string(line) + (why.location.empty() ? "" : ", column " + why.location);
    return error(std::move(f));
  };

  // First read: ids, and the candidates of capped subsidies with what each would be granted.
  id_register ids;
  duplicate_ids duplicates;
  std::optional<std::pair<std::size_t, failure>> first_problem; // for `strict`
  candidate_book book;
  book.capped = capped_count;
  book.width = shared.key_count + 1;
  book.compact = capped_count == 1 && book.width < candidate_book::row_words;
  book.grant_rows = shared.grant_rows;
  {
    std::vector<costing> costs;
    if (shared.hull)
      for (unsigned t = 0; t < threads; ++t)
        costs.emplace_back(shared, *shared.hull, false);
    source.rewind();
    std::size_t ordinal = 0;
    for (std::size_t n = read_chunk(ordinal); n != 0; n = read_chunk(ordinal)) {
      if (!costs.empty())
        in_parallel(n, threads, [&](std::size_t begin, std::size_t end, unsigned t) {
          for (std::size_t i = begin; i < end; ++i) {
            row_work& w = work[i];
            w.grants.clear();
            if (w.ordinal == npos) continue;
            try {
              for (std::size_t row = 0; row < shared.grant_rows; ++row) {
                const amounts& a = costs[t].of(chunk[i].facts.facts(), static_cast<unsigned>(row));
                w.grants.insert(w.grants.end(), a.grants.begin(), a.grants.end());
              }
            } catch (const error& e) {
              if (e.code() != errc::overflow) throw;
              w.grants.clear(); // rejected in the second read, where the overflow is found again
            }
          }
        });
      for (std::size_t i = 0; i < n; ++i) {
        const roster_row& row = chunk[i];
        // Every id that could be read counts, so that a malformed copy still marks the others.
        if (!row.id.empty() && valid_utf8(row.id)) ids.add(row.id, row.line);
        if (work[i].ordinal == npos) {
          if (!first_problem) first_problem.emplace(row.line, *row.problem);
          continue;
        }
        const auto& g = work[i].grants;
        if (std::none_of(g.begin(), g.end(), [](money m) { return m != money(); })) continue;
        book.ordinal.push_back(static_cast<std::uint32_t>(work[i].ordinal));
        book.id_text += row.id;
        book.id_at.push_back(book.id_text.size());
        for (const std::size_t s : capped_)
          for (std::size_t k = 0; k < p.subsidies[s].rank_by.size(); ++k) {
            const fact_value& f = row.facts.facts()[policy_.payments().rank_slots[s][k]];
            const auto value = static_cast<std::uint64_t>(f.number) ^ (std::uint64_t{1} << 63);
            book.words.push_back(f.present ? 0 : 1); // a present key ranks before a missing one
            book.words.push_back(!f.present ? 0 : p.subsidies[s].rank_by[k].descending ? ~value : value);
          }
        book.words.push_back(0); // the id word: `set_id_words`, once every id is known
        if (book.compact) {
          candidate_book::row packed{};
          std::copy(book.words.end() - static_cast<std::ptrdiff_t>(book.width), book.words.end(), packed.begin());
          packed.back() = book.size() - 1;
          book.rows.push_back(packed);
          book.words.clear();
        }
        book.grant.insert(book.grant.end(), g.begin(), g.end());
      }
      for (auto& c : costs)
        c.trim();
    }
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

  // Ranking: each capped subsidy in the order they apply, among the people it would pay given
  // what the ones before it did; whole people in rank order while the quota and budget last.
  book.duplicate.assign(book.size(), 0);
  for (std::size_t c = 0; c < book.size(); ++c)
    book.duplicate[c] = duplicates.contains(book.id(c)) ? 1 : 0;
  book.place.assign(book.size() * capped_count, quota_place{});
  book.set_id_words();
  for (std::size_t q = 0; q < capped_count; ++q) {
    const subsidy& s = p.subsidies[capped_[q]];
    std::vector<std::uint32_t> ranked; // candidates this subsidy would pay
    auto cost_of = [&](std::size_t c) {
      std::size_t row = 0;
      for (std::size_t before = 0; before < q; ++before)
        if (book.place[c * capped_count + before].status == quota_status::waitlisted) row |= std::size_t{1} << before;
      return book.grant[c * book.grant_rows * capped_count + row * capped_count + q];
    };
    for (std::size_t c = 0; c < book.size(); ++c)
      if (!book.duplicate[c] && cost_of(c) != money()) ranked.push_back(static_cast<std::uint32_t>(c));
    if (book.compact) {
      std::erase_if(book.rows, [&](const candidate_book::row& r) {
        return book.duplicate[r.back()] || cost_of(r.back()) == money();
      });
      std::sort(book.rows.begin(), book.rows.end(), [&](const candidate_book::row& a, const candidate_book::row& b) {
        const auto differ = std::mismatch(a.begin(), a.end() - 1, b.begin());
        if (differ.first != a.end() - 1) return *differ.first < *differ.second;
        return book.id(a.back()) < book.id(b.back());
      });
      ranked.clear();
      for (const auto& r : book.rows)
        ranked.push_back(static_cast<std::uint32_t>(r.back()));
      book.rows = {};
    } else {
      const std::size_t first = shared.key_offset[q];
      const std::size_t last = first + 2 * s.rank_by.size();
      std::sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
        const std::uint64_t* wa = &book.words[a * book.width];
        const std::uint64_t* wb = &book.words[b * book.width];
        for (std::size_t k = first; k < last; ++k)
          if (wa[k] != wb[k]) return wa[k] < wb[k];
        const std::size_t id_word = book.width - 1;
        if (wa[id_word] != wb[id_word]) return wa[id_word] < wb[id_word];
        return book.id(a) < book.id(b);
      });
    }
    quota_fill& fill = sum.quotas[q];
    bool open = true;
    for (std::size_t r = 0; r < ranked.size(); ++r) {
      const std::size_t c = ranked[r];
      const money cost = cost_of(c);
      if (open && s.quota && fill.funded >= static_cast<std::uint64_t>(*s.quota)) {
        open = false;
        fill.cut_by = "quota";
      }
      if (open && s.budget && *s.budget < fill.spent + cost) {
        open = false;
        fill.cut_by = "budget";
      }
      quota_place& place = book.place[c * capped_count + q];
      place = {open ? quota_status::funded : quota_status::waitlisted, r + 1, cost};
      ++fill.candidates;
      if (open) {
        ++fill.funded;
        fill.spent += cost;
      } else {
        ++fill.waitlisted;
      }
    }
  }
  book.words = {};
  book.grant = {};

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

  // Second read: decide, cost with the quota outcomes, hand out in roster order.
  std::vector<costing> costs;
  for (unsigned t = 0; t < threads; ++t)
    costs.emplace_back(shared, options_.period, true);
  const std::vector<quota_place> no_places(capped_count);
  source.rewind();
  std::size_t ordinal = 0;
  std::size_t cursor = 0;
  const std::string id_column = source.id_column();
  for (std::size_t n = read_chunk(ordinal); n != 0; n = read_chunk(ordinal)) {
    for (std::size_t i = 0; i < n; ++i) {
      row_work& w = work[i];
      if (w.ordinal == npos) continue;
      w.duplicate = !duplicates.empty() && duplicates.find(chunk[i].id) != duplicates.end();
      while (cursor < book.size() && book.ordinal[cursor] < w.ordinal)
        ++cursor;
      if (cursor < book.size() && book.ordinal[cursor] == w.ordinal) w.candidate = cursor;
    }
    in_parallel(n, threads, [&](std::size_t begin, std::size_t end, unsigned t) {
      for (std::size_t i = begin; i < end; ++i) {
        row_work& w = work[i];
        if (w.ordinal == npos || w.duplicate) continue;
        const auto facts = chunk[i].facts.facts();
        std::optional<decision> unknown, first;
        std::size_t unknown_rule = 0;
        w.rule = npos;
        for (std::size_t r = 0; r < rules_.size(); ++r) {
          const decision d = entitle::decide(rules, rules_[r], facts, options_.as_of);
          if (d.result == verdict::yes) {
            w.outcome = d;
            w.rule = r;
            break;
          }
          if (!first) first = d;
          if (!unknown && d.result == verdict::unknown) {
            unknown = d;
            unknown_rule = r;
          }
        }
        if (w.rule == npos) {
          w.outcome = unknown ? *unknown : *first;
          w.rule = unknown ? unknown_rule : 0;
        }
        unsigned denied = 0;
        if (w.candidate != npos)
          for (std::size_t q = 0; q < capped_count; ++q)
            if (book.place[w.candidate * capped_count + q].status == quota_status::waitlisted) denied |= 1U << q;
        try {
          w.paid = &costs[t].of(facts, denied);
        } catch (const error& e) {
          if (e.code() != errc::overflow) throw;
          w.overflow = e.details().message;
        }
      }
    });
    for (std::size_t i = 0; i < n; ++i) {
      const roster_row& row = chunk[i];
      const row_work& w = work[i];
      ++sum.rows_read;
      if (w.ordinal == npos || w.duplicate || !w.overflow.empty()) {
        rejected_row rejected{row.line, row.id, {}, {}, row.text};
        if (w.duplicate) {
          rejected.column = id_column;
          rejected.reason = duplicates.find(row.id)->second.reason;
        } else if (!w.overflow.empty()) {
          rejected.reason = "the contributions of this row are too large to count: " + w.overflow;
        } else {
          rejected.column = row.problem->location;
          rejected.reason = row.problem->message;
        }
        if (options_.strict) throw strict_error(row.line, failure(errc::overflow, rejected.reason));
        ++sum.rejected;
        ++sum.rejected_by_column[rejected.column];
        if (on_reject) on_reject(rejected);
        continue;
      }
      ++sum.decided;
      const decision& d = w.outcome;
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
        for (const auto name : policy_.missing_facts(d)) {
          auto at = sum.undetermined_by_fact.find(name);
          if (at == sum.undetermined_by_fact.end()) at = sum.undetermined_by_fact.emplace(name, 0).first;
          ++at->second;
        }
        break;
      }
      const amounts& a = *w.paid; // added to the sums by `costing`
      batch_row out;
      out.line = row.line;
      out.id = row.id;
      out.outcome = d;
      out.rule = options_.rules[w.rule];
      out.due = a.due_total;
      out.paid = a.paid_total;
      out.total = a.total;
      out.complete = a.complete;
      out.quotas = w.candidate == npos
                       ? std::span<const quota_place>(no_places)
                       : std::span<const quota_place>(book.place).subspan(w.candidate * capped_count, capped_count);
      if (on_row) on_row(out);
    }
    summing([&] {
      for (auto& c : costs)
        c.trim();
    });
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
  }
  sum.due_by_program = all.due_total;
  sum.paid_by_payer = all.paid_total;
  sum.total = all.total;
  sum.incomplete = all.incomplete;
  sum.blank_lines = source.blank_lines();
  return sum;
}

explanation batch::explain(const record& person, std::span<const quota_place> quotas,
                           const batch_summary& summary) const {
  const bound_rules& rules = policy_.rules();
  const auto facts = person.facts();
  std::size_t chosen = 0;
  std::optional<std::size_t> unknown;
  bool found = false;
  for (std::size_t r = 0; r < rules_.size() && !found; ++r) {
    const decision d = entitle::decide(rules, rules_[r], facts, options_.as_of);
    if (d.result == verdict::yes) {
      chosen = r;
      found = true;
    } else if (d.result == verdict::unknown && !unknown) {
      unknown = r;
    }
  }
  if (!found && unknown) chosen = *unknown;
  explanation out = policy_.explain(rule_handle{rules_[chosen]}, person, options_.as_of);
  detail::payment_walk walk(policy_.source(), rules, policy_.payments(), facts);
  for (std::size_t q = 0; q < capped_.size() && q < quotas.size(); ++q) {
    if (quotas[q].status != quota_status::waitlisted) continue;
    const quota_fill& fill = summary.quotas.at(q);
    std::string why = "waitlisted at rank " + std::to_string(quotas[q].rank) + " of " +
                      std::to_string(fill.candidates) + " candidates";
    if (fill.cut_by == "quota") why += "; the quota of " + std::to_string(*fill.quota) + " people is filled";
    if (fill.cut_by == "budget")
      why += "; the budget of " + to_rupiah_string(*fill.budget) + " is spent (" + to_rupiah_string(fill.spent) +
             " to the people ranked before)";
    walk.deny(capped_[q], why);
  }
  out.contributions = walk.run(options_.period);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

namespace {

namespace json = boost::json;

void csv_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

template <class Names>
std::string joined(const Names& names, std::string_view separator) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += separator;
    out += n;
  }
  return out;
}

json::array names_json(const std::vector<std::string_view>& names) {
  json::array out;
  for (const auto n : names)
    out.emplace_back(n);
  return out;
}

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD, so that JSON
// output stays valid whatever a rejected row held.
std::string utf8_or_replaced(std::string_view text) {
  if (valid_utf8(text)) return std::string(text);
  using traits = boost::locale::utf::utf_traits<char>;
  std::string out;
  for (auto at = text.begin(); at != text.end();) {
    const auto start = at;
    const auto c = traits::decode(at, text.end());
    if (c == boost::locale::utf::illegal || c == boost::locale::utf::incomplete) {
      out += "\xEF\xBF\xBD";
      at = start + 1;
    } else {
      out.append(start, at);
    }
  }
  return out;
}

} // namespace

output_format output_format_of(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csv") return output_format::csv;
  if (ext == ".ndjson" || ext == ".jsonl") return output_format::ndjson;
  throw error(errc::invalid_syntax,
              "cannot tell the format of " + file.string() + " from its name: use a .csv, .ndjson or .jsonl file");
}

std::string output_header(const batch& b, output_format format) {
  if (format == output_format::ndjson) return {};
  std::string out = "id,status,rule,reason,reasons,missing";
  for (const auto& p : b.programs())
    (out += ",due_") += p;
  for (const auto& p : b.payers())
    (out += ",paid_") += p;
  out += ",total,complete";
  for (const auto& s : b.capped()) {
    (out += ",quota_") += s;
    (out += ",rank_") += s;
  }
  out += '\n';
  return out;
}

void append_row(std::string& out, const batch& b, const batch_row& row, output_format format) {
  const compiled_policy& p = b.policy();
  const std::vector<std::string_view> reasons = p.reasons(row.outcome);
  const std::vector<std::string_view> missing = p.missing_facts(row.outcome);
  const std::vector<std::string>& capped = b.capped();
  if (format == output_format::ndjson) {
    json::object o;
    o["id"] = row.id;
    o["status"] = to_string(row.outcome.outcome);
    o["rule"] = row.rule;
    o["reason"] = p.first_reason(row.outcome);
    o["reasons"] = names_json(reasons);
    o["missing"] = names_json(missing);
    json::object due, paid, quotas;
    for (std::size_t k = 0; k < b.programs().size(); ++k)
      due[b.programs()[k]] = json::value_from(row.due[k]);
    for (std::size_t k = 0; k < b.payers().size(); ++k)
      paid[b.payers()[k]] = json::value_from(row.paid[k]);
    o["due"] = std::move(due);
    o["paid"] = std::move(paid);
    o["total"] = json::value_from(row.total);
    o["complete"] = row.complete;
    for (std::size_t q = 0; q < capped.size(); ++q) {
      json::object place{{"status", to_string(row.quotas[q].status)}};
      if (row.quotas[q].rank != 0) place["rank"] = row.quotas[q].rank;
      quotas[capped[q]] = std::move(place);
    }
    if (!capped.empty()) o["quotas"] = std::move(quotas);
    out += json::serialize(o);
    out += '\n';
    return;
  }
  csv_field(out, row.id);
  (out += ',') += to_string(row.outcome.outcome);
  out += ',';
  csv_field(out, row.rule);
  out += ',';
  csv_field(out, p.first_reason(row.outcome));
  out += ',';
  csv_field(out, joined(reasons, ";"));
  out += ',';
  csv_field(out, joined(missing, ";"));
  for (const money m : row.due)
    (out += ',') += to_string(m);
  for (const money m : row.paid)
    (out += ',') += to_string(m);
  (out += ',') += to_string(row.total);
  out += row.complete ? ",true" : ",false";
  for (std::size_t q = 0; q < capped.size(); ++q) {
    (out += ',') += row.quotas[q].status == quota_status::none ? "" : to_string(row.quotas[q].status);
    out += ',';
    if (row.quotas[q].rank != 0) out += std::to_string(row.quotas[q].rank);
  }
  out += '\n';
}

std::string rejects_header(output_format format) {
  return format == output_format::csv ? "line,id,column,reason,text\n" : std::string();
}

void append_reject(std::string& out, const rejected_row& row, output_format format) {
  if (format == output_format::ndjson) {
    out += json::serialize(json::object{{"line", row.line},
                                        {"id", utf8_or_replaced(row.id)},
                                        {"column", utf8_or_replaced(row.column)},
                                        {"reason", utf8_or_replaced(row.reason)},
                                        {"text", utf8_or_replaced(row.text)}});
    out += '\n';
    return;
  }
  out += std::to_string(row.line);
  out += ',';
  csv_field(out, row.id);
  out += ',';
  csv_field(out, row.column);
  out += ',';
  csv_field(out, row.reason);
  out += ',';
  csv_field(out, row.text);
  out += '\n';
}

json::value to_json(const batch_summary& s) {
  auto amounts_by = [](const std::vector<std::string>& names, const std::vector<money>& values) {
    json::object out;
    for (std::size_t k = 0; k < names.size(); ++k)
      out[names[k]] = json::value_from(values[k]);
    return out;
  };
  auto counts = [](const auto& map) {
    json::object out;
    for (const auto& [name, n] : map)
      out[name] = n;
    return out;
  };
  json::array months;
  std::size_t m = 0;
  for (const month when : s.period) {
    money due;
    for (const money x : s.due_by_month[m])
      due += x;
    months.push_back(json::object{{"month", json::value_from(when)},
                                  {"due", json::value_from(due)},
                                  {"due_by_program", amounts_by(s.programs, s.due_by_month[m])},
                                  {"paid_by_payer", amounts_by(s.payers, s.paid_by_month[m])}});
    ++m;
  }
  json::array quotas;
  for (const auto& q : s.quotas) {
    json::object o{{"subsidy", q.subsidy},
                   {"payer", q.payer},
                   {"window", json::value_from(q.window)},
                   {"candidates", q.candidates},
                   {"funded", q.funded},
                   {"waitlisted", q.waitlisted},
                   {"spent", json::value_from(q.spent)}};
    if (q.quota) o["quota"] = *q.quota;
    if (q.budget) o["budget"] = json::value_from(*q.budget);
    if (!q.cut_by.empty()) o["cut_by"] = q.cut_by;
    quotas.push_back(std::move(o));
  }
  json::array rules;
  for (const auto& r : s.rules)
    rules.emplace_back(r);
  return json::object{
      {"format", summary_format},
      {"policy", s.policy},
      {"rules", std::move(rules)},
      {"as_of", json::value_from(s.as_of)},
      {"period", json::value_from(s.period)},
      {"rows",
       json::object{
           {"read", s.rows_read}, {"decided", s.decided}, {"rejected", s.rejected}, {"blank_lines", s.blank_lines}}},
      {"status",
       json::object{{"eligible", s.eligible}, {"ineligible", s.ineligible}, {"undetermined", s.undetermined}}},
      {"ineligible_by_reason", counts(s.ineligible_by_reason)},
      {"undetermined_by_fact", counts(s.undetermined_by_fact)},
      {"rejected_by_column", counts(s.rejected_by_column)},
      {"total", json::value_from(s.total)},
      {"incomplete", s.incomplete},
      {"due_by_program", amounts_by(s.programs, s.due_by_program)},
      {"paid_by_payer", amounts_by(s.payers, s.paid_by_payer)},
      {"months", std::move(months)},
      {"quotas", std::move(quotas)}};
}

std::string to_text(const batch_summary& s) {
  auto pad = [](std::string text, std::size_t width) {
    if (text.size() < width) text.insert(0, width - text.size(), ' ');
    return text;
  };
  std::string out = s.policy + ": decided on " + to_string(s.as_of) + ", contributions " + to_string(s.period) + "\n";
  out += "rows read " + std::to_string(s.rows_read) + " = decided " + std::to_string(s.decided) + " + rejected " +
         std::to_string(s.rejected);
  if (s.blank_lines) out += " (" + std::to_string(s.blank_lines) + " blank lines skipped)";
  out += "\n";
  out += "eligible " + std::to_string(s.eligible) + ", ineligible " + std::to_string(s.ineligible) + ", undetermined " +
         std::to_string(s.undetermined) + "\n";
  for (const auto& [reason, n] : s.ineligible_by_reason)
    out += "  ineligible " + reason + ": " + std::to_string(n) + "\n";
  for (const auto& [fact, n] : s.undetermined_by_fact)
    out += "  undetermined, missing " + fact + ": " + std::to_string(n) + "\n";
  for (const auto& [column, n] : s.rejected_by_column)
    out +=
        "  rejected at " + (column.empty() ? std::string("the whole row") : column) + ": " + std::to_string(n) + "\n";
  for (const auto& q : s.quotas) {
    out += "quota " + q.subsidy + " (" + q.payer + ", " + to_string(q.window) + "): " + std::to_string(q.funded) +
           " funded";
    if (q.quota) out += " of " + std::to_string(*q.quota);
    out += ", " + std::to_string(q.waitlisted) + " waitlisted; spent " + to_rupiah_string(q.spent);
    if (q.budget) out += " of " + to_rupiah_string(*q.budget);
    if (!q.cut_by.empty()) out += " (cut by the " + q.cut_by + ")";
    out += "\n";
  }
  // The table: a row per month, a column per payer, then the totals.
  const std::size_t width = 18;
  out += "\n" + pad("month", 8);
  for (const auto& payer : s.payers)
    out += pad(payer, std::max(width, payer.size() + 2));
  out += pad("total", width) + "\n";
  std::size_t m = 0;
  for (const month when : s.period) {
    out += pad(to_string(when), 8);
    money total;
    for (std::size_t k = 0; k < s.payers.size(); ++k) {
      out += pad(to_rupiah_string(s.paid_by_month[m][k]), std::max(width, s.payers[k].size() + 2));
      total += s.paid_by_month[m][k];
    }
    out += pad(to_rupiah_string(total), width) + "\n";
    ++m;
  }
  out += pad("total", 8);
  for (std::size_t k = 0; k < s.payers.size(); ++k)
    out += pad(to_rupiah_string(s.paid_by_payer[k]), std::max(width, s.payers[k].size() + 2));
  out += pad(to_rupiah_string(s.total), width) + "\n";
  out += "due by program:";
  for (std::size_t k = 0; k < s.programs.size(); ++k)
    out += " " + s.programs[k] + " " + to_rupiah_string(s.due_by_program[k]) + (k + 1 < s.programs.size() ? "," : "");
  out += "\n";
  if (s.incomplete)
    out += std::to_string(s.incomplete) + " people have contributions that missing facts leave undetermined\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Atomic files

struct atomic_file::state {
  std::filesystem::path path;
  std::filesystem::path temporary;
  std::ofstream out;
  bool committed = false;
};

atomic_file::atomic_file(std::filesystem::path path) : state_(std::make_unique<state>()) {
  state_->path = std::move(path);
  std::random_device entropy;
  for (int attempt = 0; attempt < 16 && !state_->out.is_open(); ++attempt) {
    std::filesystem::path candidate = state_->path;
    candidate += ".tmp-" + std::to_string(entropy() % 1000000);
    if (std::filesystem::exists(candidate)) continue;
    state_->temporary = candidate;
    state_->out.open(candidate, std::ios::binary | std::ios::trunc);
  }
  if (!state_->out.is_open())
    throw error(errc::invalid_syntax, "cannot write beside " + state_->path.string() + ": is the directory there?");
}

atomic_file::~atomic_file() {
  if (state_ && !state_->committed) {
    state_->out.close();
    std::error_code ignored;
    std::filesystem::remove(state_->temporary, ignored);
  }
}

void atomic_file::write(std::string_view text) {
  state_->out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!state_->out) throw error(errc::invalid_syntax, "cannot write " + state_->path.string() + ": is the disk full?");
}

void atomic_file::close() {
  if (!state_->out.is_open()) return;
  state_->out.close();
  if (!state_->out) throw error(errc::invalid_syntax, "cannot write " + state_->path.string() + ": is the disk full?");
}

const std::filesystem::path& atomic_file::temporary_path() const noexcept { return state_->temporary; }

void atomic_file::commit() {
  close();
  std::error_code failed;
  std::filesystem::rename(state_->temporary, state_->path, failed);
  if (failed) throw error(errc::invalid_syntax, "cannot write " + state_->path.string() + ": " + failed.message());
  state_->committed = true;
}

} // namespace entitle
