//! The Markdown table printed at the end, and number formatting.

use serde_json::{Value, json};

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub figure: String,
    pub payspec: String,
    /// The peer or baseline and its figure (`progenitor: 1.02 s`), or `—`.
    pub peer: String,
    /// payspec ÷ peer, or `—`.
    pub ratio: String,
    /// The target for this ratio and whether it is met, or empty.
    pub target: String,
    pub runs: String,
}

impl Row {
    pub fn new(figure: impl Into<String>, payspec: impl Into<String>, runs: usize) -> Row {
        Row {
            figure: figure.into(),
            payspec: payspec.into(),
            peer: "—".into(),
            ratio: "—".into(),
            target: String::new(),
            runs: runs.to_string(),
        }
    }

    pub fn peer(mut self, peer: impl Into<String>) -> Row {
        self.peer = peer.into();
        self
    }

    pub fn ratio(mut self, ratio: f64) -> Row {
        self.ratio = format_ratio(ratio);
        self
    }

    /// Marks the target `ratio <= limit` (`at_most`) or `ratio >= limit`.
    pub fn target(mut self, ratio: f64, limit: f64, at_most: bool) -> Row {
        let met = if at_most {
            ratio <= limit
        } else {
            ratio >= limit
        };
        let sign = if at_most { "≤" } else { "≥" };
        let verdict = if !ratio.is_finite() {
            "n/a"
        } else if met {
            "met"
        } else {
            "not met"
        };
        self.target = format!("{sign} {limit}: {verdict}");
        self
    }

    pub fn to_json(&self) -> Value {
        json!({
            "figure": self.figure,
            "payspec": self.payspec,
            "peer": self.peer,
            "ratio": self.ratio,
            "target": self.target,
            "runs": self.runs,
        })
    }
}

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|").replace('\n', " ")
}

/// The rows as a Markdown table.
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::from(
        "| Figure | payspec | Peer / baseline | Ratio (payspec ÷ peer, paired runs) | Target | Runs |\n\
         |---|---:|---|---:|---|---:|\n",
    );
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            escape(&row.figure),
            escape(&row.payspec),
            escape(&row.peer),
            escape(&row.ratio),
            escape(&row.target),
            escape(&row.runs)
        ));
    }
    out.push_str(
        "\nFigures are medians. A ratio is the median over runs of payspec's figure divided by \
         the peer's, both taken in the same run. For times and memory, below 1 means payspec \
         does better; for requests/s and MB/s, above 1 does.\n",
    );
    out
}

/// A duration given in milliseconds, with a unit that suits it.
pub fn format_ms(ms: f64) -> String {
    if !ms.is_finite() {
        "n/a".into()
    } else if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1e3)
    } else if ms >= 1_000.0 {
        format!("{:.2} s", ms / 1e3)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

pub fn format_ratio(ratio: f64) -> String {
    if !ratio.is_finite() {
        "n/a".into()
    } else if ratio >= 100.0 {
        format!("{ratio:.0}")
    } else if ratio >= 10.0 {
        format!("{ratio:.1}")
    } else if ratio >= 0.1 {
        format!("{ratio:.2}")
    } else {
        format!("{ratio:.3}")
    }
}

pub fn format_kib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// Rounds for the JSON report (three decimals).
pub fn round3(value: f64) -> Value {
    if value.is_finite() {
        json!((value * 1000.0).round() / 1000.0)
    } else {
        Value::Null
    }
}

/// A list of measurements, rounded.
pub fn rounded(values: &[f64]) -> Value {
    Value::Array(values.iter().map(|v| round3(*v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_formats() {
        let rows = [Row::new("codegen | lyra", "12.0 ms", 5)
            .peer("progenitor: 1.00 s")
            .ratio(0.012)
            .target(0.012, 0.33, true)];
        let table = markdown(&rows);
        assert!(
            table.contains(
                "| codegen \\| lyra | 12.0 ms | progenitor: 1.00 s | 0.012 | ≤ 0.33: met | 5 |"
            ),
            "{table}"
        );
        assert_eq!(format_ms(1234.0), "1.23 s");
        assert_eq!(format_ms(0.5), "0.50 ms");
        assert_eq!(format_ratio(f64::NAN), "n/a");
        assert_eq!(format_kib(2048), "2.0 MiB");
    }
}
