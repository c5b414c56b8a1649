//! The chapter "Testing your integration" of each API: in rustdoc as the module doc of
//! `<api>/sandbox.rs`, in the Markdown pages as `docs/{en,fr}/<api>/testing.md`. One text in
//! two languages and two forms, with one complete example built from the spec: a real call of
//! an operation with its spec example request, then a scripted documented error.

use super::text::{Lang, code};
use crate::ir::*;
use crate::naming::unraw;
use crate::spec::RetrySafety;

/// Where the chapter is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The module doc of `sandbox.rs`: intra-doc links, the example runs as a doctest.
    Rustdoc,
    /// A Markdown page: plain code spans, the example as the test a user writes.
    Markdown,
}

/// The operation the example calls and its request expression: the first operation whose
/// spec example request builds a request that passes `validate()` and that needs no record
/// in the sandbox (a read, a change or a derive of a resource answers `missing` in a fresh
/// sandbox).
pub fn example_operation(api: &ApiIr) -> Option<(&OperationIr, String)> {
    api.operations
        .iter()
        .filter(|op| {
            op.sandbox
                .as_ref()
                .is_none_or(|rule| rule.action == crate::spec::ResourceAction::Create)
        })
        .find_map(|op| super::rust::example_request(api, op).map(|r| (op, r)))
}

/// The code the example scripts for `op` and how it asserts the caller sees it (the two
/// sides of its `assert_eq!`): the first error the operation documents, else the code of the
/// API's "invalid request" answer, else a bare HTTP status.
fn scripted_error(api: &ApiIr, op: &OperationIr) -> (String, (String, String)) {
    let module = &api.module;
    let documented = op
        .errors
        .first()
        .map(|(wire, variant)| (wire.clone(), variant.clone()))
        .or_else(|| api.sandbox.invalid.code.clone().map(|c| (c, None)));
    match documented {
        Some((wire, variant)) => {
            let fault = format!("Fault::error({wire:?})");
            let check = match (&api.error_codes, variant) {
                (Some(codes), Some(variant)) => (
                    "error.api_error().map(|e| &e.code)".to_owned(),
                    format!(
                        "Some(&payspec::{module}::{}::{})",
                        unraw(codes),
                        unraw(&variant)
                    ),
                ),
                (Some(_), None) => (
                    "error.api_error().map(|e| e.code.to_string())".to_owned(),
                    format!("Some({wire:?}.to_owned())"),
                ),
                (None, _) => (
                    "error.api_error().map(|e| e.code.as_str())".to_owned(),
                    format!("Some({wire:?})"),
                ),
            };
            (fault, check)
        }
        None => {
            let status = if api.sandbox.invalid.status >= 400 {
                api.sandbox.invalid.status
            } else {
                400
            };
            (
                format!("Fault::Status({status})"),
                ("error.http_status()".to_owned(), format!("Some({status})")),
            )
        }
    }
}

/// `assert_eq!(left, right);` on one line when it fits the example's box, else one side a
/// line, as rustfmt writes it. Not laid out by prettyplease, which prints a macro's
/// arguments as the tokens come (`map(| e | & e.code)`).
fn assert_eq_lines(left: &str, right: &str) -> Vec<String> {
    let line = format!("assert_eq!({left}, {right});");
    if 4 + line.len() <= super::source::WIDTH - 4 {
        return vec![line];
    }
    vec![
        "assert_eq!(".to_owned(),
        format!("    {left},"),
        format!("    {right}"),
        ");".to_owned(),
    ]
}

/// The lines of the example's body, hidden lines (`# `) included: start, one real call, one
/// scripted error and its check, the request log.
fn example_body(api: &ApiIr, lang: Lang) -> Vec<String> {
    let module = &api.module;
    let fr = lang == Lang::Fr;
    let example = example_operation(api);
    let mut lines = if example.is_some() {
        vec![
            format!("use payspec::{module}::sandbox::{{Operation, Sandbox}};"),
            "use payspec::runtime::sandbox::Fault;".to_owned(),
        ]
    } else {
        vec![format!("use payspec::{module}::sandbox::Sandbox;")]
    };
    lines.extend([
        String::new(),
        if fr {
            "// Un serveur local sur un port éphémère, et un vrai client pointé dessus."
        } else {
            "// A loopback server on an ephemeral port, and a real client pointed at it."
        }
        .to_owned(),
        "let sandbox = Sandbox::start().await;".to_owned(),
        "let client = sandbox.client();".to_owned(),
    ]);
    let Some((op, request)) = example else {
        lines.push("# drop(client);".to_owned());
        return lines;
    };
    let variant = super::sandbox::operation_variant(op);
    let method = unraw(&op.method_name);
    let (fault, (left, right)) = scripted_error(api, op);
    lines.extend(super::rust::wrapped(&[format!("let request = {request};")]));
    lines.extend([
        if fr {
            "// Vérifié comme le ferait l'API (identifiants, requête), réponse tirée de l'exemple de la spécification."
        } else {
            "// Checked as the API would (credentials, request), answered from the spec's example."
        }
        .to_owned(),
        format!("client.{method}(&request).await?;"),
        String::new(),
        if fr {
            "// L'appel suivant reçoit une erreur documentée."
        } else {
            "// The next call gets a documented error."
        }
        .to_owned(),
        format!("sandbox.on(Operation::{variant}).respond({fault});"),
        format!("let error = client.{method}(&request).await.unwrap_err();"),
    ]);
    lines.extend(assert_eq_lines(&left, &right));
    lines.extend([
        String::new(),
        if fr {
            "// Tout ce que le sandbox a reçu, dans l'ordre."
        } else {
            "// Everything the sandbox received, in order."
        }
        .to_owned(),
        "let sent = sandbox.requests();".to_owned(),
        "assert_eq!(sent.len(), 2);".to_owned(),
        format!("assert_eq!(sent[0].operation, Some({:?}));", op.id),
        format!(
            "assert!(sent[0].request::<payspec::{module}::{}>().is_some());",
            unraw(&op.request)
        ),
    ]);
    lines
}

/// The example as a doctest (fences included): the body in a current-thread runtime.
pub fn doctest(api: &ApiIr) -> Vec<String> {
    let mut lines = vec![
        "```".to_owned(),
        "# tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {"
            .to_owned(),
    ];
    lines.extend(example_body(api, Lang::En));
    lines.extend([
        "# Ok::<(), Box<dyn std::error::Error>>(())".to_owned(),
        "# })?;".to_owned(),
        "# Ok::<(), Box<dyn std::error::Error>>(())".to_owned(),
        "```".to_owned(),
    ]);
    lines
}

/// The example as the test a user writes (fences included), for the Markdown pages.
fn markdown_test(api: &ApiIr, lang: Lang) -> Vec<String> {
    let mut lines = vec![
        "```rust,ignore".to_owned(),
        "#[tokio::test]".to_owned(),
        format!(
            "async fn {}_in_the_sandbox() -> Result<(), Box<dyn std::error::Error>> {{",
            api.module
        ),
    ];
    for line in example_body(api, lang) {
        if line.starts_with("# ") {
            continue;
        }
        lines.push(if line.is_empty() {
            line
        } else {
            format!("    {line}")
        });
    }
    lines.extend(["    Ok(())".to_owned(), "}".to_owned(), "```".to_owned()]);
    lines
}

/// `[`name`]` in rustdoc (an intra-doc link), `` `name` `` in Markdown.
fn item(target: Target, name: &str) -> String {
    match target {
        Target::Rustdoc => format!("[`{name}`]"),
        Target::Markdown => format!("`{name}`"),
    }
}

/// The chapter's lines (Markdown), from its title to the vendor's test mode. `test_mode` is
/// the API's `auth_doc` text in the page's language, already made safe for the target.
pub fn chapter(
    api: &ApiIr,
    lang: Lang,
    target: Target,
    test_mode: Option<Vec<String>>,
) -> Vec<String> {
    let module = &api.module;
    let fr = lang == Lang::Fr;
    let (h1, h2) = ("#", "##");
    let start = item(target, "Sandbox::start");
    let client = item(target, "Sandbox::client");
    let config = item(target, "Sandbox::config");
    let credentials = item(target, "Sandbox::credentials");
    let on = item(target, "Sandbox::on");
    let requests = item(target, "Sandbox::requests");
    let operation = item(target, "Operation");
    let mut lines = vec![
        format!(
            "{h1} {}",
            if fr {
                "Tester votre intégration"
            } else {
                "Testing your integration"
            }
        ),
        String::new(),
    ];
    let p = |lines: &mut Vec<String>, text: String| {
        lines.push(text);
        lines.push(String::new());
    };
    // Enabling.
    p(
        &mut lines,
        format!(
            "{h2} {}",
            if fr {
                "Activer le sandbox"
            } else {
                "Enabling the sandbox"
            }
        ),
    );
    p(
        &mut lines,
        if fr {
            format!(
                "Le sandbox hors ligne de l'API est `payspec::{module}::sandbox`, derrière la feature cargo `test-util` : activez-la pour vos tests seulement, en dépendance de développement (la même `payspec` que dans `[dependencies]`), avec un runtime tokio pour les tests :"
            )
        } else {
            format!(
                "The offline sandbox of the API is `payspec::{module}::sandbox`, behind the cargo feature `test-util`: turn it on for your tests only, as a dev-dependency (the same `payspec` as in `[dependencies]`), with a tokio runtime for the tests:"
            )
        },
    );
    lines.extend([
        "```toml".to_owned(),
        "[dev-dependencies]".to_owned(),
        format!(
            "payspec = {{ git = \"…\", default-features = false, features = [\"{module}\", \"test-util\"] }}"
        ),
        "tokio = { version = \"1\", features = [\"rt\", \"macros\"] }".to_owned(),
        "```".to_owned(),
        String::new(),
    ]);
    // Starting.
    p(
        &mut lines,
        format!(
            "{h2} {}",
            if fr {
                "Démarrer le sandbox et y pointer le client"
            } else {
                "Starting it and pointing the client at it"
            }
        ),
    );
    p(
        &mut lines,
        if fr {
            format!(
                "{start} lance un serveur HTTP local sur un port éphémère de `127.0.0.1`, dans le runtime tokio du test, et {client} donne un vrai client pointé dessus avec les identifiants de test du sandbox ({credentials}) ; {config} donne sa configuration pour changer délais ou politique de nouvelles tentatives avant de construire le client. Votre code testé parcourt tout son chemin (URL, authentification, encodage, délais, nouvelles tentatives, décodage), ce qu'un faux en mémoire sauterait. Ni réseau, ni service externe ; le sandbox s'arrête quand il est libéré."
            )
        } else {
            format!(
                "{start} runs a loopback HTTP server on an ephemeral port of `127.0.0.1`, in the test's tokio runtime, and {client} gives a real client pointed at it with the sandbox's test credentials ({credentials}); {config} gives its configuration, to change timeouts or the retry policy before building a client. Your code under test runs its whole path (URLs, authentication, encoding, timeouts, retries, decoding), which an in-process fake would skip. No network, no external service; the sandbox stops when dropped."
            )
        },
    );
    // What it checks.
    p(
        &mut lines,
        format!(
            "{h2} {}",
            if fr {
                "Ce qu'il vérifie"
            } else {
                "What it checks"
            }
        ),
    );
    let invalid = describe_answer(&api.sandbox.invalid, lang);
    let unauthorised = describe_answer(&api.sandbox.unauthorised, lang);
    let idempotency = match &api.idempotency {
        Some(i) => {
            if fr {
                format!(
                    " ; la clé d'idempotence (en-tête {}) là où l'opération en prend une",
                    code(&i.header)
                )
            } else {
                format!(
                    "; the idempotency key (header {}) where the operation takes one",
                    code(&i.header)
                )
            }
        }
        None => String::new(),
    };
    p(
        &mut lines,
        if fr {
            format!(
                "Chaque opération de la spécification est routée par méthode et chemin, et chaque requête est vérifiée comme le ferait l'API : les identifiants de test (sinon {unauthorised}){idempotency} ; puis la requête, décodée dans son type et validée par le même `validate()` que le client (champs requis, contraintes, énumérations). Une violation reçoit {invalid}, dans la forme d'erreur de l'API : une requête fausse échoue dans votre test, pas en production. Un succès est la réponse d'exemple de l'opération dans la spécification (ou un objet vide), avec les valeurs de votre requête là où les noms correspondent."
            )
        } else {
            format!(
                "Every operation of the spec is routed by method and path, and each request is checked as the API would check it: the test credentials (otherwise {unauthorised}){idempotency}; then the request, decoded into its type and validated by the same `validate()` the client runs (required fields, constraints, enums). A violation gets {invalid}, in the API's own error shape: a wrong request fails in your test, not in production. A success is the operation's example answer from the spec (or an empty object), with your request's values where names match."
            )
        },
    );
    // Scripting.
    p(
        &mut lines,
        format!(
            "{h2} {}",
            if fr {
                "Scénariser des pannes"
            } else {
                "Scripting faults"
            }
        ),
    );
    p(
        &mut lines,
        if fr {
            format!(
                "`sandbox.on(Operation::X).respond(fault)` ({on}, {operation}) fait répondre le prochain appel de l'opération par la panne ; `.next(n)` les `n` prochains. Les pannes (`payspec::runtime::sandbox::Fault`) : `Fault::error(code)`, une erreur documentée dans la forme d'erreur de l'API, que votre code voit comme `Error::Api` avec ce code ; `Fault::Status(503)`, un statut sans corps, que le client retente si l'opération le permet ; `Fault::Timeout`, aucune réponse, jusqu'au délai du client ; `Fault::Reset`, la connexion fermée après lecture de la requête ; `Fault::Slow(durée)`, la réponse normale en retard ; `Fault::Body {{ status, body }}`, une réponse donnée."
            )
        } else {
            format!(
                "`sandbox.on(Operation::X).respond(fault)` ({on}, {operation}) makes the next call of the operation answer with the fault; `.next(n)` the next `n`. The faults (`payspec::runtime::sandbox::Fault`): `Fault::error(code)`, a documented error in the API's error shape, which your code sees as `Error::Api` with that code; `Fault::Status(503)`, a status with no body, which the client retries where the operation allows it; `Fault::Timeout`, no answer, until the client's timeout; `Fault::Reset`, the connection closed after the request was read; `Fault::Slow(duration)`, the normal answer, late; `Fault::Body {{ status, body }}`, a given answer."
            )
        },
    );
    if let Some(once) = api
        .operations
        .iter()
        .find(|o| o.retry == RetrySafety::Never)
    {
        let variant = super::sandbox::operation_variant(once);
        p(
            &mut lines,
            if fr {
                format!(
                    "Une opération envoyée au plus une fois (sans clé d'idempotence, jamais retentée), comme {}, qui reçoit `Fault::Reset` ou `Fault::Timeout` donne une erreur dont `error.is_outcome_unknown()` est vrai : l'API a pu l'exécuter ou non, et votre code doit vérifier avant de recommencer. `sandbox.on(Operation::{variant}).respond(Fault::Reset)` teste ce chemin.",
                    code(&once.id)
                )
            } else {
                format!(
                    "An operation sent at most once (no idempotency key, never retried), such as {}, that gets `Fault::Reset` or `Fault::Timeout` fails with an error whose `error.is_outcome_unknown()` is true: the API may or may not have carried it out, and your code must check before trying again. `sandbox.on(Operation::{variant}).respond(Fault::Reset)` tests that path.",
                    code(&once.id)
                )
            },
        );
    }
    if let Some(keyed) = api
        .operations
        .iter()
        .find(|o| o.retry == RetrySafety::Keyed)
    {
        let variant = super::sandbox::operation_variant(keyed);
        p(
            &mut lines,
            if fr {
                format!(
                    "Une opération à clé d'idempotence, comme {}, est retentée avec la même clé : `Fault::Reset` et `Fault::Timeout` arrivent après que le bac à sable a exécuté l'appel (une réponse perdue en route), et la tentative suivante reçoit la réponse gardée pour cette clé — un seul paiement, jamais deux ; {} montre les tentatives, avec la même clé. Pour atteindre `error.is_outcome_unknown()`, donnez la panne à chaque tentative de la politique de reprise (`RetryPolicy`, 3 tentatives par défaut) : `sandbox.on(Operation::{variant}).next(3).respond(Fault::Reset)`.",
                    code(&keyed.id),
                    requests
                )
            } else {
                format!(
                    "An operation with an idempotency key, such as {}, is retried with the same key: `Fault::Reset` and `Fault::Timeout` come after the sandbox carried out the call (an answer lost on the way), and the next attempt gets the answer kept for that key — one payment, never two; {} shows the attempts, with the same key. To reach `error.is_outcome_unknown()`, give the fault to every attempt of the retry policy (`RetryPolicy`, 3 attempts by default): `sandbox.on(Operation::{variant}).next(3).respond(Fault::Reset)`.",
                    code(&keyed.id),
                    requests
                )
            },
        );
    }
    // Reading back.
    p(
        &mut lines,
        format!(
            "{h2} {}",
            if fr {
                "Relire ce qui a été envoyé"
            } else {
                "Reading what was sent"
            }
        ),
    );
    p(
        &mut lines,
        if fr {
            format!(
                "{requests} rend chaque requête reçue, dans l'ordre : l'opération reconnue (`operation`), la méthode, le chemin, les en-têtes (`header(nom)`), le corps brut, et `request::<XxxRequest>()` la requête décodée dans son type."
            )
        } else {
            format!(
                "{requests} gives every request received, in order: the operation matched (`operation`), the method, the path, the headers (`header(name)`), the raw body, and `request::<XxxRequest>()` the request decoded into its type."
            )
        },
    );
    // Signing.
    if !api.notifications.is_empty() {
        p(
            &mut lines,
            format!(
                "{h2} {}",
                if fr {
                    "Signer une notification"
                } else {
                    "Signing a notification"
                }
            ),
        );
        let helpers: Vec<String> = api
            .notifications
            .iter()
            .map(|n| {
                let name = format!("sign_{}", n.module);
                match target {
                    Target::Rustdoc => format!("[`{name}`]"),
                    Target::Markdown => format!("`{name}`"),
                }
            })
            .collect();
        p(
            &mut lines,
            if fr {
                format!(
                    "{} signe un contenu typé avec une clé de test, dans le schéma que déclare la spécification : le corps et les en-têtes à envoyer au gestionnaire testé (`Signed::post(url)` les poste) ; sa variante `_raw` signe un texte JSON tel quel (une notification enregistrée, ou un contenu que votre gestionnaire doit refuser une fois la signature vérifiée). Le deuxième argument est le nom de la clé que déclare la spécification, le troisième son secret. Le vérificateur du SDK accepte exactement cela ; un octet changé et il refuse : testez aussi une notification falsifiée.",
                    helpers.join(", ")
                )
            } else {
                format!(
                    "{} signs a typed payload with a test key, in the scheme the spec declares: the body and headers to send to the handler under test (`Signed::post(url)` posts them); its `_raw` sibling signs JSON text as it is (a recorded notification, or a payload your handler must refuse once the signature holds). The second argument is the name of the key as the spec declares it, the third its secret. The SDK's verifier accepts exactly that; one changed byte and it refuses it: test a forged notification too.",
                    helpers.join(", ")
                )
            },
        );
    }
    // The example.
    p(
        &mut lines,
        format!(
            "{h2} {}",
            if fr {
                "Un test complet"
            } else {
                "A complete test"
            }
        ),
    );
    match (example_operation(api), lang) {
        (Some((op, _)), Lang::Fr) => p(
            &mut lines,
            format!(
                "Démarrer, appeler {} avec la requête d'exemple de la spécification, scénariser une erreur documentée, la vérifier, relire le journal :",
                code(&op.id)
            ),
        ),
        (Some((op, _)), Lang::En) => p(
            &mut lines,
            format!(
                "Start, call {} with the spec's example request, script a documented error, check it, read the log:",
                code(&op.id)
            ),
        ),
        (None, Lang::Fr) => p(
            &mut lines,
            "Démarrer le sandbox et construire le client :".to_owned(),
        ),
        (None, Lang::En) => p(
            &mut lines,
            "Start the sandbox and build the client:".to_owned(),
        ),
    }
    lines.extend(match target {
        Target::Rustdoc => doctest(api),
        Target::Markdown => markdown_test(api, lang),
    });
    // The vendor's test mode.
    if let Some(text) = test_mode {
        lines.push(String::new());
        lines.push(format!(
            "{h1} {}",
            if fr {
                "Le mode test de l'API"
            } else {
                "The vendor's test mode"
            }
        ));
        lines.push(String::new());
        lines.extend(text);
    }
    lines
}

/// "the code `X` (HTTP 401)" or "HTTP 422".
fn describe_answer(a: &SandboxAnswerIr, lang: Lang) -> String {
    match (&a.code, lang) {
        (Some(c), Lang::Fr) => format!("le code {} (HTTP {})", code(c), a.status),
        (Some(c), Lang::En) => format!("the code {} (HTTP {})", code(c), a.status),
        (None, Lang::Fr) => format!("la réponse HTTP {} documentée", a.status),
        (None, Lang::En) => format!("the documented HTTP {} answer", a.status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example's check is one line when it fits its box (four columns in, four to
    /// spare), else one side a line, spaced as written: never a macro's arguments as
    /// prettyplease prints their tokens.
    #[test]
    fn the_examples_check_is_written_as_rustfmt_writes_it() {
        let right = "Some(&payspec::shop::ErrorCode::E001)";
        let fits = |left: &str| format!("assert_eq!({left}, {right});").len() + 4 <= 85;
        let mut left = String::from("error.code()");
        while fits(&format!("{left}x")) {
            left.push('x');
        }
        assert_eq!(
            assert_eq_lines(&left, right),
            [format!("assert_eq!({left}, {right});")]
        );
        left.push('x');
        assert_eq!(
            assert_eq_lines(&left, right),
            [
                "assert_eq!(".to_owned(),
                format!("    {left},"),
                format!("    {right}"),
                ");".to_owned(),
            ]
        );
    }
}
