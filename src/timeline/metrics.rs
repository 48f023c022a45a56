//! The timeline's measures, one set for every painter: the window and the
//! exports lay lanes, rows and marks out with the same numbers, so a
//! picture matches the screen.

/// Width of the lane headers' column.
pub const HEADER_W: f32 = 190.0;
/// Height of the axis band above the lanes.
pub const AXIS_H: f32 = 42.0;
/// Height of one row of items in a lane.
pub const ROW_H: f32 = 22.0;
/// Space above and below a lane's rows (half each).
pub const LANE_PAD: f32 = 10.0;
/// Margin around the data when fitting, as a fraction of its span.
pub const FIT_MARGIN: f64 = 0.05;

/// Radius of an event's glyph.
pub const GLYPH_R: f32 = 5.5;
/// Radius of the halo behind a selected or matching point.
pub const HALO_R: f32 = 9.5;
/// Radius of the ring around an event under the pointer elsewhere (the map).
pub const LINKED_R: f32 = 10.5;
/// The star beside a starred point: its offset from the glyph and radius.
pub const STAR_OFFSET: f32 = 7.0;
pub const STAR_R: f32 = 3.5;
/// Half the height of a span's bar.
pub const BAR_HALF_H: f32 = 6.0;
/// Half the height of a fold's box and of a point's date band.
pub const BOX_HALF_H: f32 = 7.0;
/// How far a halo or match ring reaches past a bar or a box.
pub const HALO_GROW: f32 = 3.0;
/// Opacity of a span's uncertain part, a point's date band, a fold's box.
pub const SPAN_FADE: f32 = 0.35;
pub const BAND_FADE: f32 = 0.22;
pub const FOLD_FADE: f32 = 0.55;
/// Opacity of the line joining an event's marks in several lanes.
pub const CONNECTOR_FADE: f32 = 0.7;
pub const CONNECTOR_W: f32 = 1.5;
/// Text sizes (points) of item labels and fold counts.
pub const LABEL_SIZE: f32 = 12.5;
pub const COUNT_SIZE: f32 = 10.5;
/// Eras narrower than this carry no name.
pub const MIN_ERA_LABEL_W: f32 = 40.0;

/// A lane's height with `rows` rows of items.
pub fn lane_height(rows: usize) -> f32 {
    rows as f32 * ROW_H + LANE_PAD
}

/// The top of a lane's first row, for a lane whose top is `lane_top`.
pub fn rows_top(lane_top: f32) -> f32 {
    lane_top + LANE_PAD / 2.0
}

/// The vertical centre of row `row` below `rows_top`.
pub fn row_center(rows_top: f32, row: u16) -> f32 {
    rows_top + (row as f32 + 0.5) * ROW_H
}

/// The vertical centre of a lane's header line (its name and count).
pub fn header_center(lane_top: f32) -> f32 {
    lane_top + LANE_PAD / 2.0 + ROW_H / 2.0
}

/// Every other lane is striped, from the second.
pub fn is_striped(lane: usize) -> bool {
    lane % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_stack_inside_their_lane() {
        let top = 100.0;
        let rows = 3;
        let first = row_center(rows_top(top), 0);
        let last = row_center(rows_top(top), rows as u16 - 1);
        assert!(first - ROW_H / 2.0 >= top);
        assert!(last + ROW_H / 2.0 <= top + lane_height(rows));
        assert_eq!(lane_height(rows), 3.0 * ROW_H + LANE_PAD);
        // The header line is centred on the first row.
        assert_eq!(header_center(top), first);
    }

    #[test]
    fn stripes_alternate_from_the_second_lane() {
        assert!(!is_striped(0));
        assert!(is_striped(1));
        assert!(!is_striped(2));
    }
}
