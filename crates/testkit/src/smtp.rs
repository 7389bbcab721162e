//! A real SMTP server for tests: Python's aiosmtpd (Debian's python3-aiosmtpd,
//! installed by `./scripts/test`), writing each accepted mail to a folder.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SCRIPT: &str = include_str!("assets/smtp_sink.py");

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

pub use crate::process::free_port;

impl SmtpSink {
    pub fn start() -> Self {
        Self::start_on(free_port(), 0.0)
    }

    /// On a given port (to bring a server up where a service already points),
    /// holding each mail `delay_secs` before accepting it.
    #[allow(clippy::expect_used, clippy::panic)]
    pub fn start_on(port: u16, delay_secs: f64) -> Self {
        let dir = std::env::temp_dir().join(format!("smtp-sink-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("sink folder");
        let script = dir.join("smtp_sink.py");
        std::fs::write(&script, SCRIPT).expect("sink script");
        // Debian's interpreter, which has python3-aiosmtpd (another python3 may come first on PATH).
        let python = if std::path::Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let child = Command::new(python)
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.join("mail"))
            .arg(delay_secs.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the SMTP sink (python3): {e}"));
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "the SMTP sink did not listen on {port}; ./scripts/test installs python3-aiosmtpd"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { port, dir, child }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far, oldest first, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.join("mail"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
