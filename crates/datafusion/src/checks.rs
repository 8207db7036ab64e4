//! The row rule as SQL functions: `loggningsindex_reject(person, company,
//! site, timestamp, direction, origin)` is `NULL` for a row `compute` accepts
//! and the reject reason otherwise; `loggningsindex_id(x)` is an identifier
//! as `compute` reads it (trimmed).

use std::sync::Arc;

use datafusion::arrow::array::StringArray;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use loggningsindex_bulk::columnar::{EventArrays, EventColumns, TextColumn};
use loggningsindex_format::{parse_fields, trim};
use loggningsindex_zone::Zone;

use crate::SiteZone;

fn columnar(e: loggningsindex_bulk::Error) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(e.to_string())
}

/// `loggningsindex_reject(person, company, site, timestamp, direction, origin)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RejectUdf {
    signature: Signature,
    zone: SiteZone,
}

impl RejectUdf {
    /// The function for sites in `zone`.
    pub fn new(zone: &Zone) -> RejectUdf {
        RejectUdf {
            signature: Signature::any(6, Volatility::Immutable),
            zone: SiteZone(zone.clone()),
        }
    }
}

impl ScalarUDFImpl for RejectUdf {
    fn name(&self) -> &str {
        "loggningsindex_reject"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [person, company, site, stamps, direction, origin] = arrays.as_slice() else {
            return exec_err!(
                "loggningsindex_reject takes person, company, site, timestamp, direction, origin"
            );
        };
        let mut offsets = self.zone.0.offsets();
        let origin = (origin.data_type() != &DataType::Null).then_some(origin);
        let columns = EventColumns::new(&EventArrays {
            person,
            company,
            site,
            timestamp: stamps,
            direction,
            card: None,
            origin,
        })
        .map_err(columnar)?;
        let reasons: StringArray = (0..args.number_rows)
            .map(|i| {
                columns
                    .fields(i)
                    .and_then(|fields| parse_fields(&fields, 0, &mut offsets))
                    .err()
                    .map(|r| r.to_string())
            })
            .collect();
        Ok(ColumnarValue::Array(Arc::new(reasons)))
    }
}

/// `loggningsindex_id(x)`: an identifier as `compute` reads it.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IdUdf {
    signature: Signature,
}

impl Default for IdUdf {
    fn default() -> Self {
        IdUdf {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for IdUdf {
    fn name(&self) -> &str {
        "loggningsindex_id"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [ids] = arrays.as_slice() else {
            return exec_err!("loggningsindex_id takes one argument");
        };
        let ids = TextColumn::new(ids.as_ref(), "id").map_err(columnar)?;
        let out: StringArray = (0..args.number_rows)
            .map(|i| Some(String::from_utf8_lossy(trim(ids.get(i))).into_owned()))
            .collect();
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}
