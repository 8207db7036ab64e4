//! Counting shifts by class, and the index (docs/rules.md §5).

use core::ops::{Add, AddAssign};

use crate::shift::Class;

/// Counts of shifts per class. Adding tallies is associative and commutative.
///
/// ```
/// use loggningsindex_core::{Class, Tally};
///
/// let mut tally = Tally::default();
/// assert_eq!(tally.index(), None); // no shifts: no index, never 0 or 100
/// tally.add(Class::Correct);
/// tally.add(Class::Correct);
/// tally.add(Class::MissingOut);
/// assert_eq!(tally.shifts(), 3);
/// assert_eq!(tally.rounded_index(), Some(66.7));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tally {
    /// Shifts with `IN` at the start and `OUT` at the end.
    pub correct: u64,
    /// Shifts without `IN` at the start but with `OUT` at the end.
    pub missing_in: u64,
    /// Shifts with `IN` at the start but without `OUT` at the end.
    pub missing_out: u64,
    /// Shifts with neither.
    pub missing_both: u64,
}

impl Tally {
    /// Counts one shift of class `class`.
    #[inline]
    pub fn add(&mut self, class: Class) {
        *self.count_mut(class) += 1;
    }

    /// The count of one class.
    pub fn count(&self, class: Class) -> u64 {
        match class {
            Class::Correct => self.correct,
            Class::MissingIn => self.missing_in,
            Class::MissingOut => self.missing_out,
            Class::MissingBoth => self.missing_both,
        }
    }

    fn count_mut(&mut self, class: Class) -> &mut u64 {
        match class {
            Class::Correct => &mut self.correct,
            Class::MissingIn => &mut self.missing_in,
            Class::MissingOut => &mut self.missing_out,
            Class::MissingBoth => &mut self.missing_both,
        }
    }

    /// All shifts counted.
    pub fn shifts(&self) -> u64 {
        self.correct + self.missing_in + self.missing_out + self.missing_both
    }

    /// Whether no shift was counted.
    pub fn is_empty(&self) -> bool {
        self.shifts() == 0
    }

    /// `100 × correct / shifts`, unrounded; `None` when there are no shifts.
    pub fn index(&self) -> Option<f64> {
        let shifts = self.shifts();
        (shifts > 0).then(|| 100.0 * self.correct as f64 / shifts as f64)
    }

    /// The index in tenths of a percent, rounded half away from zero with exact
    /// integer arithmetic (so 2/3 is 667, 1/8 is 125); `None` without shifts.
    pub fn index_tenths(&self) -> Option<u16> {
        let shifts = u128::from(self.shifts());
        if shifts == 0 {
            return None;
        }
        // round(1000 c / n) = floor((2000 c + n) / 2n) for c, n ≥ 0.
        let tenths = (2000 * u128::from(self.correct) + shifts) / (2 * shifts);
        // correct ≤ shifts, so tenths ≤ 1000.
        Some(tenths as u16)
    }

    /// The index as shown: one decimal, rounded half away from zero; `None`
    /// without shifts.
    pub fn rounded_index(&self) -> Option<f64> {
        self.index_tenths().map(|t| f64::from(t) / 10.0)
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.correct += other.correct;
        self.missing_in += other.missing_in;
        self.missing_out += other.missing_out;
        self.missing_both += other.missing_both;
    }
}

impl Add for Tally {
    type Output = Tally;
    fn add(mut self, other: Tally) -> Tally {
        self += other;
        self
    }
}

impl core::iter::Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(iter: I) -> Tally {
        iter.fold(Tally::default(), Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(correct: u64, missing: u64) -> Tally {
        Tally {
            correct,
            missing_out: missing,
            ..Tally::default()
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero_and_exact() {
        // 1/8 = 12.5 % exactly; 1/16 = 6.25 % → 6.3; 1/3 → 33.3; 2/3 → 66.7.
        assert_eq!(tally(1, 7).rounded_index(), Some(12.5));
        assert_eq!(tally(1, 15).rounded_index(), Some(6.3));
        assert_eq!(tally(1, 2).rounded_index(), Some(33.3));
        assert_eq!(tally(2, 1).rounded_index(), Some(66.7));
        // 0.05 % boundary: 1 of 2000 → 0.05 → 0.1; 1 of 2001 → 0.049… → 0.0.
        assert_eq!(tally(1, 1999).rounded_index(), Some(0.1));
        assert_eq!(tally(1, 2000).rounded_index(), Some(0.0));
        assert_eq!(tally(5, 0).rounded_index(), Some(100.0));
        // 1999 of 2000 = 99.95 → 100.0, never above.
        assert_eq!(tally(1999, 1).rounded_index(), Some(100.0));
    }

    #[test]
    fn empty_has_no_index() {
        assert_eq!(Tally::default().index(), None);
        assert_eq!(Tally::default().rounded_index(), None);
        assert!(tally(0, 1).index().is_some());
    }

    #[test]
    fn huge_counts_do_not_overflow_the_rounding() {
        let t = tally(u64::MAX / 4, u64::MAX / 4);
        assert_eq!(t.rounded_index(), Some(50.0));
    }
}
