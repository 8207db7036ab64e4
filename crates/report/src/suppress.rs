//! Suppressing small breakdown rows, so that no row describes one person.

use crate::model::{Group, MonthRow, OTHER, Report, SiteRow};

/// The default `--min-individuals`: a site or month row must cover at least
/// three people. With two, each of them could read the other's logging off the
/// row; with one, the row *is* that person's index.
pub const DEFAULT_MIN_INDIVIDUALS: u64 = 3;

/// Folds every site and month row with fewer than `min` distinct individuals
/// into one [`OTHER`] row per company, so that totals still add up. If only one
/// row would be folded, the smallest remaining row is folded with it
/// (secondary suppression), or the `OTHER` row would reveal it. Company rows
/// and totals are never suppressed: results are published at company level.
pub fn suppress(report: &Report, min: u64) -> Report {
    let mut out = report.clone();
    for company in &mut out.companies {
        let sites = std::mem::take(&mut company.sites);
        company.sites = fold(
            sites,
            min,
            |r| r.group,
            |group, folded| SiteRow {
                site: OTHER.to_string(),
                group,
                folded: Some(folded),
            },
        );
        let months = std::mem::take(&mut company.months);
        company.months = fold(
            months,
            min,
            |r| r.group,
            |group, folded| MonthRow {
                month: OTHER.to_string(),
                group,
                folded: Some(folded),
            },
        );
    }
    out
}

fn fold<R>(
    rows: Vec<R>,
    min: u64,
    group: impl Fn(&R) -> Group,
    other: impl Fn(Group, u32) -> R,
) -> Vec<R> {
    let (mut small, mut kept): (Vec<R>, Vec<R>) =
        rows.into_iter().partition(|r| group(r).individuals < min);
    if small.is_empty() {
        return kept;
    }
    if small.len() == 1 && !kept.is_empty() {
        // Secondary suppression: fold the smallest kept row too.
        let smallest = (0..kept.len())
            .min_by_key(|&i| (group(&kept[i]).individuals, group(&kept[i]).shifts))
            .unwrap_or(0);
        small.push(kept.remove(smallest));
    }
    let mut total = Group::empty();
    for row in &small {
        total.absorb(&group(row));
    }
    kept.push(other(total, small.len() as u32));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CompanyRow;

    fn group(individuals: u64, correct: u64, shifts: u64) -> Group {
        let mut g = Group::empty();
        g.absorb(&Group {
            correct,
            missing_out: shifts - correct,
            shifts,
            ..Group::empty()
        });
        g.individuals = individuals;
        g
    }

    fn report(sites: &[(&str, u64, u64, u64)]) -> Report {
        let rows: Vec<SiteRow> = sites
            .iter()
            .map(|(s, i, c, n)| SiteRow {
                site: s.to_string(),
                group: group(*i, *c, *n),
                folded: None,
            })
            .collect();
        Report {
            schema_version: 1,
            records: Default::default(),
            totals: group(10, 0, 0),
            companies: vec![CompanyRow {
                company: "c".into(),
                group: group(10, 0, 0),
                sites: rows,
                months: vec![],
                cards: None,
            }],
        }
    }

    #[test]
    fn small_rows_fold_into_other_and_totals_still_add_up() {
        let r = suppress(
            &report(&[("a", 5, 8, 10), ("b", 1, 1, 4), ("c", 2, 0, 6)]),
            3,
        );
        let sites = &r.companies[0].sites;
        assert_eq!(sites.len(), 2);
        assert_eq!((sites[0].site.as_str(), sites[0].folded), ("a", None));
        assert_eq!((sites[1].site.as_str(), sites[1].folded), (OTHER, Some(2)));
        assert_eq!(
            (
                sites[1].group.shifts,
                sites[1].group.correct,
                sites[1].group.index
            ),
            (10, 1, Some(10.0))
        );
        assert_eq!(sites[1].group.individuals, 0);
    }

    #[test]
    fn a_single_small_row_takes_the_smallest_other_row_with_it() {
        let r = suppress(
            &report(&[("a", 5, 8, 10), ("b", 1, 1, 4), ("d", 4, 2, 3)]),
            3,
        );
        let sites = &r.companies[0].sites;
        assert_eq!(
            sites.iter().map(|s| s.site.as_str()).collect::<Vec<_>>(),
            ["a", OTHER]
        );
        assert_eq!(sites[1].folded, Some(2));
        assert_eq!(sites[1].group.shifts, 7);
    }

    #[test]
    fn nothing_changes_when_every_row_is_large_enough() {
        let original = report(&[("a", 5, 8, 10), ("b", 3, 1, 4)]);
        assert_eq!(suppress(&original, 3), original);
    }
}
