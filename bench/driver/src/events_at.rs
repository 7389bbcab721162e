//! `events-at TIME`: serves the events service (settings from the
//! environment, as `events serve`) with its scheduled jobs reading a clock
//! that shows TIME (RFC 3339), so a benchmark can run "today's 12:00" at any
//! hour. Stops on SIGTERM like the service.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use common::clock::{ManualClock, SharedClock};
use common::service::Service;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(at) = std::env::args()
        .nth(1)
        .and_then(|t| t.parse::<DateTime<Utc>>().ok())
    else {
        eprintln!("usage: events-at TIME (RFC 3339, e.g. 2027-03-28T10:00:00Z)");
        return ExitCode::from(2);
    };
    common::settings::load_dotenv();
    let mut settings = match events::Events::settings() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("events-at: {error}");
            return ExitCode::from(2);
        }
    };
    let _telemetry = common::telemetry::init(&settings.common);
    settings.clock = SharedClock::manual(&ManualClock::new(at));
    let running = match events::Events::build(settings).await {
        Ok(running) => running,
        Err(error) => {
            eprintln!("events-at: {error}");
            return ExitCode::FAILURE;
        }
    };
    match common::server::serve(running).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("events-at: {error}");
            ExitCode::FAILURE
        }
    }
}
