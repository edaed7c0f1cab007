//! `Duration`: a length of time written as `30s`, `5m`, `1h`, `30d` or `10y`.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const UNITS: [(&str, u64); 5] = [
    ("y", 365 * 86_400),
    ("d", 86_400),
    ("h", 3_600),
    ("m", 60),
    ("s", 1),
];

/// Whole seconds. Parsed from a number of seconds or a number with a unit;
/// always printed in the largest unit that divides it, so `60m` and `1h` are
/// the same value and print the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub u64);

impl Duration {
    pub fn seconds(self) -> u64 {
        self.0
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(secs) = text.parse::<u64>() {
            return Ok(Duration(secs));
        }
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .filter(|&i| i > 0)
            .ok_or_else(|| {
                format!("`{text}` is not a duration (write e.g. 30s, 5m, 1h, 30d, 10y)")
            })?;
        let (number, unit) = text.split_at(split);
        let number: u64 = number
            .parse()
            .map_err(|_| format!("`{text}` is not a duration"))?;
        let factor = UNITS
            .iter()
            .find(|(u, _)| *u == unit.trim())
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                format!("`{text}` has an unknown unit `{unit}` (use s, m, h, d or y)")
            })?;
        number
            .checked_mul(factor)
            .map(Duration)
            .ok_or_else(|| format!("`{text}` is too long"))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let (unit, factor) = UNITS
            .iter()
            .find(|(_, factor)| self.0.is_multiple_of(*factor))
            .expect("seconds divide everything");
        write!(f, "{}{}", self.0 / factor, unit)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What `Deserialize` accepts: a whole number of seconds or a number and a unit.
impl schemars::JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A duration: a number and a unit (s, m, h, d, y), e.g. 30s, 5m, 1h, 30d; a bare number is seconds.",
            "anyOf": [
                { "type": "string", "pattern": "^[0-9]+[smhdy]?$" },
                { "type": "integer", "minimum": 0 }
            ]
        })
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as 30s, 5m, 1h, 30d or 10y")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
                Ok(Duration(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
                u64::try_from(v)
                    .map(Duration)
                    .map_err(|_| E::custom("a duration cannot be negative"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
                Duration::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_prints_canonically() {
        for (text, secs, shown) in [
            ("3600", 3600, "1h"),
            ("60m", 3600, "1h"),
            ("1h", 3600, "1h"),
            ("90m", 5400, "90m"),
            ("30d", 2_592_000, "30d"),
            ("10y", 315_360_000, "10y"),
            ("0", 0, "0s"),
        ] {
            let d = Duration::parse(text).unwrap();
            assert_eq!(d.seconds(), secs, "{text}");
            assert_eq!(d.to_string(), shown, "{text}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "h", "1w", "-5m", "1.5h", "99999999999999999999y"] {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
    }
}
