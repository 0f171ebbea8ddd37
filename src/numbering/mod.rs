//! Reading phone numbers and placing them in numbering plans: the number reader (digits in
//! any script, look-alikes, vanity letters), service short codes, the region to read in, and
//! libphonenumber's metadata behind a compiled per-region fast path. Knows nothing of brands.

mod fast;
mod kinds;
pub(crate) mod plan;
pub(crate) mod scan;

pub(crate) use kinds::{LineKind, Plan};
