//! Helpers of the JSON readers: serde_json's message without its
//! position, and where a slice of a JSON text lies.

/// serde_json appends " at line L column C" to its messages; positions are
/// given in fields of their own.
pub fn bare_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Byte offset of `inner`, a slice of `outer`.
pub fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize)
        .saturating_sub(outer.as_ptr() as usize)
        .min(outer.len())
}

/// Line and column of `inner`, a slice of `outer`, given `outer`'s own.
pub fn inner_position(base: (u64, u64), outer: &str, inner: &str) -> (u64, u64) {
    let before = outer.get(..offset_in(outer, inner)).unwrap_or("");
    match before.rfind('\n') {
        None => (base.0, base.1 + before.chars().count() as u64),
        Some(i) => (
            base.0 + before.matches('\n').count() as u64,
            before[i + 1..].chars().count() as u64 + 1,
        ),
    }
}
