//! Every enumeration of the four APIs: serde, `FromStr`, `Display`, `as_str`, `parse_known`
//! and `TryFrom<&str>` agree on every listed value; an unknown text is an error naming the
//! enum and the text for a closed enum, and a kept unknown value (told apart by `is_known`)
//! for an open one.

use payspec::runtime::{EnumVisitor, UnknownVariant, WireEnum};

/// Checks one enumeration and counts what it checked.
#[derive(Debug, Default)]
struct Table {
    enums: Vec<&'static str>,
    values: usize,
}

/// A text no enumeration lists (nor any API would send: it has a space and a typo).
const BOGUS: &str = "EURO ";

impl EnumVisitor for Table {
    fn visit<E: WireEnum>(&mut self) {
        let name = E::NAME;
        assert!(
            !self.enums.contains(&name),
            "{name} visited twice in one API"
        );
        self.enums.push(name);
        assert!(!E::known().is_empty(), "{name} lists no value");
        for value in E::known() {
            self.values += 1;
            let shown = value.to_string();
            let json = serde_json::to_value(value).unwrap();
            match value.wire() {
                Some(wire) => {
                    assert_eq!(shown, wire, "{name}: Display and the wire text differ");
                    assert_eq!(
                        json,
                        serde_json::Value::String(wire.to_owned()),
                        "{name}: serde and the wire text differ"
                    );
                }
                None => {
                    assert_eq!(shown, "null", "{name}: the null value shows as `null`");
                    assert_eq!(json, serde_json::Value::Null, "{name}: serde of null");
                }
            }
            let back: E = serde_json::from_value(json).unwrap();
            assert_eq!(&back, value, "{name}: serde round trip of `{shown}`");
            let parsed: Option<E> = shown.parse().ok();
            assert_eq!(parsed.as_ref(), Some(value), "{name}: FromStr of `{shown}`");
            assert_eq!(
                E::parse_known(&shown).as_ref(),
                Ok(value),
                "{name}: parse_known of `{shown}`"
            );
        }

        // A text that is not listed.
        let error = E::parse_known(BOGUS).unwrap_err();
        assert_eq!(
            error,
            UnknownVariant {
                enum_name: name,
                value: BOGUS.to_owned(),
                expected: error.expected,
            }
        );
        let listed: Vec<&str> = E::known().iter().filter_map(WireEnum::wire).collect();
        assert_eq!(error.expected, listed.as_slice(), "{name}: expected values");
        assert!(error.to_string().contains(name), "{error}");
        let json = serde_json::Value::String(BOGUS.to_owned());
        let decoded = serde_json::from_value::<E>(json.clone());
        let parsed = BOGUS.parse::<E>().ok();
        if E::OPEN {
            // Kept: decoding, parsing and writing it back give the same text.
            let decoded = decoded.unwrap();
            assert_eq!(parsed.as_ref(), Some(&decoded), "{name}: FromStr keeps it");
            assert_eq!(decoded.to_string(), BOGUS, "{name}: Display of the unknown");
            assert_eq!(serde_json::to_value(&decoded).unwrap(), json);
            assert!(
                !E::known().contains(&decoded),
                "{name}: unknown is not listed"
            );
        } else {
            assert!(decoded.is_err(), "{name}: serde refuses an unknown text");
            assert!(parsed.is_none(), "{name}: FromStr refuses an unknown text");
        }
    }
}

fn table_of(visit: fn(&mut Table)) -> Table {
    let mut table = Table::default();
    visit(&mut table);
    table
}

#[test]
fn serde_from_str_and_display_agree_on_every_value_of_every_enum() {
    let apis = [
        ("lyra", table_of(payspec::lyra::for_each_enum)),
        ("paysafe", table_of(payspec::paysafe::for_each_enum)),
        ("mollie", table_of(payspec::mollie::for_each_enum)),
        ("checkout", table_of(payspec::checkout::for_each_enum)),
    ];
    for (api, table) in &apis {
        // Every enum of the module, counted from the generated file itself.
        let source = std::fs::read_to_string(format!(
            "{}/../generated/src/{api}/enums.rs",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let declared = source.matches("\npub enum ").count();
        assert_eq!(table.enums.len(), declared, "{api}: {:?}", table.enums);
        assert!(table.values > 0, "{api}");
    }
}

#[test]
fn a_typo_is_an_error_for_a_closed_enum_and_a_kept_unknown_for_an_open_one() {
    use payspec::lyra::Currency;
    // Currency is open: FromStr keeps the typo, which `is_known` tells apart.
    let kept: Currency = "EURO".parse().unwrap();
    assert_eq!(kept, Currency::Unknown("EURO".to_owned()));
    assert!(kept.is_unknown() && !kept.is_known());
    assert!("EUR".parse::<Currency>().unwrap().is_known());
    assert_eq!(Currency::from_wire_lossy("EURO"), kept);
    let error = Currency::parse_known("EURO").unwrap_err();
    assert_eq!(error.enum_name, "Currency");
    assert_eq!(error.value, "EURO");
    assert_eq!(Currency::try_from("EURO"), Err(error));
    assert_eq!(Currency::try_from("EUR"), Ok(Currency::Eur));
    // Wire values are exact: no case folding.
    assert!(Currency::parse_known("eur").is_err());
}

#[test]
fn a_closed_enum_refuses_an_unknown_text_by_name() {
    let mut closed = Vec::new();
    struct Closed<'a>(&'a mut Vec<String>);
    impl EnumVisitor for Closed<'_> {
        fn visit<E: WireEnum>(&mut self) {
            if !E::OPEN {
                let error = E::parse_known("no such value").unwrap_err();
                self.0.push(error.to_string());
            }
        }
    }
    payspec::lyra::for_each_enum(&mut Closed(&mut closed));
    payspec::paysafe::for_each_enum(&mut Closed(&mut closed));
    payspec::mollie::for_each_enum(&mut Closed(&mut closed));
    payspec::checkout::for_each_enum(&mut Closed(&mut closed));
    assert!(!closed.is_empty(), "the four APIs have closed enums");
    for message in &closed {
        assert!(
            message.starts_with("`no such value` is not a value of "),
            "{message}"
        );
    }
}

/// Every enum decodes from JSON through the runtime's `decode_enum`: its listed wire texts give
/// their values; another text is a kept unknown value (open) or an error naming the enum and
/// every listed text (closed); `null` is the value whose wire form is `null`, or an error
/// naming the enum.
#[test]
fn every_enum_decodes_its_texts_and_null_and_refuses_the_others_by_name() {
    struct Decode(usize);
    impl EnumVisitor for Decode {
        fn visit<E: WireEnum>(&mut self) {
            let listed: Vec<&str> = E::known().iter().filter_map(WireEnum::wire).collect();
            for value in E::known() {
                let json = match value.wire() {
                    Some(text) => serde_json::Value::from(text),
                    None => serde_json::Value::Null,
                };
                let decoded: E = serde_json::from_value(json).unwrap();
                assert_eq!(&decoded, value, "{}", E::NAME);
                self.0 += 1;
            }
            let other = serde_json::from_value::<E>(serde_json::json!("no such value"));
            if E::OPEN {
                let kept = other.unwrap();
                assert_eq!(kept.wire(), Some("no such value"), "{}", E::NAME);
            } else {
                assert_eq!(
                    other.unwrap_err().to_string(),
                    format!(
                        "unknown {} value `no such value`, expected one of: {}",
                        E::NAME,
                        listed.join(", ")
                    )
                );
            }
            let null = serde_json::from_value::<E>(serde_json::Value::Null);
            match E::known().iter().find(|v| v.wire().is_none()) {
                Some(value) => assert_eq!(&null.unwrap(), value, "{}", E::NAME),
                None => assert_eq!(
                    null.unwrap_err().to_string(),
                    format!("null is not a value of {}", E::NAME)
                ),
            }
        }
    }
    let mut decode = Decode(0);
    payspec::lyra::for_each_enum(&mut decode);
    payspec::paysafe::for_each_enum(&mut decode);
    payspec::mollie::for_each_enum(&mut decode);
    payspec::checkout::for_each_enum(&mut decode);
    assert!(decode.0 > 300, "{} values", decode.0);
}
