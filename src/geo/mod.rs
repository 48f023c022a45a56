//! Geography for the map panel, free of any UI: the Web Mercator
//! projection and the view over it ([`projection`]), the grid clustering of
//! events ([`cluster`]), each store's event locations ([`locations`]) and
//! the offline basemap of country borders ([`topo`], [`basemap`]).

pub mod basemap;
pub mod cluster;
pub mod locations;
pub mod projection;
pub mod topo;

pub use basemap::Basemap;
pub use cluster::{Cluster, Clusters};
pub use locations::Locations;
pub use projection::{MapView, lonlat_to_world, world_to_lonlat};
