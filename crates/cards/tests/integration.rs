//! Cards at the exact instants that matter, fee basis and expiry at year
//! boundaries and leap days, and registrations made with bad cards.

use loggningsindex_cards::{BlockReason, Card, CardRegister, StatusChange, Validity, check_events};
use loggningsindex_core::Timestamp;
use loggningsindex_zone::Zone;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};

fn at(t: OffsetDateTime) -> Timestamp {
    Timestamp::from_offset_datetime(t).unwrap()
}

fn card(number: &str, company: &str, from: Date, to: Date, history: Vec<StatusChange>) -> Card {
    Card {
        number: number.parse().unwrap(),
        holder: format!("holder-{number}"),
        name: String::new(),
        company: company.into(),
        valid_from: from,
        valid_to: to,
        history,
    }
}

#[test]
fn validity_at_the_exact_instants() {
    let blocked = at(datetime!(2026-06-10 08:15:00 +02:00));
    let c = card(
        "AB-0000000001",
        "c",
        date!(2026 - 03 - 01),
        date!(2026 - 09 - 30),
        vec![StatusChange::Blocked {
            at: blocked,
            reason: BlockReason::Stolen,
        }],
    );
    let ns = Duration::nanoseconds(1);
    assert_eq!(
        c.validity(at(datetime!(2026-03-01 00:00 +01:00) - ns)),
        Validity::NotYetValid {
            from: date!(2026 - 03 - 01)
        }
    );
    assert_eq!(
        c.validity(at(datetime!(2026-03-01 00:00 +01:00))),
        Validity::Valid
    );
    assert_eq!(
        c.validity(at(datetime!(2026-06-10 08:15:00 +02:00) - ns)),
        Validity::Valid
    );
    assert_eq!(
        c.validity(blocked),
        Validity::Blocked {
            reason: BlockReason::Stolen,
            since: blocked
        }
    );
    let unblocked = card(
        "AB-0000000002",
        "c",
        date!(2026 - 03 - 01),
        date!(2026 - 09 - 30),
        vec![
            StatusChange::Blocked {
                at: blocked,
                reason: BlockReason::Lost,
            },
            StatusChange::Unblocked {
                at: at(datetime!(2026-06-11 09:00 +02:00)),
            },
        ],
    );
    assert_eq!(
        unblocked.validity(at(datetime!(2026-06-11 09:00 +02:00))),
        Validity::Valid
    );
    assert_eq!(
        unblocked.validity(at(datetime!(2026-09-30 23:59:59.999999999 +02:00))),
        Validity::Valid
    );
    assert_eq!(
        unblocked.validity(at(datetime!(2026-10-01 00:00 +02:00))),
        Validity::Expired {
            to: date!(2026 - 09 - 30)
        }
    );
    let register = {
        let mut r = CardRegister::default();
        r.insert(c);
        r
    };
    assert_eq!(
        register.validity(&"ZZ-9999999999".parse().unwrap(), blocked),
        Validity::Unknown
    );
}

#[test]
fn fee_basis_across_year_boundaries_and_blocks() {
    let mut r = CardRegister::default();
    // Spans new year: counts in both years.
    r.insert(card(
        "AA-0000000001",
        "a",
        date!(2025 - 12 - 01),
        date!(2026 - 01 - 01),
        vec![],
    ));
    // Ends on new year's eve: 2025 only.
    r.insert(card(
        "AA-0000000002",
        "a",
        date!(2025 - 01 - 01),
        date!(2025 - 12 - 31),
        vec![],
    ));
    // Blocked mid-2026, valid to 2027: counts in 2026, not in 2027.
    r.insert(card(
        "BB-0000000003",
        "b",
        date!(2026 - 01 - 01),
        date!(2027 - 12 - 31),
        vec![StatusChange::Blocked {
            at: at(datetime!(2026-03-01 10:00 +01:00)),
            reason: BlockReason::EmploymentEnded,
        }],
    ));
    // Blocked at the very first instant of 2026 local time: not in 2026.
    r.insert(card(
        "CC-0000000004",
        "c",
        date!(2025 - 06 - 01),
        date!(2026 - 12 - 31),
        vec![StatusChange::Blocked {
            at: at(datetime!(2026-01-01 00:00 +01:00)),
            reason: BlockReason::Lost,
        }],
    ));
    // Blocked in 2025, unblocked in 2026: counts in 2026.
    r.insert(card(
        "DD-0000000005",
        "d",
        date!(2025 - 01 - 01),
        date!(2026 - 12 - 31),
        vec![
            StatusChange::Blocked {
                at: at(datetime!(2025-05-01 10:00 +02:00)),
                reason: BlockReason::Lost,
            },
            StatusChange::Unblocked {
                at: at(datetime!(2026-02-01 10:00 +01:00)),
            },
        ],
    ));
    let y2025 = r.fee_basis(2025);
    let y2026 = r.fee_basis(2026);
    let y2027 = r.fee_basis(2027);
    assert_eq!(
        y2025.into_iter().collect::<Vec<_>>(),
        [("a".into(), 2), ("c".into(), 1), ("d".into(), 1)]
    );
    assert_eq!(
        y2026.into_iter().collect::<Vec<_>>(),
        [("a".into(), 1), ("b".into(), 1), ("d".into(), 1)]
    );
    assert!(y2027.is_empty());
}

#[test]
fn expiry_windows_include_leap_days_soonest_first() {
    let mut r = CardRegister::default();
    r.insert(card(
        "AA-0000000001",
        "a",
        date!(2027 - 01 - 01),
        date!(2028 - 02 - 29),
        vec![],
    ));
    r.insert(card(
        "AA-0000000002",
        "a",
        date!(2027 - 01 - 01),
        date!(2028 - 02 - 28),
        vec![],
    ));
    r.insert(card(
        "AA-0000000003",
        "a",
        date!(2027 - 01 - 01),
        date!(2028 - 03 - 01),
        vec![],
    ));
    r.insert(card(
        "BB-0000000004",
        "b",
        date!(2027 - 01 - 01),
        date!(2028 - 02 - 29),
        vec![StatusChange::Blocked {
            at: at(datetime!(2027-06-01 10:00 +02:00)),
            reason: BlockReason::Lost,
        }],
    ));
    let soon = r.expiring(date!(2028 - 02 - 28), 1);
    let numbers: Vec<String> = soon["a"].iter().map(|c| c.number.to_string()).collect();
    assert_eq!(numbers, ["AA-0000000002", "AA-0000000001"]);
    assert!(!soon.contains_key("b"), "blocked cards are not renewed");
    assert_eq!(r.expiring(date!(2028 - 02 - 29), 0)["a"].len(), 1);
    assert_eq!(r.expiring(date!(2028 - 01 - 30), 30)["a"].len(), 2);
}

#[test]
fn card_file_rows_are_loaded_or_rejected_with_line_and_reason() {
    let csv = "card,holder,company,valid_from,valid_to,blocked_at,block_reason\n\
               AB-1234567890,p1,556677-8899,2026-01-01,2026-12-31,,\n\
               AB-1234567890,p1,556677-8899,2026-01-01,2026-12-31,2026-05-01T10:00:00+02:00,stolen\n\
               XX-12,p2,556677-8899,2026-01-01,2026-12-31,,\n\
               CD-1234567890,p3,556677-8899,2026-01-01,2025-12-31,,\n\
               EF-1234567890,p4,556677-8899,2026-01-01,2026-12-31,2026-05-01T10:00:00+02:00,misplaced\n";
    let (register, rejects) = CardRegister::load(csv.as_bytes(), &Zone::stockholm()).unwrap();
    assert_eq!(register.cards().count(), 1, "a rejected row stores nothing");
    let lines: Vec<u64> = rejects.iter().map(|r| r.line).collect();
    assert_eq!(lines, [4, 5, 6]);
    use loggningsindex_cards::RejectReason;
    assert!(matches!(
        rejects[0].reason,
        RejectReason::Invalid { column: "card", .. }
    ));
    assert_eq!(
        rejects[1].reason.to_string(),
        "bad valid_to: before valid_from"
    );
    assert!(matches!(
        rejects[2].reason,
        RejectReason::Invalid {
            column: "block_reason",
            ..
        }
    ));
    let card = register.get(&"AB-1234567890".parse().unwrap()).unwrap();
    assert_eq!(card.history.len(), 1);
    assert!(CardRegister::load("card,holder\n".as_bytes(), &Zone::stockholm()).is_err());
}

#[test]
fn compliance_counts_bad_cards_per_company() {
    let mut r = CardRegister::default();
    let mut held = card(
        "AB-0000000001",
        "556677-8899",
        date!(2026 - 01 - 01),
        date!(2026 - 03 - 31),
        vec![],
    );
    held.holder = "p1".into();
    r.insert(held);
    let events = "person,company,site,timestamp,direction,card\n\
                  p1,556677-8899,s,2026-03-02T07:00:00+01:00,IN,AB-0000000001\n\
                  p1,556677-8899,s,2026-04-02T07:00:00+02:00,IN,AB-0000000001\n\
                  p2,556677-8899,s,2026-03-02T07:00:00+01:00,IN,XY-0000000009\n\
                  p3,559900-1122,s,2026-03-02T07:00:00+01:00,IN,\n";
    let c = check_events(events.as_bytes(), &r, &Zone::stockholm()).unwrap();
    let a = c.companies["556677-8899"];
    assert_eq!((a.with_card, a.invalid, a.without_card), (3, 2, 0));
    assert_eq!(c.companies["559900-1122"].without_card, 1);
    assert_eq!(
        c.findings.iter().map(|f| f.line).collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(c.findings[0].reason, "expired after 2026-03-31");
    assert_eq!(c.findings[1].reason, "unknown card");
}
