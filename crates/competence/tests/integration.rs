//! Certificates, requirements and the check: the files, the properties the
//! issue names, and the small-group rule.

use loggningsindex_competence::{
    Certificate, Certificates, Requirement, check, load_certificates, load_requirements, missing,
    suppress,
};
use loggningsindex_format::Verbatim;
use loggningsindex_zone::Zone;
use proptest::prelude::*;
use time::Date;
use time::macros::date;

const DAY0: Date = date!(2026 - 03 - 01);

fn day(n: i64) -> Date {
    DAY0 + time::Duration::days(n)
}

fn cert(person: &str, code: &str, from: i64, to: Option<i64>) -> Certificate {
    Certificate {
        person: person.into(),
        code: code.into(),
        valid_from: day(from),
        valid_to: to.map(day),
        issuer: "i".into(),
    }
}

fn arb_requirement() -> impl Strategy<Value = Requirement> {
    (
        0u8..2,
        0u8..3,
        prop::option::of(0i64..20),
        prop::option::of(0i64..20),
        prop::option::of(0u8..2),
    )
        .prop_map(|(site, code, from, to, company)| Requirement {
            site: format!("s{site}"),
            code: format!("C{code}"),
            from: from.map(day),
            to: to.map(day),
            company: company.map(|c| format!("c{c}")),
        })
}

fn arb_certificate() -> impl Strategy<Value = Certificate> {
    (0u8..3, 0u8..3, 0i64..20, prop::option::of(0i64..20)).prop_map(|(p, code, from, len)| {
        cert(
            &format!("p{p}"),
            &format!("C{code}"),
            from,
            len.map(|l| from + l),
        )
    })
}

proptest! {
    /// Adding a valid certificate never adds a violation.
    #[test]
    fn prop_a_certificate_never_adds_a_violation(
        requirements in prop::collection::vec(arb_requirement(), 0..6),
        certs in prop::collection::vec(arb_certificate(), 0..6),
        extra in arb_certificate(),
        (p, c, s, d) in (0u8..3, 0u8..2, 0u8..2, 0i64..25),
    ) {
        let mut before = Certificates::default();
        for x in &certs { before.insert(x.clone()); }
        let mut after = before.clone();
        after.insert(extra);
        let (person, company, site) = (format!("p{p}"), format!("c{c}"), format!("s{s}"));
        let was = missing(&requirements, &before, &person, &company, &site, day(d));
        let now = missing(&requirements, &after, &person, &company, &site, day(d));
        prop_assert!(now.iter().all(|code| was.contains(code)), "{now:?} ⊄ {was:?}");
    }

    /// Validity dates are inclusive at both ends, and nothing outside.
    #[test]
    fn prop_validity_is_inclusive_at_both_ends(from in 0i64..20, len in 0i64..20, d in -5i64..45) {
        let c = cert("p", "C", from, Some(from + len));
        prop_assert_eq!(c.valid_on(day(d)), (from..=from + len).contains(&d));
        let open = cert("p", "C", from, None);
        prop_assert_eq!(open.valid_on(day(d)), d >= from);
    }

    /// A requirement outside its dates never applies.
    #[test]
    fn prop_a_requirement_outside_its_dates_never_applies(r in arb_requirement(), d in -5i64..45) {
        let inside = r.from.is_none_or(|f| f <= day(d)) && r.to.is_none_or(|t| day(d) <= t);
        if !inside {
            prop_assert!(!r.applies(&r.site, r.company.as_deref().unwrap_or("c0"), day(d)));
        }
    }
}

#[test]
fn files_reject_bad_rows_with_line_and_reason() {
    let (certs, rejects) = load_certificates(
        "Certificate,PERSON,valid_from,valid_to,issuer\n\
         BAS-U,p1,2026-01-01,2026-12-31,x\n\
         LIFT,p1,2026-13-01,,x\n\
         LIFT,,2026-01-01,,x\n\
         LIFT,p2,2026-05-01,2026-04-01,x\n\
         lift,p2,2026-01-01,,x\n"
            .as_bytes(),
    )
    .unwrap();
    let reasons: Vec<String> = rejects
        .iter()
        .map(|r| format!("{}: {}", r.line, r.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            "3: bad valid_from: expected YYYY-MM-DD",
            "4: empty person",
            "5: bad valid_to: before valid_from",
        ]
    );
    assert!(
        certs.holds("p2", "LIFT", date!(2030 - 01 - 01)),
        "no expiry, codes without case"
    );
    let (reqs, rejects) =
        load_requirements("site,certificate,company\nA,BAS-U,\nB,,c1\n".as_bytes()).unwrap();
    assert_eq!((reqs.len(), rejects.len()), (1, 1));
    assert!(load_requirements("site\nA\n".as_bytes()).is_err());
}

#[test]
fn the_check_counts_per_company_and_site_and_folds_small_sites() {
    let (certs, _) = load_certificates(
        "person,certificate,valid_from,valid_to,issuer\n\
         p1,ID06-ALLMAN-SAKERHET,2026-01-01,2026-03-02,x\n\
         p2,ID06-ALLMAN-SAKERHET,2026-01-01,,x\n"
            .as_bytes(),
    )
    .unwrap();
    let (reqs, _) = load_requirements(
        "site,certificate,from,to,company\n\
         A,ID06-ALLMAN-SAKERHET,,,\n\
         A,HETA-ARBETEN,2026-03-03,,c2\n"
            .as_bytes(),
    )
    .unwrap();
    let events = "person,company,site,timestamp,direction,origin\n\
                  p1,c1,A,2026-03-02T07:00:00+01:00,IN,\n\
                  p1,c1,A,2026-03-02T16:00:00+01:00,OUT,\n\
                  p1,c1,A,2026-03-03T07:00:00+01:00,IN,\n\
                  p2,c2,A,2026-03-03T07:00:00+01:00,IN,\n\
                  p3,c2,B,2026-03-03T07:00:00+01:00,IN,\n\
                  p3,c2,B,2026-03-03T23:59:00+01:00,OUT,auto\n";
    let checked = check(
        events.as_bytes(),
        &reqs,
        &certs,
        &Zone::stockholm(),
        &mut Verbatim,
    )
    .unwrap();
    let r = &checked.result;
    assert_eq!(r.records.accepted, 6);
    let c1 = &r.companies[0];
    // p1's certificate expired after Monday: Tuesday's shift lacks it.
    assert_eq!((c1.group.shifts, c1.group.shifts_without_required), (2, 1));
    let c2 = &r.companies[1];
    assert_eq!((c2.group.shifts, c2.group.shifts_without_required), (2, 1));
    assert_eq!(c2.group.missing["HETA-ARBETEN"], 1);
    assert_eq!(c2.sites.len(), 2);
    assert_eq!((r.totals.shifts, r.totals.shifts_without_required), (4, 2));
    assert_eq!(checked.shifts.len(), 2);
    // Published with K = 3: no site row of one or two people.
    let published = suppress(r, 3);
    for company in &published.companies {
        assert!(company.sites.is_empty(), "{company:?}");
    }
}
