//! Suppressing small breakdown rows, so that no row describes one person.

use crate::model::{Group, MonthRow, OTHER, Report, SiteRow};

/// The default `--min-individuals`: a site or month row must cover at least
/// three people. With two, each of them could read the other's logging off the
/// row; with one, the row *is* that person's index.
pub const DEFAULT_MIN_INDIVIDUALS: u64 = 3;

/// Makes every published breakdown cell cover at least `min` distinct
/// individuals, and makes sure no suppressed remainder can be recovered by
/// subtraction. Per company, for the site rows and, separately, the month rows:
///
/// 1. **Primary suppression.** Every row with fewer than `min` individuals is
///    hidden.
/// 2. **Secondary suppression.** What is hidden equals the company row minus
///    the shown rows, so it must itself cover at least `min` people. The
///    report knows each row's distinct individuals but not who they are, so
///    the only safe lower bound for a union of rows is its largest row: the
///    smallest shown rows are hidden too until one hidden row alone has at
///    least `min` individuals.
/// 3. The hidden rows are published together as one [`OTHER`] row (so that
///    totals still add up) — covering at least `min` people by step 2. When
///    every row is hidden and the company itself has fewer than `min`
///    individuals, no breakdown row is published at all: the company row
///    already says everything there is.
///
/// Company rows and totals are never suppressed: results are published at
/// company level (docs/privacy.md says what that means for one-person firms).
pub fn suppress(report: &Report, min: u64) -> Report {
    let mut out = report.clone();
    for company in &mut out.companies {
        let everyone = company.group.individuals;
        let sites = std::mem::take(&mut company.sites);
        company.sites = fold(
            sites,
            min,
            everyone,
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
            everyone,
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

/// One company's rows of one kind, suppressed as [`suppress`] describes;
/// `everyone` is the company's distinct individuals.
fn fold<R>(
    rows: Vec<R>,
    min: u64,
    everyone: u64,
    group: impl Fn(&R) -> Group,
    other: impl Fn(Group, u32) -> R,
) -> Vec<R> {
    suppress_rows(
        rows,
        min,
        everyone,
        |r| group(r).individuals,
        |r| group(r).shifts,
        |hidden| {
            let mut total = Group::empty();
            for row in &hidden {
                total.absorb(&group(row));
            }
            other(total, hidden.len() as u32)
        },
    )
}

/// The small-group rule of [`suppress`] for any kind of breakdown row (sites
/// of a company's index, of its competence check, …): rows with fewer than
/// `min` individuals are hidden, then the smallest shown rows (by
/// individuals, then `size`) until one hidden row alone has `min`; the hidden
/// rows are published as one row made by `fold` — unless every row is hidden
/// and the whole (`everyone` individuals) is smaller than `min`, when nothing
/// is published.
///
/// ```
/// use loggningsindex_report::suppress_rows;
///
/// // (name, individuals)
/// let rows = vec![("a", 5), ("b", 1), ("c", 1)];
/// let shown = suppress_rows(rows, 3, 6, |r| r.1, |_| 0, |hidden| ("(other)", hidden.len() as u64));
/// assert_eq!(shown, [("(other)", 3)]); // b and c may be one person: a goes too
/// ```
pub fn suppress_rows<R>(
    rows: Vec<R>,
    min: u64,
    everyone: u64,
    individuals: impl Fn(&R) -> u64,
    size: impl Fn(&R) -> u64,
    fold: impl FnOnce(Vec<R>) -> R,
) -> Vec<R> {
    let (mut hidden, mut kept): (Vec<R>, Vec<R>) =
        rows.into_iter().partition(|r| individuals(r) < min);
    if hidden.is_empty() {
        return kept;
    }
    let largest_hidden = |hidden: &[R]| hidden.iter().map(&individuals).max().unwrap_or(0);
    while largest_hidden(&hidden) < min && !kept.is_empty() {
        let smallest = (0..kept.len())
            .min_by_key(|&i| (individuals(&kept[i]), size(&kept[i])))
            .unwrap_or(0);
        hidden.push(kept.remove(smallest));
    }
    let covers_enough = largest_hidden(&hidden) >= min || (kept.is_empty() && everyone >= min);
    if covers_enough {
        kept.push(fold(hidden));
    }
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
                competence: None,
                faults: None,
            }],
        }
    }

    #[test]
    fn small_rows_fold_with_a_row_large_enough_to_hide_them() {
        let r = suppress(
            &report(&[
                ("a", 5, 8, 10),
                ("b", 1, 1, 4),
                ("c", 2, 0, 6),
                ("d", 4, 3, 3),
            ]),
            3,
        );
        let sites = &r.companies[0].sites;
        // b and c together may be one person: d (4 people) is hidden with them.
        assert_eq!(
            sites.iter().map(|s| s.site.as_str()).collect::<Vec<_>>(),
            ["a", OTHER]
        );
        assert_eq!(sites[1].folded, Some(3));
        assert_eq!(
            (
                sites[1].group.shifts,
                sites[1].group.correct,
                sites[1].group.index
            ),
            (13, 4, Some(30.8))
        );
        assert_eq!(sites[1].group.individuals, 0);
    }

    /// Review finding 11.2: five people at site A and person X alone at B and
    /// C; the "(other)" row of B and C was exactly X's shifts.
    #[test]
    fn one_person_alone_at_two_sites_is_never_published() {
        let r = suppress(
            &report(&[("A", 5, 8, 10), ("B", 1, 1, 2), ("C", 1, 0, 1)]),
            3,
        );
        let sites = &r.companies[0].sites;
        assert_eq!(
            sites.iter().map(|s| s.site.as_str()).collect::<Vec<_>>(),
            [OTHER]
        );
        assert_eq!(sites[0].group.shifts, 13);
    }

    #[test]
    fn a_company_too_small_for_any_breakdown_gets_none() {
        let mut small = report(&[("a", 1, 1, 1), ("b", 2, 1, 2)]);
        small.companies[0].group = group(2, 2, 3);
        assert!(suppress(&small, 3).companies[0].sites.is_empty());
    }

    #[test]
    fn nothing_changes_when_every_row_is_large_enough() {
        let original = report(&[("a", 5, 8, 10), ("b", 3, 1, 4)]);
        assert_eq!(suppress(&original, 3), original);
    }
}
