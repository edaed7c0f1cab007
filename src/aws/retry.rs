//! Requests that must not be sent twice: creating what AWS does not keep
//! unique by name (a user pool, an app client, an API Gateway authorizer).
//!
//! The SDK retries a request whose answer never came (a dropped connection,
//! a read timeout) or was a server error. For most of poolctl's requests
//! that is harmless: updates send a whole object, and a second create of a
//! group or provider is refused by name. But when the first attempt of
//! `CreateUserPoolClient` reached AWS and only its answer was lost, a retry
//! makes a second client of the same name, and from then on poolctl cannot
//! tell which one the spec means (a second pool of one name is worse still).
//! So these requests are retried only after an answer that says AWS refused
//! them (throttling is a 400); any other failure stops apply with a message
//! saying the request may have been carried out, and the next plan, which
//! reads live state, shows whether it was.

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// A retry classifier for requests AWS would carry out twice if sent twice:
/// it forbids any retry the SDK's own classifiers indicate unless AWS
/// answered with a 4xx (which means the request was refused, not done).
/// Added to a request with `.customize().config_override(...)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AtMostOnce;

impl ClassifyRetry for AtMostOnce {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        self.classify_retry_v2(ctx, &RetryAction::NoActionIndicated)
    }

    fn classify_retry_v2(&self, ctx: &InterceptorContext, previous: &RetryAction) -> RetryAction {
        let refused = ctx
            .response()
            .is_some_and(|r| (400..500).contains(&r.status().as_u16()));
        match previous {
            RetryAction::RetryIndicated(_) if !refused => RetryAction::RetryForbidden,
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "poolctl at-most-once"
    }

    /// After every classifier of the SDK, to overrule their verdict.
    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Whether a failed request may have been carried out all the same: no
/// answer came back, or the answer was a server error.
pub fn may_have_taken_effect<E, R: 'static>(err: &SdkError<E, R>) -> bool {
    match err {
        SdkError::ConstructionFailure(_) => false,
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => true,
        _ => super::http_status(err.raw_response()).is_none_or(|status| status >= 500),
    }
}

/// `explain` for a request sent at most once: when it may have been carried
/// out, says so, and what shows whether it was.
pub fn explain<E, R>(operation: &str, what: &str, err: SdkError<E, R>) -> anyhow::Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let unsure = may_have_taken_effect(&err);
    let explained = super::explain(operation, err);
    if !unsure {
        return explained;
    }
    anyhow::anyhow!(
        "{explained:#}\n  note: AWS may have created {what} all the same; poolctl does not send this request twice, because AWS would create a second one. `poolctl plan` shows whether it exists"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::interceptors::context::Input;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::retries::classifiers::RetryReason;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::retry::ErrorKind;

    fn after(status: Option<u16>) -> InterceptorContext {
        let mut ctx = InterceptorContext::new(Input::erase(()));
        if let Some(status) = status {
            ctx.set_response(HttpResponse::new(
                status.try_into().unwrap(),
                SdkBody::empty(),
            ));
        }
        ctx
    }

    fn retry(kind: ErrorKind) -> RetryAction {
        RetryAction::RetryIndicated(RetryReason::RetryableError {
            kind,
            retry_after: None,
        })
    }

    #[test]
    fn only_a_refused_request_is_sent_again() {
        let throttled = retry(ErrorKind::ThrottlingError);
        let transient = retry(ErrorKind::TransientError);
        let server = retry(ErrorKind::ServerError);
        // Throttling is a 400: AWS did nothing, the SDK's verdict stands.
        assert_eq!(
            AtMostOnce.classify_retry_v2(&after(Some(400)), &throttled),
            RetryAction::NoActionIndicated
        );
        // No answer (dropped, timed out) or a server error: it may be done.
        assert_eq!(
            AtMostOnce.classify_retry_v2(&after(None), &transient),
            RetryAction::RetryForbidden
        );
        assert_eq!(
            AtMostOnce.classify_retry_v2(&after(Some(500)), &server),
            RetryAction::RetryForbidden
        );
        // Nothing to overrule.
        assert_eq!(
            AtMostOnce.classify_retry_v2(&after(Some(500)), &RetryAction::NoActionIndicated),
            RetryAction::NoActionIndicated
        );
        assert!(AtMostOnce.priority() > RetryClassifierPriority::transient_error_classifier());
    }
}
