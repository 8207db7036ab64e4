//! `loggningsindex_shifts(timestamp, direction, origin)`: the aggregate that
//! turns one key's events (one person, company and site — the `GROUP BY`)
//! into its shifts, judged, and tallied per month of the work day.

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Int32Array, Int64Array, ListArray, StringArray,
    StructArray, UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields, Int32Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use loggningsindex_bulk::columnar::{TextColumn, TimeColumn};
use loggningsindex_core::{Direction, Key, Origin, Tally, Timestamp, YearMonth, shifts_of_key};
use loggningsindex_format::{parse_direction, parse_stamp};
use loggningsindex_zone::Zone;

use crate::SiteZone;

/// The fields of one month's tally, in the order of the struct.
pub const MONTH_FIELDS: [&str; 7] = [
    "month",
    "shifts",
    "correct",
    "missing_in",
    "missing_out",
    "missing_both",
    "auto_events",
];

fn month_struct() -> Fields {
    Fields::from(
        MONTH_FIELDS
            .iter()
            .map(|name| {
                let kind = if *name == "month" {
                    DataType::Utf8
                } else {
                    DataType::UInt64
                };
                Field::new(*name, kind, false)
            })
            .collect::<Vec<_>>(),
    )
}

/// The function's result type: a list of month structs.
pub fn shifts_type() -> DataType {
    DataType::List(Arc::new(Field::new(
        "item",
        DataType::Struct(month_struct()),
        true,
    )))
}

/// The aggregate; the site zone reads naive timestamps and gives local dates.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ShiftsUdaf {
    signature: Signature,
    zone: SiteZone,
}

impl ShiftsUdaf {
    /// The aggregate for sites in `zone`.
    pub fn new(zone: &Zone) -> ShiftsUdaf {
        ShiftsUdaf {
            signature: Signature::any(3, Volatility::Immutable),
            zone: SiteZone(zone.clone()),
        }
    }
}

impl AggregateUDFImpl for ShiftsUdaf {
    fn name(&self) -> &str {
        "loggningsindex_shifts"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(shifts_type())
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Shifts {
            zone: self.zone.0.clone(),
            events: Vec::new(),
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let list = |name: &str, kind: DataType| {
            Arc::new(Field::new(
                format!("{}[{name}]", args.name),
                DataType::List(Arc::new(Field::new("item", kind, true))),
                true,
            ))
        };
        Ok(vec![
            list("nanos", DataType::Int64),
            list("offsets", DataType::Int32),
            list("inward", DataType::Boolean),
            list("auto", DataType::Boolean),
        ])
    }
}

/// One event of the key: instant, offset, direction, and whether `auto`.
#[derive(Clone, Copy, Debug)]
struct Tap {
    nanos: i64,
    offset: i32,
    inward: bool,
    auto: bool,
}

impl Tap {
    fn at(self) -> Timestamp {
        let offset =
            time::UtcOffset::from_whole_seconds(self.offset).unwrap_or(time::UtcOffset::UTC);
        Timestamp::new(self.nanos, offset)
    }
}

#[derive(Debug)]
struct Shifts {
    zone: Zone,
    events: Vec<Tap>,
}

/// A row the index cannot read; the SQL keeps such rows out with
/// `loggningsindex_reject(…) IS NULL`, so meeting one here is an error.
fn unreadable(what: &str) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(format!(
        "loggningsindex_shifts: {what}; keep rejected rows out with loggningsindex_reject(...) IS NULL"
    ))
}

impl Accumulator for Shifts {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let [stamps, directions, origins] = values else {
            return exec_err!("loggningsindex_shifts takes timestamp, direction, origin");
        };
        let time = TimeColumn::new(stamps).map_err(|e| unreadable(&e.to_string()))?;
        let direction = TextColumn::new(directions.as_ref(), "direction")
            .map_err(|e| unreadable(&e.to_string()))?;
        let origin = (origins.data_type() != &DataType::Null)
            .then(|| TextColumn::new(origins.as_ref(), "origin"))
            .transpose()
            .map_err(|e| unreadable(&e.to_string()))?;
        let mut offsets = self.zone.offsets();
        for i in 0..stamps.len() {
            let stamp = time.get(i).map_err(|e| unreadable(&e.to_string()))?;
            let (_, at) =
                parse_stamp(stamp, &mut offsets).map_err(|e| unreadable(&e.to_string()))?;
            let inward = parse_direction(direction.get(i))
                .map_err(|e| unreadable(&e.to_string()))?
                == Direction::In;
            let auto = match &origin {
                Some(o) => {
                    Origin::from_bytes(o.get(i)).ok_or_else(|| unreadable("unknown origin"))?
                        == Origin::Auto
                }
                None => false,
            };
            self.events.push(Tap {
                nanos: at.unix_nanos(),
                offset: at.offset().whole_seconds(),
                inward,
                auto,
            });
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut months: BTreeMap<YearMonth, (Tally, u64)> = BTreeMap::new();
        let mut taps = Vec::with_capacity(self.events.len());
        for tap in &self.events {
            if tap.auto {
                months
                    .entry(YearMonth::of(tap.at().local_date()))
                    .or_default()
                    .1 += 1;
            } else {
                let direction = if tap.inward {
                    Direction::In
                } else {
                    Direction::Out
                };
                taps.push((tap.at(), direction));
            }
        }
        for shift in shifts_of_key(Key::new((), (), ()), &mut taps) {
            months
                .entry(YearMonth::of(shift.work_day))
                .or_default()
                .0
                .add(shift.class);
        }
        let column = |f: &dyn Fn(&Tally, u64) -> u64| -> ArrayRef {
            Arc::new(UInt64Array::from_iter_values(
                months.values().map(|(t, a)| f(t, *a)),
            ))
        };
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(
                months.keys().map(ToString::to_string),
            )),
            column(&|t, _| t.shifts()),
            column(&|t, _| t.correct),
            column(&|t, _| t.missing_in),
            column(&|t, _| t.missing_out),
            column(&|t, _| t.missing_both),
            column(&|_, a| a),
        ];
        let structs = StructArray::try_new(month_struct(), columns, None)?;
        let list = ListArray::try_new(
            Arc::new(Field::new("item", DataType::Struct(month_struct()), true)),
            datafusion::arrow::buffer::OffsetBuffer::from_lengths([structs.len()]),
            Arc::new(structs),
            None,
        )?;
        Ok(ScalarValue::List(Arc::new(list)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.events.capacity() * std::mem::size_of::<Tap>()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let one = |values: ArrayRef| -> ScalarValue {
            let field = Arc::new(Field::new("item", values.data_type().clone(), true));
            let offsets = datafusion::arrow::buffer::OffsetBuffer::from_lengths([values.len()]);
            ScalarValue::List(Arc::new(ListArray::new(field, offsets, values, None)))
        };
        Ok(vec![
            one(Arc::new(Int64Array::from_iter_values(
                self.events.iter().map(|t| t.nanos),
            ))),
            one(Arc::new(Int32Array::from_iter_values(
                self.events.iter().map(|t| t.offset),
            ))),
            one(Arc::new(BooleanArray::from_iter(
                self.events.iter().map(|t| Some(t.inward)),
            ))),
            one(Arc::new(BooleanArray::from_iter(
                self.events.iter().map(|t| Some(t.auto)),
            ))),
        ])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [nanos, offsets, inward, auto] = states else {
            return exec_err!("loggningsindex_shifts: a state has four lists");
        };
        let list = |a: &ArrayRef| -> Result<ListArray> {
            a.as_list_opt::<i32>()
                .cloned()
                .ok_or_else(|| unreadable("a state that is not a list"))
        };
        let (nanos, offsets, inward, auto) =
            (list(nanos)?, list(offsets)?, list(inward)?, list(auto)?);
        let flags = |a: &ArrayRef| -> Result<BooleanArray> {
            a.as_boolean_opt()
                .cloned()
                .ok_or_else(|| unreadable("state flags"))
        };
        for row in (0..nanos.len()).filter(|&row| !nanos.is_null(row)) {
            let (n, o) = (nanos.value(row), offsets.value(row));
            let n = n
                .as_primitive_opt::<Int64Type>()
                .ok_or_else(|| unreadable("state nanos"))?;
            let o = o
                .as_primitive_opt::<Int32Type>()
                .ok_or_else(|| unreadable("state offsets"))?;
            let (i, a) = (flags(&inward.value(row))?, flags(&auto.value(row))?);
            for k in 0..n.len() {
                self.events.push(Tap {
                    nanos: n.value(k),
                    offset: o.value(k),
                    inward: i.value(k),
                    auto: a.value(k),
                });
            }
        }
        Ok(())
    }
}
