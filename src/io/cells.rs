//! What a cell's text means as a value: JSON for `extra` (spelt exactly
//! for tables, read leniently for GDELT's and Timeline's fields), counts of
//! people, coordinates, `;`-separated lists. Shared by every table reader.

/// A cell as JSON: a number when the text is exactly a number's usual
/// spelling (so `041` stays a string and nothing changes on the way back),
/// else the text.
pub fn json_value(cell: &str) -> serde_json::Value {
    if let Ok(n) = cell.parse::<i64>()
        && n.to_string() == cell
    {
        return serde_json::Value::from(n);
    }
    if cell.bytes().any(|b| b.is_ascii_digit())
        && let Ok(f) = cell.parse::<f64>()
        && f.is_finite()
        && f.to_string() == cell
        && let Some(n) = serde_json::Number::from_f64(f)
    {
        return serde_json::Value::Number(n);
    }
    serde_json::Value::String(cell.to_string())
}

/// A field's value for `extra`: a JSON number when it reads as one (and has
/// no leading zero a code would need), else the text. GDELT's fields and
/// Timeline's are read so; unlike [`json_value`] it trims the text and
/// takes `1.0` or `1e3` as numbers.
pub fn lenient_json_value(text: &str) -> serde_json::Value {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if !digits.is_empty() && !leading_zero {
        if digits.len() <= 18
            && digits.bytes().all(|b| b.is_ascii_digit())
            && let Ok(n) = t.parse::<i64>()
        {
            return serde_json::Value::from(n);
        }
        let numeric = digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
            && digits.bytes().next().is_some_and(|b| b.is_ascii_digit());
        if numeric
            && digits.bytes().filter(u8::is_ascii_digit).count() <= 17
            && let Ok(f) = t.parse::<f64>()
            && f.is_finite()
            && let Some(n) = serde_json::Number::from_f64(f)
        {
            return serde_json::Value::Number(n);
        }
    }
    serde_json::Value::String(text.to_string())
}

/// A whole number in an `i64` written the way `i64` writes it (no sign
/// but `-`, no leading zero, not `-0`): [`json_value`] makes it a number.
pub(crate) fn is_plain_integer(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && cell != "-0"
        && (digits == "0" || !digits.starts_with('0'))
        && cell.parse::<i64>().is_ok()
}

/// The items of a `;`-separated list, trimmed, empties dropped.
pub fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// A whole non-negative count (`12`, also `12.0`), or a reason.
pub fn parse_count(cell: &str) -> Result<u64, String> {
    let t = cell.trim();
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    if let Some(whole) = t.strip_suffix(".0").or_else(|| t.strip_suffix(".00"))
        && let Ok(n) = whole.parse::<u64>()
    {
        return Ok(n);
    }
    Err(format!("`{t}` is not a whole number of people"))
}

/// A latitude (`max` 90) or longitude (`max` 180), or a reason.
pub fn parse_coordinate(cell: &str, max: f64) -> Result<f64, String> {
    let t = cell.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= max => Ok(v),
        Ok(_) => Err(format!("`{t}` is outside −{max}…{max}")),
        Err(_) => Err(format!("`{t}` is not a number")),
    }
}

/// A cell's text, or `None` when it is empty.
#[inline]
pub(crate) fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast path of `extra_into` agrees with `json_value`: a cell
        /// it calls a plain integer is a JSON number written as the cell.
        #[test]
        fn plain_integers_are_the_numbers_json_value_makes(cell in "[-+0-9.e]{0,22}") {
            if is_plain_integer(&cell) {
                let v = json_value(&cell);
                prop_assert!(v.is_number(), "{cell}");
                prop_assert_eq!(v.to_string(), cell);
            } else if let serde_json::Value::Number(n) = json_value(&cell) {
                prop_assert!(!n.is_i64() || n.to_string() != cell, "{cell}");
            }
        }
    }

    #[test]
    fn plain_integers() {
        for yes in ["0", "7", "-7", "1234567890", "9223372036854775807"] {
            assert!(is_plain_integer(yes), "{yes}");
        }
        for no in [
            "",
            "-",
            "-0",
            "007",
            "+7",
            "1.0",
            "9223372036854775808",
            "1e3",
        ] {
            assert!(!is_plain_integer(no), "{no}");
        }
    }

    #[test]
    fn numbers_in_extra_keep_their_spelling() {
        assert_eq!(json_value("12"), serde_json::json!(12));
        assert_eq!(json_value("40.1234"), serde_json::json!(40.1234));
        assert_eq!(json_value("041"), serde_json::json!("041"));
        assert_eq!(json_value("1.0"), serde_json::json!("1.0"));
        assert_eq!(json_value("NaN"), serde_json::json!("NaN"));
        assert_eq!(json_value("inf"), serde_json::json!("inf"));
    }

    #[test]
    fn numbers_and_codes_in_extra() {
        assert_eq!(lenient_json_value("12"), serde_json::json!(12));
        assert_eq!(lenient_json_value("-3.5"), serde_json::json!(-3.5));
        assert_eq!(
            lenient_json_value("2022.5918"),
            serde_json::json!(2022.5918)
        );
        assert_eq!(lenient_json_value("041"), serde_json::json!("041"));
        assert_eq!(lenient_json_value("AJ02"), serde_json::json!("AJ02"));
        assert_eq!(lenient_json_value("NaN"), serde_json::json!("NaN"));
        assert_eq!(lenient_json_value("inf"), serde_json::json!("inf"));
        assert_eq!(lenient_json_value("0"), serde_json::json!(0));
    }
}
