#[tokio::main]
async fn main() -> std::process::ExitCode {
    social::SERVICE.main().await
}
