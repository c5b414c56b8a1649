//! Regression thresholds of the bench (`bench/thresholds.yaml`): ratios only, each a floor or a
//! ceiling on one figure of `target/bench/report.json`, checked at the end of every run but
//! `--json-only`. A figure past its threshold, or missing from the report, fails the bench,
//! once a re-measurement confirms it: a figure past its threshold has the step that measures it
//! run again, and fails only when past it (or missing) in both measurements. Noise on a shared
//! machine rarely strikes the same figure twice in a row; a regression does every time.

use std::collections::BTreeSet;

use serde_json::Value;

/// Where the thresholds live, relative to the repository root.
pub const FILE: &str = "bench/thresholds.yaml";

/// Which side of the limit a figure must stay on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// The figure must be ≥ the limit (higher is better: payspec ÷ a baseline's throughput).
    AtLeast(f64),
    /// The figure must be ≤ the limit (lower is better: growth of time or memory).
    AtMost(f64),
}

impl Bound {
    fn holds(self, value: f64) -> bool {
        match self {
            Bound::AtLeast(limit) => value >= limit,
            Bound::AtMost(limit) => value <= limit,
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::AtLeast(limit) => write!(f, "≥ {limit}"),
            Bound::AtMost(limit) => write!(f, "≤ {limit}"),
        }
    }
}

/// One threshold: the figure's name, where its value is in the report, and the bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub figure: String,
    /// Dotted path into the report (`client.ratios.json_decode.median_of_paired_rounds`; a
    /// number is an index into a list).
    pub path: String,
    /// When set, the figure is `path ÷ over` (two figures of the same run).
    pub over: Option<String>,
    pub bound: Bound,
}

/// The outcome of one threshold on one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub threshold: Threshold,
    /// The figure's value; `None` when the report lacks it (or it is not a finite number).
    pub value: Option<f64>,
    /// Whether `value` comes from a re-measurement, the first having been past the threshold.
    pub remeasured: bool,
    /// With `remeasured`, the first measurement's value (`None` when it was missing).
    pub first_value: Option<f64>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.value.is_some_and(|v| self.threshold.bound.holds(v))
    }

    /// One line naming the figure, its value and its threshold.
    pub fn message(&self) -> String {
        let t = &self.threshold;
        match self.value {
            None => format!(
                "{}: missing from the report (`{}`{}): the step that measures it failed or was not run; threshold {}{}",
                t.figure,
                t.path,
                t.over
                    .as_ref()
                    .map(|o| format!(" ÷ `{o}`"))
                    .unwrap_or_default(),
                t.bound,
                self.first()
            ),
            Some(value) if self.passed() => {
                format!(
                    "{}: {value:.3}, threshold {}: ok{}",
                    t.figure,
                    t.bound,
                    self.first()
                )
            }
            Some(value) => format!(
                "{}: {value:.3}, past its threshold {} (regression){}",
                t.figure,
                t.bound,
                self.first()
            ),
        }
    }

    /// What the first measurement read, for a re-measured figure.
    fn first(&self) -> String {
        if !self.remeasured {
            return String::new();
        }
        match self.first_value {
            Some(first) => format!(" (re-measured; the first measurement read {first:.3})"),
            None => " (re-measured; missing from the first measurement)".to_owned(),
        }
    }
}

/// Reads the thresholds from the text of `bench/thresholds.yaml`:
///
/// ```yaml
/// thresholds:
///   - figure: JSON decode, payspec ÷ hand-written serde
///     path: client.ratios.json_decode.median_of_paired_rounds
///     at_least: 0.8
/// ```
pub fn parse(text: &str) -> Result<Vec<Threshold>, String> {
    let document: Value = serde_saphyr::from_str(text).map_err(|e| format!("{FILE}: {e}"))?;
    let list = document
        .get("thresholds")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{FILE}: expected a list under `thresholds`"))?;
    let mut thresholds = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let at = |what: &str| format!("{FILE}: thresholds[{i}]: {what}");
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
        let figure = text("figure").ok_or_else(|| at("`figure` (a name) is missing"))?;
        let path = text("path").ok_or_else(|| at("`path` (into report.json) is missing"))?;
        let number = |key: &str| -> Result<Option<f64>, String> {
            match entry.get(key) {
                None => Ok(None),
                Some(v) => v
                    .as_f64()
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .map(Some)
                    .ok_or_else(|| at(&format!("`{key}` must be a positive number"))),
            }
        };
        let bound = match (number("at_least")?, number("at_most")?) {
            (Some(limit), None) => Bound::AtLeast(limit),
            (None, Some(limit)) => Bound::AtMost(limit),
            _ => return Err(at("give exactly one of `at_least` and `at_most`")),
        };
        thresholds.push(Threshold {
            figure,
            path,
            over: text("over"),
            bound,
        });
    }
    if thresholds.is_empty() {
        return Err(format!("{FILE}: no thresholds"));
    }
    Ok(thresholds)
}

/// The value at a dotted path of the report, when it is a finite number.
fn lookup(report: &Value, path: &str) -> Option<f64> {
    let mut at = report;
    for key in path.split('.') {
        at = match at {
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => at.get(key)?,
        };
    }
    at.as_f64().filter(|v| v.is_finite())
}

/// Checks every threshold against a report.
pub fn check(thresholds: &[Threshold], report: &Value) -> Vec<Verdict> {
    thresholds
        .iter()
        .map(|t| {
            let value = lookup(report, &t.path).and_then(|v| match &t.over {
                None => Some(v),
                Some(over) => lookup(report, over).filter(|d| *d != 0.0).map(|d| v / d),
            });
            Verdict {
                threshold: t.clone(),
                value: value.filter(|v| v.is_finite()),
                remeasured: false,
                first_value: None,
            }
        })
        .collect()
}

/// The report sections (first segment of `path` and `over`) holding a figure that failed: the
/// steps to run again before the failure stands.
pub fn sections_to_remeasure(verdicts: &[Verdict]) -> BTreeSet<String> {
    let section = |path: &str| path.split('.').next().unwrap_or_default().to_owned();
    verdicts
        .iter()
        .filter(|v| !v.passed())
        .flat_map(|v| {
            let t = &v.threshold;
            std::iter::once(section(&t.path)).chain(t.over.as_deref().map(section))
        })
        .collect()
}

/// Joins the check of a first measurement with the check of the same thresholds on a
/// re-measurement: a figure that passed the first time keeps its first verdict; one that failed
/// takes its second, so it fails only when past its threshold both times.
pub fn confirm(first: Vec<Verdict>, again: Vec<Verdict>) -> Vec<Verdict> {
    first
        .into_iter()
        .zip(again)
        .map(|(first, again)| {
            if first.passed() {
                first
            } else {
                Verdict {
                    remeasured: true,
                    first_value: first.value,
                    ..again
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({
            "client": { "ratios": { "lyra": { "median_of_paired_rounds": 0.9 } } },
            "synthetic": { "ratio_time_1000_over_100": 11.5 },
            "memory": { "cases": [ { "max_rss_kib": 100 }, { "max_rss_kib": 450 } ] },
        })
    }

    fn threshold(path: &str, bound: Bound) -> Threshold {
        Threshold {
            figure: "a figure".into(),
            path: path.into(),
            over: None,
            bound,
        }
    }

    #[test]
    fn floors_and_ceilings_pass_within_and_fail_past() {
        let path = "client.ratios.lyra.median_of_paired_rounds";
        let verdicts = check(
            &[
                threshold(path, Bound::AtLeast(0.85)),
                threshold(path, Bound::AtLeast(0.9)),
                threshold(path, Bound::AtLeast(0.95)),
                threshold("synthetic.ratio_time_1000_over_100", Bound::AtMost(12.0)),
                threshold("synthetic.ratio_time_1000_over_100", Bound::AtMost(11.0)),
            ],
            &report(),
        );
        let passed: Vec<bool> = verdicts.iter().map(Verdict::passed).collect();
        assert_eq!(passed, [true, true, false, true, false]);
    }

    #[test]
    fn a_failure_names_the_figure_its_value_and_the_threshold() {
        let mut t = threshold(
            "client.ratios.lyra.median_of_paired_rounds",
            Bound::AtLeast(0.95),
        );
        t.figure = "Client, lyra vs raw reqwest".into();
        let verdict = &check(&[t], &report())[0];
        assert!(!verdict.passed());
        assert_eq!(
            verdict.message(),
            "Client, lyra vs raw reqwest: 0.900, past its threshold ≥ 0.95 (regression)"
        );
    }

    #[test]
    fn a_missing_or_non_numeric_figure_fails() {
        let mut report = report();
        report["client"]["ratios"]["nan"] = json!({ "median_of_paired_rounds": null });
        let verdicts = check(
            &[
                threshold(
                    "client.ratios.paysafe.median_of_paired_rounds",
                    Bound::AtLeast(0.1),
                ),
                threshold(
                    "client.ratios.nan.median_of_paired_rounds",
                    Bound::AtLeast(0.1),
                ),
                threshold("memory.cases.7.max_rss_kib", Bound::AtMost(1e9)),
            ],
            &report,
        );
        assert!(verdicts.iter().all(|v| !v.passed() && v.value.is_none()));
        assert!(verdicts[0].message().contains("missing from the report"));
    }

    #[test]
    fn a_ratio_of_two_figures_indexes_lists() {
        let mut t = threshold("memory.cases.1.max_rss_kib", Bound::AtMost(5.0));
        t.over = Some("memory.cases.0.max_rss_kib".into());
        let verdict = &check(&[t.clone()], &report())[0];
        assert_eq!(verdict.value, Some(4.5));
        assert!(verdict.passed());
        t.bound = Bound::AtMost(4.0);
        assert!(!check(&[t], &report())[0].passed());
    }

    /// A figure past its threshold fails only when the re-measurement is past it too; the
    /// figures that passed keep their first verdict, and the message gives both readings.
    #[test]
    fn a_failure_stands_only_when_the_remeasurement_confirms_it() {
        let floor = |path: &str, limit| threshold(path, Bound::AtLeast(limit));
        let list = [
            floor("client.ratios.lyra.median_of_paired_rounds", 0.85),
            floor("client.ratios.paysafe.median_of_paired_rounds", 0.85),
            threshold("synthetic.ratio_time_1000_over_100", Bound::AtMost(12.0)),
            floor("client.ratios.json.median_of_paired_rounds", 0.85),
        ];
        let first_report = json!({
            "client": { "ratios": {
                "lyra": { "median_of_paired_rounds": 0.80 },
                "paysafe": { "median_of_paired_rounds": 0.70 },
                "json": { "median_of_paired_rounds": 0.90 },
            } },
            "synthetic": { "ratio_time_1000_over_100": 11.0 },
        });
        let first = check(&list, &first_report);
        assert_eq!(
            sections_to_remeasure(&first)
                .into_iter()
                .collect::<Vec<_>>(),
            ["client"]
        );
        // Again: lyra recovers, paysafe stays low, json (passed the first time) now dips.
        let again_report = json!({
            "client": { "ratios": {
                "lyra": { "median_of_paired_rounds": 0.95 },
                "paysafe": { "median_of_paired_rounds": 0.72 },
                "json": { "median_of_paired_rounds": 0.50 },
            } },
        });
        let verdicts = confirm(first, check(&list, &again_report));
        let passed: Vec<bool> = verdicts.iter().map(Verdict::passed).collect();
        assert_eq!(passed, [true, false, true, true]);
        assert_eq!(
            verdicts[0].message(),
            "a figure: 0.950, threshold ≥ 0.85: ok (re-measured; the first measurement read 0.800)"
        );
        assert_eq!(
            verdicts[1].message(),
            "a figure: 0.720, past its threshold ≥ 0.85 (regression) (re-measured; the first measurement read 0.700)"
        );
        assert_eq!(verdicts[3].value, Some(0.90));
        assert!(!verdicts[3].remeasured && !verdicts[2].remeasured);
    }

    #[test]
    fn a_missing_figure_and_a_ratio_name_every_section_to_remeasure() {
        let mut t = threshold("memory.cases.1.max_rss_kib", Bound::AtMost(1.0));
        t.over = Some("codegen.whole_sdk.median_ms".into());
        let list = [t, threshold("sandbox.nothing", Bound::AtLeast(1.0))];
        let first = check(&list, &report());
        let sections: Vec<String> = sections_to_remeasure(&first).into_iter().collect();
        assert_eq!(sections, ["codegen", "memory", "sandbox"]);
        let verdicts = confirm(first, check(&list, &report()));
        assert!(verdicts.iter().all(|v| !v.passed() && v.remeasured));
        assert!(
            verdicts[1]
                .message()
                .ends_with("(re-measured; missing from the first measurement)")
        );
    }

    #[test]
    fn parse_reads_both_bounds_and_rejects_ambiguous_entries() {
        let text = "thresholds:\n  - figure: a\n    path: x.y\n    at_least: 0.8\n  - figure: b\n    path: x.z\n    over: x.w\n    at_most: 12\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed[0].bound, Bound::AtLeast(0.8));
        assert_eq!(parsed[1].bound, Bound::AtMost(12.0));
        assert_eq!(parsed[1].over.as_deref(), Some("x.w"));
        for broken in [
            "thresholds:\n  - figure: a\n    path: x\n    at_least: 1\n    at_most: 2\n",
            "thresholds:\n  - figure: a\n    path: x\n",
            "thresholds:\n  - figure: a\n    path: x\n    at_least: -1\n",
            "thresholds:\n  - path: x\n    at_least: 1\n",
            "thresholds: []\n",
        ] {
            assert!(parse(broken).is_err(), "{broken}");
        }
    }

    #[test]
    fn the_repository_thresholds_parse() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = std::fs::read_to_string(root.join(FILE)).unwrap();
        let thresholds = parse(&text).unwrap();
        assert!(thresholds.len() >= 2);
        assert!(thresholds.iter().all(|t| !t.path.is_empty()));
    }

    /// The client ratios (sequential and 100 concurrent calls) and the JSON ratios are floors:
    /// a slower client or a slower decoding fails the bench.
    #[test]
    fn the_client_ratios_are_gated_as_floors() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = std::fs::read_to_string(root.join(FILE)).unwrap();
        let thresholds = parse(&text).unwrap();
        for key in [
            "lyra_vs_raw_same_type",
            "paysafe_vs_raw_same_type",
            "lyra_concurrent_vs_raw_same_type.requests_per_second",
            "paysafe_concurrent_vs_raw_same_type.requests_per_second",
            "json_decode",
            "json_encode",
        ] {
            let path = format!("client.ratios.{key}.median_of_paired_rounds");
            let found: Vec<&Threshold> = thresholds.iter().filter(|t| t.path == path).collect();
            assert_eq!(found.len(), 1, "{path}");
            let Bound::AtLeast(floor) = found[0].bound else {
                panic!("{path} must be a floor");
            };
            // The report as `payspec-bench` shapes it: one object a segment of the path.
            let report = |ratio: f64| {
                path.split('.').rev().fold(
                    serde_json::json!(ratio),
                    |inner, key| serde_json::json!({ key: inner }),
                )
            };
            let at = |ratio: f64| check(&[found[0].clone()], &report(ratio))[0].passed();
            assert!(at(floor + 0.01) && at(1.2), "{path}");
            assert!(!at(floor - 0.01), "{path}");
        }
    }
}
