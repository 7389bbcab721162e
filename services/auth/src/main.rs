#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::service::main::<auth::Auth>().await
}
