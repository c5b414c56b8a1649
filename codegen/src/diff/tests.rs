//! The comparison on fixture pairs (`tests/fixtures/diff/<case>/{old,new}.yaml`) and the report text.

use super::Kind::{Additive as A, Breaking as B, DocsOnly as D};
use super::*;
use crate::SourceFile;
use crate::ir::Ir;

fn ir(path: &str, text: &str) -> Ir {
    let sources = [SourceFile {
        path: format!("tests/fixtures/diff/{path}"),
        text: text.to_owned(),
    }];
    match crate::build_ir(&sources) {
        Ok((ir, _)) => ir,
        Err(diagnostics) => panic!("{}", crate::render(&diagnostics, &sources)),
    }
}

/// The IRs of `tests/fixtures/diff/<case>/{old,new}.yaml`.
macro_rules! fixture {
    ($case:literal) => {
        (
            ir(
                concat!($case, "/old.yaml"),
                include_str!(concat!("../../../tests/fixtures/diff/", $case, "/old.yaml")),
            ),
            ir(
                concat!($case, "/new.yaml"),
                include_str!(concat!("../../../tests/fixtures/diff/", $case, "/new.yaml")),
            ),
        )
    };
}

/// Compares a fixture pair (old -> new) and checks the exact changes, all of API `shop`.
macro_rules! case {
    ($case:literal, $bump:expr, $expected:expr $(,)?) => {{
        let (old, new) = fixture!($case);
        check(&compare(&old, &new), $bump, $expected);
    }};
}

/// Checks the changes against `expected`: one change a line, `B|A|D [item] what`, in order.
#[track_caller]
fn check(changes: &[Change], bump: Bump, expected: &str) {
    let actual: Vec<String> = changes
        .iter()
        .map(|c| {
            let kind = match c.kind {
                B => "B",
                A => "A",
                D => "D",
            };
            format!("{kind} [{}] {}", c.item, c.what)
        })
        .collect();
    let expected: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(actual, expected);
    assert!(changes.iter().all(|c| c.api == "shop"), "{changes:#?}");
    assert_eq!(Bump::of(changes), bump);
}

#[test]
fn identical_specs_have_no_change() {
    let text = include_str!("../../../tests/fixtures/minimal.yaml");
    let changes = compare(&ir("minimal.yaml", text), &ir("minimal.yaml", text));
    assert_eq!(changes, []);
    assert_eq!(Bump::of(&changes), Bump::None);
    assert_eq!(
        report("HEAD", &changes),
        "# Spec changes from HEAD to the working tree\n\n\
         No change for users of the produced crate.\n\n\
         Semver bump: no change\n"
    );
}

#[test]
fn a_renamed_api_is_a_removal_and_an_addition() {
    let (old, new) = fixture!("api_renamed");
    let changes = compare(&old, &new);
    let actual: Vec<(Kind, &str, &str, &str)> = changes
        .iter()
        .map(|c| (c.kind, c.api.as_str(), c.item.as_str(), c.what.as_str()))
        .collect();
    assert_eq!(
        actual,
        [
            (
                B,
                "shop",
                "",
                "API module `payspec::shop` (feature `shop`) removed, with its 1 operation"
            ),
            (
                A,
                "store",
                "",
                "new API module `payspec::store` (feature `store`) with 1 operation"
            ),
        ]
    );
    assert_eq!(Bump::of(&changes), Bump::Major);
}

#[test]
fn protocol_and_error_codes_are_breaking() {
    case!(
        "api_level",
        Bump::Major,
        r#"
            B [] `Error` now carries `ErrorCode` error codes instead of `String`
            B [] protocol changes from rest to envelope: answers are framed and decoded differently
            A [ErrorCode] new open enum with 1 value
        "#
    );
}

#[test]
fn operations_removed_renamed_added() {
    case!(
        "operations",
        Bump::Major,
        r#"
            A [orders/cancel] new operation `Client::orders_cancel` (POST /orders/{id}/cancel)
            B [orders/delete] operation removed: `Client::orders_delete` and `OrdersDeleteRequest` are gone
            A [orders/find] new operation `Client::orders_find` (GET /orders)
            B [orders/list] operation removed: `Client::orders_list` and `OrdersListRequest` are gone
        "#
    );
}

#[test]
fn response_type_changes_are_breaking() {
    case!(
        "response",
        Bump::Major,
        r#"
            B [orders/get] `Client::orders_get` now returns `serde_json::Value` instead of `Order`
            B [orders/ping] `Client::orders_ping` now returns `()` instead of `serde_json::Value`
        "#
    );
}

#[test]
fn retry_never_to_safe_is_breaking_and_safe_to_never_additive() {
    case!(
        "retry",
        Bump::Major,
        r#"
            B [payments/create] retry `never` -> `safe`: the client may now resend a call that was sent at most once
            A [payments/get] retry `safe` -> `never`: the call is now sent at most once, never retried
        "#
    );
}

#[test]
fn method_path_and_location_are_wire_breaks() {
    case!(
        "wire",
        Bump::Major,
        r#"
            B [orders/update] the call changes from `POST /orders/{id}` to `PATCH /v2/orders/{id}` on the wire
            B [orders/update param note] moves from the JSON body to the query string: the request goes out differently on the wire
        "#
    );
}

#[test]
fn encodings_are_wire_changes() {
    case!(
        "encoding",
        Bump::Major,
        r#"
            B [] `api.form` changes from `arrays: brackets, booleans: words, nulls: omit` to `arrays: indexed, booleans: words, nulls: omit`: forms and list, map and object query parameters are written differently on the wire
            B [orders/create] the body is now encoded as `json` instead of `form`: the server reads another format
        "#
    );
}

#[test]
fn removed_parameters_are_breaking_and_reported_once() {
    case!(
        "params_removed",
        Bump::Major,
        r#"
            B [orders/create param note] parameter removed: the field and setter `OrdersCreateRequest::note` are gone
            B [orders/create param reference] required parameter removed: `OrdersCreateRequest::new` loses its argument `reference`
            B [orders/create param shipping] parameter removed: the field and setter `OrdersCreateRequest::shipping` are gone
        "#
    );
}

#[test]
fn added_parameters_are_breaking_only_when_required() {
    case!(
        "params_added",
        Bump::Major,
        r#"
            A [orders/create param billing.city] new optional parameter, set with `OrdersCreateBilling::city()`
            B [orders/create param currency] new required parameter: `OrdersCreateRequest::new` takes the new argument `currency`
            A [orders/create param note] new optional parameter, set with `OrdersCreateRequest::note()`
            B [orders/create param shipping] new required parameter: `OrdersCreateRequest::new` takes the new argument `shipping`
        "#
    );
}

#[test]
fn required_changes_either_way_are_breaking() {
    case!(
        "params_required",
        Bump::Major,
        r#"
            B [orders/create param amount] becomes required: it is now an argument of `OrdersCreateRequest::new` instead of an `Option` set with `.amount()`
            B [orders/create param reference] is no longer required: it leaves the arguments of `OrdersCreateRequest::new` and becomes an `Option` set with `.reference()`
            B [orders/create param shipping] becomes required: it is now an argument of `OrdersCreateRequest::new` instead of an `Option` set with `.shipping()`
            B [orders/create param shipping.name] new required parameter: `OrdersCreateShipping::new` takes the new argument `name`
        "#
    );
}

#[test]
fn reordered_constructor_arguments_are_breaking() {
    case!(
        "params_order",
        Bump::Major,
        r#"
            B [orders/create] the arguments of `OrdersCreateRequest::new` are reordered: (reference, customer, amount) -> (customer, reference, amount)
        "#
    );
}

#[test]
fn a_block_that_becomes_a_group_changes_nothing_but_adds_its_type() {
    case!(
        "groups",
        Bump::Minor,
        r#"
            A [Customer] new parameter group type, shared by the operations that use it
            A [orders/create param customer.phone] new optional parameter, set with `Customer::phone()`
            A [orders/update param customer.phone] new optional parameter, set with `Customer::phone()`
        "#
    );
}

#[test]
fn type_changes_are_breaking_unless_the_rust_type_stays() {
    case!(
        "params_type",
        Bump::Major,
        r#"
            B [orders/create param day] type changes from date (`Date`) to string (`String`)
            B [orders/create param options] is no longer required: it leaves the arguments of `OrdersCreateRequest::new` and becomes an `Option` set with `.options()`
            B [orders/create param options] type changes from `OrdersCreateOptions` to list<OrdersCreateOptions> (`Vec<OrdersCreateOptions>`)
            B [orders/create param quantity] type changes from integer (`i64`) to string (`String`)
            B [orders/create param tags] type changes from list<string> (`Vec<String>`) to string (`String`)
        "#
    );
}

#[test]
fn nullable_changes_are_breaking() {
    case!(
        "nullable",
        Bump::Major,
        r#"
            B [orders/create param captureDelay] is no longer nullable: the field loses `Nullable` and an explicit null cannot be sent
            B [orders/create param priority] becomes nullable: the field's type becomes `Nullable<i64>`
            D [orders/create param priority] documentation: doc added
            B [orders/create param reference] becomes nullable: the field's type becomes `Option<Nullable<String>>`, and a `&str` argument no longer converts (pass a `String`)
        "#
    );
}

#[test]
fn tightened_constraints_are_breaking() {
    case!(
        "constraints",
        Bump::Major,
        r#"
            B [orders/create param amount] constraint tightened: `max` 100 -> 50; values that passed `validate()` may now fail
            B [orders/create param amount] constraint tightened: `min` 1 -> 5; values that passed `validate()` may now fail
            B [orders/create param code] constraint tightened: `pattern` `^[A-Z]+$` -> `^[A-Z0-9]+$`; values that passed `validate()` may now fail
            B [orders/create param note] constraint tightened: `pattern` none -> `^[a-z ]*$`; values that passed `validate()` may now fail
            B [orders/create param reference] constraint tightened: `ascii` false -> true; values that passed `validate()` may now fail
            B [orders/create param reference] constraint tightened: `min_length` 1 -> 2; values that passed `validate()` may now fail
            B [orders/create param tags] constraint tightened: `max_length` 10 -> 5; values that passed `validate()` may now fail
        "#
    );
}

#[test]
fn loosened_constraints_are_additive_but_a_changed_pattern_is_not() {
    // The same pair, read new -> old.
    let (old, new) = fixture!("constraints");
    check(
        &compare(&new, &old),
        Bump::Major,
        r#"
            A [orders/create param amount] constraint loosened: `max` 50 -> 100; more values pass `validate()`
            A [orders/create param amount] constraint loosened: `min` 5 -> 1; more values pass `validate()`
            B [orders/create param code] constraint tightened: `pattern` `^[A-Z0-9]+$` -> `^[A-Z]+$`; values that passed `validate()` may now fail
            A [orders/create param note] constraint loosened: `pattern` `^[a-z ]*$` -> none; more values pass `validate()`
            A [orders/create param reference] constraint loosened: `ascii` true -> false; more values pass `validate()`
            A [orders/create param reference] constraint loosened: `min_length` 2 -> 1; more values pass `validate()`
            A [orders/create param tags] constraint loosened: `max_length` 5 -> 10; more values pass `validate()`
        "#,
    );
}

#[test]
fn losing_sensitive_is_breaking_and_gaining_it_additive() {
    case!(
        "sensitive",
        Bump::Major,
        r#"
            A [orders/create param cardNumber] becomes sensitive: its value is now redacted from `Debug` output and error excerpts
            B [orders/create param password] is no longer sensitive: its value now shows in `Debug` output and in error excerpts
        "#
    );
}

#[test]
fn a_field_boxed_by_a_new_cycle_is_breaking() {
    case!(
        "boxed",
        Bump::Major,
        r#"
            B [Order::summary] is now stored boxed (`Box<Summary>`): its type became recursive
            A [Summary::order] new field `order` of `Summary`
        "#
    );
}

#[test]
fn named_types_and_their_fields() {
    case!(
        "types",
        Bump::Major,
        r#"
            A [Customer] new type with 1 field
            B [Order::amount] type changes from integer (`i64`) to amount (`u64`)
            B [Order::legacy_code] field `legacyCode` removed from `Order`
            B [Order::payment] type changes from `OrderPayment` to `Payment`
            B [Order::shipping] field `shipping` removed from `Order`
            A [Order::status] new field `status` of `Order`
            A [Payment] new type with 2 fields
            B [Refund] type removed
        "#
    );
}

#[test]
fn enums_removed_and_added() {
    case!(
        "enums",
        Bump::Major,
        r#"
            B [Color] enum removed
            A [Shade] new open enum with 2 values
        "#
    );
}

#[test]
fn one_of_types_and_their_alternatives() {
    case!(
        "one_of",
        Bump::Major,
        r#"
            A [Fresh] new one-of type of 1 alternative
            B [Legacy] one-of type removed
            B [Method] variant `Method::Sepa` removed: objects tagged `sepa` now come as `Method::Other`
            A [Method] new variant `Method::Wallet` (tag `wallet`, which came as `Method::Other` before)
            B [Source] told apart by `kind` instead of `type`: objects decode into other variants
        "#
    );
}

#[test]
fn enum_values_closed_and_open() {
    case!(
        "enum_values",
        Bump::Major,
        r#"
            B [Decision::Escalate] new value `ESCALATE` of a closed enum: code that relied on the list being complete (a `match` whose wildcard is unreachable, tables over `ALL`) must handle it
            B [Decision::Hold] value `HOLD` removed: the variant is gone; decoding `HOLD` now fails
            B [Decision::Refuse] variant renamed from `Decision::Reject` (wire value `REJECT`)
            A [Status::Refunded] new value `REFUNDED` of an open enum (it decoded as `Unknown` before)
            B [Status::Void] value `VOID` removed: the variant is gone; `VOID` now decodes as `Status::Unknown`
        "#
    );
}

#[test]
fn open_to_closed_is_breaking_and_closed_to_open_additive() {
    case!(
        "enum_open_closed",
        Bump::Major,
        r#"
            A [Brand] becomes open: values the spec does not list decode into `Brand::Unknown` instead of failing
            B [Brand::scheme()] now returns `Option<&'static str>` instead of `&'static str`
            B [Status] becomes closed: `Status::Unknown` is gone and values the spec does not list no longer decode
        "#
    );
}

#[test]
fn a_null_value_changes_as_str() {
    case!(
        "enum_null",
        Bump::Major,
        r#"
            B [Mode::ShopDefault] value null removed: the variant is gone; `Mode::as_str()` now returns `&str` and JSON null no longer decodes
            B [Validation::ShopDefault] new value null: `Validation::as_str()` now returns `Option<&str>`
        "#
    );
}

#[test]
fn enum_data_columns_and_minor_units() {
    case!(
        "enum_data",
        Bump::Major,
        r#"
            A [Currency] gains `parse_amount`/`format_amount`, with the minor-unit digits of column `digits`
            B [Currency::Jpy] `Currency::Jpy.digits()` changes from 2 to 0
            B [Currency::Jpy] `Currency::Jpy.numeric()` loses its datum (was 392)
            A [Currency::name()] new data accessor returning `&'static str`
            B [Currency::numeric()] now returns `Option<i64>` instead of `i64`
            B [Currency::symbol()] data accessor removed
        "#
    );
}

#[test]
fn reordered_enum_values_are_additive() {
    case!(
        "enum_order",
        Bump::Minor,
        r#"
            A [Status] the values are listed in a new order (the order of `Status::ALL`)
        "#
    );
}

#[test]
fn environments_removed_added_moved() {
    case!(
        "environments",
        Bump::Major,
        r#"
            A [Environment::EuLive] new environment `eu-live` (https://eu.example.com)
            B [Environment::Legacy] environment `legacy` (https://old.example.com) removed
            B [Environment::Live] base URL changes from https://example.com to https://api.example.com: calls made with this environment go to another host
            D [Environment::Test] documentation: doc added
        "#
    );
}

#[test]
fn api_headers_and_idempotency() {
    case!(
        "headers_idempotency",
        Bump::Major,
        r#"
            B [] every call now sends the header `X-Flags: a`: the server may answer every call differently
            B [] fixed header `Api-Version` changes from `2024-01-01` to `2025-01-01`: the server may answer every call differently
            B [] fixed header `X-Legacy: 1` no longer sent: the server may answer every call differently
            B [] idempotency header changes from `Idempotency-Key` to `Idem-Key`: keys sent before are not the ones the server sees
            A [] idempotency key limit raised from 64 to 255 characters
            D [] documentation: idempotency doc added
        "#
    );
}

#[test]
fn auth_schemes() {
    case!(
        "auth",
        Bump::Major,
        r#"
            B [] authentication scheme `api_key` changes from header `X-Api-Key` to query parameter `api_key`: credentials go elsewhere
            B [] authentication scheme `basic` removed: `Credentials::basic` is gone and such credentials are refused
            A [] new authentication scheme `oauth2_client_credentials`, with `Credentials::oauth2_client_credentials`
            D [] documentation: `bearer` doc changed (en)
        "#
    );
}

#[test]
fn notifications_verification_keys_fields() {
    case!(
        "notifications",
        Bump::Major,
        r#"
            B [hook] `Notification::payload` changes type from `Order` to `Event`
            B [hook] verification changes: signature field `hash` -> `signature`; notifications that verified before may be refused
            A [hook::Keys::backup] new key `backup`, set with `Keys::backup()`
            B [hook::Notification::kind] form field `kind` removed: `Notification::kind` is gone
            A [hook::Notification::mode] new form field `mode`, in `Notification::mode`
            B [legacy] notification module `shop::legacy` removed
            B [ping] verification changes: default key `password` -> `hmac`; notifications that verified before may be refused
            A [ping::Keys::hmac] new key `hmac`, set with `Keys::hmac()`
            B [ping::Keys::password] key `password` removed: `Keys::password` is gone and notifications it signs are refused
            A [refund] new notification module `shop::refund`
        "#
    );
}

#[test]
fn pagers_and_presets() {
    case!(
        "pages_presets",
        Bump::Major,
        r#"
            B [orders/create preset authOnly] `OrdersCreateRequest::auth_only()` now sets capture = false, mode = "AUTH" instead of capture = false
            A [orders/create preset silentPost] new preset `OrdersCreateRequest::silent_post()`
            B [orders/create preset test] preset removed: `OrdersCreateRequest::test()` is gone
            A [orders/list] new pager `Client::orders_list_pages` (`OrdersListPages`)
            B [refunds/list] pager `Client::refunds_list_pages` (`RefundsListPages`) removed
        "#
    );
}

#[test]
fn prose_and_provenance_are_docs_only() {
    case!(
        "docs_only",
        Bump::Patch,
        r#"
            D [] documentation: title changed (fr added); doc changed (en)
            D [Environment::Test] documentation: doc changed (en); source added (`vendor SDK`)
            D [ErrorCode] documentation: doc added
            D [ErrorCode::E001] documentation: doc changed (fr added)
            D [Order] documentation: doc changed (en); `_type` tag V1/Order -> V2/Order
            D [Order::id] documentation: doc added
            D [hook] documentation: summary changed (en)
            D [hook::Keys::password] documentation: doc changed (en)
            D [orders/create] documentation: summary changed (fr); description added; rules changed (1 -> 2); documented errors added `E002`; examples changed
            D [orders/create param amount] documentation: doc changed (en)
            D [orders/create param reference] documentation: now recommended; unverified note added
        "#
    );
}

#[test]
fn the_report_groups_by_kind_and_names_the_bump() {
    let (old, new) = fixture!("retry");
    let mut changes = compare(&old, &new);
    let (old, new) = fixture!("docs_only");
    changes.extend(compare(&old, &new).into_iter().take(1));
    assert_eq!(
        report("v1.0", &changes),
        "# Spec changes from v1.0 to the working tree\n\
         \n\
         ## Breaking (1)\n\
         \n\
         - **shop** `payments/create`: retry `never` -> `safe`: the client may now resend a call that was sent at most once\n\
         \n\
         ## Additive (1)\n\
         \n\
         - **shop** `payments/get`: retry `safe` -> `never`: the call is now sent at most once, never retried\n\
         \n\
         ## Docs only (1)\n\
         \n\
         - **shop** (module): documentation: title changed (fr added); doc changed (en)\n\
         \n\
         Semver bump: **major** (1 breaking, 1 additive, 1 docs-only)\n"
    );
    let param = Change {
        kind: A,
        api: "shop".into(),
        item: "orders/create param billing.city".into(),
        what: "x".into(),
    };
    assert_eq!(
        param.line(),
        "**shop** `orders/create` param `billing.city`: x"
    );
    assert_eq!(Bump::of(&changes[1..2]), Bump::Minor);
    assert_eq!(Bump::of(&changes[2..]), Bump::Patch);
}
