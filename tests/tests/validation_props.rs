//! Property tests of the generated `validate()` methods against the constraints of
//! `spec/*.yaml`: an independent oracle lists every constraint a generated value breaks, as
//! `(dotted wire path, rule)`; a request that breaks none passes `validate()`, and a request
//! that breaks some is refused with one of them (exactly that one when there is only one).
//! The last tests check that a refused request sends nothing.

use payspec::runtime::{Error, InvalidRequest, Rule};
use payspec::{ClientConfig, Credentials, Nullable, RetryPolicy, lyra, paysafe};
use proptest::prelude::*;
use proptest::test_runner::Config;

const UUID_PATTERN: &str = "^[0-9a-fA-F]{32}$";

/// A constraint broken by a value: its dotted wire path and the rule.
type Violation = (String, Rule);

fn config() -> Config {
    Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    }
}

/// The oracle's verdict against `validate()`'s answer.
fn check(
    result: Result<(), InvalidRequest>,
    violations: &[Violation],
) -> Result<(), TestCaseError> {
    match result {
        Ok(()) => prop_assert!(
            violations.is_empty(),
            "accepted although it breaks {violations:?}"
        ),
        Err(e) => {
            prop_assert!(
                violations.contains(&(e.path.clone(), e.rule.clone())),
                "refused with `{}` {:?}, but the oracle lists {violations:?}",
                e.path,
                e.rule
            );
            if let [only] = violations {
                prop_assert_eq!(&(e.path, e.rule), only);
            }
        }
    }
    Ok(())
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

// --- the oracle: one function per constraint kind, written from the spec ------------------

/// `uuid`: length exactly 32 and `^[0-9a-fA-F]{32}$`.
fn uuid_violations(path: &str, uuid: &str, out: &mut Vec<Violation>) {
    let n = chars(uuid);
    if n < 32 {
        out.push((path.to_owned(), Rule::MinLength(32)));
    }
    if n > 32 {
        out.push((path.to_owned(), Rule::MaxLength(32)));
    }
    if !(n == 32 && uuid.chars().all(|c| c.is_ascii_hexdigit())) {
        out.push((path.to_owned(), Rule::Pattern(UUID_PATTERN)));
    }
}

fn max_length(path: &str, value: Option<&str>, max: u32, out: &mut Vec<Violation>) {
    if value.is_some_and(|v| chars(v) > max as usize) {
        out.push((path.to_owned(), Rule::MaxLength(max)));
    }
}

fn min_length(path: &str, value: Option<&str>, min: u32, out: &mut Vec<Violation>) {
    if value.is_some_and(|v| chars(v) < min as usize) {
        out.push((path.to_owned(), Rule::MinLength(min)));
    }
}

fn ascii(path: &str, value: Option<&str>, out: &mut Vec<Violation>) {
    if value.is_some_and(|v| !v.is_ascii()) {
        out.push((path.to_owned(), Rule::Ascii));
    }
}

fn range(path: &str, value: Option<i64>, min: i64, max: i64, out: &mut Vec<Violation>) {
    if let Some(v) = value {
        if v < min {
            out.push((path.to_owned(), Rule::Min(i128::from(min))));
        }
        if v > max {
            out.push((path.to_owned(), Rule::Max(i128::from(max))));
        }
    }
}

// --- strategies: valid values, values just past a bound, and anything ----------------------

fn hex32() -> impl Strategy<Value = String> {
    "[0-9a-fA-F]{32}"
}

/// 32 hexadecimal digits, one of them replaced by a character that is not one.
fn near_uuid() -> impl Strategy<Value = String> {
    (
        hex32(),
        0..32usize,
        any::<char>().prop_filter("not hex", |c| !c.is_ascii_hexdigit()),
    )
        .prop_map(|(hex, at, c)| {
            hex.chars()
                .enumerate()
                .map(|(i, h)| if i == at { c } else { h })
                .collect()
        })
}

fn uuid() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => hex32(),
        2 => near_uuid(),
        1 => "[0-9a-fA-F]{0,31}",
        1 => "[0-9a-fA-F]{33,40}",
        1 => "\\PC{0,40}",
        1 => "[0-9a-f]{31}\n",
    ]
}

/// Text around a maximum length: short, at the bound, past it; ASCII or not.
fn text_around(max: usize) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        3 => proptest::string::string_regex(&format!("[ -~]{{0,{max}}}")).expect("regex").prop_map(Some),
        2 => proptest::string::string_regex(&format!("[ -~]{{{},{}}}", max + 1, max + 20)).expect("regex").prop_map(Some),
        2 => proptest::string::string_regex(&format!("\\PC{{0,{}}}", max + 10)).expect("regex").prop_map(Some),
        // Exactly `max` characters of several bytes each: the bound counts characters.
        1 => Just(Some("é".repeat(max))),
    ]
}

fn capture_delay() -> impl Strategy<Value = Option<Nullable<i64>>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(Nullable::Null)),
        3 => (-5i64..=370).prop_map(|v| Some(Nullable::Value(v))),
        1 => any::<i64>().prop_map(|v| Some(Nullable::Value(v))),
    ]
}

/// A Paysafe `Currency`: one the spec lists, or any text kept as an unknown value.
fn currency_code() -> impl Strategy<Value = paysafe::Currency> {
    prop_oneof![
        3 => proptest::sample::select(paysafe::Currency::ALL.to_vec()),
        1 => "\\PC{0,5}".prop_map(paysafe::Currency::from_wire_lossy),
    ]
}

/// A BillingDetails text field: absent, empty (breaks `min_length: 1`) or not.
fn billing_text() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        2 => Just(Some(String::new())),
        3 => "\\PC{1,20}".prop_map(Some),
    ]
}

#[derive(Debug, Clone)]
struct Billing {
    street: Option<String>,
    street2: Option<String>,
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
    zip: Option<String>,
    phone: Option<String>,
}

fn billing() -> impl Strategy<Value = Billing> {
    (
        billing_text(),
        billing_text(),
        billing_text(),
        billing_text(),
        billing_text(),
        billing_text(),
        billing_text(),
    )
        .prop_map(
            |(street, street2, city, state, country, zip, phone)| Billing {
                street,
                street2,
                city,
                state,
                country,
                zip,
                phone,
            },
        )
}

impl Billing {
    fn fields(&self) -> [(&'static str, &Option<String>); 7] {
        [
            ("street", &self.street),
            ("street2", &self.street2),
            ("city", &self.city),
            ("state", &self.state),
            ("country", &self.country),
            ("zip", &self.zip),
            ("phone", &self.phone),
        ]
    }

    fn build(&self) -> paysafe::BillingDetails {
        let mut b = paysafe::BillingDetails::new();
        for (name, value) in self.fields() {
            if let Some(v) = value.clone() {
                b = match name {
                    "street" => b.street(v),
                    "street2" => b.street2(v),
                    "city" => b.city(v),
                    "state" => b.state(v),
                    "country" => b.country(v),
                    "zip" => b.zip(v),
                    _ => b.phone(v),
                };
            }
        }
        b
    }

    fn violations(&self, out: &mut Vec<Violation>) {
        for (name, value) in self.fields() {
            min_length(&format!("billingDetails.{name}"), value.as_deref(), 1, out);
        }
    }
}

// --- Lyra ----------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Duplicate {
    uuid: String,
    amount: u64,
    order_id: Option<String>,
    comment: Option<String>,
    capture_delay: Option<Nullable<i64>>,
    acquirer_transient_data: Option<String>,
}

fn duplicate() -> impl Strategy<Value = Duplicate> {
    (
        uuid(),
        any::<u64>(),
        text_around(64),
        text_around(255),
        capture_delay(),
        proptest::option::of("\\PC{0,30}"),
    )
        .prop_map(
            |(uuid, amount, order_id, comment, capture_delay, acquirer_transient_data)| Duplicate {
                uuid,
                amount,
                order_id,
                comment,
                capture_delay,
                acquirer_transient_data,
            },
        )
}

impl Duplicate {
    fn build(&self) -> lyra::TransactionDuplicateRequest {
        let mut r = lyra::TransactionDuplicateRequest::new(
            self.uuid.clone(),
            self.amount,
            lyra::Currency::Xpf,
        );
        if let Some(v) = &self.order_id {
            r = r.order_id(v.clone());
        }
        if let Some(v) = &self.comment {
            r = r.comment(v.clone());
        }
        if let Some(v) = &self.capture_delay {
            r = r.card_duplicate(lyra::TransactionDuplicateCardDuplicate::new().capture_delay(*v));
        }
        if let Some(v) = &self.acquirer_transient_data {
            r = r.acquirer_transient_data(v.clone());
        }
        r
    }

    fn violations(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        uuid_violations("uuid", &self.uuid, &mut out);
        // `amount` is unsigned and its only rule is `min: 0`: nothing to break.
        max_length("orderId", self.order_id.as_deref(), 64, &mut out);
        ascii("orderId", self.order_id.as_deref(), &mut out);
        max_length("comment", self.comment.as_deref(), 255, &mut out);
        let delay = match self.capture_delay {
            Some(Nullable::Value(v)) => Some(v),
            _ => None,
        };
        range("cardDuplicate.captureDelay", delay, 0, 365, &mut out);
        out
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn lyra_duplicate_is_refused_exactly_when_it_breaks_a_rule(d in duplicate()) {
        check(d.build().validate(), &d.violations())?;
    }

    #[test]
    fn lyra_duplicate_within_every_rule_passes(
        uuid in hex32(),
        amount in any::<u64>(),
        order_id in "[ -~]{0,64}",
        comment in "\\PC{0,255}",
        delay in 0i64..=365,
    ) {
        let request = lyra::TransactionDuplicateRequest::new(uuid, amount, lyra::Currency::Eur)
            .order_id(order_id)
            .comment(comment)
            .card_duplicate(lyra::TransactionDuplicateCardDuplicate::new().capture_delay(delay));
        prop_assert_eq!(request.validate(), Ok(()));
    }

    #[test]
    fn lyra_capture_delay_out_of_range_names_the_nested_path(
        delay in prop_oneof![i64::MIN..0, 366..=i64::MAX],
    ) {
        let request = lyra::TransactionDuplicateRequest::new(
            "0123456789abcdef0123456789ABCDEF", 1, lyra::Currency::Eur,
        )
        .card_duplicate(lyra::TransactionDuplicateCardDuplicate::new().capture_delay(delay));
        let error = request.validate().expect_err("out of range");
        prop_assert_eq!(error.path.as_str(), "cardDuplicate.captureDelay");
        prop_assert_eq!(error.rule, if delay < 0 { Rule::Min(0) } else { Rule::Max(365) });
    }

    /// Every Lyra request keyed by one transaction `uuid` checks it the same way.
    #[test]
    fn lyra_uuid_rules_hold_for_every_request_keyed_by_uuid(uuid in uuid()) {
        let mut expected = Vec::new();
        uuid_violations("uuid", &uuid, &mut expected);
        check(lyra::TransactionGetRequest::new(uuid.clone()).validate(), &expected)?;
        check(lyra::TransactionValidateRequest::new(uuid.clone()).validate(), &expected)?;
        check(lyra::TransactionCancelRequest::new(uuid.clone()).validate(), &expected)?;
        check(lyra::TransactionCancelOrRefundRequest::new(uuid.clone()).validate(), &expected)?;
        check(lyra::TransactionUpdateRequest::new(uuid.clone()).validate(), &expected)?;
        check(
            lyra::TransactionDuplicateRequest::new(uuid, 0, lyra::Currency::Eur).validate(),
            &expected,
        )?;
    }

    #[test]
    fn lyra_capture_commission_is_between_0_and_99(
        commission in proptest::option::of(prop_oneof![3 => -3i64..=102, 1 => any::<i64>()]),
        uuids in proptest::collection::vec("\\PC{0,40}", 0..4),
    ) {
        let mut request = lyra::TransactionCaptureRequest::new(uuids);
        if let Some(c) = commission {
            request = request.commission(c);
        }
        let mut expected = Vec::new();
        range("commission", commission, 0, 99, &mut expected);
        check(request.validate(), &expected)?;
    }
}

// --- Paysafe -------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Process {
    merchant_ref_num: String,
    currency_code: paysafe::Currency,
    total_amount: u64,
    billing: Option<Billing>,
    shipping_street: Option<String>,
}

fn process() -> impl Strategy<Value = Process> {
    (
        "\\PC{0,20}",
        currency_code(),
        any::<u64>(),
        proptest::option::of(billing()),
        proptest::option::of(prop_oneof![Just(String::new()), "\\PC{1,10}"]),
    )
        .prop_map(
            |(merchant_ref_num, currency_code, total_amount, billing, shipping_street)| Process {
                merchant_ref_num,
                currency_code,
                total_amount,
                billing,
                shipping_street,
            },
        )
}

impl Process {
    fn build(&self) -> paysafe::OrdersProcessRequest {
        let mut r = paysafe::OrdersProcessRequest::new(
            self.merchant_ref_num.clone(),
            self.currency_code.clone(),
            self.total_amount,
        );
        if let Some(b) = &self.billing {
            r = r.billing_details(b.build());
        }
        if let Some(street) = &self.shipping_street {
            // ShippingDetails has no length rule: an empty street is accepted.
            r = r.shipping_details(paysafe::ShippingDetails::new().street(street.clone()));
        }
        r
    }

    fn violations(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        // `currencyCode` is the `Currency` enum: no length rule to break (a spec cannot put
        // one on an enum). `totalAmount` is unsigned and its only rule is `min: 0`: nothing to break.
        if let Some(b) = &self.billing {
            b.violations(&mut out);
        }
        out
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn paysafe_process_is_refused_exactly_when_it_breaks_a_rule(p in process()) {
        check(p.build().validate(), &p.violations())?;
    }

    #[test]
    fn paysafe_process_within_every_rule_passes(
        currency in currency_code(),
        amount in any::<u64>(),
        street in "\\PC{1,40}",
        zip in "\\PC{1,10}",
    ) {
        let request = paysafe::OrdersProcessRequest::new("ref", currency, amount)
            .billing_details(paysafe::BillingDetails::new().street(street).zip(zip));
        prop_assert_eq!(request.validate(), Ok(()));
    }

    /// Every Paysafe request carrying an order's `currencyCode` takes the `Currency` enum,
    /// validates whatever value it holds (known or kept unknown) and sends its wire text.
    #[test]
    fn paysafe_currency_code_is_the_currency_enum_everywhere(currency in currency_code()) {
        let wire = serde_json::Value::from(currency.as_str());
        let rebill = paysafe::OrdersRebillRequest::new("order", "ref", currency.clone(), 100);
        prop_assert_eq!(rebill.validate(), Ok(()));
        prop_assert_eq!(&serde_json::to_value(&rebill).unwrap()["currencyCode"], &wire);
        let with_profile = paysafe::OrdersRebillWithProfileRequest::new(
            "ref",
            currency.clone(),
            100,
            paysafe::OrdersRebillWithProfileProfile::new("p", "t"),
        );
        prop_assert_eq!(with_profile.validate(), Ok(()));
        prop_assert_eq!(&serde_json::to_value(&with_profile).unwrap()["currencyCode"], &wire);
        let credit = paysafe::CreditsOriginalWithProfileRequest::new(
            paysafe::CreditsOriginalWithProfileProfile::new("p", "t"),
            "ref",
            currency.clone(),
            100,
        );
        prop_assert_eq!(credit.validate(), Ok(()));
        prop_assert_eq!(&serde_json::to_value(&credit).unwrap()["currencyCode"], &wire);
        let update = paysafe::OrdersUpdateRebillRequest::new("order").currency_code(currency.clone());
        prop_assert_eq!(update.validate(), Ok(()));
        prop_assert_eq!(&serde_json::to_value(&update).unwrap()["currencyCode"], &wire);
        // Absent, it breaks nothing.
        prop_assert_eq!(paysafe::OrdersUpdateRebillRequest::new("order").validate(), Ok(()));
    }
}

// --- a refused request sends nothing -------------------------------------------------------

fn client_config(server: &wiremock::MockServer) -> ClientConfig {
    ClientConfig::new(server.uri(), Credentials::basic("user", "password"))
        .retry_policy(RetryPolicy::none())
}

/// Invalid requests drawn by the strategies above, sent through the clients: each is refused
/// with the error `validate()` gives, and the server sees nothing.
#[test]
fn refused_requests_send_nothing() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(async {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(wiremock::ResponseTemplate::new(500))
            .expect(0)
            .mount(&server)
            .await;
        server
    });
    let lyra_client = lyra::Client::with_config(client_config(&server)).expect("client");
    let paysafe_client = paysafe::Client::with_config(client_config(&server)).expect("client");

    let mut runner = proptest::test_runner::TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let refused = std::cell::Cell::new(0usize);
    runner
        .run(
            &(
                duplicate().prop_filter("invalid", |d| !d.violations().is_empty()),
                process().prop_filter("invalid", |p| !p.violations().is_empty()),
            ),
            |(d, p)| {
                let request = d.build();
                let expected = request.validate().expect_err("the oracle says invalid");
                match runtime.block_on(lyra_client.transaction_duplicate(&request)) {
                    Err(Error::InvalidRequest(e)) => prop_assert_eq!(e, expected),
                    other => prop_assert!(false, "{other:?}"),
                }
                let request = p.build();
                let expected = request.validate().expect_err("the oracle says invalid");
                match runtime.block_on(paysafe_client.orders_process(&request)) {
                    Err(Error::InvalidRequest(e)) => prop_assert_eq!(e, expected),
                    other => prop_assert!(false, "{other:?}"),
                }
                refused.set(refused.get() + 2);
                Ok(())
            },
        )
        .expect("every invalid request is refused before any I/O");

    // Path parameters that would change the URL's shape are refused by the runtime too.
    for order_id in ["", ".", ".."] {
        let get =
            runtime.block_on(paysafe_client.orders_get(&paysafe::OrdersGetRequest::new(order_id)));
        match get {
            Err(Error::InvalidRequest(e)) => assert_eq!(e.rule, Rule::UrlPath, "{order_id:?}"),
            other => panic!("{order_id:?}: {other:?}"),
        }
        let refund = runtime
            .block_on(paysafe_client.orders_refund(&paysafe::OrdersRefundRequest::new(order_id)));
        assert!(
            matches!(refund, Err(Error::InvalidRequest(ref e)) if e.rule == Rule::UrlPath),
            "{order_id:?}: {refund:?}"
        );
        refused.set(refused.get() + 2);
    }

    let seen = runtime.block_on(async { server.received_requests().await.map(|r| r.len()) });
    assert_eq!(seen, Some(0), "a refused request reached the server");
    assert!(
        refused.get() >= 2 * 64,
        "only {} requests refused",
        refused.get()
    );
    runtime.block_on(server.verify());
}
