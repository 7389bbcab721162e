use common::launcher::{self, Binary};
use social::settings::SocialSettings;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    launcher::run(
        Binary {
            name: "social",
            serves: "the HTTP service",
            migrations: social::MIGRATIONS,
        },
        SocialSettings::from_env,
        |settings| &settings.common,
        social::build,
    )
    .await
}
