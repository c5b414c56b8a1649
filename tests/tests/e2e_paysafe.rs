//! The generated Paysafe client against a real HTTP server on loopback: paths with encoded
//! parameters, query strings, lenient numbers and the REST error body.

use payspec::paysafe::{
    AuthType, Client, Currency, ErrorCode, LinkRel, OrdersGetRequest, OrdersRefundRequest,
    OrdersReportRequest, SettlementsCancelRequest, TransactionStatus,
};
use payspec::runtime::Error;
use payspec::{ClientConfig, Credentials, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::new(
        server.uri(),
        Credentials::basic("devcentre322", "B-qa2-0-53e8a0a4"),
    )
    .retry_policy(RetryPolicy::none());
    Client::with_config(config).expect("loopback http is allowed")
}

#[tokio::test]
async fn get_order_decodes_strings_as_numbers_and_open_enums() {
    let server = MockServer::start().await;
    let order = json!({
        "id": "27HBQSY9R5EGQSRA0A",
        "merchantRefNum": "ABC-123",
        "currencyCode": "GBP",
        "totalAmount": "1000",
        "mode": "live",
        "type": "order",
        "link": [
            { "rel": "hosted_payment", "uri": "https://api.test.netbanx.com/hosted/v1/payment/53616c7465645f5f" },
            { "rel": "a_new_rel", "uri": "https://example.com" }
        ],
        "transaction": {
            "status": "success",
            "authType": "purchase",
            "amount": "1000",
            "currencyCode": "GBP",
            "settled": true,
            "card": { "brand": "visa", "lastDigits": "1111", "expiry": "10/2027" },
            "riskReasonCode": null,
            "errorCode": 0
        }
    });
    Mock::given(method("GET"))
        .and(path("/hosted/v1/orders/27HBQSY9R5EGQSRA0A"))
        .and(header(
            "authorization",
            "Basic ZGV2Y2VudHJlMzIyOkItcWEyLTAtNTNlOGEwYTQ=",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(order))
        .expect(1)
        .mount(&server)
        .await;
    let order = client(&server)
        .orders_get(&OrdersGetRequest::new("27HBQSY9R5EGQSRA0A"))
        .await
        .expect("order");
    assert_eq!(order.total_amount, Some(1000.into()));
    let links = order.link.expect("links");
    assert_eq!(links[0].rel, Some(LinkRel::HostedPayment));
    assert_eq!(links[1].rel, Some(LinkRel::Unknown("a_new_rel".to_owned())));
    let transaction = order.transaction.expect("transaction");
    assert_eq!(transaction.status, Some(TransactionStatus::Success));
    assert_eq!(transaction.auth_type, Some(AuthType::Purchase));
    assert_eq!(transaction.amount, Some(1000.into()));
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/hosted/v1/orders/a%2Fb%20c"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "id": "a/b c", "authType": "settlement" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let settlement = client(&server)
        .settlements_cancel(&SettlementsCancelRequest::new("a/b c"))
        .await
        .expect("settlement");
    assert_eq!(settlement.auth_type, Some(AuthType::Settlement));
}

#[tokio::test]
async fn refund_sends_its_body_and_decodes_the_record() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hosted/v1/orders/27HBQSY9R5EGQSRA0A/refund"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({ "amount": 500, "merchantRefNum": "REFUND-1" }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1YT9B4P8OR76WFPCJ1",
            "merchantRefNum": "REFUND-1",
            "originalMerchantRefNum": "ABC-123",
            "amount": 500,
            "currencyCode": "GBP",
            "authType": "refund",
            "confirmationNumber": "118537890",
            "mode": "live"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let request = OrdersRefundRequest::new("27HBQSY9R5EGQSRA0A")
        .amount(500)
        .merchant_ref_num("REFUND-1");
    let refund = client(&server)
        .orders_refund(&request)
        .await
        .expect("refund");
    assert_eq!(refund.auth_type, Some(AuthType::Refund));
    assert_eq!(refund.amount, Some(500.into()));
    assert_eq!(refund.original_merchant_ref_num.as_deref(), Some("ABC-123"));
}

#[tokio::test]
async fn an_error_body_is_a_typed_api_error_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hosted/v1/orders/X/refund"))
        .respond_with(ResponseTemplate::new(400).insert_header("X-Application-Error", "bad").set_body_json(json!({
            "error": {
                "code": "5068",
                "message": "Field error(s)",
                "details": ["Either you submitted a request that is missing a mandatory field or the value of a field does not match the format expected."],
                "fieldErrors": [{ "field": "amount", "error": "must be greater than 0" }]
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .orders_refund(&OrdersRefundRequest::new("X"))
        .await
        .expect_err("400");
    match &error {
        Error::Api(api) => {
            assert_eq!(api.code, ErrorCode::V5068);
            assert_eq!(api.http_status, 400);
            assert_eq!(api.message, "Field error(s)");
            assert_eq!(api.field_errors.len(), 1);
            assert_eq!(api.field_errors[0].field, "amount");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn report_sends_its_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/hosted/v1/orders"))
        .and(query_param("num", "5"))
        .and(query_param("start", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "records": [{ "id": "A" }, { "id": "B" }],
            "count": "2",
            "navigation": [{ "rel": "next", "uri": "https://api.test.netbanx.com/hosted/v1/orders?num=5&start=15" }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let report = client(&server)
        .orders_report(&OrdersReportRequest::new().num(5).start(10))
        .await
        .expect("report");
    assert_eq!(report.count, Some(2.into()));
    assert_eq!(report.records.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn the_report_pager_walks_every_page_and_stops() {
    let server = MockServer::start().await;
    let page = |ids: &[&str]| {
        let records: Vec<serde_json::Value> = ids.iter().map(|id| json!({ "id": id })).collect();
        ResponseTemplate::new(200).set_body_json(json!({ "records": records, "count": ids.len() }))
    };
    for (start, ids) in [
        ("0", vec!["A", "B"]),
        ("2", vec!["C", "D"]),
        ("4", vec!["E"]),
    ] {
        Mock::given(method("GET"))
            .and(path("/hosted/v1/orders"))
            .and(query_param("num", "2"))
            .and(query_param("start", start))
            .respond_with(page(&ids))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let orders = client
        .orders_report_pages(OrdersReportRequest::new().num(2).start(0))
        .collect_all()
        .await
        .expect("every page");
    let ids: Vec<String> = orders.into_iter().filter_map(|o| o.id).collect();
    assert_eq!(
        ids,
        ["A", "B", "C", "D", "E"],
        "the short third page ends the walk"
    );
}

#[tokio::test]
async fn the_report_pager_stops_when_the_server_ignores_the_offset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/hosted/v1/orders"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "records": [{ "id": "A" }, { "id": "B" }] })),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut pages = client.orders_report_pages(OrdersReportRequest::new().num(2));
    assert_eq!(
        pages.next_page().await.map(|p| p.map(|o| o.len()).ok()),
        Some(Some(2))
    );
    assert!(
        pages.next_page().await.is_none(),
        "an identical page ends the walk"
    );
    assert!(pages.next_page().await.is_none());
}

#[tokio::test]
async fn presets_add_their_documented_options() {
    use payspec::paysafe::OrdersProcessRequest;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hosted/v1/orders"))
        .and(body_json(json!({
            "merchantRefNum": "ABC-124",
            "currencyCode": "GBP",
            "totalAmount": 1000,
            "extendedOptions": [
                { "key": "silentPost", "value": "true" },
                { "key": "authType", "value": "auth" }
            ]
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "id": "27HBQSY9R5EGQSRA0B" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = OrdersProcessRequest::new("ABC-124", Currency::Gbp, 1000)
        .silent_post()
        .authorize_only();
    let order = client(&server)
        .orders_process(&request)
        .await
        .expect("order");
    assert_eq!(order.id.as_deref(), Some("27HBQSY9R5EGQSRA0B"));
}

/// The `error` object decodes into the spec's `ErrorBody` (`errors.type`) with every field,
/// `links` as JSON and an unknown field in `extra`.
#[tokio::test]
async fn an_error_body_has_a_typed_body_with_every_field() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {
                "code": "5068",
                "message": "Field error(s)",
                "details": ["A mandatory field is missing."],
                "fieldErrors": [{ "field": "amount", "error": "must be greater than 0" }],
                "links": [{ "rel": "errorinfo", "href": "https://developer.paysafe.com/" }],
                "correlationId": "c0ffee"
            }
        })))
        .mount(&server)
        .await;
    let error = client(&server)
        .orders_refund(&OrdersRefundRequest::new("X"))
        .await
        .expect_err("400");
    let api = error.api_error().expect("an API error");
    let body: payspec::paysafe::ErrorBody = payspec::paysafe::error_body(api).expect("typed");
    assert_eq!(body.code, Some(ErrorCode::V5068));
    assert_eq!(body.message.as_deref(), Some("Field error(s)"));
    assert_eq!(
        body.details.as_deref(),
        Some(&["A mandatory field is missing.".to_owned()][..])
    );
    let field_errors = body.field_errors.as_deref().expect("field errors");
    assert_eq!(field_errors[0].field.as_deref(), Some("amount"));
    assert_eq!(
        field_errors[0].error.as_deref(),
        Some("must be greater than 0")
    );
    assert_eq!(body.links.as_ref().expect("links")[0]["rel"], "errorinfo");
    assert_eq!(body.extra["correlationId"], "c0ffee");
}

/// `currencyCode` is the spec's open `Currency` enum: a listed code decodes into its variant
/// with its ISO data and money helpers, a code the spec does not list still decodes (kept
/// as an unknown value, no money helper), and a request sends the wire code.
#[tokio::test]
async fn currency_codes_are_typed_with_money_helpers_and_stay_open() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/hosted/v1/orders/GBP-ORDER"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "GBP-ORDER", "currencyCode": "GBP", "totalAmount": 1050,
            "transaction": { "amount": "1050", "currencyCode": "GBP" }
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/hosted/v1/orders/CHF-ORDER"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "CHF-ORDER", "currencyCode": "CHF", "totalAmount": 1050
        })))
        .mount(&server)
        .await;
    let order = client(&server)
        .orders_get(&OrdersGetRequest::new("GBP-ORDER"))
        .await
        .expect("order");
    let currency = order.currency_code.expect("currency");
    assert_eq!(currency, Currency::Gbp);
    assert_eq!(
        order.transaction.expect("transaction").currency_code,
        Some(Currency::Gbp)
    );
    assert_eq!(currency.numeric(), Some(826));
    assert_eq!(currency.format_amount(1050).as_deref(), Ok("10.50"));
    assert_eq!(currency.parse_amount("10.50"), Ok(1050));
    assert!(
        currency.parse_amount("10.505").is_err(),
        "more digits than GBP has: refused"
    );

    let order = client(&server)
        .orders_get(&OrdersGetRequest::new("CHF-ORDER"))
        .await
        .expect("an unlisted currency still decodes");
    let currency = order.currency_code.expect("currency");
    assert_eq!(currency, Currency::Unknown("CHF".to_owned()));
    assert_eq!(currency.as_str(), "CHF");
    assert!(
        currency.format_amount(1050).is_err(),
        "no digits known for CHF"
    );

    let request = payspec::paysafe::OrdersProcessRequest::new("ABC-125", Currency::Eur, 1000);
    let body = serde_json::to_value(&request).expect("serialises");
    assert_eq!(body["currencyCode"], "EUR");
}

/// The `code` of a Paysafe error is the spec's open `ErrorCode` enum (`error_codes`): a listed
/// code matches its variant, the Hosted API's numeric `code` (its docs' `401` example) reads
/// as the same text, and an unlisted code stays reachable as an unknown value.
#[tokio::test]
async fn error_codes_are_typed_and_stay_open() {
    let server = MockServer::start().await;
    let answers = [
        (
            "A",
            401,
            json!({ "error": { "code": "5279", "message": "The authentication credentials are invalid." } }),
        ),
        (
            "B",
            401,
            json!({ "error": { "code": 401, "message": "Not authorised" } }),
        ),
        (
            "C",
            400,
            json!({ "error": { "code": "9876", "message": "Something new" } }),
        ),
    ];
    for (id, status, body) in &answers {
        Mock::given(method("GET"))
            .and(path(format!("/hosted/v1/orders/{id}")))
            .respond_with(ResponseTemplate::new(*status).set_body_json(body))
            .mount(&server)
            .await;
    }
    let code = |id: &'static str| {
        let client = client(&server);
        async move {
            let error = client
                .orders_get(&OrdersGetRequest::new(id))
                .await
                .expect_err("an API error");
            error.api_code().cloned().expect("an API error code")
        }
    };
    assert_eq!(code("A").await, ErrorCode::V5279);
    assert_eq!(code("B").await, ErrorCode::V401);
    let unknown = code("C").await;
    assert_eq!(unknown, ErrorCode::Unknown("9876".to_owned()));
    assert_eq!(unknown.as_str(), "9876");
    assert!(unknown.is_unknown());
}
