//! Medians, least squares, and timed child processes.

use std::fs;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The median of `values` (the mean of the two middle ones for an even count); `NaN` when
/// empty.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if mid * 2 == sorted.len() {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// The median over runs of `ours[i] / theirs[i]`: a ratio of measurements taken side by side
/// in the same run, less sensitive to the machine's load drifting than a ratio of medians.
pub fn paired_ratio(ours: &[f64], theirs: &[f64]) -> f64 {
    let ratios: Vec<f64> = ours.iter().zip(theirs).map(|(a, b)| a / b).collect();
    median(&ratios)
}

/// A least-squares line `y = slope * x + intercept` and its coefficient of determination.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    pub slope: f64,
    pub intercept: f64,
    pub r2: f64,
}

/// Fits a line through `points` (x, y); `None` with fewer than two distinct x.
pub fn least_squares(points: &[(f64, f64)]) -> Option<Fit> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let ss_tot: f64 = points.iter().map(|p| (p.1 - mean_y).powi(2)).sum();
    let ss_res: f64 = points
        .iter()
        .map(|p| (p.1 - (slope * p.0 + intercept)).powi(2))
        .sum();
    let r2 = if ss_tot == 0.0 {
        1.0
    } else {
        1.0 - ss_res / ss_tot
    };
    Some(Fit {
        slope,
        intercept,
        r2,
    })
}

/// What a timed child process did.
#[derive(Debug)]
pub struct Timed {
    /// Wall time from spawn to exit, in milliseconds.
    pub ms: f64,
    /// Peak resident memory (KiB) from `/usr/bin/time -f %M`, when that tool exists.
    pub peak_kib: Option<u64>,
    /// Exit status; `None` when the process was killed at the time limit.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

impl Timed {
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// A one-paragraph reason for a failure: the exit status and the last lines of output.
    pub fn failure(&self, what: &str) -> String {
        let status = match self.status {
            Some(status) => status.to_string(),
            None => "killed at the time limit".to_owned(),
        };
        let mut text = self.stderr.clone();
        if text.trim().is_empty() {
            text = self.stdout.clone();
        }
        // A Rust panic: its location and message say more than the backtrace after them.
        let lines: Vec<&str> = text.lines().collect();
        if let Some(at) = lines.iter().position(|l| l.contains("panicked at")) {
            let message = lines[at..]
                .iter()
                .take_while(|l| !l.trim_start().starts_with("stack backtrace:"))
                .take(4)
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            return format!("{what} failed ({status}): {message}");
        }
        format!("{what} failed ({status}): {}", tail(&text, 12))
    }
}

/// The last `lines` non-empty lines of `text`, joined with ` | `; long lines are cut.
pub fn tail(text: &str, lines: usize) -> String {
    let kept: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let start = kept.len().saturating_sub(lines);
    kept[start..]
        .iter()
        .map(|l| {
            if l.chars().count() > 300 {
                let cut: String = l.chars().take(300).collect();
                format!("{cut}…")
            } else {
                (*l).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

const TIME: &str = "/usr/bin/time";

/// Runs `command` to completion (output kept in files under `logs`, named `name`), timing it
/// and, when `/usr/bin/time` exists, reading its peak memory. The process gets its own process
/// group, which is killed when it runs past `limit`.
pub fn run_timed(
    command: &Command,
    logs: &Path,
    name: &str,
    limit: Duration,
) -> Result<Timed, String> {
    fs::create_dir_all(logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let out_path = logs.join(format!("{name}.stdout"));
    let err_path = logs.join(format!("{name}.stderr"));
    let mem_path = logs.join(format!("{name}.maxrss"));
    let _ = fs::remove_file(&mem_path);
    let with_time = Path::new(TIME).exists();
    let mut actual = if with_time {
        let mut c = Command::new(TIME);
        c.arg("-f").arg("%M").arg("-o").arg(&mem_path);
        c.arg(command.get_program());
        c
    } else {
        Command::new(command.get_program())
    };
    actual.args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => actual.env(key, value),
            None => actual.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        actual.current_dir(dir);
    }
    let stdout = fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let stderr = fs::File::create(&err_path).map_err(|e| e.to_string())?;
    actual
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0);
    let start = Instant::now();
    let mut child = actual.spawn().map_err(|e| {
        format!(
            "cannot start {}: {e}",
            command.get_program().to_string_lossy()
        )
    })?;
    let pid = child.id();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let status = child.wait();
        let _ = send.send((status, Instant::now()));
    });
    let (status, ms) = match receive.recv_timeout(limit) {
        Ok((status, end)) => (
            Some(status.map_err(|e| e.to_string())?),
            (end - start).as_secs_f64() * 1e3,
        ),
        Err(_) => {
            // The whole process group we created: the command and its children.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
            let _ = receive.recv_timeout(Duration::from_secs(10));
            (None, start.elapsed().as_secs_f64() * 1e3)
        }
    };
    let read = |p: &Path| String::from_utf8_lossy(&fs::read(p).unwrap_or_default()).into_owned();
    let peak_kib = if with_time {
        read(&mem_path)
            .lines()
            .rev()
            .find_map(|l| l.trim().parse::<u64>().ok())
    } else {
        None
    };
    Ok(Timed {
        ms,
        peak_kib,
        status,
        stdout: read(&out_path),
        stderr: read(&err_path),
    })
}

/// Peak resident memory of this process so far (`VmHWM`), in KiB.
pub fn own_peak_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn paired_ratios_take_the_median_per_run() {
        assert_eq!(paired_ratio(&[1.0, 2.0, 10.0], &[2.0, 2.0, 2.0]), 1.0);
        assert!(paired_ratio(&[], &[]).is_nan());
    }

    #[test]
    fn panics_are_summarised_by_their_message() {
        let timed = Timed {
            ms: 1.0,
            peak_kib: None,
            status: None,
            stdout: String::new(),
            stderr: "\nthread 'main' panicked at src/x.rs:1:2:\nboom\nstack backtrace:\n   0: f\n"
                .into(),
        };
        assert_eq!(
            timed.failure("gen"),
            "gen failed (killed at the time limit): thread 'main' panicked at src/x.rs:1:2: boom"
        );
    }

    #[test]
    fn least_squares_of_a_line() {
        let fit = least_squares(&[(10.0, 25.0), (100.0, 205.0), (1000.0, 2005.0)]).expect("fit");
        assert!((fit.slope - 2.0).abs() < 1e-9);
        assert!((fit.intercept - 5.0).abs() < 1e-9);
        assert!((fit.r2 - 1.0).abs() < 1e-12);
        assert!(least_squares(&[(1.0, 1.0)]).is_none());
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\n\nb\nc\n", 2), "b | c");
    }
}
