#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::service::main::<events::Events>().await
}
