//! The house's rules, read from the source: no import circle between the files of `src/`, the
//! layers of the crate root's map importing only the layers below them, and the browser reached
//! from the boundary alone.
//!
//! An import is every path of a file that names another file's module: `crate::…`, `super::…`,
//! `self::…` and paths that start with a child module the file declares (`mod plots;` then
//! `plots::Plot`), in `use` trees (`use super::{fit::{self, Box3d}, text}`) and in code. Comments,
//! strings and character literals are left out, and `super` inside an inline module (`mod tests
//! { use super::*; }`) stays in its file.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One file of the library: its path under `src/` and its module path (`render::plots`).
struct SourceFile {
    path: String,
    module: Vec<String>,
    text: String,
}

fn library_files() -> Vec<SourceFile> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            // The binary is a crate of its own on top of the library.
            if relative == "main.rs" {
                return None;
            }
            let mut module: Vec<String> = relative.trim_end_matches(".rs").split('/').map(String::from).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            let text = fs::read_to_string(&path).expect("a readable source file");
            Some(SourceFile { path: relative, module, text })
        })
        .collect()
}

/// `text` with its comments, strings and character literals blanked out (newlines kept).
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &[char]| {
        for &ch in s {
            out.push(if ch == '\n' { '\n' } else { ' ' });
        }
    };
    while i < c.len() {
        let rest = &c[i..];
        if rest.starts_with(&['/', '/']) {
            let end = rest.iter().position(|&ch| ch == '\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with(&['/', '*']) {
            let (mut depth, mut j) = (0usize, 0usize);
            while j < rest.len() {
                if rest[j..].starts_with(&['/', '*']) {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(&['*', '/']) {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &rest[..j.min(rest.len())]);
            i += j;
        } else if let Some(len) = raw_string_len(rest, i == 0 || !is_ident(c[i - 1])) {
            blank(&mut out, &rest[..len]);
            i += len;
        } else if rest[0] == '"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != '"' {
                j += if rest[j] == '\\' { 2 } else { 1 };
            }
            let len = (j + 1).min(rest.len());
            blank(&mut out, &rest[..len]);
            i += len;
        } else if rest[0] == '\'' {
            // A character literal ('x', '\n', '\u{3b8}'), else a lifetime or label ('a).
            let len = if rest.get(1) == Some(&'\\') {
                rest.iter().skip(2).position(|&ch| ch == '\'').map(|p| p + 3)
            } else if rest.get(2) == Some(&'\'') {
                Some(3)
            } else {
                None
            };
            match len {
                Some(len) => {
                    blank(&mut out, &rest[..len.min(rest.len())]);
                    i += len;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(rest[0]);
            i += 1;
        }
    }
    out
}

/// The length of the raw or byte string literal (`r#"…"#`, `br"…"`, `b"…"`) at the start of
/// `s`, if one starts there.
fn raw_string_len(s: &[char], at_word_start: bool) -> Option<usize> {
    if !at_word_start {
        return None;
    }
    let mut j = 0;
    if s.first() == Some(&'b') {
        j += 1;
    }
    let raw = s.get(j) == Some(&'r');
    if raw {
        j += 1;
    }
    if j == 0 {
        return None;
    }
    let hashes = s[j..].iter().take_while(|&&ch| ch == '#').count();
    if s.get(j + hashes) != Some(&'"') || (!raw && hashes > 0) {
        return None;
    }
    let body = j + hashes + 1;
    if !raw {
        let mut k = body;
        while k < s.len() && s[k] != '"' {
            k += if s[k] == '\\' { 2 } else { 1 };
        }
        return Some((k + 1).min(s.len()));
    }
    let close: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
    (body..s.len()).find(|&k| s[k..].starts_with(&close)).map(|k| k + close.len()).or(Some(s.len()))
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Other(char),
}

fn tokens(code: &str) -> Vec<Token> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if is_ident(ch) {
            let start = i;
            while i < c.len() && is_ident(c[i]) {
                i += 1;
            }
            out.push(Token::Ident(c[start..i].iter().collect()));
            continue;
        }
        if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push(Token::PathSep);
            i += 2;
            continue;
        }
        if !ch.is_whitespace() {
            out.push(match ch {
                '{' => Token::Open,
                '}' => Token::Close,
                other => Token::Other(other),
            });
        }
        i += 1;
    }
    out
}

/// A path a file names, with the number of inline modules (`mod tests { … }`) it sits in.
struct NamedPath {
    segments: Vec<String>,
    inline_depth: usize,
}

/// The child modules a file declares (`mod plots;`) and every path it names.
fn paths_named(code: &str) -> (BTreeSet<String>, Vec<NamedPath>) {
    let t = tokens(code);
    let mut children = BTreeSet::new();
    let mut found = Vec::new();
    let mut depth = 0usize;
    // Brace depths at which inline modules opened.
    let mut inline: Vec<usize> = Vec::new();
    let ident = |k: usize| match t.get(k) {
        Some(Token::Ident(s)) => Some(s.as_str()),
        _ => None,
    };
    let mut i = 0;
    while i < t.len() {
        match &t[i] {
            Token::Open => depth += 1,
            Token::Close => {
                depth = depth.saturating_sub(1);
                while inline.last().is_some_and(|&d| d >= depth + 1) {
                    inline.pop();
                }
            }
            Token::Ident(word) if word == "mod" => {
                if let Some(name) = ident(i + 1) {
                    match t.get(i + 2) {
                        Some(Token::Other(';')) => {
                            children.insert(name.to_string());
                        }
                        Some(Token::Open) => {
                            inline.push(depth + 1);
                            depth += 1;
                            i += 3;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            Token::Ident(word) if word == "use" => {
                let end = (i..t.len()).find(|&k| t[k] == Token::Other(';')).unwrap_or(t.len());
                for segments in use_tree(&t[i + 1..end]) {
                    found.push(NamedPath { segments, inline_depth: inline.len() });
                }
                i = end + 1;
                continue;
            }
            Token::Ident(first) if i == 0 || t[i - 1] != Token::PathSep => {
                // A path in code: an identifier followed by `::` and more identifiers.
                let mut segments = vec![first.clone()];
                let mut k = i + 1;
                while t.get(k) == Some(&Token::PathSep) {
                    match ident(k + 1) {
                        Some(next) => segments.push(next.to_string()),
                        None => break,
                    }
                    k += 2;
                }
                if segments.len() > 1 {
                    found.push(NamedPath { segments, inline_depth: inline.len() });
                    i = k;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (children, found)
}

/// Every path of a `use` tree (`crate::{a, b::{self, C}}` gives `crate::a`, `crate::b`,
/// `crate::b::C`), renames (`as x`) dropped.
fn use_tree(t: &[Token]) -> Vec<Vec<String>> {
    fn tree(t: &[Token], at: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
        let mut path = prefix.to_vec();
        loop {
            match t.get(*at) {
                Some(Token::Ident(s)) if s == "as" => {
                    *at += 2;
                    break;
                }
                Some(Token::Ident(s)) => {
                    if s != "self" || path.is_empty() {
                        path.push(s.clone());
                    }
                    *at += 1;
                }
                Some(Token::PathSep) => *at += 1,
                Some(Token::Open) => {
                    *at += 1;
                    loop {
                        match t.get(*at) {
                            Some(Token::Close) => {
                                *at += 1;
                                break;
                            }
                            Some(Token::Other(',')) => *at += 1,
                            None => break,
                            _ => tree(t, at, &path, out),
                        }
                    }
                    return;
                }
                Some(Token::Other('*')) => {
                    *at += 1;
                    break;
                }
                _ => break,
            }
        }
        if !path.is_empty() {
            out.push(path);
        }
    }
    let mut out = Vec::new();
    // A leading `::` names an external crate: nothing of this one.
    if t.first() != Some(&Token::PathSep) {
        tree(t, &mut 0, &[], &mut out);
    }
    out
}

/// The import graph: for each file (by path), the files whose modules it names.
fn import_graph(files: &[SourceFile]) -> BTreeMap<String, BTreeSet<String>> {
    let by_module: BTreeMap<Vec<String>, String> = files.iter().map(|f| (f.module.clone(), f.path.clone())).collect();
    let mut graph = BTreeMap::new();
    for file in files {
        let (children, paths) = paths_named(&code_only(&file.text));
        let mut targets = BTreeSet::new();
        for NamedPath { segments, inline_depth } in paths {
            let mut absolute: Vec<String> = match segments[0].as_str() {
                "crate" => segments[1..].to_vec(),
                "self" if inline_depth == 0 => file.module.iter().chain(&segments[1..]).cloned().collect(),
                "super" => {
                    let supers = segments.iter().take_while(|s| *s == "super").count();
                    if supers <= inline_depth {
                        continue;
                    }
                    let up = supers - inline_depth;
                    if up > file.module.len() {
                        continue;
                    }
                    file.module[..file.module.len() - up].iter().chain(&segments[supers..]).cloned().collect()
                }
                first if inline_depth == 0 && children.contains(first) => {
                    file.module.iter().chain(&segments).cloned().collect()
                }
                _ => continue,
            };
            // The longest prefix that is a file's module.
            while !by_module.contains_key(&absolute) {
                absolute.pop();
            }
            let target = &by_module[&absolute];
            if *target != file.path {
                targets.insert(target.clone());
            }
        }
        graph.insert(file.path.clone(), targets);
    }
    graph
}

/// The strongly connected components of more than one node (Tarjan), each sorted.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.graph.contains_key(w) {
                continue;
            }
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// The layer of a file: its folder under `src/`, or its name for a file at the top (`error`,
/// `cli`); the crate root is `lib`.
fn layer_of(path: &str) -> String {
    match path.split_once('/') {
        Some((folder, _)) => folder.to_string(),
        None => path.trim_end_matches(".rs").to_string(),
    }
}

/// The layers of a map, bottom first: doc lines `//! N. [`a`], [`b`]: …` give layer N to `a` and
/// `b`, the names before the item's first colon (an item may wrap onto indented lines).
fn layer_ranks(lib: &str) -> BTreeMap<String, usize> {
    let mut ranks = BTreeMap::new();
    // The rank of the item being read, while its names go on.
    let mut current: Option<usize> = None;
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            current = None;
            continue;
        };
        let item = rest.trim_start();
        let numbered = item.split_once(". ").and_then(|(n, tail)| n.parse::<usize>().ok().map(|n| (n, tail)));
        let names = match numbered {
            Some((rank, tail)) => {
                current = Some(rank);
                tail
            }
            None if current.is_some() && rest.starts_with("    ") => item,
            None => {
                current = None;
                continue;
            }
        };
        let Some(rank) = current else { continue };
        let (names, ended) = match names.find("`]:") {
            Some(at) => (&names[..at + 2], true),
            None => (names, false),
        };
        for piece in names.split("[`").skip(1) {
            if let Some((name, _)) = piece.split_once("`]") {
                ranks.insert(name.to_string(), rank);
            }
        }
        if ended {
            current = None;
        }
    }
    ranks
}

/// A one-line account of each edge, for messages.
fn edges_between(graph: &BTreeMap<String, BTreeSet<String>>, within: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for from in within {
        for to in &graph[from] {
            if within.contains(to) {
                out.push(format!("{from} → {to}"));
            }
        }
    }
    out
}

#[test]
fn no_file_of_src_imports_itself_through_others() {
    let files = library_files();
    let graph = import_graph(&files);
    let found = circles(&graph);
    let report: Vec<String> = found
        .iter()
        .map(|c| format!("a circle of {} files: {}\n    {}", c.len(), c.join(", "), edges_between(&graph, c).join("\n    ")))
        .collect();
    assert!(found.is_empty(), "import circles between files of src/:\n{}", report.join("\n"));
}

#[test]
fn the_layers_import_only_the_layers_below() {
    let files = library_files();
    let lib = files.iter().find(|f| f.module.is_empty()).expect("src/lib.rs");
    let ranks = layer_ranks(&lib.text);
    assert!(!ranks.is_empty(), "the crate root's doc comment has no layer map (lines `//! N. [`layer`] …`)");
    let graph = import_graph(&files);
    let mut wrong = Vec::new();
    for (from, targets) in &graph {
        let from_layer = layer_of(from);
        if from_layer == "lib" {
            continue;
        }
        let Some(&from_rank) = ranks.get(&from_layer) else {
            wrong.push(format!("{from}: its layer `{from_layer}` is not in the crate root's map"));
            continue;
        };
        for to in targets {
            let to_layer = layer_of(to);
            if to_layer == from_layer {
                continue;
            }
            match ranks.get(&to_layer) {
                Some(&to_rank) if to_rank < from_rank || (to_rank == from_rank && to_layer != "lib") => {}
                Some(&to_rank) => wrong.push(format!(
                    "{from} (layer {from_rank}, {from_layer}) imports {to} (layer {to_rank}, {to_layer}), which is not below it"
                )),
                None if to_layer == "lib" => wrong.push(format!("{from} imports the crate root; name the module instead")),
                None => wrong.push(format!("{from} imports {to}, whose layer `{to_layer}` is not in the crate root's map")),
            }
        }
    }
    // Layers of one rank may import each other, but not both ways.
    let mut layer_graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &graph {
        let entry = layer_graph.entry(layer_of(from)).or_default();
        for to in targets {
            if layer_of(to) != layer_of(from) {
                entry.insert(layer_of(to));
            }
        }
    }
    for circle in circles(&layer_graph) {
        wrong.push(format!("the layers {} import each other", circle.join(", ")));
    }
    assert!(wrong.is_empty(), "imports against the layers:\n  {}", wrong.join("\n  "));
}

#[test]
fn the_files_of_a_folder_follow_its_map() {
    let files = library_files();
    let graph = import_graph(&files);
    let mut wrong = Vec::new();
    let mut maps = 0;
    for folder in files.iter().filter(|f| f.path.ends_with("/mod.rs")) {
        let ranks = layer_ranks(&folder.text);
        if ranks.is_empty() {
            continue;
        }
        maps += 1;
        let prefix = folder.path.trim_end_matches("mod.rs");
        let stem = |path: &str| path.strip_prefix(prefix).map(|rest| rest.trim_end_matches(".rs").to_string());
        for file in files.iter().filter(|f| f.path.starts_with(prefix) && f.path != folder.path) {
            let Some(name) = stem(&file.path) else { continue };
            let Some(&from_rank) = ranks.get(&name) else {
                wrong.push(format!("{}: not in the map of {}", file.path, folder.path));
                continue;
            };
            for to in &graph[&file.path] {
                if to == &folder.path {
                    wrong.push(format!("{} imports {}, which only declares the folder's files", file.path, to));
                    continue;
                }
                match stem(to).and_then(|n| ranks.get(&n).copied()) {
                    Some(to_rank) if to_rank > from_rank => {
                        wrong.push(format!("{} (step {from_rank}) imports {to} (step {to_rank}), which is above it", file.path))
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(maps >= 1, "no folder has a map: src/render/mod.rs lists its files bottom first");
    assert!(wrong.is_empty(), "imports against a folder's map:\n  {}", wrong.join("\n  "));
}

#[test]
fn only_the_boundary_reaches_the_browser() {
    const BROWSER: [&str; 6] =
        ["wasm_bindgen", "web_sys", "js_sys", "plotters_canvas", "serde_wasm_bindgen", "console_error_panic_hook"];
    let mut wrong = Vec::new();
    for file in library_files() {
        if layer_of(&file.path) == "wasm" {
            continue;
        }
        let code = code_only(&file.text);
        for token in tokens(&code) {
            if let Token::Ident(word) = token {
                if BROWSER.contains(&word.as_str()) {
                    wrong.push(format!("{} names {word}", file.path));
                }
            }
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "browser crates outside src/wasm/:\n  {}", wrong.join("\n  "));
}

/// The reader itself, on sources written here: each kind of path it must see, and each it must
/// not.
#[test]
fn the_reader_finds_each_kind_of_import_and_only_those() {
    let file = |path: &str, text: &str| {
        let mut module: Vec<String> = path.trim_end_matches(".rs").split('/').map(String::from).collect();
        if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
            module.pop();
        }
        SourceFile { path: path.to_string(), module, text: text.to_string() }
    };
    let files = vec![
        file("lib.rs", "pub mod a; pub mod b; pub mod draw;"),
        file("a.rs", "use crate::{b::{self, Thing as Other}, draw};\nfn f() { let _ = 'x'; let _ = '\\''; }"),
        file("b.rs", "// use crate::a;\n/* crate::a /* nested */ crate::a */\nconst S: &str = \"crate::a\";\nconst R: &str = r#\"crate::a \"\"#;\nfn g<'a>(x: &'a str) -> &'a str { x }\nmod tests { use super::*; }"),
        file("draw/mod.rs", "pub mod view; pub mod plots;\npub use plots::Plot;"),
        file("draw/plots.rs", "use super::view::View;\npub struct Plot;"),
        file("draw/view.rs", "pub struct View;\nfn h() { super::super::b::g(\"\"); }"),
    ];
    let graph = import_graph(&files);
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<String>>();
    assert_eq!(graph["a.rs"], set(&["b.rs", "draw/mod.rs"]));
    assert_eq!(graph["b.rs"], set(&[]), "comments, strings, lifetimes and an inline module's super are not imports");
    assert_eq!(graph["draw/mod.rs"], set(&["draw/plots.rs"]), "a child declared with `mod` is named by its bare path");
    assert_eq!(graph["draw/plots.rs"], set(&["draw/view.rs"]));
    assert_eq!(graph["draw/view.rs"], set(&["b.rs"]));
    assert!(circles(&graph).is_empty());

    // One edge back makes a circle, and the test names its files.
    let mut looped = files;
    looped[4] = file("draw/plots.rs", "use super::view::View;\npub struct Plot;");
    looped[5] = file("draw/view.rs", "use crate::draw::plots::Plot;");
    assert_eq!(circles(&import_graph(&looped)), vec![vec!["draw/plots.rs".to_string(), "draw/view.rs".to_string()]]);

    let ranks = layer_ranks(
        "//! The layers:\n//! 0. [`error`], [`param`]: leaves, see [`other`]\n//! 3. [`render`],\n//!    [`view`]: draws [`x`]\n//!    and [`y`]\n//! not a layer [`z`]\n",
    );
    assert_eq!(
        ranks.into_iter().collect::<Vec<_>>(),
        vec![("error".into(), 0), ("param".into(), 0), ("render".into(), 3), ("view".into(), 3)]
    );
}
