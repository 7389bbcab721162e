//! No NUL character in a path or query: PostgreSQL stores none, so the
//! platform refuses it everywhere alike with a 400, before any handler reads
//! the value (JSON bodies are checked by `Json`).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use crate::error::{ApiError, NUL_REFUSED};

pub async fn refuse_nul_middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let uri = req.uri();
    if encodes_nul(uri.path()) || uri.query().is_some_and(encodes_nul) {
        let response = ApiError::bad_request(NUL_REFUSED).error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// `%00`, which decodes to NUL (a raw NUL byte cannot reach a URI).
fn encodes_nul(text: &str) -> bool {
    text.as_bytes().windows(3).any(|window| window == b"%00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_encoded_nul_counts() {
        assert!(encodes_nul("q=a%00b"));
        assert!(encodes_nul("/v1/users/%00"));
        assert!(!encodes_nul("q=100%25&page=2"));
        assert!(!encodes_nul("q=%2500"));
    }
}
