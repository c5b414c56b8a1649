//! Amounts tied to their currency's minor units, through the generated `Currency` enum.

use payspec::lyra::Currency;
use payspec::runtime::MoneyError;

#[test]
fn each_currency_knows_its_digits() {
    let table = [
        (Currency::Xpf, 953, 0, 30050, "30050"),
        (Currency::Jpy, 392, 0, 1500, "1500"),
        (Currency::Eur, 978, 2, 30050, "300.50"),
        (Currency::Usd, 840, 2, 5, "0.05"),
        (Currency::Kwd, 414, 3, 1234, "1.234"),
        (Currency::Tnd, 788, 3, 1000, "1.000"),
    ];
    for (currency, numeric, digits, minor, text) in table {
        assert_eq!(currency.numeric(), Some(numeric), "{currency}");
        assert_eq!(currency.digits(), Some(digits), "{currency}");
        assert_eq!(
            currency.format_amount(minor).as_deref(),
            Ok(text),
            "{currency}"
        );
        assert_eq!(currency.parse_amount(text), Ok(minor), "{currency}");
    }
}

#[test]
fn too_many_fraction_digits_are_refused_not_rounded() {
    assert!(matches!(
        Currency::Eur.parse_amount("300.505"),
        Err(MoneyError::TooPrecise { digits: 2, .. })
    ));
    assert!(matches!(
        Currency::Xpf.parse_amount("300.5"),
        Err(MoneyError::TooPrecise { digits: 0, .. })
    ));
    assert_eq!(
        Currency::Xpf.parse_amount("300.000"),
        Ok(300),
        "zeros add no precision"
    );
    assert!(matches!(
        Currency::Kwd.parse_amount("1.2345"),
        Err(MoneyError::TooPrecise { digits: 3, .. })
    ));
    assert!(matches!(
        Currency::Eur.parse_amount("-1"),
        Err(MoneyError::Malformed(_))
    ));
}

#[test]
fn an_unknown_currency_has_no_digits() {
    let unknown = Currency::from_wire_lossy("ZZZ");
    assert_eq!(unknown.digits(), None);
    assert_eq!(unknown.format_amount(100), Err(MoneyError::UnknownDigits));
    assert_eq!(unknown.parse_amount("1"), Err(MoneyError::UnknownDigits));
}
