#[tokio::main]
async fn main() -> std::process::ExitCode {
    notify::SERVICE.main().await
}
