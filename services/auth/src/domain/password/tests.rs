use argon2::password_hash::{PasswordHasher, SaltString};

use super::*;

fn cheap() -> HashCost {
    HashCost {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    }
}

#[tokio::test]
async fn a_hash_verifies_its_password_only() {
    let hasher = Hasher::new(cheap()).unwrap();
    let hash = hasher.hash_blocking("correct horse".into()).await.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=256,t=1,p=1$"), "{hash}");
    assert!(hasher
        .verify_blocking("correct horse".into(), Some(hash.clone()))
        .await
        .unwrap());
    assert!(!hasher
        .verify_blocking("correct horsE".into(), Some(hash))
        .await
        .unwrap());
    assert!(!hasher
        .verify_blocking("anything".into(), None)
        .await
        .unwrap());
    assert!(!hasher
        .verify_blocking("anything".into(), Some("not a hash".into()))
        .await
        .unwrap());
}

#[tokio::test]
async fn hashes_stored_before_the_pool_and_at_other_costs_still_verify() {
    let hasher = Hasher::new(cheap()).unwrap();
    // As the argon2 crate made them before: another cost, and argon2i.
    for (algorithm, m) in [(Algorithm::Argon2id, 512), (Algorithm::Argon2i, 128)] {
        let params = Params::new(m, 2, 1, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let old = Argon2::new(algorithm, Version::V0x13, params)
            .hash_password(b"old password", &salt)
            .unwrap()
            .to_string();
        assert!(hasher
            .verify_blocking("old password".into(), Some(old.clone()))
            .await
            .unwrap());
        assert!(!hasher
            .verify_blocking("new password".into(), Some(old))
            .await
            .unwrap());
    }
    // And the command line's hashes (fresh memory) verify on the pool.
    let from_cli = hasher.hash("from the cli").unwrap();
    assert!(hasher
        .verify_blocking("from the cli".into(), Some(from_cli))
        .await
        .unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_hashes_share_one_memory_area_per_worker() {
    let hasher = Hasher::new(cheap()).unwrap();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let hasher = hasher.clone();
            tokio::spawn(async move { hasher.hash_blocking(format!("password {i}")).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().is_ok());
    }
    // One area per worker that took a job, however many hashes ran.
    assert!(
        (1..=cores).contains(&hasher.memory_areas()),
        "{}",
        hasher.memory_areas()
    );
}

#[tokio::test]
async fn a_full_queue_is_refused_at_once_not_queued_without_bound() {
    let pool = std::sync::Arc::new(HashPool::new(1, 1).unwrap());
    let (release, blocked) = std::sync::mpsc::channel::<()>();
    let running = pool.clone();
    let first = tokio::spawn(async move {
        running
            .run(move |_| {
                let _ = blocked.recv();
            })
            .await
    });
    // Let the worker take the first job, then fill the one place in the queue.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let waiting = pool.clone();
    let queued = tokio::spawn(async move { waiting.run(|_| ()).await });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(matches!(pool.run(|_| ()).await, Err(PoolError::Busy)));
    release.send(()).unwrap();
    assert!(queued.await.unwrap().is_ok());
    assert!(first.await.unwrap().is_ok());
}
