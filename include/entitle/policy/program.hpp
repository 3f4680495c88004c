#pragma once

#include <entitle/core/dated.hpp>
#include <entitle/core/money.hpp>
#include <entitle/core/rate.hpp>

#include <optional>
#include <string>
#include <vector>

// Programs and their contribution formulas, as plain values: what is due to a program for one
// person and one month, and which payer role owes each part of it. Every figure is a dated value
// with its citation, so the same program answers for 2020 and for 2026.
namespace entitle {

/// The amount a rate applies to: a money fact of the person (wage, declared income) or a fixed
/// amount, then raised to `floor`, lowered to `ceiling`, and, with `brackets`, brought down to the
/// highest bracket level it reaches (the lowest level when it reaches none), as the BPU income
/// brackets of PP 44/2015 are.
struct contribution_base {
  std::string fact;                    ///< a money fact; empty when the base is `fixed`
  std::optional<dated<money>> fixed;   ///< a fixed base, e.g. Rp1,000,000
  std::optional<dated<money>> floor;   ///< raised to at least this
  std::optional<dated<money>> ceiling; ///< lowered to at most this, e.g. the JP wage ceiling
  std::vector<money> brackets;         ///< increasing nominal levels

  friend bool operator==(const contribution_base&, const contribution_base&) = default;
};

/// One part of a contribution: a share (rate) of the base or a flat amount, owed by a payer role
/// ("employer", "worker", "central_government"), or moved from another program's contribution
/// (`recomposed_from`), which costs no payer anything more: JKP is funded partly this way from JKK
/// and JKM. The share is a dated figure (`share`) or the person's own rate, a derived value
/// (`share_of`), such as the JKK rate a decision table gives by risk class; the flat amount is a
/// dated figure (`amount`) or the person's own amount (`amount_of`), such as a contribution a
/// table gives by income bracket. Exactly one of the four is set.
struct contribution_part {
  std::string payer;                  ///< a payer role; empty when `recomposed_from` is set
  std::string recomposed_from;        ///< a program id
  std::optional<dated<rate>> share;   ///< share x base
  std::optional<dated<money>> amount; ///< a flat amount per month
  /// The id of a derived value of type rate in force from each date: its value for the person x
  /// base. It may not read the date (an age or a count of months), so it is the same in every
  /// month its entry is in force; before the first entry the part is not in force.
  std::optional<dated<std::string>> share_of;
  /// The id of a derived value of type money in force from each date: its value for the person,
  /// a flat amount per month, as `share_of` is dated.
  std::optional<dated<std::string>> amount_of;

  /// The part's derived figure, `share_of` or `amount_of`, whichever is set.
  [[nodiscard]] const std::optional<dated<std::string>>& derived() const noexcept {
    return share_of ? share_of : amount_of;
  }

  friend bool operator==(const contribution_part&, const contribution_part&) = default;
};

/// How a program's contribution is worked out for one participant category ("PU", "BPU"). When
/// several formulas serve a category, the first whose rule `when` is yes applies (JKK's risk
/// classes). Each part's amount is rounded on its own with `rounding` to `unit`; the contribution
/// is their sum.
struct formula {
  std::string category;
  std::string when; ///< the id of a rule that selects this formula; empty: always
  contribution_base base;
  std::vector<contribution_part> parts;
  rounding mode = rounding::half_up;
  money unit = units::whole_rupiah;

  friend bool operator==(const formula&, const formula&) = default;
};

/// A social-security program: JKK, JKM, JHT, JP, JKP, or any a policy defines.
struct program {
  std::string id;          ///< "JKK"
  std::string name;        ///< "Jaminan Kecelakaan Kerja"
  std::string legal_basis; ///< "PP 44/2015 jo PP 82/2019"
  std::vector<formula> formulas;
  /// The day the program starts, when it starts after the policy takes effect (JKP on
  /// 2021-02-02): contribution months before it are not checked for figures in force.
  std::optional<date> from;

  friend bool operator==(const program&, const program&) = default;
};

/// A temporary change to the amounts due, such as the PP 49/2020 relief (JKK and JKM at 1% of
/// normal for the contribution months August 2020 to January 2021): while `factor` is in force,
/// each part of the listed programs is multiplied by it and rounded again.
struct adjustment {
  std::string id;
  std::string label;
  std::vector<std::string> programs;   ///< program ids
  std::vector<std::string> categories; ///< participant categories; empty: all
  dated<rate> factor;                  ///< e.g. 1% from 2020-08-01 until 2021-01-31
  rounding mode = rounding::half_up;
  money unit = units::whole_rupiah;

  friend bool operator==(const adjustment&, const adjustment&) = default;
};

} // namespace entitle
