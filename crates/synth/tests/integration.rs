//! Integration tests of the synthetic register: determinism, valid identities,
//! behaviour proportions, and agreement with the core.

use std::collections::{BTreeMap, HashMap};

use loggningsindex_core::{Class, Event, Key, SortedEvents};
use loggningsindex_synth::{
    BAD_ROW_KINDS, Behaviour, CsvOptions, HEADER, Order, Population, Profile, write_csv,
};
use time::macros::date;

fn small(seed: u64) -> Population {
    Population::builder()
        .seed(seed)
        .companies(40)
        .dates(date!(2026 - 03 - 23), date!(2026 - 04 - 05))
        .build()
        .expect("valid options")
}

fn csv(population: &Population, options: &CsvOptions) -> Vec<u8> {
    let mut out = Vec::new();
    write_csv(population, options, &mut out, |_| {}).expect("writing to memory");
    out
}

/// FNV-1a, to pin output bytes without committing them.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn same_seed_same_bytes_different_seed_different_bytes() {
    let options = CsvOptions::default();
    let a = csv(&small(1), &options);
    assert_eq!(a, csv(&small(1), &options));
    assert_ne!(a, csv(&small(2), &options));
    let shuffled = CsvOptions {
        order: Order::Shuffled,
        ..options
    };
    assert_eq!(csv(&small(1), &shuffled), csv(&small(1), &shuffled));
}

#[test]
fn output_is_pinned_across_machines_and_versions() {
    // A change here changes every data set generated from a seed: do it on
    // purpose only, and say so in the changelog.
    let bytes = csv(&small(1), &CsvOptions::default());
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], HEADER);
    assert_eq!(
        fnv(&bytes),
        PINNED_FNV,
        "{} bytes, first row {}",
        bytes.len(),
        lines[1]
    );
}
// Changed on purpose when the `origin` column was added (RULES §7).
const PINNED_FNV: u64 = 10_243_275_606_788_603_788;

/// An independent validator: the 10-digit form, Luhn from the right, a real
/// date (day − 60 for samordningsnummer).
fn valid_swedish_number(id: &str, organisation: bool) -> bool {
    let digits: Vec<u32> = id.chars().filter_map(|c| c.to_digit(10)).collect();
    let ten = match digits.len() {
        10 => &digits[..],
        12 => &digits[2..],
        _ => return false,
    };
    let luhn: u32 = ten
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                (2 * d) / 10 + (2 * d) % 10
            } else {
                d
            }
        })
        .sum();
    if !luhn.is_multiple_of(10) {
        return false;
    }
    if organisation {
        return ten[2] >= 2;
    }
    let century = if digits.len() == 12 {
        digits[0] * 10 + digits[1]
    } else {
        19
    };
    let year = (century * 100 + ten[0] * 10 + ten[1]) as i32;
    let month = (ten[2] * 10 + ten[3]) as u8;
    let mut day = (ten[4] * 10 + ten[5]) as u8;
    if day > 60 {
        day -= 60;
    }
    time::Month::try_from(month)
        .ok()
        .and_then(|m| time::Date::from_calendar_date(year, m, day).ok())
        .is_some()
}

#[test]
fn every_identity_number_is_valid() {
    let population = Population::builder()
        .seed(9)
        .companies(300)
        .build()
        .unwrap();
    let mut kinds = HashMap::new();
    for person in population.persons() {
        let kind = if person.id.starts_with("PL") {
            "foreign"
        } else {
            assert!(
                valid_swedish_number(&person.id, false),
                "person {}",
                person.id
            );
            if person.id.as_bytes()[6] >= b'6' {
                "samordningsnummer"
            } else {
                "personnummer"
            }
        };
        *kinds.entry(kind).or_insert(0) += 1;
    }
    assert!(kinds.len() == 3, "{kinds:?}");
    for company in population.companies() {
        assert!(
            valid_swedish_number(&company.id, !company.sole_trader),
            "company {}",
            company.id
        );
    }
    let mut ids: Vec<&str> = population.persons().iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        population.persons().len(),
        "person ids are unique"
    );
}

#[test]
fn the_population_looks_like_the_industry() {
    let population = Population::builder()
        .seed(5)
        .companies(500)
        .build()
        .unwrap();
    let mut sizes: Vec<usize> = vec![0; population.companies().len()];
    for p in population.persons() {
        sizes[p.company as usize] += 1;
    }
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    let largest = *sizes.last().unwrap();
    assert!(
        sizes[0] == 1 && median <= 5 && largest >= 100,
        "sizes: median {median}, max {largest}"
    );
    assert!(population.companies().iter().any(|c| c.sole_trader));
    assert!(
        population
            .persons()
            .iter()
            .any(|p| p.second_company.is_some())
    );
    assert!(population.persons().iter().any(|p| p.night));
    assert!(population.sites().iter().any(|s| s.auto_checkout.is_some()));
    let mut companies_per_site: HashMap<u32, usize> = HashMap::new();
    for c in population.companies() {
        for s in &c.sites {
            *companies_per_site.entry(*s).or_default() += 1;
        }
    }
    assert!(companies_per_site.values().any(|&n| n >= 3));
}

#[test]
fn the_register_covers_weekends_nights_and_both_dst_changes() {
    let population = Population::builder()
        .seed(3)
        .companies(100)
        .dates(date!(2026 - 03 - 20), date!(2026 - 11 - 01))
        .build()
        .unwrap();
    let mut weekend = 0;
    let mut offsets = std::collections::BTreeSet::new();
    let mut previous = i64::MIN;
    for e in population.events() {
        assert!(e.at.unix_nanos() >= previous, "events in time order");
        previous = e.at.unix_nanos();
        offsets.insert(e.at.offset().whole_seconds());
        if e.at.local_date().weekday().number_from_monday() >= 6 {
            weekend += 1;
        }
    }
    assert!(weekend > 0);
    assert_eq!(offsets.into_iter().collect::<Vec<_>>(), [3_600, 7_200]);
}

#[test]
fn proportions_of_behaviours_match_the_profile_on_a_million_events() {
    let profile = Profile {
        name: "test",
        day: [500, 150, 50, 50, 50, 100, 70, 30],
        night: [800, 100, 60, 40],
    };
    let population = Population::builder()
        .seed(11)
        .workforce(2_500)
        .dates(date!(2026 - 01 - 01), date!(2026 - 12 - 31))
        .profiles(vec![(profile.clone(), 1)])
        .build()
        .unwrap();
    let mut counts: BTreeMap<Behaviour, u64> = BTreeMap::new();
    let mut events = 0u64;
    for truth in population.truths() {
        *counts.entry(truth.behaviour).or_default() += 1;
    }
    for _ in population.events() {
        events += 1;
    }
    assert!(events >= 1_000_000, "only {events} events");
    // Auto-check-out is how a forgotten OUT shows at some sites.
    let forgot = counts.remove(&Behaviour::AutoCheckout).unwrap_or(0);
    *counts.entry(Behaviour::ForgotOut).or_default() += forgot;
    for (group, weights) in [
        (&Behaviour::DAY[..], &profile.day[..]),
        (&Behaviour::NIGHT[..], &profile.night[..]),
    ] {
        let total: u64 = group
            .iter()
            .map(|b| counts.get(b).copied().unwrap_or(0))
            .sum();
        let weight_total: u32 = weights.iter().sum();
        for (b, &w) in group.iter().zip(weights) {
            let share = counts.get(b).copied().unwrap_or(0) as f64 / total as f64;
            let want = f64::from(w) / f64::from(weight_total);
            // Within 10 % of the weight, relative, or 0.5 points absolute.
            assert!(
                (share - want).abs() <= (0.1 * want).max(0.005),
                "{b}: {share:.4} vs {want:.4}"
            );
        }
    }
}

#[test]
fn ground_truth_agrees_with_the_core_across_spring_dst() {
    check_truth_against_core(21, date!(2026 - 03 - 16), date!(2026 - 04 - 12));
}

#[test]
fn ground_truth_agrees_with_the_core_across_autumn_dst() {
    check_truth_against_core(22, date!(2026 - 10 - 12), date!(2026 - 11 - 08));
}

fn check_truth_against_core(seed: u64, first: time::Date, last: time::Date) {
    let population = Population::builder()
        .seed(seed)
        .companies(200)
        .dates(first, last)
        .build()
        .unwrap();
    let mut events: Vec<Event<u32>> = population
        .events()
        .filter(|e| e.origin.takes_part())
        .map(|e| e.to_event())
        .collect();
    let sorted = SortedEvents::sort(&mut events);
    let mut formed: HashMap<Key<u32>, Vec<(i64, Class)>> = HashMap::new();
    for (_, shift) in sorted.shifts() {
        formed
            .entry(shift.key)
            .or_default()
            .push((shift.first.unix_nanos(), shift.class));
    }
    let mut truths: Vec<_> = population.truths().collect();
    truths.sort_by_key(|t| (t.key, t.first.unix_nanos()));
    let mut used: HashMap<Key<u32>, usize> = HashMap::new();
    let mut disagreements = BTreeMap::new();
    for truth in &truths {
        let shifts = &formed[&truth.key];
        let next = used.entry(truth.key).or_default();
        assert_eq!(shifts[*next].0, truth.first.unix_nanos(), "{truth:?}");
        let classes: Vec<Class> = shifts[*next..*next + truth.expected.len()]
            .iter()
            .map(|s| s.1)
            .collect();
        assert_eq!(classes, truth.expected, "{truth:?}");
        *next += truth.expected.len();
        if !truth.behaviour.rules_agree() {
            *disagreements.entry(truth.behaviour).or_insert(0) += 1;
        }
    }
    for (key, shifts) in &formed {
        assert_eq!(
            used.get(key).copied().unwrap_or(0),
            shifts.len(),
            "unplanned shifts"
        );
    }
    assert!(
        disagreements.contains_key(&Behaviour::LongNight),
        "{disagreements:?}"
    );
}

#[test]
fn bad_rows_are_extra_rows_of_every_kind() {
    let population = small(4);
    let good = csv(&population, &CsvOptions::default());
    let options = CsvOptions {
        bad_rows: 18,
        ..CsvOptions::default()
    };
    let mut out = Vec::new();
    let stats = write_csv(&population, &options, &mut out, |_| {}).unwrap();
    assert_eq!(stats.bad_rows, 18);
    let good_lines = good.iter().filter(|&&b| b == b'\n').count() as u64;
    let lines = out.iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(lines, good_lines + 18);
    assert_eq!(stats.events + 1, good_lines);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().filter(|l| l.contains(",INN,")).count(), 2);
    assert_eq!(text.lines().filter(|l| l.contains("T24:00:00")).count(), 2);
    assert_eq!(
        text.lines().filter(|l| l.matches(',').count() != 6).count(),
        2
    );
    assert_eq!(BAD_ROW_KINDS.len(), 9);
}

#[test]
fn limit_cuts_at_exactly_n_events() {
    let population = small(6);
    let options = CsvOptions {
        limit: Some(1_000),
        ..CsvOptions::default()
    };
    let mut out = Vec::new();
    let stats = write_csv(&population, &options, &mut out, |_| {}).unwrap();
    assert_eq!(stats.events, 1_000);
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1_001);
}

#[test]
fn pseudonymised_population_has_only_tokens() {
    let population = Population::builder()
        .seed(1)
        .companies(10)
        .pseudonymised(true)
        .build()
        .unwrap();
    assert!(
        population
            .persons()
            .iter()
            .all(|p| p.id.starts_with("p_") && p.id.len() == 34)
    );
    assert!(
        population
            .companies()
            .iter()
            .all(|c| c.id.starts_with("c_"))
    );
    assert!(population.sites().iter().all(|s| s.id.starts_with("s_")));
}

/// RULES §7 in the generator: sites with a vendor auto-check-out close a
/// forgotten check-out with an `OUT` of origin `auto`; the truth counts it,
/// and the shift stays missing its `OUT`.
#[test]
fn automatic_check_outs_are_marked_and_in_the_truth() {
    use loggningsindex_core::Origin;
    let population = Population::builder()
        .seed(5)
        .companies(200)
        .dates(
            time::macros::date!(2026 - 03 - 02),
            time::macros::date!(2026 - 03 - 27),
        )
        .build()
        .unwrap();
    let autos = population
        .events()
        .filter(|e| e.origin == Origin::Auto)
        .count();
    let truths: Vec<_> = population.truths().collect();
    let in_truth: u32 = truths.iter().map(|t| t.auto_events).sum();
    assert!(autos > 0, "the population has auto-check-out sites");
    assert_eq!(autos as u32, in_truth);
    for t in truths.iter().filter(|t| t.auto_events > 0) {
        assert_eq!(t.expected, [loggningsindex_core::Class::MissingOut]);
    }
    assert!(
        population
            .events()
            .all(|e| e.origin == Origin::Auto || e.origin == Origin::Card)
    );
}
