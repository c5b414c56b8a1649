//! "Getting started" for each API: the dependency line, a client, one real call and the
//! handling of its error. One example, two forms: in rustdoc it is the crate root's quick start
//! for the API and runs as a doctest against a loopback server (hidden lines); in the Markdown
//! pages (`docs/{en,fr}/<api>/getting-started.md`) it is the same code without the hidden
//! lines, so the page shows code that compiles and runs.

use super::text::Lang;
use crate::ir::*;
use crate::naming::unraw;

/// The example, hidden lines (`# `) included: a client, the call of an operation (a creation
/// if there is one) whose spec example builds a valid request (its optional fields included;
/// else the first whose required values can be made up), and a `match` on the outcome telling a refusal by the API
/// from an unknown outcome and the other errors. `None` for an API with no such operation.
pub fn example(api: &ApiIr) -> Option<Vec<String>> {
    example_in(api, Lang::En)
}

/// [`example`] with its comments in `lang`.
fn example_in(api: &ApiIr, lang: Lang) -> Option<Vec<String>> {
    // A first call is usually a creation: operations the sandbox models as creating a record,
    // then those named as creating, then any; each time one with a spec example first, else
    // one whose request can be made up.
    let creates = |op: &&OperationIr| {
        op.sandbox
            .as_ref()
            .is_some_and(|rule| rule.action == crate::spec::ResourceAction::Create)
    };
    let named = |op: &&OperationIr| op.id.to_ascii_lowercase().contains("create");
    let with_example = |op: &&OperationIr| !op.examples.is_empty();
    let ops = &api.operations;
    ops.iter()
        .filter(creates)
        .filter(with_example)
        .chain(ops.iter().filter(named).filter(with_example))
        .chain(ops.iter().filter(with_example))
        .chain(ops)
        .find_map(|op| super::rust::call_example(api, op, &outcome_match(op, lang)))
}

/// The statement that makes the call and handles each outcome.
fn outcome_match(op: &OperationIr, lang: Lang) -> String {
    let method = unraw(&op.method_name);
    let [unknown, refused, other] = match lang {
        Lang::En => [
            "The call may have been carried out: look it up before sending it again.",
            "Refused by the API: its code and message.",
            "An invalid request (nothing sent), a transport failure, an undecodable answer.",
        ],
        Lang::Fr => [
            "L'appel a peut-être été exécuté : le vérifier avant de le renvoyer.",
            "Refusé par l'API : son code et son message.",
            "Requête invalide (rien d'envoyé), échec de transport, réponse indécodable.",
        ],
    };
    format!(
        "match client.{method}(&request).await {{
    Ok(answer) => println!(\"{{answer:?}}\"),
    // {unknown}
    Err(error) if error.is_outcome_unknown() => eprintln!(\"outcome unknown: {{error}}\"),
    Err(error) => match error.api_error() {{
        // {refused}
        Some(refusal) => eprintln!(\"refused: {{}} ({{}})\", refusal.code, refusal.message),
        // {other}
        None => return Err(error.into()),
    }},
}}"
    )
}

/// `getting-started.md` of the API in `lang`.
pub fn page(api: &ApiIr, lang: Lang, title: &str) -> String {
    let module = &api.module;
    let other = match lang {
        Lang::En => "fr",
        Lang::Fr => "en",
    };
    let mut out = Vec::new();
    let (heading, back, other_lang) = match lang {
        Lang::En => ("Getting started", "Back to the API", "Version française"),
        Lang::Fr => ("Premiers pas", "Retour à l'API", "English version"),
    };
    out.push(format!("# {heading}: {title}"));
    out.push(String::new());
    out.push(format!(
        "[{back}](index.md) · [{other_lang}](../../{other}/{module}/getting-started.md)"
    ));
    out.push(String::new());
    out.push(
        match lang {
            Lang::En => "## The dependency",
            Lang::Fr => "## La dépendance",
        }
        .to_owned(),
    );
    out.push(String::new());
    out.push(match lang {
        Lang::En => format!(
            "The crate's default features build every API; `default-features = false` with the \
             feature `{module}` builds this one alone. The client is async: your application \
             brings a tokio runtime."
        ),
        Lang::Fr => format!(
            "Les features par défaut de la crate compilent toutes les API ; \
             `default-features = false` avec la feature `{module}` ne compile que celle-ci. Le \
             client est asynchrone : votre application fournit un runtime tokio."
        ),
    });
    out.push(String::new());
    out.push("```toml".to_owned());
    out.push("[dependencies]".to_owned());
    out.push(format!(
        "payspec = {{ git = \"…\", default-features = false, features = [\"{module}\"] }}"
    ));
    out.push(
        "tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }".to_owned(),
    );
    out.push("```".to_owned());
    out.push(String::new());
    out.push(
        match lang {
            Lang::En => "## A client, a call, its errors",
            Lang::Fr => "## Un client, un appel, ses erreurs",
        }
        .to_owned(),
    );
    out.push(String::new());
    out.push(match lang {
        Lang::En => "The client is built once from an environment and credentials, and shared \
                     (it is cheap to clone). Each operation takes its request type, built from \
                     its required fields with chained setters for the others; the request is \
                     checked against the spec before anything is sent. An error tells a refusal \
                     by the API (`api_error()`, with the API's code) from an unknown outcome \
                     (`is_outcome_unknown()`: the call may have been carried out) and from the \
                     rest (an invalid request, a transport failure, an answer that does not \
                     decode)."
            .to_owned(),
        Lang::Fr => "Le client se construit une fois, à partir d'un environnement et \
                     d'identifiants, et se partage (le cloner ne coûte presque rien). Chaque \
                     opération prend son type de requête, construit à partir de ses champs \
                     obligatoires, les autres par des setters chaînés ; la requête est vérifiée \
                     selon la spec avant tout envoi. Une erreur distingue un refus de l'API \
                     (`api_error()`, avec le code de l'API) d'une issue inconnue \
                     (`is_outcome_unknown()` : l'appel a peut-être été exécuté) et du reste \
                     (requête invalide, échec de transport, réponse qui ne se décode pas)."
            .to_owned(),
    });
    out.push(String::new());
    match example_in(api, lang) {
        Some(lines) => {
            out.push("```rust,ignore".to_owned());
            out.extend(visible(&lines));
            out.push("```".to_owned());
        }
        None => out.push(
            match lang {
                Lang::En => "No operation of the spec has an example to show here yet.",
                Lang::Fr => "Aucune opération de la spec n'a encore d'exemple à montrer ici.",
            }
            .to_owned(),
        ),
    }
    out.push(String::new());
    out.push(match lang {
        Lang::En => "Next: every operation and its errors in [the API's index](index.md), and \
                     [testing your integration](testing.md) with the offline sandbox."
            .to_owned(),
        Lang::Fr => "Ensuite : chaque opération et ses erreurs dans [l'index de l'API](index.md), \
                     et [tester votre intégration](testing.md) avec le sandbox hors ligne."
            .to_owned(),
    });
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// The lines of a rustdoc example a reader sees: hidden lines (`# …`, a lone `#`) dropped,
/// the fences left out.
pub fn visible(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.starts_with("```"))
        .filter(|l| l.as_str() != "#" && !l.starts_with("# "))
        .cloned()
        .collect()
}
