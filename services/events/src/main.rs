#[tokio::main]
async fn main() -> std::process::ExitCode {
    events::SERVICE.main().await
}
