//! The in-memory engine: events partitioned by person, then each partition
//! grouped by key, formed into shifts and tallied in parallel.

use loggningsindex_core::{Direction, Event, Key, SortedEvents, Summary, Timestamp};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use time::UtcOffset;

use crate::groups::{self, PersonGroups, Shares};

/// Events per storage block: blocks keep growth cheap (no doubling copies).
const BLOCK: usize = 4 * 1024;

/// An accepted event as stored until the end: 16 bytes.
#[derive(Clone, Copy, Debug)]
struct Stored {
    unix_nanos: i64,
    /// Index into the partition's `keys`.
    key: u32,
    /// The offset's seconds times two, plus one for `OUT`: an offset lies
    /// within ±26 h, so this always fits.
    offset_and_direction: i32,
}

impl Stored {
    fn new(key: u32, event: &Event<u32>) -> Stored {
        let out = i32::from(event.direction == Direction::Out);
        Stored {
            unix_nanos: event.at.unix_nanos(),
            key,
            offset_and_direction: event.at.offset().whole_seconds() * 2 + out,
        }
    }

    fn direction(self) -> Direction {
        if self.offset_and_direction & 1 == 1 {
            Direction::Out
        } else {
            Direction::In
        }
    }

    fn at(self) -> Timestamp {
        // `>> 1` rounds towards minus infinity: the halving of `new`, undone.
        let offset =
            UtcOffset::from_whole_seconds(self.offset_and_direction >> 1).unwrap_or(UtcOffset::UTC);
        Timestamp::new(self.unix_nanos, offset)
    }
}

/// One partition: some people's keys and events.
#[derive(Debug, Default)]
struct Part {
    keys: Vec<Key<u32>>,
    blocks: Vec<Vec<Stored>>,
}

/// Holds every accepted event, grouped by person into partitions.
#[derive(Debug)]
pub(crate) struct InMemory {
    parts: Vec<Part>,
    /// Per distinct raw key (the interner's dense index): partition and index
    /// of the key in it.
    slots: Vec<(u32, u32)>,
}

impl InMemory {
    /// An engine with `partitions` partitions (more than threads, so that
    /// work balances).
    pub(crate) fn new(partitions: usize) -> Self {
        InMemory {
            parts: (0..partitions.max(1)).map(|_| Part::default()).collect(),
            slots: Vec::new(),
        }
    }

    /// Stores one event, finding its key's dense index by value.
    pub(crate) fn push_by_key(
        &mut self,
        indexes: &mut FxHashMap<Key<u32>, u32>,
        event: Event<u32>,
    ) {
        let next = indexes.len() as u32;
        let index = *indexes.entry(event.key).or_insert(next);
        self.push(index, event);
    }

    /// Stores one event of the key with the interner's dense index `index`.
    pub(crate) fn push(&mut self, index: u32, event: Event<u32>) {
        let index = index as usize;
        while self.slots.len() <= index {
            self.slots.push((u32::MAX, 0));
        }
        if self.slots[index].0 == u32::MAX {
            let p = event.key.person as usize % self.parts.len();
            let part = &mut self.parts[p];
            self.slots[index] = (p as u32, part.keys.len() as u32);
            part.keys.push(event.key);
        }
        let (p, key) = self.slots[index];
        let stored = Stored::new(key, &event);
        let blocks = &mut self.parts[p as usize].blocks;
        match blocks.last_mut() {
            Some(block) if block.len() < BLOCK => block.push(stored),
            _ => {
                let mut block = Vec::with_capacity(BLOCK);
                block.push(stored);
                blocks.push(block);
            }
        }
    }

    /// Forms, judges and tallies every partition on the current rayon pool.
    ///
    /// All of a person's events are in one partition, so the partitions'
    /// summaries merge exactly, in any order.
    pub(crate) fn finish(self) -> Summary<u32> {
        InMemory::finish_all(vec![self])
    }

    /// As [`finish`](Self::finish), for several engines filled apart (with the
    /// same number of partitions): partition `p` of each holds the same people.
    pub(crate) fn finish_all(shards: Vec<InMemory>) -> Summary<u32> {
        let partitions = shards.first().map_or(0, |s| s.parts.len());
        let mut grouped: Vec<Vec<Part>> = (0..partitions).map(|_| Vec::new()).collect();
        for shard in shards {
            for (p, part) in shard.parts.into_iter().enumerate() {
                grouped[p].push(part);
            }
        }
        // Each worker lays its partitions out in one buffer, reused: a
        // buffer per partition, freed after it, left the allocator holding
        // its blocks (megabytes each, beside the stored events being freed).
        let shares: Vec<Shares> = grouped
            .into_par_iter()
            .map_init(Vec::new, |events, parts| summarize_parts(parts, events))
            .collect();
        groups::summary(shares)
    }
}

/// Lays the events of one partition (filled in one or more shards) out in
/// canonical order with a counting sort by key (keys ordered by value), sorts
/// each key's run by time — usually already in order — and tallies the shifts.
fn summarize_parts(parts: Vec<Part>, events: &mut Vec<Event<u32>>) -> Shares {
    // One numbering of the partition's keys across shards.
    let mut keys: Vec<Key<u32>> = Vec::new();
    let mut numbers: FxHashMap<Key<u32>, u32> = FxHashMap::default();
    let remaps: Vec<Vec<u32>> = parts
        .iter()
        .map(|part| {
            part.keys
                .iter()
                .map(|key| {
                    *numbers.entry(*key).or_insert_with(|| {
                        keys.push(*key);
                        keys.len() as u32 - 1
                    })
                })
                .collect()
        })
        .collect();
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_unstable_by_key(|&k| keys[k as usize]);
    let mut counts = vec![0usize; keys.len()];
    for (part, remap) in parts.iter().zip(&remaps) {
        for stored in part.blocks.iter().flatten() {
            counts[remap[stored.key as usize] as usize] += 1;
        }
    }
    let mut start = vec![0usize; keys.len()];
    let mut next = 0;
    for &k in &order {
        start[k as usize] = next;
        next += counts[k as usize];
    }
    let placeholder = Event::new(
        Key::new(0, 0, 0),
        Timestamp::new(0, UtcOffset::UTC),
        Direction::In,
    );
    events.clear();
    events.resize(next, placeholder);
    let mut cursor = start.clone();
    for (part, remap) in parts.into_iter().zip(&remaps) {
        for block in part.blocks {
            for stored in block {
                let k = remap[stored.key as usize] as usize;
                events[cursor[k]] = Event::new(keys[k], stored.at(), stored.direction());
                cursor[k] += 1;
            }
        }
    }
    for &k in &order {
        let run = &mut events[start[k as usize]..cursor[k as usize]];
        // Stable sort: linear on runs already in time order.
        run.sort_by(Event::time_order);
    }
    // The layout above is canonical by construction; `new` checks it in O(n).
    let sorted = match SortedEvents::new(events) {
        Ok(sorted) => sorted,
        Err(_) => {
            debug_assert!(false, "counting sort left events out of canonical order");
            SortedEvents::sort(events)
        }
    };
    let mut groups = PersonGroups::default();
    for (_, shift) in sorted.shifts() {
        groups.push(&shift);
    }
    groups.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_event_is_sixteen_bytes_and_keeps_everything() {
        assert_eq!(size_of::<Stored>(), 16);
        let max = 25 * 3600 + 59 * 60 + 59;
        for seconds in [0, 1, -1, 3600, -3601, 7199, max, -max] {
            for direction in [Direction::In, Direction::Out] {
                let offset = UtcOffset::from_whole_seconds(seconds).unwrap();
                let at = Timestamp::new(-1_234_567_890_123, offset);
                let event = Event::new(Key::new(1, 2, 3), at, direction);
                let stored = Stored::new(7, &event);
                assert_eq!(stored.at(), at, "{seconds}");
                assert_eq!(stored.at().offset(), offset, "{seconds}");
                assert_eq!(stored.direction(), direction);
                assert_eq!(stored.key, 7);
            }
        }
    }
}
