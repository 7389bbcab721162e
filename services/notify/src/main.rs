use std::process::ExitCode;

use notify::settings::NotifySettings;

#[tokio::main]
async fn main() -> ExitCode {
    common::settings::load_dotenv();
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if matches!(command.as_str(), "-h" | "--help" | "help") {
        println!("usage: notify [serve|migrate]\n  serve    run the HTTP service, consumer, mail worker and digest (default)\n  migrate  apply pending migrations and exit");
        return ExitCode::SUCCESS;
    }
    let settings = match NotifySettings::from_env() {
        Ok(settings) => settings,
        Err(error) => return fail(error),
    };
    let _telemetry = common::telemetry::init(&settings.common);
    let result = match command.as_str() {
        "serve" => match notify::build(settings).await {
            Ok(running) => common::server::serve(running)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        },
        "migrate" => common::server::migrate(&settings.common, notify::MIGRATIONS)
            .map(|applied| println!("applied {} migration(s)", applied.len()))
            .map_err(|e| e.to_string()),
        other => Err(format!("unknown command {other:?}; use serve or migrate")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

fn fail(error: impl std::fmt::Display) -> ExitCode {
    eprintln!("notify: {error}");
    ExitCode::FAILURE
}
