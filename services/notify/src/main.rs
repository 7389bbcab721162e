use common::launcher::{self, Binary};
use notify::settings::NotifySettings;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    launcher::run(
        Binary {
            name: "notify",
            serves: "the HTTP service, consumer, mail worker and digest",
            migrations: notify::MIGRATIONS,
        },
        NotifySettings::from_env,
        |settings| &settings.common,
        notify::build,
    )
    .await
}
