//! One folder per format. Each reads (and for Eventline's own formats
//! writes) its files with the shared leaves of `io` alone: no format names
//! another. A format's other forms live in its folder: the ACLED and UCDP
//! APIs' JSON beside their CSV readers, TimelineJS 2 and the spreadsheet
//! beside TimelineJS 3, Timeline's old text files beside its XML.

pub mod acled;
pub mod csv_generic;
pub mod gdelt;
pub mod native;
pub mod parquet;
pub mod thetimeline;
pub mod timelinejs;
pub mod ucdp;
