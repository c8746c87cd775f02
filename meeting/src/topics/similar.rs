//! Similar topics, found while one is being written: Chinese text has no
//! spaces between words, so a topic is read as its character pairs (bigrams)
//! — "加装电梯" is 加装, 装电, 电梯 — over its title and problem, letters
//! folded to lower case, punctuation and spaces dropped. Two topics are as
//! alike as the pairs they share (Dice's coefficient); the office keeps each
//! topic's pairs indexed, so the candidates sharing the most are found first.

use std::collections::BTreeSet;

/// A character kept for comparing: letters (any script, CJK included) and
/// digits, lower-cased.
fn kept(c: char) -> Option<char> {
    c.is_alphanumeric()
        .then(|| c.to_lowercase().next().unwrap_or(c))
}

/// The character pairs of `text`, each once.
pub fn grams(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().filter_map(kept).collect();
    let mut out = BTreeSet::new();
    if chars.len() == 1 {
        out.insert(chars[0].to_string());
    }
    for pair in chars.windows(2) {
        out.insert(pair.iter().collect());
    }
    out
}

/// The pairs a topic is compared by: its title's and its problem's.
pub fn topic_grams(title: &str, problem: &str) -> BTreeSet<String> {
    let mut g = grams(title);
    g.extend(grams(problem));
    g
}

/// How alike two sets of pairs are, 0 to 1 (Dice's coefficient).
pub fn likeness(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// At least this alike is worth showing while writing.
pub const WORTH_SHOWING: f64 = 0.25;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_is_compared_by_its_character_pairs() {
        let g = grams("加装电梯，审批！");
        assert!(g.contains("加装") && g.contains("电梯") && g.contains("审批"));
        assert!(!g.iter().any(|p| p.contains('，')));
        let a = topic_grams("老旧小区加装电梯审批太慢", "");
        let b = topic_grams("加快老旧小区加装电梯审批", "");
        let c = topic_grams("公交线路调整", "");
        assert!(likeness(&a, &b) > 0.5, "{}", likeness(&a, &b));
        assert!(likeness(&a, &c) < 0.1);
        assert_eq!(likeness(&a, &a), 1.0);
        assert_eq!(grams("Park LANE"), grams("park lane"));
    }
}
