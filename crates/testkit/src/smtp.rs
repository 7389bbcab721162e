//! A real SMTP server for tests: Python's aiosmtpd (Debian's python3-aiosmtpd,
//! installed by `./scripts/test`), writing each accepted mail to a folder.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SCRIPT: &str = include_str!("assets/smtp_sink.py");

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

pub use crate::process::free_port;

/// How the sink encrypts its sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SinkTls {
    /// Plain SMTP; mail is refused until the client issues STARTTLS.
    StartTls,
    /// TLS from the first byte (what `smtps://` speaks).
    Implicit,
}

/// What kind of SMTP server the sink plays.
#[derive(Clone, Debug, Default)]
pub struct SinkOptions {
    /// Holds each mail this long before accepting it (a slow server).
    pub delay_secs: f64,
    /// Encrypt with a certificate for 127.0.0.1 signed by a test authority
    /// ([`SmtpSink::ca_file`]).
    pub tls: Option<SinkTls>,
    /// Refuse mail from clients that did not log in as this (user, password).
    pub login: Option<(String, String)>,
}

impl SmtpSink {
    pub fn start() -> Self {
        Self::start_on(free_port(), 0.0)
    }

    /// On a given port (to bring a server up where a service already points),
    /// holding each mail `delay_secs` before accepting it.
    pub fn start_on(port: u16, delay_secs: f64) -> Self {
        Self::start_with(
            port,
            SinkOptions {
                delay_secs,
                ..SinkOptions::default()
            },
        )
    }

    #[allow(clippy::expect_used, clippy::panic)]
    pub fn start_with(port: u16, options: SinkOptions) -> Self {
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
        let mut command = Command::new(python);
        command
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.join("mail"))
            .arg(options.delay_secs.to_string());
        if let Some(tls) = options.tls {
            make_certificates(&dir);
            let mode = match tls {
                SinkTls::StartTls => "starttls",
                SinkTls::Implicit => "implicit",
            };
            command
                .args(["--tls", mode, "--cert"])
                .arg(dir.join("server.pem"))
                .arg("--key")
                .arg(dir.join("server.key"));
        }
        if let Some((user, password)) = &options.login {
            command.arg("--login").arg(format!("{user}:{password}"));
        }
        let child = command
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

    /// The PEM certificate of the authority that signed the sink's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
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

/// A test certificate authority and a certificate for 127.0.0.1 signed by it,
/// made with the openssl command (installed by `./scripts/test`).
#[allow(clippy::panic)]
fn make_certificates(dir: &Path) {
    let extensions = dir.join("server.ext");
    let written = std::fs::write(
        &extensions,
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    );
    if let Err(e) = written {
        panic!("cannot write {}: {e}", extensions.display());
    }
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let steps: [Vec<&str>; 3] = [
        [
            &["req", "-x509"][..],
            &ec,
            &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"],
            &[
                "-subj",
                "/CN=Test SMTP authority",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ],
        ]
        .concat(),
        [
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
        ]
        .concat(),
        vec![
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    ];
    for args in steps {
        let output = Command::new("openssl")
            .args(&args)
            .current_dir(dir)
            .output();
        match output {
            Ok(output) if output.status.success() => {}
            Ok(output) => panic!(
                "openssl {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            ),
            Err(e) => panic!("cannot run openssl (./scripts/test installs it): {e}"),
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
