//! Dates and date-times as the wire carries them: the text kept exactly as sent, read into
//! its calendar fields, its offset and its instant on demand.
//!
//! A value in an answer that does not parse does not fail the answer: like a [`Decimal`]
//! (and an unknown value of an open enum) it is kept as sent, readable with `as_str()`,
//! re-encoded unchanged, and told apart by `is_well_formed()`; its accessors give `None`, and
//! a request's `validate()` refuses to send it. Values built by [`Date::new`],
//! [`DateTime::new`] or from parts are always well formed.
//!
//! With the feature `jiff`, both convert to and from the `jiff` crate's types.
//!
//! [`Decimal`]: crate::Decimal

use super::kept::{kept_as_text, shown};
use super::rules::{DateTimeFields, date_fields, date_time_fields, days_in_month};

/// A date or date-time that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// The text is not a date written `YYYY-MM-DD` with a day that exists.
    MalformedDate(String),
    /// The text is not an RFC 3339 date-time with its offset.
    MalformedDateTime(String),
    /// The parts do not make a date or date-time: a day that does not exist, a time past
    /// `23:59:59.999999999`, an offset beyond ±23:59, a year outside 0000 to 9999.
    OutOfRange(&'static str),
}

/// The calendar fields of a [`Date`] (`2026-11-22`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateParts {
    /// 0 to 9999.
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
}

/// The fields of a [`DateTime`] as the wire wrote them (`2026-11-22T10:00:00.5+01:00`): the
/// local date and time at the offset, and the offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTimeParts {
    /// The local date at the offset.
    pub date: DateParts,
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
    /// 0 to 59.
    pub second: u8,
    /// The fraction of the second in nanoseconds, 0 to 999,999,999 (digits past the ninth
    /// are dropped).
    pub nanosecond: u32,
    /// The offset from UTC in minutes, -1439 to 1439 (`Z` is 0).
    pub offset_minutes: i16,
}

impl DateParts {
    fn from_fields(f: DateTimeFields) -> Self {
        Self {
            year: f.year,
            month: f.month,
            day: f.day,
        }
    }

    fn check(self) -> Result<Self, DateError> {
        if self.year > 9999 {
            return Err(DateError::OutOfRange("the year must be 0 to 9999"));
        }
        if !(1..=12).contains(&self.month)
            || self.day == 0
            || self.day > days_in_month(self.year, self.month)
        {
            return Err(DateError::OutOfRange(
                "the day does not exist in that month",
            ));
        }
        Ok(self)
    }

    /// Days since 1970-01-01 (negative before), Gregorian.
    pub fn days_since_unix_epoch(self) -> i64 {
        // Howard Hinnant's `days_from_civil`, with March as the first month of the year.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let day_of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01 (before, when negative), or `None` outside the years
    /// 0000 to 9999.
    pub fn from_days_since_unix_epoch(days: i64) -> Option<Self> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Some(Self {
            year: u16::try_from(year).ok().filter(|y| *y <= 9999)?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }
}

impl DateTimeParts {
    /// Seconds since 1970-01-01T00:00:00Z of the instant (negative before).
    pub fn unix_timestamp(&self) -> i64 {
        let local = self.date.days_since_unix_epoch() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        local - i64::from(self.offset_minutes) * 60
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z of the instant: what orders two date-times
    /// whatever their offsets.
    pub fn unix_timestamp_nanos(&self) -> i128 {
        i128::from(self.unix_timestamp()) * 1_000_000_000 + i128::from(self.nanosecond)
    }

    fn check(self) -> Result<Self, DateError> {
        self.date.check()?;
        if self.hour > 23 || self.minute > 59 || self.second > 59 {
            return Err(DateError::OutOfRange(
                "the time must be 00:00:00 to 23:59:59 (no leap second)",
            ));
        }
        if self.nanosecond > 999_999_999 {
            return Err(DateError::OutOfRange(
                "the nanosecond must be at most 999,999,999",
            ));
        }
        if self.offset_minutes.unsigned_abs() > 23 * 60 + 59 {
            return Err(DateError::OutOfRange("the offset must be within ±23:59"));
        }
        Ok(self)
    }

    fn from_fields(f: DateTimeFields) -> Self {
        Self {
            date: DateParts::from_fields(f),
            hour: f.hour,
            minute: f.minute,
            second: f.second,
            nanosecond: f.nanosecond,
            offset_minutes: f.offset_minutes,
        }
    }
}

/// A calendar date, `YYYY-MM-DD` on the wire (`2026-11-22`), kept as sent.
///
/// [`Date::new`] (or `parse()`) refuses anything else; [`Date::from_parts`] builds one from
/// its fields. An answer's value that does not parse is kept as sent (see the
/// [module](self)): [`Date::parts`] is then `None` and [`Date::is_well_formed`] false.
/// Two dates are equal when their texts are.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Date {
    text: String,
}

impl Date {
    /// A date from its text, `YYYY-MM-DD`, refused with [`DateError::MalformedDate`] otherwise
    /// (or when the day does not exist).
    pub fn new(text: impl Into<String>) -> Result<Self, DateError> {
        let text = text.into();
        match date_fields(&text) {
            Some(_) => Ok(Self { text }),
            None => Err(DateError::MalformedDate(shown(&text))),
        }
    }

    /// The date of `parts`, written `YYYY-MM-DD`.
    pub fn from_parts(parts: DateParts) -> Result<Self, DateError> {
        let p = parts.check()?;
        Ok(Self {
            text: format!("{:04}-{:02}-{:02}", p.year, p.month, p.day),
        })
    }

    /// Whether the text is a date. Always true for a value this type built; false only for a
    /// malformed value an answer carried.
    pub fn is_well_formed(&self) -> bool {
        date_fields(&self.text).is_some()
    }

    /// The year, month and day, or `None` for a malformed value an answer carried.
    pub fn parts(&self) -> Option<DateParts> {
        date_fields(&self.text).map(DateParts::from_fields)
    }
}

/// An instant with the offset the wire gave it: RFC 3339 (`2026-11-22T10:00:00+01:00`,
/// `2026-11-22T09:00:00.123Z`), kept as sent.
///
/// The offset is the sender's, not lost in a conversion to UTC: [`DateTime::parts`] gives the
/// local date and time at that offset and the offset itself, [`DateTime::unix_timestamp`] the
/// instant. [`DateTime::new`] (or `parse()`) refuses anything else, including a time without
/// an offset; [`DateTime::from_parts`] and [`DateTime::from_unix_timestamp`] build one.
/// An answer's value that does not parse is kept as sent (see the [module](self)): its
/// accessors give `None` and [`DateTime::is_well_formed`] is false.
///
/// Two date-times are equal when their texts are, so that a value re-encodes exactly as it
/// came: `10:00:00+01:00` and `09:00:00Z` are one instant but not equal; compare
/// [`DateTime::unix_timestamp_nanos`] for the instant.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DateTime {
    text: String,
}

impl DateTime {
    /// A date-time from its RFC 3339 text, refused with [`DateError::MalformedDateTime`]
    /// unless it has a date that exists, a time and an offset.
    pub fn new(text: impl Into<String>) -> Result<Self, DateError> {
        let text = text.into();
        match date_time_fields(&text) {
            Some(_) => Ok(Self { text }),
            None => Err(DateError::MalformedDateTime(shown(&text))),
        }
    }

    /// The date-time of `parts`, written `YYYY-MM-DDTHH:MM:SS`, the fraction when it is not
    /// zero (without trailing zeros), and the offset as `+HH:MM` (`+00:00` for UTC).
    pub fn from_parts(parts: DateTimeParts) -> Result<Self, DateError> {
        let p = parts.check()?;
        let mut text = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            p.date.year, p.date.month, p.date.day, p.hour, p.minute, p.second
        );
        if p.nanosecond != 0 {
            let fraction = format!("{:09}", p.nanosecond);
            text.push('.');
            text.push_str(fraction.trim_end_matches('0'));
        }
        let sign = if p.offset_minutes < 0 { '-' } else { '+' };
        let offset = p.offset_minutes.unsigned_abs();
        text.push_str(&format!("{sign}{:02}:{:02}", offset / 60, offset % 60));
        Ok(Self { text })
    }

    /// The instant `seconds` (and `nanosecond`) after 1970-01-01T00:00:00Z, written at the
    /// offset `offset_minutes` (0 for UTC). Refused outside the years 0000 to 9999 (at that
    /// offset) and for an offset beyond ±23:59 or a nanosecond past 999,999,999.
    pub fn from_unix_timestamp(
        seconds: i64,
        nanosecond: u32,
        offset_minutes: i16,
    ) -> Result<Self, DateError> {
        const RANGE: DateError =
            DateError::OutOfRange("the instant is outside the years 0000 to 9999");
        if offset_minutes.unsigned_abs() > 23 * 60 + 59 {
            return Err(DateError::OutOfRange("the offset must be within ±23:59"));
        }
        let local = seconds
            .checked_add(i64::from(offset_minutes) * 60)
            .ok_or(RANGE)?;
        let (days, second_of_day) = (local.div_euclid(86_400), local.rem_euclid(86_400));
        let date = DateParts::from_days_since_unix_epoch(days).ok_or(RANGE)?;
        // `second_of_day` is 0 to 86,399: each field fits its type.
        let [hour, minute, second] = [
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60,
        ]
        .map(|v| u8::try_from(v).unwrap_or_default());
        Self::from_parts(DateTimeParts {
            date,
            hour,
            minute,
            second,
            nanosecond,
            offset_minutes,
        })
    }

    /// Whether the text is an RFC 3339 date-time. Always true for a value this type built;
    /// false only for a malformed value an answer carried.
    pub fn is_well_formed(&self) -> bool {
        date_time_fields(&self.text).is_some()
    }

    /// The local date and time at the sender's offset, and the offset; `None` for a malformed
    /// value an answer carried.
    pub fn parts(&self) -> Option<DateTimeParts> {
        date_time_fields(&self.text).map(DateTimeParts::from_fields)
    }

    /// The offset from UTC the sender wrote, in minutes (`+01:00` is 60, `Z` is 0).
    pub fn offset_minutes(&self) -> Option<i16> {
        self.parts().map(|p| p.offset_minutes)
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    pub fn unix_timestamp(&self) -> Option<i64> {
        self.parts().map(|p| p.unix_timestamp())
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z: orders two date-times whatever their offsets.
    pub fn unix_timestamp_nanos(&self) -> Option<i128> {
        self.parts().map(|p| p.unix_timestamp_nanos())
    }

    /// The date-time in the `jiff` crate's terms, at the sender's offset (a fixed-offset
    /// zone); `None` for a malformed value an answer carried.
    #[cfg(feature = "jiff")]
    pub fn to_zoned_datetime(&self) -> Option<jiff::ZonedDateTime> {
        let p = self.parts()?;
        let offset = jiff::tz::Offset::from_seconds(i32::from(p.offset_minutes) * 60).ok()?;
        let timestamp =
            jiff::Timestamp::new(p.unix_timestamp(), i32::try_from(p.nanosecond).ok()?).ok()?;
        Some(timestamp.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset)))
    }

    /// The instant in the `jiff` crate's terms; `None` for a malformed value.
    #[cfg(feature = "jiff")]
    pub fn to_timestamp(&self) -> Option<jiff::Timestamp> {
        self.to_zoned_datetime().map(|z| z.timestamp())
    }
}

#[cfg(feature = "jiff")]
impl TryFrom<&jiff::ZonedDateTime> for DateTime {
    type Error = DateError;
    /// The instant at the zone's offset at that instant (its name is not kept: the wire has
    /// only the offset).
    fn try_from(zoned: &jiff::ZonedDateTime) -> Result<Self, DateError> {
        let timestamp = zoned.timestamp();
        let offset_minutes = i16::try_from(zoned.offset().seconds() / 60)
            .map_err(|_| DateError::OutOfRange("the offset must be within ±23:59"))?;
        Self::from_unix_timestamp(
            timestamp.as_second(),
            u32::try_from(timestamp.subsec_nanosecond()).unwrap_or_default(),
            offset_minutes,
        )
    }
}

#[cfg(feature = "jiff")]
impl TryFrom<jiff::Timestamp> for DateTime {
    type Error = DateError;
    /// The instant in UTC (`+00:00`).
    fn try_from(timestamp: jiff::Timestamp) -> Result<Self, DateError> {
        // `jiff` keeps the nanosecond of an instant before 1970 negative.
        let (seconds, nanos) = match timestamp.subsec_nanosecond() {
            n if n < 0 => (timestamp.as_second() - 1, 1_000_000_000 + n),
            n => (timestamp.as_second(), n),
        };
        Self::from_unix_timestamp(seconds, u32::try_from(nanos).unwrap_or_default(), 0)
    }
}

#[cfg(feature = "jiff")]
impl Date {
    /// The date in the `jiff` crate's terms; `None` for a malformed value.
    pub fn to_civil(&self) -> Option<jiff::civil::Date> {
        let p = self.parts()?;
        jiff::civil::Date::new(
            i16::try_from(p.year).ok()?,
            i8::try_from(p.month).ok()?,
            i8::try_from(p.day).ok()?,
        )
        .ok()
    }
}

#[cfg(feature = "jiff")]
impl TryFrom<jiff::civil::Date> for Date {
    type Error = DateError;
    /// Refused outside the years 0000 to 9999.
    fn try_from(date: jiff::civil::Date) -> Result<Self, DateError> {
        let year = u16::try_from(date.year())
            .map_err(|_| DateError::OutOfRange("the year must be 0 to 9999"))?;
        Self::from_parts(DateParts {
            year,
            month: u8::try_from(date.month()).unwrap_or_default(),
            day: u8::try_from(date.day()).unwrap_or_default(),
        })
    }
}

kept_as_text!(Date, DateError);
kept_as_text!(DateTime, DateError);

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MalformedDate(text) => {
                write!(
                    f,
                    "`{text}` is not a date written `YYYY-MM-DD` (such as `2026-11-22`)"
                )
            }
            Self::MalformedDateTime(text) => write!(
                f,
                "`{text}` is not a date-time written as RFC 3339 with its offset (such as `2026-11-22T10:00:00+01:00` or `2026-11-22T09:00:00Z`)"
            ),
            Self::OutOfRange(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for DateError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> DateTimeParts {
        DateTime::new(text).unwrap().parts().unwrap()
    }

    #[test]
    fn reads_what_the_apis_send() {
        // Offsets as `+00:00` or `Z`, fractions of up to seven digits (as .NET writes them),
        // a lower-case `t`/`z`, the space RFC 3339 allows.
        for text in [
            "2026-11-22T10:15:30+00:00",
            "2026-11-22T10:15:30Z",
            "2021-06-08T12:25:01.4698658Z",
            "2026-11-24T00:00:00-03:00",
            "2026-11-22t10:15:30z",
            "2026-11-22 10:15:30+05:30",
        ] {
            let value = DateTime::new(text).unwrap();
            assert!(value.is_well_formed(), "{text}");
            assert_eq!(value.as_str(), text);
            assert_eq!(value.to_string(), text);
        }
        let p = parts("2021-06-08T12:25:01.4698658Z");
        assert_eq!(p.nanosecond, 469_865_800);
        assert_eq!(parts("2026-11-24T00:00:00-03:00").offset_minutes, -180);
        assert_eq!(parts("2026-11-22 10:15:30+05:30").offset_minutes, 330);
        assert_eq!(
            parts("2026-01-01T00:00:00.1234567891Z").nanosecond,
            123_456_789
        );
    }

    #[test]
    fn keeps_the_offset_and_knows_the_instant() {
        let paris = DateTime::new("2026-11-22T10:00:00+01:00").unwrap();
        let utc = DateTime::new("2026-11-22T09:00:00Z").unwrap();
        let p = paris.parts().unwrap();
        assert_eq!((p.date.day, p.hour, p.offset_minutes), (22, 10, 60));
        assert_eq!(paris.unix_timestamp(), utc.unix_timestamp());
        assert_eq!(utc.unix_timestamp(), Some(1_795_338_000));
        assert_ne!(paris, utc, "equal instants, different texts");
        assert_eq!(
            DateTime::new("1970-01-01T00:00:00Z")
                .unwrap()
                .unix_timestamp(),
            Some(0)
        );
        assert_eq!(
            DateTime::new("1969-12-31T23:59:59.5Z")
                .unwrap()
                .unix_timestamp_nanos(),
            Some(-500_000_000)
        );
    }

    #[test]
    fn refuses_what_is_not_a_date_time() {
        for bad in [
            "",
            "2026-11-22",
            "2026-11-22T10:00:00",
            "2026-11-22T10:00+01:00",
            "2026-11-22T10:00:00+0100",
            "2026-11-22T10:00:00+01",
            "2026-11-22T24:00:00Z",
            "2026-11-22T23:60:00Z",
            "2026-11-22T23:59:60Z",
            "2026-11-22T10:00:00.Z",
            "2026-11-22T10:00:00+24:00",
            "2026-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-00-10T10:00:00Z",
            "2026-11-00T10:00:00Z",
            "26-11-22T10:00:00Z",
            "2026-11-22T10:00:00Z ",
            "2026-11-22T10:00:00ZZ",
            "+2026-11-22T10:00:00Z",
            "２026-11-22T10:00:00Z",
            "1795338000",
        ] {
            assert!(
                matches!(DateTime::new(bad), Err(DateError::MalformedDateTime(_))),
                "{bad:?}"
            );
        }
        assert!(DateTime::new("2024-02-29T10:00:00Z").is_ok());
        assert!(DateTime::new("2000-02-29T10:00:00Z").is_ok());
        assert!(DateTime::new("1900-02-29T10:00:00Z").is_err());
    }

    #[test]
    fn dates() {
        let d = Date::new("2026-11-22").unwrap();
        assert_eq!(
            d.parts(),
            Some(DateParts {
                year: 2026,
                month: 11,
                day: 22
            })
        );
        for bad in [
            "2026-11-22T10:00:00Z",
            "2026-11-31",
            "2026-1-01",
            "20261122",
            " 2026-11-22",
        ] {
            assert!(
                matches!(Date::new(bad), Err(DateError::MalformedDate(_))),
                "{bad:?}"
            );
        }
        assert_eq!(
            Date::from_parts(DateParts {
                year: 7,
                month: 3,
                day: 1
            })
            .unwrap()
            .as_str(),
            "0007-03-01"
        );
        assert!(
            Date::from_parts(DateParts {
                year: 2026,
                month: 2,
                day: 29
            })
            .is_err()
        );
        assert!(
            Date::from_parts(DateParts {
                year: 10_000,
                month: 1,
                day: 1
            })
            .is_err()
        );
    }

    #[test]
    fn builds_from_parts_and_instants() {
        let built = DateTime::from_unix_timestamp(1_795_338_000, 0, 60).unwrap();
        assert_eq!(built.as_str(), "2026-11-22T10:00:00+01:00");
        let built = DateTime::from_unix_timestamp(0, 120_000_000, -210).unwrap();
        assert_eq!(built.as_str(), "1969-12-31T20:30:00.12-03:30");
        assert_eq!(built.unix_timestamp_nanos(), Some(120_000_000));
        assert!(DateTime::from_unix_timestamp(i64::MAX, 0, 0).is_err());
        assert!(DateTime::from_unix_timestamp(0, 0, 1440).is_err());
        assert!(DateTime::from_unix_timestamp(0, 1_000_000_000, 0).is_err());
        assert!(
            DateTime::from_unix_timestamp(-62_167_219_201, 0, 0).is_err(),
            "year -1"
        );
        assert_eq!(
            DateTime::from_unix_timestamp(-62_167_219_200, 0, 0)
                .unwrap()
                .as_str(),
            "0000-01-01T00:00:00+00:00"
        );
        assert_eq!(
            DateTime::from_unix_timestamp(253_402_300_799, 999_999_999, 0)
                .unwrap()
                .as_str(),
            "9999-12-31T23:59:59.999999999+00:00"
        );
    }

    #[test]
    fn a_malformed_answer_value_is_kept_and_re_encoded_as_sent() {
        let value: DateTime = serde_json::from_str(r#""22/11/2026 10:00""#).unwrap();
        assert!(!value.is_well_formed());
        assert_eq!(value.parts(), None);
        assert_eq!(value.unix_timestamp(), None);
        assert_eq!(value.as_str(), "22/11/2026 10:00");
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#""22/11/2026 10:00""#
        );
        let date: Date = serde_json::from_str(r#""2026-02-30""#).unwrap();
        assert!(!date.is_well_formed());
        assert!(serde_json::from_str::<DateTime>("1795338000").is_err());
        assert!(serde_json::from_str::<Date>("null").is_err());
    }

    #[test]
    fn errors_show_the_text() {
        let e = DateTime::new("2026-11-22T10:00:00").unwrap_err();
        assert_eq!(
            e.to_string(),
            "`2026-11-22T10:00:00` is not a date-time written as RFC 3339 with its offset (such as `2026-11-22T10:00:00+01:00` or `2026-11-22T09:00:00Z`)"
        );
        let long = "x".repeat(500);
        let DateError::MalformedDate(shown) = Date::new(long).unwrap_err() else {
            panic!("not MalformedDate")
        };
        assert_eq!(shown.len(), 64);
    }

    proptest::proptest! {
        /// Every instant of the years 0000 to 9999 at every offset is written and read back.
        #[test]
        fn instants_round_trip(
            seconds in -62_167_219_200i64..253_402_300_799,
            nanos in 0u32..1_000_000_000,
            offset in -1439i16..=1439,
        ) {
            if let Ok(value) = DateTime::from_unix_timestamp(seconds, nanos, offset) {
                let read = DateTime::new(value.as_str()).unwrap();
                proptest::prop_assert_eq!(read.unix_timestamp(), Some(seconds));
                proptest::prop_assert_eq!(read.offset_minutes(), Some(offset));
                proptest::prop_assert_eq!(read.parts().unwrap().nanosecond, nanos);
                proptest::prop_assert_eq!(DateTime::from_parts(read.parts().unwrap()).unwrap(), read);
            }
        }

        /// Days and dates agree both ways.
        #[test]
        fn days_round_trip(days in -719_528i64..2_932_896) {
            let date = DateParts::from_days_since_unix_epoch(days).unwrap();
            proptest::prop_assert_eq!(date.days_since_unix_epoch(), days);
        }
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn converts_with_jiff() {
        let value = DateTime::new("2026-11-22T10:00:00.25+01:00").unwrap();
        let zoned = value.to_zoned_datetime().unwrap();
        assert_eq!(zoned.offset().seconds(), 3600);
        assert_eq!(zoned.hour(), 10);
        assert_eq!(DateTime::try_from(&zoned).unwrap(), value);
        let ts = value.to_timestamp().unwrap();
        assert_eq!(
            DateTime::try_from(ts).unwrap().as_str(),
            "2026-11-22T09:00:00.25+00:00"
        );
        let before = DateTime::new("1969-12-31T23:59:59.5Z").unwrap();
        assert_eq!(
            DateTime::try_from(before.to_timestamp().unwrap())
                .unwrap()
                .as_str(),
            "1969-12-31T23:59:59.5+00:00"
        );
        let date = Date::new("2024-02-29").unwrap();
        assert_eq!(Date::try_from(date.to_civil().unwrap()).unwrap(), date);
    }
}
