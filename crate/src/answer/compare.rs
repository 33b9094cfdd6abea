//! Structural comparison of an answer with the truth, and the explanation of a miss.

use super::literal::{parse, Literal};
use serde::{Deserialize, Serialize};

/// How the question wants the answer read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// Any Python literal; compared structurally.
    #[default]
    Literal,
    /// A whole number (decimal, or `0x`/`0o`/`0b`).
    Integer,
    /// A number the learner writes in hex (`0x43`, `43`): compared as a number.
    Hex,
    /// Yes or no (`True`, `yes`, `false`, `no`…).
    Boolean,
    /// One of the question's choices, or a short text (`form: text`), compared as text,
    /// case and spacing ignored.
    #[serde(alias = "text")]
    Choice,
}

impl Form {
    /// The form a lesson names (`literal`, `integer`, `hex`, `boolean`, `choice` or `text`), as
    /// serde reads it: the page's WebAssembly boundary reads requests without serde, so the one
    /// list of names lives here.
    pub fn from_name(name: &str) -> Option<Form> {
        match name {
            "literal" => Some(Form::Literal),
            "integer" => Some(Form::Integer),
            "hex" => Some(Form::Hex),
            "boolean" => Some(Form::Boolean),
            "choice" | "text" => Some(Form::Choice),
            _ => None,
        }
    }
}

/// A question's answer to check.
#[derive(Debug, Clone, Deserialize)]
pub struct Check {
    /// What the learner typed.
    pub answer: String,
    /// The truth, as Python shows it (a `repr` from the decoded document).
    pub expected: String,
    /// How to read both.
    #[serde(default)]
    pub form: Form,
    /// What the question asks about ("co_varnames"), used in explanations.
    #[serde(default)]
    pub subject: String,
}

/// Whether the answer is right, and if not, why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// True when the answer means the same as the truth.
    pub correct: bool,
    /// A sentence for the learner: what is wrong, or what made it right.
    pub explanation: String,
}

fn verdict(correct: bool, explanation: impl Into<String>) -> Verdict {
    Verdict { correct, explanation: explanation.into() }
}

/// Checks one answer.
pub fn check(c: &Check) -> Verdict {
    let subject = if c.subject.is_empty() { "the answer" } else { c.subject.as_str() };
    let answer = c.answer.trim();
    if answer.is_empty() {
        return verdict(false, "type an answer first");
    }
    match c.form {
        Form::Choice => {
            let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
            let ok = norm(answer) == norm(&c.expected);
            verdict(ok, if ok { "right".to_string() } else { format!("not this one: {subject} is something else") })
        }
        Form::Boolean => {
            let truth = matches!(c.expected.trim(), "True" | "true" | "yes");
            match as_bool(answer) {
                Some(b) if b == truth => verdict(true, "right"),
                Some(_) => verdict(false, format!("{subject} is {}", if truth { "true" } else { "false" })),
                None => verdict(false, "answer yes or no (True or False)"),
            }
        }
        Form::Integer | Form::Hex => {
            let read = |s: &str| -> Option<i128> {
                let t = s.trim().replace('_', "").to_ascii_lowercase();
                let (neg, t) = t.strip_prefix('-').map_or((false, t.as_str()), |r| (true, r));
                let v = if let Some(h) = t.strip_prefix("0x") {
                    i128::from_str_radix(h, 16).ok()?
                } else if let Some(o) = t.strip_prefix("0o") {
                    i128::from_str_radix(o, 8).ok()?
                } else if let Some(b) = t.strip_prefix("0b") {
                    i128::from_str_radix(b, 2).ok()?
                } else if c.form == Form::Hex {
                    i128::from_str_radix(t, 16).ok()?
                } else {
                    t.parse().ok()?
                };
                Some(if neg { -v } else { v })
            };
            match (read(answer), read(&c.expected)) {
                (Some(a), Some(e)) if a == e => verdict(true, "right"),
                (Some(a), Some(e)) if c.form == Form::Hex => {
                    verdict(false, format!("{subject} is not {a:#x}; compare bit by bit (it differs in {:#x})", a ^ e))
                }
                (Some(a), Some(e)) => {
                    verdict(false, format!("{subject} is {} than {a}", if e > a { "more" } else { "less" }))
                }
                (None, _) => verdict(false, "that is not a whole number"),
                (Some(_), None) => verdict(false, "this question has no numeric answer to compare with"),
            }
        }
        Form::Literal => literal(answer, &c.expected, subject),
    }
}

fn as_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

fn literal(answer: &str, expected: &str, subject: &str) -> Verdict {
    let truth = match parse(expected) {
        Ok(t) => t,
        // A truth that is no literal (e.g. a code object's repr) is compared as text.
        Err(_) => {
            let ok = answer.split_whitespace().eq(expected.split_whitespace());
            return verdict(ok, if ok { "right".to_string() } else { format!("{subject} is shown differently") });
        }
    };
    let given = match parse(answer) {
        Ok(g) => g,
        // print() shows a str without quotes: accept the bare text.
        Err(_) if matches!(truth, Literal::Str(ref s) if s == answer) => {
            return verdict(true, "right (as print() shows it)")
        }
        Err(e) => {
            return verdict(false, format!("that is not a Python value: expected {} at character {}", e.message, e.at))
        }
    };
    match explain(&given, &truth, subject) {
        None => verdict(true, "right"),
        Some(why) => verdict(false, why),
    }
}

/// `None` when `given` means `truth`; otherwise what differs.
fn explain(given: &Literal, truth: &Literal, subject: &str) -> Option<String> {
    use Literal::{Float, Int, List, Name, Set, Str, Tuple};
    match (given, truth) {
        // print() of a str shows it without quotes; a bare word is that text.
        (Name(n), Str(s)) if n == s => None,
        (Int(a), Float(b)) | (Float(b), Int(a)) if a.parse::<f64>().ok() == Some(*b) => {
            Some(format!("{subject} is {} (an {}), not {}", truth, truth.kind(), given))
        }
        (Float(a), Float(b)) if a == b || (a.is_nan() && b.is_nan()) => None,
        (Tuple(g), Tuple(t)) | (List(g), List(t)) => sequence(g, t, subject),
        (Set(g), Set(t)) => {
            let missing: Vec<String> = t.iter().filter(|x| !g.contains(x)).map(|x| x.to_string()).collect();
            let extra: Vec<String> = g.iter().filter(|x| !t.contains(x)).map(|x| x.to_string()).collect();
            if missing.is_empty() && extra.is_empty() {
                None
            } else {
                Some(describe(subject, &missing, &extra))
            }
        }
        (Tuple(_), List(_)) | (List(_), Tuple(_)) | (Set(_), Tuple(_)) | (Tuple(_), Set(_)) => {
            Some(format!("{subject} is {}: write it as {}", truth.kind(), bracket_hint(truth)))
        }
        (g, t) if g == t => None,
        (g, t) if std::mem::discriminant(g) != std::mem::discriminant(t) => {
            Some(format!("{subject} is {}, not {}", t.kind(), g.kind()))
        }
        (g, t) => Some(format!("{subject} is {t}, not {g}")),
    }
}

fn bracket_hint(truth: &Literal) -> &'static str {
    match truth {
        Literal::Tuple(_) => "( … ), as Python prints a tuple",
        Literal::List(_) => "[ … ]",
        _ => "{ … }",
    }
}

/// Items in order: missing and extra items first, then order, then the first difference.
fn sequence(given: &[Literal], truth: &[Literal], subject: &str) -> Option<String> {
    let missing: Vec<String> = truth.iter().filter(|x| !given.contains(x)).map(|x| x.to_string()).collect();
    let extra: Vec<String> = given.iter().filter(|x| !truth.contains(x)).map(|x| x.to_string()).collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Some(describe(subject, &missing, &extra));
    }
    if given.len() != truth.len() {
        return Some(format!("{subject} has {} items, not {}: some appear more than once", truth.len(), given.len()));
    }
    let first = given.iter().zip(truth).position(|(g, t)| g != t)?;
    Some(format!(
        "{subject} holds these items, but in another order: item {first} is {}, not {}",
        truth[first], given[first]
    ))
}

fn describe(subject: &str, missing: &[String], extra: &[String]) -> String {
    let list = |items: &[String]| items.join(", ");
    match (missing.is_empty(), extra.is_empty()) {
        (false, true) => {
            format!("{subject}: {} {} missing", list(missing), if missing.len() == 1 { "is" } else { "are" })
        }
        (true, false) => format!("{subject}: {} should not be there", list(extra)),
        _ => format!(
            "{subject}: {} {} missing and {} should not be there",
            list(missing),
            if missing.len() == 1 { "is" } else { "are" },
            list(extra)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(answer: &str, expected: &str, form: Form) -> Verdict {
        check(&Check { answer: answer.into(), expected: expected.into(), form, subject: "co_varnames".into() })
    }

    #[test]
    fn quotes_spacing_and_trailing_commas_do_not_matter() {
        for answer in ["('a', 'b')", "(\"a\",\"b\")", "( 'a' , 'b' , )", "'a', 'b'", "('a',\n 'b')"] {
            assert!(run(answer, "('a', 'b')", Form::Literal).correct, "{answer}");
        }
        assert!(run("('x',)", "('x',)", Form::Literal).correct);
        assert!(!run("('x')", "('x',)", Form::Literal).correct, "('x') is a str, not a tuple");
    }

    #[test]
    fn misses_are_explained() {
        let v = run("('a', 'b')", "('a', 'b', 'result')", Form::Literal);
        assert!(!v.correct);
        assert_eq!(v.explanation, "co_varnames: 'result' is missing");
        let v = run("('b', 'a')", "('a', 'b')", Form::Literal);
        assert!(v.explanation.contains("another order"), "{}", v.explanation);
        let v = run("['a', 'b']", "('a', 'b')", Form::Literal);
        assert!(v.explanation.contains("is a tuple"), "{}", v.explanation);
        let v = run("('a', 'b', 'c')", "('a', 'b')", Form::Literal);
        assert_eq!(v.explanation, "co_varnames: 'c' should not be there");
    }

    #[test]
    fn print_style_and_other_forms() {
        assert!(run("hello world", "'hello world'", Form::Literal).correct);
        assert!(run("None", "None", Form::Literal).correct);
        assert!(
            run(
                "(None, 1, 'x', 2.5, b'\\x00', -3, 1e+16, (1+2j))",
                "(None, 1, 'x', 2.5, b'\\x00', -3, 1e+16, (1+2j))",
                Form::Literal
            )
            .correct
        );
        assert!(run("0x43", "67", Form::Integer).correct);
        assert!(run("43", "0x43", Form::Hex).correct);
        assert!(run("yes", "True", Form::Boolean).correct);
        assert!(!run("no", "True", Form::Boolean).correct);
        assert!(run("  Coroutine ", "coroutine", Form::Choice).correct);
        assert!(
            !run("2**100", "1267650600228229401496703205376", Form::Literal).correct,
            "expressions are not literals"
        );
        assert!(run("1267650600228229401496703205376", "1267650600228229401496703205376", Form::Literal).correct);
        assert!(run("{'b', 'a'}", "frozenset({'a', 'b'})", Form::Literal).correct);
    }

    #[test]
    fn hostile_answers_fail_politely() {
        let deep = "(".repeat(10_000);
        assert!(!run(&deep, "()", Form::Literal).correct);
        let long = "x".repeat(200_000);
        assert!(!run(&long, "'x'", Form::Literal).correct);
        assert!(!run("'unterminated", "'x'", Form::Literal).correct);
        assert!(!run("\"\"\"", "'x'", Form::Literal).correct);
        assert!(!run("b'\\u1234'", "b''", Form::Literal).correct);
        assert!(!run("'\\x4'", "'x'", Form::Literal).correct);
        assert!(!run("0x", "0", Form::Integer).correct);
        assert!(!run("99999999999999999999999999999999999999999", "1", Form::Integer).correct);
        for junk in ["{", "[1,", "(1 2)", "{1: }", "--", "+", ".", "1e", "j"] {
            let v = run(junk, "(1,)", Form::Literal);
            assert!(!v.correct, "{junk}");
        }
    }
}

#[cfg(test)]
mod form_tests {
    use super::Form;

    /// The page reads a request's form by `Form::from_name`, the CLI and tests by serde: the
    /// two must agree on every name.
    #[test]
    fn from_name_reads_what_serde_reads() {
        for name in ["literal", "integer", "hex", "boolean", "choice", "text", "Literal", "bytes", ""] {
            let serde: Option<Form> = serde_json::from_str(&format!("\"{name}\"")).ok();
            assert_eq!(Form::from_name(name), serde, "{name}");
        }
    }
}
