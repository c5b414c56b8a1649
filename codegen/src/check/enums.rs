//! Enums (S013) and their data columns (S014): declared columns, typed data, and the
//! minor-unit digits of currency enums, which the runtime's money functions must be able to use.

use std::collections::BTreeMap;

use super::Checker;
use crate::diagnostics::{Diagnostic, Place, did_you_mean};
use crate::rules::MAX_MINOR_DIGITS;
use crate::spec::{DataValue, Enum, Spanned};

impl Checker<'_> {
    pub(super) fn check_enum(&mut self, name: &Spanned<String>, e: &Enum) {
        if e.values.value.is_empty() {
            let place = self.at(&e.values);
            self.diags.push(
                Diagnostic::error(
                    "S013",
                    place,
                    format!("enum `{}` has no values", name.value),
                )
                .hint("list at least one value under `values:`"),
            );
        }
        let mut seen: BTreeMap<Option<&str>, Place> = BTreeMap::new();
        for value in &e.values.value {
            if let Some(first) = seen.insert(value.value.value.as_deref(), self.at(&value.value)) {
                let line = first.line;
                let place = self.at(&value.value);
                let shown = value
                    .value
                    .value
                    .as_deref()
                    .map_or("null".to_owned(), |v| format!("`{v}`"));
                self.diags.push(
                    Diagnostic::error(
                        "S013",
                        place,
                        format!("enum `{}` lists {shown} twice", name.value),
                    )
                    .hint(format!("the first one is at line {line}; remove one"))
                    .related(first, "listed first here"),
                );
            }
        }
        if let Some(column) = &e.minor_units {
            let integer = e
                .data
                .get(&column.value)
                .is_some_and(|c| c.ty.value == "integer");
            if !integer {
                let place = self.at(column);
                let hint = match did_you_mean(
                    &column.value,
                    e.data.iter().map(|(k, _)| k.value.as_str()),
                ) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => {
                        "declare an integer data column holding each currency's minor-unit digits"
                            .to_owned()
                    }
                };
                self.diags.push(
                    Diagnostic::error(
                        "S014",
                        place,
                        format!(
                            "`minor_units` names `{}`, which is not an integer data column of `{}`",
                            column.value, name.value
                        ),
                    )
                    .hint(hint),
                );
            }
        }
        let mut columns = BTreeMap::new();
        for (key, column) in e.data.iter() {
            let ty = column.ty.value.as_str();
            if !matches!(ty, "integer" | "string" | "boolean") {
                let place = self.at(&column.ty);
                self.diags.push(
                    Diagnostic::error(
                        "S014",
                        place,
                        format!("data column `{}` has unsupported type `{ty}`", key.value),
                    )
                    .hint("data columns are `integer`, `string` or `boolean`"),
                );
            }
            columns.insert(key.value.as_str(), ty);
        }
        for value in &e.values.value {
            for (key, datum) in value.data.iter() {
                let Some(ty) = columns.get(key.value.as_str()) else {
                    let place = self.at(key);
                    let hint = match did_you_mean(&key.value, columns.keys().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("declare it under `enums.{}.data`", name.value),
                    };
                    self.diags.push(
                        Diagnostic::error(
                            "S014",
                            place,
                            format!("`{}` is not a data column of `{}`", key.value, name.value),
                        )
                        .hint(hint),
                    );
                    continue;
                };
                let fits = matches!(
                    (*ty, &datum.value),
                    ("integer", DataValue::Integer(_))
                        | ("string", DataValue::String(_))
                        | ("boolean", DataValue::Boolean(_))
                );
                if !fits {
                    let place = self.at(datum);
                    self.diags.push(
                        Diagnostic::error(
                            "S014",
                            place,
                            format!(
                                "`{}` should be {ty}, found {}",
                                key.value,
                                describe_datum(&datum.value)
                            ),
                        )
                        .hint("quote strings that look like numbers or booleans"),
                    );
                    continue;
                }
                let digits = e.minor_units.as_ref().is_some_and(|m| m.value == key.value);
                if let (true, DataValue::Integer(n)) = (digits, &datum.value) {
                    // The runtime's money functions refuse other counts (10^19 and more
                    // whole units do not fit in 64 bits), so every amount would fail.
                    if !(0..=i64::from(MAX_MINOR_DIGITS)).contains(n) {
                        let place = self.at(datum);
                        let shown = value.value.value.as_deref().unwrap_or("null");
                        self.diags.push(
                            Diagnostic::error(
                                "S014",
                                place,
                                format!(
                                    "`{shown}` of `{}` has {n} minor-unit digits, outside 0 to {MAX_MINOR_DIGITS}",
                                    name.value
                                ),
                            )
                            .hint("give the number of decimal places of an amount: 0 to 4 for ISO 4217 currencies"),
                        );
                    }
                }
            }
        }
    }
}

fn describe_datum(datum: &DataValue) -> String {
    match datum {
        DataValue::Boolean(b) => format!("the boolean `{b}`"),
        DataValue::Integer(n) => format!("the integer `{n}`"),
        DataValue::String(s) => format!("the string {s:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    /// A currency enum whose `EUR` has `digits: {digits}` (the datum at line 16, column 53).
    fn currency(digits: &str) -> String {
        format!(
            "{HEADER}enums:
  Currency:
    minor_units: digits
    data:
      numeric: {{ type: integer }}
      digits: {{ type: integer }}
    values:
      - {{ value: EUR, data: {{ numeric: 978, digits: {digits} }} }}
"
        )
    }

    #[test]
    fn minor_unit_digits_are_ones_the_runtime_can_use() {
        for digits in ["0", "2", "3", "18"] {
            assert_eq!(located(&currency(digits)), [], "{digits}");
        }
        for digits in ["-2", "19", "20", "3000000000", "-9223372036854775808"] {
            assert_eq!(located(&currency(digits)), [("S014", 16, 53)], "{digits}");
        }
        let d = diagnostics(&currency("20"));
        assert_eq!(
            d[0].message,
            "`EUR` of `Currency` has 20 minor-unit digits, outside 0 to 18"
        );
    }

    #[test]
    fn data_of_the_wrong_type_are_located_on_the_datum() {
        assert_eq!(located(&currency("\"2\"")), [("S014", 16, 53)]);
        assert_eq!(located(&currency("true")), [("S014", 16, 53)]);
    }
}
