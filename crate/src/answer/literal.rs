//! A parser for the Python literals a learner types as an answer.
//!
//! Lessons ask for values such as `co_varnames` or `co_consts`; the learner answers with
//! what Python would print, in either quote style, with any spacing and trailing commas.
//! The expected answer is the `repr` pyclens decoded from the real `.pyc`, parsed with the
//! same parser. Input is untrusted text: nesting and length are bounded, nothing panics.

use std::fmt;

/// A parsed Python literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer of any size, as its decimal digits with a sign (no leading zeros).
    Int(String),
    /// A float.
    Float(f64),
    /// A complex number (`3j`, `(1+2j)`).
    Complex(f64, f64),
    /// A str.
    Str(String),
    /// A bytes literal.
    Bytes(Vec<u8>),
    /// `...` or `Ellipsis`.
    Ellipsis,
    /// `( … )`.
    Tuple(Vec<Literal>),
    /// `[ … ]`.
    List(Vec<Literal>),
    /// `{ … }` with items, `set()`, `frozenset({ … })`.
    Set(Vec<Literal>),
    /// `{ k: v, … }`.
    Dict(Vec<(Literal, Literal)>),
    /// A bare word that is not a keyword (`result` typed without quotes).
    Name(String),
}

impl Literal {
    /// The name of the kind of value, for explanations ("a tuple").
    pub fn kind(&self) -> &'static str {
        match self {
            Literal::None => "None",
            Literal::Bool(_) => "a boolean",
            Literal::Int(_) => "an integer",
            Literal::Float(_) => "a float",
            Literal::Complex(..) => "a complex number",
            Literal::Str(_) => "a string",
            Literal::Bytes(_) => "bytes",
            Literal::Ellipsis => "Ellipsis",
            Literal::Tuple(_) => "a tuple",
            Literal::List(_) => "a list",
            Literal::Set(_) => "a set",
            Literal::Dict(_) => "a dict",
            Literal::Name(_) => "a bare name",
        }
    }
}

impl fmt::Display for Literal {
    /// Python's repr of the value (single quotes, as Python prefers).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seq = |f: &mut fmt::Formatter<'_>, items: &[Literal]| -> fmt::Result {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{item}")?;
            }
            Ok(())
        };
        match self {
            Literal::None => f.write_str("None"),
            Literal::Bool(b) => f.write_str(if *b { "True" } else { "False" }),
            Literal::Int(digits) => f.write_str(digits),
            Literal::Float(x) => f.write_str(&crate::values::repr::float(*x)),
            Literal::Complex(re, im) => f.write_str(&crate::values::repr::complex(*re, *im)),
            Literal::Str(s) => {
                f.write_str(&crate::values::repr::text(s.as_bytes(), crate::pyc::version::PyVersion::new(3, 15)))
            }
            Literal::Bytes(b) => f.write_str(&crate::values::repr::bytes(b, true)),
            Literal::Ellipsis => f.write_str("Ellipsis"),
            Literal::Name(n) => f.write_str(n),
            Literal::Tuple(items) => {
                f.write_str("(")?;
                seq(f, items)?;
                f.write_str(if items.len() == 1 { ",)" } else { ")" })
            }
            Literal::List(items) => {
                f.write_str("[")?;
                seq(f, items)?;
                f.write_str("]")
            }
            Literal::Set(items) if items.is_empty() => f.write_str("set()"),
            Literal::Set(items) => {
                f.write_str("{")?;
                seq(f, items)?;
                f.write_str("}")
            }
            Literal::Dict(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Why an answer is not a literal, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Character offset in the answer.
    pub at: usize,
    /// What was expected.
    pub message: String,
}

/// Answers longer than this are refused before parsing (no lesson asks for more).
pub const MAX_LEN: usize = 100_000;
/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;

/// Parses one literal; the whole text must be consumed (surrounding spaces allowed).
pub fn parse(text: &str) -> Result<Literal, ParseError> {
    if text.len() > MAX_LEN {
        return Err(ParseError { at: MAX_LEN, message: format!("the answer is longer than {MAX_LEN} characters") });
    }
    let mut p = Parser { chars: text.chars().collect(), pos: 0 };
    let value = p.expr(0)?;
    p.skip_space();
    if p.pos < p.chars.len() {
        return Err(p.error("nothing more after the value"));
    }
    Ok(value)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn error(&self, message: &str) -> ParseError {
        ParseError { at: self.pos, message: message.to_string() }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// A value, or a tuple written without parentheses at the top level (`1, 2`).
    fn expr(&mut self, depth: usize) -> Result<Literal, ParseError> {
        let first = self.value(depth)?;
        if depth == 0 && self.eat(',') {
            let mut items = vec![first];
            self.skip_space();
            while self.peek().is_some() {
                items.push(self.value(depth)?);
                if !self.eat(',') {
                    break;
                }
                self.skip_space();
            }
            return Ok(Literal::Tuple(items));
        }
        Ok(first)
    }

    fn value(&mut self, depth: usize) -> Result<Literal, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("the value is nested too deeply"));
        }
        self.skip_space();
        match self.peek() {
            None => Err(self.error("a value")),
            Some('(') => self.tuple_or_group(depth),
            Some('[') => {
                self.pos += 1;
                Ok(Literal::List(self.items(']', depth)?))
            }
            Some('{') => self.braces(depth),
            Some('-' | '+') => self.signed(depth),
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some('\'' | '"') => self.string(false, false),
            Some(c) if c.is_alphabetic() || c == '_' => self.word(depth),
            Some(_) => Err(self.error("a value")),
        }
    }

    fn items(&mut self, close: char, depth: usize) -> Result<Vec<Literal>, ParseError> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Ok(items);
            }
            items.push(self.value(depth + 1)?);
            if !self.eat(',') {
                return if self.eat(close) { Ok(items) } else { Err(self.error(&format!("',' or '{close}'"))) };
            }
        }
    }

    fn tuple_or_group(&mut self, depth: usize) -> Result<Literal, ParseError> {
        self.pos += 1;
        if self.eat(')') {
            return Ok(Literal::Tuple(Vec::new()));
        }
        let first = self.value(depth + 1)?;
        if self.eat(')') {
            // `(x)` is x itself; `(1+2j)` arrives here as a complex already.
            return Ok(first);
        }
        if !self.eat(',') {
            return Err(self.error("',' or ')'"));
        }
        let mut rest = self.items(')', depth)?;
        rest.insert(0, first);
        Ok(Literal::Tuple(rest))
    }

    fn braces(&mut self, depth: usize) -> Result<Literal, ParseError> {
        self.pos += 1;
        if self.eat('}') {
            return Ok(Literal::Dict(Vec::new()));
        }
        let first = self.value(depth + 1)?;
        if !self.eat(':') {
            let mut items = vec![first];
            if self.eat(',') {
                items.extend(self.items('}', depth)?);
            } else if !self.eat('}') {
                return Err(self.error("',' or '}'"));
            }
            return Ok(Literal::Set(items));
        }
        let mut pairs = vec![(first, self.value(depth + 1)?)];
        loop {
            if self.eat('}') {
                return Ok(Literal::Dict(pairs));
            }
            if !self.eat(',') {
                return Err(self.error("',' or '}'"));
            }
            if self.eat('}') {
                return Ok(Literal::Dict(pairs));
            }
            let k = self.value(depth + 1)?;
            if !self.eat(':') {
                return Err(self.error("':'"));
            }
            pairs.push((k, self.value(depth + 1)?));
        }
    }

    fn signed(&mut self, depth: usize) -> Result<Literal, ParseError> {
        let negative = self.peek() == Some('-');
        self.pos += 1;
        let value = self.value(depth + 1)?;
        let flip = |x: f64| if negative { -x } else { x };
        Ok(match value {
            Literal::Int(d) if negative && d != "0" => Literal::Int(format!("-{}", d.trim_start_matches('-'))),
            Literal::Int(d) => Literal::Int(d),
            Literal::Float(x) => Literal::Float(flip(x)),
            Literal::Complex(re, im) => Literal::Complex(flip(re), flip(im)),
            _ => return Err(self.error("a number after the sign")),
        })
    }

    /// A number, and a complex sum `a+bj` written without parentheses.
    fn number(&mut self) -> Result<Literal, ParseError> {
        let start = self.pos;
        let text: String = self.take_while(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        // An exponent's sign belongs to the number: `1e-5`.
        let text = if (text.ends_with('e') || text.ends_with('E')) && matches!(self.peek(), Some('+' | '-')) {
            let sign = self.peek().map(String::from).unwrap_or_default();
            self.pos += 1;
            text + &sign + &self.take_while(|c| c.is_ascii_digit() || c == '_')
        } else {
            text
        };
        let clean = text.replace('_', "");
        let lower = clean.to_ascii_lowercase();
        let bad = || ParseError { at: start, message: format!("{text:?} is not a number") };
        let number = if let Some(imag) = lower.strip_suffix('j') {
            Literal::Complex(0.0, imag.parse().map_err(|_| bad())?)
        } else if let Some((radix, digits)) =
            [("0x", 16), ("0o", 8), ("0b", 2)].iter().find_map(|(p, r)| lower.strip_prefix(p).map(|d| (*r, d)))
        {
            Literal::Int(to_decimal(digits, radix).ok_or_else(bad)?)
        } else if lower.bytes().all(|b| b.is_ascii_digit()) {
            Literal::Int(to_decimal(&lower, 10).ok_or_else(bad)?)
        } else {
            Literal::Float(lower.parse().map_err(|_| bad())?)
        };
        // `1+2j` as print() shows a complex inside parentheses.
        if let (Literal::Int(_) | Literal::Float(_), Some('+' | '-')) = (&number, self.peek()) {
            let save = self.pos;
            let negative = self.peek() == Some('-');
            self.pos += 1;
            if let Ok(Literal::Complex(_, im)) = self.number() {
                let re = match &number {
                    Literal::Int(d) => d.parse().unwrap_or(f64::NAN),
                    Literal::Float(x) => *x,
                    _ => 0.0,
                };
                return Ok(Literal::Complex(re, if negative { -im } else { im }));
            }
            self.pos = save;
        }
        Ok(number)
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn word(&mut self, depth: usize) -> Result<Literal, ParseError> {
        let word = self.take_while(|c| c.is_alphanumeric() || c == '_');
        let lower = word.to_ascii_lowercase();
        if matches!(self.peek(), Some('\'' | '"')) && lower.chars().all(|c| "rbuf".contains(c)) && lower.len() <= 2 {
            return self.string(lower.contains('b'), lower.contains('r'));
        }
        Ok(match word.as_str() {
            "None" => Literal::None,
            "True" => Literal::Bool(true),
            "False" => Literal::Bool(false),
            "Ellipsis" => Literal::Ellipsis,
            "set" | "frozenset" if self.eat('(') => {
                if self.eat(')') {
                    return Ok(Literal::Set(Vec::new()));
                }
                let inner = self.value(depth + 1)?;
                if !self.eat(')') {
                    return Err(self.error("')'"));
                }
                match inner {
                    Literal::Set(items) | Literal::List(items) | Literal::Tuple(items) => Literal::Set(items),
                    Literal::Dict(pairs) if pairs.is_empty() => Literal::Set(Vec::new()),
                    _ => return Err(self.error("a set, list or tuple inside set()")),
                }
            }
            _ => Literal::Name(word),
        })
    }

    /// A quoted string (any of the four quote forms) with Python's escapes.
    fn string(&mut self, bytes: bool, raw: bool) -> Result<Literal, ParseError> {
        let start = self.pos;
        let quote = self.peek().unwrap_or('\'');
        let triple = self.chars.get(self.pos..self.pos + 3).is_some_and(|s| s.iter().all(|&c| c == quote));
        self.pos += if triple { 3 } else { 1 };
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError { at: start, message: "a string without its closing quote".into() });
            };
            if c == quote
                && (!triple || self.chars.get(self.pos..self.pos + 3).is_some_and(|s| s.iter().all(|&c| c == quote)))
            {
                self.pos += if triple { 3 } else { 1 };
                break;
            }
            self.pos += 1;
            if c != '\\' || raw {
                out.push(c);
                continue;
            }
            let Some(e) = self.peek() else { continue };
            self.pos += 1;
            match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0'..='7' => {
                    let mut v = e.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match self.peek().and_then(|c| c.to_digit(8)) {
                            Some(d) => {
                                v = v * 8 + d;
                                self.pos += 1;
                            }
                            None => break,
                        }
                    }
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
                'x' | 'u' | 'U' => {
                    let n = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String =
                        self.chars.get(self.pos..self.pos + n).map(|s| s.iter().collect()).unwrap_or_default();
                    let v = u32::from_str_radix(&hex, 16).map_err(|_| self.error("hex digits after the escape"))?;
                    self.pos += n;
                    // Lone surrogates cannot live in a Rust string: show them as the escape.
                    match char::from_u32(v) {
                        Some(ch) => out.push(ch),
                        None => out.push_str(&format!("\\{e}{hex}")),
                    }
                }
                '\n' => {}
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                '\\' | '\'' | '"' => out.push(e),
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
        }
        if bytes {
            // Each char of a bytes literal is one byte value (escapes already applied).
            let values: Option<Vec<u8>> = out.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
            return values
                .map(Literal::Bytes)
                .ok_or(ParseError { at: start, message: "bytes hold only values 0-255".into() });
        }
        Ok(Literal::Str(out))
    }
}

/// Converts digits in `radix` to canonical decimal (arbitrary size, no leading zeros).
fn to_decimal(digits: &str, radix: u32) -> Option<String> {
    if digits.is_empty() {
        return None;
    }
    // Little-endian base-10^9 limbs.
    let mut limbs: Vec<u64> = vec![0];
    for c in digits.chars() {
        let d = u64::from(c.to_digit(radix)?);
        let mut carry = d;
        for limb in &mut limbs {
            let v = *limb * u64::from(radix) + carry;
            *limb = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    let mut out = limbs.last().map(|l| l.to_string()).unwrap_or_default();
    for limb in limbs.iter().rev().skip(1) {
        out.push_str(&format!("{limb:09}"));
    }
    Some(out)
}
