use std::process::ExitCode;

use social::settings::SocialSettings;

#[tokio::main]
async fn main() -> ExitCode {
    common::settings::load_dotenv();
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if matches!(command.as_str(), "-h" | "--help" | "help") {
        println!("usage: social [serve|migrate]\n  serve    run the HTTP service (default)\n  migrate  apply pending migrations and exit");
        return ExitCode::SUCCESS;
    }
    let settings = match SocialSettings::from_env() {
        Ok(settings) => settings,
        Err(error) => return fail(error),
    };
    let _telemetry = common::telemetry::init(&settings.common);
    let result = match command.as_str() {
        "serve" => match social::build(settings).await {
            Ok(running) => common::server::serve(running)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        },
        "migrate" => common::server::migrate(&settings.common, social::MIGRATIONS)
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
    eprintln!("social: {error}");
    ExitCode::FAILURE
}
