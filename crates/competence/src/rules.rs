//! The rules, sans-IO: when a certificate is valid, when a requirement
//! applies, which required certificates a person lacked on a day.

use std::collections::BTreeMap;

use time::Date;

/// A training certificate of one person (ID06 Kompetensdatabas).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Certificate {
    /// The holder's person id, as in event files.
    pub person: String,
    /// The certificate's code, such as `HETA-ARBETEN` (compared without case).
    pub code: String,
    /// First valid day, inclusive.
    pub valid_from: Date,
    /// Last valid day, inclusive; `None`: it does not expire.
    pub valid_to: Option<Date>,
    /// Who issued it.
    pub issuer: String,
}

impl Certificate {
    /// Whether it is valid on `day`: both ends inclusive.
    ///
    /// ```
    /// use loggningsindex_competence::Certificate;
    /// use time::macros::date;
    ///
    /// let c = Certificate {
    ///     person: "p1".into(),
    ///     code: "LIFT".into(),
    ///     valid_from: date!(2026-01-01),
    ///     valid_to: Some(date!(2026-06-30)),
    ///     issuer: "x".into(),
    /// };
    /// assert!(c.valid_on(date!(2026-01-01)) && c.valid_on(date!(2026-06-30)));
    /// assert!(!c.valid_on(date!(2025-12-31)) && !c.valid_on(date!(2026-07-01)));
    /// ```
    pub fn valid_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// A site's requirement: everyone (or one company's people) working there
/// must hold a certificate, between optional dates.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Requirement {
    /// The site.
    pub site: String,
    /// The certificate code required.
    pub code: String,
    /// First day it applies, inclusive; `None`: from the start.
    pub from: Option<Date>,
    /// Last day it applies, inclusive; `None`: without end.
    pub to: Option<Date>,
    /// Only this company's people; `None`: everyone's.
    pub company: Option<String>,
}

impl Requirement {
    /// Whether it applies to a shift of `company` at `site` on `day`.
    ///
    /// ```
    /// use loggningsindex_competence::Requirement;
    /// use time::macros::date;
    ///
    /// let r = Requirement {
    ///     site: "BPL-1".into(),
    ///     code: "FALLSKYDD".into(),
    ///     from: Some(date!(2026-03-01)),
    ///     to: None,
    ///     company: Some("556677-8899".into()),
    /// };
    /// assert!(r.applies("BPL-1", "556677-8899", date!(2026-03-01)));
    /// assert!(!r.applies("BPL-1", "556677-8899", date!(2026-02-28)));
    /// assert!(!r.applies("BPL-1", "559900-1122", date!(2026-03-02)));
    /// ```
    pub fn applies(&self, site: &str, company: &str, day: Date) -> bool {
        self.site == site
            && self.company.as_deref().is_none_or(|c| c == company)
            && self.from.is_none_or(|from| from <= day)
            && self.to.is_none_or(|to| day <= to)
    }
}

/// Certificates by person, for looking up what someone held on a day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Certificates {
    by_person: BTreeMap<String, Vec<Certificate>>,
}

impl Certificates {
    /// Adds a certificate.
    pub fn insert(&mut self, certificate: Certificate) {
        self.by_person
            .entry(certificate.person.clone())
            .or_default()
            .push(certificate);
    }

    /// Whether `person` held a certificate `code` valid on `day`.
    pub fn holds(&self, person: &str, code: &str, day: Date) -> bool {
        self.by_person.get(person).is_some_and(|certs| {
            certs
                .iter()
                .any(|c| c.code.eq_ignore_ascii_case(code) && c.valid_on(day))
        })
    }

    /// Every certificate, by person.
    pub fn iter(&self) -> impl Iterator<Item = &Certificate> {
        self.by_person.values().flatten()
    }
}

/// The codes required of a shift of `person` for `company` at `site` on
/// `day` that the person did not hold valid that day, sorted, each once.
pub fn missing<'a>(
    requirements: &'a [Requirement],
    certificates: &Certificates,
    person: &str,
    company: &str,
    site: &str,
    day: Date,
) -> Vec<&'a str> {
    let mut codes: Vec<&str> = requirements
        .iter()
        .filter(|r| r.applies(site, company, day))
        .filter(|r| !certificates.holds(person, &r.code, day))
        .map(|r| r.code.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}
