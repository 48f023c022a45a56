//! Geography for the map panel, free of any UI: the Web Mercator
//! projection and the view over it ([`projection`]), the grid clustering of
//! events ([`cluster`]), each store's event locations ([`locations`]) and
//! the offline basemap of country borders ([`topo`], [`basemap`]).

mod basemap;
pub(crate) mod cluster;
mod locations;
pub(crate) mod projection;
mod topo;

pub use basemap::Basemap;
pub use cluster::{Cluster, Clusters};
pub use locations::Locations;
pub use projection::{MapView, world_to_lonlat};
