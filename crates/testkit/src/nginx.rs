//! The real nginx in front of spawned services, with the project's own config.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// nginx/render of this checkout (not of where the test was built), the
/// renderer the containers and scripts use too.
fn renderer() -> PathBuf {
    crate::service::workspace_root().join("nginx/render")
}

/// A running nginx; stopped on drop.
pub struct Nginx {
    pub port: u16,
    child: Child,
    dir: PathBuf,
}

use crate::process::free_port;

/// `NGINX_BIN`, or nginx on the PATH, or Debian's /usr/sbin/nginx.
fn binary() -> String {
    if let Ok(bin) = std::env::var("NGINX_BIN") {
        return bin;
    }
    if PathBuf::from("/usr/sbin/nginx").exists() {
        return "/usr/sbin/nginx".into();
    }
    "nginx".into()
}

/// Where the Swagger UI files are: `DOCS_UI_DIR` (a world-readable copy made
/// by `./scripts/test`), else this checkout's nginx/documentation.
pub fn docs_dir() -> String {
    std::env::var("DOCS_UI_DIR").unwrap_or_else(|_| {
        crate::service::workspace_root()
            .join("nginx/documentation")
            .to_string_lossy()
            .into_owned()
    })
}

/// A setting's value that leaves the variable unset, so nginx/render uses
/// its own (deployed) default.
pub const AS_DEPLOYED: &str = "\0as deployed";

/// Renders the configuration with nginx/render: the services at these
/// addresses (auth, social, events, notify), one worker, no edge rate limits
/// unless `settings` (extra `NGINX_*` variables, or [`AS_DEPLOYED`]) set them.
#[allow(clippy::expect_used, clippy::panic)]
pub fn render(
    prefix: &str,
    listen: &str,
    upstreams: [&str; 4],
    settings: &[(&str, &str)],
) -> String {
    let mut command = Command::new("sh");
    command
        .arg(renderer())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs([
            ("NGINX_PREFIX", prefix),
            ("NGINX_LISTEN", listen),
            ("NGINX_WORKERS", "1"),
            ("NGINX_DOCS", &docs_dir()),
            ("BASE_DOMAIN", "localhost"),
            ("NGINX_AUTH", upstreams[0]),
            ("NGINX_SOCIAL", upstreams[1]),
            ("NGINX_EVENTS", upstreams[2]),
            ("NGINX_NOTIFY", upstreams[3]),
            ("NGINX_RATE_LOGIN", "off"),
            ("NGINX_RATE_SIMULATOR", "off"),
        ]);
    for (name, value) in settings {
        if *value == AS_DEPLOYED {
            command.env_remove(name);
        } else {
            command.env(name, value);
        }
    }
    let output = command.output().expect("run nginx/render");
    if !output.status.success() {
        panic!(
            "nginx/render failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8(output.stdout).expect("nginx/render writes UTF-8")
}

impl Nginx {
    /// Starts nginx on a free port with the services at these local ports
    /// (auth, social, events, notify); 0 for one that is not running.
    pub fn start(ports: [u16; 4]) -> Self {
        Self::start_with(ports, &[])
    }

    /// [`Nginx::start`] with the edge limits nginx/render sets by default,
    /// as deployed.
    pub fn start_as_deployed(ports: [u16; 4]) -> Self {
        Self::start_with(
            ports,
            &[
                ("NGINX_RATE_LOGIN", AS_DEPLOYED),
                ("NGINX_RATE_SIMULATOR", AS_DEPLOYED),
            ],
        )
    }

    /// [`Nginx::start`] with extra nginx/render settings, e.g.
    /// `("NGINX_RATE_LOGIN", "1r/s")`.
    #[allow(clippy::expect_used, clippy::panic)]
    pub fn start_with(ports: [u16; 4], settings: &[(&str, &str)]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("platform-nginx-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(dir.join("tmp")).expect("nginx folder");
        let port = free_port();
        let upstreams = ports.map(|p| format!("127.0.0.1:{}", if p == 0 { 9 } else { p }));
        let config = render(
            &dir.to_string_lossy(),
            &format!("127.0.0.1:{port}"),
            [&upstreams[0], &upstreams[1], &upstreams[2], &upstreams[3]],
            settings,
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config).expect("write nginx.conf");
        let child = Command::new(binary())
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start nginx ({}): {e}; ./scripts/test installs it",
                    binary()
                )
            });
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nginx did not start listening on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { port, child, dir }
    }

    /// What nginx has written to its access log so far.
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default()
    }

    /// The base URL to send requests to; set the `Host` header to pick a service.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM: the master stops its workers too (SIGKILL would orphan them,
        // still listening).
        let stopped = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(5);
        while stopped && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
