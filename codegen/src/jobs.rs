//! Pure work run side by side: the specs loaded, checked and lowered one per job, the parts of
//! each API's output made one per job. Jobs share nothing but what they read, and their results
//! come back in the order of the jobs, so the output never depends on the schedule.

/// One piece of work and its result.
pub type Job<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Runs `jobs` on as many threads as the machine offers (at most one a job), and gives their
/// results in the order of `jobs`: the output does not depend on which thread ran what. `None`
/// for a job that did not finish (a panic, raised again when every thread has stopped).
pub fn run<T: Send>(jobs: Vec<Job<'_, T>>) -> Vec<Option<T>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(jobs.len());
    if workers <= 1 {
        return jobs.into_iter().map(|job| Some(job())).collect();
    }
    let count = jobs.len();
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let results = std::sync::Mutex::new((0..count).map(|_| None).collect::<Vec<_>>());
    let work = || {
        loop {
            // A job that panicked poisons nothing the others need: the panic is raised again
            // when the scope ends.
            let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((i, job)) = next else { break };
            let result = job();
            results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
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
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come back in the order of the jobs whichever thread ran them and whenever they
    /// finished.
    #[test]
    fn jobs_give_their_results_in_order() {
        let jobs: Vec<Job<'_, Result<u64, String>>> = (0..12u64)
            .map(|i| -> Job<'_, Result<u64, String>> {
                Box::new(move || {
                    // The first jobs take longest.
                    std::thread::sleep(std::time::Duration::from_millis(12 - i));
                    if i == 7 {
                        return Err("job 7".to_owned());
                    }
                    Ok(i * 10)
                })
            })
            .collect();
        let results = run(jobs);
        assert_eq!(results.len(), 12);
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Some(Ok(n)) => assert_eq!(n, i as u64 * 10),
                Some(Err(e)) => assert_eq!((i, e.as_str()), (7, "job 7")),
                None => panic!("job {i} did not finish"),
            }
        }
    }
}
