//! A few threads that compute argon2, each reusing one memory area.
//!
//! An argon2id hash needs `memory_kib` of working memory (12 MiB by default).
//! Allocated per hash on whichever blocking-pool thread runs it, the
//! allocator keeps those areas per thread, and resident memory grew without
//! bound with the number of sign-ups and logins (to 1.25 GB after 1,200).
//! Here a fixed number of workers each own one area for their lifetime, so
//! hashing costs `workers × memory_kib` and never more.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use argon2::Block;

/// Work for a worker, given its memory area.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// Why the pool did not run a job.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("too many password checks are waiting")]
    Busy,
    #[error("the password hashing workers have stopped")]
    Stopped,
}

pub struct HashPool {
    jobs: SyncSender<Job>,
    /// Memory areas the workers have allocated, for tests and metrics.
    areas: Arc<AtomicUsize>,
}

impl HashPool {
    /// `workers` threads, each with a memory area it allocates on its first
    /// job (so an idle service holds none); at most `queue` jobs wait (more
    /// are refused as [`PoolError::Busy`]).
    pub fn new(workers: usize, queue: usize) -> std::io::Result<Self> {
        let (jobs, receiver) = sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        let areas = Arc::new(AtomicUsize::new(0));
        for index in 0..workers.max(1) {
            let (receiver, areas) = (receiver.clone(), areas.clone());
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || work(&receiver, &areas))?;
        }
        Ok(Self { jobs, areas })
    }

    /// Runs `job` on a worker with its memory area and returns its result.
    pub async fn run<T, F>(&self, job: F) -> Result<T, PoolError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _ = done.send(job(memory));
        });
        self.jobs.try_send(job).map_err(|error| match error {
            TrySendError::Full(_) => PoolError::Busy,
            TrySendError::Disconnected(_) => PoolError::Stopped,
        })?;
        result.await.map_err(|_| PoolError::Stopped)
    }

    /// How many memory areas the workers hold.
    pub fn areas(&self) -> usize {
        self.areas.load(Ordering::Relaxed)
    }
}

fn work(receiver: &Mutex<Receiver<Job>>, areas: &AtomicUsize) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else {
            return; // the pool was dropped
        };
        // A job that panics loses its answer (the caller sees `Stopped`), not the worker.
        let had_area = memory.capacity() > 0;
        if catch_unwind(AssertUnwindSafe(|| job(&mut memory))).is_err() {
            tracing::error!("a password hashing job panicked");
        }
        if !had_area && memory.capacity() > 0 {
            areas.fetch_add(1, Ordering::Relaxed);
        }
    }
}
