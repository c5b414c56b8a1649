//! The hand-written runtime of payspec SDKs: HTTP transport, authentication,
//! retries, errors and validation helpers used by the generated code.
//!
//! Every operation goes through [`Core::answer`] (or [`Core::execute`], the same for an
//! answer type that is not generated), which builds the request
//! from a [`Call`], authenticates it as the API's spec says ([`auth`]), retries it when
//! the call is [`RetrySafety::Safe`], and decodes the answer according to the
//! API's [`Protocol`] into the operation's answer type or an [`Error`].

pub mod answer;
pub mod auth;
pub mod call;
pub mod client;
pub mod config;
pub mod datetime;
pub mod encode;
mod entries;
pub mod enums;
pub mod error;
pub mod frame;
mod json_path;
mod kept;
pub mod lenient;
pub mod money;
pub mod notification;
pub mod nullable;
pub mod object;
pub mod one_of;
pub mod page;
mod redact;
#[cfg(feature = "test-util")]
pub mod replay;
pub mod retry;
mod rules;
#[cfg(feature = "test-util")]
pub mod sandbox;
pub mod validate;
mod wire;

pub use answer::Answer;
pub use auth::{AuthScheme, ClientAuth, KeyLocation, SchemeKind};
pub use call::{Call, HeaderParam, encode_path_segment, fill_path};
pub use client::{ApiProfile, Core, Pending};
pub use config::{
    ClientConfig, Credentials, Protocol, Secret, http_client_builder, install_crypto_provider,
};
pub use datetime::{Date, DateError, DateParts, DateTime, DateTimeParts};
pub use encode::{
    Encoding, FormArrays, FormBooleans, FormNulls, FormStyle, UrlVariable, fill_base_url,
};
pub use entries::Entries;
pub use enums::{EnumVisitor, OpenEnum, UnknownVariant, WireEnum, decode_enum};
pub use error::{ApiError, DecodeError, Error, FieldError, InvalidRequest, Rule, TypedErrorBody};
pub use frame::{EnvelopeStatus, ErrorShape, FieldErrors, Framing, Response, WithoutCode};
pub use lenient::{Int, Num};
pub use money::{Decimal, MoneyError};
pub use notification::NotificationError;
pub use nullable::Nullable;
pub use object::{DecodeObject, decode_object, keep_extra, read_field};
pub use one_of::{Expandable, HasId, Tagged, TypeTag};

/// The `reqwest` the runtime is built with, to configure an HTTP client (a proxy, root
/// certificates) for [`ClientConfig::http_client`] with the same version.
pub use reqwest;
pub use retry::{Idempotency, RetryPolicy, RetrySafety};
