//! Streaming a population's register in time order, day by day.

use std::mem;

use loggningsindex_zone::Offsets;

use crate::Population;
use crate::plan::{SynthEvent, Truth};

use loggningsindex_core::NANOS_PER_DAY;

impl Population {
    /// Every event, in time order (as a register exports them), generated one
    /// day at a time: memory holds about one day of events, whatever the range.
    pub fn events(&self) -> Events<'_> {
        Events {
            population: self,
            offsets: self.zone.offsets(),
            day: 0,
            ready: Vec::new(),
            pos: 0,
            carry: Vec::new(),
        }
    }

    /// The ground truth of every planned shift, day by day and by person.
    pub fn truths(&self) -> impl Iterator<Item = Truth> + '_ {
        let mut offsets = self.zone.offsets();
        (0..self.days).flat_map(move |day| {
            let truths: Vec<Truth> = (0..self.persons.len() as u32)
                .filter_map(|person| self.plan(person, day))
                .map(|planned| self.expand(&planned, day, &mut offsets, |_| {}))
                .collect();
            truths
        })
    }
}

/// Iterator over a population's events in time order; see [`Population::events`].
#[derive(Debug)]
pub struct Events<'a> {
    population: &'a Population,
    offsets: Offsets,
    /// The next day to generate; `days + 1` once the tail is flushed.
    day: u32,
    ready: Vec<SynthEvent>,
    pos: usize,
    /// Generated events not yet final: later than the next day's midnight.
    carry: Vec<SynthEvent>,
}

impl Events<'_> {
    /// Generates the next day and moves every event before the following local
    /// midnight to `ready`: no shift of a later day can start before it.
    fn refill(&mut self) {
        let population = self.population;
        self.ready.clear();
        self.pos = 0;
        if self.day >= population.days {
            self.ready = mem::take(&mut self.carry);
            self.ready.sort_unstable_by_key(SynthEvent::order);
            self.day = population.days + 1;
            return;
        }
        let day = self.day;
        for person in 0..population.persons.len() as u32 {
            if let Some(planned) = population.plan(person, day) {
                let carry = &mut self.carry;
                population.expand(&planned, day, &mut self.offsets, |e| carry.push(e));
            }
        }
        self.carry.sort_unstable_by_key(SynthEvent::order);
        let next = population.date(day + 1);
        let local_midnight = loggningsindex_core::epoch_days(next) * NANOS_PER_DAY;
        let boundary = self
            .offsets
            .resolve_local(local_midnight)
            .unwrap_or(local_midnight);
        let cut = self.carry.partition_point(|e| e.at.unix_nanos() < boundary);
        self.ready.extend(self.carry.drain(..cut));
        self.day += 1;
    }
}

impl Iterator for Events<'_> {
    type Item = SynthEvent;

    fn next(&mut self) -> Option<SynthEvent> {
        loop {
            if let Some(event) = self.ready.get(self.pos) {
                self.pos += 1;
                return Some(*event);
            }
            if self.day > self.population.days {
                return None;
            }
            self.refill();
        }
    }
}
