//! The documentation's links: every relative link and image of the README and of `docs/`
//! resolves to a file of the repository, and every `#anchor` to a heading of its target (GitHub's
//! anchors: the heading in lower case, its punctuation dropped, its spaces hyphens). Links in code
//! (fenced blocks and inline code) are text, not links.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Markdown files: the README and every `.md` of `docs/`.
fn documents() -> Vec<PathBuf> {
    let mut out = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .expect("docs/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// `text` without its fenced code blocks and inline code.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            out.push('\n');
            continue;
        }
        // An indented code block (four spaces after a blank line) is not prose either, but a
        // list item's continuation is; the documents indent code with fences or four spaces
        // only where it holds no links, so indented lines are kept.
        if !fenced {
            let mut in_code = false;
            for ch in line.chars() {
                if ch == '`' {
                    in_code = !in_code;
                } else if !in_code {
                    out.push(ch);
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The targets of the inline links and images of `text` (`[text](target)`, `![alt](target)`),
/// with the line each is on.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (number, line) in prose(text).lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            match after.find(')') {
                Some(end) => {
                    let target = after[..end].split_whitespace().next().unwrap_or("").to_string();
                    out.push((number + 1, target));
                    rest = &after[end + 1..];
                }
                None => break,
            }
        }
    }
    out
}

/// GitHub's anchor of a heading: lower case, characters other than letters, digits, spaces,
/// hyphens and underscores dropped, spaces made hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of the headings of `text` (a repeated heading's later anchors end in -1, -2, …).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        let heading = line.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let base = anchor(heading);
        let mut name = base.clone();
        let mut k = 0;
        while out.contains(&name) {
            k += 1;
            name = format!("{base}-{k}");
        }
        out.insert(name);
    }
    out
}

/// What is wrong with the links of the document at `path` holding `text`, one line each.
fn broken_links(path: &Path, text: &str) -> Vec<String> {
    let shown = path.strip_prefix(root()).unwrap_or(path).display().to_string();
    let mut wrong = Vec::new();
    for (line, target) in links(text) {
        if target.is_empty() {
            wrong.push(format!("{shown}:{line}: an empty link"));
            continue;
        }
        if target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:") {
            continue;
        }
        let (file, fragment) = match target.split_once('#') {
            Some((file, fragment)) => (file, Some(fragment)),
            None => (target.as_str(), None),
        };
        let resolved = if file.is_empty() { path.to_path_buf() } else { path.parent().unwrap().join(file) };
        if !file.is_empty() && !resolved.exists() {
            wrong.push(format!("{shown}:{line}: {target}: no file {}", resolved.display()));
            continue;
        }
        if let Some(fragment) = fragment {
            let target_text = if file.is_empty() { text.to_string() } else { fs::read_to_string(&resolved).unwrap_or_default() };
            if !anchors(&target_text).contains(fragment) {
                wrong.push(format!("{shown}:{line}: {target}: no heading with the anchor #{fragment}"));
            }
        }
    }
    wrong
}

#[test]
fn every_link_of_the_documentation_resolves() {
    let mut wrong = Vec::new();
    let mut count = 0;
    for path in documents() {
        let text = fs::read_to_string(&path).expect("a readable document");
        count += links(&text).len();
        wrong.extend(broken_links(&path, &text));
    }
    assert!(count >= 40, "only {count} links found in the README and docs/: is the reader broken?");
    assert!(wrong.is_empty(), "broken links:\n  {}", wrong.join("\n  "));
}

#[test]
fn the_readme_links_every_document_and_stays_a_front_door() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let targets: BTreeSet<String> = links(&readme).into_iter().map(|(_, t)| t.split('#').next().unwrap().to_string()).collect();
    for path in documents().iter().skip(1) {
        let name = format!("docs/{}", path.file_name().unwrap().to_string_lossy());
        assert!(targets.contains(&name), "the README does not link {name}");
    }
    let lines = readme.lines().count();
    assert!(lines <= 150, "the README has {lines} lines; what is not the front door belongs in docs/");
}

/// The reader on documents written here: links in code are not links, a missing file and a
/// missing anchor are reported, a present anchor is found.
#[test]
fn the_reader_finds_broken_links_and_only_those() {
    let text = "# A title\n\n## Long runs, at any speed\n\nSee [here](#long-runs-at-any-speed), \
                [gone](#no-such-heading), [the README](README.md), [missing](nowhere.md) and \
                `[code](not-a-link.md)`.\n\n```\n[fenced](not-a-link-either.md)\n```\n\n## Long runs, at any speed\n";
    let path = root().join("a-document.md");
    let wrong = broken_links(&path, text);
    assert_eq!(wrong.len(), 2, "{wrong:?}");
    assert!(wrong[0].contains("#no-such-heading"));
    assert!(wrong[1].contains("nowhere.md"));
    assert_eq!(anchor("Loss curves and coefficient lines: M4, kept between frames"), "loss-curves-and-coefficient-lines-m4-kept-between-frames");
    assert!(anchors(text).contains("long-runs-at-any-speed-1"), "a repeated heading's anchor ends in -1");
}
