//! Pure work run side by side: the specs loaded, checked and lowered one per job, the parts of
//! each API's output made one per job, started as soon as that API is lowered. Jobs share
//! nothing but what they read, and their results come back in the order of their keys, so the
//! output never depends on the schedule.

/// A piece of work that may give more when it is done: its result, and the jobs that follow
/// from it, each with the key its result is filed under.
pub struct Job<'a, T>(pub Work<'a, T>);

/// The work of a [`Job`].
pub type Work<'a, T> = Box<dyn FnOnce() -> (T, Vec<(usize, Job<'a, T>)>) + Send + 'a>;

impl<T> std::fmt::Debug for Job<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

/// Runs `jobs` and the jobs they give on as many threads as the machine offers, and gives every
/// result by its key, in the order of the keys: the output does not depend on the schedule.
///
/// `jobs` start in their order, every one of them before any job they give: a job that gives
/// more is the start of more work, and what it gives cannot start before it ends. Were the
/// given jobs taken first, a big spec listed last would be lowered only after every file of
/// the others, and its own files, the biggest, left for the end, where the threads that
/// finish first have nothing to take. Among the given jobs, the latest given run first, in
/// the order they were given. `None` for a job
/// that did not finish (a panic, raised again when every thread has stopped).
pub fn run<T: Send>(jobs: Vec<(usize, Job<'_, T>)>) -> Vec<(usize, Option<T>)> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let state = std::sync::Mutex::new(Pool {
        waiting: jobs.into_iter().collect(),
        given: std::collections::VecDeque::new(),
        running: 0,
        results: std::collections::BTreeMap::new(),
        panic: None,
    });
    let changed = std::sync::Condvar::new();
    let work = || {
        let mut pool = state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let Some((key, job)) = pool.next() else {
                if pool.running == 0 {
                    break;
                }
                pool = changed.wait(pool).unwrap_or_else(|e| e.into_inner());
                continue;
            };
            pool.running += 1;
            drop(pool);
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job.0));
            pool = state.lock().unwrap_or_else(|e| e.into_inner());
            pool.running -= 1;
            match done {
                Ok((result, more)) => {
                    pool.results.insert(key, Some(result));
                    pool.give(more);
                }
                Err(panic) => {
                    pool.results.insert(key, None);
                    pool.panic.get_or_insert(panic);
                }
            }
            changed.notify_all();
        }
    };
    std::thread::scope(|scope| {
        // The calling thread is one of the workers: one thread fewer to start, and one
        // allocator arena fewer holding memory (the 1,000-operation bench spec measured 86 MiB
        // peak instead of about 100 with every worker a thread of its own, on 2 cores).
        for _ in 1..workers {
            scope.spawn(work);
        }
        work();
    });
    let pool = state.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(panic) = pool.panic {
        std::panic::resume_unwind(panic);
    }
    pool.results.into_iter().collect()
}

/// The shared state of [`run`].
struct Pool<'a, T> {
    /// The jobs `run` was given, not started yet, in their order.
    waiting: std::collections::VecDeque<(usize, Job<'a, T>)>,
    /// The jobs the jobs gave, not started yet: each job's, in its order, before the ones
    /// given earlier.
    given: std::collections::VecDeque<(usize, Job<'a, T>)>,
    running: usize,
    results: std::collections::BTreeMap<usize, Option<T>>,
    panic: Option<Box<dyn std::any::Any + Send>>,
}

impl<'a, T> Pool<'a, T> {
    /// The job to start now: the first of `run`'s jobs not started, else the first given.
    fn next(&mut self) -> Option<(usize, Job<'a, T>)> {
        match self.waiting.pop_front() {
            Some(job) => Some(job),
            None => self.given.pop_front(),
        }
    }

    /// Files the jobs a job gave, to start before those given earlier, in their order.
    fn give(&mut self, more: Vec<(usize, Job<'a, T>)>) {
        for job in more.into_iter().rev() {
            self.given.push_front(job);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs given by jobs run, all of them, and their results come back by key whatever the
    /// schedule; jobs with nothing to give end the run.
    #[test]
    fn growing_jobs_give_every_result_by_key() {
        fn job(key: usize, depth: u32) -> (usize, Job<'static, String>) {
            let run = Job(Box::new(move || {
                std::thread::sleep(std::time::Duration::from_millis(u64::from(3 - depth)));
                let more = if depth < 2 {
                    (0..3).map(|i| job(key * 10 + i, depth + 1)).collect()
                } else {
                    Vec::new()
                };
                (format!("job {key}"), more)
            }));
            (key, run)
        }
        let results = run((1..=3).map(|k| job(k, 0)).collect());
        // 3 first jobs, 9 given by them, 27 given by those.
        assert_eq!(results.len(), 39);
        let keys: Vec<usize> = results.iter().map(|(k, _)| *k).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
        for (key, result) in results {
            assert_eq!(result, Some(format!("job {key}")));
        }
        assert!(run::<u8>(Vec::new()).is_empty());
    }

    /// Every job `run` was given starts before any job given by a job, and the latest given
    /// start first, each job's in its order.
    #[test]
    fn the_given_jobs_wait_for_every_first_job() {
        let job = || Job(Box::new(|| (0u8, Vec::new())));
        let mut pool = Pool {
            waiting: [(1, job()), (2, job()), (3, job())].into_iter().collect(),
            given: std::collections::VecDeque::new(),
            running: 0,
            results: std::collections::BTreeMap::new(),
            panic: None,
        };
        let mut order = Vec::new();
        let (key, _) = pool.next().expect("a job");
        order.push(key);
        pool.give(vec![(10, job()), (11, job())]);
        let (key, _) = pool.next().expect("a job");
        order.push(key);
        pool.give(vec![(20, job()), (21, job())]);
        while let Some((key, _)) = pool.next() {
            order.push(key);
        }
        assert_eq!(order, [1, 2, 3, 20, 21, 10, 11]);
    }

    /// A job that panics does not leave the others waiting: the run ends, and the panic is
    /// raised again.
    #[test]
    fn a_growing_job_that_panics_ends_the_run() {
        let last = || Job(Box::new(|| (3u8, Vec::new())));
        let jobs: Vec<(usize, Job<'_, u8>)> = vec![
            (1, Job(Box::new(|| panic!("job 1")))),
            (2, Job(Box::new(move || (2, vec![(3, last())])))),
        ];
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(jobs)));
        assert!(caught.is_err());
    }
}
