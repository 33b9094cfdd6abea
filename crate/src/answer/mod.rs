//! Checking a learner's answer against the truth decoded from a real `.pyc`.
//!
//! Lessons never store expected answers: the page takes them from the decoded document of
//! the version the learner picked (a `repr`, a number, a list of names) and asks this module
//! whether the learner's text means the same, and if not, to say why in words. Answers are
//! parsed as Python literals, in either quote style, with any spacing and trailing commas,
//! or as `print()` would show them (a string without quotes).

mod compare;
pub mod literal;

pub use compare::{check, Check, Form, Verdict};
